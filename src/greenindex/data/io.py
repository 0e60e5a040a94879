"""Reading input tables and writing deterministic outputs.

Input tables are read as text first (every cell a string) so that validation can say exactly
which cell is wrong, rather than letting a parser guess types silently. A ``_row`` column
carries the 1-based line number as a researcher sees it in an editor or spreadsheet (header =
line 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greenindex.errors import InputError

ROW = "_row"


def read_table(
    path: str | Path,
    *,
    required: Sequence[str] = (),
    what: str = "table",
    sheet: str | int | None = 0,
) -> pd.DataFrame:
    """Read a CSV or XLSX table as strings, with a ``_row`` line-number column.

    Raises
    ------
    InputError
        When the file is missing, cannot be parsed (the message gives the line), has
        duplicate or missing required columns.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(
            f"the {what} file does not exist",
            file=str(p),
            fix="check the path in config/config.yaml under 'data'.",
        )
    if p.is_dir():
        raise InputError(
            f"the path given for the {what} is a directory, not a file",
            file=str(p),
            fix="give the path of the file itself (e.g. .../observations.csv) in config/config.yaml under 'data'.",
        )
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            df = pd.read_excel(p, sheet_name=sheet, dtype=str, keep_default_na=False)
        except Exception as exc:  # openpyxl raises many types
            raise InputError(
                f"cannot read the {what} as an Excel workbook: {exc}", file=str(p)
            ) from exc
    elif suffix in (".csv", ".txt", ".tsv"):
        df = _read_csv_text(p, what=what, sep="\t" if suffix == ".tsv" else ",")
    else:
        raise InputError(
            f"unsupported file type '{suffix}' for the {what}",
            file=str(p),
            fix="give a .csv or .xlsx file.",
        )
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    dup = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if dup:
        raise InputError(
            f"duplicate column name(s) {dup} in the {what}",
            file=str(p),
            row=1,
            fix="give every column a unique name.",
        )
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            f"the {what} lacks required column(s) {missing}; it has {list(df.columns)}",
            file=str(p),
            row=1,
            fix=f"add the column(s) {missing} to the header line (see data/raw/README.md for the format).",
        )
    for c in df.columns:
        if c != ROW:
            df[c] = df[c].astype(str).str.strip()
    if ROW not in df.columns:
        df[ROW] = range(2, len(df) + 2)
    return df


def _read_csv_text(p: Path, *, what: str, sep: str) -> pd.DataFrame:
    rows = csv_rows(decode_text(p.read_bytes(), file=str(p), what=what), sep=sep, file=str(p))
    if not rows:
        raise InputError(
            f"the {what} is empty", file=str(p), fix="the first line must be a header."
        )
    header = rows[0][1]
    bad = [(ln, len(r)) for ln, r in rows[1:] if len(r) != len(header)]
    if bad:
        ln, n = bad[0]
        raise InputError(
            f"malformed CSV: line {ln} has {n} fields but the header has {len(header)}"
            + (f" ({len(bad)} such lines)" if len(bad) > 1 else ""),
            file=str(p),
            row=ln,
            fix="check for an unquoted comma inside a value (quote it) or a missing/extra separator.",
        )
    df = pd.DataFrame([r for _, r in rows[1:]], columns=header, dtype=str)
    df[ROW] = [ln for ln, _ in rows[1:]]
    return df


def decode_text(raw: bytes, *, file: str, what: str = "table") -> str:
    """The bytes of a text table as UTF-8 (with or without BOM) or else GB18030 text."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(  # pragma: no cover - gb18030 decodes almost anything
        f"the {what} is neither UTF-8 nor GB18030 text", file=file, fix="save it as UTF-8 CSV."
    )


def csv_rows(
    text: str,
    *,
    sep: str,
    file: str,
    problem: str = "malformed CSV near line {line}: {exc}",
) -> list[tuple[int, list[str]]]:
    """The non-empty lines of CSV ``text`` as ``(line number, cells)``, cells stripped.

    Line numbers are those an editor shows (a quoted line break makes a record span lines:
    its number is that of its last line). A quoting error raises :class:`InputError` with
    ``problem`` (filled with ``line`` and ``exc``).

    Examples
    --------
    >>> csv_rows('id, name\\n\\n a ,"b, c"\\n', sep=",", file="t.csv")
    [(1, ['id', 'name']), (3, ['a', 'b, c'])]
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[tuple[int, list[str]]] = []
    try:
        for r in reader:
            cells = [c.strip() for c in r]
            if any(cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise InputError(
            problem.format(line=reader.line_num, exc=exc),
            file=file,
            row=reader.line_num,
            fix="check the quoting on that line.",
        ) from exc
    return rows


#: Infix of the temporary files :func:`atomic_path` writes (removed at start-up if left over).
TMP_INFIX = ".partial-"


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path next to ``path`` that replaces ``path`` only when the block succeeds.

    The writer writes to ``<dir>/.<name>.partial-<pid><suffix>`` (same directory, so the final
    :func:`os.replace` is an atomic rename on POSIX and Windows; same suffix, so writers that
    pick a format from the file name still do). An interrupted or failed write therefore
    never leaves a truncated file under the final name: readers see the old file or the new
    one, never half of it. On an error the temporary file is removed.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_dir():
        raise IsADirectoryError(f"cannot write {final}: it is a directory")
    tmp = final.with_name(f".{final.stem}{TMP_INFIX}{os.getpid()}{final.suffix}")
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(text: str, path: str | Path) -> None:
    """Write UTF-8 text atomically (see :func:`atomic_path`)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(obj: Any, path: str | Path, **kwargs: Any) -> None:
    """Write JSON atomically, indented, keys sorted, UTF-8 (keyword arguments go to json.dump)."""
    opts = {"indent": 2, "sort_keys": True, "ensure_ascii": False, **kwargs}
    write_text(json.dumps(obj, **opts) + "\n", path)


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool = False) -> None:
    """Write a CSV deterministically (UTF-8, ``\\n`` line ends, shortest round-trip floats).

    The file is written atomically (:func:`atomic_path`).
    """
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=index, lineterminator="\n", encoding="utf-8")


def sha256(path: str | Path) -> str:
    """SHA-256 hex digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_panel(path: str | Path) -> pd.DataFrame:
    """Read a wide panel CSV written by the workflow (``unit, year, <columns>``)."""
    df = pd.read_csv(path, dtype={"unit": str})
    return df.set_index(["unit", "year"]).sort_index()


def write_panel(df: pd.DataFrame, path: str | Path) -> None:
    """Write a wide panel indexed by (unit, year) as CSV."""
    write_csv(df.reset_index(), path)


Text = str | Callable[[pd.DataFrame], str]


def reject_rows(
    table: pd.DataFrame,
    mask: pd.Series | np.ndarray,
    problem: Text,
    *,
    file: str,
    column: str | None = None,
    fix: Text | None = None,
) -> None:
    """Raise :class:`InputError` naming every row of ``table`` where ``mask`` holds (by its
    ``_row`` line); ``problem`` and ``fix`` are texts or functions of those rows.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["a", "", ""], ROW: [2, 3, 4]})
    >>> reject_rows(t, t["id"] == "", "empty id", file="codebook.csv", column="id")
    Traceback (most recent call last):
    ...
    greenindex.errors.InputError: Input error in file codebook.csv, rows 3, 4, column 'id': empty id
    """
    bad = table[mask]
    if len(bad):
        raise InputError(
            problem(bad) if callable(problem) else problem,
            file=file,
            row=list(bad[ROW]),
            column=column,
            fix=fix(bad) if callable(fix) else fix,
        )


def reject_duplicates(
    table: pd.DataFrame,
    column: str,
    problem: str,
    *,
    file: str,
    fix: str | None = None,
    key: Sequence[str] | None = None,
) -> None:
    """Raise :class:`InputError` naming every row whose ``key`` (default ``[column]``) is not
    unique; ``problem`` holds ``{ids}``, filled with the sorted repeated values of ``column``.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["a", "b", "a"], ROW: [2, 3, 4]})
    >>> reject_duplicates(t, "id", "duplicate id(s) {ids}", file="codebook.csv")
    Traceback (most recent call last):
    ...
    greenindex.errors.InputError: Input error in file codebook.csv, rows 2, 4, column 'id': duplicate id(s) ['a']
    """
    reject_rows(
        table,
        table.duplicated(list(key or [column]), keep=False),
        lambda dup: problem.format(ids=sorted(set(dup[column]))),
        file=file,
        column=column,
        fix=fix,
    )
