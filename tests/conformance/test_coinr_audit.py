"""The statistical audit against COINr 1.1.14's audit functions on its ASEM example.

Reference values: ``tests/data/coinr_asem/audit/`` (copied verbatim from COINr's output; its
calls and conventions are in ``tests/data/coinr_asem/README.md``): ``get_corr``,
``get_cronbach``, ``get_PCA`` and ``get_eff_weights`` on the ``minmax_amean`` build (min-max
[0, 100], arithmetic mean, metadata weights). Agreement to 1e-9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greenindex.analysis import audit as au
from greenindex.index import aggregate, normalise, treat, weights
from greenindex.index.framework import Framework

from . import asem

AUDIT = Path(__file__).resolve().parents[1] / "data" / "coinr_asem" / "audit"
RTOL = 1e-9


def _ref(name: str) -> pd.DataFrame:
    return pd.read_csv(AUDIT / name)


@pytest.fixture(scope="module")
def asem_audit():
    t = asem.asem_tables(denominate=False)
    cb = t["codebook"]
    fw = Framework.from_tables(cb[cb["role"] == "indicator"], t["framework"])
    x, _ = treat.denominate(asem.wide_panel(t["observations"]), cb)
    z, _ = normalise.normalise(x, fw.direction, "minmax", low=0, high=100)
    w = weights.compute_weights(z, fw, "framework")
    scores = aggregate.aggregate(z, fw, w.weights, "arithmetic")
    return au.audit(scores, fw, w.effective), w.effective, fw


def _pairs(result: au.AuditResult, kind: str) -> pd.Series:
    c = result.correlations[result.correlations["kind"] == kind]
    return pd.Series(c["r"].to_numpy(), index=pd.MultiIndex.from_frame(c[["node", "other"]]))


@pytest.mark.parametrize(
    "file,kind",
    [
        ("corr_indicator_parent_pearson.csv", "parent"),
        ("corr_pillar_parent_pearson.csv", "parent"),
        ("corr_indicator_index_pearson.csv", "index"),
        ("corr_pillars_pearson.csv", "level"),
    ],
)
def test_correlations_match_coinr(asem_audit, file, kind):
    result, _, _ = asem_audit
    ref = _ref(file)
    ref = ref[ref["Var1"] != ref["Var2"]]  # the diagonal (1) of the pillar matrix
    ours = _pairs(result, kind)
    got = ours.loc[list(zip(ref["Var2"], ref["Var1"], strict=True))].to_numpy()
    assert len(ref) > 0
    np.testing.assert_allclose(got, ref["Correlation"].to_numpy(), rtol=RTOL, atol=1e-12)


def test_cronbach_alpha_matches_coinr(asem_audit):
    result, _, _ = asem_audit
    ref = _ref("cronbach.csv")
    cons = result.consistency.set_index("node")
    np.testing.assert_allclose(
        cons.loc[ref["group"], "cronbach_alpha"].to_numpy(), ref["alpha"], rtol=RTOL
    )
    # COINr's level is the level of the children; ours is the aggregate's own level
    np.testing.assert_array_equal(cons.loc[ref["group"], "level"].to_numpy(), ref["level"] + 1)
    assert (ref["alpha"] < 0).any()  # negative alphas (SusEcFin, Sust) are reproduced too


def test_pc1_share_matches_coinr(asem_audit):
    result, _, _ = asem_audit
    ref = _ref("pca_pc1_share.csv")
    cons = result.consistency.set_index("node")
    np.testing.assert_allclose(
        cons.loc[ref["group"], "pc1_share"].to_numpy(), ref["pc1_var_share"], rtol=RTOL
    )
    np.testing.assert_array_equal(cons.loc[ref["group"], "pc1_rows"].to_numpy(), ref["n_rows"])


def test_effective_weights_match_coinr(asem_audit):
    result, effective, _ = asem_audit
    ref = _ref("effective_weights.csv").set_index("iCode")
    eff = effective.set_index("node")
    np.testing.assert_allclose(eff.loc[ref.index, "effective_weight"], ref["EffWeight"], rtol=RTOL)
    imp = result.importance.set_index("indicator")
    ind = [i for i in ref.index if i in imp.index]
    assert len(ind) == 49
    np.testing.assert_allclose(
        imp.loc[ind, "effective_weight"], ref.loc[ind, "EffWeight"], rtol=RTOL
    )
