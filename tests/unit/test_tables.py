"""Result tables: Excel workbook, Stata files and CSVs with a BOM -- names beside codes,
full precision, byte-identical on rerun."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from greenindex.report.tables import scores_table, write_csv_bom, write_dta, write_workbook

UNITS = pd.DataFrame(
    {
        "unit": ["BJ", "HL", "XJ"],
        "name_zh": ["北京市", "黑龙江省", "新疆维吾尔自治区"],
        "name_en": ["Beijing", "Heilongjiang", "Xinjiang"],
        "nbs4": ["east", "northeast", "west"],
    }
)
SCORES = pd.DataFrame(
    {
        "unit": ["BJ", "HL", "XJ"] * 2,
        "year": [2019] * 3 + [2020] * 3,
        "index": [50.123456789012345, 20.5, 10.25, 52.0, 19.0, 19.0],
    }
)


def test_scores_have_names_beside_codes_and_ranks():
    t = scores_table(
        SCORES, UNITS, scheme="nbs4", region_labels={"west": {"zh": "西部地区", "en": "West"}}
    )
    assert list(t.columns[:8]) == [
        "unit",
        "unit_id",
        "name_zh",
        "name_en",
        "region",
        "region_zh",
        "region_en",
        "year",
    ]
    row = t[(t["unit"] == "XJ") & (t["year"] == 2020)].iloc[0]
    assert (
        row["name_zh"] == "新疆维吾尔自治区" and row["region_zh"] == "西部地区" and row["rank"] == 2
    )  # tie shares rank 2
    assert t.loc[0, "index"] == 50.123456789012345  # full precision


def test_csv_has_bom_and_reads_back(tmp_path):
    t = scores_table(SCORES, UNITS, scheme="nbs4")
    p = write_csv_bom(t, tmp_path / "scores.csv")
    raw = p.read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf" and "黑龙江省".encode() in raw and b"\r\n" not in raw
    back = pd.read_csv(p, encoding="utf-8-sig")
    assert back["name_zh"].tolist() == t["name_zh"].tolist()
    assert back["index"].iloc[0] == 50.123456789012345


def test_workbook_and_dta_are_byte_identical_and_read_back(tmp_path):
    t = scores_table(SCORES, UNITS, scheme="nbs4")
    blobs = []
    for run in ("a", "b"):
        time.sleep(1.1 if run == "b" else 0)  # openpyxl stamps the time of saving: it must not show
        x = write_workbook(
            {"scores": t, "claims": pd.DataFrame({"claim": ["C1"], "holds": [True]})},
            tmp_path / run / "t.xlsx",
        )
        d = write_dta(t, tmp_path / run / "scores.dta", label="scores")
        blobs.append((x.read_bytes(), d.read_bytes()))
    assert blobs[0] == blobs[1]
    sheets = pd.read_excel(tmp_path / "a" / "t.xlsx", sheet_name=None)
    assert list(sheets) == ["README", "scores", "claims"]
    assert sheets["scores"]["name_zh"].tolist() == t["name_zh"].tolist()
    assert "name_zh" in sheets["README"].iloc[:, 0].tolist()
    from pandas.io.stata import StataReader

    with StataReader(tmp_path / "a" / "scores.dta") as rd:
        data = rd.read()
        labels = rd.variable_labels()
    assert data["name_zh"].tolist() == t["name_zh"].tolist()
    assert data["index"].iloc[0] == pytest.approx(50.123456789012345, abs=0)
    assert labels["unit_id"].startswith("Province number")
