"""The COINr importer (greenindex.data.coinr, ``python -m greenindex.data.importer coinr``).

Checked on COINr's ASEM example (tests/data/coinr_asem, vendored from COINr 1.1.14) and on a
second, differently shaped coin (tests/data/coinr_other: no Time, no uName, other group columns,
a three-level tree, unequal weights). Counts are taken from the input files independently of
the importer (csv module). That ASEM imported this way reproduces COINr's results to 1e-9 is
shown by tests/conformance (package and workflow).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from greenindex.data.coinr import coin_tables, read_coin
from greenindex.data.importer import main
from greenindex.data.ingest import load_inputs
from greenindex.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data"
ASEM = DATA / "coinr_asem"
OTHER = DATA / "coinr_other"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _run(tmp_path: Path, idata: Path, imeta: Path, *extra: str) -> Path:
    out = tmp_path / "out"
    assert main(["coinr", str(idata), str(imeta), "--out", str(out), *extra]) == 0
    return out


def test_asem_tables(tmp_path: Path) -> None:
    out = _run(tmp_path, ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")
    meta, data = _rows(ASEM / "ASEM_iMeta.csv"), _rows(ASEM / "ASEM_iData.csv")
    ind = [m for m in meta if m["Type"] == "Indicator"]
    den = [m for m in meta if m["Type"] == "Denominator"]
    series = [m["iCode"] for m in ind + den]
    filled = sum(1 for r in data for s in series if r[s] not in ("", "NA"))
    assert (len(ind), len(den), len(data)) == (49, 4, 51)
    obs = pd.read_csv(out / "observations.csv")
    assert len(obs) == filled == 51 * 53 - 64
    assert set(obs["year"]) == {2018} and set(obs["source_id"]) == {"COINR"}
    # every value as written in iData
    lookup = {(r["uCode"], s): float(r[s]) for r in data for s in series if r[s] != ""}
    assert all(
        lookup[(u, i)] == v
        for u, i, v in obs[["unit", "indicator", "value"]].itertuples(index=False)
    )
    cb = pd.read_csv(out / "codebook.csv", keep_default_na=False).set_index("id")
    for m in ind:
        r = cb.loc[m["iCode"]]
        assert (r["role"], r["dimension"], int(r["direction"]), float(r["weight"])) == (
            "indicator", m["Parent"], int(m["Direction"]), float(m["Weight"]),
        )  # fmt: skip
        assert r["denominator"] == m["Denominator"]  # ratio definitions: indicator / denominator
    assert cb.loc["Flights", "denominator"] == "Population"
    assert set(cb.index[cb["role"] == "variable"]) == {"Area", "Energy", "GDP", "Population"}
    fw = pd.read_csv(out / "framework.csv", keep_default_na=False).set_index("id")
    agg = {m["iCode"]: m for m in meta if m["Type"] == "Aggregate"}
    assert set(fw.index) == set(agg) and len(fw) == 11
    assert fw.loc["Index", "parent"] == "" and fw.loc["Conn", "parent"] == "Index"
    assert fw.loc["Physical", "parent"] == "Conn"
    units = pd.read_csv(out / "units.csv", keep_default_na=False)
    assert list(units.columns) == [
        "unit",
        "name_zh",
        "name_en",
        "GDP_group",
        "GDPpc_group",
        "Pop_group",
        "EurAsia_group",
    ]
    assert units.set_index("unit").loc["CHN", "EurAsia_group"] == "Asia"
    # the tables pass the workflow's own input validation (countries: exact unit codes)
    inp = load_inputs(**{k: out / f"{k}.csv" for k in ("observations", "codebook", "units", "framework", "sources")},
                      match="exact", years=(2018, 2018))  # fmt: skip
    assert len(inp.framework().indicators) == 49
    cfg = (out / "config_coinr.yaml").read_text(encoding="utf-8")
    assert "scheme: GDP_group" in cfg and "match: exact" in cfg


def test_other_coin_needs_a_year_and_keeps_its_shape(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert (
        main(["coinr", str(OTHER / "iData.csv"), str(OTHER / "iMeta.csv"), "--out", str(out)]) == 2
    )
    err = capsys.readouterr().err
    assert "iData.csv" in err and "no Time column" in err and "--year" in err
    out = _run(
        tmp_path,
        OTHER / "iData.csv",
        OTHER / "iMeta.csv",
        "--year",
        "2022",
        "--source-id",
        "MYCOIN",
    )
    data = _rows(OTHER / "iData.csv")
    obs = pd.read_csv(out / "observations.csv")
    assert len(obs) == 14 * 9 - 2  # 7 indicators + 2 denominators; one NA and one empty cell
    assert set(obs["year"]) == {2022} and set(obs["source_id"]) == {"MYCOIN"}
    assert not ((obs["unit"] == "U05") & (obs["indicator"] == "Water")).any()
    units = pd.read_csv(out / "units.csv", keep_default_na=False)
    assert list(units.columns) == [
        "unit",
        "name_zh",
        "name_en",
        "Region",
        "Income",
        "Coastal",
        "Size",
    ]
    assert (
        list(units["unit"]) == [r["uCode"] for r in data]
        and (units["name_en"] == units["unit"]).all()
    )
    fw = pd.read_csv(out / "framework.csv", keep_default_na=False).set_index("id")
    assert fw["parent"].to_dict() == {"Economy": "Index", "Environment": "Index", "Index": ""}
    assert (
        float(fw.loc["Economy", "weight"]) == 3.0 and float(fw.loc["Environment", "weight"]) == 2.0
    )
    cb = pd.read_csv(out / "codebook.csv", keep_default_na=False).set_index("id")
    assert float(cb.loc["Water", "weight"]) == 0.5 and cb.loc["CO2", "direction"] == "-1"
    assert cb.loc["Exports", "denominator"] == "GDP" and cb.loc["Broadband", "denominator"] == ""
    inp = load_inputs(**{k: out / f"{k}.csv" for k in ("observations", "codebook", "units", "framework", "sources")},
                      match="exact", years=(2022, 2022))  # fmt: skip
    fwk = inp.framework()
    assert fwk.parent["Economy"] == "Index" and fwk.parent["Waste"] == "Environment"
    # refuses to overwrite, unless told to
    assert (
        main(
            [
                "coinr",
                str(OTHER / "iData.csv"),
                str(OTHER / "iMeta.csv"),
                "--out",
                str(out),
                "--year",
                "2022",
            ]
        )
        == 2
    )
    assert "exist" in capsys.readouterr().err
    assert (
        main(
            [
                "coinr",
                str(OTHER / "iData.csv"),
                str(OTHER / "iMeta.csv"),
                "--out",
                str(out),
                "--year",
                "2022",
                "--force",
            ]
        )
        == 0
    )


def _write(rows: list[dict[str, str]], path: Path, columns: list[str] | None = None) -> Path:
    cols = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def _edit(rows: list[dict[str, str]], code: str, **changes: str) -> list[dict[str, str]]:
    out = [dict(r) for r in rows]
    for r in out:
        if r.get("iCode", r.get("uCode")) == code:
            r.update(changes)
    return out


META = _rows(OTHER / "iMeta.csv")
IDATA = _rows(OTHER / "iData.csv")
# (description, edited iMeta rows, edited iData rows, meta columns, file, line, column, words)
# lines count the header as line 1, as an editor shows them
CASES = [
    ("no Type column", META, IDATA, [c for c in META[0] if c != "Type"], "iMeta", 1, None, "lacks required column"),
    ("unknown Type", _edit(META, "Forest", Type="Indicater"), IDATA, None, "iMeta", 7, "Type", "not a COINr type"),
    ("direction 0", _edit(META, "CO2", Direction="0"), IDATA, None, "iMeta", 5, "Direction", "not 1 or -1"),
    ("unknown parent", _edit(META, "Water", Parent="Enviro"), IDATA, None, "iMeta", 6, "Parent", "not an aggregate"),
    ("parent two levels up", _edit(META, "Waste", Parent="Index"), IDATA, None, "iMeta", 8, "Parent", "Level 3, not 2"),
    ("negative weight", _edit(META, "Broadband", Weight="-1"), IDATA, None, "iMeta", 4, "Weight", "not a number >= 0"),
    ("text weight", _edit(META, "Economy", Weight="high"), IDATA, None, "iMeta", 9, "Weight", "not a number >= 0"),
    ("level of an indicator", _edit(META, "Patents", Level="2"), IDATA, None, "iMeta", 3, "Level", "Type Indicator"),
    ("undeclared denominator", _edit(META, "Exports", Denominator="Area"), IDATA, None, "iMeta", 2, "Denominator", "not a row of Type Denominator"),
    ("two top aggregates", _edit(META, "Environment", Level="3", Parent=""), IDATA, None, "iMeta", [10, 11], "Level", "the index needs one"),
    ("duplicate code", _edit(META, "Size", iCode="Region"), IDATA, None, "iMeta", [12, 15], "iCode", "duplicate iCode"),
    ("meta row without data", META + [{"iCode": "Trade", "iName": "Trade", "Level": "1", "Direction": "1", "Weight": "1",
                                       "Parent": "Economy", "Type": "Indicator", "Unit": "", "Denominator": ""}],
     IDATA, None, "iMeta", 18, "iCode", "has no column in iData"),
    ("data column without meta", META, [dict(r, Extra="1") for r in IDATA], None, "iData", 1, "Extra", "not described in iMeta"),
    ("text value", META, _edit(IDATA, "U03", Waste="12,5"), None, "iData", 4, "Waste", "is not a number"),
    ("duplicate unit", META, _edit(IDATA, "U04", uCode="U03"), None, "iData", [4, 5], "uCode", "more than once"),
]  # fmt: skip


@pytest.mark.parametrize(("meta", "data", "mcols", "file", "line", "column", "words"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_malformed_coin_names_file_row_column(
    tmp_path, meta, data, mcols, file, line, column, words
) -> None:
    im = _write(meta, tmp_path / "iMeta.csv", mcols)
    dcols = list(data[0])
    idd = _write(data, tmp_path / "iData.csv", dcols)
    with pytest.raises(InputError) as e:
        read_coin(idd, im)
    msg = str(e.value)
    assert f"file {tmp_path / (file + '.csv')}" in msg
    where = f"row {line}" if isinstance(line, int) else "rows " + ", ".join(map(str, line))
    assert where in msg, msg
    if column:
        assert f"column '{column}'" in msg, msg
    assert words in msg, msg
    assert "What to do:" in msg


def test_cli_prints_the_error_and_returns_2(tmp_path: Path, capsys) -> None:
    im = _write(_edit(META, "CO2", Direction="down"), tmp_path / "iMeta.csv")
    rc = main(
        ["coinr", str(OTHER / "iData.csv"), str(im), "--out", str(tmp_path / "o"), "--year", "2022"]
    )
    assert rc == 2
    err = capsys.readouterr().err
    assert "row 5" in err and "column 'Direction'" in err and "'down'" in err
    assert not (tmp_path / "o").exists()


def test_panel_coin_with_time(tmp_path: Path) -> None:
    """A COINr panel (Time column, groups that change): one observation per unit-year, the
    units table takes each unit's latest groups."""
    rows = [dict(r, Time="2021") for r in IDATA] + [
        dict(r, Time="2022", Region="Far" if r["uCode"] == "U01" else r["Region"]) for r in IDATA
    ]
    meta = list(META)
    idd = _write(rows, tmp_path / "iData.csv")
    im = _write(meta, tmp_path / "iMeta.csv")
    t = coin_tables(read_coin(idd, im))
    assert sorted(t["observations"]["year"].unique()) == [2021, 2022]
    assert len(t["observations"]) == 2 * (14 * 9 - 2)
    assert t["units"].set_index("unit").loc["U01", "Region"] == "Far" and len(t["units"]) == 14
    dup = _write(rows + [rows[0]], tmp_path / "dup.csv")
    with pytest.raises(InputError, match="same Time"):
        read_coin(dup, im)
