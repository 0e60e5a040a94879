"""The reader of wide yearbook tables: a grid of text cells -> observations, totals, skipped rows.

The steps are those listed in :mod:`greenindex.data.importer` (which holds the public entry
:func:`~greenindex.data.importer.import_wide_table` and the command line): find the first data
row and the name column, the header block above it, the data block above the footnotes, the
value columns and their years, the indicator and year of every selected column, then the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from greenindex.data.cells import (
    FOOTNOTE,
    UNIT_DECL,
    YEAR,
    UnitMatch,
    closest_hint,
    column_unit,
    find_column,
    is_footer,
    is_number,
    label_kind,
    match_unit,
    parse_number,
    read_grid,
    select_columns,
)
from greenindex.data.units import canonical_unit
from greenindex.errors import InputError

OBS_COLUMNS = ["unit", "year", "indicator", "value", "source_id", "note"]
LAYOUTS = ("auto", "years", "indicators")

Rows = list[tuple[int, list[str]]]


@dataclass
class ImportResult:
    """Everything :func:`read_wide_table` found in a table.

    Attributes
    ----------
    observations
        Tidy observations ``unit, year, indicator, value, source_id, note``.
    totals
        National-total rows: ``label, indicator, year, value, line``.
    skipped
        Rows not imported and why: ``line, label, reason`` (regional subtotals, footnotes).
    empty_units
        Provinces listed with no value in any selected column (e.g. Tibet in the energy
        bulletins): they stay gaps.
    column_units
        The unit each imported column was published in, as declared in the table (may be
        empty when the table does not say).
    """

    observations: pd.DataFrame
    totals: pd.DataFrame
    skipped: pd.DataFrame
    empty_units: list[str] = field(default_factory=list)
    column_units: dict[str, str] = field(default_factory=dict)


@dataclass
class _Header:
    """Where the data start and what the header block says."""

    first: int  # index in ``rows`` of the first data row
    name_col: int
    line: int  # line number of the first header row (for messages)
    headers: list[str]
    table_unit: str

    @property
    def width(self) -> int:
        return len(self.headers)


def read_wide_table(
    path: str | Path,
    *,
    source_id: str,
    indicator: str | Mapping[str, str] | None = None,
    layout: str = "auto",
    year: int | None = None,
    columns: Sequence[str] | None = None,
    sheet: str | int | None = None,
    delimiter: str | None = None,
    scale: float = 1.0,
    unit_match: UnitMatch = canonical_unit,
) -> ImportResult:
    """Read a wide yearbook table; see :func:`greenindex.data.importer.import_wide_table` for
    the parameters.

    Returns the full :class:`ImportResult` (observations, national totals, skipped rows).
    """
    if layout not in LAYOUTS:
        raise InputError(f"unknown layout '{layout}'", fix=f"use one of {list(LAYOUTS)}.")
    if not str(source_id).strip():
        raise InputError(
            "no source id given",
            file=str(path),
            fix="pass source_id (--source-id) naming a row of data/raw/sources.csv.",
        )
    rows, label = read_grid(path, sheet=sheet, delimiter=delimiter)
    if not rows:
        raise InputError("the table is empty", file=label)
    hdr = _header(rows, unit_match, label)
    data_rows, footer = _data_block(rows, hdr, unit_match, label)
    col_year = _value_columns(data_rows, hdr, unit_match, label)
    selected = select_columns(list(col_year), hdr.headers, columns, label, hdr.line)
    layout = _layout(layout, selected, col_year, hdr, label)
    if layout == "years":
        targets = _year_targets(indicator, selected, col_year, hdr, label)
    else:
        targets = _indicator_targets(indicator, year, selected, hdr, label)
    rd = _Reading(targets, hdr, label, Path(path).name, source_id, scale)
    return _read_rows(data_rows, footer, rd, unit_match)


def _header(rows: Rows, unit_match: UnitMatch, label: str) -> _Header:
    """Steps 2-3: the first data row, the name column, the header block and the table unit."""
    first = name_col = None
    for k, (_, cells) in enumerate(rows):
        pos = next((i for i, c in enumerate(cells) if c), None)
        if pos is None:
            continue
        c = cells[pos]
        if FOOTNOTE.match(c) or UNIT_DECL.search(c):
            continue
        if label_kind(c) == "total" or match_unit(c, unit_match) is not None:
            first, name_col = k, pos
            break
    if first is None or name_col is None:
        raise InputError(
            "no row starts with a province name or a national total ('全国', 'National Total')",
            file=label,
            fix="put the province names in the first column of the table, one province per row.",
        )
    hdr_start = first
    while hdr_start > 0:
        cells = rows[hdr_start - 1][1]
        if sum(1 for c in cells if c) < 2 or any(UNIT_DECL.search(c) for c in cells):
            break
        hdr_start -= 1
    if hdr_start == first:
        raise InputError(
            "no header row above the first province row",
            file=label,
            row=rows[first][0],
            fix="keep the header line (the line naming the years or the indicators) directly above "
            "the first province.",
        )
    title = " ".join(c for _, cells in rows[:hdr_start] for c in cells if c)
    width = max(len(cells) for _, cells in rows)
    headers = [
        " ".join(r[1][j] for r in rows[hdr_start:first] if j < len(r[1]) and r[1][j]).strip()
        for j in range(width)
    ]
    decl = UNIT_DECL.search(title) or next((m for c in headers if (m := UNIT_DECL.search(c))), None)
    table_unit = decl.group(1).strip() if decl else ""
    return _Header(first, name_col, rows[hdr_start][0], headers, table_unit)


def _data_block(rows: Rows, hdr: _Header, unit_match: UnitMatch, label: str) -> tuple[Rows, Rows]:
    """Step 5a: data rows up to the first footnote (padded to the table width), and the footer."""
    data_rows: Rows = []
    footer: Rows = []
    for ln, cells in rows[hdr.first :]:
        cells = cells + [""] * (hdr.width - len(cells))
        name = cells[hdr.name_col]
        if footer or is_footer(name, cells, hdr.name_col):
            footer.append((ln, cells))
            continue
        data_rows.append((ln, cells))
    for ln, cells in footer:  # a province row after the footnotes is a broken table
        name = cells[hdr.name_col]
        if (
            name
            and not FOOTNOTE.match(name)
            and match_unit(name, unit_match) is not None
            and any(is_number(c) for j, c in enumerate(cells) if j != hdr.name_col)
        ):
            raise InputError(
                f"province row '{name}' after a footnote line",
                file=label,
                row=ln,
                fix="footnotes (注/Note) must come after the last data row; move or delete them.",
            )
    return data_rows, footer


def _value_columns(
    data_rows: Rows, hdr: _Header, unit_match: UnitMatch, label: str
) -> dict[int, int | None]:
    """Step 4: value column -> the year in its header (or None); extra name columns dropped."""
    headers = hdr.headers
    value_cols = [
        j
        for j in range(hdr.width)
        if j != hdr.name_col and (headers[j] or any(cells[j] for _, cells in data_rows))
    ]
    extra_names = [
        j
        for j in value_cols
        if (vals := [cells[j] for _, cells in data_rows if cells[j]])
        and not any(is_number(v) for v in vals)
        and sum(match_unit(v, unit_match) is not None for v in vals) >= len(vals) / 2
    ]
    value_cols = [j for j in value_cols if j not in extra_names]
    for j in value_cols:
        if not headers[j]:
            ln = next(ln for ln, cells in data_rows if cells[j])
            raise InputError(
                f"column {j + 1} has values but no header",
                file=label,
                row=ln,
                fix="give every value column a header (a year or an indicator name), or delete it.",
            )
    col_year: dict[int, int | None] = {}
    for j in value_cols:
        ys = sorted(set(YEAR.findall(headers[j])))
        col_year[j] = int(ys[0]) if len(ys) == 1 else None
    return col_year


def _layout(
    layout: str, selected: list[int], col_year: Mapping[int, int | None], hdr: _Header, label: str
) -> str:
    """``layout``, with ``auto`` resolved from the selected columns' headers."""
    if layout != "auto":
        return layout
    with_year = [j for j in selected if col_year[j] is not None]
    if with_year and len(with_year) == len(selected):
        return "years"
    if not with_year:
        return "indicators"
    raise InputError(
        "some columns carry a year ("
        + ", ".join(repr(hdr.headers[j]) for j in with_year)
        + ") and some do not ("
        + ", ".join(repr(hdr.headers[j]) for j in selected if j not in with_year)
        + "), so the layout is ambiguous",
        file=label,
        row=hdr.line,
        fix="say layout='years' (--layout years) and select the year columns with "
        "columns= (--column), or layout='indicators' with year= (--year).",
    )


def _year_targets(
    indicator: str | Mapping[str, str] | None,
    selected: list[int],
    col_year: Mapping[int, int | None],
    hdr: _Header,
    label: str,
) -> dict[int, tuple[str, int]]:
    """Column -> (indicator, year) of a table with years as columns (one indicator)."""
    if not isinstance(indicator, str) or not indicator:
        raise InputError(
            "a table with years as columns holds one indicator, but no indicator id was given",
            file=label,
            fix="pass indicator='<id>' (--indicator ID) with the codebook id of the series.",
        )
    no_year = [hdr.headers[j] for j in selected if col_year[j] is None]
    if no_year:
        raise InputError(
            f"column(s) {no_year} have no year in their header",
            file=label,
            row=hdr.line,
            fix="select only the year columns (columns=, --column) or use layout='indicators'.",
        )
    targets: dict[int, tuple[str, int]] = {}
    seen: dict[int, str] = {}
    for j in selected:
        y = col_year[j]
        assert y is not None
        if y in seen:
            raise InputError(
                f"year {y} appears in two columns ({seen[y]!r} and {hdr.headers[j]!r})",
                file=label,
                row=hdr.line,
                fix="select one of them with columns= (--column).",
            )
        seen[y] = hdr.headers[j]
        targets[j] = (indicator, y)
    return targets


def _indicator_targets(
    indicator: str | Mapping[str, str] | None,
    year: int | None,
    selected: list[int],
    hdr: _Header,
    label: str,
) -> dict[int, tuple[str, int]]:
    """Column -> (indicator, year) of a table with indicators as columns (one year)."""
    headers = hdr.headers
    if year is None:
        raise InputError(
            "a table with indicators as columns holds one year, but no year was given",
            file=label,
            fix="pass year=<YYYY> (--year) with the year the data refer to (not the yearbook "
            "edition).",
        )
    if isinstance(indicator, Mapping):
        mapping = {
            find_column(selected, headers, h, label, hdr.line): i for h, i in indicator.items()
        }
        return {j: (i, int(year)) for j, i in mapping.items()}
    if isinstance(indicator, str) and indicator:
        if len(selected) != 1:
            raise InputError(
                f"the table has {len(selected)} value columns ("
                + ", ".join(repr(headers[j]) for j in selected)
                + f") but one indicator id '{indicator}' was given",
                file=label,
                fix="map each column to an id: indicator={'<header>': '<id>', ...} "
                "(--indicator 'HEADER=ID', repeated), or select one column (--column).",
            )
        return {selected[0]: (indicator, int(year))}
    raise InputError(
        "no indicator id given for the columns " + ", ".join(repr(headers[j]) for j in selected),
        file=label,
        fix="map each column to a codebook id: indicator={'<header>': '<id>'} "
        "(--indicator 'HEADER=ID'); a unique part of the header is enough.",
    )


def _row_unit(
    name: str, ln: int, hdr: _Header, seen_unit: dict[str, int], unit_match: UnitMatch, label: str
) -> str:
    """Canonical code of a province row; unknown and repeated provinces stop the import."""
    code = match_unit(name, unit_match)
    if code is None:
        raise InputError(
            f"unknown province name '{name}'{closest_hint(name)}",
            file=label,
            row=ln,
            column=hdr.headers[hdr.name_col] or None,
            fix="correct the name (Chinese full or short name, English or pinyin name, or "
            "GB/T 2260 code), or delete the row if it is not a province.",
        )
    if code in seen_unit:
        raise InputError(
            f"province '{name}' ({code}) appears twice (lines {seen_unit[code]} and {ln})",
            file=label,
            row=ln,
            fix="keep one row per province.",
        )
    seen_unit[code] = ln
    return code


def _cell_value(
    cells: list[str], j: int, name: str, ln: int, hdr: _Header, label: str
) -> float | None:
    try:
        return parse_number(cells[j])
    except ValueError:
        raise InputError(
            f"'{cells[j]}' in column '{hdr.headers[j]}' for '{name}' is not a number",
            file=label,
            row=ln,
            column=hdr.headers[j],
            fix="correct the cell: a number (thousands separators are fine), or leave it "
            "empty / write '…' or '-' for a missing value.",
        ) from None


@dataclass(frozen=True)
class _Reading:
    """What each data row is read with (step 5b): the value columns and their (indicator,
    year), the header, the table's label in messages, and the provenance of the values."""

    targets: Mapping[int, tuple[str, int]]
    hdr: _Header
    label: str
    fname: str
    source_id: str
    scale: float


def _row_values(
    cells: list[str],
    ln: int,
    name: str,
    code: str | None,
    kind: str | None,
    rd: _Reading,
    obs: list[dict[str, object]],
    totals: list[dict[str, object]],
) -> int:
    """Append the values of one data row to ``obs`` (a province) or ``totals`` (a national
    total); returns how many values the row has."""
    hdr, scale = rd.hdr, rd.scale
    n_values = 0
    for j, (ind, y) in rd.targets.items():
        v = _cell_value(cells, j, name, ln, hdr, rd.label)
        if v is None:
            continue
        n_values += 1
        v = v * scale
        if kind == "total":
            totals.append({"label": name, "indicator": ind, "year": y, "value": v, "line": ln})
            continue
        unit_txt = column_unit(hdr.headers[j], hdr.table_unit)
        note = f"{rd.fname} line {ln}, column '{hdr.headers[j]}'"
        if unit_txt:
            note += f"; published unit: {unit_txt}"
        if scale != 1.0:
            note += f"; multiplied by {scale:g}"
        obs.append(
            {
                "unit": code,
                "year": y,
                "indicator": ind,
                "value": v,
                "source_id": rd.source_id,
                "note": note,
            }
        )
    return n_values


def _read_rows(data_rows: Rows, footer: Rows, rd: _Reading, unit_match: UnitMatch) -> ImportResult:
    """Step 5b: observations, national totals and skipped rows."""
    targets, hdr, label = rd.targets, rd.hdr, rd.label
    obs: list[dict[str, object]] = []
    totals: list[dict[str, object]] = []
    skipped: list[dict[str, object]] = [
        {"line": ln, "label": next((c for c in cells if c), "")[:60], "reason": "footnote"}
        for ln, cells in footer
    ]
    seen_unit: dict[str, int] = {}
    empty_units: list[str] = []
    for ln, cells in data_rows:
        name = cells[hdr.name_col]
        if not name:
            if any(is_number(cells[j]) for j in targets):
                raise InputError(
                    "values without a province name",
                    file=label,
                    row=ln,
                    fix="write the province name in the first column of every data row.",
                )
            skipped.append({"line": ln, "label": "", "reason": "no name, no value"})
            continue
        kind = label_kind(name)
        code = None
        if kind is None:
            code = _row_unit(name, ln, hdr, seen_unit, unit_match, label)
        elif kind == "aggregate":
            skipped.append(
                {"line": ln, "label": name, "reason": "regional subtotal or non-provincial row"}
            )
            continue
        n_values = _row_values(cells, ln, name, code, kind, rd, obs, totals)
        if code is not None and n_values == 0:
            empty_units.append(code)
    if not obs:
        raise InputError(
            "no value was read from the table",
            file=label,
            fix="check that the selected columns hold numbers for at least one province.",
        )
    out = pd.DataFrame(obs, columns=OBS_COLUMNS)
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    out = out.sort_values(["indicator", "year", "unit"], kind="stable").reset_index(drop=True)
    tot = pd.DataFrame(totals, columns=["label", "indicator", "year", "value", "line"])
    skp = pd.DataFrame(skipped, columns=["line", "label", "reason"]).sort_values(
        "line", kind="stable"
    )
    skp = skp.reset_index(drop=True)
    units = {hdr.headers[j]: column_unit(hdr.headers[j], hdr.table_unit) for j in targets}
    return ImportResult(out, tot, skp, empty_units, units)
