"""Each indicator's effective weight against its importance in the index.

The importance is the squared correlation ratio :math:`\\eta^2_j = V(E[y \\mid x_j]) / V(y)`
of the index ``y`` on indicator ``x_j`` (first-order sensitivity; Paruolo, Saisana & Saltelli
2013; estimated by :func:`~greenindex.analysis.audit.statistics.correlation_ratio`). A weight
says what the builder intended; the importance says how much of the index's variation the
indicator actually explains. Correlated indicators share importance, so the shares
:math:`\\eta^2_j / \\sum_k \\eta^2_k` are compared with the shares of the effective weight, and
an indicator whose share of either exceeds ``dominance`` is flagged, as is one correlating
negatively with the index.

References
----------
Paruolo P., Saisana M., Saltelli A. (2013), Ratings and rankings: voodoo or science?,
J. R. Stat. Soc. A 176(3):609-634.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenindex.analysis.audit.statistics import correlation_ratio, pearson
from greenindex.index.framework import Framework

IMPORTANCE_COLUMNS = [
    "indicator",
    "parent",
    "nominal_weight",
    "effective_weight",
    "weight_share",
    "r_index",
    "r2",
    "importance",
    "importance_share",
    "weight_flag",
    "importance_flag",
    "negative_flag",
]


def effective_table(framework: Framework, effective: pd.DataFrame) -> pd.DataFrame:
    """``within_parent_share`` and ``effective_weight`` indexed by node in the framework's
    order, from an effective-weights table (per-year weights: their mean over the years)."""
    eff = effective
    if "year" in eff.columns:
        eff = eff.groupby("node", sort=False)[["within_parent_share", "effective_weight"]].mean()
        return eff.reindex(framework.nodes)
    return eff.set_index("node")[["within_parent_share", "effective_weight"]].reindex(
        framework.nodes
    )


def _share(values: pd.Series) -> pd.Series | float:
    """``values`` as shares of their sum (NaN if the sum is not positive)."""
    total = float(values.sum())
    return values / total if total > 0 else np.nan


def importance_table(
    data: pd.DataFrame,
    framework: Framework,
    eff: pd.DataFrame,
    *,
    bins: int,
    dominance: float,
) -> pd.DataFrame:
    """Per indicator in ``data``: the weights, the correlation with the index, the importance,
    their shares of the totals and the flags, in the columns :data:`IMPORTANCE_COLUMNS`.

    Parameters
    ----------
    data
        A column per node (the audited rows).
    eff
        :func:`effective_table`.
    bins
        Bins of the correlation ratio.
    dominance
        A share of the total effective weight or importance above this raises a flag.
    """
    root = framework.root
    y = data[root] if root in data.columns else None
    rows = []
    for i in framework.indicators:
        if i not in data.columns:
            continue
        r = pearson(data[i], y) if y is not None else float("nan")
        rows.append(
            {
                "indicator": i,
                "parent": framework.parent[i],
                "nominal_weight": float(eff.loc[i, "within_parent_share"]),
                "effective_weight": float(eff.loc[i, "effective_weight"]),
                "r_index": r,
                "r2": r * r,
                "importance": correlation_ratio(data[i], y, bins)
                if y is not None
                else float("nan"),
            }
        )
    imp = pd.DataFrame(rows)
    imp["importance_share"] = _share(imp["importance"])
    imp["weight_share"] = _share(imp["effective_weight"])
    imp["weight_flag"] = imp["weight_share"] > dominance
    imp["importance_flag"] = imp["importance_share"] > dominance
    imp["negative_flag"] = imp["r_index"] < 0
    return imp[IMPORTANCE_COLUMNS]
