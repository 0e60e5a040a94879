"""The input tables other than the observations: codebook, units, framework, sources."""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from greenindex.data.io import ROW, read_table, reject_duplicates, reject_rows
from greenindex.data.units import UnitMatcher
from greenindex.errors import InputError

ROLES = ("indicator", "variable", "recommended")
NA_TOKENS = {"", "na", "nan", "n/a", "null", "none"}
YES_TOKENS = {"yes", "y", "true", "1"}
NO_TOKENS = {"", "no", "n", "false", "0"}
#: Optional codebook column: ``yes`` = a 0 in this series means "missing".
ZERO_MISSING = "zero_means_missing"

CODEBOOK_COLUMNS = (
    "id", "role", "name_zh", "name_en", "unit", "dimension", "direction", "weight",
    "numerator", "denominator", "scale", "source_id", "min_value", "max_value", "rationale",
)  # fmt: skip


def _num(s: str) -> float | None:
    t = s.strip()
    if t.lower() in NA_TOKENS:
        return None
    return float(t)


def _closest(name: str, known: set[str]) -> str:
    hits = difflib.get_close_matches(str(name), sorted(known), n=3, cutoff=0.5)
    return f" (closest known: {', '.join(hits)})" if hits else ""


def _directions(cb: pd.DataFrame, f: str) -> list[float]:
    """The ``direction`` column as +1 / -1 (NaN for an empty direction of a non-indicator)."""
    dirs = []
    for _, r in cb.iterrows():
        d = r["direction"].strip()
        if r["role"] != "indicator" and d == "":
            dirs.append(np.nan)
            continue
        try:
            v = float(d)
        except ValueError:
            v = np.nan
        if v not in (1.0, -1.0):
            raise InputError(
                f"direction of '{r['id']}' is '{d}', not +1 or -1",
                file=f,
                row=int(r[ROW]),
                column="direction",
                fix="write 1 for a benefit indicator (higher is better) or -1 for a cost indicator (lower is better).",
            )
        dirs.append(v)
    return dirs


def _numbers(cb: pd.DataFrame, f: str) -> None:
    """Parse ``weight``, ``scale``, ``min_value`` and ``max_value`` in place (defaults for
    empty cells; weights >= 0, scale non-zero)."""
    for col, default in (
        ("weight", 1.0),
        ("scale", 1.0),
        ("min_value", np.nan),
        ("max_value", np.nan),
    ):
        cb[col] = [_number_cell(r, col, default, f) for _, r in cb.iterrows()]


def _number_cell(r: pd.Series, col: str, default: float, f: str) -> float:
    """The number in column ``col`` of codebook row ``r`` (``default`` when empty)."""

    def error(problem: str, fix: str) -> InputError:
        return InputError(problem, file=f, row=int(r[ROW]), column=col, fix=fix)

    try:
        v = _num(r[col])
    except ValueError:
        raise error(
            f"'{r[col]}' is not a number",
            "write a plain number (decimal point, no thousands separator) or leave it empty.",
        ) from None
    v = default if v is None else v
    if col == "weight" and v < 0:
        raise error(f"negative {col} {v} for '{r['id']}'", "weights must be >= 0.")
    if col == "scale" and v == 0:
        raise error(f"scale 0 for '{r['id']}'", "use a non-zero scale factor.")
    return v


def read_codebook(path: str | Path) -> pd.DataFrame:
    """Read and check the codebook (see module docstring)."""
    f = str(path)
    cb = read_table(path, required=("id", "name_en", "dimension", "direction"), what="codebook")
    for c in CODEBOOK_COLUMNS:
        if c not in cb.columns:
            cb[c] = ""
    cb.loc[cb["role"] == "", "role"] = "indicator"
    reject_rows(
        cb,
        ~cb["role"].isin(ROLES),
        lambda bad: f"unknown role '{bad.iloc[0]['role']}' for '{bad.iloc[0]['id']}'",
        file=f,
        column="role",
        fix=f"use one of {list(ROLES)}.",
    )
    reject_rows(
        cb, cb["id"] == "", "empty indicator id", file=f, column="id", fix="give every row an id."
    )
    reject_duplicates(
        cb,
        "id",
        "duplicate id(s) {ids}",
        file=f,
        fix="each series must appear once in the codebook.",
    )
    ind = cb["role"] == "indicator"
    cb["direction"] = _directions(cb, f)
    reject_rows(
        cb,
        ind & (cb["dimension"] == ""),
        lambda bad: f"indicator(s) {list(bad['id'])} have no dimension",
        file=f,
        column="dimension",
        fix="name the dimension (pillar) each indicator belongs to.",
    )
    _numbers(cb, f)
    ids = set(cb["id"])
    for col in ("numerator", "denominator"):
        _reject_unknown_ids(cb, col, ids, f)
    if ZERO_MISSING in cb.columns:
        flags = cb[ZERO_MISSING].str.strip().str.lower()
        reject_rows(
            cb,
            ~flags.isin(YES_TOKENS | NO_TOKENS),
            lambda bad: f"'{bad.iloc[0][ZERO_MISSING]}' is neither yes nor no",
            file=f,
            column=ZERO_MISSING,
            fix="write 'yes' when a 0 in this series means a missing value, "
            "'no' or nothing otherwise.",
        )
        cb[ZERO_MISSING] = flags.isin(YES_TOKENS)
    cb["used"] = ind
    return cb


def _reject_unknown_ids(cb: pd.DataFrame, col: str, ids: set[str], f: str) -> None:
    """Each non-empty ``col`` (``numerator``, ``denominator``) names an id of the codebook."""

    def first(bad: pd.DataFrame) -> str:
        return str(bad.iloc[0][col])

    reject_rows(
        cb,
        (cb[col] != "") & ~cb[col].isin(ids),
        lambda bad: (
            f"{col} '{first(bad)}' of '{bad.iloc[0]['id']}' is not an id in the "
            f"codebook{_closest(first(bad), ids)}"
        ),
        file=f,
        column=col,
        fix=lambda bad: f"add a row with role 'variable' for '{first(bad)}' or correct the id.",
    )


def read_units(path: str | Path, *, match: str = "china_provinces") -> pd.DataFrame:
    """Read the units table; with ``match='china_provinces'`` unit spellings become ISO codes."""
    f = str(path)
    u = read_table(path, required=("unit",), what="units table")
    if match == "china_provinces":
        u["unit"] = UnitMatcher.china_provinces().match(
            u["unit"], file=f, column="unit", rows=list(u[ROW])
        )
    elif match != "exact":
        raise ValueError(f"unknown unit matching mode {match!r}")
    reject_duplicates(
        u,
        "unit",
        "unit(s) {ids} listed more than once",
        file=f,
        fix="list each unit once (different spellings of one province count as the same unit).",
    )
    return u


def read_framework(path: str | Path | None) -> pd.DataFrame | None:
    """Read the optional framework table (aggregate levels)."""
    if path is None or str(path) == "":
        return None
    fw = read_table(path, required=("id", "parent"), what="framework table")
    for c in ("name_zh", "name_en", "weight"):
        if c not in fw.columns:
            fw[c] = ""
    reject_duplicates(fw, "id", "duplicate node id(s) {ids}", file=str(path))
    for _, r in fw.iterrows():
        if r["weight"] != "":
            try:
                w = float(r["weight"])
            except ValueError:
                raise InputError(
                    f"weight '{r['weight']}' is not a number",
                    file=str(path),
                    row=int(r[ROW]),
                    column="weight",
                ) from None
            if w < 0:
                raise InputError(
                    f"negative weight {w}",
                    file=str(path),
                    row=int(r[ROW]),
                    column="weight",
                    fix="weights must be >= 0.",
                )
    return fw


def read_sources(path: str | Path | None) -> pd.DataFrame | None:
    """Read the optional sources table."""
    if path is None or str(path) == "":
        return None
    s = read_table(path, required=("source_id",), what="sources table")
    reject_duplicates(s, "source_id", "duplicate source id(s) {ids}", file=str(path))
    return s
