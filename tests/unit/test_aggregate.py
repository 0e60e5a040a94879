"""Aggregation: hand-checkable means, TOPSIS, missing children, errors, ranks."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greenindex.errors import ConfigError, MethodError
from greenindex.index import aggregate, normalise
from greenindex.index.framework import Framework

FW = Framework(
    parent={"a": "D1", "b": "D1", "c": "D2", "D1": "index", "D2": "index"},
    weight={"a": 1, "b": 3, "c": 1, "D1": 1, "D2": 1},
    direction={"a": 1, "b": 1, "c": 1},
    indicators=("a", "b", "c"),
)


def panel(data, units=None, years=None):
    n = len(next(iter(data.values())))
    units = units or [f"u{i}" for i in range(n)]
    years = years or [2020] * n
    idx = pd.MultiIndex.from_arrays([units, years], names=["unit", "year"])
    return pd.DataFrame(data, index=idx, dtype=float)


Z = panel({"a": [2.0, 4.0], "b": [8.0, np.nan], "c": [5.0, 1.0]})


def test_arithmetic_with_missing_child_rescales():
    s = aggregate.aggregate(Z, FW)
    assert list(s.columns) == ["a", "b", "c", "D1", "D2", "index"]
    np.testing.assert_allclose(s["D1"], [(2 + 3 * 8) / 4, 4.0])
    np.testing.assert_allclose(s["index"], [((2 + 24) / 4 + 5) / 2, (4 + 1) / 2])


def test_geometric_and_harmonic_by_hand():
    s = aggregate.aggregate(Z, FW, method="geometric")
    assert s["D1"].iloc[0] == pytest.approx(2**0.25 * 8**0.75)
    assert s["index"].iloc[0] == pytest.approx(math.sqrt(2**2.5 * 5))
    h = aggregate.aggregate(Z, FW, method="harmonic")
    assert h["D1"].iloc[0] == pytest.approx(4 / (1 / 2 + 3 / 8))


def test_method_per_level():
    s = aggregate.aggregate(Z, FW, method={2: "geometric", 3: "arithmetic"})
    assert s["index"].iloc[0] == pytest.approx((2**2.5 + 5) / 2)


def test_geometric_refuses_zero_with_advice():
    z = Z.copy()
    z.iloc[0, 0] = 0.0
    with pytest.raises(MethodError, match=r"\[1, 100\]"):
        aggregate.aggregate(z, FW, method="geometric")
    with pytest.raises(MethodError, match="u0 2020"):
        aggregate.aggregate(z, FW, method="harmonic")


def test_min_share_present():
    s = aggregate.aggregate(Z, FW, min_share_present=0.75)
    assert np.isnan(s.loc[("u1", 2020), "D1"])
    # the threshold applies at every level: the index then has 1 of 2 children present
    assert np.isnan(s.loc[("u1", 2020), "index"])
    s = aggregate.aggregate(Z, FW, min_share_present=0.5)
    assert s.loc[("u1", 2020), "D1"] == 4.0


def test_all_children_missing_gives_missing_aggregate():
    z = Z.copy()
    z.loc[("u1", 2020), "a"] = np.nan
    s = aggregate.aggregate(z, FW)
    assert np.isnan(s.loc[("u1", 2020), "D1"]) and s.loc[("u1", 2020), "index"] == 1.0


def test_topsis_by_hand_none_and_vector():
    fw = Framework(
        parent={"a": "index", "b": "index"},
        weight={"a": 1, "b": 1},
        direction={"a": 1, "b": 1},
        indicators=("a", "b"),
    )
    z = panel({"a": [0.0, 1.0, 0.5], "b": [0.0, 1.0, 1.0]})
    s = aggregate.aggregate(z, fw, method="topsis", topsis_normalisation="none")
    dp, dm = 0.25, math.sqrt(0.25**2 + 0.5**2)
    np.testing.assert_allclose(s["index"], [0.0, 1.0, dm / (dp + dm)])
    s = aggregate.aggregate(z, fw, method="topsis", topsis_normalisation="vector")
    r = z / np.sqrt((z**2).sum())
    v = r * 0.5
    dp = np.sqrt(((v - v.max()) ** 2).sum(axis=1))
    dm = np.sqrt(((v - v.min()) ** 2).sum(axis=1))
    np.testing.assert_allclose(s["index"], dm / (dp + dm))


def test_topsis_pooled_vs_year_ideal():
    fw = Framework(parent={"a": "index"}, weight={"a": 1}, direction={"a": 1}, indicators=("a",))
    z = panel(
        {"a": [0.0, 1.0, 2.0, 3.0]}, units=["u", "v", "u", "v"], years=[2019, 2019, 2020, 2020]
    )
    pooled = aggregate.aggregate(z, fw, method="topsis", topsis_normalisation="none")
    np.testing.assert_allclose(pooled["index"], [0, 1 / 3, 2 / 3, 1])
    yearly = aggregate.aggregate(
        z, fw, method="topsis", topsis_normalisation="none", topsis_ideal="year"
    )
    np.testing.assert_allclose(yearly["index"], [0, 1, 0, 1])


def test_per_year_weight_table():
    z = panel(
        {"a": [0.0, 1.0], "b": [1.0, 1.0], "c": [0.5, 0.5]}, units=["u", "u"], years=[2019, 2020]
    )
    w = pd.DataFrame(
        {"a": [1.0, 0.0], "b": [0.0, 1.0], "c": [1, 1], "D1": [1, 1], "D2": [0.0, 0.0]},
        index=[2019, 2020],
    )
    s = aggregate.aggregate(z, FW, w)
    np.testing.assert_allclose(s["index"], [0.0, 1.0])


def test_errors():
    with pytest.raises(ConfigError, match="aggregate.method"):
        aggregate.aggregate(Z, FW, method="median")
    with pytest.raises(MethodError, match="subset"):
        aggregate.aggregate(Z[["a", "b"]], FW)
    with pytest.raises(MethodError, match="negative"):
        aggregate.aggregate(Z, FW, {"a": -1.0})
    assert np.isfinite(
        aggregate.aggregate(Z, FW, {"a": -1.0}, allow_negative_weights=True)["index"]
    ).all()


def test_ranks_min_ties_per_year():
    s = pd.Series(
        [3.0, 5.0, 5.0, 1.0, 2.0],
        index=pd.MultiIndex.from_arrays(
            [list("abcab"), [2019, 2019, 2019, 2020, 2020]], names=["unit", "year"]
        ),
    )
    np.testing.assert_array_equal(aggregate.ranks(s), [3, 1, 1, 2, 1])


def test_published_harmonic_mean_example():
    """COINr vignette: ASEM LPI, Flights, Ship, Bord (raw) min-max to [1, 100], a_hmean with
    w = (1, 1, 2, 1): first five units 2.36, 41.50, 14.30, 17.40, 3.93 (3 s.f.)."""
    p = Path(__file__).resolve().parents[1] / "data" / "coinr_asem" / "ASEM_iData.csv"
    d = pd.read_csv(p)
    cols = ["LPI", "Flights", "Ship", "Bord"]
    x = pd.DataFrame(
        d[cols].to_numpy(dtype=float),
        columns=cols,
        index=pd.MultiIndex.from_arrays([d["uCode"], d["Time"]], names=["unit", "year"]),
    )
    z, _ = normalise.minmax(x, None, low=1, high=100)
    fw = Framework(
        parent=dict.fromkeys(cols, "index"),
        weight=dict(zip(cols, [1, 1, 2, 1], strict=True)),
        direction=dict.fromkeys(cols, 1),
        indicators=tuple(cols),
    )
    s = aggregate.aggregate(z, fw, method="harmonic")["index"].to_numpy()[:5]
    np.testing.assert_allclose(s, [2.36, 41.50, 14.30, 17.40, 3.93], rtol=5e-3)
