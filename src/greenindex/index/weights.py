"""Weights: entropy (named variants), PCA (three conventions), CRITIC, equal, user, combinations.

Weights are expressed in the index tree (a ``pd.Series`` over non-root nodes, each node's
share within its parent, summing to 1 within every parent). Data-driven schemes apply at one of
two levels:

- ``global`` (default; the practice of most Chinese provincial studies): one weight vector
  :math:`w_j` over *all* indicators. In the tree an indicator's share is :math:`w_j / W_D`
  and a dimension's share is :math:`W_D = \\sum_{j \\in D} w_j` (summed down any depth), so that
  the effective weight of indicator ``j`` in the index is exactly :math:`w_j` and the
  arithmetic index equals :math:`\\sum_j w_j z_j`.
- ``within_parent``: the scheme is applied separately to the indicators of each parent;
  aggregate nodes keep their weights from the framework (metadata).

``weights.user`` then multiplies any node's within-parent weight and renormalises among its
siblings (:func:`apply_user_multipliers`), under every scheme and level.

Scope ``pooled`` (default) computes one weight vector from all unit-years; ``year`` one
vector per year (a DataFrame indexed by year; scores are then not comparable over time).

References
----------
Shannon C.E. (1948); Zeleny M. (1982) *Multiple Criteria Decision Making* (entropy weights).
Diakoulaki D., Mavrotas G., Papayannakis L. (1995), Determining objective weights in multiple
criteria problems: the CRITIC method, Computers & Operations Research 22(7).
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1 (PCA/FA weights).
Kaiser H.F. (1974), An index of factorial simplicity, Psychometrika 39 (KMO);
Bartlett M.S. (1950), Tests of significance in factor analysis, Br. J. Stat. Psychol. 3.
Kaiser H.F. (1958), The varimax criterion for analytic rotation, Psychometrika 23.
Becker W. et al. (2022), COINr, JOSS 7(78): ``get_PCA``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, MethodError
from greenindex.index.framework import Framework

ENTROPY_VARIANTS = ("zero_log_zero", "shift", "compress", "raw_share")
PCA_CONVENTIONS = ("variance_loadings", "jrc_varimax", "first_component")
NEGATIVE_WEIGHTS = ("error", "clip", "allow")
LEVELS = ("global", "within_parent")
SCOPES = ("pooled", "year")
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
    if variant == "raw_share":
        bad = present & ~(x > 0)
        if bad.any():
            cols = sorted({names[c] for c in np.nonzero(bad)[1]})
            raise MethodError(
                f"raw-share entropy needs values > 0, but {cols[:10]} have values <= 0. What to "
                "do: use weights.entropy.variant zero_log_zero / shift / compress on min-max data."
            )
        y = x
    else:
        bad = present & (x < 0)
        if bad.any():
            cols = sorted({names[c] for c in np.nonzero(bad)[1]})
            raise MethodError(
                f"entropy weights need non-negative normalised values, but {cols[:10]} have "
                "negative values (z-scores?). What to do: compute entropy on min-max data."
            )
        if variant == "shift":
            y = x + float(shift)
        elif variant == "compress":
            a, b = compress
            y = float(a) * x + float(b)
        else:
            y = x
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


# ---------------------------------------------------------------------------------------------
# PCA
# ---------------------------------------------------------------------------------------------
@dataclass
class PCAResult:
    """Outcome of a PCA weighting.

    Attributes
    ----------
    weights
        Weights over the indicators (sum 1; may be negative only with
        ``negative_weights="allow"``).
    loadings
        Eigenvectors of the correlation matrix (indicator x component, unit length, each signed
        so that it sums to a positive number); for ``jrc_varimax`` the rotated factor loadings.
    eigenvalues
        All eigenvalues of the correlation matrix, descending.
    explained
        Share of variance of each component.
    n_components
        Number of components retained.
    kmo, kmo_per_variable
        Kaiser-Meyer-Olkin measure of sampling adequacy.
    bartlett_chi2, bartlett_df, bartlett_p
        Bartlett's test of sphericity.
    n_rows_used
        Rows without any missing value (the others are dropped, as in COINr).
    negative
        Indicators whose raw weight was negative (and what was done).
    """

    weights: pd.Series
    loadings: pd.DataFrame
    eigenvalues: pd.Series
    explained: pd.Series
    n_components: int
    kmo: float
    kmo_per_variable: pd.Series
    bartlett_chi2: float
    bartlett_df: int
    bartlett_p: float
    n_rows_used: int
    convention: str
    negative: list[str] = field(default_factory=list)


def _chi2_sf(x: float, df: int) -> float:
    # imported here: scipy.stats takes 0.4 s to import, paid by every workflow job otherwise
    from scipy import stats

    return float(stats.chi2.sf(x, df))


def kmo_bartlett(corr: np.ndarray, n: int) -> tuple[float, np.ndarray, float, int, float]:
    """KMO (overall, per variable) and Bartlett's test from a correlation matrix.

    .. math::
        KMO = \\frac{\\sum_{j \\ne k} r_{jk}^2}{\\sum_{j \\ne k} r_{jk}^2 + \\sum_{j \\ne k} a_{jk}^2},
        \\quad a_{jk} = -\\frac{R^{-1}_{jk}}{\\sqrt{R^{-1}_{jj} R^{-1}_{kk}}}

        \\chi^2 = -\\left(n - 1 - \\frac{2p + 5}{6}\\right)\\ln|R|, \\quad df = p(p-1)/2

    The pseudo-inverse is used when ``R`` is singular (then ``ln|R| = -inf`` and the test
    p-value is 0).
    """
    p = corr.shape[0]
    inv = np.linalg.pinv(corr)
    dg = np.sqrt(np.abs(np.diag(inv)))
    partial = -inv / np.outer(dg, dg)
    off = ~np.eye(p, dtype=bool)
    r2 = np.where(off, corr**2, 0.0)
    a2 = np.where(off, partial**2, 0.0)
    kmo = float(r2.sum() / (r2.sum() + a2.sum())) if p > 1 else float("nan")
    kmo_j = r2.sum(axis=1) / (r2.sum(axis=1) + a2.sum(axis=1)) if p > 1 else np.array([np.nan])
    sign, logdet = np.linalg.slogdet(corr)
    logdet = logdet if sign > 0 else -np.inf
    df = p * (p - 1) // 2
    chi2 = float(-(n - 1 - (2 * p + 5) / 6.0) * logdet)
    pval = (
        float(_chi2_sf(chi2, df))
        if df > 0 and np.isfinite(chi2)
        else (0.0 if df > 0 else float("nan"))
    )
    return kmo, kmo_j, chi2, df, pval


def varimax(loadings: np.ndarray, *, max_iter: int = 500, tol: float = 1e-10) -> np.ndarray:
    """Varimax rotation (Kaiser 1958) of a loading matrix (p x m), without Kaiser normalisation.

    Maximises :math:`\\sum_k [\\frac{1}{p}\\sum_j L_{jk}^4 - (\\frac{1}{p}\\sum_j L_{jk}^2)^2]` by
    the usual SVD iteration.
    """
    p, m = loadings.shape
    if m < 2:
        return loadings.copy()
    rot = np.eye(m)
    crit = 0.0
    for _ in range(max_iter):
        lam = loadings @ rot
        u, s, vt = np.linalg.svd(loadings.T @ (lam**3 - lam @ np.diag(np.sum(lam**2, axis=0)) / p))
        rot = u @ vt
        new = float(np.sum(s))
        if new < crit * (1 + tol):
            break
        crit = new
    return loadings @ rot


def _retain(eig: np.ndarray, retain: str | float) -> int:
    if isinstance(retain, str):
        if retain != "kaiser":
            raise ConfigError(
                "weights.pca.retain",
                f"unknown rule '{retain}'",
                "use 'kaiser', a share such as 0.85, or a number of components.",
            )
        return max(1, int(np.sum(eig > 1.0)))
    if isinstance(retain, float) and 0 < retain < 1:
        cum = np.cumsum(eig) / eig.sum()
        return int(np.searchsorted(cum, retain - 1e-12) + 1)
    k = int(retain)
    if not 1 <= k <= len(eig):
        raise ConfigError(
            "weights.pca.retain", f"{retain} components requested, {len(eig)} available"
        )
    return k


def pca_analysis(
    data: pd.DataFrame,
    *,
    convention: str = "variance_loadings",
    retain: str | float = "kaiser",
    negative_weights: str = "error",
) -> PCAResult:
    """PCA of the columns of ``data`` behind the weights of :func:`pca` (rows with a missing
    value are dropped); returns the weights with the loadings, KMO and Bartlett's test.

    The data are standardised (correlation-matrix PCA, as ``prcomp(scale. = TRUE)``); with
    :math:`\\lambda_k, u_k` the eigenvalues and unit eigenvectors, each :math:`u_k` signed so
    that :math:`\\sum_j u_{jk} > 0`:

    - ``variance_loadings`` (default): keep ``retain`` components; loading
      :math:`l_{jk} = u_{jk}\\sqrt{\\lambda_k}`, coefficient :math:`a_{jk} = l_{jk}/\\sqrt{\\lambda_k}`,
      :math:`c_j = \\sum_k \\lambda_k a_{jk} / \\sum_k \\lambda_k`, :math:`w_j = c_j/\\sum c`.
    - ``jrc_varimax`` (OECD/JRC handbook): varimax-rotated loadings :math:`L` of the retained
      components; squared loadings scaled to sum 1 per factor; each indicator is assigned to
      the factor on which its scaled squared loading is largest and weighted by it times the
      factor's share of the rotated explained variance; :math:`w` normalised to sum 1.
    - ``first_component`` (COINr ``get_PCA``): :math:`w_j = u_{j1}` (the first eigenvector).

    ``negative_weights``: ``"error"`` (default) raises :class:`MethodError` when a weight is
    negative; ``"clip"`` sets negative weights to 0 and renormalises (with a warning);
    ``"allow"`` keeps them, which reproduces COINr and gives weights that are no longer a
    convex combination.
    """
    if convention not in PCA_CONVENTIONS:
        raise ConfigError(
            "weights.pca.convention",
            f"unknown convention '{convention}'",
            f"use one of {PCA_CONVENTIONS}.",
        )
    if negative_weights not in NEGATIVE_WEIGHTS:
        raise ConfigError(
            "weights.pca.negative_weights",
            f"unknown value '{negative_weights}'",
            f"use one of {NEGATIVE_WEIGHTS}.",
        )
    names = [str(c) for c in data.columns]
    X = data.dropna().to_numpy(dtype=float)
    n, p = X.shape
    if p == 1:
        one = pd.Series([1.0], index=names)
        return PCAResult(
            one,
            pd.DataFrame([[1.0]], index=names, columns=["PC1"]),
            pd.Series([1.0]),
            pd.Series([1.0]),
            1,
            float("nan"),
            pd.Series([np.nan], index=names),
            float("nan"),
            0,
            float("nan"),
            n,
            convention,
        )
    if n < 3:
        raise MethodError(f"PCA of {names[:10]} has {n} complete rows; it needs at least 3.")
    sd = X.std(axis=0, ddof=1)
    if not (sd > 0).all():
        raise MethodError(
            f"PCA: indicators {[names[j] for j in np.flatnonzero(~(sd > 0))]} are constant over the "
            "complete rows; they cannot be standardised. What to do: drop them."
        )
    R = np.corrcoef(X, rowvar=False)
    eig, U = np.linalg.eigh(R)
    order = np.argsort(eig)[::-1]
    eig, U = eig[order], U[:, order]
    U = U * np.where(U.sum(axis=0) < 0, -1.0, 1.0)
    kmo, kmo_j, chi2, df, pval = kmo_bartlett(R, n)
    comps = [f"PC{k + 1}" for k in range(p)]
    explained = eig / eig.sum()
    k = 1 if convention == "first_component" else _retain(eig, retain)
    if convention == "first_component":
        raw = U[:, 0]
        load = pd.DataFrame(U, index=names, columns=comps)
    elif convention == "variance_loadings":
        lam = eig[:k]
        raw = (U[:, :k] * lam).sum(axis=1) / lam.sum()
        load = pd.DataFrame(U, index=names, columns=comps)
    else:
        L = varimax(U[:, :k] * np.sqrt(eig[:k]))
        L = L * np.where(L.sum(axis=0) < 0, -1.0, 1.0)
        sq = L**2
        var_k = sq.sum(axis=0)
        scaled = sq / var_k
        best = np.argmax(scaled, axis=1)
        raw = scaled[np.arange(p), best] * (var_k[best] / var_k.sum())
        load = pd.DataFrame(L, index=names, columns=[f"F{j + 1}" for j in range(k)])
    neg = [names[j] for j in np.flatnonzero(raw < 0)]
    if neg:
        if negative_weights == "error":
            raise MethodError(
                f"PCA ({convention}) gives negative weights to {neg[:10]} (indicators that load "
                "against the component). What to do: check their directions, or set "
                "weights.pca.negative_weights to 'clip' (negative weights set to 0) or 'allow' "
                "(keep them, as COINr does)."
            )
        if negative_weights == "clip":
            warnings.warn(f"PCA weights of {neg} were negative and are set to 0", stacklevel=2)
            raw = np.clip(raw, 0.0, None)
    w = _normalised(raw, names, f"PCA ({convention})")
    return PCAResult(
        weights=w,
        loadings=load,
        eigenvalues=pd.Series(eig, index=comps),
        explained=pd.Series(explained, index=comps),
        n_components=k,
        kmo=kmo,
        kmo_per_variable=pd.Series(kmo_j, index=names),
        bartlett_chi2=chi2,
        bartlett_df=df,
        bartlett_p=pval,
        n_rows_used=n,
        convention=convention,
        negative=neg,
    )


def pca(data: pd.DataFrame, **options: object) -> pd.Series:
    """PCA weights of the columns of ``data``; see :func:`pca_analysis` for the conventions
    and options."""
    return pca_analysis(data, **options).weights  # type: ignore[arg-type]


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


#: Weighting methods by config name (``weights.method``). Shared signature:
#: ``method(data, **options) -> weights`` over the columns of ``data``.
METHODS: dict[str, Callable[..., pd.Series]] = {
    "entropy": entropy,
    "pca": pca,
    "critic": critic,
    "equal": equal,
    "framework": framework,
    "user": user,
}
#: The methods that compute weights from the data (the others take them from the metadata).
DATA_DRIVEN = ("entropy", "pca", "critic", "equal")


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


# ---------------------------------------------------------------------------------------------
# Weights in the tree
# ---------------------------------------------------------------------------------------------
@dataclass
class WeightResult:
    """Weights of a run.

    Attributes
    ----------
    weights
        Share of each non-root node within its parent (Series), or one row per year
        (DataFrame indexed by year) with ``scope="year"``.
    effective
        The effective-weights table (node, parent, level, type, weight, within-parent share,
        effective weight; plus ``year`` for per-year weights).
    indicator_weights
        The weight vector(s) the scheme produced over the indicators, before placing them in
        the tree (per group for ``within_parent``).
    diagnostics
        Scheme-specific details, e.g. PCA KMO/Bartlett per group.
    """

    weights: pd.Series | pd.DataFrame
    effective: pd.DataFrame
    indicator_weights: pd.Series | pd.DataFrame
    diagnostics: dict[str, object] = field(default_factory=dict)


def tree_weights_from_global(framework: Framework, w: pd.Series) -> pd.Series:
    """Place a weight vector over all indicators in the tree (``global`` level).

    Each aggregate gets the sum of the weights of the indicators under it; the result is
    returned as within-parent shares, so that the effective weight of indicator ``j`` is
    ``w_j / sum(w)``.
    """
    raw: dict[str, float] = {i: float(w[i]) for i in framework.indicators}
    for i in framework.indicators:
        n = framework.parent[i]
        while n != framework.root:
            raw[n] = raw.get(n, 0.0) + float(w[i])
            n = framework.parent[n]
    return within_parent_shares(framework, raw)


def within_parent_shares(framework: Framework, raw: Mapping[str, float]) -> pd.Series:
    """Raw weights -> shares within each parent (sum 1 per parent)."""
    nodes = [n for n in framework.nodes if n != framework.root]
    s = pd.Series({n: float(raw.get(n, framework.weight.get(n, 1.0))) for n in nodes})
    par = pd.Series({n: framework.parent[n] for n in nodes})
    tot = s.groupby(par).transform("sum")
    if (tot <= 0).any():
        bad = sorted(set(par[tot <= 0]))
        raise MethodError(
            f"the weights of the children of {bad[:10]} sum to zero or less; they cannot be shares."
        )
    return (s / tot).rename("weight")


def check_user_multipliers(framework: Framework, user: Mapping[str, float] | None) -> None:
    """Check ``weights.user``: known non-root nodes, multipliers ``>= 0``.

    Raises
    ------
    ConfigError
        Naming ``weights.user``, the unknown node and the closest node ids of the framework,
        or the negative multiplier.
    """
    import difflib

    nodes = [n for n in framework.nodes if n != framework.root]
    for node, m in (user or {}).items():
        if node not in framework.parent:
            close = difflib.get_close_matches(str(node), nodes, n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
            raise ConfigError(
                "weights.user",
                f"unknown node '{node}': weights.user multiplies the weight of a node of the "
                "framework",
                f"{hint}Use one of the indicator or dimension ids {nodes[:20]} (not the root "
                f"'{framework.root}').",
            )
        if not np.isfinite(float(m)) or float(m) < 0:
            raise ConfigError(
                f"weights.user.{node}",
                f"multiplier {m} is not a number >= 0",
                "give a multiplier >= 0 (1 keeps the method's weight, 2 doubles it relative to "
                "each sibling, 0 removes the node).",
            )
    zero = {n for n, m in (user or {}).items() if float(m) == 0}
    for p in sorted({framework.parent[n] for n in zero}):
        kids = [n for n in framework.parent if framework.parent[n] == p]
        if all(k in zero for k in kids):
            raise ConfigError(
                "weights.user",
                f"the multipliers of all children of '{p}' ({kids[:10]}) are zero: their "
                "weights cannot be renormalised",
                "leave at least one child of each node with a multiplier > 0.",
            )


def apply_user_multipliers(
    framework: Framework, weights: pd.Series, user: Mapping[str, float] | None
) -> pd.Series:
    """Multiply within-parent weights by ``weights.user`` and renormalise among siblings.

    With :math:`w_n` the method's share of node ``n`` within its parent and :math:`m_n` the
    user multiplier (1 for nodes not named),

    .. math:: w'_n = \\frac{m_n w_n}{\\sum_{s \\in \\mathrm{siblings}(n)} m_s w_s}

    where the siblings of ``n`` include ``n``. So ``{node: 2}`` doubles the node's weight
    relative to each sibling (:math:`w'_n / w'_s = 2 w_n / w_s`), ``{node: 0}`` removes it and
    the remaining siblings share its weight in proportion. Under ``level: global`` a
    dimension's within-root weight is the sum of its indicators' weights, and the multiplier
    applies to that sum. The effective weight of an indicator is the product of the shares
    down the tree.

    Raises
    ------
    ConfigError
        Unknown node or negative multiplier (:func:`check_user_multipliers`), or all
        multipliers of a sibling group zero (nothing left to weight).
    """
    check_user_multipliers(framework, user)
    if not user:
        return weights
    m = pd.Series(1.0, index=weights.index)
    for node, v in user.items():
        m[node] = float(v)
    scaled = weights * m
    par = pd.Series({n: framework.parent[n] for n in weights.index})
    tot = scaled.groupby(par).transform("sum")
    dead = sorted(set(par[(tot <= 0) & (weights.groupby(par).transform("sum") > 0)]))
    if dead:
        kids = [n for n in weights.index if framework.parent[n] == dead[0]]
        raise ConfigError(
            "weights.user",
            f"the multipliers of all children of '{dead[0]}' ({kids[:10]}) are zero: their "
            "weights cannot be renormalised",
            "leave at least one child of each node with a multiplier > 0.",
        )
    return (scaled / tot).rename("weight")


def effective_weights(framework: Framework, weights: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """Effective-weights table of a run (``Framework.to_frame`` with these weights).

    For per-year weights one block per year with a ``year`` column.
    """
    if isinstance(weights, pd.DataFrame):
        parts = []
        for y, row in weights.iterrows():
            t = framework.with_weights(row.dropna().to_dict()).to_frame()
            t.insert(0, "year", y)
            parts.append(t)
        return pd.concat(parts, ignore_index=True)
    return framework.with_weights(weights.dropna().to_dict()).to_frame()


def _groups(framework: Framework, level: str, columns: list[str]) -> dict[str, list[str]]:
    if level == "global":
        return {framework.root: [i for i in framework.indicators if i in columns]}
    out: dict[str, list[str]] = {}
    for i in framework.indicators:
        if i in columns:
            out.setdefault(framework.parent[i], []).append(i)
    return out


def _method_weights(
    data: pd.DataFrame,
    method: str,
    options: Mapping[str, object],
    diag: dict[str, object],
    label: str,
) -> pd.Series:
    if method not in METHODS:
        raise ConfigError(
            "weights.method", f"unknown method '{method}'", f"use one of {sorted(METHODS)}."
        )
    if method == "pca":
        res = pca_analysis(data, **options)  # type: ignore[arg-type]
        diag[label] = {
            "kmo": res.kmo,
            "bartlett_chi2": res.bartlett_chi2,
            "bartlett_df": res.bartlett_df,
            "bartlett_p": res.bartlett_p,
            "n_components": res.n_components,
            "explained": res.explained.iloc[: res.n_components].tolist(),
            "n_rows_used": res.n_rows_used,
            "negative": res.negative,
        }
        return res.weights
    try:
        return METHODS[method](data, **options)
    except TypeError as e:
        raise ConfigError(f"weights.{method}", f"invalid option: {e}") from None


def compute_weights(
    z: pd.DataFrame,
    framework: Framework,
    method: str = "entropy",
    *,
    level: str = "within_parent",
    scope: str = "pooled",
    options: Mapping[str, object] | None = None,
    raw: pd.DataFrame | None = None,
    combine_with: str | None = None,
    combine_options: Mapping[str, object] | None = None,
    combine_how: str = "linear",
    alpha: float = 0.5,
    user: Mapping[str, float] | None = None,
) -> WeightResult:
    """Weights of a run, placed in the tree.

    Parameters
    ----------
    z
        Normalised data (direction applied), used by the data-driven methods.
    framework
        The tree; its own weights are the metadata weights.
    method
        ``entropy``, ``pca``, ``critic``, ``equal`` (every indicator equal; aggregates keep
        their framework weights under ``within_parent``, are the sums under ``global``),
        ``framework`` (the metadata weights as given), or ``user`` (the same framework
        weights; the ``user`` multipliers apply to them as to every scheme).
    level
        ``global`` or ``within_parent`` (see the module docstring).
    scope
        ``pooled`` or ``year``.
    options
        Keyword options of the method (e.g. ``{"variant": "shift", "shift": 0.01}`` for
        entropy, ``{"convention": "first_component", "negative_weights": "allow"}`` for PCA).
    raw
        Treated (not normalised) data, used instead of ``z`` by entropy ``raw_share``.
    combine_with, combine_options, combine_how, alpha
        A second method and how to combine it with the first (:func:`combine`).
    user
        Node -> multiplier ``m >= 0`` at any level, applied last to the scheme's within-parent
        weights (:func:`apply_user_multipliers`); ``{"structure": 2}`` doubles structure's
        weight relative to each of its siblings.
    """
    if level not in LEVELS:
        raise ConfigError("weights.level", f"unknown level '{level}'", f"use one of {LEVELS}.")
    if scope not in SCOPES:
        raise ConfigError("weights.scope", f"unknown scope '{scope}'", f"use one of {SCOPES}.")
    opts = dict(options or {})
    check_user_multipliers(framework, user)
    diag: dict[str, object] = {}
    if method in ("framework", "user"):
        base = {n: framework.weight.get(n, 1.0) for n in framework.parent}
        w = apply_user_multipliers(framework, within_parent_shares(framework, base), user)
        return WeightResult(
            w, effective_weights(framework, w), w.reindex(list(framework.indicators)), diag
        )

    use_raw = method == "entropy" and opts.get("variant") == "raw_share"
    source = raw if use_raw else z
    if source is None:
        raise ConfigError(
            "weights.entropy.variant", "raw_share needs the treated (raw) data", "pass raw=."
        )
    cols = [i for i in framework.indicators if i in source.columns]
    if scope == "pooled":
        blocks: list[tuple[object, pd.DataFrame]] = [("all", source[cols])]
    else:
        yrs = source.index.get_level_values("year")
        blocks = [(int(y), source.loc[yrs == y, cols]) for y in pd.unique(yrs)]
    tree_rows = {}
    ind_rows = {}
    for label, block in blocks:
        vec: dict[str, float] = {}
        for g, members in _groups(framework, level, cols).items():
            tag = f"{g}" if label == "all" else f"{g}/{label}"
            w1 = _method_weights(block[members], method, opts, diag, tag)
            if combine_with:
                cdiag: dict[str, object] = {}
                if combine_with in ("framework", "user"):
                    w2 = METHODS["framework"](block[members], weights=framework.weight)
                else:
                    csrc = (
                        raw
                        if (
                            combine_with == "entropy"
                            and (combine_options or {}).get("variant") == "raw_share"
                        )
                        else z
                    )
                    if csrc is None:
                        raise ConfigError(
                            "weights.combine", "raw_share needs the treated data", "pass raw=."
                        )
                    cblock = csrc.loc[block.index, members]
                    w2 = _method_weights(
                        cblock, combine_with, dict(combine_options or {}), cdiag, tag
                    )
                w1 = combine(w1, w2, combine_how, alpha)
                if cdiag:
                    diag[f"combine:{tag}"] = cdiag[tag]
            vec.update(w1.to_dict())
        wvec = pd.Series(vec).reindex(cols)
        if (wvec < 0).any() and not (method == "pca" and opts.get("negative_weights") == "allow"):
            raise MethodError(f"negative weights for {list(wvec.index[wvec < 0])[:10]}")
        if level == "global":
            tw = tree_weights_from_global(framework, wvec)
        else:
            base = {n: framework.weight.get(n, 1.0) for n in framework.parent}
            base.update(wvec.to_dict())
            tw = within_parent_shares(framework, base)
        tw = apply_user_multipliers(framework, tw, user)
        tree_rows[label] = tw
        ind_rows[label] = wvec
    if scope == "pooled":
        w = tree_rows["all"]
        return WeightResult(w, effective_weights(framework, w), ind_rows["all"], diag)
    wdf = pd.DataFrame(tree_rows).T
    wdf.index.name = "year"
    idf = pd.DataFrame(ind_rows).T
    idf.index.name = "year"
    return WeightResult(wdf, effective_weights(framework, wdf), idf, diag)
