"""One name -> one table -> one function: the schema's method enums and the registries agree,
and every registered function carries its config name and its stage's signature."""

from __future__ import annotations

import inspect

import pytest

from greenindex.config import load_schema, resolve_ref
from greenindex.errors import ConfigError
from greenindex.index import registry

SCHEMA = load_schema()


def node(path: str) -> dict:
    """Schema node of a dotted config key."""
    n = SCHEMA
    for part in path.split("."):
        n = resolve_ref(SCHEMA, resolve_ref(SCHEMA, n)["properties"][part])
    return n


def enum(path: str) -> set[str]:
    n = node(path)
    if "enum" in n:
        return {v for v in n["enum"] if v is not None}
    values: set[str] = set()
    for alt in n.get("oneOf", []):  # aggregate.method: a name, or level/node -> name
        values |= set(alt.get("enum", []))
        values |= set((alt.get("additionalProperties") or {}).get("enum", []))
    return values


@pytest.mark.parametrize("stage", sorted(registry.STAGES))
def test_schema_enum_equals_registry(stage):
    key, table = registry.STAGES[stage]
    assert enum(key) == set(table), f"{key}: schema enum and registry differ"
    assert enum(key), key


def test_second_weighting_method_is_registered():
    assert enum("weights.combine.with") <= set(registry.names("weights"))


def test_each_name_is_a_function_of_that_name():
    for stage, (_, table) in registry.STAGES.items():
        for name, fn in table.items():
            assert fn.__name__ == name, f"{stage}: '{name}' -> {fn.__module__}.{fn.__name__}"


SHARED = {  # stage -> the parameters every method of the stage has, in this order
    "impute": ["data", "groups", "edge", "edge_max_years"],
    "outliers": ["data", "skew_threshold", "kurt_threshold", "max_points", "log_fallback", "scope"],
    "normalise": ["data", "direction"],
    "weights": ["data"],
    "aggregate": ["x", "w"],
}


@pytest.mark.parametrize("stage", sorted(registry.STAGES))
def test_one_signature_per_stage(stage):
    for name, fn in registry.STAGES[stage][1].items():
        params = list(inspect.signature(fn).parameters)
        assert params[: len(SHARED[stage])] == SHARED[stage], f"{stage}.{name}: {params}"


def test_unknown_name_names_the_key_and_the_choices():
    with pytest.raises(ConfigError, match=r"(?s)aggregate\.method.*arithmetic"):
        registry.get("aggregate", "median")
    with pytest.raises(ConfigError, match="registry"):
        registry.names("classify")


def test_architecture_notes_match_folders_and_registry():
    """docs/ARCHITECTURE.md names every module in its folder's row and every method's function."""
    from pathlib import Path

    import greenindex

    pkg = Path(greenindex.__file__).parent
    text = (pkg.parents[1] / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows = {line.split("|")[2].strip(): line for line in text.splitlines() if line.startswith("| ")}
    for folder in ("data", "index", "analysis", "figures", "report"):
        row = rows[f"`greenindex/{folder}/`"]
        for mod in sorted((pkg / folder).iterdir()):
            if mod.suffix == ".py" and mod.stem != "__init__" or (mod / "__init__.py").exists():
                assert f"`{mod.stem}`" in row or f"`{mod.stem}/`" in row, f"{folder}/{mod.name}"
    for stage, (key, table) in registry.STAGES.items():
        for name, fn in table.items():
            assert f"| `{key}: {name}` | `{fn.__module__}.{fn.__name__}` |" in text, (stage, name)
