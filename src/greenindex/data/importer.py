"""Wide yearbook tables -> tidy observations.

Researchers copy provincial tables from the China Statistical Yearbook, the China
Environmental Statistical Yearbook, provincial yearbooks or statistical bulletins into a
spreadsheet or CSV. Those tables are *wide*: one row per province and either one column per
year (a single indicator over time) or one column per indicator (a single year). They carry
title lines, a unit declaration (``单位：万吨``, ``Unit: 10 000 tons`` or ``(±%)`` in a header),
headers over one or more rows, a national-total row (``全国``, ``National Total``), regional
subtotals, footnotes (``注：``, ``Note:``) and placeholders for missing cells (``…``, ``-``,
``—``). :func:`import_wide_table` turns such a table into the project's tidy observations
(``unit, year, indicator, value, source_id, note``) and keeps the national totals apart for the
plausibility check (:func:`greenindex.data.plausibility.national_sum_findings`).

How a table is read
-------------------
1. Rows are read as text (CSV with ``,`` ``\\t`` ``|`` or ``;`` separators, UTF-8 or GB18030;
   or an XLSX sheet).
2. The first row whose first non-empty cell is a province or a total label starts the data; the
   column holding that cell is the name column.
3. The header block is the run of rows with two or more non-empty cells directly above it
   (several header rows are joined per column); rows above it are the title, where a unit
   declaration is looked for. A row declaring a unit (``单位``/``Unit``) is never a header.
4. Each value column gets a year from its header (``2018``, ``2018年``, ``比重2020年``) or not.
   ``layout="years"`` needs a year in every selected column; ``layout="indicators"`` needs the
   ``year`` argument; ``"auto"`` chooses from the headers and refuses mixed tables.
5. Data rows: provinces are matched with :func:`greenindex.data.units.canonical_unit` (Chinese full
   or short names, names spaced as typeset, English or pinyin, GB/T 2260 codes; a bilingual
   cell such as ``北京 Beijing`` is matched by either part); national totals are kept apart;
   regional subtotals and non-provincial rows (``东部地区``, ``现役军人``) are skipped and
   reported; the first footnote row ends the table. Missing-cell placeholders give no
   observation (gaps stay gaps); thousands separators are removed.

Every problem raises :class:`~greenindex.errors.InputError` with the file, the line and the
fix. Every observation's ``note`` names the file, line and column it came from.

Modules: :mod:`greenindex.data.cells` (reading and interpreting cells),
:mod:`greenindex.data.wide_table` (the reader, :func:`read_wide_table`), and this one (the
entry :func:`import_wide_table` and the command line).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from greenindex.data.cells import UnitMatch, parse_number
from greenindex.data.units import canonical_unit
from greenindex.data.wide_table import LAYOUTS, OBS_COLUMNS, ImportResult, read_wide_table
from greenindex.errors import InputError

__all__ = [
    "LAYOUTS",
    "OBS_COLUMNS",
    "ImportResult",
    "import_wide_table",
    "main",
    "parse_number",
    "read_wide_table",
]


def import_wide_table(
    path: str | Path,
    *,
    source_id: str,
    indicator: str | Mapping[str, str] | None = None,
    layout: str = "auto",
    year: int | None = None,
    sheet: str | int | None = None,
    columns: Sequence[str] | None = None,
    delimiter: str | None = None,
    scale: float = 1.0,
    unit_match: UnitMatch = canonical_unit,
    return_totals: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Turn a wide yearbook table (CSV or XLSX) into tidy observations.

    Parameters
    ----------
    path
        The table: ``.csv``/``.txt``/``.tsv`` (separator ``,``, tab, ``|`` or ``;``, detected)
        or ``.xlsx``.
    source_id
        Id of the table's row in ``data/raw/sources.csv`` (publication, table, citation);
        written into every observation.
    indicator
        ``layout="years"``: the codebook id of the one series in the table.
        ``layout="indicators"``: a mapping ``{header: id}`` (a unique part of the header is
        enough), or one id when a single column is selected.
    layout
        ``"years"`` (provinces x years, one indicator), ``"indicators"`` (provinces x
        indicators, one year) or ``"auto"`` (years when every selected header holds a year,
        indicators when none does).
    year
        The data year of an ``"indicators"`` table (not the yearbook's edition year).
    sheet, columns, delimiter
        XLSX sheet name or 0-based position (default: the first sheet); the value columns to
        import (header text or a unique part of it; default all); the CSV separator when
        detection picks the wrong one.
    scale
        Factor applied to every value (e.g. ``10000`` for 万吨 -> 吨), recorded in ``note``;
        default 1 (values as published).
    unit_match
        Name -> canonical code, raising for an unknown name (default
        :func:`greenindex.data.units.canonical_unit`).
    return_totals
        Also return the national-total rows (``label, indicator, year, value, line``) for
        :func:`greenindex.data.plausibility.national_sum_findings`.

    Returns
    -------
    pandas.DataFrame or (DataFrame, DataFrame)
        Observations ``unit, year, indicator, value, source_id, note`` sorted by indicator,
        year and unit; with ``return_totals`` also the totals.

    Raises
    ------
    InputError
        Unknown (with the closest names) or duplicate province, non-numeric cell, missing
        header, ambiguous layout, missing ``year``/``indicator``: file, line and fix named.

    Examples
    --------
    The 2020 energy bulletin (provinces x indicators, one year)::

        import_wide_table("bulletin2020.csv", source_id="E2020_NBS_EN", year=2020, columns=[...],
            indicator={"Energy Consumption in 10,000 yuan GDP": "energy_intensity_change_pct"})
    """
    res = read_wide_table(
        path,
        source_id=source_id,
        indicator=indicator,
        layout=layout,
        year=year,
        columns=columns,
        sheet=sheet,
        delimiter=delimiter,
        scale=scale,
        unit_match=unit_match,
    )
    return (res.observations, res.totals) if return_totals else res.observations


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------
def _parse_indicator_args(values: Sequence[str] | None) -> str | dict[str, str] | None:
    if not values:
        return None
    if len(values) == 1 and "=" not in values[0]:
        return values[0]
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise InputError(
                f"--indicator '{v}' mixes a plain id with HEADER=ID pairs",
                fix="give either one plain id or HEADER=ID for every column.",
            )
        h, i = v.rsplit("=", 1)
        out[h.strip()] = i.strip()
    return out


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m greenindex.data.importer",
        description="Turn a wide yearbook table (provinces as rows; years or indicators as "
        "columns; CSV or XLSX) into tidy observations (unit,year,indicator,value,source_id,note).",
    )
    ap.add_argument("table", help="the table file (.csv, .txt, .tsv or .xlsx)")
    ap.add_argument("--source-id", required=True, help="source id (a row of data/raw/sources.csv)")
    ap.add_argument(
        "--indicator",
        action="append",
        help="codebook id (years as columns), or 'HEADER=ID' per column (indicators as columns); repeatable",
    )
    ap.add_argument("--layout", choices=LAYOUTS, default="auto")
    ap.add_argument("--year", type=int, help="data year of a table with indicators as columns")
    ap.add_argument(
        "--column",
        action="append",
        help="import only this column (header or unique part); repeatable",
    )
    ap.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    ap.add_argument("--delimiter", help="CSV separator, if detection fails")
    ap.add_argument(
        "--scale", type=float, default=1.0, help="multiply values by this factor (default 1)"
    )
    ap.add_argument("--out", required=True, help="output CSV (tidy observations)")
    ap.add_argument(
        "--append", action="store_true", help="append to --out if it exists (refuses duplicates)"
    )
    ap.add_argument("--totals-out", help="write the national-total rows to this CSV")
    return ap


def _write_observations(obs: pd.DataFrame, out: Path, append: bool) -> None:
    """Write ``obs`` to ``out``; with ``append``, add to the file and refuse duplicates."""
    if out.exists() and append:
        old = pd.read_csv(out, dtype={"unit": str, "indicator": str, "source_id": str})
        key = ["unit", "year", "indicator"]
        clash = obs.merge(old[key], on=key)
        if len(clash):
            first = clash.iloc[0]
            raise InputError(
                f"{len(clash)} observation(s) already in the file, e.g. "
                f"({first['unit']}, {first['year']}, {first['indicator']})",
                file=str(out),
                fix="remove the old rows first, or write to a new file.",
            )
        obs = pd.concat([old, obs], ignore_index=True)
    elif out.exists():
        raise InputError(
            "the output file exists", file=str(out), fix="pass --append or choose a new file."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    obs.to_csv(out, index=False, lineterminator="\n")


def _print_summary(res: ImportResult, out: str) -> None:
    o = res.observations
    print(
        f"{len(o)} observations of {sorted(o['indicator'].unique())} for {o['unit'].nunique()} "
        f"provinces, years {sorted(o['year'].unique().tolist())} -> {out}",
        file=sys.stderr,
    )
    if len(res.totals):
        print(f"national totals kept apart: {len(res.totals)} value(s)", file=sys.stderr)
    if res.empty_units:
        print(f"listed without values (gaps): {', '.join(res.empty_units)}", file=sys.stderr)
    for _, r in res.skipped.iterrows():
        print(f"skipped line {r['line']}: {r['reason']} ({r['label']})", file=sys.stderr)
    for h, u in res.column_units.items():
        print(f"column '{h}': published unit '{u or 'not stated'}'", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m greenindex.data.importer TABLE --source-id ID --indicator ID [--year Y] --out F``;
    ``... importer coinr IDATA IMETA --out DIR`` reads a COINr data set (greenindex.data.coinr)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["coinr"]:
        from greenindex.data.coinr import main as coinr_main

        return coinr_main(argv[1:])
    a = _parser().parse_args(argv)
    try:
        res = read_wide_table(
            a.table,
            source_id=a.source_id,
            indicator=_parse_indicator_args(a.indicator),
            layout=a.layout,
            year=a.year,
            columns=a.column,
            sheet=a.sheet,
            delimiter=a.delimiter,
            scale=a.scale,
        )
        _write_observations(res.observations, Path(a.out), a.append)
        if a.totals_out:
            res.totals.to_csv(a.totals_out, index=False, lineterminator="\n")
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    _print_summary(res, a.out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
