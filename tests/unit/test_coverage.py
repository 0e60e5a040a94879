"""Coverage tables and heatmap on hand-countable toy panels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.data.coverage import (
    STATUSES,
    coverage_cells,
    coverage_heatmap,
    coverage_rule,
    coverage_table,
)

UNITS = ["A", "B", "C"]
YEARS = [2019, 2020]


def _obs() -> pd.DataFrame:
    # x: A both years, B 2019 only, C never; y: all but C 2020 (NaN value = missing)
    rows = [
        ("A", 2019, "x", 1.0), ("A", 2020, "x", 2.0), ("B", 2019, "x", 3.0),
        ("A", 2019, "y", 1.0), ("A", 2020, "y", 1.0), ("B", 2019, "y", 1.0),
        ("B", 2020, "y", 1.0), ("C", 2019, "y", 1.0), ("C", 2020, "y", np.nan),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["unit", "year", "indicator", "value"])


def test_table_counts_and_names_gaps() -> None:
    t = coverage_table(_obs(), units=UNITS, indicators=["x", "y"], years=YEARS)
    got = t.set_index(["indicator", "year"])
    assert got.loc[("x", 2019), ["n_observed", "n_missing", "missing_units"]].tolist() == [
        2,
        1,
        "C",
    ]
    assert got.loc[("x", 2020), ["n_observed", "n_missing", "missing_units"]].tolist() == [
        1,
        2,
        "B C",
    ]
    assert got.loc[("y", 2020), ["n_observed", "n_missing", "missing_units"]].tolist() == [
        2,
        1,
        "C",
    ]
    assert (got["n_units"] == 3).all()
    assert got.loc[("x", 2020), "share_observed"] == pytest.approx(1 / 3)


def test_imputed_flags_tidy_and_wide_agree() -> None:
    wide = _obs().pivot(index=["unit", "year"], columns="indicator", values="value")
    wide.columns.name = None
    filled = wide.copy()  # what a treatment stage would return: B x 2020 and C y 2020 filled
    filled.loc[("B", 2020), "x"] = 0.0
    filled.loc[("C", 2020), "y"] = 0.0
    flags_tidy = pd.DataFrame({"unit": ["B", "C"], "year": [2020, 2020], "indicator": ["x", "y"]})
    flags_wide = filled.notna() & wide.isna()
    a = coverage_table(filled, units=UNITS, indicators=["x", "y"], years=YEARS, imputed=flags_tidy)
    b = coverage_table(filled, units=UNITS, indicators=["x", "y"], years=YEARS, imputed=flags_wide)
    # C x stays missing (not filled); B x 2020 and C y 2020 are imputed
    assert a.set_index(["indicator", "year"]).loc[("x", 2020), "imputed_units"] == "B"
    assert a.set_index(["indicator", "year"]).loc[("y", 2020), "imputed_units"] == "C"
    assert a.set_index(["indicator", "year"]).loc[("x", 2020), "missing_units"] == "C"
    pd.testing.assert_frame_equal(a, b)


def test_rule_counts_only_observed() -> None:
    flags = pd.DataFrame({"unit": ["A"], "year": [2020], "indicator": ["x"]})
    r = coverage_rule(
        _obs(),
        units=UNITS,
        indicators=["x", "y"],
        window=(2019, 2020),
        min_years=2,
        min_units=2,
        imputed=flags,
    )
    r = r.set_index("indicator")
    # x: A has 2020 imputed, so no unit has both years observed
    assert r.loc["x", "n_units_ok"] == 0 and not r.loc["x", "passes"]
    assert r.loc["x", "units_short"] == "A:1 B:1 C:0"
    assert r.loc["y", "n_units_ok"] == 2 and r.loc["y", "passes"]


def test_heatmap_encodes_status() -> None:
    flags = pd.DataFrame({"unit": ["B"], "year": [2020], "indicator": ["x"]})
    fig = coverage_heatmap(
        _obs(), units=UNITS, indicators=["x", "y"], years=YEARS, imputed=flags, title="t"
    )
    img = fig.axes[0].get_images()[0].get_array()
    code = {s: k for k, s in enumerate(STATUSES)}
    m, o, i = code["missing"], code["observed"], code["imputed"]
    # rows units A, B, C; columns x2019 x2020 y2019 y2020
    expected = np.array([[o, o, o, o], [o, i, o, o], [m, m, o, m]])
    np.testing.assert_array_equal(np.asarray(img), expected)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == UNITS


def test_cells_deterministic_order() -> None:
    a = coverage_cells(
        _obs().sample(frac=1, random_state=1), units=UNITS, indicators=["y", "x"], years=YEARS
    )
    b = coverage_cells(_obs(), units=UNITS, indicators=["y", "x"], years=YEARS)
    pd.testing.assert_frame_equal(a, b)
    assert a["indicator"].iloc[0] == "y" and len(a) == 12


def test_year_passes_tells_observed_from_imputed():
    from greenindex.data.coverage import year_passes

    t = pd.DataFrame(
        {
            "indicator": ["x"] * 3,
            "year": [2019, 2020, 2021],
            "n_observed": [30, 0, 10],
            "n_imputed": [0, 30, 0],
            "passes": [True] * 3,
        }
    )
    out = year_passes(t, 30)
    assert list(out["year_status"]) == ["observed", "imputed", "fails"]
    assert list(out["passes_observed"]) == [True, False, False]
    assert list(out["passes_with_imputed"]) == [True, True, False]
