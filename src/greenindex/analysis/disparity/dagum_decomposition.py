"""Dagum (1997) decomposition of the Gini coefficient of one cross-section, with groups
ordered by mean, :math:`p_j = n_j/n`:

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

The values must be non-negative with a positive overall mean. A group whose values are all
zero has no spread inside it, so its :math:`G_{jj}` is taken as 0 (as :math:`T_k` in the Theil
index); with :math:`s_j = 0` it adds nothing to :math:`G_w`, the identity above still holds,
and each term is the limit of the same group's values shrunk towards zero. (Such a group
arises, for example, in a bootstrap draw of only the worst unit of a region.)

References
----------
Dagum C. (1997), A new approach to the decomposition of the Gini income inequality ratio,
*Empirical Economics* 22(4), 515-531.
Griffiths W. (2008), On Dagum's decomposition of the Gini coefficient, University of
Melbourne Department of Economics Research Paper 1050.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from greenindex.analysis.disparity.groups import check_values, group_codes, membership

#: Upper bound on the elements of one (batch, n, n) pairwise-difference block (~400 MB).
_BLOCK_ELEMENTS = 50_000_000


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
    check_values(arr, "the Gini coefficient")
    codes, labels = group_codes(groups, n)
    k = len(labels)
    m = membership(codes, k)
    n_k = m.sum(axis=0)
    p_k = n_k / n
    mean = arr.mean(axis=-1)
    mean_k = (arr @ m) / n_k
    s_k = n_k * mean_k / (n * mean[:, None])
    pair_sum = _pair_sums(arr, m)
    nn = n_k[:, None] * n_k[None, :]
    g_total = pair_sum.sum(axis=(1, 2)) / (2 * n * n * mean)
    diag = np.diagonal(pair_sum, axis1=1, axis2=2)
    # A group whose scores are all zero (the values are non-negative) has no spread inside:
    # G_jj = 0 there, as T_k in the Theil index; its income share s_j is 0, so it adds
    # nothing to G_w and G = G_w + G_nb + G_t still holds. G_jh of two such groups is 0.
    g_jj = np.divide(diag, 2 * n_k**2 * mean_k, out=np.zeros_like(diag), where=mean_k > 0)
    mean_jh = mean_k[:, :, None] + mean_k[:, None, :]
    g_jh = np.divide(pair_sum, nn * mean_jh, out=np.zeros_like(pair_sum), where=mean_jh > 0)
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
    codes, _ = group_codes(groups, arr.size)
    n_k = np.bincount(codes, minlength=len(labels))
    mean_k = out["mean"][0]
    grp = _Groups(
        labels=labels,
        order=sorted(range(len(labels)), key=lambda j: (-mean_k[j], labels[j])),
        n=n_k,
        p=n_k / arr.size,
        s=n_k * mean_k / (arr.size * arr.mean()),
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
        groups=_groups_table(out, grp),
        pairs=_pairs_table(out, grp),
    )


class _Groups(NamedTuple):
    """The groups of one cross-section: ``labels`` (sorted), ``order`` (their indices by mean,
    highest first, ties by label), sizes ``n``, population shares ``p`` and income shares
    ``s`` (indexed as ``labels``)."""

    labels: list[str]
    order: list[int]
    n: NDArray[np.intp]
    p: NDArray[np.float64]
    s: NDArray[np.float64]


def _groups_table(out: dict[str, NDArray[np.float64] | list[str]], grp: _Groups) -> pd.DataFrame:
    """:attr:`DagumResult.groups` from the first replication of :func:`dagum_gini_batch`, the
    groups in ``grp.order`` (highest mean first)."""
    labels, order, n_k, p_k, s_k = grp
    mean_k = out["mean"][0]
    g_jj = out["G_jj"][0]
    return pd.DataFrame(
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


def _pairs_table(out: dict[str, NDArray[np.float64] | list[str]], grp: _Groups) -> pd.DataFrame:
    """:attr:`DagumResult.pairs` from the first replication of :func:`dagum_gini_batch`: one
    row per pair of groups, the higher-mean group (earlier in ``grp.order``) first."""
    labels, order, _, p_k, s_k = grp
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
    return pd.DataFrame(
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
