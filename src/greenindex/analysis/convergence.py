"""Dynamics of the regional distribution: sigma- and beta-convergence, kernel densities.

Sigma-convergence: the dispersion of the index falls over time. Per year, nationally and per
region, :math:`CV_t = s_t / \\bar y_t` and :math:`\\sigma_t = sd(\\ln y_{it})` (population
standard deviation by default, ``ddof=0``); :func:`sigma_trend` fits a linear trend to each
series (a negative slope is sigma-convergence).

Absolute beta-convergence (Barro and Sala-i-Martin 1992): units with a low level grow faster.

- ``method="pooled"`` (default, docs/methods.md 5): pooled OLS over all consecutive year pairs,
  :math:`\\ln(y_{i,t+k}/y_{it})/k = \\alpha + \\beta \\ln y_{it} + \\varepsilon`, speed
  :math:`\\lambda = -\\ln(1+\\beta)`, half-life :math:`\\ln 2/\\lambda`;
- ``method="cross_section"``: one observation per unit over the window of length ``T``,
  :math:`\\ln(y_{iT}/y_{i0})/T = \\alpha + \\beta \\ln y_{i0}`, speed
  :math:`\\lambda = -\\ln(1+\\beta T)/T`.

Kernel density per year with a Gaussian kernel and Silverman's rule of thumb
:math:`h = 0.9 \\min(s, IQR/1.349) n^{-1/5}` (Silverman 1986, eq. 3.31; ``s`` with
``ddof=1``, IQR with linear interpolation of quantiles). This is *not* scipy's
``bw_method="silverman"``, which is :math:`(n(d+2)/4)^{-1/(d+4)} s` without the 0.9 and
the IQR.

References
----------
Barro R. J., Sala-i-Martin X. (1992), Convergence, *Journal of Political Economy* 100(2),
223-251.
Silverman B. W. (1986), *Density Estimation for Statistics and Data Analysis*, Chapman & Hall.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from greenindex.analysis.regional import NATIONAL, align_regions, as_wide
from greenindex.errors import MethodError


def _stats() -> ModuleType:
    """scipy.stats, imported when a trend is fitted: it takes about 0.4 s to import, which
    the figure jobs (that only need :func:`index_support` from here) would pay otherwise."""
    from scipy import stats

    return stats


#: Names accepted for the ``bandwidth`` argument of :func:`kernel_density`.
BANDWIDTHS = ("silverman_rot",)

#: Names accepted for the ``method`` argument of :func:`beta_convergence`.
BETA_METHODS = ("pooled", "cross_section")


def _blocks(wide: pd.DataFrame, regions: pd.Series | None) -> list[tuple[str, pd.DataFrame]]:
    """The rows of ``wide`` as ``(region, block)`` pairs: the whole panel (``national``) first,
    then, if ``regions`` is given, each region's units (regions sorted)."""
    out = [(NATIONAL, wide)]
    if regions is not None:
        reg = align_regions(wide.index, regions)
        out += [(r, wide.loc[reg.index[reg == r]]) for r in sorted(reg.unique()) if r != NATIONAL]
    return out


def _require_positive(wide: pd.DataFrame, what: str) -> None:
    if (wide.to_numpy() <= 0).any():
        bad = wide.stack()
        bad = bad[bad <= 0]
        pairs = ", ".join(f"{u}/{y}" for u, y in bad.index[:10])
        raise MethodError(
            f"{what} takes logarithms, but {len(bad)} scores are zero or negative ({pairs}). "
            "Use an index with strictly positive values (e.g. min-max normalisation onto "
            "[1, 100] or a TOPSIS closeness) or analyse the CV instead."
        )


# -- sigma -----------------------------------------------------------------------------------
def sigma_convergence(
    scores: pd.Series | pd.DataFrame,
    regions: pd.Series | None = None,
    column: str = "index",
    ddof: int = 0,
) -> pd.DataFrame:
    """Sigma-convergence series: CV and SD of log scores per year, national and per region.

    Parameters
    ----------
    scores
        Panel of scores (see :func:`greenindex.analysis.regional.as_wide`).
    regions
        Series ``unit -> region``; ``None`` for national statistics only.
    column
        Node analysed.
    ddof
        Delta degrees of freedom of both standard deviations (0 = population).

    Returns
    -------
    pandas.DataFrame
        ``year, region, statistic, value`` with statistics ``n``, ``cv``, ``sd_log``.
    """
    wide = as_wide(scores, column)
    _require_positive(wide, "sigma-convergence (SD of ln y)")
    frames = []
    for region, block in _blocks(wide, regions):
        n = len(block)
        if n <= ddof:
            raise MethodError(
                f"region '{region}' has {n} unit(s): too few for a standard deviation with "
                f"ddof={ddof}"
            )
        vals = block.to_numpy()
        cv = vals.std(axis=0, ddof=ddof) / vals.mean(axis=0)
        sd_log = np.log(vals).std(axis=0, ddof=ddof)
        for stat, v in (
            ("n", np.full(wide.shape[1], n, dtype=float)),
            ("cv", cv),
            ("sd_log", sd_log),
        ):
            frames.append(
                pd.DataFrame(
                    {"year": wide.columns, "region": region, "statistic": stat, "value": v}
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out


def sigma_trend(sigma: pd.DataFrame) -> pd.DataFrame:
    """Linear time trend of each sigma series (OLS of the statistic on the year).

    Parameters
    ----------
    sigma
        Output of :func:`sigma_convergence`.

    Returns
    -------
    pandas.DataFrame
        ``region, statistic, slope, se, p, first, last, change``; a negative slope (and
        ``last < first``) indicates sigma-convergence. ``se``/``p`` are NaN with two years.
    """
    rows = []
    for (region, stat), g in sigma[sigma["statistic"] != "n"].groupby(
        ["region", "statistic"], sort=True
    ):
        g = g.sort_values("year")
        x, y = g["year"].to_numpy(float), g["value"].to_numpy(float)
        if len(x) < 2:
            raise MethodError("a sigma trend needs at least two years")
        fit = _stats().linregress(x, y)
        se, p = (fit.stderr, fit.pvalue) if len(x) > 2 else (np.nan, np.nan)
        rows.append(
            {
                "region": region,
                "statistic": stat,
                "slope": fit.slope,
                "se": se,
                "p": p,
                "first": y[0],
                "last": y[-1],
                "change": y[-1] - y[0],
            }
        )
    return pd.DataFrame(rows)


# -- beta ------------------------------------------------------------------------------------
def _ols(x: NDArray[np.float64], y: NDArray[np.float64]) -> dict[str, float]:
    """Simple OLS y = a + b x with the classical standard error of b."""
    n = x.size
    if n < 3:
        raise MethodError(f"beta-convergence needs at least 3 observations, got {n}")
    xc = x - x.mean()
    sxx = float(xc @ xc)
    if sxx == 0:
        raise MethodError("beta-convergence: all initial levels are equal, the slope is undefined")
    b = float(xc @ (y - y.mean())) / sxx
    a = float(y.mean() - b * x.mean())
    resid = y - a - b * x
    df = n - 2
    s2 = float(resid @ resid) / df
    se = np.sqrt(s2 / sxx)
    t = b / se if se > 0 else np.copysign(np.inf, b) if b != 0 else 0.0
    p = float(2 * _stats().t.sf(abs(t), df)) if np.isfinite(t) else 0.0
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = 1 - float(resid @ resid) / tss if tss > 0 else np.nan
    return {"alpha": a, "beta": b, "se": float(se), "t": float(t), "p": p, "r2": r2}


def _beta_data(
    block: pd.DataFrame, method: str
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Regressor ln y_t, annualised log growth, and the horizon used for the speed."""
    years = block.columns.to_numpy(dtype=int)
    logs = np.log(block.to_numpy())
    if method == "pooled":
        gaps = np.diff(years).astype(float)
        growth = np.diff(logs, axis=1) / gaps
        return logs[:, :-1].ravel(), growth.ravel(), 1.0
    horizon = float(years[-1] - years[0])
    return logs[:, 0], (logs[:, -1] - logs[:, 0]) / horizon, horizon


def beta_convergence(
    scores: pd.Series | pd.DataFrame,
    regions: pd.Series | None = None,
    column: str = "index",
    method: str = "pooled",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Absolute beta-convergence, nationally and (if ``regions``) per region.

    Parameters
    ----------
    scores
        Panel of strictly positive scores with at least two years.
    regions
        Series ``unit -> region``; ``None`` for the national regression only.
    column
        Node analysed.
    method
        ``"pooled"`` (consecutive year pairs, growth annualised by the gap) or
        ``"cross_section"`` (first to last year).
    alpha
        Significance level for the ``converges`` flag (``beta < 0`` and ``p < alpha``).

    Returns
    -------
    pandas.DataFrame
        One row per region (``national`` first): ``region, method, n_units, n_obs, alpha,
        beta, se, t, p, r2, speed, half_life, converges, note``. ``speed`` and
        ``half_life`` are NaN, with the reason in ``note``, when there is no convergence
        (``beta >= 0``) or the pooled ``beta <= -1`` (``ln(1 + beta)`` undefined).
    """
    if method not in BETA_METHODS:
        raise MethodError(f"unknown beta-convergence method '{method}'; use one of {BETA_METHODS}")
    wide = as_wide(scores, column)
    if wide.shape[1] < 2:
        raise MethodError("beta-convergence needs at least two years of scores")
    _require_positive(wide, "beta-convergence")
    rows = []
    for region, block in _blocks(wide, regions):
        x, y, horizon = _beta_data(block, method)
        fit = _ols(x, y)
        b = fit["beta"]
        arg = 1 + b * horizon
        note = ""
        if b >= 0:
            speed = half = np.nan
            note = "no convergence (beta >= 0): speed and half-life undefined"
        elif arg <= 0:
            speed = half = np.nan
            note = "beta * horizon <= -1: ln(1 + beta * horizon) undefined"
        else:
            speed = -np.log(arg) / horizon
            half = np.log(2) / speed
        rows.append(
            {
                "region": region,
                "method": method,
                "n_units": len(block),
                "n_obs": x.size,
                **fit,
                "speed": speed,
                "half_life": half,
                "converges": bool(b < 0 and fit["p"] < alpha),
                "note": note,
            }
        )
    return pd.DataFrame(rows)


# -- kernel density --------------------------------------------------------------------------
def silverman_bandwidth(y: ArrayLike) -> float:
    """Silverman's rule of thumb :math:`h = 0.9 \\min(s, IQR/1.349) n^{-1/5}`.

    ``s`` is the sample standard deviation (``ddof=1``); when the IQR is zero the rule falls
    back to ``s`` (Silverman 1986, section 3.4.2).

    Examples
    --------
    For 1..5, s = 1.5811 and IQR/1.349 = 2/1.349 = 1.4826, so h = 0.9 * 1.4826 * 5^(-1/5):

    >>> round(silverman_bandwidth([1.0, 2.0, 3.0, 4.0, 5.0]), 6)
    0.967089
    """
    arr = np.asarray(y, dtype=float)
    if arr.size < 2:
        raise MethodError(f"a kernel density needs at least 2 values, got {arr.size}")
    sd = arr.std(ddof=1)
    q75, q25 = np.percentile(arr, [75, 25])
    iqr = (q75 - q25) / 1.349
    spread = min(sd, iqr) if iqr > 0 else sd
    if spread <= 0:
        raise MethodError("a kernel density is undefined when all values are equal")
    return float(0.9 * spread * arr.size ** (-0.2))


def _kde(
    values: NDArray[np.float64],
    grid: NDArray[np.float64],
    h: float,
    support: tuple[float, float] | None = None,
) -> NDArray[np.float64]:
    """Gaussian kernel density; with ``support = (a, b)`` the data are reflected at both
    bounds (values ``2a - y`` and ``2b - y`` added), which keeps the whole mass in [a, b]."""
    v = values[np.isfinite(values)]
    n = v.size
    if support is not None:
        a, b = support
        v = np.concatenate([v, 2 * a - v, 2 * b - v])
    u = (grid[:, None] - v[None, :]) / h
    return np.exp(-0.5 * u**2).sum(axis=1) / (n * h * np.sqrt(2 * np.pi))


def index_support(
    methods: Mapping[str, Any], boundary: str = "reflection", support: Sequence[float] | None = None
) -> tuple[float, float] | None:
    """Bounds of the index for the kernel density's reflection, from the method choices.

    ``support`` given: used as it is. Otherwise min-max normalisation bounds the indicators
    and so any weighted mean of them to ``normalise.range``; TOPSIS closeness lies in [0, 1].
    Other normalisations (z-scores, distances) have no fixed bounds: ``None`` (no
    correction). ``boundary="none"`` always gives ``None``.

    >>> index_support({"normalise": {"method": "minmax", "range": [0, 100]}, "aggregate": {"method": "arithmetic"}})
    (0.0, 100.0)
    >>> index_support({"normalise": {"method": "zscore"}, "aggregate": {"method": "topsis"}})
    (0.0, 1.0)
    """
    if boundary == "none":
        return None
    if boundary != "reflection":
        raise MethodError(
            f"unknown kernel density boundary correction '{boundary}'; use reflection or none"
        )
    if support is not None:
        lo, hi = support
        return (float(lo), float(hi))
    agg = methods.get("aggregate", {}).get("method")
    if agg == "topsis":
        return (0.0, 1.0)
    norm = methods.get("normalise", {})
    if norm.get("method") == "minmax" and isinstance(agg, str):
        lo, hi = norm.get("range", [0, 100])
        return (float(lo), float(hi))
    return None


def kernel_density(
    scores: pd.Series | pd.DataFrame,
    regions: pd.Series | None = None,
    column: str = "index",
    grid: int | Sequence[float] = 200,
    bandwidth: str | float = "silverman_rot",
    support: tuple[float, float] | Sequence[float] | None = None,
) -> pd.DataFrame:
    """Gaussian kernel density of the scores per year, nationally and per region.

    :math:`\\hat f(x) = \\frac{1}{n h} \\sum_i \\phi((x - y_i)/h)`.

    With a ``support`` :math:`[a, b]` (a bounded index, e.g. min-max scores in [0, 100]) the
    plain estimate puts mass outside the possible range and underestimates the density near
    the bounds. The reflection estimator (Silverman 1986, *Density Estimation for Statistics
    and Data Analysis*, section 3.10; Schuster 1985, *Commun. Stat. Theory Methods* 14,
    1123-1136) adds the mirror images of the data at both bounds,
    :math:`\\hat f(x) = \\frac{1}{n h} \\sum_i [\\phi(\\tfrac{x - y_i}{h}) + \\phi(\\tfrac{x + y_i - 2a}{h})
    + \\phi(\\tfrac{x + y_i - 2b}{h})]` for :math:`a \\le x \\le b`, and the grid spans [a, b]:
    the curve integrates to one over the support and has zero slope at the bounds.

    Parameters
    ----------
    scores
        Panel of scores.
    regions
        Series ``unit -> region``; ``None`` for national densities only.
    column
        Node analysed.
    grid
        Evaluation points, or their number: an equally spaced grid shared by all years and
        regions from ``min - 3 h_max`` to ``max + 3 h_max`` over the whole panel, so that the
        curves of different years can be overlaid.
    bandwidth
        ``"silverman_rot"`` (per year and region, see :func:`silverman_bandwidth`) or a
        positive number used everywhere.
    support
        ``(low, high)`` bounds of the index for the reflection correction, or ``None`` (no
        correction; the grid runs 3 bandwidths beyond the data).

    Returns
    -------
    pandas.DataFrame
        ``year, region, x, density, bandwidth``.
    """
    wide = as_wide(scores, column)
    blocks = _blocks(wide, regions)
    hs = _bandwidths(wide, blocks, bandwidth)
    bounds = _support_bounds(wide, support)
    points = _grid_points(wide, grid, bounds, hs)
    frames = []
    for region, block in blocks:
        for year in wide.columns:
            h = hs[(region, year)]
            frames.append(
                pd.DataFrame(
                    {
                        "year": year,
                        "region": region,
                        "x": points,
                        "density": _kde(block[year].to_numpy(), points, h, bounds),
                        "bandwidth": h,
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out


def _bandwidths(
    wide: pd.DataFrame, blocks: list[tuple[str, pd.DataFrame]], bandwidth: str | float
) -> dict[tuple[str, Any], float]:
    """The bandwidth of each ``(region, year)``: by the named rule or the one number given."""
    if isinstance(bandwidth, str):
        if bandwidth not in BANDWIDTHS:
            raise MethodError(
                f"unknown bandwidth rule '{bandwidth}'; use one of {BANDWIDTHS} or a number"
            )
        return {
            (r, yr): silverman_bandwidth(b[yr].to_numpy()) for r, b in blocks for yr in wide.columns
        }
    h = float(bandwidth)
    if not h > 0:
        raise MethodError(f"the kernel bandwidth must be positive, got {bandwidth}")
    return {(r, yr): h for r, _ in blocks for yr in wide.columns}


def _support_bounds(
    wide: pd.DataFrame, support: tuple[float, float] | Sequence[float] | None
) -> tuple[float, float] | None:
    """``support`` as ``(low, high)``, checked to be ordered and to contain every score."""
    if support is None:
        return None
    lo, hi = (float(v) for v in support)
    data = wide.to_numpy()
    if not hi > lo:
        raise MethodError(f"the density support needs low < high, got {list(support)}")
    if np.nanmin(data) < lo - 1e-9 or np.nanmax(data) > hi + 1e-9:
        raise MethodError(
            f"scores outside the density support [{lo}, {hi}] "
            f"(range {np.nanmin(data):.4g} to {np.nanmax(data):.4g}); set disparity.kde_support "
            "to the index's bounds or disparity.kde_boundary to none"
        )
    return (lo, hi)


def _grid_points(
    wide: pd.DataFrame,
    grid: int | Sequence[float],
    bounds: tuple[float, float] | None,
    hs: Mapping[tuple[str, Any], float],
) -> NDArray[np.float64]:
    """The evaluation points: ``grid`` itself, or that many points spanning the support, or
    (no support) the panel's range widened on each side by 3 times the largest bandwidth
    ``hs``."""
    if not isinstance(grid, int | np.integer):
        return np.asarray(grid, dtype=float)
    if grid < 2:
        raise MethodError(f"the density grid needs at least 2 points, got {grid}")
    if bounds is not None:
        return np.linspace(bounds[0], bounds[1], int(grid))
    pad = 3 * max(hs.values())
    return np.linspace(wide.to_numpy().min() - pad, wide.to_numpy().max() + pad, int(grid))
