"""The indicator framework: a tree from indicators through dimensions to the index.

A composite index is built over a hierarchy (COINr calls it the "index structure"):
indicators (level 1) belong to dimensions (pillars, level 2), which may belong to
sub-indices, up to one root, the index. The tree can have any depth.

Weights follow the COINr / OECD-JRC convention: each node's weight is *relative within its
parent*; at aggregation time weights are rescaled over the children that are present for a
unit. The *effective weight* of a node in the index is the product of its within-parent
shares down the path from the root:

.. math:: W_j = \\prod_{a \\in path(root \\to j)} w_a / \\sum_{b \\in sib(a)} w_b

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.
Becker W. et al. (2022), COINr: an R package for developing composite indicators, JOSS 7(78).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import pandas as pd

from greenindex.errors import InputError

#: Id used for the root when the framework table does not name one.
DEFAULT_ROOT = "index"


@dataclass(frozen=True)
class Framework:
    """An index hierarchy.

    Attributes
    ----------
    parent
        Parent of every non-root node.
    weight
        Raw weight of every non-root node, relative within its parent (need not sum to 1).
    direction
        +1 (benefit: higher is better) or -1 (cost: lower is better) for each indicator.
    root
        Id of the root node (the index).
    indicators
        Indicator ids in codebook order (level 1).
    names
        Optional display names per node: ``{node: {"en": ..., "zh": ...}}``.
    """

    parent: Mapping[str, str]
    weight: Mapping[str, float]
    direction: Mapping[str, int]
    root: str = DEFAULT_ROOT
    indicators: tuple[str, ...] = ()
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    # -- structure -----------------------------------------------------------------
    # The structure is derived once per instance and cached (the instance is frozen and
    # ``replace`` makes a new one); callers get copies so that they cannot alter the cache.
    def children(self, node: str) -> list[str]:
        """Children of ``node`` in a stable order (indicators in codebook order first)."""
        return list(self._children.get(node, ()))

    @cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for n in self._nodes:
            p = self.parent.get(n)
            if p is not None:
                out.setdefault(p, []).append(n)
        return {k: tuple(v) for k, v in out.items()}

    @property
    def nodes(self) -> list[str]:
        """All nodes, bottom-up: indicators, then aggregates level by level, root last."""
        return list(self._nodes)

    @cached_property
    def _nodes(self) -> tuple[str, ...]:
        return tuple(n for lev in self._levels for n in lev)

    @property
    def levels(self) -> list[list[str]]:
        """Nodes per level. Level 1 = indicators; a node's level is 1 + the highest level of
        its children, so that every node is aggregated after all of its children."""
        return [list(lev) for lev in self._levels]

    @cached_property
    def _levels(self) -> tuple[tuple[str, ...], ...]:
        level: dict[str, int] = dict.fromkeys(self.indicators, 1)
        order: list[str] = list(self.indicators)
        for n in self.parent.values():
            if n not in level and n not in order:
                order.append(n)
        # Aggregates: repeat until stable (depth is small).
        aggregates = [n for n in order if n not in level]
        changed = True
        while changed:
            changed = False
            for a in aggregates:
                kids = [c for c, p in self.parent.items() if p == a]
                if kids and all(k in level for k in kids):
                    lv = 1 + max(level[k] for k in kids)
                    if level.get(a) != lv:
                        level[a] = lv
                        changed = True
        top = max(level.values()) if level else 1
        return tuple(tuple(n for n in order if level.get(n) == lv) for lv in range(1, top + 1))

    @property
    def dimensions(self) -> list[str]:
        """Aggregate nodes (everything that is not an indicator and not the root)."""
        return [n for n in self.nodes if n not in self.indicators and n != self.root]

    def level_of(self, node: str) -> int:
        """Level of ``node`` (1 = indicators); ``KeyError`` for a node not in the tree."""
        return self._level_of[node]

    @cached_property
    def _level_of(self) -> dict[str, int]:
        return {n: i for i, lev in enumerate(self._levels, start=1) for n in lev}

    def indicators_under(self, node: str) -> list[str]:
        """Indicators in the subtree of ``node``."""
        if node in self.indicators:
            return [node]
        out: list[str] = []
        for c in self.children(node):
            out.extend(self.indicators_under(c))
        return out

    # -- weights -------------------------------------------------------------------
    def within_parent_shares(self, weight: Mapping[str, float] | None = None) -> pd.Series:
        """Weight of each non-root node divided by the sum over its siblings."""
        w = pd.Series(dict(weight if weight is not None else self.weight), dtype=float)
        nodes = [n for n in self.nodes if n != self.root]
        w = w.reindex(nodes)
        par = pd.Series({n: self.parent[n] for n in nodes})
        sums = w.groupby(par).transform("sum")
        return (w / sums).rename("share")

    def effective_weights(self, weight: Mapping[str, float] | None = None) -> pd.Series:
        """Effective weight of every node in the root (the root has 1)."""
        share = self.within_parent_shares(weight)
        eff: dict[str, float] = {self.root: 1.0}
        for lev in reversed(self.levels[:-1]):
            for n in lev:
                eff[n] = eff[self.parent[n]] * float(share[n])
        return pd.Series({n: eff[n] for n in self.nodes}, name="effective_weight")

    def with_weights(self, weight: Mapping[str, float]) -> Framework:
        """A copy with some or all node weights replaced."""
        unknown = sorted(set(weight) - set(self.parent))
        if unknown:
            raise KeyError(f"weights given for unknown nodes: {unknown}")
        new = dict(self.weight)
        new.update({k: float(v) for k, v in weight.items()})
        return replace(self, weight=new)

    def subset(self, indicators: Iterable[str]) -> Framework:
        """The framework restricted to ``indicators``; aggregates left empty are removed."""
        keep = [i for i in self.indicators if i in set(indicators)]
        alive: set[str] = set(keep)
        for i in keep:
            n = i
            while n in self.parent:
                n = self.parent[n]
                alive.add(n)
        parent = {k: v for k, v in self.parent.items() if k in alive}
        weight = {k: v for k, v in self.weight.items() if k in alive}
        direction = {k: v for k, v in self.direction.items() if k in alive}
        return replace(
            self, parent=parent, weight=weight, direction=direction, indicators=tuple(keep)
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per node: id, parent, level, weight, within-parent share, effective weight."""
        share = self.within_parent_shares()
        eff = self.effective_weights()
        rows = []
        for n in self.nodes:
            rows.append(
                {
                    "node": n,
                    "parent": self.parent.get(n, ""),
                    "level": self.level_of(n),
                    "type": "indicator"
                    if n in self.indicators
                    else ("index" if n == self.root else "aggregate"),
                    "direction": self.direction.get(n, pd.NA),
                    "weight": self.weight.get(n, 1.0) if n != self.root else 1.0,
                    "within_parent_share": float(share[n]) if n != self.root else 1.0,
                    "effective_weight": float(eff[n]),
                    "name_en": self.names.get(n, {}).get("en", ""),
                    "name_zh": self.names.get(n, {}).get("zh", ""),
                }
            )
        return pd.DataFrame(rows)

    # -- construction --------------------------------------------------------------
    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> Framework:
        """Inverse of :meth:`to_frame` (the workflow's ``results/validate/framework.csv``)."""
        df = df.fillna({"parent": "", "name_en": "", "name_zh": ""})
        root = str(df.loc[df["type"] == "index", "node"].iloc[0])
        parent = {str(r.node): str(r.parent) for r in df.itertuples() if str(r.parent)}
        weight = {str(r.node): float(r.weight) for r in df.itertuples() if str(r.parent)}
        ind = df[df["type"] == "indicator"]
        direction = {str(r.node): int(r.direction) for r in ind.itertuples()}
        names = {
            str(r.node): {k: v for k, v in (("en", str(r.name_en)), ("zh", str(r.name_zh))) if v}
            for r in df.itertuples()
        }
        return cls(
            parent=parent,
            weight=weight,
            direction=direction,
            root=root,
            indicators=tuple(str(i) for i in ind["node"]),
            names=names,
        )

    @classmethod
    def from_tables(
        cls,
        codebook: pd.DataFrame,
        framework: pd.DataFrame | None = None,
        *,
        codebook_file: str = "codebook",
        framework_file: str = "framework",
    ) -> Framework:
        """Build the tree from the indicator codebook and an optional framework table.

        ``codebook`` needs columns ``id``, ``dimension``, ``direction`` and optionally
        ``weight``, ``name_en``, ``name_zh``, and is restricted to the indicators that enter
        the index (role ``indicator``). ``framework`` (optional) has one row per aggregate
        node: ``id``, ``parent`` (empty for the root), optionally ``weight``, ``name_en``,
        ``name_zh``. Dimensions not listed there hang directly under the root.
        """
        root = DEFAULT_ROOT
        parent: dict[str, str] = {}
        weight: dict[str, float] = {}
        names: dict[str, dict[str, str]] = {}
        if framework is not None and len(framework):
            roots = framework.loc[
                framework["parent"].fillna("").astype(str).str.strip() == "", "id"
            ]
            if len(roots) > 1:
                raise InputError(
                    f"more than one root node (rows with an empty parent): {list(roots)}",
                    file=framework_file,
                    column="parent",
                    fix="give every aggregate except the single index a parent.",
                )
            if len(roots) == 1:
                root = str(roots.iloc[0])
            for r in _records(framework, ("id", "parent", "weight", "name_en", "name_zh")):
                nid = str(r["id"])
                p = "" if _blank(r["parent"]) else str(r["parent"]).strip()
                if p:
                    parent[nid] = p
                    weight[nid] = _weight_or_one(r["weight"])
                names[nid] = _names(r)
        direction: dict[str, int] = {}
        for r in _records(
            codebook, ("id", "dimension", "direction", "weight", "name_en", "name_zh")
        ):
            iid = str(r["id"])
            dim = str(r["dimension"]).strip()
            parent[iid] = dim
            weight[iid] = _weight_or_one(r["weight"])
            direction[iid] = int(r["direction"])  # type: ignore[call-overload]
            names[iid] = _names(r)
            if dim not in parent and dim != root:
                parent[dim] = root
                weight.setdefault(dim, 1.0)
        # every parent must lead to the root
        for n in list(parent):
            seen = {n}
            p = parent[n]
            while p != root:
                if p not in parent:
                    raise InputError(
                        f"node '{p}' (parent of '{n}') is neither the root '{root}' nor listed "
                        "with its own parent",
                        file=framework_file,
                        fix=f"add a row for '{p}' with its parent, or correct the parent of '{n}'.",
                    )
                if p in seen:
                    raise InputError(
                        f"the hierarchy has a cycle through '{p}'", file=framework_file
                    )
                seen.add(p)
                p = parent[p]
        return cls(
            parent=parent,
            weight=weight,
            direction=direction,
            root=root,
            indicators=tuple(str(i) for i in codebook["id"]),
            names=names,
        )


def _records(df: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, object]]:
    """Rows of ``df`` as plain dicts over ``columns`` (``None`` for an absent column).

    Column-wise extraction: ``DataFrame.iterrows`` builds a Series per row and dominated the
    construction time of large frameworks.
    """
    cols = [df[c].tolist() if c in df.columns else [None] * len(df) for c in columns]
    return [dict(zip(columns, vals, strict=True)) for vals in zip(*cols, strict=True)]


def _blank(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _weight_or_one(v: object) -> float:
    if _blank(v) or (isinstance(v, str) and not v.strip()):
        return 1.0
    return float(v)  # type: ignore[arg-type]


def _names(r: Mapping[str, object]) -> dict[str, str]:
    out = {}
    for lang in ("en", "zh"):
        v = r.get(f"name_{lang}")
        if not _blank(v):
            out[lang] = str(v)
    return out
