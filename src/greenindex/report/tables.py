"""Result tables for researchers: one Excel workbook, Stata files, CSVs that Excel opens.

Most researchers in this field continue in Excel or Stata, so the run writes, in
``results/tables/``:

- ``greenindex_tables.xlsx`` -- one workbook, one sheet per table (scores of the main
  variant with Chinese and English province names and ranks, the index under every
  variant, region means, claims, weights, Monte Carlo rank intervals, an audit sheet when the
  run has one) and a ``README`` sheet that describes every sheet and column in both
  languages;
- ``scores.dta`` and ``region_means.dta`` -- the panel tables for Stata (format 118, UTF-8,
  ``xtset`` keys ``unit_id year`` / ``region_id year``, variable labels);
- ``*.csv`` -- the same tables as UTF-8 *with* a byte-order mark, which Excel needs to read
  Chinese names correctly (without it Excel on Chinese Windows assumes GBK and shows
  mojibake); every code column has its name beside it.

Numbers keep full precision (rounding is for the report). Every file is byte-identical on
rerun: the workbook's document dates are fixed and its zip entries carry a fixed time
stamp; the Stata files carry a fixed time stamp.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from greenindex.glossary import region_label, variant_label

__all__ = [
    "FIXED_TIME",
    "normalise_zip",
    "scores_table",
    "write_csv_bom",
    "write_dta",
    "write_workbook",
]

#: Time stamp written into the workbook and Stata files (reruns are byte-identical).
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)

#: Column descriptions (README sheet and Stata variable labels), Chinese and English.
COLUMNS: dict[str, tuple[str, str]] = {
    "unit": ("省份代码（ISO 3166-2:CN）", "Province code (ISO 3166-2:CN)"),
    "unit_id": ("省份数字编号（Stata 面板编号）", "Province number (Stata panel id)"),
    "name_zh": ("省份中文名", "Province name in Chinese"),
    "name_en": ("省份英文名", "Province name in English"),
    "region": ("区域代码", "Region code"),
    "region_id": ("区域数字编号（Stata 面板编号）", "Region number (Stata panel id)"),
    "region_zh": ("区域中文名", "Region name in Chinese"),
    "region_en": ("区域英文名", "Region name in English"),
    "year": ("年份", "Year"),
    "variant": ("方案代码", "Variant code"),
    "variant_zh": ("方案中文名", "Variant name in Chinese"),
    "variant_en": ("方案英文名", "Variant name in English"),
    "main": ("是否主方案", "Main variant"),
    "index": ("制造业绿色发展指数", "Green manufacturing index"),
    "rank": ("指数排名（1 = 最高）", "Rank of the index (1 = highest)"),
    "mean": ("区域均值", "Regional mean"),
    "median": ("区域中位数", "Regional median"),
    "min": ("区域最小值", "Regional minimum"),
    "max": ("区域最大值", "Regional maximum"),
    "n": ("省份数", "Number of provinces"),
}

SHEETS: dict[str, tuple[str, str]] = {
    "scores": (
        "主方案的省份指数、分维度指数与排名（面板）",
        "Index, dimension sub-indices and rank of each province and year (main variant)",
    ),
    "index_by_variant": (
        "各方案的省份指数与排名",
        "Index and rank of each province and year under every variant",
    ),
    "region_means": ("区域均值（主方案，面板）", "Regional means (main variant, panel)"),
    "claims": ("结论检验：各结论 x 各方案", "Claim check: each claim under each variant"),
    "weights": ("各方案的指标权重", "Indicator weights under every variant"),
    "rank_intervals": ("蒙特卡洛排名区间", "Monte Carlo rank intervals"),
    "audit": ("审计结果", "Audit"),
}


def scores_table(
    scores: pd.DataFrame,
    units: pd.DataFrame,
    *,
    scheme: str,
    region_labels: Mapping[str, Mapping[str, str]] | None = None,
    order: Sequence[str] = (),
    column: str = "index",
) -> pd.DataFrame:
    """Scores with names beside codes: unit, unit_id, name_zh, name_en, region (+ names), year,
    the node columns and the rank of ``column`` within each year (1 = highest, ties share).
    """
    u = units.set_index("unit")
    d = scores.copy()
    d["unit"] = d["unit"].astype(str)
    nodes = [c for c in d.columns if c not in ("unit", "year")]
    codes = sorted(d["unit"].unique())
    d.insert(1, "unit_id", d["unit"].map({c: i + 1 for i, c in enumerate(codes)}).astype("int32"))
    d.insert(2, "name_zh", d["unit"].map(u["name_zh"]))
    d.insert(3, "name_en", d["unit"].map(u["name_en"]))
    reg = d["unit"].map(u[scheme]) if scheme in u.columns else pd.Series("", index=d.index)
    d.insert(4, "region", reg)
    d.insert(5, "region_zh", [region_label(r, "zh", region_labels) if r else "" for r in reg])
    d.insert(6, "region_en", [region_label(r, "en", region_labels) if r else "" for r in reg])
    d["rank"] = d.groupby("year")[column].rank(ascending=False, method="min").astype("Int32")
    d["year"] = d["year"].astype("int32")
    return d[
        [
            "unit",
            "unit_id",
            "name_zh",
            "name_en",
            "region",
            "region_zh",
            "region_en",
            "year",
            *nodes,
            "rank",
        ]
    ]


def write_csv_bom(frame: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8 with a byte-order mark (Excel reads Chinese correctly), ``\\n`` line ends,
    full float precision."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


def write_dta(
    frame: pd.DataFrame, path: str | Path, *, label: str, labels: Mapping[str, str] | None = None
) -> Path:
    """A Stata 14+ (format 118, UTF-8) file with variable labels and a fixed time stamp."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    d = frame.copy()
    for c in d.columns:
        if pd.api.types.is_bool_dtype(d[c]):
            d[c] = d[c].astype("int8")
        elif d[c].dtype == object or pd.api.types.is_string_dtype(d[c]):
            d[c] = d[c].fillna("").astype(str)
        elif str(d[c].dtype) == "Int32":
            d[c] = d[c].astype("float64")
    var_labels = {c: (labels or {}).get(c, COLUMNS.get(c, ("", c))[1])[:80] for c in d.columns}
    buf = io.BytesIO()
    d.to_stata(
        buf,
        write_index=False,
        version=118,
        data_label=label[:80],
        variable_labels=var_labels,
        time_stamp=FIXED_TIME,
    )
    path.write_bytes(buf.getvalue())
    return path


def normalise_zip(path: str | Path) -> None:
    """Rewrite a zip (an .xlsx) with every entry stamped :data:`FIXED_TIME`, in the same order,
    and the workbook's modification date (which openpyxl sets to the time of saving) fixed."""
    path = Path(path)
    with zipfile.ZipFile(path) as zin:
        entries = [(i, zin.read(i.filename)) for i in zin.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [
        (
            i,
            re.sub(
                rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                rb"\g<1>" + stamp + rb"\g<2>",
                data,
            )
            if i.filename == "docProps/core.xml"
            else data,
        )
        for i, data in entries
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            new = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o600 << 16
            zout.writestr(new, data)
    path.write_bytes(buf.getvalue())


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    descriptions: Mapping[str, tuple[str, str]] | None = None,
) -> Path:
    """One .xlsx with a ``README`` sheet (sheet and column descriptions in Chinese and English)
    followed by ``sheets``; header row frozen, columns sized to their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    desc = {**SHEETS, **(descriptions or {})}
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    readme.append(["sheet / column", "说明", "description"])
    for name in sheets:
        zh, en = desc.get(name, ("", ""))
        readme.append([name, zh, en])
    readme.append([])
    seen: set[str] = set()
    for frame in sheets.values():
        for c in frame.columns:
            if c in COLUMNS and c not in seen:
                seen.add(c)
                readme.append([c, *COLUMNS[c]])
    readme.append([])
    readme.append(
        [
            "",
            "数值为全精度；报告中的数字为四舍五入后的结果。",
            "Numbers are at full precision; the report rounds them for reading.",
        ]
    )
    for cell in readme[1]:
        cell.font = Font(bold=True)
    readme.column_dimensions["A"].width = 22
    readme.column_dimensions["B"].width = 48
    readme.column_dimensions["C"].width = 70
    for name, frame in sheets.items():
        ws = wb.create_sheet(name[:31])
        ws.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            ws.append(
                [
                    None
                    if (isinstance(v, float) and pd.isna(v)) or v is pd.NA
                    else (v.item() if hasattr(v, "item") else v)
                    for v in row
                ]
            )
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for j, c in enumerate(frame.columns, start=1):
            width = max([len(str(c))] + [len(str(v)) for v in frame[c].head(200)])
            ws.column_dimensions[get_column_letter(j)].width = min(max(8, width + 2), 60)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "greenindex"
    wb.save(path)
    normalise_zip(path)
    return path


def variant_frame(
    paths: Mapping[str, str | Path],
    units: pd.DataFrame,
    *,
    main: str,
    scheme: str,
    names: Mapping[str, Mapping[str, str]] | None = None,
    column: str = "index",
) -> pd.DataFrame:
    """The index and its rank of every unit-year under every variant (long table); ``names``:
    display names of the variants per language (``{"zh": {...}, "en": {...}}``)."""
    frames = []
    for v, p in paths.items():
        s = pd.read_csv(p, dtype={"unit": str})[["unit", "year", column]]
        t = scores_table(s, units, scheme=scheme, column=column)
        t.insert(8, "variant", v)
        t.insert(9, "variant_zh", variant_label(v, "zh", (names or {}).get("zh")))
        t.insert(10, "variant_en", variant_label(v, "en", (names or {}).get("en")))
        t.insert(11, "main", v == main)
        frames.append(t.drop(columns=["unit_id"]))
    return pd.concat(frames, ignore_index=True)
