"""COINr's input format (iData, iMeta) -> the workflow's input tables.

COINr (Becker et al. 2022), the R toolkit for composite indicators, describes a data set with
two tables:

iData
    one row per unit (and per ``Time`` in a panel): ``uCode`` (required), ``uName`` and
    ``Time`` (optional), one column per indicator and per denominator, and the group columns.
iMeta
    one row per column of iData and per aggregate: ``iCode, iName, Level, Direction, Weight,
    Parent, Type`` (required) and ``Unit, Target, Denominator`` (optional). ``Type`` is
    ``Indicator`` (level 1), ``Aggregate`` (levels 2, 3, ...; the top level has no parent),
    ``Group`` (a grouping of units), ``Denominator`` (a series indicators may be divided by)
    or ``Other`` (carried along, not used).

:func:`read_coin` checks both tables and :func:`coin_tables` turns them into the workflow's
input contract (``data/raw/README.md``):

- ``observations``: ``unit, year, indicator, value, source_id`` for every indicator and
  denominator cell that has a value (empty and ``NA`` cells are gaps and are omitted);
- ``codebook``: one ``indicator`` row per ``Indicator`` (``dimension`` = its parent,
  ``direction`` and ``weight`` carried over, ``denominator`` = its iMeta ``Denominator``,
  i.e. the derived ratio ``indicator / denominator`` with scale 1, which the workflow forms
  when ``treat.denominate`` is true, as COINr's ``Denominate`` does) and one ``variable`` row
  per ``Denominator``;
- ``framework``: the ``Aggregate`` nodes with their parents and weights;
- ``units``: ``unit, name_zh, name_en`` and one column per ``Group``: each group column is a
  region scheme the config can name (``regions.scheme``, ``treat.impute.group``);
- ``sources``: one row for the coin.

COINr has no Chinese names, so ``name_zh`` repeats ``iName`` / ``uName``. iData without a
``Time`` column is a cross-section: its year is given by the caller. Every problem raises
:class:`~greenindex.errors.InputError` naming the file, the line (header = line 1) and the
column.

Command line (a subcommand of the table importer)::

    python -m greenindex.data.importer coinr iData.csv iMeta.csv --out DIR [--year Y]

References
----------
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E. and Saisana, M. (2022).
COINr: an R package for developing composite indicators. Journal of Open Source Software
7(78), 4567. https://doi.org/10.21105/joss.04567
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from greenindex.data.io import ROW, read_table, reject_duplicates, write_csv
from greenindex.errors import InputError

META_REQUIRED = ("iCode", "iName", "Level", "Direction", "Weight", "Parent", "Type")
TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
#: iData columns that are not described in iMeta.
SPECIAL = ("uCode", "uName", "Time")
#: Cell texts that mean "missing" (R writes NA; spreadsheets leave the cell empty).
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "#n/a"})
DEFAULT_SOURCE_ID = "COINR"
TABLES = ("observations", "codebook", "framework", "units", "sources")


@dataclass(frozen=True)
class Coin:
    """A checked COINr data set: iData and iMeta as read (strings, with ``_row`` lines)."""

    data: pd.DataFrame
    meta: pd.DataFrame
    data_file: str
    meta_file: str

    def of_type(self, kind: str) -> pd.DataFrame:
        return self.meta[self.meta["Type"] == kind]

    @property
    def indicators(self) -> list[str]:
        return list(self.of_type("Indicator")["iCode"])

    @property
    def groups(self) -> list[str]:
        return list(self.of_type("Group")["iCode"])

    @property
    def denominators(self) -> list[str]:
        return list(self.of_type("Denominator")["iCode"])


def _missing(text: str) -> bool:
    return text.strip().lower() in MISSING


def _number(text: str) -> float | None:
    if _missing(text):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _check_meta(meta: pd.DataFrame, f: str) -> pd.DataFrame:
    meta = meta.copy()
    bad = meta[~meta["Type"].isin(TYPES)]
    if len(bad):
        r = bad.iloc[0]
        raise InputError(
            f"Type '{r['Type']}' of '{r['iCode']}' is not a COINr type",
            file=f, row=list(bad[ROW]), column="Type",
            fix=f"use one of {list(TYPES)} (case as written).",
        )  # fmt: skip
    empty = meta[meta["iCode"] == ""]
    if len(empty):
        raise InputError(
            "empty iCode",
            file=f,
            row=list(empty[ROW]),
            column="iCode",
            fix="give every row a code.",
        )
    reject_duplicates(
        meta, "iCode", "duplicate iCode(s) {ids}", file=f,
        fix="every indicator, aggregate, group and denominator needs its own code.",
    )  # fmt: skip
    tree = meta["Type"].isin(["Indicator", "Aggregate"])
    if not (meta["Type"] == "Indicator").any():
        raise InputError(
            "iMeta has no row of Type Indicator",
            file=f,
            column="Type",
            fix="describe each indicator column of iData with Type Indicator and Level 1.",
        )
    levels = []
    for i, r in meta.iterrows():
        if not tree[i]:
            levels.append(np.nan)
            continue
        lv = _number(r["Level"])
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
    meta["Level"] = levels
    for _, r in meta[meta["Type"] == "Indicator"].iterrows():
        d = _number(r["Direction"])
        if d not in (1.0, -1.0):
            raise InputError(
                f"Direction of indicator '{r['iCode']}' is '{r['Direction']}', not 1 or -1",
                file=f, row=int(r[ROW]), column="Direction",
                fix="write 1 if a higher value is better, -1 if a lower value is better.",
            )  # fmt: skip
    top = int(np.nanmax(np.asarray(levels, dtype=float)))
    roots = meta[tree & (meta["Level"] == top)]
    if len(roots) != 1:
        raise InputError(
            f"{len(roots)} aggregates at the top level {top} ({list(roots['iCode'])}); the index needs one",
            file=f, row=list(roots[ROW]), column="Level",
            fix="add one aggregate (e.g. 'Index') one level higher as the parent of these.",
        )  # fmt: skip
    codes = dict(zip(meta["iCode"], meta["Level"], strict=True))
    for _, r in meta[tree].iterrows():
        parent, lv = r["Parent"], int(r["Level"])
        is_top = lv == top
        if r["Type"] == "Aggregate" and is_top:
            if not _missing(parent):
                raise InputError(
                    f"'{r['iCode']}' is at the top level ({top}) but has Parent '{parent}'",
                    file=f, row=int(r[ROW]), column="Parent", fix="leave the Parent of the top aggregate empty.",
                )  # fmt: skip
        else:
            if _missing(parent):
                raise InputError(
                    f"'{r['iCode']}' (Level {lv}) has no Parent",
                    file=f, row=int(r[ROW]), column="Parent",
                    fix=f"name the aggregate of Level {lv + 1} it belongs to.",
                )  # fmt: skip
            if (
                parent not in codes
                or meta.loc[meta["iCode"] == parent, "Type"].iloc[0] != "Aggregate"
            ):
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
        w = _number(r["Weight"])
        if (w is None and not (r["Type"] == "Aggregate" and is_top)) or (w is not None and w < 0):
            raise InputError(
                f"Weight '{r['Weight']}' of '{r['iCode']}' is not a number >= 0",
                file=f, row=int(r[ROW]), column="Weight",
                fix="give every indicator and aggregate below the top a weight (relative within its parent).",
            )  # fmt: skip
    for lv in range(2, top + 1):
        for _, r in meta[tree & (meta["Level"] == lv)].iterrows():
            if not (meta["Parent"] == r["iCode"]).any():
                raise InputError(
                    f"aggregate '{r['iCode']}' has no children", file=f, row=int(r[ROW]), column="iCode",
                    fix="remove it or name it as the Parent of the nodes one level below.",
                )  # fmt: skip
    if "Denominator" not in meta.columns:
        meta["Denominator"] = ""
    dens = set(meta.loc[meta["Type"] == "Denominator", "iCode"])
    for _, r in meta[meta["Type"] == "Indicator"].iterrows():
        den = r["Denominator"]
        if not _missing(den) and den not in dens:
            raise InputError(
                f"Denominator '{den}' of indicator '{r['iCode']}' is not a row of Type Denominator",
                file=f, row=int(r[ROW]), column="Denominator",
                fix="add a row with that iCode and Type Denominator (and the column in iData), or clear the cell.",
            )  # fmt: skip
    return meta


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
    meta = _check_meta(read_table(imeta, required=META_REQUIRED, what="COINr iMeta"), mf)
    data = read_table(idata, required=("uCode",), what="COINr iData")
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
    blank = data[data["uCode"] == ""]
    if len(blank):
        raise InputError(
            "empty uCode",
            file=df,
            row=list(blank[ROW]),
            column="uCode",
            fix="give every row a unit code.",
        )
    if "Time" in data.columns:
        for _, r in data.iterrows():
            t = _number(r["Time"])
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
    for code in [
        *meta.loc[meta["Type"] == "Indicator", "iCode"],
        *meta.loc[meta["Type"] == "Denominator", "iCode"],
    ]:
        col = data[code]
        bad = [
            (int(rw), v)
            for v, rw in zip(col, data[ROW], strict=True)
            if not _missing(v) and _number(v) is None
        ]
        if bad:
            raise InputError(
                f"'{bad[0][1]}' in column '{code}' is not a number", file=df, row=[b[0] for b in bad], column=code,
                fix="write plain numbers (decimal point, no thousands separator); leave missing cells empty or NA.",
            )  # fmt: skip
    return Coin(data=data, meta=meta, data_file=df, meta_file=mf)


def coin_tables(
    coin: Coin,
    *,
    year: int | None = None,
    source_id: str = DEFAULT_SOURCE_ID,
    title: str | None = None,
) -> dict[str, pd.DataFrame]:
    """The coin as the workflow's input tables (see the module docstring).

    Parameters
    ----------
    coin
        From :func:`read_coin`.
    year
        The year of a cross-section without a ``Time`` column (required then; ignored when
        iData has ``Time``).
    source_id
        Source id of every observation.
    title
        Title of the ``sources`` row (default: the iData file name).
    """
    data = coin.data
    if "Time" in data.columns:
        years = data["Time"].astype(float).astype(int)
    elif year is None:
        raise InputError(
            "iData has no Time column, so the year of the data is not known", file=coin.data_file, row=1,
            fix="give the year of the cross-section (--year YEAR on the command line).",
        )  # fmt: skip
    else:
        years = pd.Series(int(year), index=data.index)
    ind, den = coin.indicators, coin.denominators
    series = [*ind, *den]
    long = data.assign(year=years)[["uCode", "year", *series]].melt(
        id_vars=["uCode", "year"], value_vars=series, var_name="indicator", value_name="value"
    )
    long = long[~long["value"].map(_missing)]
    obs = pd.DataFrame(
        {
            "unit": long["uCode"].astype(str),
            "year": long["year"].astype(int),
            "indicator": long["indicator"].astype(str),
            "value": long["value"].astype(float),
            "source_id": source_id,
        }
    ).reset_index(drop=True)

    def opt(r: pd.Series, col: str) -> str:
        v = str(r.get(col, "")) if col in r.index else ""
        return "" if _missing(v) else v

    rows = []
    for _, r in coin.of_type("Indicator").iterrows():
        rows.append(
            {
                "id": r["iCode"], "role": "indicator", "name_zh": r["iName"] or r["iCode"],
                "name_en": r["iName"] or r["iCode"], "unit": opt(r, "Unit"), "dimension": r["Parent"],
                "direction": int(float(r["Direction"])), "weight": float(r["Weight"]), "numerator": "",
                "denominator": opt(r, "Denominator"), "scale": 1.0, "source_id": source_id,
            }
        )  # fmt: skip
    for _, r in coin.of_type("Denominator").iterrows():
        rows.append(
            {
                "id": r["iCode"], "role": "variable", "name_zh": r["iName"] or r["iCode"],
                "name_en": r["iName"] or r["iCode"], "unit": opt(r, "Unit"), "dimension": "", "direction": "",
                "weight": "", "numerator": "", "denominator": "", "scale": "", "source_id": source_id,
            }
        )  # fmt: skip
    codebook = pd.DataFrame(rows)

    agg = coin.of_type("Aggregate").sort_values("Level", kind="stable")
    framework = pd.DataFrame(
        {
            "id": agg["iCode"].to_numpy(),
            "parent": ["" if _missing(p) else p for p in agg["Parent"]],
            "name_zh": [n or c for n, c in zip(agg["iName"], agg["iCode"], strict=True)],
            "name_en": [n or c for n, c in zip(agg["iName"], agg["iCode"], strict=True)],
            "weight": [("" if _missing(w) else float(w)) for w in agg["Weight"]],
        }
    )

    # one row per unit: names and groups of its latest Time
    last = (
        data.assign(_year=years)
        .sort_values(["uCode", "_year"], kind="stable")
        .groupby("uCode", sort=False)
        .tail(1)
    )
    last = last.set_index("uCode").loc[list(dict.fromkeys(data["uCode"]))]
    names = (
        last["uName"].where(last["uName"] != "", last.index.to_series())
        if "uName" in last.columns
        else last.index.to_series()
    )
    units = pd.DataFrame(
        {"unit": last.index.astype(str), "name_zh": names.to_numpy(), "name_en": names.to_numpy()}
    )
    for g in coin.groups:
        units[g] = last[g].to_numpy()

    sources = pd.DataFrame(
        {
            "source_id": [source_id],
            "publication": [
                title or f"COINr data set {Path(coin.data_file).name} / {Path(coin.meta_file).name}"
            ],
            "obtained_from": [f"{Path(coin.data_file).name}, {Path(coin.meta_file).name}"],
            "citation": [title or f"COINr data set {Path(coin.data_file).name}"],
        }
    )
    return {
        "observations": obs,
        "codebook": codebook,
        "framework": framework,
        "units": units,
        "sources": sources,
    }


def suggested_config(tables: dict[str, pd.DataFrame], paths: dict[str, Path]) -> dict:
    """Config entries that point the workflow at the imported tables (panel years, exact unit
    codes, the first group column as the region scheme)."""
    years = sorted(tables["observations"]["year"].unique().tolist())
    cfg: dict = {
        "data": {**{k: str(p) for k, p in paths.items()}, "national_totals": None},
        "panel": {"start": int(years[0]), "end": int(years[-1])},
        "window": {"start": int(years[0]), "end": int(years[-1])},
        "units": {"match": "exact", "drop": []},
    }
    groups = [c for c in tables["units"].columns if c not in ("unit", "name_zh", "name_en")]
    if groups:
        g = groups[0]
        cfg["regions"] = {
            "scheme": g,
            "order": sorted(tables["units"][g].replace("", np.nan).dropna().unique().tolist()),
        }
    return cfg


def write_coin(
    tables: dict[str, pd.DataFrame], out: str | Path, *, force: bool = False
) -> dict[str, Path]:
    """Write the tables as ``DIR/<table>.csv`` plus ``DIR/config_coinr.yaml`` (suggested config)."""
    d = Path(out)
    paths = {k: (d / f"{k}.csv").resolve() for k in TABLES}
    clash = [p for p in [*paths.values(), d / "config_coinr.yaml"] if p.exists()]
    if clash and not force:
        raise InputError(
            f"{len(clash)} output file(s) exist already, e.g. {clash[0].name}", file=str(clash[0]),
            fix="choose an empty folder for --out, or pass --force to overwrite.",
        )  # fmt: skip
    d.mkdir(parents=True, exist_ok=True)
    for k, p in paths.items():
        write_csv(tables[k], p)
    cfg = suggested_config(tables, paths)
    (d / "config_coinr.yaml").write_text(
        "# Config entries for the imported COINr data set: copy them into config/config.yaml\n"
        + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m greenindex.data.importer coinr iData iMeta --out DIR [--year Y] [--source-id ID]``."""
    ap = argparse.ArgumentParser(
        prog="python -m greenindex.data.importer coinr",
        description="Turn a COINr data set (iData and iMeta tables, CSV or XLSX) into the workflow's input "
        "tables: observations, codebook, framework, units (COINr groups as region schemes) and sources.",
    )
    ap.add_argument(
        "idata",
        help="COINr iData table (uCode, optional uName/Time, indicator, group, denominator columns)",
    )
    ap.add_argument(
        "imeta",
        help="COINr iMeta table (iCode, iName, Level, Direction, Weight, Parent, Type, ...)",
    )
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--year", type=int, help="year of the data when iData has no Time column")
    ap.add_argument(
        "--source-id",
        default=DEFAULT_SOURCE_ID,
        help=f"source id of the values (default {DEFAULT_SOURCE_ID})",
    )
    ap.add_argument("--title", help="title of the data set for the sources table")
    ap.add_argument("--force", action="store_true", help="overwrite existing output files")
    a = ap.parse_args(argv)
    try:
        coin = read_coin(a.idata, a.imeta)
        tables = coin_tables(coin, year=a.year, source_id=a.source_id, title=a.title)
        write_coin(tables, a.out, force=a.force)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    o, fw = tables["observations"], tables["framework"]
    print(
        f"{len(o)} observations of {len(coin.indicators)} indicators and {len(coin.denominators)} denominators "
        f"for {o['unit'].nunique()} units, years {sorted(o['year'].unique().tolist())}; "
        f"{len(fw)} aggregates over {int(coin.meta['Level'].max())} levels; "
        f"region schemes {coin.groups or 'none'} -> {a.out}",
        file=sys.stderr,
    )
    print(f"config entries to use them: {Path(a.out) / 'config_coinr.yaml'}", file=sys.stderr)
    return 0
