"""Class breaks pooled over all years (mapclassify) and greyscale-safe class colours."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from matplotlib.colors import Colormap

from greenindex.errors import ConfigError, InputError
from greenindex.figures.palettes import sequential

__all__ = ["SCHEMES", "class_breaks"]

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
