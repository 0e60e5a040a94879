"""Variant labels are derived from the variant's effective settings, never from its name."""

from __future__ import annotations

from greenindex.config import variant_config
from greenindex.index.describe import describe_methods, variant_label


def _cfg(**weights):
    return {
        "normalise": {"method": "minmax", "range": [0, 100], "scope": "pooled"},
        "weights": {"method": "entropy", "level": "global", "scope": "pooled", **weights},
        "aggregate": {"method": "arithmetic"},
        "variants": {"entropy": {}, "topsis": {"aggregate": {"method": "topsis"}}},
    }


def test_label_follows_the_base_config_not_the_variant_name():
    before = variant_label(variant_config(_cfg(), "entropy"))
    assert before == "Entropy (global); min-max [0, 100]; arithmetic mean"
    after = variant_label(variant_config(_cfg(method="critic", level="within_parent"), "entropy"))
    assert after == "CRITIC (within dimensions); min-max [0, 100]; arithmetic mean"
    assert "TOPSIS" in variant_label(variant_config(_cfg(), "topsis"))


def test_label_shows_user_multipliers_combination_and_given_name():
    m = variant_config(
        _cfg(user={"structure": 2}, combine={"with": "critic", "alpha": 0.3}), "entropy"
    )
    text = describe_methods(m)
    assert "structure x2" in text and "+ CRITIC linear 0.3" in text
    assert variant_label(m, "en", "mine").startswith("mine (Entropy (global")
    assert describe_methods(m, "zh").startswith("熵权（全局")


def test_short_labels_drop_only_what_every_variant_shares():
    from greenindex.index.describe import short_labels

    labels = {
        "a": "Entropy (global); min-max [0, 100]; arithmetic mean",
        "b": "CRITIC (global); min-max [0, 100]; arithmetic mean",
        "c": "Entropy (global); min-max [0, 100]; TOPSIS",
    }
    assert short_labels(labels) == {
        "a": "Entropy (global); arithmetic mean",
        "b": "CRITIC (global); arithmetic mean",
        "c": "Entropy (global); TOPSIS",
    }
