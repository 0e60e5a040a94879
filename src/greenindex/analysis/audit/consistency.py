"""Correlations and internal consistency of the index tree (steps 4 and 7 of the JRC/COINr
practice): every node with its parent and with the index, the nodes of each aggregate level
with each other, and Cronbach's alpha and the first principal component's share among the
children of every aggregate (:mod:`greenindex.analysis.audit.statistics`)."""

from __future__ import annotations

import pandas as pd

from greenindex.analysis.audit.statistics import cronbach_alpha, pc1_share, pearson
from greenindex.index.framework import Framework

CORRELATION_COLUMNS = ["kind", "node", "other", "level", "r", "n"]
CONSISTENCY_COLUMNS = ["node", "level", "n_children", "cronbach_alpha", "pc1_share", "pc1_rows"]


def _correlation_pairs(data: pd.DataFrame, framework: Framework) -> list[tuple[str, str, str]]:
    """``(kind, node, other)`` of every correlation reported: each node with its parent
    (``parent``), each node with the root (``index``), and the ordered pairs of distinct nodes
    of each aggregate level below the root (``level``; indicator pairs are many and are read
    through the parent and index correlations)."""
    root = framework.root
    nodes = [n for n in framework.nodes if n in data.columns]
    pairs = [
        ("parent", n, framework.parent[n])
        for n in nodes
        if n != root and framework.parent[n] in data.columns
    ]
    pairs += [("index", n, root) for n in nodes if n != root and root in data.columns]
    for lev in framework.levels[1:-1]:
        present = [n for n in lev if n in data.columns]
        pairs += [("level", a, b) for a in present for b in present if a != b]
    return pairs


def correlation_table(data: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Long table ``kind, node, other, level, r, n`` of the Pearson correlations
    (:func:`_correlation_pairs`) over the pairwise complete rows of ``data`` (a column per
    node), ``n`` the number of those rows."""
    rows = [
        {
            "kind": kind,
            "node": a,
            "other": b,
            "level": framework.level_of(a),
            "r": pearson(data[a], data[b]),
            "n": len(data[[a, b]].dropna()),
        }
        for kind, a, b in _correlation_pairs(data, framework)
    ]
    return pd.DataFrame(rows, columns=CORRELATION_COLUMNS)


def consistency_table(data: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Per aggregate with children in ``data``: ``node, level, n_children, cronbach_alpha,
    pc1_share, pc1_rows`` (the PCA on the indicators of level-2 aggregates only, as COINr's
    ``get_PCA``; NaN and 0 rows elsewhere)."""
    rows = []
    for agg in [n for n in framework.nodes if n not in framework.indicators]:
        kids = [c for c in framework.children(agg) if c in data.columns]
        if not kids:
            continue
        level = framework.level_of(agg)
        share, n_rows = pc1_share(data[kids]) if level == 2 else (float("nan"), 0)
        rows.append(
            {
                "node": agg,
                "level": level,
                "n_children": len(kids),
                "cronbach_alpha": cronbach_alpha(data[kids]),
                "pc1_share": share,
                "pc1_rows": n_rows,
            }
        )
    return pd.DataFrame(rows, columns=CONSISTENCY_COLUMNS)
