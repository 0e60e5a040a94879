"""The coefficient of variation of one cross-section (the dispersion measure beside the
decomposable Theil T and Dagum Gini)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from greenindex.errors import MethodError


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
