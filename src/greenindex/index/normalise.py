"""Normalisation: bring indicators to a common scale, with their direction applied.

Direction follows COINr: every indicator is multiplied by its direction (+1 benefit, -1 cost)
*before* it is normalised, so that for every method a higher normalised value is better. For
min-max this gives ``(x - min)/(max - min)`` for a benefit and ``(max - x)/(max - min)`` for a
cost indicator (docs/methods.md section 2).

Scope: ``"pooled"`` (default) takes the bounds / mean / SD over all unit-years of the panel,
so that scores stay comparable over time; ``"year"`` takes them per year (scores are then not
comparable across years).

Every function returns ``(z, report)``; ``report`` has one row per indicator (and year when
``scope="year"``) with the direction and the parameters used.

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 5.
Becker W. et al. (2022), COINr, JOSS 7(78): ``n_minmax``, ``n_zscore``, ``n_rank``,
``n_prank``, ``n_dist2ref``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, InputError, MethodError

SCOPES = ("pooled", "year")


def _direction(data: pd.DataFrame, direction: Mapping[str, int] | pd.Series | None) -> np.ndarray:
    if direction is None:
        return np.ones(data.shape[1])
    d = pd.Series(dict(direction) if not isinstance(direction, pd.Series) else direction)
    missing = [c for c in data.columns if c not in d.index]
    if missing:
        raise InputError(
            f"no direction for indicators {missing[:10]}",
            file="codebook",
            column="direction",
            fix="give every indicator a direction of 1 (benefit) or -1 (cost).",
        )
    out = d.reindex(data.columns).to_numpy(dtype=float)
    bad = [c for c, v in zip(data.columns, out, strict=True) if v not in (1.0, -1.0)]
    if bad:
        raise InputError(
            f"direction of {bad[:10]} is not 1 or -1", file="codebook", column="direction"
        )
    return out


def _blocks(data: pd.DataFrame, scope: str) -> list[tuple[object, np.ndarray | slice]]:
    """(label, rows) of each scope block: every row (a slice) or one year's rows."""
    if scope not in SCOPES:
        raise ConfigError("normalise.scope", f"unknown scope '{scope}'", f"use one of {SCOPES}.")
    if scope == "pooled":
        return [("all", slice(None))]
    yrs = data.index.get_level_values("year").to_numpy()
    return [(int(y), np.flatnonzero(yrs == y)) for y in np.unique(yrs)]


def _check_constant(data: pd.DataFrame, const: np.ndarray, label: object, on_constant: str) -> None:
    if const.any() and on_constant == "error":
        names = [str(c) for c, k in zip(data.columns, const, strict=True) if k]
        where = "" if label == "all" else f" in year {label}"
        raise MethodError(
            f"indicators {names} are constant (or have fewer than two values){where} and cannot "
            "be normalised. What to do: remove them from the codebook, or set "
            "normalise.on_constant: drop (they are then left out and reported)."
        )


def _finish(
    data: pd.DataFrame, out: np.ndarray, rep: list[dict[str, object]], on_constant: str, scope: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    z = pd.DataFrame(out, index=data.index, columns=data.columns)
    report = pd.DataFrame(rep)
    if on_constant == "drop" and "constant" in report:
        dropped = sorted(set(report.loc[report["constant"].astype(bool), "indicator"]))
        z = z.drop(columns=dropped)
    if scope == "pooled" and "year" in report:
        report = report.drop(columns="year")
    return z, report


def _check_on_constant(on_constant: str) -> None:
    if on_constant not in ("error", "drop"):
        raise ConfigError(
            "normalise.on_constant", f"unknown value '{on_constant}'", "use 'error' or 'drop'."
        )


#: What a method's fit of one block gives :func:`_rescale`: centre, spread, which columns are
#: constant, and the method's report fields per column.
_Fit = tuple[np.ndarray, np.ndarray, np.ndarray, list[dict[str, object]]]


def _rescale(
    data: pd.DataFrame,
    direction: Mapping[str, int] | pd.Series | None,
    method: str,
    fit: Callable[[np.ndarray, np.ndarray], _Fit],
    offset: float,
    factor: float,
    scope: str,
    on_constant: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:math:`z = offset + factor (d x - c) / s` per scope block, with ``(c, s)`` the centre
    and spread :func:`fit` finds in the block of :math:`d x`; constant columns raise or are
    dropped (``on_constant``, checked by the caller). One report row per column (and year)."""
    d = _direction(data, direction)
    x = data.to_numpy(dtype=float) * d
    blocks = _blocks(data, scope)
    # one block of every row (pooled): written in place, no pre-filled copy (same values)
    whole = len(blocks) == 1
    out = np.empty_like(x) if whole else np.full_like(x, np.nan)
    rep: list[dict[str, object]] = []
    for label, ix in blocks:
        blk = x[ix]  # every row: a view; one year's rows: a copy
        centre, spread, const, fields = fit(blk, d)
        _check_constant(data, const, label, on_constant)
        # offset + factor * (blk - centre) / spread, operation by operation in that order
        z = np.subtract(blk, centre, out=out if whole else None)
        z *= factor
        z /= np.where(const, np.nan, spread)
        z += offset
        if not whole:
            out[ix] = z
        for j, c in enumerate(data.columns):
            rep.append(
                {
                    "indicator": c,
                    "year": label,
                    "method": method,
                    "direction": int(d[j]),
                    **fields[j],
                    "constant": bool(const[j]),
                }
            )
    return _finish(data, out, rep, on_constant, scope)


def minmax(
    data: pd.DataFrame,
    direction: Mapping[str, int] | pd.Series | None = None,
    *,
    low: float,
    high: float,
    scope: str = "pooled",
    on_constant: str = "error",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Min-max normalisation to ``[low, high]``.

    .. math:: z_{ij} = low + (high - low)\\frac{d_j x_{ij} - \\min_i d_j x_{ij}}
              {\\max_i d_j x_{ij} - \\min_i d_j x_{ij}}

    with :math:`d_j = \\pm 1` the direction. Missing values are ignored and stay missing.

    Parameters
    ----------
    low, high
        Output range, e.g. ``(0, 1)``, ``(0, 100)`` or ``(1, 100)`` (the latter for a
        geometric mean, which needs positive values); no default here: the config's
        ``normalise.range`` default lives in the schema.
    scope
        ``"pooled"`` or ``"year"`` bounds.
    on_constant
        ``"error"`` (default): a constant column raises :class:`MethodError`; ``"drop"``: the
        column is left out and reported.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.MultiIndex.from_tuples([("a", 2020), ("b", 2020), ("c", 2020)],
    ...                                 names=["unit", "year"])
    >>> x = pd.DataFrame({"gdp": [1.0, 2.0, 3.0], "co2": [10.0, 30.0, 20.0]}, index=idx)
    >>> z, _ = minmax(x, {"gdp": 1, "co2": -1}, low=0, high=1)
    >>> z["co2"].tolist()
    [1.0, 0.0, 0.5]
    """
    _check_on_constant(on_constant)
    if not high > low:
        raise ConfigError("normalise.range", f"range [{low}, {high}] is empty", "give low < high.")

    def fit(blk: np.ndarray, d: np.ndarray) -> _Fit:
        # fmin/fmax skip missing values; a column with none present gives NaN (constant)
        mn = np.fmin.reduce(blk, axis=0)
        mx = np.fmax.reduce(blk, axis=0)
        fields = [
            {
                "min": float(mn[j] * d[j]) if d[j] > 0 else float(-mx[j]),
                "max": float(mx[j] * d[j]) if d[j] > 0 else float(-mn[j]),
                "low": low,
                "high": high,
            }
            for j in range(len(d))
        ]
        return mn, mx - mn, ~(mx > mn), fields

    return _rescale(data, direction, "minmax", fit, low, high - low, scope, on_constant)


def zscore(
    data: pd.DataFrame,
    direction: Mapping[str, int] | pd.Series | None = None,
    *,
    mean: float = 0.0,
    sd: float = 1.0,
    scope: str = "pooled",
    on_constant: str = "error",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Standardisation to a given mean and standard deviation.

    .. math:: z_{ij} = mean + sd \\cdot \\frac{d_j x_{ij} - \\bar{x}_j}{s_j}

    with :math:`\\bar x_j` the mean and :math:`s_j` the sample standard deviation (divisor
    n - 1) of :math:`d_j x_j` over the non-missing values (COINr ``n_zscore``).
    """
    _check_on_constant(on_constant)

    def fit(blk: np.ndarray, d: np.ndarray) -> _Fit:
        # C order whatever the panel's layout: the sums (mean, standard deviation) then always
        # run in the same order, so results do not move in the last bits
        blk = np.ascontiguousarray(blk)
        with np.errstate(all="ignore"):
            cnt = np.sum(~np.isnan(blk), axis=0)
            mu = np.nansum(blk, axis=0) / cnt
            s = np.sqrt(np.nansum((blk - mu) ** 2, axis=0) / (cnt - 1))
        fields = [
            {"mean_x": float(mu[j] * d[j]), "sd_x": float(s[j]), "mean": mean, "sd": sd}
            for j in range(len(d))
        ]
        return mu, s, ~(s > 0) | (cnt < 2), fields

    return _rescale(data, direction, "zscore", fit, mean, sd, scope, on_constant)


def rank(
    data: pd.DataFrame,
    direction: Mapping[str, int] | pd.Series | None = None,
    *,
    scope: str = "pooled",
    percentile: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rank normalisation: the best value gets the highest number.

    ``percentile=False``: ranks 1..n of :math:`d_j x_{ij}`, ties get the average rank.
    ``percentile=True``: the percentile rank :math:`(r_{ij} - 1)/(n_j - 1)` in [0, 1] (ties:
    average rank), with :math:`n_j` the number of values. Missing values stay missing.
    """
    d = _direction(data, direction)
    signed = data * d
    out = pd.DataFrame(np.nan, index=data.index, columns=data.columns)
    rep: list[dict[str, object]] = []
    for label, ix in _blocks(data, scope):
        blk = signed.iloc[ix]
        r = blk.rank(method="average")
        if percentile:
            n = blk.notna().sum()
            if (n < 2).any():
                raise MethodError(
                    f"indicators {list(n.index[n < 2])} have fewer than two values; a percentile "
                    "rank needs at least two."
                )
            r = (r - 1.0) / (n - 1.0)
        out.iloc[ix] = r.to_numpy()
        for j, c in enumerate(data.columns):
            rep.append(
                {
                    "indicator": c,
                    "year": label,
                    "method": "percentile" if percentile else "rank",
                    "direction": int(d[j]),
                    "n": int(blk[c].notna().sum()),
                }
            )
    return _finish(data, out.to_numpy(), rep, "error", scope)


def percentile(
    data: pd.DataFrame,
    direction: Mapping[str, int] | pd.Series | None = None,
    *,
    scope: str = "pooled",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Percentile rank in [0, 1]; see :func:`rank` with ``percentile=True``."""
    return rank(data, direction, scope=scope, percentile=True)


def _reference(data: pd.DataFrame, level: str, key: object, what: str) -> pd.DataFrame:
    """The rows of ``data`` whose index ``level`` (``unit`` or ``year``) is ``key``, one for
    each row of ``data`` by its other level (NaN where the reference has no row)."""
    if key not in set(data.index.get_level_values(level)):
        raise ConfigError(f"normalise.reference_{level}", f"{what} is not in the data")
    other = "year" if level == "unit" else "unit"
    return data.xs(key, level=level).reindex(data.index.get_level_values(other))


def distance(
    data: pd.DataFrame,
    direction: Mapping[str, int] | pd.Series | None = None,
    *,
    reference_unit: str | None = None,
    reference_year: int | None = None,
    kind: str = "ratio",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Distance to a reference unit (same year) or to a reference year (same unit).

    ``kind="ratio"``: :math:`z = x / x_{ref}` for a benefit and :math:`x_{ref} / x` for a cost
    indicator (COINr ``n_dist2ref``, which takes the ratio after applying direction);
    ``kind="difference"``: :math:`z = d_j (x - x_{ref})`.
    Give exactly one of ``reference_unit`` and ``reference_year``.

    Raises
    ------
    MethodError
        The reference value is missing or zero (ratio), which would give NaN or infinity.
    """
    if (reference_unit is None) == (reference_year is None):
        raise ConfigError(
            "normalise.reference",
            "give exactly one of reference_unit and reference_year",
        )
    if kind not in ("ratio", "difference"):
        raise ConfigError(
            "normalise.kind", f"unknown kind '{kind}'", "use 'ratio' or 'difference'."
        )
    d = _direction(data, direction)
    if reference_unit is not None:
        ref = _reference(data, "unit", reference_unit, f"unit '{reference_unit}'")
    else:
        ref = _reference(data, "year", reference_year, f"year {reference_year}")
    r = ref.to_numpy(dtype=float)
    x = data.to_numpy(dtype=float)
    bad = np.isnan(r) | ((r == 0) if kind == "ratio" else np.zeros_like(r, dtype=bool))
    bad_cols = [c for c, b in zip(data.columns, (bad & ~np.isnan(x)).any(axis=0), strict=True) if b]
    if bad_cols:
        raise MethodError(
            f"the reference value of {bad_cols[:10]} is missing{' or zero' if kind == 'ratio' else ''} "
            "for some rows, so the distance is undefined. What to do: choose another reference "
            "or impute it first."
        )
    if kind == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(d > 0, x / r, r / x)
        if np.isinf(z).any():
            raise MethodError(
                "a cost indicator has a zero value, so the ratio reference/value is infinite. "
                "What to do: use kind='difference' or another normalisation."
            )
    else:
        z = d * (x - r)
    rep = [
        {
            "indicator": c,
            "method": f"distance_{kind}",
            "direction": int(d[j]),
            "reference_unit": reference_unit,
            "reference_year": reference_year,
        }
        for j, c in enumerate(data.columns)
    ]
    return pd.DataFrame(z, index=data.index, columns=data.columns), pd.DataFrame(rep)


def signed(
    data: pd.DataFrame, direction: Mapping[str, int] | pd.Series | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    r"""The values with their direction applied and no rescaling: :math:`z_{ij} = d_j x_{ij}`.

    This is the input of TOPSIS as Hwang and Yoon (1981) define it: TOPSIS normalises each
    column itself (vector normalisation :math:`r_{ij} = z_{ij} / \sqrt{\sum_i z_{ij}^2}`, config
    ``aggregate.topsis.normalisation: vector``), and with the sign of a cost indicator flipped
    its ideal (the column maximum of :math:`w_j r_{ij}`) is the smallest original value, as in
    the textbook. The values keep their units, so only TOPSIS (with ``vector`` or ``minmax``
    inside it) may aggregate them; :func:`greenindex.config.variant_config` refuses other
    combinations.

    References
    ----------
    Hwang C.L., Yoon K. (1981), *Multiple Attribute Decision Making: Methods and
    Applications*, Springer, pp. 128-134.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.MultiIndex.from_tuples([("a", 2020), ("b", 2020)], names=["unit", "year"])
    >>> x = pd.DataFrame({"speed": [2.0, 2.5], "cost": [5.5, 6.5]}, index=idx)
    >>> signed(x, {"speed": 1, "cost": -1})[0]["cost"].tolist()
    [-5.5, -6.5]
    """
    d = _direction(data, direction)
    z = pd.DataFrame(data.to_numpy(dtype=float) * d, index=data.index, columns=data.columns)
    rep = pd.DataFrame(
        {"indicator": list(data.columns), "method": "signed", "direction": d.astype(int)}
    )
    return z, rep


#: Normalisation methods by config name (``normalise.method``). Shared signature:
#: ``method(data, direction, **options) -> (z, report)``.
METHODS: dict[str, Callable[..., tuple[pd.DataFrame, pd.DataFrame]]] = {
    "minmax": minmax,
    "zscore": zscore,
    "rank": rank,
    "percentile": percentile,
    "distance": distance,
    "signed": signed,
}


def normalise(
    data: pd.DataFrame,
    direction: Mapping[str, int] | pd.Series | None = None,
    method: str = "minmax",
    **options: object,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dispatch to a method by its config name (``minmax``, ``zscore``, ``rank``,
    ``percentile``, ``distance``, ``signed``), passing ``options`` as keyword arguments.

    ``options`` may contain ``range: [low, high]`` (config form) for min-max.
    """
    if method not in METHODS:
        raise ConfigError(
            "normalise.method", f"unknown method '{method}'", f"use one of {sorted(METHODS)}."
        )
    opts = dict(options)
    if "range" in opts:
        rng = opts.pop("range")
        low, high = rng  # type: ignore[misc]
        opts["low"], opts["high"] = float(low), float(high)
    try:
        return METHODS[method](data, direction, **opts)  # type: ignore[operator]
    except TypeError as e:
        raise ConfigError(f"normalise.{method}", f"invalid option: {e}") from None
