"""The observations table: read and check it, and turn it into a wide panel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from greenindex.data.ingest.tables import (
    _closest,
    _num,
)
from greenindex.data.io import ROW, read_table, reject_rows
from greenindex.data.units import UnitMatcher
from greenindex.errors import InputError


def _values(ob: pd.DataFrame, f: str) -> np.ndarray:
    """The ``value`` column as numbers (NaN for an empty or NA cell)."""
    vals = []
    bad_rows: list[int] = []
    bad_vals: list[str] = []
    for v, r in zip(ob["value"], ob[ROW], strict=True):
        try:
            x = _num(v)
            vals.append(np.nan if x is None else x)
        except ValueError:
            vals.append(np.nan)
            bad_rows.append(int(r))
            bad_vals.append(v)
    if bad_rows:
        hint = " (remove thousands separators)" if any("," in v for v in bad_vals) else ""
        raise InputError(
            f"non-numeric value(s) {bad_vals[:5]}{hint}",
            file=f,
            row=bad_rows,
            column="value",
            fix="write numbers with a decimal point; leave the cell empty (or NA) for a missing value.",
        )
    return np.asarray(vals, dtype=float)


def _in_panel(ob: pd.DataFrame, years: tuple[int, int], outside_years: str, f: str) -> pd.DataFrame:
    """The rows inside the panel ``years``; the others dropped (``outside_years="drop"``) or
    an error."""
    lo, hi = years
    out = ob[(ob["year"] < lo) | (ob["year"] > hi)]
    if len(out):
        if outside_years == "drop":
            ob = ob[(ob["year"] >= lo) & (ob["year"] <= hi)]
        else:
            raise InputError(
                f"year(s) {sorted(set(out['year']))} outside the configured panel {lo}-{hi}",
                file=f,
                row=list(out[ROW]),
                column="year",
                fix="widen 'panel.start'/'panel.end' in the config, remove the rows, or set "
                "'validate.outside_years: drop' to ignore them.",
            )
    return ob


def read_observations(
    path: str | Path,
    *,
    codebook: pd.DataFrame,
    units: pd.DataFrame,
    match: str = "china_provinces",
    years: tuple[int, int] | None = None,
    outside_years: str = "error",
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Read and check the observations; returns ``unit, year, indicator, value, source_id``.

    Checks, each with the offending rows named: numeric years, numeric values, known units
    (any spelling of a province), units present in the units table, indicators present in the
    codebook, no duplicate (unit, year, indicator), years inside the configured panel (or
    dropped with ``outside_years='drop'``), source ids present in the sources table.
    """
    f = str(path)
    ob = read_table(
        path,
        required=("unit", "year", "indicator", "value", "source_id"),
        what="observations table",
    )
    _match_units(ob, units, match, f)
    ob["year"] = _years(ob, f)
    ob["value"] = _values(ob, f)
    reject_rows(ob, np.isinf(ob["value"]), "infinite value", file=f, column="value")
    ids = set(codebook["id"])
    reject_rows(
        ob,
        ~ob["indicator"].isin(ids),
        lambda bad: _not_in_codebook(sorted(set(bad["indicator"])), ids),
        file=f,
        column="indicator",
        fix="add them to the codebook (role 'indicator' or 'variable') or correct the id.",
    )
    if years is not None:
        ob = _in_panel(ob, years, outside_years, f)
    _reject_repeated(ob, f)
    if sources is not None:
        reject_rows(
            ob,
            ~ob["source_id"].isin(set(sources["source_id"])),
            lambda bad: (
                f"source id(s) {sorted(set(bad['source_id']))[:5]} not in the sources table"
            ),
            file=f,
            column="source_id",
            fix="add a row to the sources table for every source id (publication, table, citation).",
        )
    return ob[["unit", "year", "indicator", "value", "source_id", ROW]].reset_index(drop=True)


def _match_units(ob: pd.DataFrame, units: pd.DataFrame, match: str, f: str) -> None:
    """Replace the ``unit`` column by unit codes (any spelling of a province with
    ``match="china_provinces"``), each of which must be in the units table."""
    matcher = (
        UnitMatcher.china_provinces()
        if match == "china_provinces"
        else UnitMatcher.from_table(units)
    )
    ob["unit"] = matcher.match(ob["unit"], file=f, column="unit", rows=list(ob[ROW]))
    reject_rows(
        ob,
        ~ob["unit"].isin(set(units["unit"])),
        lambda bad: f"unit(s) {sorted(set(bad['unit']))} are not in the units table",
        file=f,
        column="unit",
        fix="add them to the units table (with their region) or remove their rows.",
    )


def _years(ob: pd.DataFrame, f: str) -> pd.Series:
    """The ``year`` column as whole numbers."""
    yr = pd.to_numeric(ob["year"], errors="coerce")
    reject_rows(
        ob,
        yr.isna() | (yr != yr.round()),
        lambda bad: f"year '{bad.iloc[0]['year']}' is not a whole number",
        file=f,
        column="year",
        fix="write the year as four digits, e.g. 2018.",
    )
    return yr.astype(int)


def _not_in_codebook(names: list[str], ids: set[str]) -> str:
    return f"indicator(s) not in the codebook: {names[:10]}{_closest(names[0], ids)}"


def _reject_repeated(ob: pd.DataFrame, f: str) -> None:
    """No (unit, year, indicator) twice (different spellings of a province are one unit)."""
    dup = ob[ob.duplicated(["unit", "year", "indicator"], keep=False)]
    if len(dup):
        first = dup.sort_values(ROW).iloc[0]
        raise InputError(
            f"duplicate observation(s): {dup.groupby(['unit', 'year', 'indicator']).ngroups} (unit, year, indicator) "
            f"combination(s) appear more than once, e.g. ({first['unit']}, {first['year']}, {first['indicator']})",
            file=f,
            row=sorted(int(r) for r in dup[ROW]),
            fix="keep one row per unit, year and indicator (different spellings of a province count as the same unit).",
        )


def to_wide(
    obs: pd.DataFrame, *, units: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """Tidy observations to a wide panel indexed by (unit, year) on the full grid."""
    wide = obs.pivot(index=["unit", "year"], columns="indicator", values="value")
    wide.columns.name = None
    if units is not None or years is not None:
        u = list(units) if units is not None else sorted(obs["unit"].unique())
        y = list(years) if years is not None else sorted(obs["year"].unique())
        grid = pd.MultiIndex.from_product(
            [sorted(u), sorted(int(v) for v in y)], names=["unit", "year"]
        )
        wide = wide.reindex(grid)
    wide = wide.sort_index()
    return wide[sorted(wide.columns)].astype(float)
