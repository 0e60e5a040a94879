"""Map of the change of the index between two years, in classes."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from greenindex.errors import InputError
from greenindex.figures.boundaries import Boundaries
from greenindex.figures.maps.classify import _DIV_CMAP
from greenindex.figures.maps.drawing import _EDGE
from greenindex.figures.maps.frame import (
    _caption,
    _check_units,
    _corner_legend,
    _decorate,
    _long_values,
    _nodata_handle,
    _single_map,
)
from greenindex.figures.maps.geometry import _layout
from greenindex.figures.palettes import diverging
from greenindex.figures.style import label

__all__ = ["change_map"]


def change_map(
    boundaries: Boundaries | gpd.GeoDataFrame,
    scores: pd.DataFrame,
    *,
    start: int,
    end: int,
    column: str = "index",
    language: str = "zh",
    title: str | None = None,
    review_number: str | None = None,
    source_note: str | None = None,
    inset: bool | str = "auto",
    north_arrow: bool = True,
    scale_bar: bool = True,
    cmap: str = _DIV_CMAP,
) -> Figure:
    """Change of ``column`` from ``start`` to ``end``: ``value[end] - value[start]``.

    Classes of equal width ``s`` on both sides of zero (``s`` a round number, at most three
    classes a side: :func:`change_classes`), coloured by
    :func:`greenindex.figures.palettes.diverging`: declines in browns, gains in greens, and
    every class with its own grey level, so a decline never prints like a gain of the same
    size. The key lists the classes as intervals. Units lacking either year are "no data".
    """
    lay = _layout(boundaries, inset)
    data = _long_values(scores, column)
    wide = data.pivot_table(index="unit", columns="year", values="value", aggfunc="first")
    for y in (start, end):
        if y not in wide.columns:
            raise InputError(
                f"no {column} values for year {y}",
                column=column,
                fix="set the window to years present in the scores.",
            )
    diff = (wide[end] - wide[start]).dropna()
    _check_units(diff, lay, column)
    step, n_neg, n_pos = change_classes(diff.to_numpy())
    negs, poss = diverging(n_neg, n_pos)
    colors = {}
    for u, v in diff.items():
        if v < 0:
            colors[u] = negs[min(int(np.ceil(-v / step)) - 1, n_neg - 1)]
        else:
            colors[u] = poss[min(int(np.floor(v / step)), n_pos - 1)]
    fig, ax = _single_map(lay, colors, title, language)
    handles = _change_handles(step, negs, poss)
    handles.append(_nodata_handle(language))
    _corner_legend(ax, handles, f"{label('change', language)} {start}–{end}")
    _decorate(ax, language, north_arrow, scale_bar)
    if title:
        ax.set_title(title)
    _caption(fig, review_number, source_note, language)
    return fig


def _change_handles(step: float, negs: Sequence[str], poss: Sequence[str]) -> list[Patch]:
    """Colour key of the change classes, gains (largest first) above declines: each class as
    the interval ``[a, b)`` of width ``step``, the outermost of a side open-ended."""
    n_neg, n_pos = len(negs), len(poss)

    def num(x: float) -> str:
        return f"{x:g}"

    def pos_label(j: int) -> str:
        return (
            f"≥ {num(j * step)}"
            if j == n_pos - 1 and j > 0
            else f"[{num(j * step)}, {num((j + 1) * step)})"
        )

    def neg_label(j: int) -> str:
        return (
            f"< {num(-j * step)}"
            if j == n_neg - 1 and j > 0
            else f"[{num(-(j + 1) * step)}, {num(-j * step)})"
        )

    return [
        Patch(facecolor=poss[j], edgecolor=_EDGE, lw=0.3, label=pos_label(j))
        for j in reversed(range(n_pos))
    ] + [
        Patch(facecolor=negs[j], edgecolor=_EDGE, lw=0.3, label=neg_label(j)) for j in range(n_neg)
    ]


def change_classes(
    values: np.ndarray | Sequence[float], per_side: int = 3, max_per_side: int = 4
) -> tuple[float, int, int]:
    """Class width ``s`` and number of classes below / above zero for a change map.

    ``s`` is the smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of ten) with which
    ``per_side`` classes cover the 90th percentile of the absolute changes (one outlier does
    not coarsen every class); each side has at most ``max_per_side`` classes, the outermost
    open-ended. Zero belongs to the first gain class ``[0, s)``; a decline ``v`` to class
    ``ceil(-v / s)``.

    >>> change_classes([-7.9, 6.8, 0.3, 2.0, -1.0, 1.5, 3.3, 19.0, -2.2, 4.4])
    (4.0, 2, 4)
    """
    v = np.asarray(values, dtype="float64")
    v = v[np.isfinite(v)]
    m = float(np.quantile(np.abs(v), 0.9)) if v.size else 1.0
    m = m if m > 0 else (float(np.abs(v).max()) if v.size and np.abs(v).max() > 0 else 1.0)
    raw = m / per_side
    mag = 10 ** np.floor(np.log10(raw))
    step = float(
        next(f * mag for f in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if f * mag >= raw - 1e-12)
    )
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 0.0)
    n_neg = min(max(1, int(np.ceil(-lo / step - 1e-12))), max_per_side) if lo < 0 else 1
    n_pos = min(int(np.floor(hi / step + 1e-12)) + 1, max_per_side) if hi >= 0 else 1
    return step, n_neg, n_pos
