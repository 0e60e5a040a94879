"""Region means, growth and ranks against hand-computed values."""

import pandas as pd
import pytest

from greenindex.analysis.regional import (
    attach_regions,
    region_growth,
    region_means,
    region_ranks,
    unit_ranks,
)
from greenindex.errors import ConfigError, InputError


@pytest.fixture
def data():
    idx = pd.MultiIndex.from_product([["A", "B", "C"], [2016, 2020]], names=["unit", "year"])
    scores = pd.DataFrame({"index": [10.0, 20, 30, 30, 50, 80]}, index=idx)
    units = pd.DataFrame({"unit": ["A", "B", "C"], "nbs4": ["east", "east", "west"]})
    return scores, units


def test_means_growth_ranks(data):
    scores, units = data
    reg = attach_regions(scores, units, "nbs4")
    m = region_means(scores, reg, order=["east", "west"])
    east16 = m[(m.region == "east") & (m.year == 2016)].iloc[0]
    assert east16["mean"] == 20 and east16["median"] == 20 and east16["n"] == 2
    nat20 = m[(m.region == "national") & (m.year == 2020)].iloc[0]
    assert nat20["mean"] == pytest.approx((20 + 30 + 80) / 3)
    g = region_growth(m, 2016, 2020).set_index("region")
    assert g.loc["east", "abs_change"] == 5 and g.loc["west", "rel_change"] == pytest.approx(
        80 / 50 - 1
    )
    r = unit_ranks(scores["index"])
    assert r.loc[("C", 2020)] == 1 and r.loc[("A", 2016)] == 3
    rr = region_ranks(m)
    assert rr[(rr.year == 2020)].set_index("region")["rank"].to_dict() == {"east": 2, "west": 1}


def test_ties_take_minimum_rank():
    idx = pd.MultiIndex.from_product([["A", "B", "C"], [2020]], names=["unit", "year"])
    r = unit_ranks(pd.Series([5.0, 5.0, 1.0], index=idx))
    assert r.tolist() == [1, 1, 3]


def test_unknown_scheme_and_missing_region(data):
    scores, units = data
    with pytest.raises(ConfigError, match="'belt3' is not a column"):
        attach_regions(scores, units, "belt3")
    units.loc[1, "nbs4"] = ""
    with pytest.raises(InputError, match=r"no region under 'nbs4' for unit\(s\) B"):
        attach_regions(scores, units, "nbs4")
