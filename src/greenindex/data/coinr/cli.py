"""The command line of the COINr importer (a subcommand of the table importer)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from greenindex.data.coinr.coin import DEFAULT_SOURCE_ID
from greenindex.data.coinr.read import read_coin
from greenindex.data.coinr.tables import coin_tables, write_coin
from greenindex.errors import InputError


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
