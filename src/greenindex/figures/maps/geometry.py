"""Map geometry: layout of the main map and the South China Sea inset, paths of provinces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.path import Path as MplPath

from greenindex.errors import ConfigError, InputError
from greenindex.figures.boundaries import ALBERS_CHINA, Boundaries

# The main map stops at Hainan Island; what lies south of this latitude goes to the inset.
_MAIN_SOUTH_LAT = 17.6


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


#: Layouts already worked out, by the identity of the boundaries object (kept alive beside
#: it, so the identity cannot be reused) and the inset setting: every map of a figure job
#: draws the same boundaries, and the layout (clipping, unions) is most of a map's geometry work.
_LAYOUTS: dict[tuple[int, bool | str], tuple[object, _Layout]] = {}


def _layout(boundaries: Boundaries | gpd.GeoDataFrame, inset: bool | str) -> _Layout:
    """Extents of the main map (stopping at Hainan) and of the South China Sea inset.

    The inset sits against the right edge of the main map, just below the lowest land (or
    dash) in the strip it occupies (so Taiwan stays visible); the main map is extended
    downwards when needed to make room for it. Computed once per boundaries object and
    inset setting (the boundaries must not be modified in place afterwards).
    """
    key = (id(boundaries), inset)
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is boundaries:
        return hit[1]
    lay = _compute_layout(boundaries, inset)
    if len(_LAYOUTS) >= 8:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (boundaries, lay)
    return lay


def _compute_layout(boundaries: Boundaries | gpd.GeoDataFrame, inset: bool | str) -> _Layout:
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
