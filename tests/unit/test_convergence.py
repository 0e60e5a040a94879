"""Tests of greenindex.analysis.convergence against hand formulas and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from greenindex.analysis.convergence import (
    beta_convergence,
    kernel_density,
    sigma_convergence,
    sigma_trend,
    silverman_bandwidth,
)
from greenindex.analysis.regional import NATIONAL
from greenindex.errors import MethodError


def make_panel(values: dict[str, list[float]], years: list[int]) -> pd.Series:
    idx = pd.MultiIndex.from_product([list(values), years], names=["unit", "year"])
    return pd.Series(np.concatenate([values[u] for u in values]), index=idx, name="index")


# -- sigma ----------------------------------------------------------------------------------
def test_sigma_hand_values():
    # ln y = 1 and 3 in 2016 (population SD 1), 2 and 3 in 2017 (SD 0.5)
    s = make_panel({"A": [np.e, np.e**2], "B": [np.e**3, np.e**3]}, [2016, 2017])
    out = sigma_convergence(s).set_index(["year", "statistic"])["value"]
    assert out[(2016, "sd_log")] == pytest.approx(1.0)
    assert out[(2017, "sd_log")] == pytest.approx(0.5)
    a, b = np.e, np.e**3
    assert out[(2016, "cv")] == pytest.approx((b - a) / 2 / ((a + b) / 2))
    trend = sigma_trend(sigma_convergence(s)).set_index("statistic")
    assert trend.loc["sd_log", "slope"] == pytest.approx(-0.5)
    assert trend.loc["sd_log", "change"] == pytest.approx(-0.5)


def test_sigma_per_region_and_ddof():
    s = make_panel(
        {"A": [1.0, 2.0], "B": [3.0, 2.0], "C": [5.0, 6.0], "D": [4.0, 9.0]}, [2016, 2017]
    )
    regions = pd.Series({"A": "r1", "B": "r1", "C": "r2", "D": "r2"})
    out = sigma_convergence(s, regions, ddof=1)
    r1 = out[(out.region == "r1") & (out.statistic == "sd_log")].set_index("year")["value"]
    assert r1[2016] == pytest.approx(np.std(np.log([1.0, 3.0]), ddof=1))
    assert r1[2017] == pytest.approx(0.0)
    r2 = out[(out.region == "r2") & (out.statistic == "cv")].set_index("year")["value"]
    assert r2[2017] == pytest.approx(np.std([6.0, 9.0], ddof=1) / 7.5)
    assert set(out.region) == {NATIONAL, "r1", "r2"}


def test_sigma_single_unit_region_with_ddof1_raises():
    s = make_panel({"A": [1.0, 2.0], "B": [3.0, 2.0], "C": [5.0, 6.0]}, [2016, 2017])
    with pytest.raises(MethodError, match="region 'r2' has 1 unit"):
        sigma_convergence(s, pd.Series({"A": "r1", "B": "r1", "C": "r2"}), ddof=1)


def test_sigma_rejects_non_positive_scores():
    s = make_panel({"A": [0.0, 2.0], "B": [3.0, 2.0]}, [2016, 2017])
    with pytest.raises(MethodError, match="A/2016"):
        sigma_convergence(s)


# -- beta -------------------------------------------------------------------------------------
def test_beta_recovers_exact_law_of_motion():
    # ln y_{t+1} - ln y_t = a + b ln y_t exactly  ->  beta = b, speed = -ln(1+b)
    a, b = 0.05, -0.2
    rng = np.random.default_rng(0)
    start = rng.uniform(0.1, 2.0, 8)
    paths = {}
    for i, x in enumerate(start):
        logs = [np.log(x)]
        for _ in range(4):
            logs.append(logs[-1] + a + b * logs[-1])
        paths[f"U{i}"] = list(np.exp(logs))
    out = beta_convergence(make_panel(paths, [2016, 2017, 2018, 2019, 2020])).iloc[0]
    assert out["beta"] == pytest.approx(b, abs=1e-10)
    assert out["alpha"] == pytest.approx(a, abs=1e-10)
    assert out["speed"] == pytest.approx(-np.log(1 + b))
    assert out["half_life"] == pytest.approx(np.log(2) / -np.log(1 + b))
    assert out["n_obs"] == 32 and out["n_units"] == 8
    assert bool(out["converges"])


def test_beta_pooled_matches_scipy_linregress():
    rng = np.random.default_rng(5)
    years = [2016, 2017, 2018, 2019, 2020]
    y = rng.uniform(0.2, 1.0, (10, 5))
    s = make_panel({f"U{i}": list(y[i]) for i in range(10)}, years)
    regions = pd.Series({f"U{i}": "a" if i < 5 else "b" for i in range(10)})
    out = beta_convergence(s, regions).set_index("region")
    for region, rows in ((NATIONAL, slice(0, 10)), ("a", slice(0, 5)), ("b", slice(5, 10))):
        logs = np.log(y[rows])
        ref = stats.linregress(logs[:, :-1].ravel(), np.diff(logs, axis=1).ravel())
        got = out.loc[region]
        assert got["beta"] == pytest.approx(ref.slope, rel=1e-10)
        assert got["alpha"] == pytest.approx(ref.intercept, rel=1e-10)
        assert got["se"] == pytest.approx(ref.stderr, rel=1e-10)
        assert got["p"] == pytest.approx(ref.pvalue, rel=1e-8)
        assert got["r2"] == pytest.approx(ref.rvalue**2, rel=1e-10)


def test_beta_cross_section_speed_and_gaps():
    rng = np.random.default_rng(2)
    y0 = rng.uniform(0.2, 1.0, 9)
    y1 = y0**0.7 * rng.uniform(0.95, 1.05, 9)
    s = make_panel({f"U{i}": [y0[i], y1[i]] for i in range(9)}, [2010, 2020])
    out = beta_convergence(s, method="cross_section").iloc[0]
    ref = stats.linregress(np.log(y0), np.log(y1 / y0) / 10)
    assert out["beta"] == pytest.approx(ref.slope)
    assert out["speed"] == pytest.approx(-np.log(1 + 10 * ref.slope) / 10)
    # pooled with a 10-year gap annualises growth the same way
    pooled = beta_convergence(s, method="pooled").iloc[0]
    assert pooled["beta"] == pytest.approx(ref.slope)


def test_beta_divergence_has_no_speed_and_says_why():
    s = make_panel(
        {"A": [1.0, 1.1, 1.2], "B": [2.0, 2.6, 3.4], "C": [3.0, 4.5, 6.8]}, [2016, 2017, 2018]
    )
    out = beta_convergence(s).iloc[0]
    assert out["beta"] > 0
    assert np.isnan(out["speed"]) and np.isnan(out["half_life"])
    assert "no convergence" in out["note"]
    assert not out["converges"]


# -- kernel density -----------------------------------------------------------------------------
def test_silverman_rule_hand_value_differs_from_scipy_silverman():
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    h = silverman_bandwidth(y)
    assert h == pytest.approx(0.9 * min(np.std(y, ddof=1), 2.0 / 1.349) * 5 ** (-0.2))
    scipy_h = stats.gaussian_kde(y, bw_method="silverman").factor * np.std(y, ddof=1)
    assert abs(h - scipy_h) > 0.05


def test_kde_equals_hand_formula_and_scipy_with_matching_bandwidth():
    rng = np.random.default_rng(9)
    y = rng.normal(0.5, 0.1, 30)
    s = make_panel({f"U{i}": [y[i]] for i in range(30)}, [2020])
    grid = np.linspace(0.0, 1.0, 11)
    out = kernel_density(s, grid=grid)
    h = out["bandwidth"].iloc[0]
    q75, q25 = np.percentile(y, [75, 25])
    assert h == pytest.approx(0.9 * min(y.std(ddof=1), (q75 - q25) / 1.349) * 30**-0.2)
    hand = [
        sum(np.exp(-0.5 * ((x - v) / h) ** 2) / np.sqrt(2 * np.pi) for v in y) / (30 * h)
        for x in grid
    ]
    assert_allclose(out["density"], hand, rtol=1e-12)
    ref = stats.gaussian_kde(y, bw_method=h / y.std(ddof=1))(grid)
    assert_allclose(out["density"], ref, rtol=1e-10)


def test_kde_per_region_on_common_grid_integrates_to_one():
    rng = np.random.default_rng(4)
    vals = {f"U{i}": list(rng.uniform(0.2, 0.8, 2)) for i in range(12)}
    s = make_panel(vals, [2016, 2017])
    regions = pd.Series({f"U{i}": "a" if i < 6 else "b" for i in range(12)})
    out = kernel_density(s, regions, grid=400)
    assert set(out.region) == {NATIONAL, "a", "b"}
    for _, g in out.groupby(["year", "region"]):
        x = g["x"].to_numpy()
        assert np.trapezoid(g["density"], x) == pytest.approx(1.0, abs=1e-3)
    assert out.groupby(["year", "region"])["x"].apply(lambda x: tuple(x)).nunique() == 1


def test_kde_fixed_bandwidth_and_errors():
    s = make_panel({"A": [0.1], "B": [0.5], "C": [0.9]}, [2020])
    out = kernel_density(s, grid=[0.5], bandwidth=0.2)
    hand = np.mean(stats.norm.pdf((0.5 - np.array([0.1, 0.5, 0.9])) / 0.2)) / 0.2
    assert out["density"].item() == pytest.approx(hand)
    with pytest.raises(MethodError):
        kernel_density(s, bandwidth="scott")
    with pytest.raises(MethodError):
        kernel_density(make_panel({"A": [1.0], "B": [1.0]}, [2020]))


def test_kde_reflection_keeps_mass_in_support_and_matches_mirrored_data():
    rng = np.random.default_rng(11)
    y = np.concatenate([rng.uniform(0, 8, 10), rng.uniform(20, 95, 20)])
    s = make_panel({f"U{i}": [y[i]] for i in range(30)}, [2020])
    out = kernel_density(s, grid=2001, support=(0, 100))
    x, f = out["x"].to_numpy(), out["density"].to_numpy()
    assert x.min() == 0 and x.max() == 100
    # the whole mass stays in [0, 100] (the plain estimator loses mass below 0)
    assert np.trapezoid(f, x) == pytest.approx(1.0, abs=1e-3)
    plain = kernel_density(s, grid=x, bandwidth=out["bandwidth"].iloc[0])
    assert np.trapezoid(plain["density"], x) < 0.98
    # independent check: scipy's KDE of the data with its two mirror images, times 3
    h = out["bandwidth"].iloc[0]
    mirrored = np.concatenate([y, -y, 200 - y])
    ref = 3 * stats.gaussian_kde(mirrored, bw_method=h / mirrored.std(ddof=1))(x)
    assert_allclose(f, ref, rtol=1e-9)
    # zero slope at the bounds
    assert abs(f[1] - f[0]) < 1e-3 * f[0]
    with pytest.raises(MethodError, match="outside the density support"):
        kernel_density(s, support=(10, 100))


def test_index_support_from_methods():
    from greenindex.analysis.convergence import index_support

    mm = {
        "normalise": {"method": "minmax", "range": [1, 100]},
        "aggregate": {"method": "geometric"},
    }
    assert index_support(mm) == (1.0, 100.0)
    assert index_support(mm, "none") is None
    assert (
        index_support({"normalise": {"method": "zscore"}, "aggregate": {"method": "arithmetic"}})
        is None
    )
    assert index_support(mm, "reflection", [0, 50]) == (0.0, 50.0)
