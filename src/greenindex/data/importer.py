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
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from greenindex.data.units import UnitMatcher, canonical_unit, normalise_name
from greenindex.errors import InputError

OBS_COLUMNS = ["unit", "year", "indicator", "value", "source_id", "note"]
LAYOUTS = ("auto", "years", "indicators")

#: Cell texts that mean "no value" in Chinese and English yearbooks.
MISSING_TOKENS = frozenset(
    {
        "",
        "…",
        "……",
        "...",
        "..",
        "-",
        "--",
        "—",
        "——",
        "–",
        "－",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "null",
        "none",
    }
)
#: Row labels of national totals (normalised with :func:`greenindex.data.units.normalise_name`).
TOTAL_LABELS = frozenset(
    normalise_name(s)
    for s in (
        "全国", "全国合计", "全国总计", "全国总计National Total", "全国National Total", "合计", "总计",
        "National Total", "National", "Total", "Nationwide", "China", "中国", "All China", "Whole Country",
    )
)  # fmt: skip
#: Rows that are neither a province nor the national total: skipped and reported.
AGGREGATE_LABELS = frozenset(
    normalise_name(s)
    for s in (
        "东部地区", "中部地区", "西部地区", "东北地区", "东部", "中部", "西部", "东北",
        "East", "Central", "West", "Northeast", "Eastern Region", "Central Region",
        "Western Region", "Northeastern Region", "North-east Region",
        "现役军人", "Active Servicemen", "Military", "中央", "中央属", "不分地区",
        "Not Allocated by Region", "Unallocated", "其他", "Others",
    )
)  # fmt: skip
_FOOTNOTE = re.compile(
    r"^\s*(注|附注|说明|资料来源|数据来源|来源|备注|Notes?\b|Sources?\b|Remarks?\b|[*＊※]|[①-⑳]|\[\d+\]|[（(]\d+[)）]\s*\S{8,})",
    re.IGNORECASE,
)
_UNIT_DECL = re.compile(r"(?:计量单位|单位|Units?)\s*[:：]\s*([^|;；]+)", re.IGNORECASE)
_UNIT_PAREN = re.compile(r"[（(]([^()（）]{1,40})[)）]\s*$")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,\u00a0\u2009\u202f ]\d{3})+(\.\d+)?$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")

UnitMatch = Callable[[str], str]


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


# ---------------------------------------------------------------------------------------------
# Reading cells
# ---------------------------------------------------------------------------------------------
def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if np.isnan(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v).strip()


def _decode(raw: bytes, file: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(  # pragma: no cover - gb18030 decodes nearly everything
        "the table is neither UTF-8 nor GB18030 text", file=file, fix="save it as UTF-8 CSV."
    )


def _sniff_delimiter(text: str) -> str:
    """The separator present in the most lines (prose lines rarely contain ``|`` or tabs)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    best, best_n = ",", -1
    for d in ("\t", "|", ",", ";"):
        n = sum(1 for ln in lines if d in ln)
        if n > best_n:
            best, best_n = d, n
    return best


def read_grid(
    path: str | Path, *, sheet: str | int | None = None, delimiter: str | None = None
) -> tuple[list[tuple[int, list[str]]], str]:
    """Read a table as text rows: ``[(line number, cells)]`` and the label used in messages.

    Empty rows are dropped; line numbers are those a text editor or spreadsheet shows.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("the table file does not exist", file=str(p), fix="check the path.")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types
            raise InputError(f"cannot open the workbook: {exc}", file=str(p)) from exc
        try:
            if sheet is None:
                ws = wb.worksheets[0]
            elif isinstance(sheet, int):
                ws = wb.worksheets[sheet]
            else:
                ws = wb[sheet]
        except (KeyError, IndexError):
            raise InputError(
                f"the workbook has no sheet {sheet!r}; it has {wb.sheetnames}",
                file=str(p),
                fix="pass --sheet with one of those names.",
            ) from None
        label = f"{p} [sheet {ws.title}]"
        rows = []
        for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in r]
            if any(cells):
                rows.append((i, cells))
        wb.close()
        return rows, label
    if suffix == ".xls":
        raise InputError(
            "old-style .xls workbooks are not read",
            file=str(p),
            fix="open the file and save it as .xlsx (or CSV UTF-8).",
        )
    text = _decode(p.read_bytes(), str(p))
    sep = delimiter or ("\t" if suffix == ".tsv" else _sniff_delimiter(text))
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        for r in reader:
            cells = [c.strip() for c in r]
            if any(cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise InputError(
            f"malformed CSV: {exc}",
            file=str(p),
            row=reader.line_num,
            fix="check the quoting on that line.",
        ) from exc
    return rows, str(p)


# ---------------------------------------------------------------------------------------------
# Cell interpretation
# ---------------------------------------------------------------------------------------------
def parse_number(text: str) -> float | None:
    """Number in a yearbook cell, ``None`` for a missing-cell placeholder.

    Handles full-width digits and minus signs, thousands separators (``1,411,778,724``,
    ``1 234``), a trailing ``%`` and trailing footnote marks (``12.3*``, ``12.3①``).

    >>> parse_number("1,411,778,724"), parse_number("－9.18"), parse_number("…")
    (1411778724.0, -9.18, None)

    Raises
    ------
    ValueError
        When the cell is neither a number nor a placeholder.
    """
    t = unicodedata.normalize("NFKC", text).strip()
    t = t.replace("\u2212", "-").replace("\u2013", "-") if len(t) > 1 else t
    if t.lower() in MISSING_TOKENS or text.strip() in MISSING_TOKENS:
        return None
    t = re.sub(r"(\*+|[\u2460-\u2473]|\(\d\)|%)$", "", t).strip()
    if _THOUSANDS.match(t):
        t = re.sub(r"[,\u00a0\u2009\u202f ]", "", t)
    t = t.removeprefix("+")
    return float(t)


def _is_number(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def _match_unit(name: str, unit_match: UnitMatch) -> str | None:
    """Canonical code of a row label or ``None``; bilingual labels are tried part by part."""
    tries = [name]
    if _CJK.search(name) and _LATIN.search(name):
        tries += [
            "".join(_CJK.findall(name)),
            " ".join(re.findall(r"[A-Za-z][A-Za-z .'-]*", name)).strip(),
        ]
    for t in tries:
        try:
            return unit_match(t)
        except (InputError, KeyError, LookupError, ValueError):
            continue
    return None


def _label_kind(name: str) -> str | None:
    key = normalise_name(name)
    parts = [key]
    if _CJK.search(name) and _LATIN.search(name):
        parts += [
            normalise_name("".join(_CJK.findall(name))),
            normalise_name(re.sub(_CJK, "", name)),
        ]
    if any(k in TOTAL_LABELS for k in parts):
        return "total"
    if any(k in AGGREGATE_LABELS for k in parts):
        return "aggregate"
    return None


def _is_footer(name: str, cells: Sequence[str], name_col: int) -> bool:
    """A footnote line: a note marker, or a lone line of prose below the table."""
    if name and _FOOTNOTE.match(name):
        return True
    others = [c for j, c in enumerate(cells) if c and j != name_col]
    if not name:
        return len(others) == 1 and not _is_number(others[0])
    # prose (a sentence, not a name) with nothing in the value columns
    return not others and (len(name) > 12 or any(ch in name for ch in ":：。，,;；"))


def _closest_hint(name: str) -> str:
    close = UnitMatcher.china_provinces().closest(name)
    return f"; closest known names: {', '.join(close)}" if close else ""


# ---------------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------------
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
    """Read a wide yearbook table; see :func:`import_wide_table` for the parameters.

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

    # 2. first data row and the name column
    first = None
    for k, (_, cells) in enumerate(rows):
        pos = next((i for i, c in enumerate(cells) if c), None)
        if pos is None:
            continue
        c = cells[pos]
        if _FOOTNOTE.match(c) or _UNIT_DECL.search(c):
            continue
        if _label_kind(c) == "total" or _match_unit(c, unit_match) is not None:
            first, name_col = k, pos
            break
    if first is None:
        raise InputError(
            "no row starts with a province name or a national total ('全国', 'National Total')",
            file=label,
            fix="put the province names in the first column of the table, one province per row.",
        )

    # 3. header block directly above the first data row, title above it
    hdr_start = first
    while hdr_start > 0:
        cells = rows[hdr_start - 1][1]
        if sum(1 for c in cells if c) < 2 or any(_UNIT_DECL.search(c) for c in cells):
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
    decl = _UNIT_DECL.search(title) or next(
        (m for c in headers if (m := _UNIT_DECL.search(c))), None
    )
    table_unit = decl.group(1).strip() if decl else ""

    # 5a. data block: rows up to the first footnote
    data_rows: list[tuple[int, list[str]]] = []
    footer: list[tuple[int, list[str]]] = []
    for ln, cells in rows[first:]:
        cells = cells + [""] * (width - len(cells))
        name = cells[name_col]
        if footer or _is_footer(name, cells, name_col):
            footer.append((ln, cells))
            continue
        data_rows.append((ln, cells))
    for ln, cells in footer:  # a province row after the footnotes is a broken table
        name = cells[name_col]
        if (
            name
            and not _FOOTNOTE.match(name)
            and _match_unit(name, unit_match) is not None
            and any(_is_number(c) for j, c in enumerate(cells) if j != name_col)
        ):
            raise InputError(
                f"province row '{name}' after a footnote line",
                file=label,
                row=ln,
                fix="footnotes (注/Note) must come after the last data row; move or delete them.",
            )

    # 4. value columns and their years
    value_cols = [
        j
        for j in range(width)
        if j != name_col and (headers[j] or any(cells[j] for _, cells in data_rows))
    ]
    extra_names = [
        j
        for j in value_cols
        if (vals := [cells[j] for _, cells in data_rows if cells[j]])
        and not any(_is_number(v) for v in vals)
        and sum(_match_unit(v, unit_match) is not None for v in vals) >= len(vals) / 2
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
        ys = sorted(set(_YEAR.findall(headers[j])))
        col_year[j] = int(ys[0]) if len(ys) == 1 else None
    selected = _select_columns(value_cols, headers, columns, label, rows[hdr_start][0])
    with_year = [j for j in selected if col_year[j] is not None]
    if layout == "auto":
        if with_year and len(with_year) == len(selected):
            layout = "years"
        elif not with_year:
            layout = "indicators"
        else:
            raise InputError(
                "some columns carry a year ("
                + ", ".join(repr(headers[j]) for j in with_year)
                + ") and some do not ("
                + ", ".join(repr(headers[j]) for j in selected if j not in with_year)
                + "), so the layout is ambiguous",
                file=label,
                row=rows[hdr_start][0],
                fix="say layout='years' (--layout years) and select the year columns with "
                "columns= (--column), or layout='indicators' with year= (--year).",
            )

    # which indicator and year each selected column becomes
    targets: dict[int, tuple[str, int]] = {}
    if layout == "years":
        if not isinstance(indicator, str) or not indicator:
            raise InputError(
                "a table with years as columns holds one indicator, but no indicator id was given",
                file=label,
                fix="pass indicator='<id>' (--indicator ID) with the codebook id of the series.",
            )
        no_year = [headers[j] for j in selected if col_year[j] is None]
        if no_year:
            raise InputError(
                f"column(s) {no_year} have no year in their header",
                file=label,
                row=rows[hdr_start][0],
                fix="select only the year columns (columns=, --column) or use layout='indicators'.",
            )
        seen: dict[int, str] = {}
        for j in selected:
            y = col_year[j]
            assert y is not None
            if y in seen:
                raise InputError(
                    f"year {y} appears in two columns ({seen[y]!r} and {headers[j]!r})",
                    file=label,
                    row=rows[hdr_start][0],
                    fix="select one of them with columns= (--column).",
                )
            seen[y] = headers[j]
            targets[j] = (indicator, y)
    else:
        if year is None:
            raise InputError(
                "a table with indicators as columns holds one year, but no year was given",
                file=label,
                fix="pass year=<YYYY> (--year) with the year the data refer to (not the yearbook "
                "edition).",
            )
        if isinstance(indicator, Mapping):
            mapping = {
                _find_column(selected, headers, h, label, rows[hdr_start][0]): i
                for h, i in indicator.items()
            }
            targets = {j: (i, int(year)) for j, i in mapping.items()}
        elif isinstance(indicator, str) and indicator:
            if len(selected) != 1:
                raise InputError(
                    f"the table has {len(selected)} value columns ("
                    + ", ".join(repr(headers[j]) for j in selected)
                    + f") but one indicator id '{indicator}' was given",
                    file=label,
                    fix="map each column to an id: indicator={'<header>': '<id>', ...} "
                    "(--indicator 'HEADER=ID', repeated), or select one column (--column).",
                )
            targets = {selected[0]: (indicator, int(year))}
        else:
            raise InputError(
                "no indicator id given for the columns "
                + ", ".join(repr(headers[j]) for j in selected),
                file=label,
                fix="map each column to a codebook id: indicator={'<header>': '<id>'} "
                "(--indicator 'HEADER=ID'); a unique part of the header is enough.",
            )

    # 5b. rows
    obs: list[dict[str, object]] = []
    totals: list[dict[str, object]] = []
    skipped: list[dict[str, object]] = [
        {"line": ln, "label": next((c for c in cells if c), "")[:60], "reason": "footnote"}
        for ln, cells in footer
    ]
    seen_unit: dict[str, int] = {}
    empty_units: list[str] = []
    fname = Path(path).name
    for ln, cells in data_rows:
        name = cells[name_col]
        if not name:
            if any(_is_number(cells[j]) for j in targets):
                raise InputError(
                    "values without a province name",
                    file=label,
                    row=ln,
                    fix="write the province name in the first column of every data row.",
                )
            skipped.append({"line": ln, "label": "", "reason": "no name, no value"})
            continue
        kind = _label_kind(name)
        code = None
        if kind is None:
            code = _match_unit(name, unit_match)
            if code is None:
                raise InputError(
                    f"unknown province name '{name}'{_closest_hint(name)}",
                    file=label,
                    row=ln,
                    column=headers[name_col] or None,
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
        elif kind == "aggregate":
            skipped.append(
                {"line": ln, "label": name, "reason": "regional subtotal or non-provincial row"}
            )
            continue
        n_values = 0
        for j, (ind, y) in targets.items():
            try:
                v = parse_number(cells[j])
            except ValueError:
                raise InputError(
                    f"'{cells[j]}' in column '{headers[j]}' for '{name}' is not a number",
                    file=label,
                    row=ln,
                    column=headers[j],
                    fix="correct the cell: a number (thousands separators are fine), or leave it "
                    "empty / write '…' or '-' for a missing value.",
                ) from None
            if v is None:
                continue
            n_values += 1
            v = v * scale
            if kind == "total":
                totals.append({"label": name, "indicator": ind, "year": y, "value": v, "line": ln})
                continue
            unit_txt = _column_unit(headers[j], table_unit)
            note = f"{fname} line {ln}, column '{headers[j]}'"
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
                    "source_id": source_id,
                    "note": note,
                }
            )
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
    units = {headers[j]: _column_unit(headers[j], table_unit) for j in targets}
    return ImportResult(out, tot, skp, empty_units, units)


def _column_unit(header: str, table_unit: str) -> str:
    m = _UNIT_PAREN.search(header)
    if m:
        return m.group(1).strip()
    m = _UNIT_DECL.search(header)
    return m.group(1).strip() if m else table_unit


def _find_column(
    cols: Sequence[int], headers: Sequence[str], key: str, label: str, line: int
) -> int:
    """Column whose header equals ``key`` or, failing that, uniquely contains it."""
    k = normalise_name(key)
    exact = [j for j in cols if normalise_name(headers[j]) == k]
    if len(exact) == 1:
        return exact[0]
    part = [j for j in cols if k and k in normalise_name(headers[j])]
    if len(part) == 1:
        return part[0]
    have = ", ".join(repr(headers[j]) for j in cols)
    problem = "matches several columns" if part else "matches no column"
    raise InputError(
        f"column '{key}' {problem}; the columns are {have}",
        file=label,
        row=line,
        fix="give the full header text, or a part of it that only one header contains.",
    )


def _select_columns(
    cols: list[int], headers: Sequence[str], columns: Sequence[str] | None, label: str, line: int
) -> list[int]:
    if not columns:
        return cols
    return [_find_column(cols, headers, c, label, line) for c in columns]


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
        indicators, one year) or ``"auto"`` (years when every selected column header holds a
        year, indicators when none does).
    year
        The data year of an ``"indicators"`` table (not the yearbook's edition year).
    sheet
        XLSX sheet name or 0-based position (default: the first sheet).
    columns
        Value columns to import (header text or a unique part of it); default all.
    delimiter
        CSV separator when detection picks the wrong one.
    scale
        Factor applied to every value (e.g. ``10000`` for 万吨 -> 吨); recorded in ``note``.
        Default 1: values are kept as published.
    unit_match
        Name -> canonical code; raises for an unknown name. Default
        :func:`greenindex.data.units.canonical_unit`.
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
        Unknown province (with the closest names), duplicate province, non-numeric cell,
        missing header, ambiguous layout, missing ``year``/``indicator``: the file, line and
        fix are named.

    Examples
    --------
    The 2020 energy bulletin (provinces x indicators, one year)::

        import_wide_table("bulletin2020.csv", source_id="E2020_NBS_EN", year=2020,
                          indicator={"Energy Consumption in 10,000 yuan GDP":
                                     "energy_intensity_change_pct"}, columns=[...])
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


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m greenindex.data.importer TABLE --source-id ID --indicator ID [--year Y] --out F``;
    ``... importer coinr IDATA IMETA --out DIR`` reads a COINr data set (greenindex.data.coinr)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["coinr"]:
        from greenindex.data.coinr import main as coinr_main

        return coinr_main(argv[1:])
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
    a = ap.parse_args(argv)
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
        out = Path(a.out)
        obs = res.observations
        if out.exists() and a.append:
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
        if a.totals_out:
            res.totals.to_csv(a.totals_out, index=False, lineterminator="\n")
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    o = res.observations
    print(
        f"{len(o)} observations of {sorted(o['indicator'].unique())} for {o['unit'].nunique()} "
        f"provinces, years {sorted(o['year'].unique().tolist())} -> {a.out}",
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
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
