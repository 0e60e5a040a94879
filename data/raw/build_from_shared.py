"""Build ``data/raw/observations.csv`` and ``data/raw/sources.csv`` from the gathered material.

This script documents where every number in ``data/raw/`` comes from. The workflow never
runs it: ``data/raw/`` is the workflow's input and is committed as is. It was run once, by
hand, on the gathered material (``data/material/panel_long.csv`` and ``sources.csv``, compiled
from public copies of official tables; see that folder's README and checks.md)::

    .venv/bin/python data/raw/build_from_shared.py [--shared PATH]

What it does, and nothing more:

* maps each province name (full official Chinese name) to its canonical code
  (ISO 3166-2:CN suffix, via :func:`greenindex.data.units.canonical_unit`);
* keeps ``year``, ``indicator``, ``value`` and ``source_id`` exactly as in the material
  (no rounding, no unit conversion, no interpolation: gaps stay gaps);
* keeps only the panel years 2011-2020 (the material also holds the 2010 census shares
  printed in the 2020 census bulletin, which are outside the panel);
* adds a short ``note`` for series whose definition or basis the user must know;
* writes ``national_totals.csv``: the national totals the material prints (the 2020 census
  bulletin's 全国 row, read from its page copy), for the provincial-sum plausibility check;
* writes ``sources.csv``: the shared source table (where each series was obtained, its terms,
  the cross-checks) plus the publication, table and the citation users must give, and a
  ``retrace`` column: the official publication and table, then a public copy a reader can open
  (an address, or a repository with commit and path) or the statement that none was identified.

Re-running it on the same material reproduces both files byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parent / "material"
#: The panel years kept in data/raw (config ``panel``).
PANEL_YEARS = (2011, 2020)

#: Notes attached to observations: indicator -> (first year the note applies, text).
NOTES: dict[str, tuple[int, str]] = {
    "hightech_industry_revenue": (
        2018,
        (
            "营业收入 (operating revenue) and the 2017 high-tech classification from 2018 on; "
            "主营业务收入 (main-business revenue) before"
        ),
    ),
    "energy_intensity_change_pct": (0, "preliminary bulletin value; GDP at constant prices"),
    "energy_consumption_growth_pct": (0, "preliminary bulletin value"),
    "electricity_intensity_change_pct": (0, "preliminary bulletin value; GDP at constant prices"),
    "census_resident_population_persons": (0, "resident population at 1 November 2020"),
    "census_population_share_pct": (
        0,
        "share of the 31-province total as printed in the 2020 census bulletin",
    ),
    "rd_intensity_pct_gdp": (
        0,
        "as printed in the S&T yearbook; 2011-2018 computed on GDP before the 2018 census revision",
    ),
}

#: Publication, table and the citation users must give, per source id. Everything else in
#: sources.csv (where obtained, terms, checks) is carried over from the shared table.
CITATIONS: dict[str, tuple[str, str, str]] = {
    "GDP_NBS_A": (
        (
            "National Bureau of Statistics of China (NBS): National Data, annual by province; "
            "China Statistical Yearbook 2020"
        ),
        (
            "地区生产总值 Gross Regional Product, current prices, 亿元 (series revised after the "
            "Fourth National Economic Census), 2011-2019"
        ),
        (
            "National Bureau of Statistics of China. China Statistical Yearbook 2020, table "
            "'Gross Regional Product'. Beijing: China Statistics Press, 2020."
        ),
    ),
    "GDP_NBS_C": (
        (
            "National Bureau of Statistics of China (NBS): National Data, annual by province; "
            "China Statistical Yearbook 2021"
        ),
        "地区生产总值 Gross Regional Product, current prices, 亿元, 2020",
        (
            "National Bureau of Statistics of China. China Statistical Yearbook 2021, table "
            "'Gross Regional Product'. Beijing: China Statistics Press, 2021."
        ),
    ),
    "GDP_CHECK_B": (
        "NBS National Data (copy printed in a 2021 WeChat article)",
        "各地区最近5年GDP (check only)",
        "Not cited: used only to cross-check GDP_NBS_A / GDP_NBS_C.",
    ),
    "POP_GCAM_CSY": (
        "National Bureau of Statistics of China: China Statistical Yearbook (editions 2012-2020)",
        "年末常住人口 Population at Year-end by Region, 万人",
        (
            "National Bureau of Statistics of China. China Statistical Yearbook (2012-2020 "
            "editions), table 'Population at Year-end by Region'. Beijing: China Statistics Press."
        ),
    ),
    "TECHME_RDIntense": (
        (
            "NBS and Ministry of Science and Technology: China Statistical Yearbook on Science and "
            "Technology (editions 2012-2021)"
        ),
        "表1-8 各地区R&D经费投入强度 (R&D expenditure, 亿元; R&D intensity, %)",
        (
            "National Bureau of Statistics of China and Ministry of Science and Technology. China "
            "Statistical Yearbook on Science and Technology (2012-2021 editions), table 'R&D "
            "expenditure and intensity by region'. Beijing: China Statistics Press. Compiled in "
            "Hu H. (2021) techme, R package (MIT)."
        ),
    ),
    "TECHME_RDPatentAuthority": (
        (
            "NBS and Ministry of Science and Technology: China Statistical Yearbook on Science and "
            "Technology (editions 2012-2021)"
        ),
        "各地区专利授权数 patents granted by region (total; invention), 件",
        (
            "National Bureau of Statistics of China and Ministry of Science and Technology. China "
            "Statistical Yearbook on Science and Technology (2012-2021 editions), table 'Patents "
            "granted by region'. Beijing: China Statistics Press. Compiled in Hu H. (2021) techme, "
            "R package (MIT)."
        ),
    ),
    "TECHME_RDPatentAccept": (
        (
            "NBS and Ministry of Science and Technology: China Statistical Yearbook on Science and "
            "Technology (editions 2012-2021)"
        ),
        "各地区专利申请受理数 patent applications by region (total; invention), 件",
        (
            "National Bureau of Statistics of China and Ministry of Science and Technology. China "
            "Statistical Yearbook on Science and Technology (2012-2021 editions), table 'Patent "
            "applications by region'. Beijing: China Statistics Press. Compiled in Hu H. (2021) "
            "techme, R package (MIT)."
        ),
    ),
    "TECHME_IndustryOperation": (
        (
            "NBS and Ministry of Science and Technology: China Statistical Yearbook on Science and "
            "Technology (editions 2012-2021)"
        ),
        "表5-2 各地区高技术产业生产经营情况 (high-tech industry revenue, 亿元; 2017 absent)",
        (
            "National Bureau of Statistics of China and Ministry of Science and Technology. China "
            "Statistical Yearbook on Science and Technology (2012-2021 editions), table 5-2 "
            "'Production and operation of high-tech industry by region'. Beijing: China Statistics "
            "Press. Compiled in Hu H. (2021) techme, R package (MIT)."
        ),
    ),
    "TECHME_IndustryRD": (
        (
            "NBS and Ministry of Science and Technology: China Statistical Yearbook on Science and "
            "Technology (editions 2017-2021)"
        ),
        "各地区高技术产业R&D及新产品 (R&D internal expenditure; new-product sales revenue), 万元",
        (
            "National Bureau of Statistics of China and Ministry of Science and Technology. China "
            "Statistical Yearbook on Science and Technology (2017-2021 editions), tables on R&D and "
            "new products of high-tech industry by region. Beijing: China Statistics Press. "
            "Compiled in Hu H. (2021) techme, R package (MIT)."
        ),
    ),
    "TECHME_FIRM_RD": (
        (
            "NBS and Ministry of Science and Technology: China Statistical Yearbook on Science and "
            "Technology (editions 2019-2021)"
        ),
        (
            "part 2 tables 各地区规模以上工业企业R&D活动及新产品 (industrial enterprises above "
            "designated size)"
        ),
        (
            "National Bureau of Statistics of China and Ministry of Science and Technology. China "
            "Statistical Yearbook on Science and Technology (2019-2021 editions), part 2, tables on "
            "R&D activities and new products of industrial enterprises above designated size by "
            "region. Beijing: China Statistics Press. Compiled in Hu H. (2021) techme, R package "
            "(MIT)."
        ),
    ),
    "CEADS_OPENCLIMATE": (
        (
            "Carbon Emission Accounts and Datasets (CEADs, ceads.net): provincial CO2 emission "
            "inventories (apparent-emission accounting from the China Energy Statistical Yearbook)"
        ),
        (
            "Emission_Inventories_for_30_Provinces_<year>.xlsx: total (scope 1 incl. cement "
            "process), industry, manufacturing, CO2 from coal products, Mt CO2"
        ),
        (
            "Shan Y. et al. (2016) New provincial CO2 emission inventories in China based on "
            "apparent energy consumption data and updated emission factors. Applied Energy 184, "
            "742-750; Shan Y. et al. (2018) China CO2 emission accounts 1997-2015. Scientific Data "
            "5, 170201; Shan Y. et al. (2020) China CO2 emission accounts 2016-2017. Scientific "
            "Data 7, 54; Guan Y. et al. (2021) Assessment to China's recent emission pattern "
            "shifts. Earth's Future 9, e2021EF002241."
        ),
    ),
    "GCAM_EN_BALANCE_NOT_USED": (
        "LBL China Energy Databook / China Energy Statistical Yearbook (via GCAM-China)",
        "provincial energy balances, Mtce (not used: no 2016-2020 rows)",
        "Not cited: no value in data/raw comes from it.",
    ),
    "P2020_CENSUS3_ZCZXWANG": (
        (
            "National Bureau of Statistics of China; Office of the Leading Group of the State "
            "Council for the Seventh National Population Census, 2021-05-11"
        ),
        (
            "第七次全国人口普查公报（第三号）表3-1 各地区人口 (resident population by region, "
            "persons; share %)"
        ),
        (
            "National Bureau of Statistics of China. Communiqué of the Seventh National Population "
            "Census (No. 3): population by region (第七次全国人口普查公报（第三号）——地区人口情况), "
            "11 May 2021."
        ),
    ),
}

_BULLETIN_TABLE = (
    "分省（区、市）万元地区生产总值能耗降低率等指标 (energy consumption per 10,000 yuan of "
    "GDP, total energy consumption growth, electricity consumption per 10,000 yuan of GDP; ±%)"
)


_TECHME = "https://github.com/huhuaping/techme, commit 9ad60a190dec4a56953da9c478d42cd44c80762a"
_NBS_PORTAL = (
    "NBS National Data, https://data.stats.gov.cn/easyquery.htm?cn=E0103 "
    "(分省年度数据 > 国民经济核算 > 地区生产总值)"
)

#: Public copies a reader can open, for sources whose collection note names none (or names
#: it in short form). Sources not listed here take the URLs in their collection note.
PUBLIC_COPY: dict[str, str] = {
    "GDP_NBS_A": (
        f"no public copy identified (the copy read was a chart script on GitHub whose repository "
        f"could not be identified); the official series is on {_NBS_PORTAL}"
    ),
    "GDP_NBS_C": (
        f"no public copy identified (the copies read were GitHub files whose repositories could "
        f"not be identified); the official series is on {_NBS_PORTAL}"
    ),
    "GDP_CHECK_B": (
        "no public copy identified (WeChat article '30个函数玩转Pandas统计计算！', 公众号 "
        "可以叫我才哥, 2021-08-21; no address recorded)"
    ),
    "POP_GCAM_CSY": (
        "https://github.com/umd-cgs/gcam-china, commit 99a28acdb391c52e880400adf12a079b954e500b, "
        "input/gcamdata/inst/extdata/gcam-china/China_Statistics_Yearbook.csv"
    ),
    "TECHME_RDIntense": f"{_TECHME}, data/RDIntense.rda",
    "TECHME_RDPatentAuthority": f"{_TECHME}, data/RDPatentAuthority.rda",
    "TECHME_RDPatentAccept": f"{_TECHME}, data/RDPatentAccept.rda",
    "TECHME_IndustryOperation": (
        f"{_TECHME}, data/IndustryOperation.rda (last changed in commit "
        "f74eb2e49b62daaab54253fed8cff1c3202dd1c1)"
    ),
    "TECHME_IndustryRD": f"{_TECHME}, data/IndustryRD.rda",
    "TECHME_FIRM_RD": f"{_TECHME}, data-raw/tech-yearbook/part02-firm/<table>/raw-<year>.xls",
    "CEADS_OPENCLIMATE": (
        "https://github.com/Open-Earth-Foundation/OpenClimate, commit "
        "822037b737999c397f58b442a5a31e4098dd42e1, harmonize/data/raw/CEADS_china_provinces/"
        "Emission_Inventories_for_30_Provinces_<year>.xlsx; the inventories are published by "
        "CEADs at https://www.ceads.net"
    ),
    "GCAM_EN_BALANCE_NOT_USED": (
        "https://github.com/umd-cgs/gcam-china, commit 191336f7c9be5f0608cd2dca5f8474d6359c1019, "
        "input/gcamdata/inst/extdata/gcam-china/en_balance_Mtce_Yh_province.csv"
    ),
    "SEC_BOYAN_COMPILATION": "no public copy identified (the search result carried no address)",
}

_URL = re.compile(r"https?://\S+")


def retrace(sid: str, publication: str, table: str, obtained_from: str) -> str:
    """Where a reader retraces the values of one source: the official publication and table,
    then a public copy (an address, or a repository with commit and path) or the statement that
    none was identified."""
    if sid in PUBLIC_COPY:
        copy = PUBLIC_COPY[sid]
    else:
        urls = [u.rstrip(".,;)") for u in _URL.findall(obtained_from)]
        if not urls:
            raise SystemExit(f"source {sid}: no public copy recorded; add it to PUBLIC_COPY")
        copy = " ; ".join(urls)
    return f"Official: {publication}, {table}. Public copy: {copy}"


def _bulletin_citation(year: int) -> str:
    return (
        "National Bureau of Statistics of China, National Development and Reform Commission and "
        f"National Energy Administration. {year}年分省（区、市）万元地区生产总值能耗降低率等指标"
        f"公报 (Communiqué on the decrease rate of energy consumption per 10,000 yuan of GDP by "
        f"region in {year})."
    )


def province_code(name: str) -> str:
    """Canonical code of a province name (the package's name matching)."""
    from greenindex.data.units import canonical_unit

    return canonical_unit(name)


def build_observations(panel: pd.DataFrame) -> pd.DataFrame:
    panel = panel[panel["year"].between(*PANEL_YEARS)]
    codes = {n: province_code(n) for n in sorted(panel["province_zh"].unique())}
    obs = pd.DataFrame(
        {
            "unit": panel["province_zh"].map(codes),
            "year": panel["year"].astype(int),
            "indicator": panel["indicator"],
            "value": panel["value"].astype(float),
            "source_id": panel["source_id"],
        }
    )
    note = pd.Series("", index=obs.index, dtype=object)
    for ind, (first, text) in NOTES.items():
        sel = (obs["indicator"] == ind) & (obs["year"] >= first)
        note[sel] = text
    obs["note"] = note
    dup = obs.duplicated(["unit", "year", "indicator"], keep=False)
    if dup.any():
        raise SystemExit(f"duplicate unit-year-indicator rows in the material:\n{obs[dup]}")
    return obs.sort_values(["indicator", "year", "unit"], kind="stable").reset_index(drop=True)


def build_sources(shared: pd.DataFrame, used: set[str]) -> pd.DataFrame:
    rows = []
    for _, r in shared.iterrows():
        sid = str(r["source_id"])
        if sid in CITATIONS:
            publication, table, citation = CITATIONS[sid]
        else:  # energy bulletins and their copies: the bulletin of the data year
            publication = str(r["original_publication"])
            year = int(sid[1:5]) if sid[1:5].isdigit() else None
            table = _BULLETIN_TABLE if sid.startswith("E") else str(r["description"])
            citation = (
                _bulletin_citation(year)
                if year is not None and sid.startswith("E")
                else "Not cited: used only to cross-check other copies."
            )
        rows.append(
            {
                "source_id": sid,
                "publication": publication,
                "table": table,
                "obtained_from": str(r["origin"]),
                "licence_terms": str(r["licence_terms"]),
                "citation": citation,
                "checks": "" if pd.isna(r["checks"]) else str(r["checks"]),
                "description": str(r["description"]),
                "used_in_data": "true" if sid in used else "false",
                "retrace": retrace(sid, publication, table, str(r["origin"])),
            }
        )
    return pd.DataFrame(rows)


def build_national_totals(page_copies: Path) -> pd.DataFrame:
    """The 全国 row of the census bulletin table (persons, 1 November 2020)."""
    text = (page_copies / "raw_census2020_zczxwang.txt").read_text(encoding="utf-8")
    m = re.search(r"^全国\|(\d+)\|", text, flags=re.MULTILINE)
    if m is None:
        raise SystemExit("no 全国 row in the census page copy")
    return pd.DataFrame(
        {
            "indicator": ["census_resident_population_persons"],
            "year": [2020],
            "value": [float(m.group(1))],
            "source_id": ["P2020_CENSUS3_ZCZXWANG"],
            "note": [
                "national total incl. 2,000,000 active military personnel not allocated to provinces"
            ],
        }
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder of the material")
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (data/raw)")
    args = ap.parse_args(argv)
    panel = pd.read_csv(args.shared / "panel_long.csv", dtype={"value": float})
    obs = build_observations(panel)
    obs.to_csv(args.out / "observations.csv", index=False, lineterminator="\n")
    build_national_totals(args.shared / "page_copies").to_csv(
        args.out / "national_totals.csv", index=False, lineterminator="\n"
    )
    shared_sources = pd.read_csv(args.shared / "sources.csv", dtype=str)
    sources = build_sources(shared_sources, set(obs["source_id"]))
    sources.to_csv(
        args.out / "sources.csv", index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    )
    print(f"wrote {len(obs)} observations and {len(sources)} sources to {args.out}")


if __name__ == "__main__":
    main()
