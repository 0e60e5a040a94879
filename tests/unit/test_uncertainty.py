"""Batched Monte Carlo uncertainty analysis: kernels, choices, claims, chunking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.analysis import uncertainty as ua
from greenindex.errors import ConfigError, InputError, MethodError
from greenindex.index.aggregate import aggregate, aggregate_batch
from greenindex.index.framework import Framework
from greenindex.index.pipeline import build_index

REGIONS = {
    "E1": "east",
    "E2": "east",
    "E3": "east",
    "C1": "central",
    "C2": "central",
    "W1": "west",
    "W2": "west",
    "N1": "northeast",
    "N2": "northeast",
}
YEARS = [2016, 2017, 2018, 2019, 2020]


def toy_framework() -> Framework:
    return Framework(
        parent={
            "a": "D1",
            "b": "D1",
            "c": "D2",
            "d": "D2",
            "e": "D2",
            "D1": "index",
            "D2": "index",
        },
        weight={"a": 1, "b": 2, "c": 1, "d": 1, "e": 1, "D1": 1, "D2": 1},
        direction={"a": 1, "b": -1, "c": 1, "d": 1, "e": -1},
        indicators=("a", "b", "c", "d", "e"),
    )


def toy_panel(seed: int = 3, missing: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product([sorted(REGIONS), YEARS], names=["unit", "year"])
    level = np.array(
        [{"east": 3.0, "central": 2.0, "west": 1.0, "northeast": 1.5}[REGIONS[u]] for u, _ in idx]
    )
    t = np.array([y - 2016 for _, y in idx])
    X = pd.DataFrame(
        {
            "a": level * (1 + 0.05 * t) + rng.random(len(idx)),
            "b": 5 - level + rng.random(len(idx)),
            "c": level**2 + rng.random(len(idx)) * 2,
            "d": rng.random(len(idx)) * 10 + t,
            "e": 10 - level * (1 + 0.1 * t) + rng.random(len(idx)),
        },
        index=idx,
    )
    if missing:
        X.iloc[3, 0] = np.nan
        X.iloc[10, 2] = np.nan
        X.iloc[10, 3] = np.nan
    return X


def claim_setup(index: pd.MultiIndex, **kw) -> ua.ClaimSetup:
    return ua.ClaimSetup(
        region=np.array([REGIONS[u] for u in index.get_level_values("unit")]),
        year=index.get_level_values("year").to_numpy(),
        unit=index.get_level_values("unit").to_numpy(),
        window=(2016, 2020),
        **kw,
    )


NOMINAL = {
    "normalise": {"method": "minmax", "range": [0, 100]},
    "weights": {"method": "entropy", "entropy": {"variant": "shift"}},
    "aggregate": {"method": "arithmetic"},
}


def toy_spec(seed: int = 9, **kw) -> ua.UncertaintySpec:
    section = {
        "seed": seed,
        "choices": [
            {
                "name": "normalisation",
                "options": [
                    {"method": "minmax", "range": [1, 100]},
                    {"method": "zscore", "mean": 10, "sd": 2},
                ],
            },
            {"name": "weighting", "options": ["entropy", "critic", "equal"]},
            {"name": "entropy_variant", "options": ["shift", "zero_log_zero"]},
            {"name": "aggregation", "options": ["arithmetic", "geometric", "harmonic"]},
        ],
        "weight_perturbation": {"fraction": 0.25, "levels": [1, 2]},
        "drop_indicator": True,
    } | kw
    return ua.spec_from_config(section, NOMINAL)


@pytest.fixture(scope="module")
def model() -> ua.UncertaintyModel:
    p = toy_panel()
    return ua.UncertaintyModel(p, toy_framework(), toy_spec(), claims=claim_setup(p.index))


# -- kernels --------------------------------------------------------------------------------------
def test_aggregate_batch_hand_example():
    fw = Framework(
        parent={"a": "D", "b": "D", "D": "index"},
        weight={"a": 1, "b": 3, "D": 1},
        direction={"a": 1, "b": 1},
        indicators=("a", "b"),
    )
    z = np.array([[0.2, 0.6], [0.5, np.nan]])
    W = np.array([[1.0, 3.0, 1.0], [1.0, 1.0, 1.0]])
    ar = aggregate_batch(z, fw, W, "arithmetic")
    np.testing.assert_allclose(ar, [[0.5, 0.5], [0.4, 0.5]])  # missing b: a alone
    ge = aggregate_batch(z, fw, W, "geometric")
    np.testing.assert_allclose(ge[0], [np.exp((np.log(0.2) + 3 * np.log(0.6)) / 4), 0.5])
    ha = aggregate_batch(z, fw, W, "harmonic")
    np.testing.assert_allclose(ha[1, 0], 2 / (1 / 0.2 + 1 / 0.6))
    gone = aggregate_batch(z, fw, W, "arithmetic", present=np.array([[False, True], [True, True]]))
    np.testing.assert_allclose(gone[0], [0.6, np.nan])  # row 2 has no indicator left


@pytest.mark.parametrize(
    "methods", ["arithmetic", "geometric", "harmonic", {2: "geometric", 3: "arithmetic"}]
)
def test_aggregate_batch_equals_engine_aggregate(methods):
    fw = toy_framework()
    rng = np.random.default_rng(1)
    z = rng.random((45, 5)) * 99 + 1
    z[rng.random(z.shape) < 0.1] = np.nan
    nonroot = [n for n in fw.nodes if n != fw.root]
    W = rng.random((12, len(nonroot))) + 0.1
    present = rng.random((12, 5)) > 0.2
    out = aggregate_batch(z, fw, W, methods, present)
    idx = pd.MultiIndex.from_product([[f"u{i}" for i in range(9)], YEARS], names=["unit", "year"])
    zf = pd.DataFrame(z, index=idx, columns=list(fw.indicators))
    for r in range(12):
        keep = [i for j, i in enumerate(fw.indicators) if present[r, j]]
        sub = fw.subset(keep)
        w = pd.Series(W[r], index=nonroot)
        ref = aggregate(zf[keep], sub, w.reindex([n for n in sub.nodes if n != sub.root]), methods)[
            "index"
        ]
        np.testing.assert_array_equal(out[r], ref.to_numpy())  # bit for bit: one implementation


def test_geometric_mean_of_zero_is_a_clear_error():
    fw = toy_framework()
    z = np.full((3, 5), 50.0)
    z[1, 2] = 0.0
    with pytest.raises(MethodError, match=r"\[1, 100\]"):
        aggregate_batch(z, fw, np.ones((2, 7)), "geometric")


def test_rank_batch_ties_missing_and_groups():
    s = np.array([[3.0, 5.0, 5.0, 1.0, np.nan, 2.0, 7.0]])
    g = np.array([0, 0, 0, 0, 0, 1, 1])
    np.testing.assert_array_equal(ua.rank_batch(s, g), [[3, 1, 1, 4, np.nan, 2, 1]])


def test_quantile_type7_hand_values():
    x = np.arange(1.0, 11.0)[:, None]
    # R: quantile(1:10, c(.05, .95)) = 1.45, 9.55 (h = (n - 1) p + 1)
    np.testing.assert_allclose(ua.quantile_type7(x, [0.05, 0.95], axis=0)[:, 0], [1.45, 9.55])


# -- claims ---------------------------------------------------------------------------------------
def test_claims_batch_hand_example():
    idx = pd.MultiIndex.from_product(
        [["E", "C", "W", "N"], [2016, 2017, 2018]], names=["unit", "year"]
    )
    setup = ua.ClaimSetup(
        region=np.repeat(["east", "central", "west", "northeast"], 3),
        year=idx.get_level_values("year").to_numpy(),
        unit=idx.get_level_values("unit").to_numpy(),
        window=(2016, 2018),
        between_share_large=0.99,
    )
    #                  E: 16 17 18   C: 16 17 18   W: 16 17 18   N: 16 17 18
    holds = np.array([9, 10, 12, 6, 7, 9, 3, 4, 6, 5, 5, 6], dtype=float)
    fails = np.array(
        [9, 10, 12, 6, 3, 9, 3, 4, 6, 5, 5, 9], dtype=float
    )  # C < W in 2017; N gains most
    down = np.array([12, 10, 9, 9, 7, 6, 6, 4, 3, 6, 5, 5], dtype=float)  # every mean falls
    gap = holds.copy()
    gap[[3, 5]] = np.nan
    out = ua.claims_batch(np.stack([holds, fails, down, gap]), setup)
    # one unit per region: all inequality is between regions, so both shares are 1 >= 0.99
    np.testing.assert_array_equal(out[0], [1, 1, 1, 1, 1])
    np.testing.assert_array_equal(out[1, :3], [1, 0, 0])
    np.testing.assert_array_equal(out[2, :3], [0, 1, 0])  # N falls least: its gain is not smallest
    assert np.isnan(out[3]).all()  # a missing score in the window: undefined


def test_claims_batch_agrees_with_check_claims(model):
    from greenindex.analysis.claims import check_claims

    plan = ua.RunPlan(n=6, seed=5, factor_columns=model.factor_columns)
    res = model.evaluate(model.decode(plan.uniforms(np.arange(6))))
    regions = pd.Series(REGIONS)
    for r in range(6):
        s = pd.Series(res.scores[r], index=model.panel.index)
        table = check_claims({"v": s}, regions, (2016, 2020), bootstrap=0).set_index("claim")
        expected = [float(table.loc[c, "holds"]) for c in ua.CLAIMS]
        np.testing.assert_array_equal(res.claims[r], expected)


# -- the model ------------------------------------------------------------------------------------
def test_nominal_equals_engine_build_index(model):
    p = toy_panel()
    fw = toy_framework()
    res = build_index(
        p,
        pd.DataFrame({"id": list(fw.indicators)}),
        fw,
        treat={"denominate": False, "impute": {"method": "none"}, "outliers": {"method": "none"}},
        normalise=NOMINAL["normalise"],
        weights=NOMINAL["weights"],
        aggregate=NOMINAL["aggregate"],
    )
    np.testing.assert_allclose(
        model.nominal_scores, res.scores["index"].to_numpy(), rtol=0, atol=1e-12
    )


def test_every_replication_equals_a_single_engine_run(model):
    plan = ua.RunPlan(n=60, seed=model.spec.seed, factor_columns=model.factor_columns)
    dec = model.decode(plan.uniforms(np.arange(60)))
    res = model.evaluate(dec)
    assert (dec.dropped >= 0).any() and (dec.dropped < 0).any()
    for k in range(len(model.spec.choices)):
        assert len(np.unique(dec.codes[:, k])) == len(model.spec.choices[k].options)
    for r in range(60):
        np.testing.assert_allclose(
            res.scores[r], model.single_run(dec, r).to_numpy(), rtol=0, atol=1e-9
        )


def test_decode_maps_uniforms_to_options(model):
    u = np.array(
        [
            [0.0, 0.34, 0.99, 0.5] + [0.0] * 7 + [0.0],
            [0.999999, 0.67, 0.0, 0.9] + [1.0] * 7 + [0.999999],
        ]
    )
    dec = model.decode(u)
    np.testing.assert_array_equal(dec.codes, [[0, 1, 1, 1], [1, 2, 0, 2]])
    np.testing.assert_allclose(dec.multiplier[0, model.noisy], 0.75)
    np.testing.assert_allclose(dec.multiplier[1, model.noisy], 1.25)
    np.testing.assert_array_equal(dec.dropped, [-1, 4])


def test_chunking_does_not_change_the_result(model, tmp_path):
    plan = ua.RunPlan(
        n=200, seed=model.spec.seed, factor_columns=model.factor_columns, sobol_n_base=32
    )
    merged = {}
    for n_chunks in (1, 8):
        paths = []
        for c in range(n_chunks):
            path = tmp_path / f"{n_chunks}" / f"{c}.npz"
            ua.save_chunk(path, ua.run_chunk(model, plan, c, n_chunks, batch_size=37))
            paths.append(path)
        merged[n_chunks] = ua.load_chunks(paths[::-1])  # the order of the files does not matter
    for k in merged[1]:
        np.testing.assert_array_equal(merged[1][k], merged[8][k], err_msg=k)
    s1 = ua.summarise(model, plan, merged[1], bootstrap=50)
    s8 = ua.summarise(model, plan, merged[8], bootstrap=50)
    pd.testing.assert_frame_equal(s1.rank_intervals, s8.rank_intervals)
    pd.testing.assert_frame_equal(s1.claim_robustness, s8.claim_robustness)
    pd.testing.assert_frame_equal(s1.sobol, s8.sobol)
    assert list(s1.sobol["factor"]) == [
        "normalisation",
        "weighting",
        "entropy_variant",
        "aggregation",
        "weight_perturbation",
        "drop_indicator",
    ]


def test_missing_chunk_is_reported(model, tmp_path):
    plan = ua.RunPlan(n=20, seed=1, factor_columns=model.factor_columns)
    ua.save_chunk(tmp_path / "0.npz", ua.run_chunk(model, plan, 0, 2))
    with pytest.raises(InputError, match="re-run all chunks"):
        ua.load_chunks([tmp_path / "0.npz"])


def test_seed_reproducible_and_different_seeds_differ():
    p = toy_panel()
    m1 = ua.UncertaintyModel(p, toy_framework(), toy_spec(seed=1), claims=claim_setup(p.index))
    m2 = ua.UncertaintyModel(p, toy_framework(), toy_spec(seed=2), claims=claim_setup(p.index))
    a = ua.run(m1, n=50)
    b = ua.run(m1, n=50, n_chunks=3)
    c = ua.run(m2, n=50)
    pd.testing.assert_frame_equal(a.replications, b.replications)
    assert not a.replications.equals(c.replications)


def test_rank_intervals_and_claims_summary(model):
    res = ua.run(model, n=300, sobol_n_base=64, bootstrap=100)
    ri = res.rank_intervals
    assert (
        len(ri) == 45
        and (ri["q05_rank"] <= ri["median_rank"]).all()
        and (ri["median_rank"] <= ri["q95_rank"]).all()
    )
    assert ri["q05_rank"].min() >= 1 and ri["q95_rank"].max() <= 9
    cr = res.claim_robustness
    assert list(cr["claim"]) == ["C1", "C2", "C3", "C4a", "C4b"]
    assert cr["share_holds"].between(0, 1).all()
    # the toy data separate east > central > west clearly, so C2 holds nominally and mostly
    assert bool(cr.loc[1, "nominal_holds"]) and cr.loc[1, "share_holds"] > 0.5
    assert len(res.sobol) == 6 and (res.sobol["ST"] > -0.1).all()
    # the replication table records the choices of every replication
    assert len(res.replications) == 300 and set(res.replications["aggregation"]) == {
        "arithmetic",
        "geometric",
        "harmonic",
    }


def test_config_errors():
    with pytest.raises(ConfigError, match="stage"):
        ua.Choice.from_config({"name": "mystery", "options": ["a", "b"]})
    with pytest.raises(ConfigError, match="two options"):
        ua.Choice.from_config({"name": "aggregation", "options": ["arithmetic"]})
    with pytest.raises(ConfigError, match="fraction"):
        ua.spec_from_config({"weight_perturbation": {"fraction": 1.5}}, NOMINAL)
    with pytest.raises(ConfigError, match="uncertainty.chunks"):
        ua.settings_from_config({"chunks": 0})
    p = toy_panel()
    with pytest.raises(ConfigError, match="levels"):
        ua.UncertaintyModel(
            p, toy_framework(), toy_spec(weight_perturbation={"fraction": 0.2, "levels": [5]})
        )


def test_treatment_choice_uses_the_workflow_treat_section():
    """A treatment choice means what the workflow's treat rule means: the nominal treat section
    (edge rule, edge_max_years, the group column) is applied, the option merged over it."""
    from greenindex.index.pipeline import treat_steps_from_config

    p = toy_panel()
    fw = toy_framework()
    units = pd.DataFrame(
        {
            "unit": sorted(REGIONS),
            "nbs4": [REGIONS[u] for u in sorted(REGIONS)],
            "half": ["a" if k % 2 else "b" for k in range(len(REGIONS))],
        }
    )
    treat = {"impute": {"method": "linear", "edge": "group_year_mean", "group": "half"}}
    model, _, _ = ua.model_from_tables(
        treated=p,
        untreated=p,
        framework=fw,
        units=units,
        uncertainty={
            "n": 4,
            "choices": [{"name": "imputation", "options": ["linear", "none"]}],
            "weight_perturbation": None,
            "drop_indicator": False,
            "sobol": {"enabled": False},
        },
        methods={"treat": treat, **NOMINAL},
        window={"start": 2016, "end": 2020},
        regions={"scheme": "nbs4"},
    )
    assert model.groups is not None and model.groups.name == "half"
    expected = treat_steps_from_config(p, treat, model.groups)[2]
    got = model.stages.treat(p, model._section("treat", np.zeros(1, dtype=np.int64)), model.groups)
    pd.testing.assert_frame_equal(got, expected)
