r"""The Gini coefficient of a set of values, optionally weighted.

.. math::

    G = \frac{\sum_{i=1}^{n} \sum_{j=1}^{n} w_i w_j |y_i - y_j|}{2 W^2 \bar y},
    \qquad W = \sum_i w_i, \quad \bar y = \frac{1}{W}\sum_i w_i y_i,

with :math:`w_i = 1` for the unweighted coefficient, which is then the mean absolute difference
over all ordered pairs divided by twice the mean (Gini's relative mean difference; PySAL's
``inequality.gini.Gini``). It lies in :math:`[0, 1 - 1/n]` for non-negative values: 0 when
all values are equal, :math:`1 - 1/n` when one unit holds everything. It is the total
:math:`G` of the Dagum (1997) decomposition (:func:`greenindex.analysis.disparity.dagum_gini`)
without its regional split. ``sample=True`` multiplies the unweighted coefficient by
:math:`n / (n - 1)`, so that its maximum is 1.

With weights (e.g. population, to measure inequality between people rather than between
provinces) :math:`w_i` counts how many times :math:`y_i` occurs: integer weights give the
coefficient of the values repeated that many times.

The computation sorts the values once and uses the cumulative-sum form
:math:`\sum_{i,j} w_i w_j |y_i - y_j| = 2 \sum_k w_k y_k (2 C_{k-1} + w_k - W)`, with
:math:`C_k` the cumulative weight of the sorted values up to :math:`k`, in
:math:`O(n \log n)`.

References
----------
Gini C. (1912), *Variabilità e mutabilità*, Bologna: Tipografia di Paolo Cuppini.
Dagum C. (1997), A new approach to the decomposition of the Gini income inequality ratio,
*Empirical Economics* 22, 515-531.
Rey S.J. and Sastré-Gutiérrez M.L. (2010), Interregional inequality dynamics in Mexico,
*Spatial Economic Analysis* 5, 277-298 (PySAL ``inequality``; the test value of
``tests/unit/test_gini.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from greenindex.errors import MethodError

__all__ = ["gini"]


def gini(y: ArrayLike, weights: ArrayLike | None = None, *, sample: bool = False) -> float:
    """Gini coefficient of ``y`` (see the module docstring for the formula).

    Parameters
    ----------
    y
        Values, one per unit (e.g. the index of each province in one year). Must be finite
        and non-negative, with a positive (weighted) mean.
    weights
        Optional non-negative weight per value (e.g. population); default: all 1.
    sample
        Multiply the unweighted coefficient by ``n / (n - 1)`` (not allowed with weights).

    Returns
    -------
    float

    Raises
    ------
    MethodError
        Missing, infinite or negative values, negative weights, a zero mean, fewer than two
        values with ``sample=True``, or weights of another length.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 1])
    0.75
    >>> gini([0, 0, 0, 1], sample=True)
    1.0
    >>> gini([1, 3], weights=[2, 1]) == gini([1, 1, 3])
    True
    """
    x = np.asarray(y, dtype=float).ravel()
    n = x.size
    if n == 0:
        raise MethodError("Gini of no values is undefined. What to do: pass at least one value.")
    if not np.isfinite(x).all():
        raise MethodError(
            f"Gini: {int((~np.isfinite(x)).sum())} missing or infinite value(s). What to do: "
            "drop or impute them before computing inequality."
        )
    if (x < 0).any():
        raise MethodError(
            f"Gini: negative value(s) (minimum {x.min():g}); the coefficient is defined for "
            "non-negative values. What to do: use a normalisation with a non-negative range."
        )
    if weights is None:
        w = np.ones(n)
    else:
        if sample:
            raise MethodError("Gini: sample=True applies to the unweighted coefficient only.")
        w = np.asarray(weights, dtype=float).ravel()
        if w.size != n:
            raise MethodError(
                f"Gini: {w.size} weights for {n} values. What to do: give one weight per value."
            )
        if not np.isfinite(w).all() or (w < 0).any():
            raise MethodError("Gini: weights must be finite and non-negative.")
    total_w = w.sum()
    mean = float((w * x).sum() / total_w) if total_w > 0 else 0.0
    if not mean > 0:
        raise MethodError("Gini: the (weighted) mean is zero, so the coefficient is undefined.")
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    before = np.cumsum(ws) - ws  # weight of the values sorted before each one
    pair_sum = 2.0 * float((ws * xs * (2.0 * before + ws - total_w)).sum())
    g = pair_sum / (2.0 * total_w**2 * mean)
    if sample:
        if n < 2:
            raise MethodError("Gini: sample=True needs at least two values.")
        g *= n / (n - 1)
    return float(g)
