"""Property-based invariants of the index engine (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from greenindex.errors import MethodError
from greenindex.index import aggregate, normalise, weights
from greenindex.index.framework import Framework

SETTINGS = settings(max_examples=40, deadline=None)


def make_framework(m: int, k: int) -> Framework:
    """m indicators spread over k dimensions, two sub-indices, one index (four levels)."""
    inds = [f"i{j}" for j in range(m)]
    dims = [f"D{d}" for d in range(k)]
    parent = {i: dims[j % k] for j, i in enumerate(inds)}
    parent.update({d: ("S0" if n % 2 == 0 else "S1") for n, d in enumerate(dims)})
    if k == 1:
        parent["S1"] = "index"
    parent.update({"S0": "index", "S1": "index"})
    weight = dict.fromkeys(parent, 1.0)
    return Framework(
        parent=parent, weight=weight, direction=dict.fromkeys(inds, 1), indicators=tuple(inds)
    )


@st.composite
def datasets(draw, min_rows=3):
    n = draw(st.integers(min_rows, 12))
    m = draw(st.integers(2, 6))
    x = draw(arrays(np.float64, (n, m), elements=st.floats(0.5, 1000, allow_nan=False)))
    # make every column non-constant
    x[0] = x[0] + 1.0 + np.abs(x).max()
    x[1] = x[1] * 0.0 + 0.25
    idx = pd.MultiIndex.from_arrays(
        [[f"u{i}" for i in range(n)], [2020] * n], names=["unit", "year"]
    )
    return pd.DataFrame(x, index=idx, columns=[f"i{j}" for j in range(m)])


def levels_sum_to_one(fw: Framework, eff: pd.Series) -> None:
    for lev in fw.levels:
        assert eff[lev].sum() == pytest.approx(1.0, abs=1e-12)


@SETTINGS
@given(
    datasets(),
    st.sampled_from(["entropy", "critic", "equal"]),
    st.sampled_from(["global", "within_parent"]),
)
def test_weights_nonnegative_and_sum_to_one(x, scheme, level):
    fw = make_framework(x.shape[1], min(2, x.shape[1]))
    z, _ = normalise.minmax(x, fw.direction, low=0, high=1)
    try:
        res = weights.compute_weights(z, fw, scheme, level=level)
    except MethodError:
        # documented: CRITIC has no information when all indicators (of a group) are
        # perfectly correlated, and says so instead of dividing 0 by 0
        assert scheme == "critic"
        assert np.nanmin(z.corr().to_numpy()) > 1 - 1e-9 or level == "within_parent"
        return
    assert (res.weights >= 0).all()
    par = pd.Series(fw.parent).reindex(res.weights.index)
    np.testing.assert_allclose(res.weights.groupby(par).sum(), 1.0, atol=1e-12)
    levels_sum_to_one(fw, res.effective.set_index("node")["effective_weight"])


@SETTINGS
@given(
    datasets(),
    st.floats(1e-3, 1e3),
    st.sampled_from(["zero_log_zero", "shift", "compress", "raw_share"]),
)
def test_minmax_and_entropy_scale_invariant(x, c, variant):
    col = x.columns[0]
    y = x.copy()
    y[col] = y[col] * c
    zx, _ = normalise.minmax(x, low=0, high=1)
    zy, _ = normalise.minmax(y, low=0, high=1)
    np.testing.assert_allclose(zx, zy, atol=1e-9)
    if variant == "raw_share":
        np.testing.assert_allclose(
            weights.entropy(x, variant=variant), weights.entropy(y, variant=variant), atol=1e-9
        )
    else:
        np.testing.assert_allclose(
            weights.entropy(zx, variant=variant), weights.entropy(zy, variant=variant), atol=1e-9
        )


@SETTINGS
@given(
    datasets(),
    st.randoms(use_true_random=False),
    st.sampled_from(["arithmetic", "geometric", "topsis"]),
)
def test_order_of_units_and_indicators_does_not_matter(x, rnd, method):
    fw = make_framework(x.shape[1], min(2, x.shape[1]))
    rows = list(range(len(x)))
    cols = list(x.columns)
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    xp = x.iloc[rows][cols]

    def run(d):
        z, _ = normalise.minmax(d, fw.direction, low=1, high=100)
        w = weights.compute_weights(z, fw, "entropy").weights
        return aggregate.aggregate(z, fw, w, method)

    a = run(x)
    b = run(xp).loc[a.index, a.columns]
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-9, atol=1e-12)


@SETTINGS
@given(datasets(), st.sampled_from([(0.0, 1.0), (0.0, 100.0), (1.0, 100.0)]))
def test_flipping_direction_mirrors(x, rng):
    low, high = rng
    d = dict.fromkeys(x.columns, 1)
    flipped = {**d, x.columns[0]: -1}
    z1, _ = normalise.minmax(x, d, low=low, high=high)
    z2, _ = normalise.minmax(x, flipped, low=low, high=high)
    c = x.columns[0]
    np.testing.assert_allclose(z2[c], low + high - z1[c], atol=1e-9)
    s1, _ = normalise.zscore(x, d)
    s2, _ = normalise.zscore(x, flipped)
    np.testing.assert_allclose(s2[c], -s1[c], atol=1e-12)


@SETTINGS
@given(datasets(), st.data())
def test_missing_indicator_rescales_remaining_weights(x, data):
    fw = make_framework(x.shape[1], 1)
    z, _ = normalise.minmax(x, fw.direction, low=0, high=1)
    w = pd.Series(
        data.draw(st.lists(st.floats(0.1, 5), min_size=x.shape[1], max_size=x.shape[1])),
        index=list(x.columns),
    )
    drop = data.draw(st.sampled_from(list(x.columns)))
    zm = z.copy()
    zm.iloc[0, list(x.columns).index(drop)] = np.nan
    s = aggregate.aggregate(zm, fw, w.to_dict())
    keep = [c for c in x.columns if c != drop]
    row = zm.iloc[0][keep]
    expected = float((row * w[keep]).sum() / w[keep].sum())
    assert s.iloc[0]["D0"] == pytest.approx(expected, rel=1e-12, abs=1e-15)


@SETTINGS
@given(datasets())
def test_global_entropy_index_is_weighted_sum(x):
    fw = make_framework(x.shape[1], min(3, x.shape[1]))
    z, _ = normalise.minmax(x, fw.direction, low=0, high=1)
    res = weights.compute_weights(z, fw, "entropy", level="global")
    s = aggregate.aggregate(z, fw, res.weights)
    w = weights.entropy(z)
    np.testing.assert_allclose(s["index"], z[w.index] @ w, rtol=1e-10, atol=1e-12)


def test_degenerate_inputs_raise_clear_errors():
    idx = pd.MultiIndex.from_arrays([["a", "b", "c"], [2020] * 3], names=["unit", "year"])
    x = pd.DataFrame({"v": [1.0, 2.0, 3.0], "const": 5.0, "empty": np.nan}, index=idx)
    with pytest.raises(MethodError, match="const"):
        normalise.minmax(x[["v", "const"]], low=0, high=1)
    with pytest.raises(MethodError, match="empty"):
        normalise.minmax(x[["v", "empty"]], low=0, high=1)
    with pytest.raises(MethodError, match="constant"):  # a single unit: every column constant
        normalise.minmax(x.iloc[:1][["v"]], low=0, high=1)
    with pytest.raises(MethodError, match="at least two"):
        weights.entropy(x.iloc[:1][["v"]])
    with pytest.raises(MethodError, match="values > 0"):
        weights.entropy(x[["v"]].assign(w=[0.0, 1.0, 2.0]), variant="raw_share")
    fw = Framework(
        parent={"v": "index", "w": "index"},
        weight={"v": 1, "w": 1},
        direction={"v": 1, "w": 1},
        indicators=("v", "w"),
    )
    z, _ = normalise.minmax(x[["v"]].assign(w=[3.0, 1.0, 2.0]), low=0, high=1)
    with pytest.raises(MethodError, match="geometric"):
        aggregate.aggregate(z, fw, method="geometric")
    # documented behaviour: a unit with all children missing gets a missing aggregate, never
    # a number computed from nothing
    z.iloc[0] = np.nan
    assert np.isnan(aggregate.aggregate(z, fw)["index"].iloc[0])
