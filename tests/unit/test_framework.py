"""The index tree: levels, within-parent shares, effective weights, round trip via the table."""

import pandas as pd
import pytest

from greenindex.errors import InputError
from greenindex.index.framework import Framework


def _fw():
    cb = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "dimension": ["D1", "D1", "D2"],
            "direction": [1, -1, 1],
            "weight": [1, 3, 1],
            "name_en": ["A", "B", "C"],
        }
    )
    fw = pd.DataFrame(
        {
            "id": ["I", "D1", "D2"],
            "parent": ["", "I", "I"],
            "weight": ["", 1, 2],
            "name_en": ["Index", "Dim 1", "Dim 2"],
        }
    )
    return Framework.from_tables(cb, fw)


def test_levels_and_children():
    f = _fw()
    assert f.root == "I" and f.levels == [["a", "b", "c"], ["D1", "D2"], ["I"]]
    assert f.children("D1") == ["a", "b"] and f.indicators_under("I") == ["a", "b", "c"]


def test_effective_weights_by_hand():
    eff = _fw().effective_weights()
    # D1 = 1/3 of the index, D2 = 2/3; within D1: a 1/4, b 3/4
    assert eff["a"] == pytest.approx(1 / 3 * 1 / 4) and eff["b"] == pytest.approx(1 / 3 * 3 / 4)
    assert eff["c"] == pytest.approx(2 / 3) and eff[["a", "b", "c"]].sum() == pytest.approx(1)


def test_frame_round_trip_and_subset():
    f = _fw()
    back = Framework.from_frame(f.to_frame())
    assert back.parent == f.parent and back.weight == f.weight and back.direction == f.direction
    assert back.names["a"]["en"] == "A"
    sub = f.subset(["a", "b"])
    assert sub.levels == [["a", "b"], ["D1"], ["I"]]


def test_parent_missing_is_an_input_error():
    cb = pd.DataFrame({"id": ["a"], "dimension": ["D9"], "direction": [1]})
    fw = pd.DataFrame({"id": ["I", "D9"], "parent": ["", "X"]})
    with pytest.raises(InputError, match="'X'"):
        Framework.from_tables(cb, fw)
