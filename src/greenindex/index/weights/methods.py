"""Weighting schemes over the columns of a table: entropy (named variants), CRITIC, equal,
framework, user, and the combination of two weight vectors.

References
----------
Shannon C.E. (1948); Zeleny M. (1982) *Multiple Criteria Decision Making* (entropy weights).
Diakoulaki D., Mavrotas G., Papayannakis L. (1995), Determining objective weights in multiple
criteria problems: the CRITIC method, Computers & Operations Research 22(7).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, MethodError

ENTROPY_VARIANTS = ("zero_log_zero", "shift", "compress", "raw_share")
COMBINATIONS = ("linear", "geometric", "multiplicative")


def _normalised(w: np.ndarray, names: list[str], scheme: str) -> pd.Series:
    s = float(np.sum(w))
    if not np.isfinite(s) or s <= 0:
        raise MethodError(
            f"{scheme} weights of {names[:10]} sum to {s:g}; they cannot be normalised. What to "
            "do: check for constant or degenerate indicators, or choose another scheme."
        )
    return pd.Series(w / s, index=names, dtype=float)


# ---------------------------------------------------------------------------------------------
# Entropy
# ---------------------------------------------------------------------------------------------
def entropy(
    data: pd.DataFrame,
    *,
    variant: str = "zero_log_zero",
    shift: float = 1e-4,
    compress: tuple[float, float] = (0.99, 0.01),
) -> pd.Series:
    """Entropy weights of the columns of ``data`` (pooled over all its rows).

    .. math::
        p_{ij} = \\frac{y_{ij}}{\\sum_i y_{ij}}, \\quad
        e_j = -\\frac{1}{\\ln n_j}\\sum_i p_{ij}\\ln p_{ij}, \\quad
        w_j = \\frac{1 - e_j}{\\sum_k (1 - e_k)}

    with :math:`n_j` the number of non-missing rows of column ``j`` and ``y`` by variant:

    - ``zero_log_zero``: :math:`y = z` (min-max normalised), :math:`0 \\ln 0 := 0`;
    - ``shift``: :math:`y = z + shift` (0.0001 by default; 0.01 and 1 are also seen);
    - ``compress``: :math:`y = a z + b` with ``compress = (a, b)``, default (0.99, 0.01),
      which assumes ``z`` in [0, 1];
    - ``raw_share``: :math:`y = x` the data as given (raw, positive; the textbook form without
      normalisation, so the direction of the indicator plays no role).

    Raises
    ------
    MethodError
        Negative inputs (or non-positive for ``raw_share``), fewer than two rows, a column of
        zeros, or all columns of equal entropy 1 (no information).

    Examples
    --------
    >>> import pandas as pd
    >>> w = entropy(pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [0.0, 1.0, 1.0]}))
    >>> round(float(w["a"]), 6), round(float(w["b"]), 6)
    (0.532639, 0.467361)
    """
    if variant not in ENTROPY_VARIANTS:
        raise ConfigError(
            "weights.entropy.variant",
            f"unknown variant '{variant}'",
            f"use one of {ENTROPY_VARIANTS}.",
        )
    x = data.to_numpy(dtype=float)
    names = [str(c) for c in data.columns]
    present = ~np.isnan(x)
    y = _entropy_input(x, present, names, variant, shift, compress)
    n = present.sum(axis=0)
    if (n < 2).any():
        raise MethodError(
            f"entropy needs at least two values per indicator; {[names[j] for j in np.flatnonzero(n < 2)][:10]} "
            "have fewer (a single unit, or an all-missing column)."
        )
    tot = np.nansum(y, axis=0)
    if (tot <= 0).any():
        raise MethodError(
            f"indicators {[names[j] for j in np.flatnonzero(tot <= 0)][:10]} are all zero; their "
            "shares p = y / sum(y) are undefined. What to do: drop them or use the shift variant."
        )
    p = y / tot
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(present & (p > 0), p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    d = 1.0 - e
    return _normalised(d, names, f"entropy ({variant})")


def _entropy_input(
    x: np.ndarray,
    present: np.ndarray,
    names: list[str],
    variant: str,
    shift: float,
    compress: tuple[float, float],
) -> np.ndarray:
    """``y`` of an entropy ``variant`` (see :func:`entropy`), after checking the signs of ``x``."""
    if variant == "raw_share":
        bad = present & ~(x > 0)
        if bad.any():
            cols = sorted({names[c] for c in np.nonzero(bad)[1]})
            raise MethodError(
                f"raw-share entropy needs values > 0, but {cols[:10]} have values <= 0. What to "
                "do: use weights.entropy.variant zero_log_zero / shift / compress on min-max data."
            )
        return x
    bad = present & (x < 0)
    if bad.any():
        cols = sorted({names[c] for c in np.nonzero(bad)[1]})
        raise MethodError(
            f"entropy weights need non-negative normalised values, but {cols[:10]} have "
            "negative values (z-scores?). What to do: compute entropy on min-max data."
        )
    if variant == "shift":
        return x + float(shift)
    if variant == "compress":
        a, b = compress
        return float(a) * x + float(b)
    return x


# ---------------------------------------------------------------------------------------------
# CRITIC
# ---------------------------------------------------------------------------------------------
def critic(data: pd.DataFrame) -> pd.Series:
    """CRITIC weights (Diakoulaki et al. 1995).

    .. math:: C_j = \\sigma_j \\sum_k (1 - r_{jk}), \\quad w_j = C_j / \\sum_k C_k

    with :math:`\\sigma_j` the sample SD (n - 1) of the min-max normalised column and
    :math:`r_{jk}` the Pearson correlation (pairwise complete observations). A single column
    gets weight 1.
    """
    names = [str(c) for c in data.columns]
    if len(names) == 1:
        return pd.Series([1.0], index=names)
    sd = data.std(ddof=1)
    if not (sd > 0).all():
        raise MethodError(
            f"CRITIC: indicators {list(sd.index[~(sd > 0)])[:10]} are constant or have fewer than "
            "two values; their correlations are undefined. What to do: drop them."
        )
    r = data.corr(method="pearson")
    if r.isna().any().any():
        raise MethodError(
            "CRITIC: some pairs of indicators have fewer than two common observations."
        )
    c = sd.to_numpy() * (1.0 - r.to_numpy()).sum(axis=1)
    return _normalised(c, names, "CRITIC")


def equal(data: pd.DataFrame) -> pd.Series:
    """Equal weights :math:`w_j = 1/m`."""
    m = data.shape[1]
    return pd.Series(np.full(m, 1.0 / m), index=[str(c) for c in data.columns])


def framework(data: pd.DataFrame, *, weights: Mapping[str, float] | None = None) -> pd.Series:
    """The metadata weights (codebook / framework tables) of the columns of ``data``,
    :math:`w_j = v_j / \\sum_k v_k` with :math:`v_j` = ``weights[j]`` (default 1).

    :func:`compute_weights` places ``framework`` weights at every level of the tree, not only
    over indicators.
    """
    names = [str(c) for c in data.columns]
    v = np.array([float((weights or {}).get(c, 1.0)) for c in names])
    return _normalised(v, names, "framework")


def user(data: pd.DataFrame, *, weights: Mapping[str, float] | None = None) -> pd.Series:
    """``weights.method: user``: the metadata weights, as :func:`framework`.

    What makes them the user's are the ``weights.user`` multipliers, which apply after every
    method alike (:func:`apply_user_multipliers`), so ``user`` and ``framework`` differ only in
    name: ``user`` says that the weights are a choice of the analyst rather than of the data.
    """
    return framework(data, weights=weights)


def combine(w1: pd.Series, w2: pd.Series, how: str = "linear", alpha: float = 0.5) -> pd.Series:
    """Combine two weight vectors over the same indicators (each summing to 1).

    - ``linear``: :math:`\\alpha w^{(1)} + (1 - \\alpha) w^{(2)}`;
    - ``geometric``: :math:`\\sqrt{w^{(1)} w^{(2)}}` normalised to sum 1;
    - ``multiplicative``: :math:`w^{(1)} w^{(2)}` normalised to sum 1.
    """
    if how not in COMBINATIONS:
        raise ConfigError(
            "weights.combine.how", f"unknown combination '{how}'", f"use one of {COMBINATIONS}."
        )
    if not 0.0 <= alpha <= 1.0:
        raise ConfigError("weights.combine.alpha", f"{alpha} is not in [0, 1]")
    a = w1 / w1.sum()
    b = (w2 / w2.sum()).reindex(a.index)
    if how == "linear":
        out = alpha * a + (1 - alpha) * b
    elif how == "geometric":
        out = np.sqrt(a * b)
    else:
        out = a * b
    return _normalised(out.to_numpy(), list(a.index), f"combined ({how})")
