"""Treatment: denomination, imputation, screen, outliers (hand-checkable cases and
published e1071 / COINr statistics)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from greenindex.errors import ConfigError, InputError
from greenindex.index import impute, outliers, treat
from greenindex.index.pipeline import treat_steps_from_config


def panel(data: dict[str, list[float]], units: list[str], years: list[int]) -> pd.DataFrame:
    idx = pd.MultiIndex.from_arrays([units, years], names=["unit", "year"])
    return pd.DataFrame(data, index=idx, dtype=float)


def test_denominate_ratio_scale_and_own_series():
    raw = panel({"co2": [10, 20], "gdp": [2, 5], "rd": [1, 3]}, ["a", "b"], [2020, 2020])
    cb = pd.DataFrame(
        {
            "id": ["co2_int", "rd", "gdp"],
            "role": ["indicator", "indicator", "variable"],
            "numerator": ["co2", "", ""],
            "denominator": ["gdp", "", ""],
            "scale": [100, None, None],
        }
    )
    out, rep = treat.denominate(raw, cb)
    assert list(out.columns) == ["co2_int", "rd"]
    np.testing.assert_allclose(out["co2_int"], [500.0, 400.0])
    np.testing.assert_allclose(out["rd"], [1.0, 3.0])
    assert rep.summary.set_index("indicator").loc["co2_int", "denominator"] == "gdp"


def test_denominate_zero_denominator_names_unit_and_year():
    raw = panel({"co2": [10, 20], "gdp": [2, 0]}, ["a", "b"], [2020, 2021])
    cb = pd.DataFrame({"id": ["co2"], "denominator": ["gdp"]})
    with pytest.raises(InputError, match="b 2021"):
        treat.denominate(raw, cb)


def test_denominate_unknown_series():
    raw = panel({"co2": [10]}, ["a"], [2020])
    with pytest.raises(InputError, match="'gdp'"):
        treat.denominate(raw, pd.DataFrame({"id": ["co2"], "denominator": ["gdp"]}))


def test_linear_interpolation_uses_year_distance_and_edges():
    x = panel(
        {"v": [np.nan, 1.0, np.nan, np.nan, 7.0, np.nan]},
        ["a"] * 6,
        [2015, 2016, 2017, 2018, 2019, 2020],
    )
    out, rep = impute.impute(x, "linear", edge="nearest")
    np.testing.assert_allclose(out["v"], [1.0, 1.0, 3.0, 5.0, 7.0, 7.0])
    m = rep.cells.set_index("year")["method"]
    assert m[2017] == "linear" and m[2015] == "nearest" and m[2020] == "nearest"
    assert len(rep.cells) == 4 and rep.cells["old"].isna().all()
    # uneven years: 2010 -> 0, 2015 -> 10 gives 2012 -> 4
    y = panel({"v": [0.0, np.nan, 10.0]}, ["a"] * 3, [2010, 2012, 2015])
    np.testing.assert_allclose(impute.impute(y, "linear")[0]["v"], [0.0, 4.0, 10.0])


def test_linear_does_not_cross_units_and_edge_none():
    x = panel({"v": [1.0, np.nan, 5.0, np.nan]}, ["a", "a", "b", "b"], [2019, 2020, 2019, 2020])
    out, rep = impute.impute(x, "linear", edge="none")
    assert out["v"].isna().sum() == 2 and len(rep.cells) == 0


def test_group_year_mean_edges_and_group_mean():
    x = panel({"v": [1.0, 3.0, np.nan, 10.0]}, ["a", "b", "c", "d"], [2020] * 4)
    groups = pd.Series({"a": "g", "b": "g", "c": "g", "d": "h"})
    out, rep = impute.impute(x, "group_mean", groups=groups)
    assert out.loc[("c", 2020), "v"] == 2.0
    assert rep.cells.iloc[0]["method"] == "group_mean"
    out2, rep2 = impute.impute(x, "linear", edge="group_year_mean", groups=groups)
    assert out2.loc[("c", 2020), "v"] == 2.0 and rep2.cells.iloc[0]["method"] == "group_year_mean"
    with pytest.raises(ConfigError, match="groups"):
        impute.impute(x, "group_mean")


def test_screen_threshold_inclusive():
    x = panel(
        {"a": [1, 2, np.nan], "b": [1, np.nan, np.nan], "c": [1, 2, 3]}, ["u", "v", "w"], [2020] * 3
    )
    out, rep = treat.screen(x, unit_threshold=2 / 3)
    assert list(out.index.get_level_values("unit")) == ["u", "v"]
    out, rep = treat.screen(x, indicator_threshold=1.0)
    assert list(out.columns) == ["c"]
    s = rep.summary.set_index(["kind", "id"])
    assert s.loc[("indicator", "b"), "availability"] == pytest.approx(1 / 3)
    assert not s.loc[("indicator", "b"), "kept"]


def test_skew_kurt_type2_equals_scipy_unbiased():
    rng = np.random.default_rng(1)
    v = rng.lognormal(size=40)
    sk, ku = outliers.skew_kurt(v)
    assert sk == pytest.approx(stats.skew(v, bias=False), rel=1e-12)
    assert ku == pytest.approx(stats.kurtosis(v, bias=False), rel=1e-12)


def _asem_raw():
    from pathlib import Path

    p = Path(__file__).resolve().parents[1] / "data" / "coinr_asem" / "ASEM_iData.csv"
    return pd.read_csv(p)


def test_skew_kurt_published_values():
    """COINr vignette (treat.html): e1071 type-2 skew / kurtosis of raw ASEM columns."""
    d = _asem_raw()
    published = {
        "LPI": (-0.3042681, -0.6567514),
        "Flights": (2.1032872, 4.5088794),
        "Gas": (2.8294486, 10.3346494),
        "Services": (1.7010849, 2.3756557),
    }
    for col, (s, k) in published.items():
        sk, ku = outliers.skew_kurt(d[col].to_numpy(dtype=float))
        assert sk == pytest.approx(s, abs=5e-7) and ku == pytest.approx(k, abs=5e-7)


def test_winsorise_published_values():
    """COINr vignette: after winsorising the raw data (default Treat), Flights 1 point
    1.900658 / 3.336065, Goods 2 points 1.140608 / 0.1572047."""
    d = _asem_raw()
    for col, n, s, k in [("Flights", 1, 1.900658, 3.336065), ("Goods", 2, 1.140608, 0.1572047)]:
        _, info = outliers.winsorise_log_column(d[col].to_numpy(dtype=float))
        assert info["action"] == "winsorised" and info["n_winsorised"] == n
        assert info["skew_after"] == pytest.approx(s, abs=5e-6)
        assert info["kurt_after"] == pytest.approx(k, abs=5e-7)


def test_winsorise_replaces_extreme_by_next_value_and_ties():
    v = np.array([1, 2, 2, 3, 3, 4, 4, 5, 100.0, 100.0])
    new, info = outliers.winsorise_log_column(
        v, skew_threshold=0.5, kurt_threshold=-10, max_points=1
    )
    # both tied maxima are replaced by the next highest value in one step
    np.testing.assert_array_equal(new, [1, 2, 2, 3, 3, 4, 4, 5, 5, 5])
    assert info["n_steps"] == 1 and info["n_winsorised"] == 2 and info["action"] == "winsorised"
    # skew of the result by the textbook formula (scipy, unbiased) is below the threshold
    assert info["skew_after"] == pytest.approx(stats.skew(new, bias=False))


def test_log_fallback_on_original_column():
    v = np.array([1.0] * 30 + [1000.0, 2000.0, 3000.0, 4000.0, 5000.0, 6000.0, 7000.0])
    new, info = outliers.winsorise_log_column(v, max_points=1)
    assert info["action"] == "log"
    lo, hi = v.min(), v.max()
    np.testing.assert_allclose(new, np.log(v - lo + 0.01 * (hi - lo)))


def test_passing_column_untouched_and_report():
    x = panel({"v": [1.0, 2.0, 3.0, 4.0, 5.0]}, list("abcde"), [2020] * 5)
    out, rep = outliers.treat_outliers(x, "winsorise_log")
    pd.testing.assert_frame_equal(out, x)
    assert rep.summary.iloc[0]["action"] == "none" and len(rep.cells) == 0


def test_treat_chain_reports_every_step():
    x = panel(
        {"v": [1.0, np.nan, 3.0, 4.0], "w": [1.0, 2.0, 3.0, 5.0]},
        ["a", "a", "b", "b"],
        [2019, 2020, 2019, 2020],
    )
    _, _, treated, rep = treat_steps_from_config(x, {})
    assert set(rep) >= {"impute", "impute_cells", "screen", "outliers", "outlier_cells"}
    assert rep["impute_cells"].iloc[0][["unit", "year", "step"]].tolist() == ["a", 2020, "impute"]
    assert treated.notna().all().all()


def test_bad_config_names():
    x = panel({"v": [1.0]}, ["a"], [2020])
    with pytest.raises(ConfigError, match="treat.impute.method"):
        impute.impute(x, "spline")
    with pytest.raises(ConfigError, match="treat.outliers.method"):
        outliers.treat_outliers(x, "trim")


def test_nearest_edge_fill_is_limited_in_years():
    """A series starting in 2016 is not back-filled to 2011 when edge_max_years = 1."""
    import numpy as np
    import pandas as pd

    from greenindex.index.impute import impute

    idx = pd.MultiIndex.from_product([["A"], range(2013, 2021)], names=["unit", "year"])
    x = [np.nan, np.nan, np.nan, 4.0, np.nan, 6.0, 7.0, np.nan]
    data = pd.DataFrame({"x": x}, index=idx)
    out, rep = impute(data, "linear", edge="nearest", edge_max_years=1)
    assert out["x"].tolist()[:3] == [pytest.approx(np.nan, nan_ok=True)] * 2 + [4.0]
    assert out["x"].tolist()[3:] == [4.0, 5.0, 6.0, 7.0, 7.0]
    assert sorted(rep.cells["year"].tolist()) == [2015, 2017, 2020]
    assert dict(zip(rep.cells["year"], rep.cells["method"], strict=True)) == {
        2015: "nearest",
        2017: "linear",
        2020: "nearest",
    }
    unlimited, _ = impute(data, "linear", edge="nearest", edge_max_years=None)
    assert unlimited["x"].notna().all()


def test_substitute_fills_only_gaps_from_real_series():
    import numpy as np
    import pandas as pd

    from greenindex.errors import ConfigError
    from greenindex.index.treat import substitute

    idx = pd.MultiIndex.from_product([["A", "B"], [2019, 2020]], names=["unit", "year"])
    raw = pd.DataFrame(
        {"pop": [10.0, np.nan, 20.0, 21.0], "census": [np.nan, 110000.0, np.nan, 220000.0]},
        index=idx,
    )
    out, rep = substitute(
        raw, [{"target": "pop", "source": "census", "scale": 0.0001, "years": [2020]}]
    )
    assert out["pop"].tolist() == [10.0, 11.0, 20.0, 21.0]  # B 2020 observed: kept
    assert rep.cells[["unit", "year", "step"]].values.tolist() == [["A", 2020, "substitute"]]
    assert raw["pop"].isna().sum() == 1  # input not modified
    with pytest.raises(ConfigError, match=r"treat.substitute\[0\].source"):
        substitute(raw, [{"target": "pop", "source": "censsu"}])
