"""Class breaks pooled over all years and greyscale-safe class colours.

Fisher-Jenks (the default scheme) is computed here, in NumPy: it gives the breaks
mapclassify's ``FisherJenks`` gives (tested against it), without importing mapclassify,
scikit-learn and ``scipy.stats``, which cost a figure job about a second. The other schemes
are mapclassify's classifiers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from matplotlib.colors import Colormap

from greenindex.errors import ConfigError, InputError
from greenindex.figures.palettes import sequential

__all__ = ["SCHEMES", "class_breaks", "fisher_jenks_breaks"]

#: Config names of classification schemes -> mapclassify class names (all take ``k``).
#: Resolved when used: importing mapclassify (and scipy.stats with it) takes about a second,
#: which every importer of this module (the report, say) would otherwise pay.
SCHEMES: dict[str, str] = {
    "fisher_jenks": "FisherJenks",
    "natural_breaks": "NaturalBreaks",
    "quantiles": "Quantiles",
    "equal_interval": "EqualInterval",
    "jenks_caspall": "JenksCaspall",
    "maximum_breaks": "MaximumBreaks",
}


def fisher_jenks_breaks(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` Fisher-Jenks classes of ``values`` (finite, >= k distinct).

    Fisher's (1958) exact optimal partition of sorted values into ``k`` contiguous classes
    minimising the summed within-class squared deviations, by dynamic programming
    (Jenks 1977): with ``x`` sorted and ``SSD(i, l)`` the squared deviation of
    ``x[i..l]`` about its mean,

        D(l, 1) = SSD(1, l),    D(l, j) = min over 2 <= i <= l of [SSD(i, l) + D(i - 1, j - 1)],

    and the breaks are read back from the minimising ``i``. The arithmetic follows
    mapclassify's ``FisherJenks`` (single-precision running sums accumulated from the right,
    ties resolved towards the smallest ``i``), so both give the same breaks; each row
    ``l`` is one vectorised step.

    References: Fisher, W. D. (1958), On grouping for maximum homogeneity, JASA 53:789-798;
    Jenks, G. F. (1977), Optimal data classification for choropleth maps, University of
    Kansas, Occasional paper 2; Rey et al., mapclassify (pysal).

    Examples
    --------
    >>> fisher_jenks_breaks(np.array([1.0, 1.1, 1.2, 5.0, 5.1, 9.0, 9.2]), 3).tolist()
    [1.2, 5.1, 9.2]
    """
    x = np.sort(np.asarray(values, dtype="float64"))
    n = x.size
    f32 = np.float32
    lower = np.zeros((n + 1, k + 1), dtype=np.int64)  # minimising i of D(l, j)
    cost = np.zeros((n + 1, k + 1), dtype=f32)  # D(l, j)
    lower[1, 1:] = 1
    cost[2:, 1:] = np.inf
    for ell in range(2, n + 1):
        # m = 1..ell: the class x[ell-m .. ell-1] (1-based i = ell - m + 1), sums from the right
        vals = x[ell - 1 :: -1].astype(f32)
        s1 = np.cumsum(vals, dtype=f32)
        s2 = np.cumsum(vals * vals, dtype=f32)
        ssd = s2 - (s1 * s1) / np.arange(1, ell + 1, dtype=f32)
        # classes j >= 2 need a non-empty part before them: m < ell, previous row i - 1 = ell - m
        prev = cost[ell - 1 : 0 : -1, 1:k]  # rows ell-1 .. 1 for m = 1 .. ell-1, columns j-1
        cand = ssd[:-1, None] + prev
        # the loop keeps the last m whose candidate is <= the running minimum
        m_best = cand.shape[0] - 1 - np.argmin(cand[::-1], axis=0)
        cost[ell, 2:] = cand[m_best, np.arange(k - 1)]
        lower[ell, 2:] = ell - m_best  # i = ell - m + 1 with m = m_best + 1
        lower[ell, 1] = 1
        cost[ell, 1] = ssd[-1]
    bounds = np.empty(k, dtype="float64")
    bounds[-1] = x[-1]
    last = n
    for j in range(k, 1, -1):
        pivot = int(lower[last, j])
        bounds[j - 2] = x[pivot - 2]
        last = pivot - 1
    return bounds


def _classifier(scheme: str) -> type:
    import mapclassify

    return getattr(mapclassify, SCHEMES[scheme])


_SEQ_CMAP = "YlGn"


_DIV_CMAP = "BrBG"


def class_breaks(
    values: np.ndarray | pd.Series, scheme: str = "fisher_jenks", k: int = 5
) -> np.ndarray:
    """Upper bounds of ``k`` classes of ``values`` (NaN ignored) with a mapclassify scheme.

    Class ``i`` holds ``b[i-1] < v <= b[i]`` (first class: ``min <= v <= b[0]``), the
    mapclassify convention. ``natural_breaks`` runs with NumPy's global generator seeded at
    0 (and restored afterwards), so it is reproducible.

    Examples
    --------
    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8], "quantiles", k=4).tolist()
    [2.75, 4.5, 6.25, 8.0]
    """
    if scheme not in SCHEMES:
        raise ConfigError(
            "maps.scheme",
            f"unknown classification scheme '{scheme}'",
            f"use one of {', '.join(SCHEMES)}",
        )
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise ConfigError(
            "maps.k",
            f"number of classes must be an integer >= 2, got {k!r}",
            "set maps.k to e.g. 5",
        )
    y = np.asarray(values, dtype="float64")
    y = y[np.isfinite(y)]
    if y.size == 0:
        raise InputError(
            "no finite values to classify", fix="check that the mapped column has values."
        )
    n_unique = np.unique(y).size
    if n_unique < k:
        raise InputError(
            f"only {n_unique} distinct value(s) for {k} classes",
            fix=f"set maps.k to at most {n_unique}.",
        )
    with warnings.catch_warnings():
        # FisherJenks warns that numba is absent; the pure-Python path gives the same bins.
        warnings.filterwarnings("ignore", message="Numba not installed")
        if scheme == "fisher_jenks":
            return fisher_jenks_breaks(y, k)
        if scheme == "natural_breaks":
            state = np.random.get_state()
            np.random.seed(0)
            try:
                clf = _classifier(scheme)(y, k=k)
            finally:
                np.random.set_state(state)
        else:
            clf = _classifier(scheme)(y, k=k)
    return np.asarray(clf.bins, dtype="float64")


def _auto_decimals(values: np.ndarray | pd.Series, decimals: int | None) -> int:
    """Decimals for labels: given, or 1 / 2 / 3 for value spans >= 10 / >= 1 / below."""
    if decimals is not None:
        return int(decimals)
    v = np.asarray(values, dtype="float64")
    span = float(np.nanmax(v) - np.nanmin(v)) if v.size else 0.0
    return 1 if span >= 10 else 2 if span >= 1 else 3


def _class_of(v: np.ndarray, bins: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(bins, v, side="left"), len(bins) - 1)


def _class_labels(bins: np.ndarray, lo: float, decimals: int) -> list[str]:
    edges = [lo, *bins.tolist()]
    return [f"{edges[i]:.{decimals}f}–{edges[i + 1]:.{decimals}f}" for i in range(len(bins))]


def _colors(cmap: str | Colormap, n: int) -> list[str]:
    """``n`` class colours of ``cmap`` at evenly spaced grey levels (greyscale-safe)."""
    return sequential(n, cmap if isinstance(cmap, str) else cmap.name)
