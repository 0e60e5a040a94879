"""Cells of a yearbook table: reading rows as text and telling what a cell holds.

The pieces :mod:`greenindex.data.wide_table` builds its reader from: the grid of a CSV or XLSX
file (:func:`read_grid`), numbers as yearbooks print them (:func:`parse_number`), province and
total labels, footnote lines, unit declarations and header lookup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from greenindex.data.io import csv_rows, decode_text
from greenindex.data.units import UnitMatcher, normalise_name
from greenindex.errors import InputError

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
FOOTNOTE = re.compile(
    r"^\s*(注|附注|说明|资料来源|数据来源|来源|备注|Notes?\b|Sources?\b|Remarks?\b|[*＊※]|[①-⑳]|\[\d+\]|[（(]\d+[)）]\s*\S{8,})",
    re.IGNORECASE,
)
UNIT_DECL = re.compile(r"(?:计量单位|单位|Units?)\s*[:：]\s*([^|;；]+)", re.IGNORECASE)
UNIT_PAREN = re.compile(r"[（(]([^()（）]{1,40})[)）]\s*$")
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,\u00a0\u2009\u202f ]\d{3})+(\.\d+)?$")
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")

UnitMatch = Callable[[str], str]


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if np.isnan(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v).strip()


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
    text = decode_text(p.read_bytes(), file=str(p))
    sep = delimiter or ("\t" if suffix == ".tsv" else _sniff_delimiter(text))
    rows = csv_rows(text, sep=sep, file=str(p), problem="malformed CSV: {exc}")
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
    if THOUSANDS.match(t):
        t = re.sub(r"[,\u00a0\u2009\u202f ]", "", t)
    t = t.removeprefix("+")
    return float(t)


def is_number(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def match_unit(name: str, unit_match: UnitMatch) -> str | None:
    """Canonical code of a row label or ``None``; bilingual labels are tried part by part."""
    tries = [name]
    if CJK.search(name) and LATIN.search(name):
        tries += [
            "".join(CJK.findall(name)),
            " ".join(re.findall(r"[A-Za-z][A-Za-z .'-]*", name)).strip(),
        ]
    for t in tries:
        try:
            return unit_match(t)
        except (InputError, KeyError, LookupError, ValueError):
            continue
    return None


def label_kind(name: str) -> str | None:
    key = normalise_name(name)
    parts = [key]
    if CJK.search(name) and LATIN.search(name):
        parts += [
            normalise_name("".join(CJK.findall(name))),
            normalise_name(re.sub(CJK, "", name)),
        ]
    if any(k in TOTAL_LABELS for k in parts):
        return "total"
    if any(k in AGGREGATE_LABELS for k in parts):
        return "aggregate"
    return None


def is_footer(name: str, cells: Sequence[str], name_col: int) -> bool:
    """A footnote line: a note marker, or a lone line of prose below the table."""
    if name and FOOTNOTE.match(name):
        return True
    others = [c for j, c in enumerate(cells) if c and j != name_col]
    if not name:
        return len(others) == 1 and not is_number(others[0])
    # prose (a sentence, not a name) with nothing in the value columns
    return not others and (len(name) > 12 or any(ch in name for ch in ":：。，,;；"))


def closest_hint(name: str) -> str:
    close = UnitMatcher.china_provinces().closest(name)
    return f"; closest known names: {', '.join(close)}" if close else ""


def column_unit(header: str, table_unit: str) -> str:
    m = UNIT_PAREN.search(header)
    if m:
        return m.group(1).strip()
    m = UNIT_DECL.search(header)
    return m.group(1).strip() if m else table_unit


def find_column(
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


def select_columns(
    cols: list[int], headers: Sequence[str], columns: Sequence[str] | None, label: str, line: int
) -> list[int]:
    if not columns:
        return cols
    return [find_column(cols, headers, c, label, line) for c in columns]
