"""Region gradient map, per-year choropleth small multiples and per-dimension maps."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from greenindex.errors import InputError
from greenindex.figures.boundaries import ALBERS_CHINA, Boundaries
from greenindex.figures.maps.classify import (
    _SEQ_CMAP,
    _auto_decimals,
    _class_labels,
    _class_of,
    _colors,
    class_breaks,
)
from greenindex.figures.maps.drawing import _BORDER, _EDGE, _draw_with_inset, _lines
from greenindex.figures.maps.frame import (
    _caption,
    _check_units,
    _corner_legend,
    _decorate,
    _grid_shape,
    _long_values,
    _nodata_handle,
    _panel_figure,
    _panel_rect,
    _series,
    _single_map,
)
from greenindex.figures.maps.geometry import _Layout, _layout
from greenindex.figures.palettes import sequential
from greenindex.figures.style import label

__all__ = ["choropleth_small_multiples", "dimension_maps", "region_gradient_map"]

# Default label anchors (lon, lat) for the four NBS regions; other schemes use a point
# inside the largest part of each region.
_REGION_ANCHORS = {
    "east": (118.8, 33.2),
    "central": (112.6, 30.6),
    "west": (98.5, 34.0),
    "northeast": (126.3, 45.6),
}


def _region_anchor(region: str, units: list[str], prov: gpd.GeoDataFrame) -> shapely.Point:
    """Label point of a region (projected): its default anchor, else a point inside its
    largest part."""
    if region in _REGION_ANCHORS:
        return (
            gpd.GeoSeries([shapely.Point(_REGION_ANCHORS[region])], crs="EPSG:4326")
            .to_crs(ALBERS_CHINA)
            .iloc[0]
        )
    parts = shapely.get_parts(shapely.union_all(prov.loc[units].geometry.to_numpy()))
    return max(parts, key=lambda g: g.area).point_on_surface()


def _label_regions(
    ax: Axes,
    lay: _Layout,
    reg: pd.Series,
    means: pd.Series,
    names: Mapping[str, str],
    language: str,
    decimals: int,
) -> dict[str, tuple[float, float]]:
    """Outline each region and label it with its name and mean; returns the label points."""
    prov = lay.main_b.provinces.set_index("unit")
    anchors: dict[str, tuple[float, float]] = {}
    for r in means.index:
        units = [u for u in reg.index[reg == r] if u in prov.index]
        if not units:
            continue
        p = _region_anchor(r, units, prov)
        anchors[r] = (p.x, p.y)
        _lines(
            ax,
            [shapely.union_all(prov.loc[units].geometry.to_numpy())],
            color=_BORDER,
            lw=0.9,
            zorder=3,
        )
        ax.text(
            p.x,
            p.y,
            f"{names.get(r, label(r, language))}\n{means[r]:.{decimals}f}",
            ha="center",
            va="center",
            fontsize=8.5,
            zorder=5,
            bbox={
                "boxstyle": "round,pad=0.25",
                "fc": "white",
                "ec": "#666666",
                "lw": 0.4,
                "alpha": 0.9,
            },
        )
    return anchors


def _step_arrows(
    ax: Axes,
    anchors: Mapping[str, tuple[float, float]],
    steps: Sequence[str],
    means: pd.Series,
    decimals: int,
) -> None:
    """Arrows between the labels of consecutive regions in ``steps``, marked with the
    difference of their means."""
    for a, bname in itertools.pairwise(steps):
        if a not in anchors or bname not in anchors:
            continue
        (x0, y0), (x1, y1) = anchors[a], anchors[bname]
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#b2182b",
                "lw": 1.2,
                "shrinkA": 22,
                "shrinkB": 22,
            },
            zorder=4,
        )
        d = means[bname] - means[a]
        ax.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2 + 60_000,
            f"{d:+.{decimals}f}",
            color="#b2182b",
            ha="center",
            va="bottom",
            fontsize=8,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )


def region_gradient_map(
    boundaries: Boundaries | gpd.GeoDataFrame,
    region_of: pd.Series | Mapping[str, str],
    region_means: pd.Series | Mapping[str, float],
    *,
    steps: Sequence[str] = ("east", "central", "west"),
    region_labels: Mapping[str, str] | None = None,
    language: str = "zh",
    title: str | None = None,
    legend_title: str | None = None,
    decimals: int | None = None,
    review_number: str | None = None,
    source_note: str | None = None,
    inset: bool | str = "auto",
    north_arrow: bool = True,
    scale_bar: bool = True,
    cmap: str = _SEQ_CMAP,
) -> Figure:
    """Regions coloured by their mean index, provinces outlined, the steps labelled.

    Each region is filled with the colour of its rank among the region means (one class per
    region, evenly spaced grey levels: :func:`greenindex.figures.palettes.sequential`), and
    the colour key lists every region with its mean; the label at each region gives its name
    and mean; an arrow from each region in ``steps`` to the next carries the step
    ``mean[next] - mean[this]``.

    Parameters
    ----------
    boundaries
        Provinces (+ dashed line), any CRS.
    region_of
        Unit -> region (e.g. the ``nbs4`` column of the units table indexed by ``unit``).
        Units not listed (Taiwan, Hong Kong, Macao) are drawn as "no data".
    region_means
        Region -> mean index (one year, or the window mean).
    steps
        Regions joined by step arrows, in order (default east -> central -> west).
    region_labels
        Region -> display name (default: :func:`greenindex.figures.style.label`).
    """
    lay = _layout(boundaries, inset)
    reg = _region_series(region_of)
    means = _series(region_means, "region means")
    _check_units(reg, lay, "region_of")
    unknown = sorted(set(steps) - set(means.index))
    if unknown:
        raise InputError(
            f"region steps {unknown} have no region mean (regions with means: {sorted(means.index)})",
            fix="set the step regions to names of the region scheme.",
        )
    names = dict(region_labels or {})
    decimals = _auto_decimals(means.to_numpy(), decimals)
    # one class per region, ordered by the mean: evenly spaced grey levels, so two regions
    # with close means (west and northeast) still print apart; the key gives the values
    ranked = means.sort_values(kind="stable")
    palette = sequential(len(ranked), cmap, light=225.0, dark=70.0)
    rcol = dict(zip(ranked.index, palette, strict=True))
    colors = {u: rcol[r] for u, r in reg.dropna().items() if r in rcol}
    fig, ax = _single_map(lay, colors, title, language)
    anchors = _label_regions(ax, lay, reg, means, names, language, decimals)
    _step_arrows(ax, anchors, steps, means, decimals)
    handles = _region_handles(ranked.index[::-1], rcol, means, names, language, decimals)
    if set(lay.b.provinces["unit"]) - set(colors):
        handles.append(_nodata_handle(language))
    _corner_legend(ax, handles, legend_title or label("region_mean", language))
    _decorate(ax, language, north_arrow, scale_bar)
    if title:
        ax.set_title(title)
    _caption(fig, review_number, source_note, language)
    return fig


def _region_series(region_of: pd.Series | Mapping[str, str]) -> pd.Series:
    """Unit -> region as strings, indexed by unit code."""
    reg = (
        pd.Series(region_of, dtype="string")
        if not isinstance(region_of, pd.Series)
        else region_of.astype("string")
    )
    reg.index = reg.index.astype(str)
    return reg


def _region_handles(
    regions: Sequence[str],
    rcol: Mapping[str, object],
    means: pd.Series,
    names: Mapping[str, str],
    language: str,
    decimals: int,
) -> list[Patch]:
    """Colour key of the region map: each region's colour, name and mean."""
    return [
        Patch(
            facecolor=rcol[r],
            edgecolor=_EDGE,
            lw=0.3,
            label=f"{names.get(r, label(r, language))}  {means[r]:.{decimals}f}",
        )
        for r in regions
    ]


def _place_legend(
    fig: Figure,
    handles: list[Patch],
    title: str,
    spare: int,
    n: int,
    ncols: int,
    panel_h: float,
) -> None:
    """The class legend in the first empty panel slot, else centred below the panels."""
    H = fig.get_figheight()
    if spare:
        lax = fig.add_axes(_panel_rect(fig, n, ncols, panel_h, extra=0.22, below=0.02, gap=0.0))
        lax.set_axis_off()
        lax.legend(handles=handles, title=title, loc="center", ncols=1)
    else:
        fig.legend(
            handles=handles,
            title=title,
            loc="lower center",
            ncols=min(len(handles), 6),
            bbox_to_anchor=(0.5, 0.2 / H),
        )


def choropleth_small_multiples(
    boundaries: Boundaries | gpd.GeoDataFrame,
    scores: pd.DataFrame,
    *,
    column: str = "index",
    years: Sequence[int] | None = None,
    scheme: str = "fisher_jenks",
    k: int = 5,
    ncols: int = 3,
    language: str = "zh",
    legend_title: str | None = None,
    decimals: int | None = None,
    review_number: str | None = None,
    source_note: str | None = None,
    inset: bool | str = "auto",
    north_arrow: bool = True,
    scale_bar: bool = True,
    cmap: str = _SEQ_CMAP,
) -> Figure:
    """One choropleth per year, with class breaks fixed across years.

    Breaks come from :func:`class_breaks` over the values of all shown years pooled, so a
    class colour means the same range in every panel.

    Parameters
    ----------
    scores
        Long table with columns ``unit``, ``year`` and ``column`` (or indexed by
        ``(unit, year)``), e.g. ``results/aggregate/<variant>/scores.csv``.
    column
        The node to map (default the root, ``index``).
    years
        Years to show (default all, ascending).
    scheme, k
        Classification scheme (see :data:`SCHEMES`) and number of classes.
    ncols
        Panels per row.
    """
    lay = _layout(boundaries, inset)
    data, years = _shown_years(_long_values(scores, column), years, column)
    _check_units(data.set_index("unit")["value"], lay, column)
    bins = class_breaks(data["value"].to_numpy(), scheme, k)
    decimals = _auto_decimals(data["value"].to_numpy(), decimals)
    palette = _colors(cmap, len(bins))
    n = len(years)
    ncols, nrows = _grid_shape(n, ncols)
    spare = nrows * ncols - n
    fig, panel_h = _panel_figure(lay, nrows, ncols, extra=0.22, legend_h=0.0 if spare else 0.55)
    for i, year in enumerate(years):
        ax = fig.add_axes(_panel_rect(fig, i, ncols, panel_h, extra=0.22, below=0.02))
        v = data.loc[data["year"] == year].set_index("unit")["value"]
        cls = _class_of(v.to_numpy(), bins)
        colors = {u: palette[j] for u, j in zip(v.index, cls, strict=True)}
        _draw_with_inset(ax, lay, colors, lw=0.2, language=language, small=True)
        ax.set_title(str(year), fontsize=9, pad=2)
        if i == 0:
            _decorate(ax, language, north_arrow, scale_bar, small=True)
    handles = [
        Patch(facecolor=c, edgecolor=_EDGE, lw=0.3, label=t)
        for c, t in zip(
            palette, _class_labels(bins, float(data["value"].min()), decimals), strict=True
        )
    ]
    handles.append(_nodata_handle(language))
    title = legend_title if legend_title is not None else label("index", language)
    _place_legend(fig, handles, title, spare, n, ncols, panel_h)
    _caption(fig, review_number, source_note, language)
    return fig


def _shown_years(
    data: pd.DataFrame, years: Sequence[int] | None, column: str
) -> tuple[pd.DataFrame, list[int]]:
    """The values of the years to show (default all, ascending) and those years;
    :class:`InputError` for a year without values."""
    all_years = sorted(data["year"].unique().tolist())
    shown = list(years) if years is not None else all_years
    missing_years = sorted(set(shown) - set(all_years))
    if missing_years:
        raise InputError(
            f"no {column} values for years {missing_years}",
            column=column,
            fix="choose years present in the scores.",
        )
    return data[data["year"].isin(shown)].dropna(subset=["value"]), shown


def dimension_maps(
    boundaries: Boundaries | gpd.GeoDataFrame,
    scores: pd.DataFrame,
    dimensions: Sequence[str],
    *,
    year: int,
    titles: Mapping[str, str] | None = None,
    ncols: int = 2,
    language: str = "zh",
    decimals: int | None = None,
    review_number: str | None = None,
    source_note: str | None = None,
    inset: bool | str = "auto",
    cmap: str = _SEQ_CMAP,
) -> Figure:
    """One map per dimension sub-index in ``year``, each with its own colour bar.

    Sub-indices are on different scales, so each panel has a continuous scale from its
    minimum to its maximum.
    """
    lay = _layout(boundaries, inset)
    frame = scores.reset_index() if "unit" not in scores.columns else scores
    missing = [d for d in dimensions if d not in frame.columns]
    if missing:
        raise InputError(
            f"the scores table lacks dimension column(s) {missing}",
            fix="name dimensions of the framework.",
        )
    frame = frame[frame["year"].astype(int) == int(year)]
    if frame.empty:
        raise InputError(f"no scores for year {year}", fix="choose a year present in the scores.")
    titles = dict(titles or {})
    ncols, nrows = _grid_shape(len(dimensions), ncols)
    fig, panel_h = _panel_figure(lay, nrows, ncols, extra=0.55)
    cm = plt.get_cmap(cmap)
    for i, dim in enumerate(dimensions):
        ax = fig.add_axes(_panel_rect(fig, i, ncols, panel_h, extra=0.55, below=0.3))
        v = _series(frame.set_index(frame["unit"].astype(str))[dim], dim)
        _check_units(v, lay, dim)
        lo, hi = float(v.min()), float(v.max())
        norm = Normalize(lo, hi if hi > lo else lo + 1)
        colors = {u: cm(0.1 + 0.85 * norm(x)) for u, x in v.items()}
        _draw_with_inset(ax, lay, colors, lw=0.2, language=language, small=True)
        ax.set_title(titles.get(dim, dim), fontsize=9, pad=2)
        cax = ax.inset_axes((0.05, -0.06, 0.5, 0.035))
        sm = plt.cm.ScalarMappable(norm=norm, cmap=ListedColormap(cm(np.linspace(0.1, 0.95, 256))))
        cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
        cb.outline.set_linewidth(0.4)
        cb.ax.tick_params(labelsize=6.5, width=0.4, length=2)
        cb.ax.xaxis.set_major_formatter(f"{{x:.{_auto_decimals(v.to_numpy(), decimals)}f}}")
        if i == 0:
            ax.legend(
                handles=[_nodata_handle(language)],
                loc="lower left",
                bbox_to_anchor=(0.0, 0.05),
                fontsize=6.5,
            )
    _caption(fig, review_number, source_note, language)
    return fig
