"""Tables shaped for the charts from the workflow's tidy outputs."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["indicator_weights", "national_components", "rank_interval_frame"]


def national_components(
    table: pd.DataFrame, mapping: Mapping[str, str], column: str
) -> pd.DataFrame:
    """The national rows of a tidy disparity table (``region, year, statistic, value``) as
    ``year, component, <column>``, with ``mapping``: statistic -> component name."""
    t = table[(table["region"] == "national") & table["statistic"].isin(list(mapping))]
    out = t.assign(component=t["statistic"].map(mapping)).rename(columns={"value": column})
    return out[["year", "component", column]]


def rank_interval_frame(rank_intervals: pd.DataFrame, year: int) -> pd.DataFrame:
    """``unit, lo, hi, median`` of the Monte Carlo rank intervals in ``year`` (the outermost
    quantile columns ``q*_rank``), for :func:`rank_chart`."""
    ri = rank_intervals[rank_intervals["year"] == year]
    qs = sorted(c for c in ri.columns if c.startswith("q") and c.endswith("_rank"))
    ri = ri.rename(columns={qs[0]: "lo", qs[-1]: "hi", "median_rank": "median"})
    return ri[["unit", "lo", "hi", "median"]]


def indicator_weights(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``indicator, method, weight``: the effective indicator weights of every variant (the
    workflow's ``effective_weights.csv`` per variant), for :func:`weights_by_method`."""
    frames = []
    for variant, w in tables.items():
        w = w[w["type"] == "indicator"]
        frames.append(
            pd.DataFrame(
                {
                    "indicator": w["node"],
                    "method": variant,
                    "weight": w["effective_weight"].astype(float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
