"""Statistical audit: the correlation ratio worked by hand, Cronbach's alpha, flags."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.analysis import audit as au
from greenindex.index import weights
from greenindex.index.aggregate import aggregate
from greenindex.index.framework import Framework


def test_correlation_ratio_by_hand():
    # x = 1..6 in 3 bins of two: {1, 2}, {3, 4}, {5, 6}; y = 1, 3, 2, 4, 6, 5.
    # Bin means of y: (1 + 3)/2 = 2, (2 + 4)/2 = 3, (6 + 5)/2 = 5.5; overall mean 21/6 = 3.5.
    # Between sum of squares: 2(2 - 3.5)^2 + 2(3 - 3.5)^2 + 2(5.5 - 3.5)^2 = 4.5 + 0.5 + 8 = 13.
    # Total: 2.5^2 + 0.5^2 + 1.5^2 + 0.5^2 + 2.5^2 + 1.5^2 = 17.5.  eta^2 = 13 / 17.5 = 26/35.
    x = [1, 2, 3, 4, 5, 6]
    y = [1, 3, 2, 4, 6, 5]
    assert au.correlation_ratio(x, y, bins=3) == pytest.approx(26 / 35, rel=1e-14)
    # one bin: E[y | x] is the overall mean, eta^2 = 0; a bin per value: eta^2 = 1
    assert au.correlation_ratio(x, y, bins=1) == 0.0
    assert au.correlation_ratio(x, y, bins=6) == pytest.approx(1.0, rel=1e-14)


def test_correlation_ratio_keeps_ties_together_and_skips_missing():
    # x = 1, 1, 1, 2, 3, 4 in 2 bins: the first-tie positions 0, 0, 0, 3, 4, 5 give
    # floor(2 * pos / 6) = 0, 0, 0, 1, 1, 1.  y = 0, 2, 1, 5, 4, 6: bin means 1 and 5, mean 3,
    # between 3 * 4 + 3 * 4 = 24, total 9 + 1 + 4 + 4 + 1 + 9 = 28, eta^2 = 24/28 = 6/7.
    x = [1, 1, 1, 2, 3, 4, np.nan]
    y = [0, 2, 1, 5, 4, 6, 100]
    assert au.correlation_ratio(x, y, bins=2) == pytest.approx(6 / 7, rel=1e-14)
    # x = 1, 2, 2, 3 in 2 bins: positions 0, 1, 1, 3 -> bins 0, 0, 0, 1 (the tie is not split)
    # y = 0, 3, 3, 10: means 2 and 10, mean 4; between 3 * 4 + 36 = 48; total 16+1+1+36 = 54
    assert au.correlation_ratio([1, 2, 2, 3], [0, 3, 3, 10], bins=2) == pytest.approx(48 / 54)


def test_correlation_ratio_sees_a_nonlinear_main_effect_that_r2_misses():
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    y = x**2  # E[y | x] = x^2 explains all of y, but the linear correlation is 0
    assert au.pearson(x, y) == pytest.approx(0.0, abs=1e-15)
    assert au.correlation_ratio(x, y, bins=5) == pytest.approx(1.0)


def test_cronbach_alpha_by_hand():
    a = pd.Series([1.0, 2.0, 3.0, 4.0])
    # identical columns: S = s * ones(2, 2), alpha = 2^2 s / (4 s) = 1
    assert au.cronbach_alpha(pd.DataFrame({"a": a, "b": a})) == pytest.approx(1.0)
    # b = -a: S = s [[1, -1], [-1, 1]], sum 0 -> undefined
    assert np.isnan(au.cronbach_alpha(pd.DataFrame({"a": a, "b": -a})))
    # k/(k-1) (1 - tr S / sum S) for a generic matrix
    rng = np.random.default_rng(1)
    d = pd.DataFrame(rng.normal(size=(30, 4)) + rng.normal(size=(30, 1)))
    s = d.cov().to_numpy()
    assert au.cronbach_alpha(d) == pytest.approx(4 / 3 * (1 - np.trace(s) / s.sum()), rel=1e-12)


FW = Framework(
    parent={"a": "D1", "b": "D1", "c": "D2", "d": "D2", "D1": "index", "D2": "index"},
    weight=dict.fromkeys(("a", "b", "c", "d", "D1", "D2"), 1),
    direction=dict.fromkeys("abcd", 1),
    indicators=("a", "b", "c", "d"),
)


def _scores(user=None):
    rng = np.random.default_rng(5)
    n = 60
    f = rng.uniform(0, 1, n)
    z = pd.DataFrame(
        {
            "a": f + rng.uniform(0, 0.5, n),
            "b": f + rng.uniform(0, 0.5, n),
            "c": rng.uniform(0, 1, n),
            "d": 1 - f + rng.uniform(0, 0.3, n),  # runs against the others
        },
        index=pd.MultiIndex.from_arrays(
            [[f"u{i}" for i in range(n)], [2020] * n], names=["unit", "year"]
        ),
    )
    w = weights.compute_weights(z, FW, "framework", user=user)
    return aggregate(z, FW, w.weights, "arithmetic"), w.effective


def test_audit_flags_dominance_and_negative_correlation():
    scores, eff = _scores()
    res = au.audit(scores, FW, eff)
    imp = res.importance.set_index("indicator")
    np.testing.assert_allclose(imp["effective_weight"], [0.25] * 4)
    np.testing.assert_allclose(imp["importance_share"].sum(), 1.0)
    assert not imp["weight_flag"].any()
    # an indicator given 8 times the weight of its sibling and its dimension 8 times the other:
    # a carries 8/9 * 8/9 = 0.79 of the weight and is flagged
    scores, eff = _scores(user={"a": 8, "D1": 8})
    res = au.audit(scores, FW, eff)
    flags = set(zip(res.flags["flag"], res.flags["node"], strict=True))
    assert ("dominant_weight", "a") in flags
    assert ("dominant_importance", "a") in flags
    assert res.summary["max_weight_indicator"] == "a"
    assert res.summary["max_weight_share"] == pytest.approx(64 / 81)
    assert not res.passes
    d = res.importance.set_index("indicator").loc["d"]
    assert d["r_index"] < 0 and d["negative_flag"]
    assert ("negative_correlation", "d") in flags


def test_audit_correlation_tables_and_consistency():
    scores, eff = _scores()
    res = au.audit(scores, FW, eff)
    c = res.correlations
    assert set(c["kind"]) == {"parent", "index", "level"}
    par = c[(c["kind"] == "parent") & (c["node"] == "a")].iloc[0]
    assert par["other"] == "D1"
    assert par["r"] == pytest.approx(np.corrcoef(scores["a"], scores["D1"])[0, 1])
    lev = c[c["kind"] == "level"]
    assert set(zip(lev["node"], lev["other"], strict=True)) == {("D1", "D2"), ("D2", "D1")}
    cons = res.consistency.set_index("node")
    assert list(cons.index) == ["D1", "D2", "index"]
    assert cons.loc["D1", "cronbach_alpha"] == pytest.approx(au.cronbach_alpha(scores[["a", "b"]]))
    assert np.isnan(cons.loc["index", "pc1_share"])  # PCA only on the indicators of dimensions


def test_shipped_default_passes_the_audit_and_global_entropy_does_not():
    """The default weighting was chosen on the audit: under the shipped config no indicator's
    effective weight or importance exceeds a third of the total; global entropy fails."""
    from pathlib import Path

    import yaml

    from greenindex.index.pipeline import build_from_config

    cfg = Path(__file__).resolve().parents[2] / "config" / "config.yaml"
    window = yaml.safe_load(cfg.read_text(encoding="utf-8"))["window"]
    years = range(window["start"], window["end"] + 1)
    verdict = {}
    for variant in ("entropy", "entropy_global"):
        r = build_from_config(cfg, variant)
        verdict[variant] = au.audit(r.scores, r.framework, r.effective_weights, years=years)
    ok = verdict["entropy"]
    assert ok.passes, ok.flags
    assert ok.summary["max_weight_share"] <= 1 / 3
    assert ok.summary["max_importance_share"] <= 1 / 3
    bad = verdict["entropy_global"]
    assert not bad.passes
    assert list(bad.flags["node"]) == ["invention_patents_per_10k"]
    assert bad.summary["max_weight_share"] == pytest.approx(0.3816, abs=5e-4)
