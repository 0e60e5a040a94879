"""Time consistency and disclosure: cell status, data years, imputed-weight shares, and the
synthetic entry-year test (an indicator with constant true values entering mid-panel moves no
dynamics output at its entry year)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.analysis import composition as comp
from greenindex.analysis.convergence import kernel_density, sigma_convergence
from greenindex.analysis.disparity import cv_by_year, dagum_by_year, theil_by_year
from greenindex.analysis.regional import region_means
from greenindex.analysis.spatial import morans_i, weights_from_table
from greenindex.index.framework import Framework
from greenindex.index.pipeline import (
    aggregate_from_config,
    normalise_from_config,
    weight_basis,
    weights_from_config,
)

UNITS = [f"u{i}" for i in range(8)]
YEARS = list(range(2011, 2017))
ENTRY = 2014
FW = Framework(
    parent={"a": "D1", "b": "D1", "c": "D2", "d": "D2", "D1": "index", "D2": "index"},
    weight=dict.fromkeys(("a", "b", "c", "d", "D1", "D2"), 1),
    direction={"a": 1, "b": 1, "c": 1, "d": -1},
    indicators=("a", "b", "c", "d"),
    names={"D2": {"en": "Second", "zh": "第二"}, "c": {"en": "Cee", "zh": "丙"}},
)
METHODS = {
    "normalise": {"method": "minmax", "range": [0, 100], "scope": "pooled"},
    "weights": {"method": "entropy", "level": "within_parent", "scope": "pooled"},
    "aggregate": {"method": "arithmetic"},
}
REGIONS = pd.Series(["r1"] * 4 + ["r2"] * 4, index=UNITS)


def _panel() -> pd.DataFrame:
    """Every indicator constant over time (true values never change); c enters in 2014."""
    rng = np.random.default_rng(7)
    base = {k: rng.uniform(1, 10, len(UNITS)) for k in "abcd"}
    idx = pd.MultiIndex.from_product([UNITS, YEARS], names=["unit", "year"])
    df = pd.DataFrame({k: np.repeat(v, len(YEARS)) for k, v in base.items()}, index=idx)
    df.loc[df.index.get_level_values("year") < ENTRY, "c"] = np.nan
    return df


def _full_scores(treated: pd.DataFrame) -> pd.DataFrame:
    z, _ = normalise_from_config(treated, FW.direction, METHODS["normalise"])
    w = weights_from_config(weight_basis(treated, FW.direction), FW, METHODS["weights"])
    return aggregate_from_config(z, FW, w.weights, METHODS["aggregate"])


def _dynamics_outputs(scores: pd.DataFrame) -> dict[str, pd.DataFrame]:
    s = scores[["index"]]
    nb = pd.DataFrame(
        [(u, v) for i, u in enumerate(UNITS) for v in (UNITS[i - 1], UNITS[(i + 1) % 8])],
        columns=["unit", "neighbour"],
    )
    w = weights_from_table(nb, UNITS)
    return {
        "trend": region_means(
            s, REGIONS.reindex(s.index.get_level_values("unit")).set_axis(s.index)
        ),
        "theil": theil_by_year(s, REGIONS, "index"),
        "dagum": dagum_by_year(s, REGIONS, "index")[0],
        "cv": cv_by_year(s, REGIONS, "index"),
        "sigma": sigma_convergence(s, REGIONS, "index"),
        "kde": kernel_density(s, REGIONS, "index", grid=50),
        "moran": morans_i(s, w, "index", permutations=0).drop(
            columns=["permutations"], errors="ignore"
        ),
    }


def _at(table: pd.DataFrame, year: int) -> np.ndarray:
    t = table[table["year"] == year].drop(columns=["year"])
    return t.select_dtypes("number").to_numpy(dtype=float)


def test_entry_year_moves_no_dynamics_output_on_the_consistent_basis():
    treated = _panel()
    full = _full_scores(treated)
    status = comp.cell_status(treated, None)
    res = comp.dynamics_basis(full, treated, status, FW, METHODS, YEARS, "panel_consistent")
    assert res.excluded == ["c"]
    assert res.breaks.empty  # nothing to mark: one composition in every year
    assert [b["year"] for b in res.info["full_index_breaks"]] == [ENTRY]
    out = _dynamics_outputs(res.scores)
    for name, table in out.items():
        if "year" not in table.columns:
            table = table.reset_index()
        before, at = _at(table, ENTRY - 1), _at(table, ENTRY)
        assert before.size and before.shape == at.shape, name
        np.testing.assert_allclose(at, before, rtol=1e-12, atol=1e-12, err_msg=name)


def test_mixed_basis_shows_the_jump_that_the_consistent_basis_removes():
    # the same panel analysed as it is: the entry year moves the index (the test above can fail)
    treated = _panel()
    full = _full_scores(treated)
    status = comp.cell_status(treated, None)
    res = comp.dynamics_basis(full, treated, status, FW, METHODS, YEARS, "mixed")
    nat = res.scores["index"].groupby("year").mean()
    assert abs(nat[ENTRY] - nat[ENTRY - 1]) > 1e-6
    assert nat[ENTRY - 1] == pytest.approx(nat[2011])
    theil = _dynamics_outputs(res.scores)["theil"]
    assert not np.allclose(_at(theil, ENTRY), _at(theil, ENTRY - 1))
    assert list(res.breaks["entered"]) == ["c"]
    note = comp.break_note(res.breaks, {"c": "Cee"})
    assert "2014" in note and "Cee" in note


def test_full_years_basis_keeps_the_full_index_in_complete_years():
    treated = _panel()
    full = _full_scores(treated)
    res = comp.dynamics_basis(
        full, treated, comp.cell_status(treated, None), FW, METHODS, YEARS, "full_years"
    )
    assert res.years == [2014, 2015, 2016]
    pd.testing.assert_frame_equal(res.scores, full[full.index.get_level_values("year") >= ENTRY])


def test_cell_status_data_years_and_imputed_shares():
    treated = _panel()
    flags = pd.DataFrame(
        [
            ("u0", 2016, "d", "impute", "nearest"),  # d carried from 2015 to 2016 for u0
            ("u1", 2013, "a", "impute", "linear"),  # a interpolated in 2013 for u1
        ],
        columns=["unit", "year", "indicator", "step", "method"],
    )
    status = comp.cell_status(treated, flags).set_index(["unit", "year", "indicator"])
    assert status.loc[("u0", 2016, "d"), "status"] == "carried"
    assert status.loc[("u0", 2016, "d"), "data_year"] == 2015
    assert status.loc[("u1", 2013, "a"), "source_years"] == "2012-2014"
    assert status.loc[("u0", 2012, "c"), "status"] == "absent"
    st = status.reset_index()
    years = comp.data_years(st, FW).set_index(["year", "dimension"])
    assert years.loc[(2016, "D2"), "status"] == "carried"
    assert (
        years.loc[(2016, "D2"), "note_en"]
        == "Second: 2015 data carried to 2016 (d; 1 of 8 provinces)"
    )
    assert "沿用 2015 年数据" in years.loc[(2016, "D2"), "note_zh"]
    assert years.loc[(2012, "D2"), "note_en"] == "Second: Cee not available in 2012"
    assert years.loc[(2015, "D1"), "status"] == "observed"
    assert comp.year_note(years.reset_index(), 2015) == ""
    # shares of effective weight: equal weights, u0 in 2016 has d (1/2 of D2, D2 1/2 of index)
    w = FW.within_parent_shares()
    sh = comp.imputed_weight_shares(st, FW, w).set_index(["unit", "year"])
    assert sh.loc[("u0", 2016), "share_index"] == pytest.approx(0.25)
    assert sh.loc[("u0", 2016), "share_D2"] == pytest.approx(0.5)
    # u1 in 2013: c absent, so D2 = d alone; a is 1/2 of D1: share 1/4
    assert sh.loc[("u1", 2013), "share_index"] == pytest.approx(0.25)
    assert sh.loc[("u2", 2013), "share_index"] == 0.0
    ct = comp.composition_table(st).set_index(["unit", "year"])
    assert ct.loc[("u0", 2012), "composition"] == "a+b+d"
    assert ct.loc[("u0", 2016), "n_carried"] == 1


def test_claim_texts_name_the_data_years_they_compare():
    data = pd.DataFrame(
        {
            "year": [2016, 2017, 2020],
            "note_en": [
                "",
                "Green: 2017 values interpolated between 2016 and 2018 (x)",
                "Energy: 2019 data carried to 2020 (y)",
            ],
            "note_zh": ["", "绿色：插值", "能源：沿用 2019 年数据"],
        }
    )
    table = pd.DataFrame(
        {
            "claim": ["C1", "C2", "C1"],
            "variant": ["a", "a", "obs"],
            "details": ["mean up.", "gradient", "mean down"],
            "details_zh": ["上升", "梯度", "下降"],
        }
    )
    out = comp.annotate_claims(table, data, (2016, 2020), observed_only=["obs"])
    assert out.loc[0, "details"] == "mean up. Data: Energy: 2019 data carried to 2020 (y)"
    assert "2017 values interpolated" in out.loc[1, "details"]  # C2 reads every window year
    assert "2017" not in out.loc[0, "details"]  # C1 compares the ends only
    assert out.loc[2, "details"].startswith("mean down. Left out (observed cells only")
    assert out.loc[0, "details_zh"] == "上升。数据说明：能源：沿用 2019 年数据"


def test_mark_breaks_draws_a_labelled_line_on_year_axes_only():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a1, a2) = plt.subplots(1, 2)
    a1.plot([2011, 2016], [0, 1])
    a2.plot([0, 1000], [0, 1])  # not a year axis
    comp.mark_breaks(fig, [ENTRY], "en")
    lines = [ln for ln in a1.get_lines() if ln.get_linestyle() == "--"]
    assert len(lines) == 1 and lines[0].get_xdata()[0] == ENTRY - 0.5
    assert [t.get_text() for t in a1.texts] == ["composition change"]
    assert not [ln for ln in a2.get_lines() if ln.get_linestyle() == "--"]
    plt.close(fig)
