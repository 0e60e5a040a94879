"""Weights: entropy variants, CRITIC, PCA conventions with KMO/Bartlett, combinations, and
placement in the tree (global vs within-parent, user weights at any level)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from greenindex.errors import ConfigError, MethodError
from greenindex.index import weights
from greenindex.index.framework import Framework


def panel(data, units=None, years=None):
    n = len(next(iter(data.values())))
    units = units or [f"u{i}" for i in range(n)]
    years = years or [2020] * n
    idx = pd.MultiIndex.from_arrays([units, years], names=["unit", "year"])
    return pd.DataFrame(data, index=idx, dtype=float)


FW = Framework(
    parent={"a": "D1", "b": "D1", "c": "D2", "D1": "index", "D2": "index"},
    weight={"a": 1, "b": 1, "c": 1, "D1": 1, "D2": 3},
    direction={"a": 1, "b": 1, "c": 1},
    indicators=("a", "b", "c"),
)


def test_entropy_zero_log_zero_by_hand():
    w = weights.entropy(pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [0.0, 1.0, 1.0]}))
    ea = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(3)
    eb = math.log(2) / math.log(3)
    da, db = 1 - ea, 1 - eb
    assert w["a"] == pytest.approx(da / (da + db), rel=1e-12)
    assert w["b"] == pytest.approx(db / (da + db), rel=1e-12)


@pytest.mark.parametrize(
    "variant,opts,transform",
    [
        ("shift", {"shift": 0.01}, lambda z: z + 0.01),
        ("compress", {"compress": (0.99, 0.01)}, lambda z: 0.99 * z + 0.01),
        ("raw_share", {}, lambda z: z),
    ],
)
def test_entropy_variants_against_scipy_entropy(variant, opts, transform):
    rng = np.random.default_rng(3)
    z = pd.DataFrame(rng.uniform(0.05, 1, size=(12, 4)), columns=list("pqrs"))
    z.iloc[0, 0] = np.nan  # missing values: n counts the present rows
    w = weights.entropy(z, variant=variant, **opts)
    d = []
    for c in z.columns:
        y = transform(z[c].dropna().to_numpy())
        d.append(1 - stats.entropy(y / y.sum()) / math.log(len(y)))
    np.testing.assert_allclose(w.to_numpy(), np.array(d) / sum(d), rtol=1e-12)


def test_entropy_variants_differ_on_minmax_data():
    z = pd.DataFrame({"a": [0.0, 0.2, 1.0, 0.4], "b": [0.0, 1.0, 0.9, 0.8]})
    w0 = weights.entropy(z)
    w1 = weights.entropy(z, variant="shift", shift=1.0)
    assert not np.allclose(w0, w1)


def test_entropy_errors():
    with pytest.raises(MethodError, match="raw-share"):
        weights.entropy(pd.DataFrame({"a": [0.0, 1.0, 2.0]}), variant="raw_share")
    with pytest.raises(MethodError, match="negative"):
        weights.entropy(pd.DataFrame({"a": [-1.0, 1.0, 2.0]}))
    with pytest.raises(MethodError, match="at least two"):
        weights.entropy(pd.DataFrame({"a": [1.0], "b": [2.0]}))
    with pytest.raises(MethodError, match="all zero"):
        weights.entropy(pd.DataFrame({"a": [0.0, 0.0], "b": [1.0, 2.0]}))
    with pytest.raises(MethodError):  # no information at all: every e_j = 1
        weights.entropy(pd.DataFrame({"a": [1.0, 1.0], "b": [2.0, 2.0]}))
    with pytest.raises(ConfigError, match="weights.entropy.variant"):
        weights.entropy(pd.DataFrame({"a": [1.0, 2.0]}), variant="log2")


def test_critic_two_columns_is_proportional_to_sd():
    # with two indicators C_j = sd_j (1 - r), so w_j = sd_j / (sd_1 + sd_2)
    z = pd.DataFrame({"a": [0.0, 0.5, 1.0, 0.2], "b": [0.0, 0.1, 0.2, 0.6]})
    w = weights.critic(z)
    sd = z.std(ddof=1)
    np.testing.assert_allclose(w, sd / sd.sum(), rtol=1e-12)


def test_critic_three_columns_by_hand():
    z = pd.DataFrame(
        {"a": [0.0, 0.5, 1.0, 0.2], "b": [0.0, 0.1, 0.2, 0.6], "c": [1.0, 0.0, 0.3, 0.4]}
    )
    sd = z.std(ddof=1).to_numpy()
    r = np.corrcoef(z.to_numpy(), rowvar=False)
    c = np.array([sd[j] * sum(1 - r[j, k] for k in range(3)) for j in range(3)])
    np.testing.assert_allclose(weights.critic(z), c / c.sum(), rtol=1e-12)
    with pytest.raises(MethodError, match="constant"):
        weights.critic(z.assign(d=1.0))


def _correlated(n=60, seed=5):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=n)
    g = rng.normal(size=n)
    return pd.DataFrame(
        {
            "a": f + 0.3 * rng.normal(size=n),
            "b": f + 0.5 * rng.normal(size=n),
            "c": f + 0.8 * rng.normal(size=n),
            "d": g + 0.3 * rng.normal(size=n),
            "e": g + 0.4 * rng.normal(size=n),
        }
    )


def test_pca_eigenvalues_match_sklearn():
    from sklearn.decomposition import PCA

    x = _correlated()
    res = weights.pca_analysis(x, negative_weights="allow")
    std = (x - x.mean()) / x.std(ddof=1)
    sk = PCA().fit(std.to_numpy())
    np.testing.assert_allclose(res.eigenvalues.to_numpy(), sk.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(
        np.abs(res.loadings.to_numpy()), np.abs(sk.components_.T), atol=1e-10
    )
    assert res.n_components == int((sk.explained_variance_ > 1).sum()) == 2


def test_pca_variance_loadings_formula():
    x = _correlated()
    res = weights.pca_analysis(x, convention="variance_loadings", negative_weights="allow")
    lam = res.eigenvalues.to_numpy()[:2]
    u = res.loadings.to_numpy()[:, :2]
    c = (u * lam).sum(axis=1) / lam.sum()
    np.testing.assert_allclose(res.weights.to_numpy(), c / c.sum(), rtol=1e-12)
    # each component signed so that its loadings sum to a positive number
    assert (res.loadings.sum() > 0).all()
    one = weights.pca_analysis(
        x, convention="variance_loadings", retain=1, negative_weights="allow"
    )
    first = weights.pca_analysis(x, convention="first_component", negative_weights="allow")
    np.testing.assert_allclose(one.weights, first.weights, rtol=1e-12)


def test_pca_jrc_varimax_properties():
    x = _correlated()
    res = weights.pca_analysis(x, convention="jrc_varimax")
    assert res.weights.sum() == pytest.approx(1.0) and (res.weights > 0).all()
    # varimax is an orthogonal rotation: communalities are preserved
    eig, u = (
        res.eigenvalues.to_numpy()[:2],
        weights.pca_analysis(x, negative_weights="allow").loadings.to_numpy()[:, :2],
    )
    unrot = u * np.sqrt(eig)
    np.testing.assert_allclose(
        (res.loadings.to_numpy() ** 2).sum(axis=1), (unrot**2).sum(axis=1), rtol=1e-10
    )
    # the two indicator blocks load on different factors
    best = np.argmax(res.loadings.to_numpy() ** 2, axis=1)
    assert best[0] == best[1] == best[2] != best[3] == best[4]


def test_kmo_and_bartlett_two_variables_closed_form():
    rng = np.random.default_rng(2)
    a = rng.normal(size=30)
    x = pd.DataFrame({"a": a, "b": a + rng.normal(size=30)})
    res = weights.pca_analysis(x, negative_weights="allow")
    r = np.corrcoef(x.to_numpy(), rowvar=False)[0, 1]
    # two variables: the partial correlation equals r, so KMO = 1/2
    assert res.kmo == pytest.approx(0.5, abs=1e-12)
    chi2 = -(30 - 1 - 9 / 6) * math.log(1 - r**2)
    assert res.bartlett_chi2 == pytest.approx(chi2, rel=1e-12)
    assert res.bartlett_df == 1
    assert res.bartlett_p == pytest.approx(stats.chi2.sf(chi2, 1), rel=1e-10)


def test_pca_negative_weights_options():
    x = _correlated()
    x["e"] = -x["a"] * 3 + 0.1 * np.random.default_rng(1).normal(size=len(x))
    with pytest.raises(MethodError, match="negative_weights"):
        weights.pca_analysis(x, convention="first_component")
    with pytest.warns(UserWarning):
        clipped = weights.pca_analysis(x, convention="first_component", negative_weights="clip")
    assert clipped.weights["e"] == 0 and clipped.weights.sum() == pytest.approx(1)
    allowed = weights.pca_analysis(x, convention="first_component", negative_weights="allow")
    assert allowed.weights["e"] < 0 and allowed.negative == ["e"]


def test_combine():
    a = pd.Series({"x": 0.2, "y": 0.8})
    b = pd.Series({"x": 0.6, "y": 0.4})
    np.testing.assert_allclose(
        weights.combine(a, b, "linear", 0.25), [0.25 * 0.2 + 0.75 * 0.6, 0.25 * 0.8 + 0.75 * 0.4]
    )
    np.testing.assert_allclose(weights.combine(a, b, "multiplicative"), [0.12 / 0.44, 0.32 / 0.44])
    g = np.sqrt([0.12, 0.32])
    np.testing.assert_allclose(weights.combine(a, b, "geometric"), g / g.sum())
    with pytest.raises(ConfigError):
        weights.combine(a, b, "harmonic")


Z = panel({"a": [0.0, 0.4, 1.0, 0.7], "b": [1.0, 0.0, 0.5, 0.2], "c": [0.2, 0.3, 0.0, 1.0]})


def test_global_level_effective_weights_are_the_vector():
    res = weights.compute_weights(Z, FW, "entropy", level="global")
    w = weights.entropy(Z)
    eff = res.effective.set_index("node")["effective_weight"]
    np.testing.assert_allclose(eff[["a", "b", "c"]], w[["a", "b", "c"]], rtol=1e-12)
    np.testing.assert_allclose(eff["D1"], w["a"] + w["b"], rtol=1e-12)
    # shares sum to one within every parent
    par = pd.Series(FW.parent)
    np.testing.assert_allclose(res.weights.groupby(par.reindex(res.weights.index)).sum(), 1.0)


def test_within_parent_level_keeps_metadata_aggregate_weights():
    res = weights.compute_weights(Z, FW, "entropy", level="within_parent")
    w = weights.entropy(Z[["a", "b"]])
    np.testing.assert_allclose(res.weights[["a", "b"]], w, rtol=1e-12)
    assert res.weights["c"] == 1.0
    np.testing.assert_allclose(res.weights[["D1", "D2"]], [0.25, 0.75])


def test_user_weights_any_level_and_combination():
    # framework shares a, b = 1/2, 1/2 and D1, D2 = 1/4, 3/4; multipliers a x3, D2 x1/3
    res = weights.compute_weights(Z, FW, "user", user={"a": 3, "D2": 1 / 3})
    np.testing.assert_allclose(res.weights[["a", "b", "D1", "D2"]], [0.75, 0.25, 0.5, 0.5])
    res = weights.compute_weights(
        Z, FW, "entropy", level="global", combine_with="critic", alpha=0.5
    )
    exp = weights.combine(weights.entropy(Z), weights.critic(Z), "linear", 0.5)
    eff = res.effective.set_index("node")["effective_weight"]
    np.testing.assert_allclose(eff[["a", "b", "c"]], exp, rtol=1e-12)
    with pytest.raises(ConfigError, match="weights.user"):
        weights.compute_weights(Z, FW, "user", user={"nope": 1})


def test_per_year_weights():
    z = panel(
        {
            "a": [0.0, 1.0, 0.3, 0.0, 1.0, 0.9],
            "b": [1.0, 0.0, 0.5, 0.2, 0.0, 1.0],
            "c": [0.2, 0.3, 0.0, 1.0, 0.1, 0.0],
        },
        units=["u", "v", "w"] * 2,
        years=[2019] * 3 + [2020] * 3,
    )
    res = weights.compute_weights(z, FW, "entropy", level="global", scope="year")
    assert list(res.weights.index) == [2019, 2020]
    np.testing.assert_allclose(
        res.indicator_weights.loc[2020], weights.entropy(z.xs(2020, level="year")), rtol=1e-12
    )
    assert set(res.effective["year"]) == {2019, 2020}


def test_compute_weights_config_errors():
    with pytest.raises(ConfigError, match="weights.level"):
        weights.compute_weights(Z, FW, level="top")
    with pytest.raises(ConfigError, match="weights.method"):
        weights.compute_weights(Z, FW, "ahp")


# --- weights.user: multiplier of the method's within-parent weight, renormalised among siblings


FW3 = Framework(
    parent={
        "a": "D1",
        "b": "D1",
        "c": "D2",
        "d": "D2",
        "e": "D3",
        "f": "D3",
        "D1": "index",
        "D2": "index",
        "D3": "index",
    },
    weight=dict.fromkeys(("a", "b", "c", "d", "e", "f", "D1", "D2", "D3"), 1),
    direction=dict.fromkeys("abcdef", 1),
    indicators=tuple("abcdef"),
)


def _z6(seed=11):
    rng = np.random.default_rng(seed)
    f = rng.uniform(0, 1, 24)  # a common factor, so that PCA weights are all positive
    z = panel({k: f + rng.uniform(0, 0.6 + 0.1 * i, 24) for i, k in enumerate("abcdef")})
    return (z - z.min()) / (z.max() - z.min())


SCHEME_CASES = [
    (s, lvl) for s in ("entropy", "pca", "critic", "equal") for lvl in ("global", "within_parent")
] + [("framework", "global"), ("user", "global")]


@pytest.mark.parametrize("scheme,level", SCHEME_CASES)
def test_user_doubling_a_dimension_doubles_it_relative_to_each_sibling(scheme, level):
    z = _z6()
    base = weights.compute_weights(z, FW3, scheme, level=level).weights
    doubled = weights.compute_weights(z, FW3, scheme, level=level, user={"D2": 2}).weights
    for sib in ("D1", "D3"):
        assert doubled["D2"] / doubled[sib] == pytest.approx(2 * base["D2"] / base[sib], rel=1e-12)
    # renormalised among siblings: w' = 2 w / (2 w + sum of the others), the rest in proportion
    assert doubled["D2"] == pytest.approx(2 * base["D2"] / (1 + base["D2"]), rel=1e-12)
    assert doubled[["D1", "D2", "D3"]].sum() == pytest.approx(1.0, rel=1e-12)
    # indicators keep their within-dimension shares
    np.testing.assert_allclose(doubled[list("abcdef")], base[list("abcdef")], rtol=1e-12)


def test_user_multiplier_on_an_indicator_and_zero():
    z = _z6()
    base = weights.compute_weights(z, FW3, "entropy").weights
    res = weights.compute_weights(z, FW3, "entropy", user={"a": 3, "e": 0}).weights
    assert res["a"] / res["b"] == pytest.approx(3 * base["a"] / base["b"], rel=1e-12)
    assert res["e"] == 0 and res["f"] == pytest.approx(1.0)
    # a dimension's within-root weight under level global is the sum of its indicators'
    # weights: a multiplier on an indicator does not move the dimension weights
    np.testing.assert_allclose(res[["D1", "D2", "D3"]], base[["D1", "D2", "D3"]], rtol=1e-12)


def test_user_multipliers_per_year_scope():
    z = _z6()
    z.index = pd.MultiIndex.from_arrays(
        [[f"u{i}" for i in range(12)] * 2, [2019] * 12 + [2020] * 12], names=["unit", "year"]
    )
    base = weights.compute_weights(z, FW3, "critic", scope="year").weights
    res = weights.compute_weights(z, FW3, "critic", scope="year", user={"D1": 2}).weights
    ratio = (res["D1"] / res["D3"]) / (base["D1"] / base["D3"])
    np.testing.assert_allclose(ratio, 2.0, rtol=1e-12)


def test_user_unknown_node_names_key_and_closest():
    with pytest.raises(ConfigError, match="weights.user") as e:
        weights.compute_weights(_z6(), FW3, "entropy", user={"D22": 2})
    assert "did you mean 'D2'" in str(e.value)
    with pytest.raises(ConfigError, match="weights.user"):
        weights.compute_weights(_z6(), FW3, "entropy", user={"index": 2})


def test_user_all_siblings_zero_is_refused():
    with pytest.raises(ConfigError, match="weights.user") as e:
        weights.compute_weights(_z6(), FW3, "equal", user={"c": 0, "d": 0})
    assert "'D2'" in str(e.value)
    with pytest.raises(ConfigError, match="weights.user"):
        weights.compute_weights(_z6(), FW3, "equal", user={"D1": 0, "D2": 0, "D3": 0})


@pytest.mark.parametrize("variant", ["entropy", "pca", "critic", "equal", "topsis"])
def test_readme_example_structure_2_doubles_structure_on_shipped_data(variant):
    """README / config/README.md: `weights.user: {structure: 2}` doubles structure's weight
    relative to each other dimension, under every configured variant of the shipped config."""
    from pathlib import Path

    from greenindex.index.pipeline import build_from_config

    cfg = Path(__file__).resolve().parents[2] / "config" / "config.yaml"
    base = build_from_config(cfg, variant).weights
    doubled = build_from_config(
        cfg, variant, overrides={"weights": {"user": {"structure": 2}}}
    ).weights
    for sib in ("energy_carbon", "green_innovation"):
        assert doubled["structure"] / doubled[sib] == pytest.approx(
            2 * base["structure"] / base[sib], rel=1e-12
        )
    assert doubled["structure"] == pytest.approx(
        2 * base["structure"] / (1 + base["structure"]), rel=1e-12
    )
