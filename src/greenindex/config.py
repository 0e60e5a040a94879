"""Configuration: validation against the JSON Schema, defaults, method variants.

The schema (``greenindex/schema/config.schema.yaml``, shipped inside the package and loaded by
:func:`load_schema`) documents every key with its description and default; it is the only
place a default lives. The workflow, :func:`greenindex.index.pipeline.build_from_config`,
``scripts/config_reference.py`` and the tests all read this one file. :func:`validate_config` fills in defaults and turns schema violations into a
:class:`~greenindex.errors.ConfigError` naming the dotted key, e.g.
``weights.entropy.variant``, with the allowed values or the closest valid key for a typo.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, validators

from greenindex.errors import ConfigError

METHOD_SECTIONS = ("normalise", "weights", "aggregate")

#: Keys that were renamed: (section, old key) -> new key. A config still using the old key
#: stops with an error naming both, instead of a generic "unknown key".
RENAMED_KEYS = {("weights", "scheme"): "method"}


#: The config schema shipped with the package.
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "config.schema.yaml"


def load_schema(path: str | Path | None = None) -> dict[str, Any]:
    """The config schema (JSON Schema as YAML): the package's own unless ``path`` is given.

    Examples
    --------
    >>> load_schema()["properties"]["weights"]
    {'$ref': '#/$defs/weights'}
    """
    with open(path or SCHEMA_PATH, encoding="utf-8") as f:
        # libyaml's parser when PyYAML has it (about 8x faster, the same result)
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def schema_default(key: str, schema: dict[str, Any] | None = None) -> Any:
    """The schema default of a dotted config key, e.g. ``treat.impute.edge_max_years``.

    Examples
    --------
    >>> schema_default("aggregate.topsis.normalisation")
    'minmax'
    """
    sch = schema if schema is not None else load_schema()
    node: dict[str, Any] = sch
    for part in key.split("."):
        node = resolve_ref(sch, node)
        props = node.get("properties", {})
        if part not in props:
            raise ConfigError(key, "not a key of the config schema")
        node = resolve_ref(sch, props[part])
    if "default" not in node:
        raise ConfigError(key, "has no default in the config schema")
    return copy.deepcopy(node["default"])


def resolve_ref(schema: dict, node: dict) -> dict:
    """``node`` with a local ``$ref`` (``#/$defs/...``) replaced by its target, siblings kept."""
    ref = node.get("$ref")
    if ref and ref.startswith("#/"):
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target[part]
        merged = dict(target)
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged
    return node


def fill_defaults(schema: dict, node: dict, value: Any) -> Any:
    """Recursively fill ``default`` values of object properties (a copy)."""
    node = resolve_ref(schema, node)
    types = node.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types)
    if not isinstance(value, dict) or not is_object:
        return value
    out = dict(value)
    for key, sub in node.get("properties", {}).items():
        sub_r = resolve_ref(schema, sub)
        if key not in out and "default" in sub_r:
            out[key] = copy.deepcopy(sub_r["default"])
        if key in out:
            out[key] = fill_defaults(schema, sub_r, out[key])
    return out


def coerce_text(schema: dict, node: dict, value: Any) -> Any:
    """Turn text into the type the schema asks for, recursively (a copy).

    Snakemake reads nested ``--config key='{a: 1}'`` values with YAML's base loader, so every
    scalar arrives as a string; ``'1'`` for an integer key would otherwise be rejected.
    Only unambiguous conversions are made; anything else is left for validation to report.
    """
    node = resolve_ref(schema, node)
    if isinstance(value, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        out = {}
        for k, v in value.items():
            sub = props.get(k, extra if isinstance(extra, dict) else {})
            out[k] = coerce_text(schema, sub, v)
        return out
    if isinstance(value, list):
        items = node.get("items", {})
        return [coerce_text(schema, items if isinstance(items, dict) else {}, v) for v in value]
    if not isinstance(value, str):
        return value
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    for alt in node.get("oneOf", []):
        t = alt.get("type")
        if t:
            types.append(t)
    if "string" in types:
        return value
    text = value.strip()
    if "null" in types and text.lower() in ("null", "none", "~", ""):
        return None
    if "boolean" in types and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if "integer" in types:
        try:
            return int(text)
        except ValueError:
            pass
    if "number" in types:
        try:
            return float(text)
        except ValueError:
            pass
    return value


def _path(err: Any) -> str:
    return ".".join(str(p) for p in err.absolute_path)


def _known_keys(schema: dict, err: Any) -> list[str]:
    node = resolve_ref(schema, err.schema) if isinstance(err.schema, dict) else {}
    return list(node.get("properties", {}))


def validate_config(config: Mapping[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Validate ``config`` against ``schema``; return a copy with defaults filled in.

    Raises
    ------
    ConfigError
        For the first violation, naming the dotted key and what is allowed.
    """
    check_renamed_keys(config)
    cfg = fill_defaults(schema, schema, coerce_text(schema, schema, dict(config)))
    validator_cls = validators.validator_for(schema, default=Draft202012Validator)
    validator = validator_cls(schema)
    errors = sorted(
        validator.iter_errors(cfg), key=lambda e: (len(list(e.absolute_path)), _path(e))
    )
    if errors:
        raise _to_config_error(schema, errors[0])
    _check_semantics(cfg)
    for name in cfg.get("variants", {}):
        variant_config(cfg, name, schema)  # validates the merged sections
    return cfg


def check_renamed_keys(config: Mapping[str, Any]) -> None:
    """Stop on a key that was renamed (:data:`RENAMED_KEYS`), in the base sections and in
    every variant, naming the new key.

    Examples
    --------
    >>> check_renamed_keys({"weights": {"scheme": "pca"}})
    Traceback (most recent call last):
    ...
    greenindex.errors.ConfigError: Config error at key 'weights.scheme': renamed to 'weights.method'
      What to do: write 'weights: {method: pca}' instead.
    """
    places: list[tuple[str, Any]] = [("", config)]
    variants = config.get("variants")
    if isinstance(variants, Mapping):
        places += [(f"variants.{name}.", v) for name, v in variants.items()]
    for prefix, node in places:
        if not isinstance(node, Mapping):
            continue
        for (section, old), new in RENAMED_KEYS.items():
            sec = node.get(section)
            if isinstance(sec, Mapping) and old in sec:
                raise ConfigError(
                    f"{prefix}{section}.{old}",
                    f"renamed to '{section}.{new}'",
                    f"write '{section}: {{{new}: {sec[old]}}}' instead.",
                )


def _to_config_error(schema: dict, err: Any, prefix: str = "") -> ConfigError:
    key = prefix + _path(err)
    if err.validator in ("oneOf", "anyOf") and err.context:
        # a value that fits none of the alternatives: report the alternative of its own type
        subs = [e for e in err.context if e.validator != "type"] or list(err.context)
        sub = subs[0]
        sub_key = ".".join([key] + [str(p) for p in sub.relative_path]) if key else _path(sub)
        inner = _to_config_error(schema, sub)
        return ConfigError(sub_key, inner.problem, inner.fix)
    if err.validator == "additionalProperties":
        extra = (
            [k for k in err.instance if k not in err.schema.get("properties", {})]
            if isinstance(err.instance, dict)
            else []
        )
        known = _known_keys(schema, err)
        bad = extra[0] if extra else "?"
        close = difflib.get_close_matches(bad, known, n=1)
        full = f"{key}.{bad}" if key else bad
        return ConfigError(
            full,
            "unknown key" + (f"; did you mean '{close[0]}'?" if close else ""),
            f"valid keys here: {sorted(known)}. See config/README.md.",
        )
    if err.validator == "enum":
        close = difflib.get_close_matches(
            str(err.instance), [str(v) for v in err.validator_value], n=1
        )
        return ConfigError(
            key or "(top level)",
            f"'{err.instance}' is not a valid choice"
            + (f"; did you mean '{close[0]}'?" if close else ""),
            f"use one of {list(err.validator_value)}.",
        )
    if err.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return ConfigError(
            key,
            f"value {err.instance} violates {err.validator} {err.validator_value}",
            "see config/README.md for the allowed range.",
        )
    if err.validator == "type":
        return ConfigError(key, f"value {err.instance!r} should be of type {err.validator_value}")
    return ConfigError(key or "(top level)", err.message)


def _check_semantics(cfg: Mapping[str, Any]) -> None:
    p, w = cfg["panel"], cfg["window"]
    if p["start"] > p["end"]:
        raise ConfigError("panel.start", f"panel.start {p['start']} is after panel.end {p['end']}")
    if w["start"] > w["end"]:
        raise ConfigError(
            "window.start", f"window.start {w['start']} is after window.end {w['end']}"
        )
    if w["start"] < p["start"] or w["end"] > p["end"]:
        raise ConfigError(
            "window",
            f"the window {w['start']}-{w['end']} is not inside the panel {p['start']}-{p['end']}",
            "widen the panel or narrow the window.",
        )
    if cfg["main_variant"] not in cfg["variants"]:
        raise ConfigError(
            "main_variant",
            f"'{cfg['main_variant']}' is not a key of 'variants'",
            f"use one of {sorted(cfg['variants'])} or add it under 'variants'.",
        )
    lo, hi = cfg["normalise"]["range"]
    if lo >= hi:
        raise ConfigError(
            "normalise.range",
            f"the range [{lo}, {hi}] is empty",
            "give [low, high] with low < high.",
        )


def _check_signed(sections: Mapping[str, Any], name: str) -> None:
    """``normalise.method: signed`` keeps the units of the data: only TOPSIS, normalising each
    indicator itself (``vector`` or ``minmax``), may aggregate such values."""
    if sections["normalise"].get("method") != "signed":
        return
    agg = sections["aggregate"]
    m = agg.get("method", "arithmetic")
    methods = set(m.values()) if isinstance(m, Mapping) else {m}
    inner = (agg.get("topsis") or {}).get("normalisation", "minmax")
    if methods != {"topsis"} or inner == "none":
        raise ConfigError(
            f"variants.{name}.normalise.method",
            "'signed' passes the direction-signed values in their own units to aggregation, which "
            f"only TOPSIS with its own normalisation can combine (aggregate.method is {m!r}, "
            f"aggregate.topsis.normalisation is {inner!r})",
            "set aggregate.method: topsis and aggregate.topsis.normalisation: vector (Hwang and "
            "Yoon's TOPSIS) or minmax, or choose another normalise.method.",
        )


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated recursively with ``override`` (copies; mappings merged key by key)."""
    out = copy.deepcopy(dict(base))
    for k, v in override.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def variant_config(
    cfg: Mapping[str, Any], name: str, schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The method sections (normalise, weights, aggregate) of variant ``name``.

    The variant's overrides are merged into the base sections and, when ``schema`` is given,
    validated so that a typo inside a variant is reported as ``variants.<name>.<key>``.
    """
    if name not in cfg.get("variants", {}):
        raise ConfigError(
            "variants",
            f"no variant named '{name}'",
            f"use one of {sorted(cfg.get('variants', {}))}.",
        )
    over = cfg["variants"][name] or {}
    merged = {s: deep_merge(cfg[s], over.get(s, {})) for s in METHOD_SECTIONS}
    _check_signed(merged, name)
    if schema is not None:
        props = schema["properties"]
        for s in METHOD_SECTIONS:
            sub = {"$defs": schema.get("$defs", {}), **resolve_ref(schema, props[s])}
            v = validators.validator_for(schema, default=Draft202012Validator)(sub)
            errs = sorted(v.iter_errors(merged[s]), key=lambda e: len(list(e.absolute_path)))
            if errs:
                raise _to_config_error(sub, errs[0], prefix=f"variants.{name}.{s}.")
    return merged
