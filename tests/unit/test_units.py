"""Province name matching: every spelling maps to one code; unknown names list close ones."""

import pandas as pd
import pytest

from greenindex.data.units import UnitMatcher, canonical_unit, match_units, province_table
from greenindex.errors import InputError


@pytest.mark.parametrize(
    "name",
    [
        "内蒙古自治区",
        "内蒙古",
        "Inner Mongolia",
        "Nei Mongol",
        "150000",
        150000,
        "150000.0",
        "Inner Mongolia Autonomous Region",
        "  inner mongolia ",
        "蒙",
    ],
)
def test_inner_mongolia_spellings(name):
    assert canonical_unit(name) == "NM"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("北　京", "BJ"),
        ("北 京", "BJ"),
        ("Shaanxi", "SN"),
        ("Shanxi", "SX"),
        ("陕西省", "SN"),
        ("Xizang", "XZ"),
        ("Tibet", "XZ"),
        ("广西壮族自治区", "GX"),
        ("Guangxi Zhuang Autonomous Region", "GX"),
        ("新疆维吾尔自治区", "XJ"),
        ("Xinjiang Uyghur Autonomous Region", "XJ"),
        ("Hong Kong SAR", "HK"),
        ("Macau", "MO"),
        ("台湾省", "TW"),
        ("辽宁①", "LN"),
        ("河北(1)", "HE"),
        ("Heilongjiang Province", "HL"),
        ("重庆", "CQ"),
        ("Chongqing Municipality", "CQ"),
        ("460000", "HI"),
    ],
)
def test_spellings(name, code):
    assert canonical_unit(name) == code


def test_table_is_complete_and_unique():
    t = province_table()
    assert len(t) == 34
    assert t["code"].is_unique and t["gb2260"].is_unique
    # every official name maps back to its own code
    for _, r in t.iterrows():
        assert canonical_unit(r["name_zh"]) == r["code"]
        assert canonical_unit(r["name_en"]) == r["code"]


def test_unknown_name_lists_closest_and_row():
    with pytest.raises(InputError) as e:
        match_units(
            ["北京", "Inner Mongolai", "Gaungdong"], file="obs.csv", column="unit", rows=[2, 3, 4]
        )
    msg = str(e.value)
    assert "obs.csv" in msg and "'Inner Mongolai' (row 3)" in msg and "Inner Mongolia (NM)" in msg
    assert "'Gaungdong' (row 4)" in msg and "Guangdong (GD)" in msg
    assert "What to do" in msg


def test_generic_unit_set():
    units = pd.DataFrame({"unit": ["AUT", "BEL"], "name_en": ["Austria", "Belgium"]})
    m = UnitMatcher.from_table(units)
    assert m.match(["AUT", "belgium", "Austria"]) == ["AUT", "BEL", "AUT"]
    with pytest.raises(InputError, match="Austira"):
        m.match(["Austira"])
