"""Regional summary: region means, medians, growth and ranks of the index.

For region k with provinces i in k and year t:

- mean  :math:`\\bar y_{kt} = n_k^{-1} \\sum_{i \\in k} y_{it}` (unweighted: each province counts once,
  the convention of the provincial index literature), and the median;
- growth over a window [s, e]: absolute :math:`\\bar y_{ke} - \\bar y_{ks}` and relative
  :math:`\\bar y_{ke} / \\bar y_{ks} - 1`;
- ranks: provinces ranked within each year (1 = highest score, ties take the minimum rank, as
  COINr does), regions ranked by their mean.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from greenindex.errors import InputError


def attach_regions(scores: pd.DataFrame, units: pd.DataFrame, scheme: str) -> pd.Series:
    """Region of every (unit, year) row of ``scores`` under the units-table column ``scheme``."""
    if scheme not in units.columns:
        raise InputError(
            f"region scheme '{scheme}' is not a column of the units table (columns: {list(units.columns)})",
            file="units table", column=scheme,
            fix="set 'regions.scheme' to one of the grouping columns, or add the column to the units table.",
        )
    reg = units.set_index("unit")[scheme].astype(str)
    empty = reg[(reg == "") | (reg.str.lower() == "nan")]
    if len(empty):
        raise InputError(f"units {list(empty.index)} have no region under '{scheme}'", file="units table", column=scheme,
                         fix="give every unit a region (or drop it with 'units.drop').")
    units_in = scores.index.get_level_values("unit")
    return pd.Series(reg.reindex(units_in).to_numpy(), index=scores.index, name="region")


def region_means(scores: pd.DataFrame, regions: pd.Series, columns: Sequence[str] | None = None,
                 order: Sequence[str] | None = None) -> pd.DataFrame:
    """Tidy table ``year, region, node, mean, median, min, max, n`` plus a ``national`` row per year."""
    cols = list(columns) if columns is not None else list(scores.columns)
    df = scores[cols].copy()
    df["region"] = regions.to_numpy()
    df = df.reset_index()
    long = df.melt(id_vars=["unit", "year", "region"], value_vars=cols, var_name="node", value_name="value")
    g = long.groupby(["year", "region", "node"])["value"]
    out = g.agg(["mean", "median", "min", "max", "count"]).rename(columns={"count": "n"}).reset_index()
    nat = long.groupby(["year", "node"])["value"].agg(["mean", "median", "min", "max", "count"]).rename(columns={"count": "n"}).reset_index()
    nat["region"] = "national"
    out = pd.concat([out, nat[out.columns]], ignore_index=True)
    reg_order = list(order or sorted(set(regions))) + ["national"]
    reg_order += sorted(set(out["region"]) - set(reg_order))
    out["region"] = pd.Categorical(out["region"], categories=reg_order, ordered=True)
    out = out.sort_values(["node", "year", "region"]).reset_index(drop=True)
    out["region"] = out["region"].astype(str)
    return out[["node", "year", "region", "mean", "median", "min", "max", "n"]]


def region_growth(means: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Absolute and relative change of each region's mean between ``start`` and ``end``."""
    a = means[means["year"] == start].set_index(["node", "region"])["mean"]
    b = means[means["year"] == end].set_index(["node", "region"])["mean"]
    out = pd.DataFrame({"start": a, "end": b})
    out["abs_change"] = out["end"] - out["start"]
    out["rel_change"] = out["end"] / out["start"] - 1.0
    out["start_year"], out["end_year"] = start, end
    return out.reset_index()


def unit_ranks(scores: pd.Series) -> pd.Series:
    """Rank of every unit within each year: 1 = highest, ties take the minimum rank."""
    return scores.groupby(level="year").rank(ascending=False, method="min").astype("Int64").rename("rank")


def region_ranks(means: pd.DataFrame) -> pd.DataFrame:
    """Rank of each region's mean within (node, year), national rows excluded."""
    m = means[means["region"] != "national"].copy()
    m["rank"] = m.groupby(["node", "year"])["mean"].rank(ascending=False, method="min").astype("Int64")
    return m[["node", "year", "region", "mean", "rank"]]
