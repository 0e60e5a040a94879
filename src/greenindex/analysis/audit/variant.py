"""The statistical audit of one variant: :func:`audit` gathers the correlations, the internal
consistency, the importance against the effective weights and the flags of a variant's scores
(the methods are described in :mod:`greenindex.analysis.audit`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from greenindex.analysis.audit.consistency import consistency_table, correlation_table
from greenindex.analysis.audit.importance import effective_table, importance_table
from greenindex.analysis.audit.verdict import flag_table
from greenindex.errors import ConfigError
from greenindex.index.framework import Framework


@dataclass
class AuditResult:
    """Tables of :func:`audit`.

    Attributes
    ----------
    correlations
        Long table ``kind, node, other, level, r, n``; ``kind`` is ``parent`` (node with its
        parent), ``index`` (node with the root) or ``level`` (two nodes of the same level).
    consistency
        Per aggregate: ``node, level, n_children, cronbach_alpha, pc1_share, pc1_rows``
        (PCA on the indicators of level-2 aggregates only, as COINr's ``get_PCA``).
    importance
        Per indicator: ``indicator, parent, nominal_weight`` (within-parent share),
        ``effective_weight``, ``r_index``, ``r2``, ``importance`` (:math:`\\eta^2`),
        ``importance_share``, ``weight_flag``, ``importance_flag``, ``negative_flag``.
    flags
        One row per raised flag: ``flag, node, value, threshold, message_en, message_zh``.
    summary
        Key figures: largest effective weight and importance share and their indicators,
        the effective weight of each dimension, counts of flags, settings.
    """

    correlations: pd.DataFrame
    consistency: pd.DataFrame
    importance: pd.DataFrame
    flags: pd.DataFrame
    summary: dict[str, object] = field(default_factory=dict)

    @property
    def passes(self) -> bool:
        """No indicator dominates and none correlates negatively with the index."""
        return self.flags.empty


def audit(
    scores: pd.DataFrame,
    framework: Framework,
    effective: pd.DataFrame,
    *,
    years: Sequence[int] | None = None,
    bins: int = 10,
    dominance: float = 1 / 3,
) -> AuditResult:
    """Statistical audit of one variant.

    Parameters
    ----------
    scores
        Indexed by ``(unit, year)``; a column per node (normalised indicators, aggregates and
        the root), as ``results/aggregate/<variant>/scores.csv``.
    framework
        The index tree.
    effective
        The effective-weights table of the variant (``results/weights/<variant>/
        effective_weights.csv``: ``node, within_parent_share, effective_weight``).
    years
        Years audited (pooled over units and years); ``None`` = all.
    bins
        Bins of the correlation ratio
        (:func:`~greenindex.analysis.audit.statistics.correlation_ratio`).
    dominance
        Flag an indicator whose share of the total effective weight or of the total
        importance exceeds this (default 1/3).
    """
    if not 0 < dominance <= 1:
        raise ConfigError("audit.dominance", f"{dominance} is not a share in (0, 1]")
    data = scores
    if years is not None:
        yr = data.index.get_level_values("year")
        data = data[yr.isin(list(years))]
    eff = effective_table(framework, effective)
    imp = importance_table(data, framework, eff, bins=bins, dominance=dominance)
    flags = flag_table(imp, framework.names, dominance)
    top_w = imp.loc[imp["weight_share"].idxmax()]
    top_i = imp.loc[imp["importance_share"].idxmax()]
    summary: dict[str, object] = {
        "max_weight_share": float(top_w["weight_share"]),
        "max_weight_indicator": str(top_w["indicator"]),
        "max_importance_share": float(top_i["importance_share"]),
        "max_importance_indicator": str(top_i["indicator"]),
        "dimension_weights": {
            d: float(eff.loc[d, "effective_weight"]) for d in framework.children(framework.root)
        },
        "n_negative": int(imp["negative_flag"].sum()),
        "n_flags": len(flags),
        "passes": bool(flags.empty),
        "dominance": dominance,
        "bins": bins,
        "years": [int(v) for v in years] if years is not None else None,
        "n_observations": len(data),
    }
    return AuditResult(
        correlation_table(data, framework), consistency_table(data, framework), imp, flags, summary
    )


def audit_tables(result: AuditResult) -> Mapping[str, pd.DataFrame]:
    """The tables written to ``results/audit/<variant>/``, by file stem."""
    return {
        "correlations": result.correlations,
        "consistency": result.consistency,
        "importance": result.importance,
        "flags": result.flags,
    }
