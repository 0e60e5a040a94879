"""Replay of COINr's uncertainty analysis on its ASEM example (``ua_N100_*``).

COINr 1.1.14 ran 100 replications, each with a normalisation (min-max [1, 100] or z-score
rescaled to mean 10, SD 2), an aggregation (arithmetic or geometric mean at every level) and
one of 100 perturbed weight sets. Given the same choices and weights, the batched engine must
reproduce COINr's scores to 1e-9 and its ranks and rank statistics exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.analysis import uncertainty as ua
from greenindex.index.framework import Framework
from tests.conformance.asem import reference_dir

REF = reference_dir()


def _read(name: str) -> pd.DataFrame:
    df = pd.read_csv(REF / name)
    return df.set_index("uCode") if "uCode" in df.columns else df


@pytest.fixture(scope="module")
def asem():
    from tests.conformance.asem import asem_tables, wide_panel

    t = asem_tables(REF, denominate=False)
    cb = t["codebook"][t["codebook"]["role"] == "indicator"]
    fw = Framework.from_tables(cb, t["framework"])
    panel = wide_panel(t["observations"])[list(fw.indicators)]
    return panel, fw


def _replay_model(
    panel: pd.DataFrame, fw: Framework, noise: ua.WeightNoise | None = None
) -> ua.UncertaintyModel:
    spec = ua.UncertaintySpec(
        nominal={
            "normalise": {"method": "minmax", "range": [1, 100]},
            "weights": {"method": "framework"},
            "aggregate": {"method": "arithmetic"},
        },
        choices=(
            ua.Choice.from_config(
                {
                    "name": "normalisation",
                    "options": [
                        {"method": "minmax", "range": [1, 100]},
                        {"method": "zscore", "mean": 10, "sd": 2},
                    ],
                }
            ),
            ua.Choice.from_config({"name": "aggregation", "options": ["arithmetic", "geometric"]}),
        ),
        weight_noise=noise,
        seed=42,
    )
    return ua.UncertaintyModel(panel, fw, spec)


@pytest.fixture(scope="module")
def replay(asem):
    panel, fw = asem
    model = _replay_model(panel, fw)
    params = _read("ua_N100_params.csv")
    assert set(params["f_n"]) <= {"n_minmax", "n_zscore"} and set(params["f_ag"]) <= {
        "a_amean",
        "a_gmean",
    }
    codes = np.stack(
        [(params["f_n"] == "n_zscore").to_numpy(int), (params["f_ag"] == "a_gmean").to_numpy(int)],
        axis=1,
    )
    wl = _read("ua_N100_weights_long.csv")
    W = (
        wl.pivot(index="rep", columns="iCode", values="Weight")
        .loc[params["rep"], model.nonroot]
        .to_numpy()
    )
    dec = ua.Decoded(
        codes=codes, multiplier=np.ones_like(W), dropped=np.full(len(W), -1), weights=W
    )
    res = model.evaluate(dec)
    units = list(panel.index.get_level_values("unit"))
    return model, dec, res, units


def test_nominal_is_minmax_1_100_arithmetic(replay):
    model, _, _, units = replay
    nominal = _read("ua_N100_scores.csv").loc[units, "Nominal"].to_numpy()
    np.testing.assert_allclose(model.nominal_scores, nominal, rtol=0, atol=1e-9)


def test_scores_match_coinr(replay):
    _, _, res, units = replay
    ref = _read("ua_N100_scores.csv").loc[units].drop(columns="Nominal").to_numpy().T
    assert res.scores.shape == ref.shape == (100, 51)
    np.testing.assert_allclose(res.scores, ref, rtol=0, atol=1e-9)


def test_ranks_match_coinr_exactly(replay):
    model, _, res, units = replay
    ref = _read("ua_N100_ranks.csv").loc[units]
    np.testing.assert_array_equal(res.ranks, ref.drop(columns="Nominal").to_numpy().T)
    np.testing.assert_array_equal(model.nominal_ranks, ref["Nominal"].to_numpy())


def test_rank_statistics_match_coinr(replay):
    model, _, res, units = replay
    ref = _read("ua_N100_rankstats.csv").loc[units]
    st = ua.rank_statistics(res.ranks, model.nominal_ranks, (0.05, 0.95))
    np.testing.assert_array_equal(st["nominal_rank"], ref["Nominal"])
    np.testing.assert_array_equal(st["median_rank"], ref["Median"])
    # COINr's CSV prints Q5/Q95 in decimal (e.g. 11.95): equal up to that representation.
    np.testing.assert_allclose(st["mean_rank"], ref["Mean"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(st["q05_rank"], ref["Q5"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(st["q95_rank"], ref["Q95"], rtol=0, atol=1e-12)
    assert (st["q05_rank"] % 1 != 0).any()  # the interpolating quantile type matters here


@pytest.mark.parametrize("r", [0, 2, 3, 57, 99])
def test_batch_equals_single_engine_run(replay, r):
    model, dec, res, _ = replay
    single = model.single_run(dec, r).to_numpy()
    np.testing.assert_allclose(res.scores[r], single, rtol=0, atol=1e-9)


def test_monte_carlo_with_three_choices_equals_single_runs(asem):
    """The three uncertain choices of the replay drawn by the engine (weights of pillars and
    sub-indices perturbed by +-25 %): every replication equals an ordinary single run."""
    panel, fw = asem
    model = _replay_model(panel, fw, ua.WeightNoise(0.25, (2, 3)))
    plan = ua.RunPlan(n=40, seed=model.spec.seed, factor_columns=model.factor_columns)
    dec = model.decode(plan.uniforms(np.arange(40)))
    assert set(np.unique(dec.codes[:, 0])) == {0, 1} and set(np.unique(dec.codes[:, 1])) == {0, 1}
    noisy = dec.multiplier[:, model.noisy]
    assert noisy.min() >= 0.75 and noisy.max() <= 1.25 and noisy.std() > 0.05
    res = model.evaluate(dec)
    for r in range(40):
        np.testing.assert_allclose(
            res.scores[r], model.single_run(dec, r).to_numpy(), rtol=0, atol=1e-9
        )
