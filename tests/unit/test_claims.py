"""Tests of the claim check: each claim holds on data built to support it and flips on data
built to contradict it; the bootstrap equals a plain loop over the same resamples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.analysis.claims import COLUMNS, _resample_index, check_claims, summarise_claims
from greenindex.errors import ConfigError, InputError

SIZES = {"east": 10, "central": 6, "west": 12, "northeast": 3}
YEARS = list(range(2015, 2022))


def regions() -> pd.Series:
    units = {f"{r[0].upper()}{i:02d}": r for r, n in SIZES.items() for i in range(n)}
    return pd.Series(units, name="nbs4")


def make_scores(
    level: dict[str, float],
    slope: dict[str, float],
    noise: float = 0.01,
    seed: int = 0,
    spread: float = 0.02,
) -> pd.DataFrame:
    """Scores = region level + unit offset + region slope * t + noise, as a scores.csv frame."""
    rng = np.random.default_rng(seed)
    rows = []
    for unit, reg in regions().items():
        offset = rng.normal(0, spread)
        for t, year in enumerate(YEARS):
            value = level[reg] + offset + slope[reg] * t + rng.normal(0, noise)
            rows.append({"unit": unit, "year": year, "index": value})
    return pd.DataFrame(rows)


SUPPORT_LEVEL = {"east": 0.6, "central": 0.45, "west": 0.3, "northeast": 0.4}
SUPPORT_SLOPE = {"east": 0.02, "central": 0.02, "west": 0.02, "northeast": 0.004}


def verdicts(table: pd.DataFrame) -> dict[str, bool]:
    return {r.claim: bool(r.holds) for r in table.itertuples() if r.applicable}


@pytest.fixture(scope="module")
def supported() -> pd.DataFrame:
    return make_scores(SUPPORT_LEVEL, SUPPORT_SLOPE)


def test_all_claims_hold_on_supporting_data(supported):
    table = check_claims({"entropy": supported}, regions(), bootstrap=200)
    assert list(table.columns) == COLUMNS
    assert verdicts(table) == {"C1": True, "C2": True, "C3": True, "C4a": True, "C4b": True}
    assert (table["bootstrap_share"] > 0.95).all()
    c1 = table.set_index("claim").loc["C1"]
    assert "rose in 4 of 4" in c1["details"]
    # the C1 statistic is the change of the unweighted national mean over the window
    flat = supported[supported.year.isin([2016, 2020])].groupby("year")["index"].mean()
    assert c1["value"] == pytest.approx(flat[2020] - flat[2016])


def test_c1_flips_when_the_index_falls(supported):
    falling = make_scores(SUPPORT_LEVEL, {k: -v for k, v in SUPPORT_SLOPE.items()})
    table = check_claims({"a": supported, "b": falling}, regions(), bootstrap=0)
    c1 = table[table.claim == "C1"].set_index("variant")
    assert bool(c1.loc["a", "holds"]) and not bool(c1.loc["b", "holds"])
    assert c1.loc["b", "value"] < 0
    assert "rose in 0 of 4" in c1.loc["b", "details"]


def test_c2_flips_when_one_year_breaks_the_gradient(supported):
    broken = supported.copy()
    west_2018 = broken.unit.str.startswith("W") & (broken.year == 2018)
    broken.loc[west_2018, "index"] += 0.3  # west above central in 2018 only
    table = check_claims({"x": broken}, regions(), bootstrap=200)
    c2 = table.set_index("claim").loc["C2"]
    assert not bool(c2["holds"])
    assert c2["value"] < 0
    assert "gradient in 4 of 5 years" in c2["details"]
    assert c2["bootstrap_share"] < 0.05


def test_c3_flips_when_the_northeast_grows_fastest():
    slope = {**SUPPORT_SLOPE, "northeast": 0.05}
    table = check_claims({"x": make_scores(SUPPORT_LEVEL, slope)}, regions(), bootstrap=200)
    c3 = table.set_index("claim").loc["C3"]
    assert not bool(c3["holds"]) and c3["value"] > 0
    assert "ranks 1 of 4 in gain" in c3["details"]
    assert c3["bootstrap_share"] < 0.05


def test_c3_relative_growth_can_differ_from_absolute():
    # NE gains the least in absolute terms but the most relative to its low start
    level = {"east": 0.9, "central": 0.8, "west": 0.7, "northeast": 0.05}
    slope = {"east": 0.01, "central": 0.01, "west": 0.01, "northeast": 0.008}
    s = make_scores(level, slope, noise=0.001, spread=0.001)
    absolute = check_claims({"x": s}, regions(), bootstrap=0)
    relative = check_claims({"x": s}, regions(), bootstrap=0, growth="relative")
    assert verdicts(absolute)["C3"] is True
    assert verdicts(relative)["C3"] is False


def test_c4_flips_when_regions_have_equal_means_and_with_the_threshold(supported):
    flat = dict.fromkeys(SUPPORT_LEVEL, 0.5)
    same = make_scores(flat, dict.fromkeys(flat, 0.01), spread=0.1)
    table = check_claims({"a": supported, "b": same}, regions(), bootstrap=100)
    for claim in ("C4a", "C4b"):
        c4 = table[table.claim == claim].set_index("variant")
        assert bool(c4.loc["a", "holds"]) and not bool(c4.loc["b", "holds"])
        assert c4.loc["b", "value"] < 0.5 <= c4.loc["a", "value"]
        assert c4.loc["b", "threshold"] == 0.5
    strict = check_claims({"a": supported}, regions(), bootstrap=0, between_share_large=0.999)
    assert verdicts(strict)["C4a"] is False


def test_c4_reports_whether_the_between_share_grew():
    # regions drift apart: the between-region share grows over the window
    level = {"east": 0.5, "central": 0.5, "west": 0.5, "northeast": 0.5}
    slope = {"east": 0.04, "central": 0.02, "west": 0.0, "northeast": 0.01}
    table = check_claims({"x": make_scores(level, slope, spread=0.03)}, regions(), bootstrap=0)
    c4 = table.set_index("claim").loc["C4a"]
    assert c4["end_value"] > c4["start_value"]
    assert "(grew" in c4["details"]


def test_claims_not_applicable_without_the_regions():
    belt = regions().replace({"northeast": "central"})
    table = check_claims({"x": make_scores(SUPPORT_LEVEL, SUPPORT_SLOPE)}, belt, bootstrap=0)
    c3 = table.set_index("claim").loc["C3"]
    assert not c3["applicable"] and pd.isna(c3["holds"])
    assert "not applicable" in c3["details"]
    assert verdicts(table)["C2"] is True


def test_negative_index_keeps_c1_to_c3_and_explains_c4():
    zscores = make_scores({k: v - 0.5 for k, v in SUPPORT_LEVEL.items()}, SUPPORT_SLOPE)
    table = check_claims({"z": zscores}, regions(), bootstrap=50).set_index("claim")
    assert bool(table.loc["C2", "holds"])
    assert not table.loc["C4a", "applicable"]
    assert "non-negative" in table.loc["C4b", "details"]


def test_bootstrap_equals_a_loop_over_the_same_resamples():
    s = make_scores(SUPPORT_LEVEL, {**SUPPORT_SLOPE, "northeast": 0.018}, noise=0.02, seed=4)
    reg = regions()
    table = check_claims({"x": s}, reg, bootstrap=300, seed=42).set_index("claim")
    wide = s[s.year.between(2016, 2020)].pivot(index="unit", columns="year", values="index")
    lab = reg.reindex(wide.index)
    order = np.argsort(lab.to_numpy(), kind="stable")
    wide, lab = wide.iloc[order], lab.iloc[order]
    codes = pd.factorize(lab, sort=True)[0]
    idx = _resample_index(codes, 300, 42)
    c2 = c3 = 0
    for row in idx:
        means = wide.iloc[row].groupby(lab.to_numpy()).mean()  # regions x years
        e, c, w = means.loc["east"], means.loc["central"], means.loc["west"]
        c2 += bool(((e > c) & (c > w)).all())
        gain = means[2020] - means[2016]
        c3 += bool(gain["northeast"] < gain.drop("northeast").min())
    assert table.loc["C2", "bootstrap_share"] == pytest.approx(c2 / 300)
    assert table.loc["C3", "bootstrap_share"] == pytest.approx(c3 / 300)
    assert 0 < table.loc["C3", "bootstrap_share"] < 1  # a borderline case
    # resampling stays inside regions
    assert (codes[idx] == codes).all()


def test_a_bootstrap_draw_of_only_zero_scores_does_not_stop_the_check(supported):
    """A region's worst unit at exactly 0 (min-max, worst on every indicator): some draws
    hold only that unit for the region, whose mean is then 0. Dagum's decomposition takes
    that limit as Theil does, so C4b keeps its bootstrap share (it used to stop the run)."""
    s = supported.copy()
    s.loc[(s.unit == "N00") & (s.year == 2016), "index"] = 0.0
    reg = regions()
    table = check_claims({"x": s}, reg, bootstrap=300, seed=1).set_index("claim")
    codes = pd.factorize(reg.sort_values(kind="stable"), sort=True)[0]
    ne = np.flatnonzero(np.sort(reg.to_numpy(), kind="stable") == "northeast")
    draws = _resample_index(codes, 300, 1)[:, ne]
    assert (draws == ne[0]).all(axis=1).any()  # the case occurs among the draws
    assert table.loc["C4b", "applicable"] and 0 <= table.loc["C4b", "bootstrap_share"] <= 1
    assert np.isfinite(table.loc["C4b", "value"])


def test_summaries_say_plainly_when_a_claim_fails(supported):
    falling = make_scores(SUPPORT_LEVEL, {k: -v for k, v in SUPPORT_SLOPE.items()})
    table = check_claims({"entropy": supported, "pca": falling}, regions(), bootstrap=50)
    en = summarise_claims(table, variant_names={"entropy": "pooled entropy", "pca": "PCA"})
    zh = summarise_claims(table, language="zh")
    assert "- PCA: does NOT hold: the data do not support this claim" in en
    assert "- pooled entropy: holds" in en
    assert "Verdict: supported under 1 of 2 method variants; not under PCA." in en
    assert "pca: 不成立：数据不支持该结论" in zh
    assert "结论：2 种方法中有 1 种支持" in zh


def test_input_and_config_errors(supported):
    with pytest.raises(InputError, match=r"no year\(s\) 2022 of the window 2016-2022"):
        check_claims({"x": supported}, regions(), window=(2016, 2022))
    with pytest.raises(ConfigError, match="claims.between_share_large"):
        check_claims({"x": supported}, regions(), between_share_large=50)
    with pytest.raises(ConfigError, match="claims.variants"):
        check_claims({}, regions())


def test_c4_states_levels_beside_shares_and_why_the_measures_differ(supported):
    from greenindex.analysis.disparity import dagum_gini, theil

    scores = make_scores(SUPPORT_LEVEL, SUPPORT_SLOPE)
    table = check_claims({"x": scores}, regions(), window=(2016, 2020), bootstrap=0)
    rows = table.set_index("claim")
    wide = scores.pivot(index="unit", columns="year", values="index")
    reg = regions().reindex(wide.index)
    t0, t1 = theil(wide[2016], reg), theil(wide[2020], reg)
    word = "rose" if t1.T > t0.T else "fell"
    assert (
        f"Theil T {t0.T:.4f} in 2016, {t1.T:.4f} in 2020 (total inequality {word}"
        in rows.loc["C4a", "details"]
    )
    assert f"between-region part {t0.between:.4f} in 2016" in rows.loc["C4a", "details"]
    g0, g1 = dagum_gini(wide[2016], reg), dagum_gini(wide[2020], reg)
    assert f"Gini G {g0.G:.4f} in 2016, {g1.G:.4f} in 2020" in rows.loc["C4b", "details"]
    assert "region means alone" in rows.loc["C4a", "details"]
    assert "transvariation" in rows.loc["C4b", "details"]
    assert "泰尔指数 T 2016 年" in rows.loc["C4a", "details_zh"]
