"""Reading a COINr data set: iMeta (checked by :mod:`greenindex.data.coinr.meta`), iData and
how the two fit together."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from greenindex.data.coinr.coin import META_REQUIRED, SPECIAL, Coin, is_missing, number
from greenindex.data.coinr.meta import check_meta
from greenindex.data.io import ROW, read_table, reject_duplicates, reject_rows
from greenindex.errors import InputError


def read_coin(idata: str | Path, imeta: str | Path) -> Coin:
    """Read and check COINr's iData and iMeta (CSV or XLSX).

    Raises
    ------
    InputError
        Naming file, line and column: missing required columns, unknown ``Type``, duplicate
        codes, levels that do not form a tree with one top aggregate, a ``Parent`` that is not
        an aggregate one level up, a ``Direction`` other than 1/-1, a negative or missing
        ``Weight``, a ``Denominator`` that is not declared, an iMeta code without an iData
        column or an iData column without an iMeta row, duplicate units (per ``Time``),
        non-numeric values.
    """
    df, mf = str(idata), str(imeta)
    meta = check_meta(read_table(imeta, required=META_REQUIRED, what="COINr iMeta"), mf)
    data = read_table(idata, required=("uCode",), what="COINr iData")
    _check_columns(data, meta, df, mf)
    _check_units(data, df)
    _check_values(data, meta, df)
    return Coin(data=data, meta=meta, data_file=df, meta_file=mf)


def _check_columns(data: pd.DataFrame, meta: pd.DataFrame, df: str, mf: str) -> None:
    """One iData column for each iMeta row other than an aggregate, and no other columns
    (but :data:`~greenindex.data.coinr.coin.SPECIAL`)."""
    described = meta[meta["Type"] != "Aggregate"]
    for _, r in described.iterrows():
        if r["iCode"] not in data.columns:
            raise InputError(
                f"iMeta row '{r['iCode']}' (Type {r['Type']}) has no column in iData",
                file=mf, row=int(r[ROW]), column="iCode",
                fix=f"add the column '{r['iCode']}' to {df} or remove the row.",
            )  # fmt: skip
    extra = [
        c for c in data.columns if c not in (*SPECIAL, ROW) and c not in set(described["iCode"])
    ]
    if extra:
        raise InputError(
            f"column(s) {extra} of iData are not described in iMeta", file=df, row=1, column=extra[0],
            fix="add an iMeta row for each (Type Indicator, Group, Denominator or Other) or remove the column(s).",
        )  # fmt: skip


def _check_units(data: pd.DataFrame, df: str) -> None:
    """A unit code on every row, a year in ``Time`` (if any), one row per unit (and Time)."""
    reject_rows(
        data, data["uCode"] == "", "empty uCode", file=df, column="uCode",
        fix="give every row a unit code.",
    )  # fmt: skip
    if "Time" in data.columns:
        for _, r in data.iterrows():
            t = number(r["Time"])
            if t is None or t != int(t):
                raise InputError(
                    f"Time '{r['Time']}' of unit '{r['uCode']}' is not a year", file=df, row=int(r[ROW]),
                    column="Time", fix="write the year as a whole number (e.g. 2018).",
                )  # fmt: skip
    key = ["uCode", "Time"] if "Time" in data.columns else ["uCode"]
    reject_duplicates(
        data, "uCode", "unit(s) {ids} appear more than once" + (" in the same Time" if len(key) == 2 else ""),
        file=df, fix="keep one row per unit (and Time).", key=key,
    )  # fmt: skip


def _check_values(data: pd.DataFrame, meta: pd.DataFrame, df: str) -> None:
    """Numbers (or missing cells) in every indicator and denominator column."""
    for code in [
        *meta.loc[meta["Type"] == "Indicator", "iCode"],
        *meta.loc[meta["Type"] == "Denominator", "iCode"],
    ]:
        col = data[code]
        bad = [
            (int(rw), v)
            for v, rw in zip(col, data[ROW], strict=True)
            if not is_missing(v) and number(v) is None
        ]
        if bad:
            raise InputError(
                f"'{bad[0][1]}' in column '{code}' is not a number", file=df, row=[b[0] for b in bad], column=code,
                fix="write plain numbers (decimal point, no thousands separator); leave missing cells empty or NA.",
            )  # fmt: skip
