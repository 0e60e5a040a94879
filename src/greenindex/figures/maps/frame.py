"""What every map shares: the caption line (review number, base map), the no-data legend entry,
the single-panel figure and its legend, the grid of small panels and checks of the values
drawn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.legend_handler import HandlerBase
from matplotlib.patches import Patch

from greenindex.errors import InputError
from greenindex.figures.map_text import map_caption
from greenindex.figures.maps.drawing import (
    _EDGE,
    _NODATA_FACE,
    _NODATA_HATCH,
    _draw_with_inset,
    _north_arrow,
    _scale_bar,
)
from greenindex.figures.maps.geometry import _Layout
from greenindex.figures.style import figure_width, label

__all__ = ["map_caption"]


def _caption(
    fig: Figure, review_number: str | None, source_note: str | None, language: str
) -> None:
    fig.text(
        0.01,
        0.008,
        map_caption(review_number, source_note, language),
        fontsize=6.5,
        color="#444444",
        ha="left",
        va="bottom",
    )


def _decorate(
    ax: Axes, language: str, north_arrow: bool, scale_bar: bool, *, small: bool = False
) -> None:
    # On small panels the scale bar goes to the empty lower left (south of Tibet).
    if north_arrow:
        _north_arrow(ax, language, y=0.95 if small else 0.90, size=0.09 if small else 0.06)
    if scale_bar:
        _scale_bar(ax, language, y=0.10 if small else 0.965)


def _nodata_handle(language: str) -> Patch:
    return Patch(
        facecolor=_NODATA_FACE,
        edgecolor=_EDGE,
        hatch=_NODATA_HATCH,
        lw=0.4,
        label=label("no_data", language),
    )


def _single_figure(
    lay: _Layout, title: str | None, width: float | None = None
) -> tuple[Figure, Axes]:
    width = width or figure_width("double")
    w = lay.main[2] - lay.main[0]
    h = lay.main[3] - lay.main[1]
    bottom = 0.22  # inches for the caption line
    top = 0.3 if title else 0.05
    fig = plt.figure(figsize=(width, width * h / w + bottom + top))
    H = fig.get_figheight()
    ax = fig.add_axes((0.0, bottom / H, 1.0, 1 - (bottom + top) / H))
    return fig, ax


def _single_map(
    lay: _Layout, colors: Mapping[str, object], title: str | None, language: str
) -> tuple[Figure, Axes]:
    """A single-panel figure with the units filled in ``colors`` (and the inset)."""
    fig, ax = _single_figure(lay, title)
    _draw_with_inset(ax, lay, colors, language=language)
    return fig, ax


def _corner_legend(
    ax: Axes,
    handles: Sequence[Artist],
    title: str,
    handler_map: Mapping[type, HandlerBase] | None = None,
) -> Legend:
    """The colour key of a single-panel map, at its lower left corner (clear of the inset)."""
    return ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.02, 0.02),
        title=title,
        handler_map=handler_map,
    )


def _grid_shape(n: int, ncols: int) -> tuple[int, int]:
    """Columns (``ncols`` at most, at least one) and rows of a grid of ``n`` panels."""
    ncols = max(1, min(ncols, n))
    return ncols, int(np.ceil(n / ncols))


def _panel_figure(
    lay: _Layout, nrows: int, ncols: int, *, extra: float, legend_h: float = 0.0
) -> tuple[Figure, float]:
    """A double-width figure for ``nrows`` x ``ncols`` map panels, and the panel height.

    Each panel slot is as high as the main map at the panel width plus ``extra`` inches (title,
    colour bar); ``legend_h`` inches are added below the panels.
    """
    w_in = figure_width("double")
    mw = lay.main[2] - lay.main[0]
    mh = lay.main[3] - lay.main[1]
    panel_w = w_in / ncols
    panel_h = panel_w * mh / mw + extra
    fig = plt.figure(figsize=(w_in, nrows * panel_h + legend_h + 0.25))
    return fig, panel_h


def _panel_rect(
    fig: Figure,
    i: int,
    ncols: int,
    panel_h: float,
    *,
    extra: float,
    below: float,
    gap: float = 0.005,
) -> tuple[float, float, float, float]:
    """Figure coordinates of the map in panel slot ``i`` (row by row): the map fills the slot
    less ``extra`` inches, ``below`` of them under it and the rest above it (its title), and is
    ``gap`` (figure fraction) narrower than the column."""
    H = fig.get_figheight()
    r, c = divmod(i, ncols)
    top = 1 - (r * panel_h) / H
    return (c / ncols, top - (panel_h - below) / H, 1 / ncols - gap, (panel_h - extra) / H)


def _series(values: pd.Series | Mapping[str, float], what: str) -> pd.Series:
    s = (
        pd.Series(values, dtype="float64")
        if not isinstance(values, pd.Series)
        else values.astype("float64")
    )
    s.index = s.index.astype(str)
    if s.index.has_duplicates:
        dup = sorted(set(s.index[s.index.duplicated()]))
        raise InputError(f"{what}: duplicated units {dup}", fix="give one value per unit.")
    return s.dropna()


def _check_units(values: pd.Series, lay: _Layout, what: str) -> None:
    unknown = sorted(set(values.index) - set(lay.b.provinces["unit"]))
    if unknown:
        raise InputError(
            f"{what}: units {unknown} have values but no boundary",
            fix="use canonical province codes (greenindex.data.units) and a base map with all provinces.",
        )


def _long_values(scores: pd.DataFrame, column: str) -> pd.DataFrame:
    frame = scores.reset_index() if "unit" not in scores.columns else scores
    missing = [c for c in ("unit", "year", column) if c not in frame.columns]
    if missing:
        raise InputError(
            f"the scores table lacks column(s) {missing}",
            column=column,
            fix="give a table with columns unit, year and the node to map (e.g. 'index').",
        )
    out = frame[["unit", "year", column]].rename(columns={column: "value"})
    out = out.assign(
        unit=out["unit"].astype(str),
        year=out["year"].astype(int),
        value=out["value"].astype("float64"),
    )
    return out
