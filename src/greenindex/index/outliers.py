"""Outliers: the treatment methods, by config name (``treat.outliers.method``).

The rule of the OECD/JRC handbook as implemented by COINr (``Treat()`` with its defaults): an
indicator passes when ``|skew| < 2`` or ``kurtosis < 3.5`` (sample skewness and excess
kurtosis of type 2, as e1071 / Excel ``SKEW``/``KURT``); otherwise the extreme value on the
skewed side is winsorised one step at a time, at most five times, and if the indicator still
fails the *original* column is log-transformed instead.

Shared signature of the methods::

    method(data, *, skew_threshold, kurt_threshold, max_points, log_fallback, scope)
        -> (treated, report)

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 3.
Becker W. et al. (2022), COINr, JOSS 7(78): ``Treat``, ``winsorise``, ``log_CT``.
Joanes D.N., Gill C.A. (1998), Comparing measures of sample skewness and kurtosis,
The Statistician 47(1) (types 1-3 of the moment estimators).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError
from greenindex.index.treat import Report, _cells, _check_panel, _empty_cells, _method_named

SCOPES = ("pooled", "year")


def skew_kurt(x: np.ndarray) -> tuple[float, float]:
    """Sample skewness and excess kurtosis of type 2 (e1071 ``type = 2``, Excel SKEW/KURT).

    .. math::
        G_1 = g_1 \\frac{\\sqrt{n(n-1)}}{n-2}, \\quad
        G_2 = \\frac{n-1}{(n-2)(n-3)}\\left((n+1) g_2 + 6\\right),

    with :math:`g_1 = m_3/m_2^{3/2}`, :math:`g_2 = m_4/m_2^2 - 3` and :math:`m_r` the central
    moments (divisor n). Missing values are ignored. Needs n >= 4 and a non-constant column;
    otherwise both are NaN (and the column is never treated).
    """
    v = x[~np.isnan(x)]
    n = v.size
    if n < 4:
        return float("nan"), float("nan")
    d = v - v.mean()
    d2 = d * d  # products, not float powers: ** 3 and ** 4 go through pow() and were the
    m2 = np.mean(d2)  # bulk of the treatment time on large panels
    if m2 == 0:
        return float("nan"), float("nan")
    g1 = np.mean(d2 * d) / m2**1.5
    g2 = np.mean(d2 * d2) / m2**2 - 3.0
    G1 = g1 * np.sqrt(n * (n - 1)) / (n - 2)
    G2 = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6.0)
    return float(G1), float(G2)


def _passes(sk: float, ku: float, skew_threshold: float, kurt_threshold: float) -> bool:
    # NaN statistics (constant or tiny columns) are never treated.
    if np.isnan(sk) or np.isnan(ku):
        return True
    return bool(abs(sk) < skew_threshold or ku < kurt_threshold)


def winsorise_log_column(
    x: np.ndarray,
    *,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    max_points: int = 5,
    log_fallback: bool = True,
) -> tuple[np.ndarray, dict[str, object]]:
    """Treat one column by the JRC/COINr rule; returns the new column and what was done.

    1. If ``|skew| < skew_threshold`` or ``kurt < kurt_threshold`` the column passes untouched.
    2. Otherwise, repeatedly (at most ``max_points`` times): on the side of the skew (the
       maximum if skew > 0, else the minimum) replace the extreme value -- all cells equal to
       it when tied -- by the next value inwards (the most extreme of the remaining cells),
       recompute skew and kurtosis, stop as soon as the column passes. ``n_steps`` counts
       these steps, ``n_winsorised`` the cells that differ from the original column.
    3. If it still fails and ``log_fallback``: discard the winsorisation and transform the
       *original* column, :math:`\\ln(x - \\min x + 0.01(\\max x - \\min x))` (COINr
       ``log_CT``). The log result is kept even if it still fails (reported as such).
    """
    sk0, ku0 = skew_kurt(x)
    info: dict[str, object] = {
        "skew_before": sk0,
        "kurt_before": ku0,
        "action": "none",
        "n_steps": 0,
        "n_winsorised": 0,
        "skew_after": sk0,
        "kurt_after": ku0,
        "passes": True,
    }
    if _passes(sk0, ku0, skew_threshold, kurt_threshold):
        return x, info
    y = x.copy()
    finite = ~np.isnan(y)
    steps = 0
    sk, ku = sk0, ku0
    passes = False
    for _ in range(int(max_points)):
        side = np.max if sk > 0 else np.min  # the extreme on the skewed side
        hit = finite & (y == side(y[finite]))
        rest = y[finite & ~hit]
        if rest.size == 0:
            break
        y[hit] = side(rest)
        steps += 1
        sk, ku = skew_kurt(y)
        passes = _passes(sk, ku, skew_threshold, kurt_threshold)
        if passes:
            break
    if passes or not log_fallback:
        info.update(
            action="winsorised",
            n_steps=steps,
            n_winsorised=int(np.sum(finite & (y != x))),
            skew_after=sk,
            kurt_after=ku,
            passes=passes,
        )
        return y, info
    lo, hi = np.nanmin(x), np.nanmax(x)
    z = np.log(x - lo + 0.01 * (hi - lo))
    sk, ku = skew_kurt(z)
    info.update(
        action="log",
        n_steps=steps,
        n_winsorised=0,
        skew_after=sk,
        kurt_after=ku,
        passes=_passes(sk, ku, skew_threshold, kurt_threshold),
    )
    return z, info


# ---------------------------------------------------------------------------------------------
# The methods
# ---------------------------------------------------------------------------------------------
def winsorise_log(
    data: pd.DataFrame,
    *,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    max_points: int = 5,
    log_fallback: bool = True,
    scope: str = "pooled",
) -> tuple[pd.DataFrame, Report]:
    """The JRC/COINr rule on every indicator (see :func:`winsorise_log_column`).

    ``scope``: ``"pooled"``: the statistics and the winsorised points are taken over all
    unit-years of an indicator (keeps years comparable); ``"year"``: each year separately.

    ``report.cells``: every changed cell (``method`` = ``winsorise`` or ``log``);
    ``report.summary``: per indicator (and year when ``scope="year"``) skew and kurtosis
    before and after, the action (none|winsorised|log), points winsorised, whether it passes.
    """
    arr = data.to_numpy(dtype=float).copy()
    if scope == "pooled":
        blocks = [("all", np.arange(len(data)))]
    else:
        yrs = data.index.get_level_values("year").to_numpy()
        blocks = [(int(y), np.flatnonzero(yrs == y)) for y in np.unique(yrs)]
    rows = []
    actions = {}
    for j, col in enumerate(data.columns):
        for label, ix in blocks:
            new, info = winsorise_log_column(
                arr[ix, j],
                skew_threshold=skew_threshold,
                kurt_threshold=kurt_threshold,
                max_points=max_points,
                log_fallback=log_fallback,
            )
            arr[ix, j] = new
            actions[col] = "log" if info["action"] == "log" else "winsorise"
            rows.append({"indicator": col, "year": label, **info})
    out = pd.DataFrame(arr, index=data.index, columns=data.columns)
    cells = _cells(data, out, "outliers", pd.Series(actions))
    summary = pd.DataFrame(rows)
    if scope == "pooled":
        summary = summary.drop(columns="year")
    return out, Report(cells=cells, summary=summary)


def none(
    data: pd.DataFrame,
    *,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    max_points: int = 5,
    log_fallback: bool = True,
    scope: str = "pooled",
) -> tuple[pd.DataFrame, Report]:
    """No outlier treatment."""
    return data, Report(cells=_empty_cells(), summary=pd.DataFrame())


#: Outlier treatments by config name (``treat.outliers.method``).
METHODS: dict[str, Callable[..., tuple[pd.DataFrame, Report]]] = {
    "none": none,
    "winsorise_log": winsorise_log,
}


def treat_outliers(
    data: pd.DataFrame,
    method: str = "none",
    *,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    max_points: int = 5,
    log_fallback: bool = True,
    scope: str = "pooled",
) -> tuple[pd.DataFrame, Report]:
    """Treat outliers with :data:`METHODS` ``[method]`` (``"none"`` or ``"winsorise_log"``)."""
    _check_panel(data)
    treat = _method_named(METHODS, method, "treat.outliers.method")
    if scope not in SCOPES:
        raise ConfigError(
            "treat.outliers.scope", f"unknown scope '{scope}'", "use 'pooled' or 'year'."
        )
    return treat(
        data,
        skew_threshold=skew_threshold,
        kurt_threshold=kurt_threshold,
        max_points=max_points,
        log_fallback=log_fallback,
        scope=scope,
    )
