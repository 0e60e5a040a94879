"""The shipped dataset (data/raw): contract, provenance and the coverage rule.

Derived indicators are computed here directly with pandas from the codebook's numerator,
denominator and scale (independently of the workflow's treatment code).
"""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greenindex.data.coverage import coverage_rule

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
SHARED = ROOT / "data" / "material"  # the gathered material, vendored
WINDOW = (2016, 2020)
DEFAULT_DROP = ["XZ"]  # config units.drop


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return pd.read_csv(
        RAW / "observations.csv", dtype={"unit": str, "indicator": str, "source_id": str}
    )


@pytest.fixture(scope="module")
def codebook() -> pd.DataFrame:
    return pd.read_csv(RAW / "codebook.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return pd.read_csv(RAW / "sources.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return pd.read_csv(RAW / "units.csv", dtype=str, keep_default_na=False)


def test_columns(
    obs: pd.DataFrame, codebook: pd.DataFrame, sources: pd.DataFrame, units: pd.DataFrame
) -> None:
    assert list(obs.columns) == ["unit", "year", "indicator", "value", "source_id", "note"]
    assert list(codebook.columns) == [
        "id", "role", "name_zh", "name_en", "unit", "dimension", "direction", "weight", "numerator",
        "denominator", "scale", "source_id", "min_value", "max_value", "rationale",
    ]  # fmt: skip
    assert list(sources.columns)[:6] == [
        "source_id",
        "publication",
        "table",
        "obtained_from",
        "licence_terms",
        "citation",
    ]
    assert list(units.columns) == ["unit", "name_zh", "name_en", "nbs4", "belt3"]


def test_every_source_id_listed_and_citable(obs: pd.DataFrame, sources: pd.DataFrame) -> None:
    assert not sources["source_id"].duplicated().any()
    known = set(sources["source_id"])
    assert set(obs["source_id"]) <= known
    used = sources[sources["source_id"].isin(set(obs["source_id"]))]
    assert (used["citation"].str.len() > 20).all()
    assert not used["citation"].str.startswith("Not cited").any()
    assert (used["used_in_data"] == "true").all()
    ceads = sources.set_index("source_id").loc["CEADS_OPENCLIMATE", "citation"]
    for paper in (
        "Applied Energy 184",
        "Scientific Data 5, 170201",
        "Scientific Data 7, 54",
        "Earth's Future 9",
    ):
        assert paper in ceads


def test_no_duplicates_and_numeric(obs: pd.DataFrame) -> None:
    assert not obs.duplicated(["unit", "year", "indicator"]).any()
    assert obs["value"].notna().all() and np.isfinite(obs["value"]).all()
    assert obs["year"].between(2011, 2020).all()


def test_units_are_the_31_provinces(obs: pd.DataFrame, units: pd.DataFrame) -> None:
    assert len(units) == 31 and not units["unit"].duplicated().any()
    assert set(obs["unit"]) == set(units["unit"])
    # docs/methods.md section 5: NBS four regions 10/6/12/3; three belts 11/8/12
    assert units["nbs4"].value_counts().to_dict() == {
        "west": 12,
        "east": 10,
        "central": 6,
        "northeast": 3,
    }
    assert units["belt3"].value_counts().to_dict() == {"west": 12, "east": 11, "central": 8}
    reg = units.set_index("unit")
    assert reg.loc["LN", "nbs4"] == "northeast" and reg.loc["LN", "belt3"] == "east"
    assert reg.loc["JL", "belt3"] == "central" and reg.loc["NM", "nbs4"] == "west"


def test_codebook_consistent(obs: pd.DataFrame, codebook: pd.DataFrame) -> None:
    ids = set(codebook["id"])
    assert not codebook["id"].duplicated().any()
    assert set(obs["indicator"]) <= ids
    assert set(codebook["role"]) == {"indicator", "variable", "recommended"}
    fw = pd.read_csv(RAW / "framework.csv", dtype=str, keep_default_na=False)
    ind = codebook[codebook["role"] == "indicator"]
    assert set(ind["dimension"]) <= set(fw["id"]) - {"index"}
    assert set(ind["direction"]) <= {"1", "-1"}
    assert (ind["rationale"].str.len() > 40).all()
    for _, r in codebook.iterrows():
        for col in ("numerator", "denominator"):
            assert r[col] == "" or r[col] in ids, (r["id"], col)
    # every series an indicator needs is observed; recommended ones have no data
    observed = set(obs["indicator"])
    for _, r in ind.iterrows():
        assert (r["numerator"] or r["id"]) in observed
        assert r["denominator"] == "" or r["denominator"] in observed
    assert not set(codebook.loc[codebook["role"] == "recommended", "id"]) & observed
    rec = set(codebook.loc[codebook["role"] == "recommended", "id"])
    for needed in ("industrial_so2_emissions", "industrial_nox_emissions", "industrial_particulate_emissions",
                   "industrial_cod_discharge", "industrial_ammonia_nitrogen_discharge",
                   "solid_waste_utilisation_rate", "industrial_water_use"):  # fmt: skip
        assert needed in rec


def _derived(obs: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    wide = obs.pivot(index=["unit", "year"], columns="indicator", values="value")
    out = {}
    for _, r in codebook[codebook["role"] == "indicator"].iterrows():
        x = wide[r["numerator"] or r["id"]]
        if r["denominator"]:
            x = x / wide[r["denominator"]]
        out[r["id"]] = x * float(r["scale"] or 1)
    return pd.DataFrame(out)


def test_default_indicators_meet_the_coverage_rule(
    obs: pd.DataFrame, codebook: pd.DataFrame, units: pd.DataFrame
) -> None:
    der = _derived(obs, codebook)
    keep = [u for u in units["unit"] if u not in DEFAULT_DROP]
    der = der[der.index.get_level_values("unit").isin(keep)]
    ids = list(codebook.loc[codebook["role"] == "indicator", "id"])
    rule = coverage_rule(der, units=keep, indicators=ids, window=WINDOW, min_years=4, min_units=30)
    assert rule["passes"].all(), rule[~rule["passes"]]
    assert len(ids) >= 8


def test_derived_values_in_codebook_ranges(obs: pd.DataFrame, codebook: pd.DataFrame) -> None:
    der = _derived(obs, codebook)
    cb = codebook.set_index("id")
    for c in der.columns:
        v = der[c].dropna()
        lo = float(cb.loc[c, "min_value"]) if cb.loc[c, "min_value"] else -np.inf
        hi = float(cb.loc[c, "max_value"]) if cb.loc[c, "max_value"] else np.inf
        assert v.between(lo, hi).all(), c
    # spot values computed by hand from the published numbers:
    # Beijing 2018 R&D 1870.8 亿元 / GDP 33106.0 亿元 -> 5.65 %
    w = obs.pivot(index=["unit", "year"], columns="indicator", values="value")
    assert w.loc[("BJ", 2018), "gdp_nominal"] == 33106.0
    assert w.loc[("BJ", 2018), "rd_expenditure"] == 1870.8
    assert der.loc[("BJ", 2018), "rd_intensity"] == pytest.approx(5.65094, abs=1e-5)


def _shared_panel() -> pd.DataFrame:
    return pd.read_csv(SHARED / "panel_long.csv")


def test_values_match_the_material_exactly(obs: pd.DataFrame) -> None:
    from greenindex.data.units import canonical_unit

    p = _shared_panel()
    p = p[p["year"].between(2011, 2020)].copy()
    p["unit"] = p["province_zh"].map(canonical_unit)
    key = ["unit", "year", "indicator"]
    a = obs.set_index(key)[["value", "source_id"]].sort_index()
    b = p.set_index(key)[["value", "source_id"]].sort_index()
    # the same cells (nothing added, nothing dropped) with identical values and sources
    assert a.index.equals(b.index)
    assert (a["value"].to_numpy() == b["value"].to_numpy()).all()
    assert (a["source_id"].to_numpy() == b["source_id"].to_numpy()).all()


def test_build_script_reproduces_files(tmp_path: Path) -> None:
    # data/raw is exactly what the build script makes from the vendored material
    import runpy

    mod = runpy.run_path(str(RAW / "build_from_shared.py"))
    mod["main"](["--shared", str(SHARED), "--out", str(tmp_path)])
    for name in ("observations.csv", "sources.csv", "national_totals.csv"):
        assert filecmp.cmp(tmp_path / name, RAW / name, shallow=False), name


def test_every_source_says_where_to_retrace_it(sources: pd.DataFrame, obs: pd.DataFrame) -> None:
    """Each source row names the official publication and table, then a public copy a reader
    can open (an address, or a repository with commit and path) or says that none was found."""
    assert "retrace" in sources.columns
    for _, r in sources.iterrows():
        text = r["retrace"]
        assert text.startswith(f"Official: {r['publication']}, {r['table']}. Public copy: "), r[
            "source_id"
        ]
        copy = text.split(". Public copy: ", 1)[1]
        assert copy.startswith(("http://", "https://", "no public copy identified")), r["source_id"]
        if "github.com" in copy:  # a repository copy names the commit that was read
            assert re.search(r"commit [0-9a-f]{40}", copy), r["source_id"]
        if copy.startswith("no public copy identified") and r["source_id"] in set(obs["source_id"]):
            # values used in the index without a public copy: the official route is given
            assert "https://" in copy, r["source_id"]
    # the intermediate files of the original collection are not named anywhere
    for col in sources.columns:
        assert not sources[col].str.contains(r"(?<![\w.])/(?:tmp|work|home)/", regex=True).any(), (
            col
        )
