"""Weights in the index tree: global weights placed in the tree, within-parent shares, the
``weights.user`` multipliers, and the effective-weights table."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, MethodError
from greenindex.index.framework import Framework


def tree_weights_from_global(framework: Framework, w: pd.Series) -> pd.Series:
    """Place a weight vector over all indicators in the tree (``global`` level).

    Each aggregate gets the sum of the weights of the indicators under it; the result is
    returned as within-parent shares, so that the effective weight of indicator ``j`` is
    ``w_j / sum(w)``.
    """
    raw: dict[str, float] = {i: float(w[i]) for i in framework.indicators}
    for i in framework.indicators:
        n = framework.parent[i]
        while n != framework.root:
            raw[n] = raw.get(n, 0.0) + float(w[i])
            n = framework.parent[n]
    return within_parent_shares(framework, raw)


def within_parent_shares(framework: Framework, raw: Mapping[str, float]) -> pd.Series:
    """Raw weights -> shares within each parent (sum 1 per parent)."""
    nodes = [n for n in framework.nodes if n != framework.root]
    s = pd.Series({n: float(raw.get(n, framework.weight.get(n, 1.0))) for n in nodes})
    par = pd.Series({n: framework.parent[n] for n in nodes})
    tot = s.groupby(par).transform("sum")
    if (tot <= 0).any():
        bad = sorted(set(par[tot <= 0]))
        raise MethodError(
            f"the weights of the children of {bad[:10]} sum to zero or less; they cannot be shares."
        )
    return (s / tot).rename("weight")


def check_user_multipliers(framework: Framework, user: Mapping[str, float] | None) -> None:
    """Check ``weights.user``: known non-root nodes, multipliers ``>= 0``.

    Raises
    ------
    ConfigError
        Naming ``weights.user``, the unknown node and the closest node ids of the framework,
        or the negative multiplier.
    """
    import difflib

    nodes = [n for n in framework.nodes if n != framework.root]
    for node, m in (user or {}).items():
        if node not in framework.parent:
            close = difflib.get_close_matches(str(node), nodes, n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
            raise ConfigError(
                "weights.user",
                f"unknown node '{node}': weights.user multiplies the weight of a node of the "
                "framework",
                f"{hint}Use one of the indicator or dimension ids {nodes[:20]} (not the root "
                f"'{framework.root}').",
            )
        if not np.isfinite(float(m)) or float(m) < 0:
            raise ConfigError(
                f"weights.user.{node}",
                f"multiplier {m} is not a number >= 0",
                "give a multiplier >= 0 (1 keeps the method's weight, 2 doubles it relative to "
                "each sibling, 0 removes the node).",
            )
    zero = {n for n, m in (user or {}).items() if float(m) == 0}
    for p in sorted({framework.parent[n] for n in zero}):
        kids = [n for n in framework.parent if framework.parent[n] == p]
        if all(k in zero for k in kids):
            raise ConfigError(
                "weights.user",
                f"the multipliers of all children of '{p}' ({kids[:10]}) are zero: their "
                "weights cannot be renormalised",
                "leave at least one child of each node with a multiplier > 0.",
            )


def apply_user_multipliers(
    framework: Framework, weights: pd.Series, user: Mapping[str, float] | None
) -> pd.Series:
    """Multiply within-parent weights by ``weights.user`` and renormalise among siblings.

    With :math:`w_n` the method's share of node ``n`` within its parent and :math:`m_n` the
    user multiplier (1 for nodes not named),

    .. math:: w'_n = \\frac{m_n w_n}{\\sum_{s \\in \\mathrm{siblings}(n)} m_s w_s}

    where the siblings of ``n`` include ``n``. So ``{node: 2}`` doubles the node's weight
    relative to each sibling (:math:`w'_n / w'_s = 2 w_n / w_s`), ``{node: 0}`` removes it and
    the remaining siblings share its weight in proportion. Under ``level: global`` a
    dimension's within-root weight is the sum of its indicators' weights, and the multiplier
    applies to that sum. The effective weight of an indicator is the product of the shares
    down the tree.

    Raises
    ------
    ConfigError
        Unknown node or negative multiplier (:func:`check_user_multipliers`), or all
        multipliers of a sibling group zero (nothing left to weight).
    """
    check_user_multipliers(framework, user)
    if not user:
        return weights
    m = pd.Series(1.0, index=weights.index)
    for node, v in user.items():
        m[node] = float(v)
    scaled = weights * m
    par = pd.Series({n: framework.parent[n] for n in weights.index})
    tot = scaled.groupby(par).transform("sum")
    dead = sorted(set(par[(tot <= 0) & (weights.groupby(par).transform("sum") > 0)]))
    if dead:
        kids = [n for n in weights.index if framework.parent[n] == dead[0]]
        raise ConfigError(
            "weights.user",
            f"the multipliers of all children of '{dead[0]}' ({kids[:10]}) are zero: their "
            "weights cannot be renormalised",
            "leave at least one child of each node with a multiplier > 0.",
        )
    return (scaled / tot).rename("weight")


def effective_weights(framework: Framework, weights: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """Effective-weights table of a run (``Framework.to_frame`` with these weights).

    For per-year weights one block per year with a ``year`` column.
    """
    if isinstance(weights, pd.DataFrame):
        parts = []
        for y, row in weights.iterrows():
            t = framework.with_weights(row.dropna().to_dict()).to_frame()
            t.insert(0, "year", y)
            parts.append(t)
        return pd.concat(parts, ignore_index=True)
    return framework.with_weights(weights.dropna().to_dict()).to_frame()
