"""Regional inequality of the index: Theil T, the Dagum Gini decomposition, the CV.

Every statistic is computed per cross-section (one year) on the unweighted distribution of
unit scores (each province counts once). The cross-section functions take a 1-D array; the
``*_batch`` variants take a ``(replications, n)`` array and are what the bootstrap in
:mod:`greenindex.analysis.claims` and the Monte Carlo in :mod:`greenindex.analysis.uncertainty` call; the
``*_by_year`` functions take a panel of scores and return tidy tables
``year, region, statistic, value`` (``region == "national"`` for whole-sample statistics).

Formulas
--------
Theil T with its between/within decomposition (Shorrocks 1980), with group income shares
:math:`s_k = n_k \\bar y_k / (n \\bar y)`:

.. math::
    T = \\frac1n \\sum_i \\frac{y_i}{\\bar y} \\ln \\frac{y_i}{\\bar y}
      = \\underbrace{\\sum_k s_k T_k}_{within}
      + \\underbrace{\\sum_k s_k \\ln(\\bar y_k/\\bar y)}_{between}

Dagum (1997) Gini decomposition with groups ordered by mean, :math:`p_j = n_j/n`:

.. math::
    G = \\frac{\\sum_{j,h}\\sum_{i,r} |y_{ji} - y_{hr}|}{2 n^2 \\bar y}, \\quad
    G_{jj} = \\frac{\\sum_{i,r} |y_{ji} - y_{jr}|}{2 n_j^2 \\bar y_j}, \\quad
    G_{jh} = \\frac{\\sum_{i,r} |y_{ji} - y_{hr}|}{n_j n_h (\\bar y_j + \\bar y_h)}

:math:`D_{jh} = (d_{jh} - p_{jh})/(d_{jh} + p_{jh})` for :math:`\\bar y_j \\ge \\bar y_h`, where
:math:`d_{jh}` (:math:`p_{jh}`) is the mean over pairs of :math:`\\max(y_{ji} - y_{hr}, 0)`
(:math:`\\max(y_{hr} - y_{ji}, 0)`). Then :math:`G_w = \\sum_j G_{jj} p_j s_j`,
:math:`G_{nb} = \\sum_{j>h} G_{jh}(p_j s_h + p_h s_j) D_{jh}`,
:math:`G_t = \\sum_{j>h} G_{jh}(p_j s_h + p_h s_j)(1 - D_{jh})` and
:math:`G = G_w + G_{nb} + G_t` exactly. :math:`G_{nb}` equals the Gini of the vector in which
every unit is replaced by its group mean, and :math:`G_t` the overlap term of the traditional
decomposition (Griffiths 2008); the tests use both facts as an independent check.

References
----------
Dagum C. (1997), A new approach to the decomposition of the Gini income inequality ratio,
*Empirical Economics* 22(4), 515-531.
Griffiths W. (2008), On Dagum's decomposition of the Gini coefficient, University of
Melbourne Department of Economics Research Paper 1050.
Shorrocks A. F. (1980), The class of additively decomposable inequality measures,
*Econometrica* 48(3), 613-625.
Theil H. (1967), *Economics and Information Theory*, North-Holland.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import xlogy

from greenindex.analysis.regional import NATIONAL, align_regions, as_wide
from greenindex.errors import InputError, MethodError

#: Upper bound on the elements of one (batch, n, n) pairwise-difference block (~400 MB).
_BLOCK_ELEMENTS = 50_000_000


def _codes(groups: ArrayLike, n: int) -> tuple[NDArray[np.intp], list[str]]:
    """Integer codes 0..K-1 of group labels (labels sorted) and the labels."""
    labels = np.asarray(groups).astype(str)
    if labels.shape != (n,):
        raise InputError(f"{labels.size} group labels were given for {n} values")
    uniq, codes = np.unique(labels, return_inverse=True)
    return codes.astype(np.intp), [str(u) for u in uniq]


def _check_values(y: NDArray[np.float64], what: str) -> None:
    if not np.all(np.isfinite(y)):
        raise InputError(f"{what}: the values contain NaN or infinity")
    if np.any(y < 0):
        raise MethodError(
            f"{what} needs non-negative values, but the scores have negative values "
            f"(minimum {np.min(y):.4g}), e.g. after z-score normalisation. Use a bounded "
            "normalisation (min-max, rank) for the index, or analyse a shifted index."
        )
    if np.any(y.sum(axis=-1) <= 0):
        raise MethodError(f"{what} needs a positive mean, but all scores are zero")


def _membership(codes: NDArray[np.intp], k: int) -> NDArray[np.float64]:
    m = np.zeros((codes.size, k))
    m[np.arange(codes.size), codes] = 1.0
    return m


# -- coefficient of variation -------------------------------------------------------------
def cv(y: ArrayLike, ddof: int = 0) -> float:
    """Coefficient of variation :math:`CV = s / \\bar y`.

    Parameters
    ----------
    y
        Values of one cross-section.
    ddof
        Delta degrees of freedom of the standard deviation: 0 (population, default) or 1.

    Examples
    --------
    >>> round(cv([1.0, 3.0]), 6)
    0.5
    """
    arr = np.asarray(y, dtype=float)
    if arr.size <= ddof:
        raise MethodError(f"the CV needs more than {ddof} value(s), got {arr.size}")
    mean = arr.mean()
    if mean == 0:
        raise MethodError("the coefficient of variation is undefined for a zero mean")
    return float(arr.std(ddof=ddof) / mean)


# -- Theil ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TheilResult:
    """Theil T of one cross-section and its between/within decomposition.

    Attributes
    ----------
    T, within, between
        Total, within-group and between-group parts (``T == within + between``).
    within_share, between_share
        ``within / T`` and ``between / T``.
    groups
        One row per group (sorted by label): ``n``, ``mean``, ``income_share`` (``s_k``),
        ``T_k`` (Theil T inside the group) and ``contribution`` (``s_k T_k``).
    """

    T: float
    within: float
    between: float
    within_share: float
    between_share: float
    groups: pd.DataFrame


def theil_batch(
    y: ArrayLike, groups: ArrayLike | None = None
) -> dict[str, NDArray[np.float64] | list[str]]:
    """Theil T and its decomposition for many replications at once.

    Parameters
    ----------
    y
        Array ``(..., n)``: each row one cross-section of the same ``n`` units.
    groups
        ``n`` group labels (shared by all rows); ``None`` for one group.

    Returns
    -------
    dict
        ``T``, ``within``, ``between`` (shape ``(...)``), ``T_k``, ``mean_k``, ``s_k``
        (shape ``(..., K)``) and ``labels`` (the K group labels, sorted).
    """
    arr = np.asarray(y, dtype=float)
    n = arr.shape[-1]
    _check_values(arr, "the Theil index")
    codes, labels = _codes(np.zeros(n, dtype=int) if groups is None else groups, n)
    k = len(labels)
    m = _membership(codes, k)
    n_k = m.sum(axis=0)
    mean = arr.mean(axis=-1, keepdims=True)
    total = np.mean(xlogy(arr / mean, arr / mean), axis=-1)
    mean_k = (arr @ m) / n_k
    # A group whose scores are all zero has income share 0: it contributes nothing to
    # either part (limit s ln s -> 0), and its own T_k is set to 0 (no spread inside it).
    safe = np.where(mean_k > 0, mean_k, 1.0)
    r_k = arr / safe[..., codes]
    t_k = (xlogy(r_k, r_k) @ m) / n_k
    s_k = n_k * mean_k / (n * mean)
    within = np.sum(s_k * t_k, axis=-1)
    between = np.sum(xlogy(s_k, safe / mean), axis=-1)
    return {
        "T": total,
        "within": within,
        "between": between,
        "T_k": t_k,
        "mean_k": mean_k,
        "s_k": s_k,
        "labels": labels,
    }


def theil(y: ArrayLike, groups: ArrayLike | None = None) -> TheilResult:
    """Theil T of one cross-section with its between/within-group decomposition.

    Parameters
    ----------
    y
        Non-negative values, one per unit (zeros contribute ``0 ln 0 = 0``).
    groups
        Group label per unit; ``None`` puts all units in one group.

    Returns
    -------
    TheilResult

    Examples
    --------
    Two groups {0, 0, 0} and {10, 10, 10}: all inequality is between groups and equals ln 2.

    >>> r = theil([0, 0, 0, 10, 10, 10], ["a", "a", "a", "b", "b", "b"])
    >>> round(r.T, 6), round(r.between, 6), round(r.within, 6)
    (0.693147, 0.693147, 0.0)
    """
    arr = np.asarray(y, dtype=float)
    out = theil_batch(arr, groups)
    labels = list(out["labels"])
    codes, _ = _codes(np.zeros(arr.size, dtype=int) if groups is None else groups, arr.size)
    total = float(out["T"])
    within = float(out["within"])
    between = float(out["between"])
    table = pd.DataFrame(
        {
            "n": np.bincount(codes, minlength=len(labels)),
            "mean": out["mean_k"],
            "income_share": out["s_k"],
            "T_k": out["T_k"],
            "contribution": out["s_k"] * out["T_k"],
        },
        index=pd.Index(labels, name="region"),
    )
    return TheilResult(
        T=total,
        within=within,
        between=between,
        within_share=within / total if total > 0 else 0.0,
        between_share=between / total if total > 0 else 0.0,
        groups=table,
    )


# -- Dagum Gini -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DagumResult:
    """Dagum (1997) decomposition of the Gini coefficient of one cross-section.

    Attributes
    ----------
    G, G_w, G_nb, G_t
        Total Gini, within-group, net between-group and transvariation contributions
        (``G == G_w + G_nb + G_t``).
    share_w, share_nb, share_t
        The three contributions as shares of ``G``.
    groups
        One row per group, ordered by mean (highest first): ``n``, ``mean``, ``p`` (population
        share ``n_j/n``), ``s`` (income share), ``G_jj`` and ``contribution``
        (``G_jj p_j s_j``).
    pairs
        One row per pair of groups ``(region_j, region_h)`` with ``mean_j >= mean_h``:
        ``G_jh``, ``d_jh``, ``p_jh``, ``D_jh``, ``weight`` (``p_j s_h + p_h s_j``) and the pair's
        contributions ``G_nb_jh`` and ``G_t_jh``.
    """

    G: float
    G_w: float
    G_nb: float
    G_t: float
    share_w: float
    share_nb: float
    share_t: float
    groups: pd.DataFrame
    pairs: pd.DataFrame


def _pair_sums(arr: NDArray[np.float64], m: NDArray[np.float64]) -> NDArray[np.float64]:
    """S_jh = sum over i in j, r in h of |y_i - y_r|, for a (R, n) batch -> (R, K, K)."""
    r, n = arr.shape
    step = max(1, _BLOCK_ELEMENTS // max(1, n * n))
    out = np.empty((r, m.shape[1], m.shape[1]))
    for start in range(0, r, step):
        block = arr[start : start + step]
        diff = np.abs(block[:, :, None] - block[:, None, :])
        out[start : start + step] = np.einsum("ik,bij,jl->bkl", m, diff, m, optimize=True)
    return out


def dagum_gini_batch(y: ArrayLike, groups: ArrayLike) -> dict[str, NDArray[np.float64] | list[str]]:
    """Dagum Gini decomposition for many replications at once (vectorised).

    Parameters
    ----------
    y
        Array ``(n,)`` or ``(R, n)``: each row one cross-section of the same ``n`` units.
    groups
        ``n`` group labels shared by all rows.

    Returns
    -------
    dict
        ``G``, ``G_w``, ``G_nb``, ``G_t`` (shape ``(R,)``); ``mean`` and ``G_jj``
        (``(R, K)``); ``G_jh``, ``D_jh``, ``d_jh``, ``p_jh`` (``(R, K, K)``, symmetric in
        ``G_jh``; ``D_jh``, ``d_jh`` and ``p_jh`` are given with the higher-mean group
        first, so the matrices are symmetric too; the diagonal holds ``G_jj`` for ``G_jh``
        and 0 elsewhere); ``labels`` (K group labels, sorted, not by mean).

    Notes
    -----
    Uses :math:`d_{jh} - p_{jh} = \\bar y_j - \\bar y_h` and
    :math:`d_{jh} + p_{jh} = S_{jh}/(n_j n_h)` with :math:`S_{jh}` the sum of absolute pair
    differences, so :math:`D_{jh} = |\\bar y_j - \\bar y_h| n_j n_h / S_{jh}` needs no
    ordering of groups. Cost O(R n^2); R = 1000, n = 31 takes a few milliseconds.
    """
    arr = np.atleast_2d(np.asarray(y, dtype=float))
    n = arr.shape[-1]
    _check_values(arr, "the Gini coefficient")
    codes, labels = _codes(groups, n)
    k = len(labels)
    m = _membership(codes, k)
    n_k = m.sum(axis=0)
    p_k = n_k / n
    mean = arr.mean(axis=-1)
    mean_k = (arr @ m) / n_k
    if np.any(mean_k <= 0):
        raise MethodError(
            "the Dagum decomposition needs a positive mean in every group, but a group has "
            "only zero scores"
        )
    s_k = n_k * mean_k / (n * mean[:, None])
    pair_sum = _pair_sums(arr, m)
    nn = n_k[:, None] * n_k[None, :]
    g_total = pair_sum.sum(axis=(1, 2)) / (2 * n * n * mean)
    diag = np.diagonal(pair_sum, axis1=1, axis2=2)
    g_jj = diag / (2 * n_k**2 * mean_k)
    g_jh = pair_sum / (nn * (mean_k[:, :, None] + mean_k[:, None, :]))
    gap = np.abs(mean_k[:, :, None] - mean_k[:, None, :]) * nn
    d_jh = np.divide(gap, pair_sum, out=np.zeros_like(pair_sum), where=pair_sum > 0)
    offdiag = ~np.eye(k, dtype=bool)
    d_jh = np.where(offdiag, d_jh, 0.0)
    dpos = (pair_sum / nn + gap / nn) / 2  # mean positive difference, higher-mean group first
    dneg = (pair_sum / nn - gap / nn) / 2
    weight = p_k[None, :, None] * s_k[:, None, :] + p_k[None, None, :] * s_k[:, :, None]
    upper = np.triu(offdiag)
    g_w = np.sum(g_jj * p_k * s_k, axis=-1)
    g_nb = np.sum(np.where(upper, g_jh * weight * d_jh, 0.0), axis=(1, 2))
    g_t = np.sum(np.where(upper, g_jh * weight * (1 - d_jh), 0.0), axis=(1, 2))
    return {
        "G": g_total,
        "G_w": g_w,
        "G_nb": g_nb,
        "G_t": g_t,
        "mean": mean_k,
        "G_jj": g_jj,
        "G_jh": g_jh,
        "D_jh": d_jh,
        "d_jh": np.where(offdiag, dpos, 0.0),
        "p_jh": np.where(offdiag, dneg, 0.0),
        "labels": labels,
    }


def dagum_gini(y: ArrayLike, groups: ArrayLike) -> DagumResult:
    """Dagum (1997) decomposition of the Gini coefficient of one cross-section.

    Parameters
    ----------
    y
        Non-negative values, one per unit.
    groups
        Group label per unit (at least one group).

    Returns
    -------
    DagumResult

    Examples
    --------
    Groups {1, 3} and {5, 7} do not overlap, so the transvariation term is zero:
    G = 40 / (2 * 4^2 * 4) = 0.3125, G_w = 0.25 * 0.5 * 0.25 + (1/12) * 0.5 * 0.75 = 0.0625.

    >>> r = dagum_gini([1, 3, 5, 7], ["a", "a", "b", "b"])
    >>> round(r.G, 6), round(r.G_w, 6), round(r.G_nb, 6), round(r.G_t, 6)
    (0.3125, 0.0625, 0.25, 0.0)
    """
    arr = np.asarray(y, dtype=float)
    out = dagum_gini_batch(arr, groups)
    labels = list(out["labels"])
    codes, _ = _codes(groups, arr.size)
    n_k = np.bincount(codes, minlength=len(labels))
    mean_k = out["mean"][0]
    order = sorted(range(len(labels)), key=lambda j: (-mean_k[j], labels[j]))
    p_k = n_k / arr.size
    s_k = n_k * mean_k / (arr.size * arr.mean())
    g_jj = out["G_jj"][0]
    groups_table = pd.DataFrame(
        {
            "n": n_k[order],
            "mean": mean_k[order],
            "p": p_k[order],
            "s": s_k[order],
            "G_jj": g_jj[order],
            "contribution": (g_jj * p_k * s_k)[order],
        },
        index=pd.Index([labels[j] for j in order], name="region"),
    )
    rows = []
    for a, j in enumerate(order):
        for h in order[a + 1 :]:
            g = out["G_jh"][0, j, h]
            dd = out["D_jh"][0, j, h]
            w = p_k[j] * s_k[h] + p_k[h] * s_k[j]
            rows.append(
                {
                    "region_j": labels[j],
                    "region_h": labels[h],
                    "G_jh": g,
                    "d_jh": out["d_jh"][0, j, h],
                    "p_jh": out["p_jh"][0, j, h],
                    "D_jh": dd,
                    "weight": w,
                    "G_nb_jh": g * w * dd,
                    "G_t_jh": g * w * (1 - dd),
                }
            )
    pairs = pd.DataFrame(
        rows,
        columns=[
            "region_j",
            "region_h",
            "G_jh",
            "d_jh",
            "p_jh",
            "D_jh",
            "weight",
            "G_nb_jh",
            "G_t_jh",
        ],
    )
    g = float(out["G"][0])
    g_w, g_nb, g_t = float(out["G_w"][0]), float(out["G_nb"][0]), float(out["G_t"][0])

    def share(x: float) -> float:
        return x / g if g > 0 else 0.0

    return DagumResult(
        G=g,
        G_w=g_w,
        G_nb=g_nb,
        G_t=g_t,
        share_w=share(g_w),
        share_nb=share(g_nb),
        share_t=share(g_t),
        groups=groups_table,
        pairs=pairs,
    )


# -- panels -------------------------------------------------------------------------------------
def _long(rows: list[dict[str, object]], keys: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*keys, "statistic", "value"])
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    return frame


def _panel(
    scores: pd.Series | pd.DataFrame, regions: pd.Series | None, column: str
) -> tuple[pd.DataFrame, pd.Series]:
    wide = as_wide(scores, column)
    return wide, align_regions(wide.index, regions)


def theil_by_year(
    scores: pd.Series | pd.DataFrame, regions: pd.Series | None, column: str = "index"
) -> pd.DataFrame:
    """Theil T decomposition per year, as a tidy table.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, region, statistic, value``. ``region == "national"``: statistics
        ``T``, ``within``, ``between``, ``within_share``, ``between_share``; one block per
        region: ``n``, ``mean``, ``income_share``, ``T_k``, ``contribution``.
    """
    wide, reg = _panel(scores, regions, column)
    rows: list[dict[str, object]] = []
    for year in wide.columns:
        r = theil(wide[year].to_numpy(), reg.to_numpy())
        for stat in ("T", "within", "between", "within_share", "between_share"):
            rows.append(
                {"year": year, "region": NATIONAL, "statistic": stat, "value": getattr(r, stat)}
            )
        for region, g in r.groups.iterrows():
            for stat in ("n", "mean", "income_share", "T_k", "contribution"):
                rows.append({"year": year, "region": region, "statistic": stat, "value": g[stat]})
    return _long(rows, ["year", "region"])


def dagum_by_year(
    scores: pd.Series | pd.DataFrame, regions: pd.Series, column: str = "index"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dagum Gini decomposition per year, as two tidy tables.

    Returns
    -------
    totals : pandas.DataFrame
        ``year, region, statistic, value``; ``region == "national"``: ``G``, ``G_w``,
        ``G_nb``, ``G_t``, ``share_w``, ``share_nb``, ``share_t``; per region: ``n``,
        ``mean``, ``G_jj``, ``contribution``.
    pairs : pandas.DataFrame
        ``year, region_j, region_h, statistic, value`` with ``region_j`` the higher-mean
        group of the year; statistics ``G_jh``, ``d_jh``, ``p_jh``, ``D_jh``, ``weight``,
        ``G_nb_jh``, ``G_t_jh``.
    """
    wide, reg = _panel(scores, regions, column)
    rows: list[dict[str, object]] = []
    pair_rows: list[dict[str, object]] = []
    for year in wide.columns:
        r = dagum_gini(wide[year].to_numpy(), reg.to_numpy())
        for stat in ("G", "G_w", "G_nb", "G_t", "share_w", "share_nb", "share_t"):
            rows.append(
                {"year": year, "region": NATIONAL, "statistic": stat, "value": getattr(r, stat)}
            )
        for region, g in r.groups.iterrows():
            for stat in ("n", "mean", "G_jj", "contribution"):
                rows.append({"year": year, "region": region, "statistic": stat, "value": g[stat]})
        for _, p in r.pairs.iterrows():
            for stat in ("G_jh", "d_jh", "p_jh", "D_jh", "weight", "G_nb_jh", "G_t_jh"):
                pair_rows.append(
                    {
                        "year": year,
                        "region_j": p["region_j"],
                        "region_h": p["region_h"],
                        "statistic": stat,
                        "value": p[stat],
                    }
                )
    return _long(rows, ["year", "region"]), _long(pair_rows, ["year", "region_j", "region_h"])


def cv_by_year(
    scores: pd.Series | pd.DataFrame,
    regions: pd.Series | None,
    column: str = "index",
    ddof: int = 0,
) -> pd.DataFrame:
    """Mean, standard deviation and coefficient of variation per year, national and per region.

    Returns
    -------
    pandas.DataFrame
        ``year, region, statistic, value`` with statistics ``n``, ``mean``, ``sd``, ``cv``.
    """
    wide, reg = _panel(scores, regions, column)
    rows: list[dict[str, object]] = []
    blocks = [(NATIONAL, wide)] + [
        (region, wide.loc[reg.index[reg == region]]) for region in sorted(reg.unique())
    ]
    for region, block in blocks:
        for year in wide.columns:
            values = block[year].to_numpy()
            sd = values.std(ddof=ddof) if values.size > ddof else 0.0
            rows.append({"year": year, "region": region, "statistic": "n", "value": values.size})
            rows.append(
                {"year": year, "region": region, "statistic": "mean", "value": values.mean()}
            )
            rows.append({"year": year, "region": region, "statistic": "sd", "value": sd})
            rows.append(
                {"year": year, "region": region, "statistic": "cv", "value": cv(values, ddof)}
            )
    out = _long(rows, ["year", "region"])
    return out.sort_values(["region", "year", "statistic"], kind="stable").reset_index(drop=True)
