"""Normalisation: hand-checkable cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.errors import ConfigError, MethodError
from greenindex.index import normalise


def panel(data, units, years):
    idx = pd.MultiIndex.from_arrays([units, years], names=["unit", "year"])
    return pd.DataFrame(data, index=idx, dtype=float)


X = panel(
    {"gdp": [1, 2, 3, 5], "co2": [10, 30, 20, np.nan]},
    ["a", "b", "a", "b"],
    [2019, 2019, 2020, 2020],
)
D = {"gdp": 1, "co2": -1}


def test_minmax_pooled_direction_and_range():
    z, rep = normalise.minmax(X, D, low=1, high=100)
    np.testing.assert_allclose(z["gdp"], [1, 1 + 99 / 4, 1 + 99 / 2, 100])
    np.testing.assert_allclose(z["co2"], [100, 1, 50.5, np.nan])
    r = rep.set_index("indicator")
    assert (
        r.loc["co2", "min"] == 10 and r.loc["co2", "max"] == 30 and r.loc["co2", "direction"] == -1
    )


def test_minmax_per_year():
    z, rep = normalise.minmax(X[["gdp"]], D, scope="year", low=0, high=1)
    np.testing.assert_allclose(z["gdp"], [0, 1, 0, 1])
    assert set(rep["year"]) == {2019, 2020}


def test_zscore_sample_sd():
    z, _ = normalise.zscore(X[["gdp"]], D, mean=10, sd=2)
    x = np.array([1, 2, 3, 5.0])
    np.testing.assert_allclose(z["gdp"], 10 + 2 * (x - x.mean()) / x.std(ddof=1))


def test_rank_and_percentile():
    z, _ = normalise.rank(X, D)
    np.testing.assert_allclose(z["co2"], [3, 1, 2, np.nan])
    p, _ = normalise.percentile(X, D)
    np.testing.assert_allclose(p["gdp"], [0, 1 / 3, 2 / 3, 1])


def test_distance_to_reference_unit_and_year():
    z, _ = normalise.distance(X, D, reference_unit="a")
    np.testing.assert_allclose(z["gdp"], [1, 2, 1, 5 / 3])
    np.testing.assert_allclose(z["co2"], [1, 10 / 30, 1, np.nan])
    z, _ = normalise.distance(X, D, reference_year=2019, kind="difference")
    np.testing.assert_allclose(z["gdp"], [0, 0, 2, 3])
    np.testing.assert_allclose(z["co2"], [0, 0, -10, np.nan])


def test_constant_and_all_missing_columns():
    x = X.assign(flat=4.0, empty=np.nan)
    with pytest.raises(MethodError, match="flat"):
        normalise.minmax(x, {**D, "flat": 1, "empty": 1}, low=0, high=1)
    z, rep = normalise.minmax(x, {**D, "flat": 1, "empty": 1}, on_constant="drop", low=0, high=1)
    assert list(z.columns) == ["gdp", "co2"]
    assert rep.set_index("indicator").loc[["flat", "empty"], "constant"].all()
    with pytest.raises(MethodError, match="empty"):
        normalise.zscore(x[["empty"]], {"empty": 1})


def test_dispatch_and_errors():
    z, _ = normalise.normalise(X, D, "minmax", range=[0, 100])
    assert z["gdp"].max() == 100
    with pytest.raises(ConfigError, match="normalise.method"):
        normalise.normalise(X, D, "logistic")
    with pytest.raises(ConfigError):
        normalise.minmax(X, D, low=1, high=1)
    from greenindex.errors import InputError

    with pytest.raises(InputError, match="direction"):
        normalise.minmax(X, {"gdp": 1}, low=0, high=1)


def test_registry_maps_config_names_and_lists_valid_ones():
    from greenindex.index import registry

    assert registry.get("normalise", "minmax") is normalise.minmax
    assert registry.get("weights", "entropy").__name__ == "entropy"
    assert set(registry.names("aggregate")) == {"arithmetic", "geometric", "harmonic", "topsis"}
    with pytest.raises(ConfigError, match="minmax") as e:
        registry.get("normalise", "min_max")
    assert "normalise.method" in str(e.value)
    with pytest.raises(ConfigError, match="stage"):
        registry.get("plot", "x")
