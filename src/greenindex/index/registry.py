"""Config names -> functions: one table per stage, the only lookup.

Each stage module defines its methods as functions named exactly as in the config and lists
them in its ``METHODS`` table; every method of a stage has the stage's signature (as
mapclassify's name -> classifier table with one ``classify()`` entry). A method's code is
found from its config name in one step: ``normalise: {method: zscore}`` is
:func:`greenindex.index.normalise.zscore`.

=========  ==========================  =========================================  ==============================================
stage      config key                  table                                      shared signature
=========  ==========================  =========================================  ==============================================
impute     ``treat.impute.method``     :data:`greenindex.index.impute.METHODS`    ``f(data, *, groups, edge, edge_max_years)``
outliers   ``treat.outliers.method``   :data:`greenindex.index.outliers.METHODS`  ``f(data, *, skew_threshold, ..., scope)``
normalise  ``normalise.method``        :data:`greenindex.index.normalise.METHODS` ``f(data, direction, **options)``
weights    ``weights.method``          :data:`greenindex.index.weights.METHODS`   ``f(data, **options) -> weights``
aggregate  ``aggregate.method``        :data:`greenindex.index.aggregate.METHODS` ``f(x, w, **options) -> scores``
=========  ==========================  =========================================  ==============================================

The schema's enums are tested against these tables (``tests/unit/test_registry.py``), the
pipeline (:mod:`greenindex.index.pipeline`) and the Monte Carlo call the methods through
:func:`get`, and a misspelt name fails with a :class:`~greenindex.errors.ConfigError` listing
the valid names.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from greenindex.errors import ConfigError
from greenindex.index import aggregate as _aggregate
from greenindex.index import impute as _impute
from greenindex.index import normalise as _normalise
from greenindex.index import outliers as _outliers
from greenindex.index import weights as _weights

#: Stage -> (config key of the method name, name -> function).
STAGES: dict[str, tuple[str, Mapping[str, Callable[..., Any]]]] = {
    "impute": ("treat.impute.method", _impute.METHODS),
    "outliers": ("treat.outliers.method", _outliers.METHODS),
    "normalise": ("normalise.method", _normalise.METHODS),
    "weights": ("weights.method", _weights.METHODS),
    "aggregate": ("aggregate.method", _aggregate.METHODS),
}


def _table(stage: str) -> tuple[str, Mapping[str, Callable[..., Any]]]:
    if stage not in STAGES:
        raise ConfigError("registry", f"unknown stage '{stage}'", f"use one of {sorted(STAGES)}.")
    return STAGES[stage]


def names(stage: str) -> list[str]:
    """The valid config names of a stage, sorted.

    Examples
    --------
    >>> names("normalise")
    ['distance', 'minmax', 'percentile', 'rank', 'signed', 'zscore']
    """
    return sorted(_table(stage)[1])


def get(stage: str, name: str) -> Callable[..., Any]:
    """The function registered as ``name`` for ``stage`` (a function of that name).

    Raises
    ------
    ConfigError
        Unknown stage or name; the message names the config key and lists the valid names.

    Examples
    --------
    >>> get("weights", "critic").__name__
    'critic'
    """
    key, table = _table(stage)
    if name not in table:
        raise ConfigError(key, f"unknown {stage} method '{name}'", f"use one of {sorted(table)}.")
    return table[name]


def options_for(fn: Callable[..., Any], section: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of a config section that ``fn`` takes as keyword arguments.

    A section holds the options of every method of its stage (``mean`` and ``sd`` belong to
    ``zscore``, ``reference_unit`` to ``distance``); each method receives its own.

    Examples
    --------
    >>> from greenindex.index.normalise import zscore
    >>> options_for(zscore, {"method": "zscore", "mean": 10, "sd": 2, "kind": "ratio"})
    {'mean': 10, 'sd': 2}
    """
    params = inspect.signature(fn).parameters
    return {
        k: v
        for k, v in section.items()
        if k in params
        and params[k].kind in (params[k].KEYWORD_ONLY, params[k].POSITIONAL_OR_KEYWORD)
        and k not in ("data", "direction")
    }
