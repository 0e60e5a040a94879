"""Checking COINr's iMeta: codes and types, the tree of levels and parents, directions, weights
and denominators. Every problem raises :class:`~greenindex.errors.InputError` naming the
line and column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenindex.data.coinr.coin import TYPES, is_missing, number
from greenindex.data.io import ROW, reject_duplicates, reject_rows
from greenindex.errors import InputError


def check_meta(meta: pd.DataFrame, f: str) -> pd.DataFrame:
    """iMeta as read from file ``f``, checked; ``Level`` as numbers (NaN outside the tree of
    indicators and aggregates) and a ``Denominator`` column (empty when iMeta has none)."""
    meta = meta.copy()
    _check_codes(meta, f)
    tree = meta["Type"].isin(["Indicator", "Aggregate"])
    levels = _levels(meta, tree, f)
    meta["Level"] = levels
    _check_directions(meta, f)
    top = _top_level(meta, tree, levels, f)
    codes = dict(zip(meta["iCode"], meta["Level"], strict=True))
    for _, r in meta[tree].iterrows():
        _check_parent(r, meta, codes, top, f)
        _check_weight(r, int(r["Level"]) == top, f)
    _check_children(meta, tree, top, f)
    if "Denominator" not in meta.columns:
        meta["Denominator"] = ""
    _check_denominators(meta, f)
    return meta


def _check_codes(meta: pd.DataFrame, f: str) -> None:
    """Known types; a unique, non-empty code on every row; at least one indicator."""
    reject_rows(
        meta,
        ~meta["Type"].isin(TYPES),
        lambda bad: f"Type '{bad.iloc[0]['Type']}' of '{bad.iloc[0]['iCode']}' is not a COINr type",
        file=f, column="Type", fix=f"use one of {list(TYPES)} (case as written).",
    )  # fmt: skip
    reject_rows(
        meta, meta["iCode"] == "", "empty iCode", file=f, column="iCode", fix="give every row a code."
    )  # fmt: skip
    reject_duplicates(
        meta, "iCode", "duplicate iCode(s) {ids}", file=f,
        fix="every indicator, aggregate, group and denominator needs its own code.",
    )  # fmt: skip
    if not (meta["Type"] == "Indicator").any():
        raise InputError(
            "iMeta has no row of Type Indicator",
            file=f,
            column="Type",
            fix="describe each indicator column of iData with Type Indicator and Level 1.",
        )


def _levels(meta: pd.DataFrame, tree: pd.Series, f: str) -> list[float]:
    """The ``Level`` of each row of the ``tree`` (a whole number >= 1, 1 for exactly the
    indicators); NaN for the other rows."""
    levels: list[float] = []
    for i, r in meta.iterrows():
        if not tree[i]:
            levels.append(np.nan)
            continue
        lv = number(r["Level"])
        if lv is None or lv != int(lv) or lv < 1:
            raise InputError(
                f"Level '{r['Level']}' of '{r['iCode']}' is not a whole number >= 1",
                file=f, row=int(r[ROW]), column="Level",
                fix="indicators are level 1; each aggregate is one level above its children.",
            )  # fmt: skip
        if (r["Type"] == "Indicator") != (lv == 1):
            raise InputError(
                f"'{r['iCode']}' is of Type {r['Type']} at Level {int(lv)}",
                file=f, row=int(r[ROW]), column="Level",
                fix="Type Indicator goes with Level 1 and Type Aggregate with Level 2 or higher.",
            )  # fmt: skip
        levels.append(int(lv))
    return levels


def _check_directions(meta: pd.DataFrame, f: str) -> None:
    for _, r in meta[meta["Type"] == "Indicator"].iterrows():
        if number(r["Direction"]) not in (1.0, -1.0):
            raise InputError(
                f"Direction of indicator '{r['iCode']}' is '{r['Direction']}', not 1 or -1",
                file=f, row=int(r[ROW]), column="Direction",
                fix="write 1 if a higher value is better, -1 if a lower value is better.",
            )  # fmt: skip


def _top_level(meta: pd.DataFrame, tree: pd.Series, levels: list[float], f: str) -> int:
    """The highest level, which must hold exactly one aggregate (the index)."""
    top = int(np.nanmax(np.asarray(levels, dtype=float)))
    roots = meta[tree & (meta["Level"] == top)]
    if len(roots) != 1:
        raise InputError(
            f"{len(roots)} aggregates at the top level {top} ({list(roots['iCode'])}); the index needs one",
            file=f, row=list(roots[ROW]), column="Level",
            fix="add one aggregate (e.g. 'Index') one level higher as the parent of these.",
        )  # fmt: skip
    return top


def _check_parent(
    r: pd.Series, meta: pd.DataFrame, codes: dict[str, float], top: int, f: str
) -> None:
    """The ``Parent`` of a node of the tree: none for the top aggregate, else an aggregate
    exactly one level up."""
    parent, lv = r["Parent"], int(r["Level"])
    if r["Type"] == "Aggregate" and lv == top:
        if not is_missing(parent):
            raise InputError(
                f"'{r['iCode']}' is at the top level ({top}) but has Parent '{parent}'",
                file=f, row=int(r[ROW]), column="Parent", fix="leave the Parent of the top aggregate empty.",
            )  # fmt: skip
        return
    if is_missing(parent):
        raise InputError(
            f"'{r['iCode']}' (Level {lv}) has no Parent",
            file=f, row=int(r[ROW]), column="Parent",
            fix=f"name the aggregate of Level {lv + 1} it belongs to.",
        )  # fmt: skip
    if parent not in codes or meta.loc[meta["iCode"] == parent, "Type"].iloc[0] != "Aggregate":
        raise InputError(
            f"Parent '{parent}' of '{r['iCode']}' is not an aggregate in iMeta",
            file=f, row=int(r[ROW]), column="Parent",
            fix="add a row of Type Aggregate with that iCode, or correct the name.",
        )  # fmt: skip
    if codes[parent] != lv + 1:
        raise InputError(
            f"Parent '{parent}' of '{r['iCode']}' is at Level {int(codes[parent])}, not {lv + 1}",
            file=f, row=int(r[ROW]), column="Parent",
            fix="each node's parent must be exactly one level above it.",
        )  # fmt: skip


def _check_weight(r: pd.Series, is_top: bool, f: str) -> None:
    """A ``Weight`` >= 0 on every node of the tree (it may be empty on the top aggregate)."""
    w = number(r["Weight"])
    if (w is None and not (r["Type"] == "Aggregate" and is_top)) or (w is not None and w < 0):
        raise InputError(
            f"Weight '{r['Weight']}' of '{r['iCode']}' is not a number >= 0",
            file=f, row=int(r[ROW]), column="Weight",
            fix="give every indicator and aggregate below the top a weight (relative within its parent).",
        )  # fmt: skip


def _check_children(meta: pd.DataFrame, tree: pd.Series, top: int, f: str) -> None:
    """Every aggregate is the parent of some node."""
    for lv in range(2, top + 1):
        for _, r in meta[tree & (meta["Level"] == lv)].iterrows():
            if not (meta["Parent"] == r["iCode"]).any():
                raise InputError(
                    f"aggregate '{r['iCode']}' has no children", file=f, row=int(r[ROW]), column="iCode",
                    fix="remove it or name it as the Parent of the nodes one level below.",
                )  # fmt: skip


def _check_denominators(meta: pd.DataFrame, f: str) -> None:
    """An indicator's ``Denominator`` is empty or a row of Type Denominator."""
    dens = set(meta.loc[meta["Type"] == "Denominator", "iCode"])
    for _, r in meta[meta["Type"] == "Indicator"].iterrows():
        den = r["Denominator"]
        if not is_missing(den) and den not in dens:
            raise InputError(
                f"Denominator '{den}' of indicator '{r['iCode']}' is not a row of Type Denominator",
                file=f, row=int(r[ROW]), column="Denominator",
                fix="add a row with that iCode and Type Denominator (and the column in iData), or clear the cell.",
            )  # fmt: skip
