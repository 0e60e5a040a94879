"""Theil T of one cross-section with its between/within decomposition (Shorrocks 1980), with
group income shares :math:`s_k = n_k \\bar y_k / (n \\bar y)`:

.. math::
    T = \\frac1n \\sum_i \\frac{y_i}{\\bar y} \\ln \\frac{y_i}{\\bar y}
      = \\underbrace{\\sum_k s_k T_k}_{within}
      + \\underbrace{\\sum_k s_k \\ln(\\bar y_k/\\bar y)}_{between}

References
----------
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

from greenindex.analysis.disparity.groups import check_values, group_codes, membership


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
    check_values(arr, "the Theil index")
    codes, labels = group_codes(np.zeros(n, dtype=int) if groups is None else groups, n)
    k = len(labels)
    m = membership(codes, k)
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
    codes, _ = group_codes(np.zeros(arr.size, dtype=int) if groups is None else groups, arr.size)
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
