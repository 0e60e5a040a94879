"""Figures of the uncertainty analysis: rank intervals, claim robustness, Sobol indices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from greenindex.glossary import term

# -- figures ----------------------------------------------------------------------------------------
#: Figure texts, from the project's one glossary (greenindex.glossary).
_LABELS = {
    key: {lang: term(gkey, lang) for lang in ("en", "zh")}
    for key, gkey in {
        "rank": "rank_best",
        "nominal": "nominal",
        "median": "mc_median",
        "interval": "mc_interval",
        "share": "share_holds",
        "sobol": "sobol",
        "first": "first",
        "total": "total",
    }.items()
}


def plot_rank_intervals(
    rank_intervals: pd.DataFrame,
    year: int,
    *,
    language: str = "en",
    name_column: str | None = None,
    width: float = 6.0,
) -> Any:
    """Nominal rank, median rank and the rank interval of each unit in ``year``."""
    import matplotlib.pyplot as plt

    d = rank_intervals[rank_intervals["year"] == year].sort_values("nominal_rank")
    lo_col = next(c for c in d.columns if c.startswith("q") and c.endswith("_rank"))
    hi_col = [c for c in d.columns if c.startswith("q") and c.endswith("_rank")][-1]
    col = name_column if name_column and name_column in d.columns else "unit"
    fig, ax = plt.subplots(figsize=(width, max(3.0, 0.16 * len(d) + 1.0)))
    y = np.arange(len(d))
    ax.hlines(y, d[lo_col], d[hi_col], color="0.6", lw=3, label=_LABELS["interval"][language])
    ax.plot(d["median_rank"], y, "|", color="k", ms=10, label=_LABELS["median"][language])
    ax.plot(d["nominal_rank"], y, "o", color="C3", ms=4, label=_LABELS["nominal"][language])
    ax.set_yticks(y, d[col].astype(str))
    ax.invert_yaxis()
    ax.set_xlabel(_LABELS["rank"][language])
    ax.set_title(str(year))
    ax.legend(loc="upper right")  # best units (top rows) sit at the left
    fig.tight_layout()
    return fig


def plot_claim_robustness(
    claims: pd.DataFrame,
    *,
    language: str = "en",
    claim_labels: Mapping[str, str] | None = None,
    width: float = 5.0,
) -> Any:
    """Share of replications in which each claim holds (``claim_labels``: display names)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 0.3 * max(len(claims), 1) + 0.9))
    y = np.arange(len(claims))
    ax.barh(y, claims["share_holds"].astype(float), color="C0")
    names = dict(claim_labels or {})
    ax.set_yticks(y, [names.get(c, c) for c in claims["claim"].astype(str)])
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel(_LABELS["share"][language])
    fig.tight_layout()
    return fig


def plot_sobol(
    sobol: pd.DataFrame,
    *,
    language: str = "en",
    factor_labels: Mapping[str, str] | None = None,
    width: float = 6.0,
) -> Any:
    """First-order and total Sobol indices with their bootstrap intervals (``factor_labels``:
    display names of the Monte Carlo choices)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 0.32 * max(len(sobol), 1) + 1.0))
    y = np.arange(len(sobol))
    h = 0.38
    for k, (col, lab) in enumerate((("S1", "first"), ("ST", "total"))):
        v = sobol[col].astype(float).to_numpy()
        lo = sobol[f"{col}_low"].astype(float).to_numpy()
        hi = sobol[f"{col}_high"].astype(float).to_numpy()
        err = (
            None
            if np.isnan(lo).all()
            else np.vstack([np.clip(v - lo, 0, None), np.clip(hi - v, 0, None)])
        )
        ax.barh(
            y + (k - 0.5) * h,
            v,
            height=h,
            xerr=err,
            color=f"C{k}",
            hatch=("", "////")[k],
            edgecolor="white",
            label=_LABELS[lab][language],
            capsize=2,
        )
    fnames = dict(factor_labels or {})
    ax.set_yticks(y, [fnames.get(f, f) for f in sobol["factor"].astype(str)])
    ax.axvline(0, color="0.3", lw=0.8)
    ax.invert_yaxis()
    ax.set_xlabel(_LABELS["sobol"][language])
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
