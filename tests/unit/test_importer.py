"""Importer tests on real table layouts (fixtures in tests/data/importer, see its README).

Independent numbers: the published bulletin and census values (hand-checked against the page
copies), the agreement of two independent copies of the 2020 energy bulletin (English NBS page
and Chinese full text), the census bulletin's own statement that the 31 provinces plus
2,000,000 active military personnel make the national total, and the compiled panel as shipped
in data/raw/observations.csv (built from the gathered material by data/raw/build_from_shared.py;
tests/unit/test_dataset.py checks it cell by cell against that material where it is present).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from greenindex.data.importer import import_wide_table, main, parse_number, read_wide_table
from greenindex.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "importer"
RAW_OBS = Path(__file__).resolve().parents[2] / "data" / "raw" / "observations.csv"

EN2020 = DATA / "energy_bulletin_2020_en.txt"
ZH2020 = DATA / "energy_bulletin_2020_zh.csv"
CENSUS = DATA / "census2020_table3_1.txt"
EN2018_ROWS = DATA / "energy_bulletin_2018_en_rows.csv"

EN_MAP = {
    "Energy Consumption in 10,000 yuan GDP": "energy_intensity_change_pct",
    "Total Energy Consumption": "energy_consumption_growth_pct",
    "Power Consumption": "electricity_intensity_change_pct",
}
ZH_MAP = {
    "万元地区生产总值能耗上升或下降": "energy_intensity_change_pct",
    "能源消费总量增速": "energy_consumption_growth_pct",
    "电耗": "electricity_intensity_change_pct",
}


def _panel(source_id: str) -> pd.DataFrame:
    p = pd.read_csv(RAW_OBS, dtype={"unit": str})
    p = p[p["source_id"] == source_id]
    assert len(p), f"no observations of {source_id} in {RAW_OBS}"
    return p[["unit", "year", "indicator", "value"]]


def _key(df: pd.DataFrame) -> pd.Series:
    return df.set_index(["indicator", "year", "unit"])["value"].sort_index()


# --- layout 1: English bulletin, pipes, units in the header, empty Tibet row -----------------
def test_english_bulletin_2020_values() -> None:
    res = read_wide_table(EN2020, source_id="E2020_NBS_EN", year=2020, indicator=EN_MAP)
    obs = res.observations
    assert len(obs) == 90  # 30 provinces x 3 columns
    assert res.empty_units == ["XZ"]  # Tibet listed without values: a gap, not zeros
    v = _key(obs)
    # published values (NBS English release, 23 Aug 2021)
    assert v[("energy_intensity_change_pct", 2020, "BJ")] == -9.18
    assert v[("energy_consumption_growth_pct", 2020, "BJ")] == -8.1
    assert v[("electricity_intensity_change_pct", 2020, "NX")] == -7.82
    assert v[("energy_intensity_change_pct", 2020, "NM")] == 6.89
    assert set(obs["source_id"]) == {"E2020_NBS_EN"}
    assert res.column_units["Growth Rate of Total Energy Consumption (%)"] == "%"
    assert obs["note"].iloc[0].startswith("energy_bulletin_2020_en.txt line ")


def test_english_bulletin_2020_matches_panel() -> None:
    obs = import_wide_table(EN2020, source_id="E2020_NBS_EN", year=2020, indicator=EN_MAP)
    panel = _panel("E2020_NBS_EN")
    pd.testing.assert_series_equal(_key(obs), _key(panel), check_names=False)


# --- layout 2: Chinese bulletin, names spaced as typeset, 附注 footnotes (CSV and XLSX) -------
def test_chinese_bulletin_agrees_with_english_copy() -> None:
    res = read_wide_table(ZH2020, source_id="E2020_QIONGLING", year=2020, indicator=ZH_MAP)
    en = import_wide_table(EN2020, source_id="E2020_NBS_EN", year=2020, indicator=EN_MAP)
    # two independent copies of the same bulletin agree on all 90 cells
    pd.testing.assert_series_equal(_key(res.observations), _key(en))
    assert list(res.skipped["reason"]) == ["footnote"] * 4
    assert res.skipped["label"].iloc[0] == "附注:"
    assert res.empty_units == ["XZ"]


def _to_xlsx(rows: list[list[str]], path: Path, *, numbers: bool = True) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    for r in rows:
        cells: list[object] = []
        for c in r:
            if numbers:
                try:
                    cells.append(float(c))
                    continue
                except ValueError:
                    pass
            cells.append(c if c != "" else None)
        ws.append(cells)
    wb.save(path)
    return path


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_chinese_bulletin_as_xlsx(tmp_path: Path) -> None:
    rows = _rows(ZH2020)
    xlsx = _to_xlsx(rows, tmp_path / "bulletin2020.xlsx")
    res = read_wide_table(xlsx, source_id="E2020_QIONGLING", year=2020, indicator=ZH_MAP)
    csv_obs = import_wide_table(ZH2020, source_id="E2020_QIONGLING", year=2020, indicator=ZH_MAP)
    pd.testing.assert_series_equal(_key(res.observations), _key(csv_obs))
    # the note names the workbook line of Beijing (title = line 1, header = line 2)
    bj = res.observations[(res.observations["unit"] == "BJ")]
    assert bj["note"].str.startswith("bulletin2020.xlsx line 3, column ").all()


# --- layout 3: 2018 English bulletin in a workbook with title and a note row -------------------
def test_english_bulletin_2018_xlsx(tmp_path: Path) -> None:
    rows = _rows(EN2018_ROWS)
    rows.append(["Note: GDP at 2015 constant prices; Tibet data not available."])
    xlsx = _to_xlsx(rows, tmp_path / "bulletin2018.xlsx")
    obs = import_wide_table(
        xlsx,
        source_id="E2018_MARKETSCREENER",
        year=2018,
        indicator={
            "Energy Consumption Per 10 000 Yuan of GDP": "energy_intensity_change_pct",
            "Industrial Value-Added": "energy_consumption_growth_pct",
            "Electricity": "electricity_intensity_change_pct",
        },
    )
    v = _key(obs)
    assert len(obs) == 90
    assert v[("energy_intensity_change_pct", 2018, "BJ")] == -3.82
    assert v[("energy_consumption_growth_pct", 2018, "NM")] == 16.7
    assert v[("electricity_intensity_change_pct", 2018, "GX")] == 10.38
    panel = _panel("E2018_MARKETSCREENER")
    pd.testing.assert_series_equal(v, _key(panel), check_names=False)


# --- layout 4: census table: title with unit, 全国 first, 现役军人 row, prose below ------------
def test_census_population_and_national_total() -> None:
    res = read_wide_table(
        CENSUS,
        source_id="P2020_CENSUS3_ZCZXWANG",
        layout="indicators",
        year=2020,
        indicator={"人口数": "census_resident_population_persons"},
    )
    obs = res.observations
    assert len(obs) == 31
    assert _key(obs)[("census_resident_population_persons", 2020, "SD")] == 101527453
    assert res.totals["value"].tolist() == [1411778724.0]
    assert res.totals["label"].tolist() == ["全国"]
    assert "现役军人" in set(res.skipped["label"])
    # the bulletin: 31 provinces + 2,000,000 active military personnel = national total
    assert obs["value"].sum() + 2_000_000 == res.totals["value"].iloc[0]
    assert res.column_units["人口数"] == "人、%"  # the table's unit declaration


def test_census_shares_years_as_columns() -> None:
    obs, totals = import_wide_table(
        CENSUS,
        source_id="P2020_CENSUS3_ZCZXWANG",
        layout="years",
        columns=["比重2020年", "比重2010年"],
        indicator="census_population_share_pct",
        return_totals=True,
    )
    v = _key(obs)
    assert sorted(obs["year"].unique()) == [2010, 2020]
    assert v[("census_population_share_pct", 2020, "BJ")] == 1.55
    assert v[("census_population_share_pct", 2010, "BJ")] == 1.46
    assert totals["value"].tolist() == [100.0, 100.0]
    # data/raw holds the 2020 shares (2010 is outside the panel; BJ 2010 is checked above)
    panel = _panel("P2020_CENSUS3_ZCZXWANG")
    panel = panel[panel["indicator"] == "census_population_share_pct"]
    v2020 = v[v.index.get_level_values("year") == 2020]
    assert len(v2020) == 31
    pd.testing.assert_series_equal(v2020, _key(panel), check_names=False)


def test_auto_layout_refuses_mixed_columns() -> None:
    with pytest.raises(InputError) as e:
        import_wide_table(CENSUS, source_id="P2020_CENSUS3_ZCZXWANG", indicator="x")
    msg = str(e.value)
    assert "census2020_table3_1.txt" in msg and "row 6" in msg
    assert "'比重2020年'" in msg and "'人口数'" in msg and "ambiguous" in msg


def test_years_layout_auto_thousands_and_placeholders(tmp_path: Path) -> None:
    # real census rows re-typed the way yearbook CSV exports print them
    p = tmp_path / "pop.csv"
    p.write_text(
        "各地区人口\n单位：人\n地区 Region,2020年\n"
        '全国 National Total,"1,411,778,724"\n'
        '北京 Beijing,"21,893,095"\n'
        "天津 Tianjin,…\n"
        "河北 Hebei,—\n"
        '西藏 Tibet,"3,648,100"\n'
        "注：2020年为第七次全国人口普查数据。\n",
        encoding="utf-8",
    )
    res = read_wide_table(
        p, source_id="P2020_CENSUS3_ZCZXWANG", indicator="census_resident_population_persons"
    )
    assert _key(res.observations).to_dict() == {
        ("census_resident_population_persons", 2020, "BJ"): 21893095.0,
        ("census_resident_population_persons", 2020, "XZ"): 3648100.0,
    }
    assert res.empty_units == ["TJ", "HE"]
    assert res.totals["value"].tolist() == [1411778724.0]
    assert res.column_units == {"2020年": "人"}


def test_gb18030_csv_is_read(tmp_path: Path) -> None:
    p = tmp_path / "gbk.csv"
    p.write_bytes("地区,2019年,2020年\n北京,35445.1,36102.6\n".encode("gb18030"))
    obs = import_wide_table(p, source_id="GDP_NBS_C", indicator="gdp_nominal")
    assert obs["value"].tolist() == [35445.1, 36102.6]


def test_parse_number() -> None:
    assert parse_number("1,411,778,724") == 1411778724.0
    assert parse_number("－9.18") == -9.18
    assert parse_number("2.6*") == 2.6
    assert parse_number("+16.7") == 16.7
    for t in ("", "…", "-", "—", "..", "NA"):
        assert parse_number(t) is None
    with pytest.raises(ValueError):
        parse_number("abc")


# --- malformed tables ---------------------------------------------------------------------
def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_unknown_province_named_with_line_and_closest(tmp_path: Path) -> None:
    p = _write(tmp_path, "地区,2019,2020\n北京,1,2\n北平,3,4\n")
    with pytest.raises(InputError) as e:
        import_wide_table(p, source_id="S", indicator="x")
    msg = str(e.value)
    assert "t.csv" in msg and "row 3" in msg
    assert "unknown province name '北平'" in msg and "北京 / Beijing (BJ)" in msg
    assert "What to do" in msg


def test_duplicate_province_rejected(tmp_path: Path) -> None:
    p = _write(tmp_path, "Region,2020\nBeijing,1\n北京市,2\n")
    with pytest.raises(InputError, match=r"row 3.*'北京市' \(BJ\) appears twice \(lines 2 and 3\)"):
        import_wide_table(p, source_id="S", indicator="x")


def test_non_numeric_cell_rejected(tmp_path: Path) -> None:
    p = _write(tmp_path, "Region,2019,2020\nBeijing,1,2\nTianjin,3,n/a?\n")
    with pytest.raises(
        InputError,
        match=r"row 3, column '2020'.*'n/a\?' in column '2020' for 'Tianjin' is not a number",
    ):
        import_wide_table(p, source_id="S", indicator="x")


def test_missing_header_rejected(tmp_path: Path) -> None:
    p = _write(tmp_path, "Beijing,1,2\nTianjin,3,4\n")
    with pytest.raises(InputError, match="no header row above the first province row"):
        import_wide_table(p, source_id="S", indicator="x")


def test_no_province_rows_rejected(tmp_path: Path) -> None:
    p = _write(tmp_path, "Country,2020\nFrance,1\n")
    with pytest.raises(InputError, match="no row starts with a province name"):
        import_wide_table(p, source_id="S", indicator="x")


def test_indicators_layout_needs_year_and_ids() -> None:
    with pytest.raises(InputError, match="no year was given"):
        import_wide_table(EN2020, source_id="E2020_NBS_EN", indicator=EN_MAP)
    with pytest.raises(InputError, match="3 value columns"):
        import_wide_table(EN2020, source_id="E2020_NBS_EN", year=2020, indicator="x")
    with pytest.raises(InputError, match="column 'Consumption' matches several columns"):
        import_wide_table(
            EN2020, source_id="E2020_NBS_EN", year=2020, indicator={"Consumption": "x"}
        )


def test_province_after_footnote_rejected(tmp_path: Path) -> None:
    p = _write(tmp_path, "Region,2020\nBeijing,1\nNote: provisional\nTianjin,2\n")
    with pytest.raises(InputError, match=r"row 4.*province row 'Tianjin' after a footnote line"):
        import_wide_table(p, source_id="S", indicator="x")


def test_duplicate_year_columns_rejected(tmp_path: Path) -> None:
    p = _write(tmp_path, "Region,2020,2020年\nBeijing,1,2\n")
    with pytest.raises(InputError, match="year 2020 appears in two columns"):
        import_wide_table(p, source_id="S", indicator="x")


def test_xls_rejected(tmp_path: Path) -> None:
    p = _write(tmp_path, "x", name="old.xls")
    with pytest.raises(InputError, match=r"save it as \.xlsx"):
        import_wide_table(p, source_id="S", indicator="x")


def test_missing_source_id_rejected() -> None:
    with pytest.raises(InputError, match="no source id"):
        import_wide_table(EN2020, source_id="", year=2020, indicator=EN_MAP)


# --- command line ----------------------------------------------------------------------------
def test_cli_writes_and_appends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "new.csv"
    args = [str(CENSUS), "--source-id", "P2020_CENSUS3_ZCZXWANG", "--layout", "indicators", "--year", "2020",
            "--indicator", "人口数=census_resident_population_persons", "--out", str(out),
            "--totals-out", str(tmp_path / "totals.csv")]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "31 observations" in err and "national totals kept apart: 1" in err and "现役军人" in err
    written = pd.read_csv(out)
    assert list(written.columns) == ["unit", "year", "indicator", "value", "source_id", "note"]
    assert len(written) == 31
    assert pd.read_csv(tmp_path / "totals.csv")["value"].tolist() == [1411778724.0]
    # the same rows again: refused without --append, refused as duplicates with --append
    assert main(args) == 2
    assert "the output file exists" in capsys.readouterr().err
    assert main([*args, "--append"]) == 2
    assert "31 observation(s) already in the file" in capsys.readouterr().err
