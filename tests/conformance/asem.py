"""COINr's ASEM example in the project's input contract, for the conformance tests.

COINr ships a cross-section of 51 countries (``ASEM_iData.csv``) and its index structure
(``ASEM_iMeta.csv``). The package's COINr importer (:mod:`greenindex.data.coinr`) turns them
into the tables the workflow reads:

- ``observations``: ``unit, year, indicator, value, source_id`` (missing cells omitted),
  including the four denominator series;
- ``codebook``: one row per indicator (``role = indicator``) and per denominator series
  (``role = variable``): ``id, role, name_zh, name_en, unit, dimension, direction, weight,
  numerator, denominator, scale, source_id``;
- ``units``: ``unit, name_en, name_zh`` and COINr's four group columns;
- ``framework``: the aggregate nodes (pillars, Conn/Sust, Index) with ``id, parent, name_en,
  name_zh, weight``.

ASEM has no Chinese names; ``name_zh`` repeats the English name so that the tables pass a
validation that requires the column to be filled.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from greenindex.data.coinr import coin_tables, read_coin

SOURCE_ID = "coinr_asem"
GROUP_COLUMNS = ["GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"]

#: COINr's ASEM example and COINr's results, vendored in the repository (see its README.md).
REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "coinr_asem"


def reference_dir() -> Path:
    """The vendored COINr reference folder, ``tests/data/coinr_asem``."""
    return REFERENCE_DIR


def asem_tables(source: Path | None = None, *, denominate: bool = True) -> dict[str, pd.DataFrame]:
    """The ASEM example as input-contract tables, read by the package's COINr importer
    (:mod:`greenindex.data.coinr`).

    Parameters
    ----------
    source
        Folder holding ``ASEM_iData.csv`` and ``ASEM_iMeta.csv`` (default: the vendored
        reference folder, ``tests/data/coinr_asem``).
    denominate
        Keep COINr's ``Denominator`` column in the codebook (the ``example_full`` build).
        With ``False`` the denominator cells are empty (the variants built on raw data).
    """
    src = Path(source) if source is not None else reference_dir()
    coin = read_coin(src / "ASEM_iData.csv", src / "ASEM_iMeta.csv")
    tables = coin_tables(
        coin,
        source_id=SOURCE_ID,
        title="COINr ASEM example data (ASEM_iData, ASEM_iMeta), COINr 1.1.14",
    )
    if not denominate:
        tables["codebook"]["denominator"] = ""
    return tables


def write_asem_inputs(
    dest_dir: Path, *, source: Path | None = None, denominate: bool = True
) -> dict[str, Path]:
    """Write the ASEM tables as CSV files (``observations.csv``, ``codebook.csv``, ...).

    Returns the path of each table, keyed by table name, for a workflow config.
    """
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, df in asem_tables(source, denominate=denominate).items():
        p = dest / f"{name}.csv"
        df.to_csv(p, index=False, lineterminator="\n", float_format="%.17g")
        out[name] = p
    return out


def wide_panel(observations: pd.DataFrame) -> pd.DataFrame:
    """Pivot the tidy observations to the wide panel (index ``unit, year``)."""
    w = observations.pivot_table(
        index=["unit", "year"], columns="indicator", values="value", aggfunc="first"
    )
    w.columns = [str(c) for c in w.columns]
    w.columns.name = None
    idx = w.index
    w.index = pd.MultiIndex.from_arrays(
        [idx.get_level_values("unit").astype(str), idx.get_level_values("year").astype(int)],
        names=["unit", "year"],
    )
    return w.sort_index().astype(float)


def reference(name: str, source: Path | None = None) -> pd.DataFrame:
    """A COINr reference table, indexed by ``uCode`` when it has one."""
    src = Path(source) if source is not None else reference_dir()
    df = pd.read_csv(src / name)
    if "uCode" in df.columns:
        df = df.set_index("uCode")
    return df
