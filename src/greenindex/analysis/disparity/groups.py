"""Shared steps of the grouped inequality measures (:mod:`.theil_index`,
:mod:`.dagum_decomposition`): integer codes of the group labels, the check that the values
are finite and non-negative with a positive mean, and the unit-by-group membership matrix."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenindex.errors import InputError, MethodError


def group_codes(groups: ArrayLike, n: int) -> tuple[NDArray[np.intp], list[str]]:
    """Integer codes 0..K-1 of group labels (labels sorted) and the labels."""
    labels = np.asarray(groups).astype(str)
    if labels.shape != (n,):
        raise InputError(f"{labels.size} group labels were given for {n} values")
    uniq, codes = np.unique(labels, return_inverse=True)
    return codes.astype(np.intp), [str(u) for u in uniq]


def check_values(y: NDArray[np.float64], what: str) -> None:
    """Reject NaN or infinite values, negative values and rows whose sum is not positive
    (``what`` names the measure in the message)."""
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


def membership(codes: NDArray[np.intp], k: int) -> NDArray[np.float64]:
    """The ``(n, k)`` 0/1 matrix with a 1 where unit ``i`` is in group ``codes[i]``."""
    m = np.zeros((codes.size, k))
    m[np.arange(codes.size), codes] = 1.0
    return m
