"""The input contract: each kind of bad input gets a message naming file, row and the fix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from greenindex.data.ingest import check_not_constant, load_inputs, read_table
from greenindex.errors import InputError


def _load(p: dict[str, Path], **kw):
    args = {
        "observations": p["observations"],
        "codebook": p["codebook"],
        "units": p["units"],
        "framework": p["framework"],
        "sources": p["sources"],
        "years": (2016, 2020),
    }
    args.update(kw)
    return load_inputs(**args)


def _edit(path: Path, fn) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = fn(df)
    df.to_csv(path, index=False)


def test_valid_dataset_loads_with_canonical_codes(toy_data):
    before = {k: v.read_bytes() for k, v in toy_data.items()}
    inp = _load(toy_data)
    assert set(inp.observations["unit"]) == {
        "BJ",
        "SH",
        "JS",
        "GD",
        "SX",
        "HB",
        "HN",
        "NM",
        "SC",
        "GS",
        "LN",
        "HL",
    }
    assert inp.indicators == ["rd_intensity", "co2_intensity", "patents", "hightech_share"]
    fw = inp.framework()
    assert fw.root == "index" and fw.parent["rd_intensity"] == "innovation"
    wide = inp.raw_panel(range(2016, 2021))
    assert wide.shape == (12 * 5, 5)
    # inputs are never modified
    assert before == {k: v.read_bytes() for k, v in toy_data.items()}


def test_xlsx_observations(toy_data, tmp_path):
    x = tmp_path / "obs.xlsx"
    pd.read_csv(toy_data["observations"]).to_excel(x, index=False)
    inp = _load(toy_data, observations=x)
    assert len(inp.observations) == 12 * 5 * 5


def test_malformed_csv_names_line(toy_data):
    with open(toy_data["observations"], "a", encoding="utf-8") as f:
        f.write("BJ,2020,gdp,1,2,TOY,extra\n")
    with pytest.raises(InputError) as e:
        _load(toy_data)
    msg = str(e.value)
    assert "observations.csv" in msg and "line 302" in msg and "fields" in msg


def test_missing_column(toy_data):
    _edit(toy_data["observations"], lambda d: d.drop(columns=["value"]))
    with pytest.raises(InputError, match=r"lacks required column\(s\) \['value'\]"):
        _load(toy_data)


def test_unknown_province_lists_closest(toy_data):
    _edit(toy_data["observations"], lambda d: d.assign(unit=d["unit"].replace("Gansu", "Gansoo")))
    with pytest.raises(InputError) as e:
        _load(toy_data)
    msg = str(e.value)
    assert "'Gansoo' (row 227, 228" in msg and "Gansu (GS)" in msg and "observations.csv" in msg


def test_duplicate_row_even_with_other_spelling(toy_data):
    def dup(d):
        extra = d.iloc[[0]].copy()
        extra["unit"] = "北京"  # 北京市 spelled differently: still the same unit
        return pd.concat([d, extra])

    _edit(toy_data["observations"], dup)
    with pytest.raises(InputError) as e:
        _load(toy_data)
    msg = str(e.value)
    assert "duplicate observation" in msg and "(BJ, 2016, gdp)" in msg and "rows 2, 302" in msg


def test_non_numeric_value(toy_data):
    _edit(
        toy_data["observations"],
        lambda d: d.assign(value=d["value"].where(d.index != 4, "1,234.5")),
    )
    with pytest.raises(InputError) as e:
        _load(toy_data)
    msg = str(e.value)
    assert "non-numeric value" in msg and "row 6" in msg and "thousands separators" in msg


def test_missing_value_is_allowed(toy_data):
    _edit(toy_data["observations"], lambda d: d.assign(value=d["value"].where(d.index != 4, "")))
    inp = _load(toy_data)
    assert inp.observations["value"].isna().sum() == 1


def test_unknown_indicator(toy_data):
    _edit(
        toy_data["observations"],
        lambda d: d.assign(indicator=d["indicator"].replace("patents", "patent")),
    )
    with pytest.raises(InputError) as e:
        _load(toy_data)
    assert "not in the codebook: ['patent']" in str(e.value) and "closest known: patents" in str(
        e.value
    )


def test_codebook_indicator_without_data(toy_data):
    _edit(toy_data["observations"], lambda d: d[d["indicator"] != "hightech_share"])
    with pytest.raises(InputError) as e:
        _load(toy_data)
    msg = str(e.value)
    assert (
        "codebook.csv" in msg
        and "'hightech_share'" in msg
        and "row 5" in msg
        and "indicators.exclude" in msg
    )
    # excluding it in the config is the documented way out
    assert "hightech_share" not in _load(toy_data, exclude_indicators=["hightech_share"]).indicators


def test_year_outside_panel(toy_data):
    with pytest.raises(InputError) as e:
        _load(toy_data, years=(2017, 2020))
    msg = str(e.value)
    assert (
        "2016" in msg and "outside the configured panel 2017-2020" in msg and "panel.start" in msg
    )
    assert 2016 not in set(
        _load(toy_data, years=(2017, 2020), outside_years="drop").observations["year"]
    )


def test_direction_not_plus_minus_one(toy_data):
    _edit(
        toy_data["codebook"],
        lambda d: d.assign(direction=d["direction"].where(d["id"] != "patents", "2")),
    )
    with pytest.raises(InputError) as e:
        _load(toy_data)
    msg = str(e.value)
    assert "direction of 'patents' is '2'" in msg and "row 4" in msg and "column 'direction'" in msg


def test_constant_indicator():
    idx = pd.MultiIndex.from_product([["A", "B"], [2016, 2017]], names=["unit", "year"])
    data = pd.DataFrame({"x": [1.0, 2, 3, 4], "c": [5.0, 5, 5, 5]}, index=idx)
    with pytest.raises(InputError, match=r"'c' is constant \(5.0 in every unit-year\)"):
        check_not_constant(data, codebook_file="codebook.csv")


def test_unit_not_in_units_table(toy_data):
    _edit(toy_data["units"], lambda d: d[d["unit"] != "Gansu"])
    with pytest.raises(InputError, match=r"unit\(s\) \['GS'\] are not in the units table"):
        _load(toy_data)


def test_unknown_source(toy_data):
    _edit(
        toy_data["observations"],
        lambda d: d.assign(source_id=d["source_id"].where(d.index != 0, "NOPE")),
    )
    with pytest.raises(InputError, match=r"source id\(s\) \['NOPE'\] not in the sources table"):
        _load(toy_data)


def test_drop_units(toy_data):
    inp = _load(toy_data, drop_units=["Gansu"])
    assert "GS" not in set(inp.units["unit"]) and "GS" not in set(inp.observations["unit"])


def test_read_table_reports_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_table(tmp_path / "nope.csv")
