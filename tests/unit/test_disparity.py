"""Tests of greenindex.analysis.disparity against published PySAL numbers, brute force and toy cases."""

from __future__ import annotations

import itertools

import libpysal
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inequality.gini import Gini
from inequality.theil import TheilD
from numpy.testing import assert_allclose

from greenindex.analysis.disparity import (
    cv,
    cv_by_year,
    dagum_by_year,
    dagum_gini,
    dagum_gini_batch,
    theil,
    theil_batch,
    theil_by_year,
)
from greenindex.analysis.regional import NATIONAL, as_wide
from greenindex.errors import InputError, MethodError

DECADES = [f"pcgdp{d}" for d in range(1940, 2010, 10)]


@pytest.fixture(scope="module")
def mexico() -> tuple[np.ndarray, np.ndarray]:
    """Mexican state GDP per capita 1940-2000 and the Hanson (1998) regions (libpysal data)."""
    f = libpysal.io.open(libpysal.examples.get_path("mexico.csv"))
    y = np.array([f.by_col[v] for v in DECADES], dtype=float)  # (7 decades, 32 states)
    regimes = np.array(f.by_col("hanson98")).astype(int).astype(str)
    return y, regimes


def brute_theil(y: np.ndarray, groups: np.ndarray) -> tuple[float, float, float]:
    """Theil T, within and between by explicit loops over units and groups."""
    n, mu = len(y), sum(y) / len(y)
    total = sum((v / mu) * np.log(v / mu) for v in y) / n
    within = between = 0.0
    for g in sorted(set(groups)):
        vals = [v for v, k in zip(y, groups, strict=True) if k == g]
        mu_g = sum(vals) / len(vals)
        s_g = len(vals) * mu_g / (n * mu)
        t_g = sum((v / mu_g) * np.log(v / mu_g) for v in vals) / len(vals)
        within += s_g * t_g
        between += s_g * np.log(mu_g / mu)
    return total, within, between


def brute_dagum(y: np.ndarray, groups: np.ndarray) -> dict[str, object]:
    """Dagum (1997) by the textbook definitions with explicit loops (d_jh and p_jh from
    positive parts of the pair differences, groups ordered by mean)."""
    labels = sorted(set(groups), key=lambda g: -np.mean(y[groups == g]))
    n, mu = len(y), y.mean()
    data = {g: list(y[groups == g]) for g in labels}
    p = {g: len(data[g]) / n for g in labels}
    s = {g: len(data[g]) * np.mean(data[g]) / (n * mu) for g in labels}
    g_total = sum(abs(a - b) for a in y for b in y) / (2 * n * n * mu)
    g_jj = {
        g: sum(abs(a - b) for a in data[g] for b in data[g])
        / (2 * len(data[g]) ** 2 * np.mean(data[g]))
        for g in labels
    }
    out: dict[str, object] = {"G": g_total, "G_jj": g_jj, "G_jh": {}, "D_jh": {}}
    g_w = sum(g_jj[g] * p[g] * s[g] for g in labels)
    g_nb = g_t = 0.0
    for j, h in itertools.combinations(labels, 2):  # j has the higher mean
        yj, yh = data[j], data[h]
        pairs = [(a, b) for a in yj for b in yh]
        gjh = sum(abs(a - b) for a, b in pairs) / (len(yj) * len(yh) * (np.mean(yj) + np.mean(yh)))
        d = sum(max(a - b, 0.0) for a, b in pairs) / len(pairs)
        q = sum(max(b - a, 0.0) for a, b in pairs) / len(pairs)
        big_d = (d - q) / (d + q)
        wgt = p[j] * s[h] + p[h] * s[j]
        g_nb += gjh * wgt * big_d
        g_t += gjh * wgt * (1 - big_d)
        out["G_jh"][(j, h)] = gjh
        out["D_jh"][(j, h)] = big_d
    out.update(G_w=g_w, G_nb=g_nb, G_t=g_t)
    return out


# -- Theil ------------------------------------------------------------------------------------
def test_theil_matches_published_pysal_mexico_numbers(mexico):
    y, regimes = mexico
    # inequality/tests/test_theil.py (PySAL): Theil T and between-group T per decade
    published_t = [
        0.20894344,
        0.15222451,
        0.10472941,
        0.10194725,
        0.09560113,
        0.10511256,
        0.10660832,
    ]
    published_bg = [
        0.0345889,
        0.02816853,
        0.05260921,
        0.05931219,
        0.03205257,
        0.02963731,
        0.03635872,
    ]
    t = [theil(row, regimes) for row in y]
    assert_allclose([r.T for r in t], published_t, atol=1e-7)
    assert_allclose([r.between for r in t], published_bg, atol=1e-7)


def test_theil_matches_theild_and_brute_force(mexico):
    y, regimes = mexico
    ref = TheilD(y.T, regimes)
    batch = theil_batch(y, regimes)
    assert_allclose(batch["T"], ref.T)
    assert_allclose(batch["between"], ref.bg)
    assert_allclose(batch["within"], ref.wg)
    for row in y:
        r = theil(row, regimes)
        assert_allclose((r.T, r.within, r.between), brute_theil(row, regimes), rtol=1e-12)
        assert r.within + r.between == pytest.approx(r.T, rel=1e-12)
        assert r.within_share + r.between_share == pytest.approx(1.0)
        assert_allclose(r.groups["contribution"].sum(), r.within, rtol=1e-12)


def test_theil_all_between_toy_case_from_pysal():
    # two groups {0,0,0} and {10,10,10}: T = between = ln 2, within = 0 (PySAL test case)
    r = theil([0, 0, 0, 10, 10, 10], ["a", "a", "a", "b", "b", "b"])
    assert pytest.approx(np.log(2)) == r.T
    assert r.between == pytest.approx(np.log(2))
    assert r.within == pytest.approx(0.0)


def test_theil_of_equal_values_is_zero():
    r = theil([2.0, 2.0, 2.0, 2.0], ["a", "a", "b", "b"])
    assert (r.T, r.within, r.between) == (0.0, 0.0, 0.0)


def test_theil_rejects_negative_values():
    with pytest.raises(MethodError, match="non-negative"):
        theil([-0.5, 1.0, 2.0], ["a", "a", "b"])


# -- Gini / Dagum -------------------------------------------------------------------------------
def test_gini_matches_published_pysal_number(mexico):
    y, regimes = mexico
    # inequality/tests/test_gini.py (PySAL): Gini of 1940 per-capita GDP
    assert pytest.approx(0.35372371173452849, abs=1e-12) == dagum_gini(y[0], regimes).G


def test_dagum_hand_computed_toy_with_overlap():
    # a = {1, 5} (mean 3), b = {3, 7} (mean 5); by hand (see module docstring formulas):
    # G = 40/(2*16*4) = 0.3125; G_aa = 8/(2*4*3) = 1/3; G_bb = 8/(2*4*5) = 0.2;
    # G_w = (1/3)(.5)(.375) + (.2)(.5)(.625) = 0.125; G_ab = 12/(4*8) = 0.375;
    # d_ba = 10/4 = 2.5, p_ba = 2/4 = 0.5, D = 2/3; weight = 0.5;
    # G_nb = 0.375*0.5*2/3 = 0.125; G_t = 0.375*0.5/3 = 0.0625
    r = dagum_gini([1, 5, 3, 7], ["a", "a", "b", "b"])
    assert pytest.approx(0.3125) == r.G
    assert r.G_w == pytest.approx(0.125)
    assert r.G_nb == pytest.approx(0.125)
    assert r.G_t == pytest.approx(0.0625)
    assert list(r.groups.index) == ["b", "a"]  # ordered by mean
    assert r.groups.loc["a", "G_jj"] == pytest.approx(1 / 3)
    assert r.groups.loc["b", "G_jj"] == pytest.approx(0.2)
    pair = r.pairs.iloc[0]
    assert (pair["region_j"], pair["region_h"]) == ("b", "a")
    assert pair["G_jh"] == pytest.approx(0.375)
    assert pair["d_jh"] == pytest.approx(2.5)
    assert pair["p_jh"] == pytest.approx(0.5)
    assert pair["D_jh"] == pytest.approx(2 / 3)
    assert (r.share_w, r.share_nb, r.share_t) == pytest.approx((0.4, 0.4, 0.2))


def test_dagum_matches_brute_force_definitions():
    rng = np.random.default_rng(7)
    y = rng.lognormal(0, 0.5, 31)
    groups = np.repeat(["east", "central", "west", "northeast"], [10, 6, 12, 3])
    r = dagum_gini(y, groups)
    ref = brute_dagum(y, groups)
    assert_allclose(
        (r.G, r.G_w, r.G_nb, r.G_t), [ref[k] for k in ("G", "G_w", "G_nb", "G_t")], rtol=1e-12
    )
    for g, v in ref["G_jj"].items():
        assert r.groups.loc[g, "G_jj"] == pytest.approx(v, rel=1e-12)
    pairs = r.pairs.set_index(["region_j", "region_h"])
    assert set(pairs.index) == set(ref["G_jh"])
    for key, v in ref["G_jh"].items():
        assert pairs.loc[key, "G_jh"] == pytest.approx(v, rel=1e-12)
        assert pairs.loc[key, "D_jh"] == pytest.approx(ref["D_jh"][key], rel=1e-12)
    assert_allclose(pairs["G_nb_jh"].sum(), r.G_nb, rtol=1e-12)
    assert_allclose(pairs["G_t_jh"].sum(), r.G_t, rtol=1e-12)


def test_dagum_equals_traditional_griffiths_decomposition(mexico):
    """G_w, G_nb, G_t = within / Gini of group means / overlap (Griffiths 2008), with each
    Gini computed by PySAL's inequality.gini.Gini."""
    y, regimes = mexico
    for row in y:
        r = dagum_gini(row, regimes)
        assert pytest.approx(Gini(row).g, rel=1e-12) == r.G
        assert r.G_w + r.G_nb + r.G_t == pytest.approx(r.G, rel=1e-12)
        means = pd.Series(row).groupby(regimes).transform("mean").to_numpy()
        assert r.G_nb == pytest.approx(Gini(means).g, rel=1e-12)
        for g in r.groups.index:
            assert r.groups.loc[g, "G_jj"] == pytest.approx(Gini(row[regimes == g]).g, rel=1e-12)
        assert r.G_t == pytest.approx(r.G - r.G_w - Gini(means).g, abs=1e-12)


def test_dagum_group_of_zeros_is_the_limit_of_a_shrinking_group():
    """A region whose scores are all zero (a bootstrap draw of only its worst unit): G and
    G_nb equal PySAL's Gini of the values and of the group means (Griffiths 2008), the
    identity holds, G_jj of that group is 0, and every term is the limit of the same group's
    values shrunk towards zero, as the Theil index treats it."""
    y = np.array([5.0, 7.0, 6.0, 2.0, 4.0, 0.0, 0.0, 0.0])
    groups = np.array(list("aaabbccc"))
    r = dagum_gini(y, groups)
    means = pd.Series(y).groupby(groups).transform("mean").to_numpy()
    assert pytest.approx(Gini(y).g, rel=1e-12) == r.G
    assert r.G_nb == pytest.approx(Gini(means).g, rel=1e-12)
    assert r.G_w + r.G_nb + r.G_t == pytest.approx(r.G, rel=1e-12)
    assert r.groups.loc["c", "G_jj"] == 0.0 and r.groups.loc["c", "contribution"] == 0.0
    shrunk = y.copy()
    shrunk[5:] = [3e-9, 1e-9, 2e-9]
    near = dagum_gini(shrunk, groups)
    assert_allclose((r.G, r.G_w, r.G_nb, r.G_t), (near.G, near.G_w, near.G_nb, near.G_t), atol=1e-8)
    assert theil(y, groups).groups.loc["c", "T_k"] == 0.0  # the same convention
    batch = dagum_gini_batch(np.vstack([y, y[::-1]]), groups)
    assert np.all(np.isfinite(batch["G_jh"])) and np.all(np.isfinite(batch["G_jj"]))


def test_dagum_no_overlap_has_no_transvariation():
    r = dagum_gini([1, 3, 5, 7], ["a", "a", "b", "b"])
    assert (r.G, r.G_w, r.G_nb, r.G_t) == pytest.approx((0.3125, 0.0625, 0.25, 0.0))


def test_batched_variants_equal_one_at_a_time():
    rng = np.random.default_rng(3)
    y = rng.uniform(0.1, 1.0, (50, 13))
    groups = np.array(list("aaaabbbbcccdd"))
    dag = dagum_gini_batch(y, groups)
    th = theil_batch(y, groups)
    for i in range(0, 50, 7):
        one = dagum_gini(y[i], groups)
        assert_allclose(
            (dag["G"][i], dag["G_w"][i], dag["G_nb"][i], dag["G_t"][i]),
            (one.G, one.G_w, one.G_nb, one.G_t),
            rtol=1e-12,
        )
        assert th["between"][i] == pytest.approx(theil(y[i], groups).between, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.01, 100.0), min_size=4, max_size=25),
    st.integers(0, 2**31 - 1),
)
def test_decomposition_identities_hold_for_any_data(values, seed):
    y = np.array(values)
    groups = np.random.default_rng(seed).integers(0, 3, y.size).astype(str)
    r = dagum_gini(y, groups)
    assert r.G_w + r.G_nb + r.G_t == pytest.approx(r.G, rel=1e-9, abs=1e-12)
    assert min(r.G_w, r.G_nb, r.G_t) >= -1e-12
    t = theil(y, groups)
    assert t.within + t.between == pytest.approx(t.T, rel=1e-9, abs=1e-12)


# -- CV ---------------------------------------------------------------------------------------
def test_cv_hand_values():
    assert cv([1.0, 3.0]) == pytest.approx(0.5)
    assert cv([1.0, 3.0], ddof=1) == pytest.approx(np.sqrt(2) / 2)
    with pytest.raises(MethodError):
        cv([0.0, 0.0])


# -- panels ------------------------------------------------------------------------------------
@pytest.fixture
def panel() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(11)
    units = [f"U{i:02d}" for i in range(12)]
    regions = pd.Series(np.repeat(["east", "central", "west"], 4), index=units, name="nbs4")
    idx = pd.MultiIndex.from_product([units, [2016, 2017, 2018]], names=["unit", "year"])
    scores = pd.DataFrame({"index": rng.uniform(0.2, 0.8, len(idx)), "dim1": 0.5}, index=idx)
    return scores, regions


def test_by_year_tables_equal_cross_section_functions(panel):
    scores, regions = panel
    wide = as_wide(scores)
    reg = regions.reindex(wide.index).to_numpy()
    th = theil_by_year(scores, regions)
    totals, pairs = dagum_by_year(scores, regions)
    cvs = cv_by_year(scores, regions)
    for year in wide.columns:
        t = theil(wide[year].to_numpy(), reg)
        d = dagum_gini(wide[year].to_numpy(), reg)
        pick = th[(th.year == year) & (th.region == NATIONAL)].set_index("statistic")["value"]
        assert pick["between"] == pytest.approx(t.between)
        pick = totals[(totals.year == year) & (totals.region == NATIONAL)].set_index("statistic")[
            "value"
        ]
        assert pick["G_nb"] == pytest.approx(d.G_nb)
        assert pick["share_t"] == pytest.approx(d.share_t)
        east = totals[(totals.year == year) & (totals.region == "east")].set_index("statistic")[
            "value"
        ]
        assert east["G_jj"] == pytest.approx(d.groups.loc["east", "G_jj"])
        c = cvs[(cvs.year == year) & (cvs.region == NATIONAL) & (cvs.statistic == "cv")]["value"]
        assert c.item() == pytest.approx(cv(wide[year]))
    assert len(pairs) == 3 * 3 * 7  # years x region pairs x statistics
    assert list(th.columns) == ["year", "region", "statistic", "value"]


def test_scores_csv_shape_is_accepted(panel):
    scores, regions = panel
    flat = scores.reset_index()
    assert_allclose(theil_by_year(flat, regions)["value"], theil_by_year(scores, regions)["value"])


def test_missing_score_and_missing_region_are_reported(panel):
    scores, regions = panel
    broken = scores.copy()
    broken.loc[("U03", 2017), "index"] = np.nan
    with pytest.raises(InputError, match="U03/2017"):
        theil_by_year(broken, regions)
    with pytest.raises(InputError, match="U11"):
        theil_by_year(scores, regions.drop("U11"))
    with pytest.raises(InputError, match="no column 'nope'"):
        theil_by_year(scores, regions, column="nope")


def test_batched_dagum_is_the_same_when_split_into_blocks(monkeypatch):
    import greenindex.analysis.disparity.dagum_decomposition as dis

    rng = np.random.default_rng(8)
    y = rng.uniform(0.1, 1.0, (40, 9))
    groups = np.array(list("aaabbbccc"))
    whole = dagum_gini_batch(y, groups)
    monkeypatch.setattr(dis, "_BLOCK_ELEMENTS", 81 * 7)  # 7 replications per block
    split = dagum_gini_batch(y, groups)
    for key in ("G", "G_w", "G_nb", "G_t", "G_jh", "D_jh"):
        assert_allclose(split[key], whole[key], rtol=1e-13)


def test_region_of_units_table():
    from greenindex.analysis.regional import region_of
    from greenindex.errors import ConfigError

    units = pd.DataFrame(
        {
            "unit": ["BJ", "LN", "XZ"],
            "nbs4": ["east", "northeast", ""],
            "belt3": ["east", "east", "west"],
        }
    )
    assert region_of(units, "nbs4", ["BJ", "LN"]).to_dict() == {"BJ": "east", "LN": "northeast"}
    assert region_of(units, "belt3")["LN"] == "east"
    with pytest.raises(ConfigError, match="regions.scheme"):
        region_of(units, "nbs7")
    # one behaviour for a unit without a region: an error naming it (not dropped, not "")
    with pytest.raises(InputError, match="XZ"):
        region_of(units, "nbs4")
    with pytest.raises(InputError, match="HK"):
        region_of(units, "nbs4", ["BJ", "HK"])
