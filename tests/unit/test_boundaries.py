"""Boundaries: cnmaps data, the user's base map with other spellings, projection, files."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from greenindex.data.units import province_table
from greenindex.errors import InputError
from greenindex.figures import boundaries as bd


@pytest.fixture(scope="module")
def provinces():
    return bd.load_cnmaps_provinces()


def test_cnmaps_provinces_are_the_34_canonical_units(provinces):
    assert provinces.crs.to_epsg() == 4326
    assert provinces["unit"].tolist() == province_table()["code"].tolist()
    assert set(provinces.columns) == {"unit", "name_zh", "geometry"}
    assert provinces.set_index("unit").loc["TW", "name_zh"] == "台湾省"


def test_south_china_sea_islands_are_part_of_hainan(provinces):
    hi = provinces.set_index("unit").geometry["HI"]
    _, miny, _, maxy = hi.bounds
    # Zengmu Ansha (James Shoal) lies near 4 N, Hainan Island's north coast near 20.1 N
    assert miny < 4.5 and 19.9 < maxy < 20.5


def test_dash_line_has_ten_dashes():
    line = bd.load_nine_dash_line()
    assert len(line) == 10 and line.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = line.total_bounds
    assert minx > 107 and maxx < 124 and miny > 3 and maxy < 25


def test_albers_areas_match_published_land_areas(provinces):
    area_km2 = bd.to_albers(provinces).set_index("unit").area / 1e6
    # Published land areas (provincial statistical yearbooks): Sichuan ~486,000 km2,
    # Beijing 16,410 km2, Chongqing ~82,400 km2; China ~9.6 million km2.
    assert area_km2["SC"] == pytest.approx(486_000, rel=0.03)
    assert area_km2["BJ"] == pytest.approx(16_410, rel=0.03)
    assert area_km2["CQ"] == pytest.approx(82_400, rel=0.03)
    assert area_km2.sum() == pytest.approx(9.6e6, rel=0.04)


def test_albers_parameters():
    geod = gpd.GeoSeries([shapely.Point(105, 35), shapely.Point(115, 35)], crs=4326)
    xy = bd.to_albers(geod)
    assert xy.iloc[0].x == pytest.approx(0.0, abs=1e-6)  # central meridian 105 E
    proj = pyproj.Proj(bd.ALBERS_CHINA)
    # no scale distortion on the standard parallels 25 and 47 N, some in between
    for lat in (25, 47):
        f = proj.get_factors(100, lat)
        assert f.meridional_scale == pytest.approx(1.0, abs=1e-9)
        assert f.parallel_scale == pytest.approx(1.0, abs=1e-9)
    assert proj.get_factors(100, 36).parallel_scale < 0.99
    assert proj.get_factors(100, 36).areal_scale == pytest.approx(1.0, abs=1e-9)


def _user_file(provinces, tmp_path, names, *, driver="GPKG", suffix=".gpkg"):
    gdf = gpd.GeoDataFrame(
        {"省名": names}, geometry=provinces.geometry.simplify(0.05).to_numpy(), crs=4326
    )
    path = tmp_path / f"base{suffix}"
    gdf.to_file(path, driver=driver)
    return path


def _mixed_spellings() -> list[str]:
    t = province_table()
    out = []
    for i, r in t.iterrows():
        out.append([r["name_zh"], r["name_zh_short"], r["name_en"], r["gb2260"]][i % 4])
    return out


def test_user_file_with_other_spellings_is_matched(provinces, tmp_path):
    names = _mixed_spellings()
    names[4] = "Inner Mongolia Autonomous Region"
    names[-3] = "Taiwan Province"
    path = _user_file(provinces, tmp_path, names)
    b = bd.load_user_boundaries(path, "省名")
    assert b["unit"].tolist() == province_table()["code"].tolist()
    assert b["name_zh"].iloc[0] == "北京市"


def test_user_shapefile_without_crs_is_taken_as_wgs84(provinces, tmp_path):
    path = _user_file(
        provinces,
        tmp_path,
        province_table()["name_zh"].tolist(),
        driver="ESRI Shapefile",
        suffix=".shp",
    )
    path.with_suffix(".prj").unlink()
    with pytest.warns(UserWarning, match="WGS84"):
        b = bd.load_user_boundaries(path, "省名")
    assert b.crs.to_epsg() == 4326 and len(b) == 34


def test_user_file_with_unknown_name_is_rejected_with_closest(provinces, tmp_path):
    names = province_table()["name_en"].tolist()
    names[18] = "Guandong"
    path = _user_file(provinces, tmp_path, names)
    with pytest.raises(InputError) as err:
        bd.load_user_boundaries(path, "省名")
    msg = str(err.value)
    assert "Guandong" in msg and "Guangdong" in msg and "base.gpkg" in msg and "row 19" in msg


def test_user_file_missing_taiwan_is_rejected(provinces, tmp_path):
    gdf = gpd.GeoDataFrame(
        {"NAME": province_table()["name_zh"]}, geometry=provinces.geometry.simplify(0.05), crs=4326
    )
    path = tmp_path / "no_tw.gpkg"
    gdf[gdf["NAME"] != "台湾省"].to_file(path)
    with pytest.raises(InputError, match="台湾省 \\(TW\\)"):
        bd.load_user_boundaries(path, "NAME")
    assert len(bd.load_user_boundaries(path, "NAME", require_all=False)) == 33


def test_user_file_wrong_column_lists_columns(provinces, tmp_path):
    path = _user_file(provinces, tmp_path, province_table()["name_zh"].tolist())
    with pytest.raises(InputError, match="its columns are: 省名"):
        bd.load_user_boundaries(path, "NAME")
    with pytest.raises(InputError, match="not found"):
        bd.load_user_boundaries(tmp_path / "nope.shp", "NAME")


def test_prepare_boundaries_is_byte_identical_and_keeps_a_coverage(tmp_path):
    runs = []
    for run in ("a", "b"):
        full, disp = tmp_path / run / "full.gpkg", tmp_path / run / "display.gpkg"
        bd.prepare_boundaries(full, disp, simplify_tolerance_m=5000)
        runs.append((full.read_bytes(), disp.read_bytes()))
    assert runs[0] == runs[1]
    display = bd.read_prepared(tmp_path / "a" / "display.gpkg")
    full = bd.read_prepared(tmp_path / "a" / "full.gpkg")
    assert display.provinces["unit"].tolist() == full.provinces["unit"].tolist()
    assert len(display.dash_line) == 10
    # simplification as a coverage: no overlaps between neighbours, area kept within 1%
    geoms = display.provinces.geometry.to_numpy()
    overlap = sum(
        shapely.intersection(geoms[i], geoms[j]).area for i in range(len(geoms)) for j in range(i)
    )
    assert overlap < 1e-6 * display.provinces.area.sum()
    full_area = bd.to_albers(full.provinces).area.sum()
    assert display.provinces.area.sum() == pytest.approx(full_area, rel=0.01)
    assert np.all(shapely.is_valid(geoms))


def test_user_dash_line_layer_loads_and_is_drawn(provinces, tmp_path):
    """maps.dash_line: the user's own dashed-line layer (once crashed with 'If using all scalar
    values, you must pass an index')."""
    line = bd.load_nine_dash_line()
    # the user's layer: one MultiLineString of all dashes plus one single dash, in its own CRS
    multi = shapely.MultiLineString([g for g in line.geometry if g.geom_type == "LineString"][:9])
    single = line.geometry.iloc[-1]
    user = gpd.GeoDataFrame({"name": ["九段线", "台湾以东段"]}, geometry=[multi, single], crs=4326)
    path = tmp_path / "dash.gpkg"
    user.to_crs(3857).to_file(path, layer="lines", driver="GPKG")
    got = bd.load_user_lines(path, layer="lines")
    assert len(got) == 10 and set(got["kind"]) == {"dash_line"}
    assert got.crs.to_epsg() == 3857
    base = _user_file(provinces, tmp_path, province_table()["name_zh"].tolist())
    b = bd.load_boundaries(base, "省名", dash_line=path, dash_line_layer="lines")
    assert len(b.dash_line) == 10 and b.dash_line.crs == b.provinces.crs
    # and a map draws it (the dashes appear in the South China Sea inset)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from greenindex.figures.maps import lisa_map
    from greenindex.figures.style import style_context

    with style_context("en"):
        fig = lisa_map(b, {"BJ": "HH"}, language="en")
    assert len(fig.axes[0].child_axes) == 1  # the inset
    plt.close(fig)
    with pytest.raises(InputError, match="no line features"):
        bd.load_user_lines(base)
