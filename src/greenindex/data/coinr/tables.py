"""A checked coin as the workflow's input tables (observations, codebook, framework, units,
sources), the config entries that point the workflow at them, and writing them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from greenindex.data.coinr.coin import DEFAULT_SOURCE_ID, TABLES, Coin, is_missing
from greenindex.data.io import write_csv
from greenindex.errors import InputError


def coin_tables(
    coin: Coin,
    *,
    year: int | None = None,
    source_id: str = DEFAULT_SOURCE_ID,
    title: str | None = None,
) -> dict[str, pd.DataFrame]:
    """The coin as the workflow's input tables (see :mod:`greenindex.data.coinr`).

    Parameters
    ----------
    coin
        From :func:`~greenindex.data.coinr.read_coin`.
    year
        The year of a cross-section without a ``Time`` column (required then; ignored when
        iData has ``Time``).
    source_id
        Source id of every observation.
    title
        Title of the ``sources`` row (default: the iData file name).
    """
    years = _years(coin, year)
    return {
        "observations": _observations(coin, years, source_id),
        "codebook": _codebook(coin, source_id),
        "framework": _framework(coin),
        "units": _units(coin, years),
        "sources": _sources(coin, source_id, title),
    }


def _years(coin: Coin, year: int | None) -> pd.Series:
    """The year of each iData row: its ``Time``, else ``year``."""
    data = coin.data
    if "Time" in data.columns:
        return data["Time"].astype(float).astype(int)
    if year is None:
        raise InputError(
            "iData has no Time column, so the year of the data is not known", file=coin.data_file, row=1,
            fix="give the year of the cross-section (--year YEAR on the command line).",
        )  # fmt: skip
    return pd.Series(int(year), index=data.index)


def _observations(coin: Coin, years: pd.Series, source_id: str) -> pd.DataFrame:
    """Every indicator and denominator cell that has a value."""
    series = [*coin.indicators, *coin.denominators]
    long = coin.data.assign(year=years)[["uCode", "year", *series]].melt(
        id_vars=["uCode", "year"], value_vars=series, var_name="indicator", value_name="value"
    )
    long = long[~long["value"].map(is_missing)]
    return pd.DataFrame(
        {
            "unit": long["uCode"].astype(str),
            "year": long["year"].astype(int),
            "indicator": long["indicator"].astype(str),
            "value": long["value"].astype(float),
            "source_id": source_id,
        }
    ).reset_index(drop=True)


def _optional(r: pd.Series, col: str) -> str:
    """An optional iMeta cell as text, empty when the column is absent or the cell missing."""
    v = str(r.get(col, "")) if col in r.index else ""
    return "" if is_missing(v) else v


def _codebook(coin: Coin, source_id: str) -> pd.DataFrame:
    """One ``indicator`` row per Indicator and one ``variable`` row per Denominator."""
    rows = []
    for _, r in coin.of_type("Indicator").iterrows():
        rows.append(
            {
                "id": r["iCode"], "role": "indicator", "name_zh": r["iName"] or r["iCode"],
                "name_en": r["iName"] or r["iCode"], "unit": _optional(r, "Unit"), "dimension": r["Parent"],
                "direction": int(float(r["Direction"])), "weight": float(r["Weight"]), "numerator": "",
                "denominator": _optional(r, "Denominator"), "scale": 1.0, "source_id": source_id,
            }
        )  # fmt: skip
    for _, r in coin.of_type("Denominator").iterrows():
        rows.append(
            {
                "id": r["iCode"], "role": "variable", "name_zh": r["iName"] or r["iCode"],
                "name_en": r["iName"] or r["iCode"], "unit": _optional(r, "Unit"), "dimension": "", "direction": "",
                "weight": "", "numerator": "", "denominator": "", "scale": "", "source_id": source_id,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def _framework(coin: Coin) -> pd.DataFrame:
    """The Aggregate nodes, level by level, with their parents and weights."""
    agg = coin.of_type("Aggregate").sort_values("Level", kind="stable")
    return pd.DataFrame(
        {
            "id": agg["iCode"].to_numpy(),
            "parent": ["" if is_missing(p) else p for p in agg["Parent"]],
            "name_zh": [n or c for n, c in zip(agg["iName"], agg["iCode"], strict=True)],
            "name_en": [n or c for n, c in zip(agg["iName"], agg["iCode"], strict=True)],
            "weight": [("" if is_missing(w) else float(w)) for w in agg["Weight"]],
        }
    )


def _units(coin: Coin, years: pd.Series) -> pd.DataFrame:
    """One row per unit: its name and groups in its latest Time."""
    data = coin.data
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
    return units


def _sources(coin: Coin, source_id: str, title: str | None) -> pd.DataFrame:
    """One row for the coin."""
    data_name, meta_name = Path(coin.data_file).name, Path(coin.meta_file).name
    return pd.DataFrame(
        {
            "source_id": [source_id],
            "publication": [title or f"COINr data set {data_name} / {meta_name}"],
            "obtained_from": [f"{data_name}, {meta_name}"],
            "citation": [title or f"COINr data set {data_name}"],
        }
    )


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
