"""Defaults live only in the config schema: a function default for a config-driven option
must equal the schema's default (in the spirit of PyPSA-Eur's config-schema test).

Each function is listed with the config section its keyword arguments come from and, where a
parameter's name differs from the config key, the key it stands for. ``None`` may stand for
an empty mapping or list. A parameter without a default is fine (the caller passes the
config value).
"""

from __future__ import annotations

import inspect

import pytest

from greenindex.analysis import claims, convergence, disparity, sensitivity, spatial
from greenindex.analysis import uncertainty as ua
from greenindex.config import load_schema, resolve_ref
from greenindex.data import coverage, plausibility
from greenindex.figures import maps, saving
from greenindex.index import aggregate, impute, normalise, outliers, treat, weights

SCHEMA = load_schema()

TOPSIS = {f"topsis_{k}": f"topsis.{k}" for k in ("normalisation", "ideal", "input")}
#: (function, config section, parameter -> key relative to the section)
FUNCTIONS = [
    *[(fn, "normalise", {}) for fn in normalise.METHODS.values()],
    (normalise.normalise, "normalise", {}),
    (weights.entropy, "weights.entropy", {}),
    (weights.pca_analysis, "weights.pca", {}),
    (weights.compute_weights, "weights", {"combine_how": "combine.how", "alpha": "combine.alpha"}),
    (aggregate.aggregate, "aggregate", TOPSIS),
    (aggregate.aggregate_batch, "aggregate", TOPSIS),
    (aggregate.topsis, "aggregate.topsis", {}),
    *[(fn, "treat.impute", {}) for fn in impute.METHODS.values()],
    (impute.impute, "treat.impute", {}),
    *[(fn, "treat.outliers", {}) for fn in outliers.METHODS.values()],
    (outliers.treat_outliers, "treat.outliers", {}),
    (outliers.winsorise_log_column, "treat.outliers", {}),
    (treat.screen, "treat.screen", {}),
    *[(fn, "disparity", {}) for fn in vars(disparity).values() if inspect.isfunction(fn)],
    *[(fn, "disparity", {}) for fn in vars(convergence).values() if inspect.isfunction(fn)],
    *[
        (fn, "spatial", {"kind": "contiguity"})
        for fn in vars(spatial).values()
        if inspect.isfunction(fn)
    ],
    *[(fn, "claims", {}) for fn in vars(claims).values() if inspect.isfunction(fn)],
    *[(fn, "maps", {}) for fn in vars(maps).values() if inspect.isfunction(fn)],
    (saving.save_figure, "figures", {}),
    (sensitivity.sobol_indices, "uncertainty.sobol", {}),
    (ua.summarise, "uncertainty.sobol", {}),
    (ua.run, "uncertainty.sobol", {}),
    *[(fn, "uncertainty", {}) for fn in vars(ua).values() if inspect.isfunction(fn)],
    *[(fn, "validate", {}) for fn in vars(plausibility).values() if inspect.isfunction(fn)],
    *[(fn, "validate", {}) for fn in vars(coverage).values() if inspect.isfunction(fn)],
]


def schema_node(path: str) -> dict | None:
    n = SCHEMA
    for part in path.split("."):
        props = resolve_ref(SCHEMA, n).get("properties", {})
        if part not in props:
            return None
        n = resolve_ref(SCHEMA, props[part])
    return n


#: Parameters whose ``None`` default is resolved by reading the schema default itself.
FROM_SCHEMA = {(spatial.contiguity_weights, "links")}


def same(default, schema_default) -> bool:
    if default is None and schema_default in ({}, []):
        return True
    if isinstance(default, tuple):
        default = list(default)
    return default == schema_default


def checked_pairs():
    for fn, section, rename in FUNCTIONS:
        for name, p in inspect.signature(fn).parameters.items():
            if p.default is inspect.Parameter.empty:
                continue
            key = f"{section}.{rename.get(name, name)}"
            n = schema_node(key)
            if n is not None and "default" in n:
                yield fn, name, key, p.default, n["default"]


def test_function_defaults_equal_schema_defaults():
    pairs = list(checked_pairs())
    bad = [
        f"{fn.__module__}.{fn.__qualname__}({name}={d!r}) but {key} defaults to {s!r}"
        for fn, name, key, d, s in pairs
        if not same(d, s) and not (d is None and (fn, name) in FROM_SCHEMA)
    ]
    assert not bad, "\n".join(bad)
    keys = {k for *_, k, _, _ in pairs}
    # the options named in issue 13 are among those checked (the test cannot pass vacuously)
    for key in (
        "aggregate.topsis.normalisation",
        "treat.outliers.method",
        "treat.impute.edge_max_years",
        "weights.method",
        "normalise.scope",
        "disparity.ddof",
        "spatial.permutations",
    ):
        assert key in keys, key
    assert len(pairs) > 60


@pytest.mark.parametrize(
    ("fn", "param", "key"),
    [
        (aggregate.aggregate, "method", "aggregate.method"),
        (impute.impute, "method", "treat.impute.method"),
        (outliers.treat_outliers, "method", "treat.outliers.method"),
        (weights.compute_weights, "method", "weights.method"),
        (normalise.normalise, "method", "normalise.method"),
    ],
)
def test_dispatcher_default_method_is_the_schema_default(fn, param, key):
    assert inspect.signature(fn).parameters[param].default == schema_node(key)["default"]
