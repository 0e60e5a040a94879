"""Summaries of the replications: rank intervals, claim robustness, Sobol indices, tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from greenindex.analysis.claims import CLAIMS
from greenindex.analysis.sensitivity import sobol_indices
from greenindex.analysis.uncertainty.engine import Decoded, UncertaintyModel

if TYPE_CHECKING:
    from greenindex.analysis.uncertainty.runs import RunPlan


def quantile_type7(x: np.ndarray, q: float | Sequence[float], axis: int = 0) -> np.ndarray:
    """Quantile of R's default type 7 (linear interpolation between order statistics,
    :math:`h = (n - 1) q + 1`), ignoring NaN."""
    return np.nanquantile(x, q, axis=axis, method="linear")


def rank_statistics(
    ranks: np.ndarray, nominal: np.ndarray, quantiles: tuple[float, float] = (0.05, 0.95)
) -> pd.DataFrame:
    """Nominal, mean and median rank and the rank interval of each row over replications.

    ``ranks`` is ``(R, n_rows)``; quantiles are of type 7 (COINr uses R's ``quantile``)."""
    with np.errstate(all="ignore"):
        lo, hi = quantile_type7(ranks, list(quantiles), axis=0)
        return pd.DataFrame(
            {
                "nominal_rank": nominal,
                "mean_rank": np.nanmean(ranks, axis=0),
                "median_rank": np.nanmedian(ranks, axis=0),
                f"q{round(100 * quantiles[0]):02d}_rank": lo,
                f"q{round(100 * quantiles[1]):02d}_rank": hi,
            }
        )


# -- summaries ---------------------------------------------------------------------------------
@dataclass
class UncertaintyResult:
    """Summaries of an analysis (the tables the workflow writes)."""

    rank_intervals: pd.DataFrame
    claim_robustness: pd.DataFrame
    sobol: pd.DataFrame
    replications: pd.DataFrame = field(default_factory=pd.DataFrame)


def summarise(
    model: UncertaintyModel,
    plan: RunPlan,
    merged: Mapping[str, np.ndarray],
    *,
    quantiles: tuple[float, float] = (0.05, 0.95),
    bootstrap: int = 500,
    confidence: float = 0.95,
) -> UncertaintyResult:
    """Rank intervals, claim robustness and Sobol indices from the merged chunks."""
    idx = model.panel.index
    ranks = merged["mc_ranks"].astype(float)
    if plan.n > 0:
        stats = rank_statistics(ranks, model.nominal_ranks, quantiles)
    else:
        stats = rank_statistics(model.nominal_ranks[None, :], model.nominal_ranks, quantiles)
    intervals = pd.concat(
        [
            pd.DataFrame(
                {
                    "unit": idx.get_level_values("unit").astype(str),
                    "year": idx.get_level_values("year").astype(int),
                    "nominal_score": model.nominal_scores,
                }
            ),
            stats,
        ],
        axis=1,
    )
    intervals.insert(
        len(intervals.columns),
        "n_replications",
        int(np.sum(~np.isnan(ranks), axis=0).min()) if plan.n else 0,
    )
    claims = _claim_robustness(model, plan, merged)
    sob = _sobol(model, plan, merged, bootstrap=bootstrap, confidence=confidence)
    dec = Decoded(
        codes=merged["codes"][: plan.n],
        multiplier=np.ones((plan.n, len(model.nonroot))),
        dropped=merged["dropped"][: plan.n],
    )
    reps = model.labels(dec)
    reps.insert(0, "replication", np.arange(plan.n))
    reps["mean_abs_rank_shift"] = merged["shift"][: plan.n]
    return UncertaintyResult(
        rank_intervals=intervals, claim_robustness=claims, sobol=sob, replications=reps
    )


def _claim_robustness(
    model: UncertaintyModel, plan: RunPlan, merged: Mapping[str, np.ndarray]
) -> pd.DataFrame:
    """Share of the Monte Carlo replications in which each claim holds."""
    columns = ["claim", "nominal_holds", "share_holds", "n_defined", "n_replications"]
    if model.claims_setup is None or plan.n == 0:
        return pd.DataFrame(columns=columns)
    C = merged["mc_claims"]
    rows = []
    for k, name in enumerate(CLAIMS):
        defined = ~np.isnan(C[:, k])
        nom = model.nominal_claims[k] if model.nominal_claims is not None else np.nan
        rows.append(
            {
                "claim": name,
                "nominal_holds": "" if np.isnan(nom) else bool(nom),
                "share_holds": float(np.mean(C[defined, k])) if defined.any() else np.nan,
                "n_defined": int(defined.sum()),
                "n_replications": int(plan.n),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _sobol(
    model: UncertaintyModel,
    plan: RunPlan,
    merged: Mapping[str, np.ndarray],
    *,
    bootstrap: int,
    confidence: float,
) -> pd.DataFrame:
    """Sobol indices of the mean absolute rank shift over the Saltelli rows (if any)."""
    if plan.design is None:
        return pd.DataFrame(
            columns=[
                "factor",
                "S1",
                "S1_low",
                "S1_high",
                "ST",
                "ST_low",
                "ST_high",
                "var_y",
                "n_base",
            ]
        )
    return sobol_indices(
        merged["shift"][plan.n :],
        plan.design,
        names=model.spec.factor_names(),
        bootstrap=bootstrap,
        confidence=confidence,
    )


def write_summaries(
    result: UncertaintyResult, units: pd.DataFrame, out: Mapping[str, str | Path]
) -> None:
    """Write ``rank_intervals``, ``claim_robustness``, ``sobol`` and ``replications`` CSVs
    (keys of ``out``) with unit names added to the rank intervals."""
    from greenindex.data.io import write_csv

    ri = result.rank_intervals
    names = units.set_index("unit")
    for c in ("name_en", "name_zh"):
        if c in names.columns:
            ri.insert(1 + (c == "name_zh"), c, names[c].reindex(ri["unit"]).to_numpy())
    write_csv(ri, out["rank_intervals"])
    write_csv(result.claim_robustness, out["claim_robustness"])
    write_csv(result.sobol, out["sobol"])
    if "replications" in out:
        write_csv(result.replications, out["replications"])
