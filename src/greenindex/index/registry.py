"""Config names -> functions, one dictionary per stage.

The workflow turns a method name from the config into a call through :func:`get`, so that a
misspelt name fails with a :class:`~greenindex.errors.ConfigError` listing the valid names
instead of deep inside a stage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from greenindex.errors import ConfigError
from greenindex.index import aggregate as _aggregate
from greenindex.index import normalise as _normalise
from greenindex.index import treat as _treat
from greenindex.index import weights as _weights

NORMALISERS: dict[str, Callable[..., Any]] = dict(_normalise.METHODS)

#: Weighting schemes over a set of indicator columns; ``framework`` and ``user`` are handled
#: by :func:`greenindex.index.weights.compute_weights` itself and listed here with it.
WEIGHTS: dict[str, Callable[..., Any]] = {
    **_weights.SCHEMES,
    "framework": _weights.compute_weights,
    "user": _weights.compute_weights,
}

#: Aggregation methods; all are computed by :func:`greenindex.index.aggregate.aggregate` with
#: ``method=<name>``.
AGGREGATORS: dict[str, Callable[..., Any]] = {m: _aggregate.aggregate for m in _aggregate.METHODS}

IMPUTERS: dict[str, Callable[..., Any]] = {m: _treat.impute for m in _treat.IMPUTE_METHODS}

OUTLIER_TREATMENTS: dict[str, Callable[..., Any]] = {
    m: _treat.treat_outliers for m in _treat.OUTLIER_METHODS
}

_KINDS: dict[str, dict[str, Callable[..., Any]]] = {
    "normalise": NORMALISERS,
    "weights": WEIGHTS,
    "aggregate": AGGREGATORS,
    "impute": IMPUTERS,
    "outliers": OUTLIER_TREATMENTS,
}

#: Config key under which each kind's method name lives (for error messages).
_KEYS = {
    "normalise": "normalise.method",
    "weights": "weights.method",
    "aggregate": "aggregate.method",
    "impute": "treat.impute.method",
    "outliers": "treat.outliers.method",
}


def names(kind: str) -> list[str]:
    """The valid config names of a stage."""
    if kind not in _KINDS:
        raise ConfigError("registry", f"unknown stage '{kind}'", f"use one of {sorted(_KINDS)}.")
    return sorted(_KINDS[kind])


def get(kind: str, name: str) -> Callable[..., Any]:
    """The function registered as ``name`` for stage ``kind``.

    Raises
    ------
    ConfigError
        Unknown stage or name; the message lists the valid names.

    Examples
    --------
    >>> get("normalise", "minmax").__name__
    'minmax'
    """
    table = _KINDS.get(kind)
    if table is None:
        raise ConfigError("registry", f"unknown stage '{kind}'", f"use one of {sorted(_KINDS)}.")
    if name not in table:
        raise ConfigError(
            _KEYS[kind], f"unknown {kind} method '{name}'", f"use one of {sorted(table)}."
        )
    return table[name]
