"""Plausibility checks: ranges, jumps, national sums (hand-checkable cases and the census)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.data.plausibility import (
    FINDING_COLUMNS,
    check_plausibility,
    from_config,
    jump_findings,
    national_sum_findings,
    national_sums,
    range_findings,
)


def _cb() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["share", "count", "growth"],
            "unit": ["%", "件", "%"],
            "min_value": [0.0, 0.0, -100.0],
            "max_value": [100.0, np.nan, np.nan],
        }
    )


def test_range_errors_name_file_row() -> None:
    obs = pd.DataFrame(
        {
            "unit": ["BJ", "TJ", "HE", "SX"],
            "year": [2018] * 4,
            "indicator": ["share", "share", "count", "count"],
            "value": [100.0, 100.5, -1.0, 5.0],
            "_row": [2, 3, 4, 5],
        }
    )
    f = range_findings(obs, _cb(), file="observations.csv", units_of={"share": "%"})
    assert list(f.columns) == FINDING_COLUMNS
    assert f[["indicator", "unit", "row", "severity"]].values.tolist() == [
        ["count", "HE", 4, "error"],
        ["share", "TJ", 3, "error"],
    ]
    assert "above the maximum 100" in f.loc[1, "message"] and "100.5 %" in f.loc[1, "message"]
    assert "below the minimum 0" in f.loc[0, "message"]


def test_range_on_wide_panel() -> None:
    idx = pd.MultiIndex.from_tuples([("BJ", 2019), ("BJ", 2020)], names=["unit", "year"])
    wide = pd.DataFrame({"share": [50.0, 150.0]}, index=idx)
    f = range_findings(wide, {"share": (0.0, 100.0)}, severity="warning")
    assert f[["year", "severity"]].values.tolist() == [[2020, "warning"]]


def test_jumps_consecutive_positive_only() -> None:
    obs = pd.DataFrame(
        {
            "unit": ["A"] * 5 + ["B"] * 2,
            "year": [2011, 2012, 2013, 2015, 2016, 2019, 2020],
            "indicator": ["gdp"] * 7,
            # A: x3.5 (2012, flagged), /4 (2013, flagged), gap 2013->2015 not compared, x2 ok
            # B: 0 -> 5 not ratio-checked
            "value": [10.0, 35.0, 8.75, 100.0, 200.0, 0.0, 5.0],
        }
    )
    f = jump_findings(obs, factor=3.0)
    assert f[["unit", "year"]].values.tolist() == [["A", 2012], ["A", 2013]]
    assert "factor 3.5 from 2011 (10) to 2012 (35)" in f.loc[0, "message"]
    assert "factor 0.25" in f.loc[1, "message"]
    assert len(jump_findings(obs, factor=4.0)) == 0  # 3.5 < 4; 0.25 is exactly 1/4: not beyond
    with pytest.raises(ValueError):
        jump_findings(obs, factor=1.0)


def test_census_national_sum() -> None:
    # 2020 census bulletin no. 3: provinces sum to 1,409,778,724; national 1,411,778,724
    obs = pd.DataFrame(
        {"unit": ["P"], "year": [2020], "indicator": ["pop"], "value": [1_409_778_724.0]}
    )
    tot = pd.DataFrame({"indicator": ["pop"], "year": [2020], "value": [1_411_778_724.0]})
    cmp = national_sums(obs, tot)
    assert cmp.loc[0, "relative_gap"] == pytest.approx(-2_000_000 / 1_411_778_724)
    assert len(national_sum_findings(obs, tot, tolerance=0.05)) == 0
    f = national_sum_findings(obs, tot, tolerance=0.001)
    assert f.loc[0, "severity"] == "warning" and "-0.14 %" in f.loc[0, "message"]
    assert len(national_sum_findings(obs, None)) == 0


def test_check_plausibility_skips_signed_series_for_jumps() -> None:
    obs = pd.DataFrame(
        {
            "unit": ["A"] * 4,
            "year": [2019, 2020] * 2,
            "indicator": ["growth", "growth", "count", "count"],
            "value": [0.5, 5.0, 1.0, 10.0],
        }
    )
    der = pd.DataFrame(
        {"share": [50.0, 120.0]},
        index=pd.MultiIndex.from_tuples([("A", 2019), ("A", 2020)], names=["unit", "year"]),
    )
    f = check_plausibility(obs, _cb(), derived=der, jump_factor=3.0)
    assert f[["check", "severity", "indicator", "file"]].values.tolist() == [
        ["range", "error", "share", "derived indicators"],
        ["jump", "warning", "count", "observations.csv"],
    ]


def test_from_config() -> None:
    kw = from_config({"jump_factor": 2, "range_check": "warning"})
    assert kw == {
        "jump_factor": 2.0,
        "range_severity": "warning",
        "sum_tolerance": 0.05,
        "suspicious_severity": "warning",
    }
    assert from_config({"suspicious_values": "error"})["suspicious_severity"] == "error"
