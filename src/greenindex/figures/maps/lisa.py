"""Map of LISA clusters (local Moran's I), colours and markers after the GeoDa convention."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from greenindex.errors import InputError
from greenindex.figures.boundaries import Boundaries
from greenindex.figures.maps.drawing import _EDGE
from greenindex.figures.maps.frame import (
    _caption,
    _check_units,
    _corner_legend,
    _decorate,
    _nodata_handle,
    _single_map,
)
from greenindex.figures.maps.geometry import _Layout, _layout
from greenindex.figures.palettes import LISA_STYLE
from greenindex.figures.style import label

__all__ = ["LISA_CODES", "lisa_map"]

#: LISA cluster codes and colours (the GeoDa convention); each cluster type also gets a
#: marker (:data:`greenindex.figures.palettes.LISA_STYLE`) so that it survives greyscale print.
LISA_CODES: dict[str, str] = {code: style[0] for code, style in LISA_STYLE.items()}


class _LisaHandler:
    """Legend key of a LISA class: its colour square with its mark on top."""

    def legend_artist(self, legend, orig_handle, fontsize, handlebox):
        from matplotlib.lines import Line2D

        x0, y0 = handlebox.xdescent, handlebox.ydescent
        w, h = handlebox.width, handlebox.height
        col = orig_handle.get_markerfacecolor()
        code = next((c for c, st in LISA_STYLE.items() if st[0].lower() == str(col).lower()), "ns")
        square = plt.Rectangle(
            (x0, y0),
            w,
            h,
            facecolor=col,
            edgecolor=_EDGE,
            lw=0.3,
            transform=handlebox.get_transform(),
        )
        handlebox.add_artist(square)
        mark = _mark_style(code)
        if mark["marker"]:  # "ns" has no mark
            handlebox.add_artist(
                Line2D(
                    [x0 + w / 2],
                    [y0 + h / 2],
                    ls="none",
                    **mark,
                    transform=handlebox.get_transform(),
                )
            )
        return square


def _mark_style(code: str) -> dict[str, object]:
    """Marker, size, face, edge and edge width of the mark of LISA class ``code``."""
    _, mk, face, edge = LISA_STYLE[code]
    return {"marker": mk, "ms": 4.5, "mfc": face, "mec": edge, "mew": 0.7}


def _cluster_marks(ax: Axes, lay: _Layout, cl: pd.Series) -> None:
    """A mark per significant cluster type at a point inside each province (the colour alone
    does not survive greyscale: High-High and Low-Low print as grey 82 and 106)."""
    prov = lay.main_b.provinces.set_index("unit")
    for code in ("HH", "LL", "HL", "LH"):
        units = [
            u for u in cl.index[cl == code] if u in prov.index and not prov.loc[u].geometry.is_empty
        ]
        if not units:
            continue
        pts = [
            max(shapely.get_parts(prov.loc[u].geometry), key=lambda g: g.area).point_on_surface()
            for u in units
        ]
        ax.plot([p.x for p in pts], [p.y for p in pts], ls="none", **_mark_style(code), zorder=6)


def lisa_map(
    boundaries: Boundaries | gpd.GeoDataFrame,
    clusters: pd.Series | Mapping[str, str],
    *,
    language: str = "zh",
    title: str | None = None,
    legend_title: str | None = None,
    review_number: str | None = None,
    source_note: str | None = None,
    inset: bool | str = "auto",
    north_arrow: bool = True,
    scale_bar: bool = True,
) -> Figure:
    """Local Moran (LISA) cluster map: HH, LL, HL, LH and not significant (Anselin 1995).

    Parameters
    ----------
    clusters
        Unit -> one of ``HH``, ``LL``, ``HL``, ``LH``, ``ns`` (significance already applied,
        as in GeoDa's cluster map). Units not listed are "no data".

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association - LISA. *Geographical
    Analysis* 27(2), 93-115.
    """
    lay = _layout(boundaries, inset)
    cl = pd.Series(clusters) if not isinstance(clusters, pd.Series) else clusters
    cl = cl.dropna().astype(str)
    cl.index = cl.index.astype(str)
    bad = sorted(set(cl) - set(LISA_CODES))
    if bad:
        raise InputError(
            f"unknown LISA cluster codes {bad}",
            fix=f"use {', '.join(LISA_CODES)} (ns = not significant).",
        )
    _check_units(cl, lay, "LISA clusters")
    colors = {u: LISA_CODES[c] for u, c in cl.items()}
    fig, ax = _single_map(lay, colors, title, language)
    _cluster_marks(ax, lay, cl)
    from matplotlib.lines import Line2D

    handles: list[object] = []
    for code, (col, mk, face, edge) in LISA_STYLE.items():
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="s",
                ms=9,
                mfc=col,
                mec=_EDGE,
                mew=0.3,
                label=label(code, language),
            )
        )
    handles.append(_nodata_handle(language))
    leg = _corner_legend(
        ax, handles, legend_title or label("lisa", language), handler_map={Line2D: _LisaHandler()}
    )
    leg.set_zorder(7)
    _decorate(ax, language, north_arrow, scale_bar)
    if title:
        ax.set_title(title)
    _caption(fig, review_number, source_note, language)
    return fig
