"""Config validation: defaults filled, typos and bad values named by their key."""

import copy
from pathlib import Path

import pytest
import yaml

from greenindex.config import load_schema, resolve_ref, validate_config, variant_config
from greenindex.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
SCHEMA = load_schema()
CONFIG = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))


def _check(mutate, key, text):
    cfg = copy.deepcopy(CONFIG)
    mutate(cfg)
    with pytest.raises(ConfigError) as e:
        validate_config(cfg, SCHEMA)
    assert e.value.key == key
    assert text in str(e.value)


def test_shipped_config_is_valid():
    cfg = validate_config(CONFIG, SCHEMA)
    assert cfg["weights"]["method"] == "entropy"


def test_empty_config_gets_every_default():
    cfg = validate_config({}, SCHEMA)
    assert cfg["normalise"]["range"] == [0, 100]
    assert cfg["window"] == {"start": 2016, "end": 2020}
    assert cfg["weights"]["scope"] == "pooled"


def test_every_schema_property_has_description_and_default():
    def walk(node, path):
        node = resolve_ref(SCHEMA, node)
        for k, sub in node.get("properties", {}).items():
            p = f"{path}.{k}" if path else k
            resolved = resolve_ref(SCHEMA, sub)
            assert "default" in resolved, f"{p} has no default"
            if resolved.get("type") != "object":
                assert "description" in resolved, f"{p} has no description"
            walk(resolved, p)

    walk(SCHEMA, "")


def test_typo_in_key():
    _check(
        lambda c: c["weights"].update({"mehtod": "pca"}), "weights.mehtod", "did you mean 'method'"
    )


def test_renamed_key_names_the_new_one():
    # weights.scheme was renamed weights.method; an old config is told so, also inside a variant
    _check(
        lambda c: c["weights"].update({"scheme": "pca"}),
        "weights.scheme",
        "renamed to 'weights.method'",
    )
    _check(
        lambda c: c["variants"].update({"p": {"weights": {"scheme": "pca"}}}),
        "variants.p.weights.scheme",
        "renamed to 'weights.method'",
    )


def test_unknown_method_name():
    _check(
        lambda c: c["weights"].update({"method": "entrophy"}),
        "weights.method",
        "did you mean 'entropy'",
    )


def test_bad_weight():
    _check(
        lambda c: c["weights"]["user"].update({"structure": -2}),
        "weights.user.structure",
        "minimum 0",
    )


def test_bad_weight_type():
    _check(
        lambda c: c["weights"]["user"].update({"structure": "two"}),
        "weights.user.structure",
        "type",
    )


def test_variant_typo_named_with_variant():
    _check(
        lambda c: c["variants"].update({"x": {"aggregate": {"method": "geometrc"}}}),
        "variants.x.aggregate.method",
        "did you mean 'geometric'",
    )


def test_window_outside_panel():
    _check(lambda c: c["window"].update({"end": 2022}), "window", "not inside the panel")


def test_main_variant_must_exist():
    _check(lambda c: c.update({"main_variant": "nope"}), "main_variant", "not a key of 'variants'")


def test_variant_merges_over_base():
    cfg = validate_config(CONFIG, SCHEMA)
    v = variant_config(cfg, "pca", SCHEMA)
    assert v["weights"]["method"] == "pca"
    assert v["weights"]["entropy"] == cfg["weights"]["entropy"]
    assert v["normalise"] == cfg["normalise"]


def test_text_from_snakemake_command_line_is_typed():
    """snakemake --config uncertainty='{chunks: 6}' delivers '6' as text."""
    cfg = copy.deepcopy(CONFIG)
    cfg["uncertainty"] = {"chunks": "6", "enabled": "true", "sobol": {"n_base": "64"}}
    cfg["maps"]["review_number"] = "123"  # a string key stays a string
    out = validate_config(cfg, SCHEMA)
    assert out["uncertainty"]["chunks"] == 6 and out["uncertainty"]["enabled"] is True
    assert out["uncertainty"]["sobol"]["n_base"] == 64 and out["maps"]["review_number"] == "123"
    cfg["uncertainty"] = {"chunks": "six"}
    with pytest.raises(ConfigError, match="uncertainty.chunks"):
        validate_config(cfg, SCHEMA)


def test_config_readme_lists_every_key_as_generated():
    """config/README.md carries the key table generated from the schema, up to date."""
    import subprocess
    import sys

    table = subprocess.run(
        [sys.executable, str(REPO / "scripts/config_reference.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    readme = (REPO / "config/README.md").read_text(encoding="utf-8")
    assert table in readme, (
        "run scripts/config_reference.py and paste its table into config/README.md"
    )
