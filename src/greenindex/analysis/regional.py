"""Regions: which unit is in which region, panels by region, and the regional summary.

The one place for regions (every stage that groups units by region uses it):

- :func:`region_of`: unit -> region under a units-table column (``regions.scheme``); a unit
  without a region is an error naming it (never silently dropped or put in an empty group);
- :data:`ROLES` / :func:`role_labels`: the four roles of the seed articles' regional finding
  (east, central, west, northeast) and their labels in a region scheme;
- :data:`NATIONAL`: the label of whole-sample rows; :func:`as_wide` and :func:`align_regions`:
  a panel of scores as units x years and the region of each of its units;
- the summary: region means (with a ``national`` row), medians, growth and ranks.

Summary statistics
------------------

For region k with provinces i in k and year t:

- mean  :math:`\\bar y_{kt} = n_k^{-1} \\sum_{i \\in k} y_{it}` (unweighted: each province counts once,
  the convention of the provincial index literature), and the median;
- growth over a window [s, e]: absolute :math:`\\bar y_{ke} - \\bar y_{ks}` and relative
  :math:`\\bar y_{ke} / \\bar y_{ks} - 1`;
- ranks: provinces ranked within each year (1 = highest score, ties take the minimum rank, as
  COINr does), regions ranked by their mean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, InputError

#: Region label of statistics over the whole sample.
NATIONAL = "national"
#: The roles of the regional finding, in the order the claims name them.
ROLES = ("east", "central", "west", "northeast")


def role_labels(labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """Role -> region label in the scheme (``claims.region_labels``; default the role names).

    Examples
    --------
    >>> role_labels({"northeast": "dongbei"})
    {'east': 'east', 'central': 'central', 'west': 'west', 'northeast': 'dongbei'}
    """
    out = {r: r for r in ROLES}
    out.update({str(k): str(v) for k, v in (labels or {}).items()})
    return out


def region_of(
    units: pd.DataFrame, scheme: str, among: Sequence[str] | pd.Index | None = None
) -> pd.Series:
    """Region of each unit under the units-table column ``scheme`` (config ``regions.scheme``).

    Parameters
    ----------
    units
        The units table: ``unit`` plus one column per region scheme (``nbs4``, ``belt3``, ...).
    scheme
        The grouping column.
    among
        The units wanted, in this order (e.g. the analysed units; units of the table not among
        them, such as a dropped Tibet, are ignored). Default: every unit of the table.

    Returns
    -------
    pandas.Series
        ``unit -> region`` (``str``), indexed by ``unit``, named after ``scheme``.

    Raises
    ------
    ConfigError
        ``scheme`` is not a column of the units table.
    InputError
        A wanted unit has no region (empty cell, or absent from the table).

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["BJ", "SX", "XZ"], "nbs4": ["east", "central", ""]})
    >>> region_of(t, "nbs4", among=["SX", "BJ"]).tolist()
    ['central', 'east']
    """
    if scheme not in units.columns:
        raise ConfigError(
            "regions.scheme",
            f"'{scheme}' is not a column of the units table (columns: "
            f"{', '.join(map(str, units.columns))})",
            "name one of the grouping columns (e.g. nbs4, belt3) or add the column to the units "
            "table.",
        )
    if "unit" not in units.columns:
        raise InputError("the units table has no 'unit' column", column="unit")
    table = pd.Series(
        units[scheme].astype(str).str.strip().to_numpy(dtype=object),
        index=pd.Index(units["unit"].astype(str), name="unit"),
        name=scheme,
    )
    wanted = table.index if among is None else pd.Index([str(u) for u in among], name="unit")
    labels = table.reindex(wanted)
    absent = labels.index[labels.isna() | labels.isin(["", "nan", "None"])]
    if len(absent):
        raise InputError(
            f"no region under '{scheme}' for unit(s) {', '.join(absent[:10])}",
            file="units table",
            column=scheme,
            fix="give every analysed unit a region in the units table, or drop the unit "
            "(config 'units.drop').",
        )
    return labels.astype(str).rename(scheme)


def attach_regions(scores: pd.DataFrame, units: pd.DataFrame, scheme: str) -> pd.Series:
    """Region of every (unit, year) row of ``scores`` (:func:`region_of` of its units)."""
    units_in = scores.index.get_level_values("unit")
    reg = region_of(units, scheme, among=pd.unique(np.asarray(units_in, dtype=str)))
    return pd.Series(
        reg.reindex(units_in.astype(str)).to_numpy(), index=scores.index, name="region"
    )


def as_wide(scores: pd.Series | pd.DataFrame, column: str = "index") -> pd.DataFrame:
    """Scores as a units x years matrix of one node (default the root ``index``).

    Parameters
    ----------
    scores
        A Series indexed by ``(unit, year)``; or a scores frame indexed by ``(unit, year)``
        (the shared *scores* shape) or with ``unit`` and ``year`` columns (as read from
        ``scores.csv``), from which ``column`` is taken.
    column
        The node whose scores are analysed.

    Returns
    -------
    pandas.DataFrame
        Index ``unit`` (sorted), columns the years (sorted ``int``), ``float64``.

    Raises
    ------
    InputError
        If the column is absent, a (unit, year) pair is duplicated, or a value is missing.
    """
    if isinstance(scores, pd.DataFrame):
        frame = scores
        if {"unit", "year"} <= set(frame.columns):
            frame = frame.set_index(["unit", "year"])
        if column not in frame.columns:
            raise InputError(
                f"the scores have no column '{column}' (columns: {', '.join(map(str, frame.columns))})",
                column=column,
                fix="pass the id of a node of the framework (the root is usually 'index')",
            )
        series = frame[column]
    else:
        series = scores
    if not isinstance(series.index, pd.MultiIndex) or series.index.nlevels != 2:
        raise InputError(
            "scores must be indexed by (unit, year)",
            fix="index the scores by a MultiIndex named ('unit', 'year')",
        )
    series = pd.Series(
        np.asarray(series, dtype=float),
        index=pd.MultiIndex.from_arrays(
            [
                series.index.get_level_values(0).astype(str),
                series.index.get_level_values(1).astype(int),
            ],
            names=["unit", "year"],
        ),
    )
    dup = series.index.duplicated()
    if dup.any():
        pairs = ", ".join(f"{u}/{y}" for u, y in series.index[dup][:10])
        raise InputError(
            f"scores repeat (unit, year) pairs: {pairs}",
            column=column,
            fix="keep one score per unit and year",
        )
    wide = series.unstack("year").sort_index().sort_index(axis=1)
    missing = wide.isna().stack()
    missing = missing[missing]
    if len(missing):
        pairs = ", ".join(f"{u}/{y}" for u, y in missing.index[:10])
        raise InputError(
            f"{len(missing)} scores of '{column}' are missing: {pairs}",
            column=column,
            fix="impute the missing values upstream (config 'treat') or drop the unit "
            "(config 'units') so that every unit has a score in every analysed year",
        )
    wide.columns = wide.columns.astype(int)
    wide.columns.name = "year"
    wide.index.name = "unit"
    return wide


def align_regions(units: Sequence[str] | pd.Index, regions: pd.Series | None) -> pd.Series:
    """Region label of each unit, in the order of ``units``.

    Parameters
    ----------
    units
        Unit codes to label.
    regions
        Series ``unit -> region label`` (e.g. the ``nbs4`` column of the units table indexed
        by ``unit``). Units of ``regions`` that are not in ``units`` are ignored (e.g. Tibet
        when it is dropped). ``None`` puts every unit in the region ``national``.

    Raises
    ------
    InputError
        If a unit has no region label.
    """
    units = pd.Index([str(u) for u in units], name="unit")
    if regions is None:
        return pd.Series(NATIONAL, index=units, name="region", dtype=object)
    regions = pd.Series(regions)
    regions.index = regions.index.astype(str)
    labels = regions.reindex(units)
    absent = labels.index[labels.isna() | (labels.astype(str).str.strip() == "")]
    if len(absent):
        raise InputError(
            f"no region label for unit(s) {', '.join(absent[:10])}",
            column=str(regions.name) if regions.name is not None else None,
            fix="give every analysed unit a region in the units table (the column named by "
            "config 'regions.scheme'), or drop the unit (config 'units')",
        )
    return pd.Series(labels.astype(str).to_numpy(dtype=object), index=units, name="region")


def region_means(
    scores: pd.DataFrame,
    regions: pd.Series,
    columns: Sequence[str] | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tidy table ``year, region, node, mean, median, min, max, n`` plus a ``national`` row per year."""
    cols = list(columns) if columns is not None else list(scores.columns)
    df = scores[cols].copy()
    df["region"] = regions.to_numpy()
    df = df.reset_index()
    long = df.melt(
        id_vars=["unit", "year", "region"], value_vars=cols, var_name="node", value_name="value"
    )
    g = long.groupby(["year", "region", "node"])["value"]
    out = (
        g.agg(["mean", "median", "min", "max", "count"])
        .rename(columns={"count": "n"})
        .reset_index()
    )
    nat = (
        long.groupby(["year", "node"])["value"]
        .agg(["mean", "median", "min", "max", "count"])
        .rename(columns={"count": "n"})
        .reset_index()
    )
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
    return (
        scores.groupby(level="year")
        .rank(ascending=False, method="min")
        .astype("Int64")
        .rename("rank")
    )


def region_ranks(means: pd.DataFrame) -> pd.DataFrame:
    """Rank of each region's mean within (node, year), national rows excluded."""
    m = means[means["region"] != "national"].copy()
    m["rank"] = (
        m.groupby(["node", "year"])["mean"].rank(ascending=False, method="min").astype("Int64")
    )
    return m[["node", "year", "region", "mean", "rank"]]
