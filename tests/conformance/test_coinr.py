"""Agreement with COINr 1.1.14 on its ASEM example (51 countries, 49 indicators, 4 levels).

The reference numbers in ``tests/data/coinr_asem`` (vendored, see its README) were computed by COINr (R) and
are independent of this package. The ASEM tables go through the project's input contract
(:mod:`tests.conformance.asem`) and then through the same package functions the workflow uses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.index import aggregate, normalise, pipeline, treat, weights
from greenindex.index.framework import Framework

from . import asem

REF = asem.reference_dir()

RTOL = 1e-9
VARIANTS = {
    # prefix: (normaliser, options, aggregation method, custom weights)
    "minmax_amean": ("minmax", {"low": 0, "high": 100}, "arithmetic", False),
    "zscore_amean": ("zscore", {"mean": 0, "sd": 1}, "arithmetic", False),
    "minmax1_100_gmean": ("minmax", {"low": 1, "high": 100}, "geometric", False),
    "minmax_amean_customw": ("minmax", {"low": 0, "high": 100}, "arithmetic", True),
}


def assert_frame_matches(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    """Compare a (unit, year) panel with a COINr table indexed by uCode, to 1e-9."""
    got = ours.droplevel("year")
    assert sorted(got.index) == sorted(ref.index)
    cols = [c for c in ref.columns if c != "uName"]
    assert set(cols) <= set(got.columns)
    np.testing.assert_allclose(
        got.loc[ref.index, cols].to_numpy(dtype=float),
        ref[cols].to_numpy(dtype=float),
        rtol=RTOL,
        atol=RTOL,
    )


@pytest.fixture(scope="module")
def raw_inputs():
    t = asem.asem_tables(denominate=False)
    cb = t["codebook"]
    fw = Framework.from_tables(cb[cb["role"] == "indicator"], t["framework"])
    x, _ = treat.denominate(asem.wide_panel(t["observations"]), cb)
    return x, fw


def _weights_for(prefix: str, fw: Framework) -> pd.Series:
    ref = asem.reference(f"{prefix}_weights.csv").set_index("iCode")
    return ref.loc[ref.index != fw.root, "Weight"].astype(float)


@pytest.mark.parametrize("prefix", sorted(VARIANTS))
def test_variant_normalised_aggregated_index(prefix, raw_inputs):
    x, fw = raw_inputs
    method, opts, agg_method, custom = VARIANTS[prefix]
    z, _ = normalise.normalise(x, fw.direction, method, **opts)
    assert_frame_matches(z, asem.reference(f"{prefix}_normalised.csv"))

    w = None
    if custom:
        res = weights.compute_weights(z, fw, "user", user=_weights_for(prefix, fw).to_dict())
        w = res.weights
    scores = aggregate.aggregate(z, fw, w, agg_method)
    assert_frame_matches(scores, asem.reference(f"{prefix}_aggregated.csv"))

    idx = asem.reference(f"{prefix}_index.csv")
    assert_frame_matches(scores[["Index"]], idx[["Index"]])
    rk = aggregate.ranks(scores["Index"]).droplevel("year")
    np.testing.assert_array_equal(rk.loc[idx.index].to_numpy(), idx["Rank"].to_numpy())


@pytest.mark.parametrize("prefix", sorted(VARIANTS) + ["example_full"])
def test_weights_table(prefix, raw_inputs):
    """Within-group shares and effective weights, as COINr reports them."""
    x, fw = raw_inputs
    ref = asem.reference(f"{prefix}_weights.csv").set_index("iCode")
    scheme = "user" if prefix.endswith("customw") else "framework"
    user = _weights_for(prefix, fw).to_dict() if scheme == "user" else None
    res = weights.compute_weights(x, fw, scheme, user=user)
    eff = res.effective.set_index("node")
    np.testing.assert_allclose(
        eff.loc[ref.index, "within_parent_share"], ref["WeightInGroup"], rtol=RTOL
    )
    np.testing.assert_allclose(eff.loc[ref.index, "effective_weight"], ref["EffWeight"], rtol=RTOL)
    np.testing.assert_array_equal(eff.loc[ref.index, "level"], ref["Level"])


def test_example_full_every_intermediate():
    """COINr's full example build: denominate, group-mean imputation, screen, treat, min-max
    [0, 100], arithmetic mean -- every intermediate data set and the final scores."""
    t = asem.asem_tables(denominate=True)
    groups = t["units"].set_index("unit")["EurAsia_group"]
    res = pipeline.build_index(
        asem.wide_panel(t["observations"]),
        t["codebook"],
        t["framework"],
        groups,
        treat={
            "denominate": True,
            "impute": {"method": "group_mean"},
            "screen": {"unit_threshold": 0.9},
            "outliers": {
                "method": "winsorise_log",
                "skew_threshold": 2,
                "kurt_threshold": 3.5,
                "max_points": 5,
            },
        },
        normalise={"method": "minmax", "range": [0, 100]},
        weights={"method": "framework"},
        aggregate={"method": "arithmetic"},
    )
    assert_frame_matches(res.denominated, asem.reference("example_denominated.csv"))
    assert_frame_matches(res.imputed, asem.reference("example_imputed.csv"))
    assert_frame_matches(res.screened, asem.reference("example_screened.csv"))
    assert_frame_matches(res.treated, asem.reference("example_treated.csv"))
    assert_frame_matches(res.normalised, asem.reference("example_full_normalised.csv"))
    assert_frame_matches(res.scores, asem.reference("example_full_aggregated.csv"))
    idx = asem.reference("example_full_index.csv")
    assert_frame_matches(res.scores[["Index"]], idx[["Index"]])
    np.testing.assert_array_equal(res.ranks["Index"].droplevel("year").loc[idx.index], idx["Rank"])
    # every imputed cell is flagged: the raw data have missing cells that are all filled here
    flagged = res.reports["impute_cells"]
    assert len(flagged) == int(res.denominated.isna().sum().sum()) > 0
    assert set(flagged["method"]) == {"group_mean"}
    # the outlier report names what was treated and the points changed
    out = res.reports["outliers"].set_index("indicator")
    assert out.loc["Bord", "action"] == "winsorised"
    cells = res.reports["outlier_cells"]
    assert ((cells["indicator"] == "Bord") & (cells["unit"] == "BEL")).any()


def test_published_headline_numbers():
    """The numbers printed in COINr's vignettes (Pipeline A, 2 decimals)."""
    ref = asem.reference("example_full_aggregated.csv")
    assert round(ref.loc["CHE", "Index"], 2) == 68.38  # sanity of the reference file itself
    t = asem.asem_tables(denominate=True)
    groups = t["units"].set_index("unit")["EurAsia_group"]
    res = pipeline.build_index(
        asem.wide_panel(t["observations"]),
        t["codebook"],
        t["framework"],
        groups,
        treat={
            "impute": {"method": "group_mean"},
            "screen": {"unit_threshold": 0.9},
            "outliers": {"method": "winsorise_log"},  # COINr's Treat() of the example
        },
        normalise={"method": "minmax", "range": [0, 100]},
        weights={"method": "framework"},
    )
    s = res.scores.droplevel("year")
    np.testing.assert_allclose(
        s.loc["CHE", ["Index", "Conn", "Sust"]].to_numpy(dtype=float),
        [68.38, 62.79, 73.98],
        atol=0.005,
    )
    np.testing.assert_allclose(
        s.loc["IND", ["Index", "Social"]].to_numpy(dtype=float), [39.79, 22.74], atol=0.005
    )
    eff = res.effective_weights.set_index("node")["effective_weight"]
    np.testing.assert_allclose(eff[["Goods", "Renew"]], [0.02, 1 / 30], rtol=1e-12)


def test_pca_first_component_loadings(raw_inputs):
    """First-component loadings per pillar (min-max data, incomplete rows dropped) and per
    sub-index (pillar scores), equal to COINr's up to sign."""
    x, fw = raw_inputs
    z, _ = normalise.minmax(x, fw.direction, low=0, high=100)
    scores = aggregate.aggregate(z, fw)
    ref = asem.reference("pca_loadings.csv")
    for (level, group), rows in ref.groupby(["Level", "Group"]):
        data = (z if level == 1 else scores)[list(rows["iCode"])]
        res = weights.pca_analysis(data, convention="first_component", negative_weights="allow")
        got = res.loadings["PC1"].to_numpy()
        exp = rows["PC1_loading"].to_numpy()
        sign = np.sign(got @ exp)
        np.testing.assert_allclose(sign * got, exp, rtol=RTOL, atol=1e-12, err_msg=group)
        np.testing.assert_allclose(
            res.explained.iloc[0], rows["PC1_var_explained"].iloc[0], rtol=RTOL
        )
        assert res.n_rows_used == rows["n_rows_used"].iloc[0]
        # the weights are the loadings rescaled to sum 1 (COINr uses them unscaled, relative
        # within the group, which is the same tree)
        np.testing.assert_allclose(res.weights.to_numpy(), got / got.sum(), rtol=1e-12)


def test_pca_negative_weights_are_not_used_silently(raw_inputs):
    """COINr's raw PC1 loadings give Social a negative weight in Sust (published: Environ
    0.651, Social -0.744, SusEcFin 0.147 for its treated build); by default we refuse."""
    x, fw = raw_inputs
    z, _ = normalise.minmax(x, fw.direction, low=0, high=100)
    scores = aggregate.aggregate(z, fw)
    from greenindex.errors import MethodError

    with pytest.raises(MethodError, match="negative"):
        weights.pca_analysis(
            scores[["Environ", "Social", "SusEcFin"]], convention="first_component"
        )
    with pytest.warns(UserWarning):
        clipped = weights.pca_analysis(
            scores[["Environ", "Social", "SusEcFin"]],
            convention="first_component",
            negative_weights="clip",
        )
    assert (clipped.weights >= 0).all() and clipped.weights.sum() == pytest.approx(1.0)


def test_published_pca_weights_pipeline_a():
    """get_PCA on the Pipeline A aggregated pillars (vignette weights.html), up to sign."""
    t = asem.asem_tables(denominate=True)
    groups = t["units"].set_index("unit")["EurAsia_group"]
    res = pipeline.build_index(
        asem.wide_panel(t["observations"]),
        t["codebook"],
        t["framework"],
        groups,
        treat={
            "impute": {"method": "group_mean"},
            "screen": {"unit_threshold": 0.9},
            "outliers": {"method": "winsorise_log"},  # COINr's Treat() of the example
        },
        normalise={"method": "minmax", "range": [0, 100]},
        weights={"method": "framework"},
    )
    published = {
        ("Physical", "ConEcFin", "Political", "Instit", "P2P"): [
            0.5117970,
            0.3049926,
            0.3547671,
            0.5081540,
            0.5108455,
        ],
        ("Environ", "Social", "SusEcFin"): [0.6513188, -0.7443677, 0.1473108],
    }
    for cols, exp in published.items():
        got = (
            weights.pca_analysis(
                res.scores[list(cols)], convention="first_component", negative_weights="allow"
            )
            .loadings["PC1"]
            .to_numpy()
        )
        np.testing.assert_allclose(np.sign(got @ exp) * got, exp, atol=5e-7)


def test_written_inputs_roundtrip(tmp_path):
    paths = asem.write_asem_inputs(tmp_path)
    assert set(paths) >= {"observations", "codebook", "units", "framework"}
    obs = pd.read_csv(paths["observations"])
    assert list(obs.columns) == ["unit", "year", "indicator", "value", "source_id"]
    cb = pd.read_csv(paths["codebook"], keep_default_na=False)
    assert set(cb.loc[cb["role"] == "variable", "id"]) == {"Area", "Energy", "GDP", "Population"}
    assert (cb["role"] == "indicator").sum() == 49
    units = pd.read_csv(paths["units"])
    assert len(units) == 51 and "EurAsia_group" in units.columns
    # the written tables give the same denominated data as the reference
    back = obs.assign(unit=obs["unit"].astype(str))
    x, _ = treat.denominate(asem.wide_panel(back), cb.replace("", np.nan))
    assert_frame_matches(x, asem.reference("example_denominated.csv"))
