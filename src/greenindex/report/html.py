"""A self-contained HTML report: figures embedded, tables, finding summary, method record.

The report is one file a researcher can attach or send: PNG figures are embedded as base64,
there is no script and no external resource. Its content is a deterministic function of the
results (no time stamps), so reruns give identical bytes.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;border-bottom:2px solid #2b6a4e;padding-bottom:.2em}
h2{font-size:1.3em;color:#2b6a4e;margin-top:2em}
h3{font-size:1.1em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.86em}
th,td{border:1px solid #ccc;padding:.25em .55em;text-align:right}
th{background:#eef4f0}
td:first-child,th:first-child{text-align:left}
figure{margin:1.2em 0;page-break-inside:avoid}
figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:.85em;color:#444;margin-top:.3em}
.holds{color:#1a7f37;font-weight:bold}.fails{color:#b42318;font-weight:bold}
.note{background:#f6f8fa;border-left:4px solid #2b6a4e;padding:.5em 1em}
pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:.8em}
nav a{margin-right:1em}
"""


@dataclass
class Figure:
    """A figure to embed: PNG path and caption."""

    path: str | Path
    caption: str


@dataclass
class Section:
    """A report section: title, optional HTML/markdown-ish paragraphs, tables and figures."""

    title: str
    anchor: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    preformatted: str | None = None
    html: str | None = None  # trusted HTML made by this module (e.g. :func:`markdown_html`)


#: Widest embedded image in pixels: the 300 dpi files stay in results/figures/, the report
#: carries a lighter copy (integer box reduction, 256-colour palette) so it can be e-mailed.
MAX_WIDTH = 1400


def _img(path: str | Path) -> str:
    """A PNG as a data URI, reduced to at most :data:`MAX_WIDTH` pixels (deterministic bytes)."""
    from PIL import Image

    with Image.open(path) as im:
        k = max(1, math.ceil(im.width / MAX_WIDTH))
        small = im.reduce(k) if k > 1 else im.copy()
    small = small.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    small.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def table_html(df: pd.DataFrame, *, float_format: str = "{:.3f}", max_rows: int = 200) -> str:
    """A compact HTML table (floats formatted, long tables cut with a note)."""
    shown = df.head(max_rows)
    cols = list(shown.columns)
    out = ["<table><thead><tr>" + "".join(f"<th>{html.escape(str(c))}</th>" for c in cols) + "</tr></thead><tbody>"]
    for row in shown.itertuples(index=False):
        cells = []
        for v in row:
            if isinstance(v, float):
                txt = "" if pd.isna(v) else float_format.format(v)
            elif isinstance(v, (bool,)) or str(v) in ("True", "False"):
                cls = "holds" if str(v) == "True" else "fails"
                txt = f'<span class="{cls}">{"yes" if str(v) == "True" else "no"}</span>'
                cells.append(f"<td>{txt}</td>")
                continue
            else:
                txt = html.escape(str(v))
            cells.append(f"<td>{txt}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if len(df) > max_rows:
        out.append(f"<p><em>First {max_rows} of {len(df)} rows; the full table is in results/.</em></p>")
    return "".join(out)


def _para(text: str) -> str:
    """Paragraph text: escaped, with **bold** and line breaks kept."""
    t = html.escape(text)
    parts = t.split("**")
    t = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
    return "<p>" + t.replace("\n", "<br>") + "</p>"


def render(title: str, sections: Sequence[Section], *, subtitle: str = "", record: Mapping[str, Any] | None = None) -> str:
    """Render the report to an HTML string."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    if subtitle:
        body.append(f'<p class="note">{html.escape(subtitle)}</p>')
    body.append("<nav>" + "".join(f'<a href="#{s.anchor}">{html.escape(s.title)}</a>' for s in sections) + "</nav>")
    for s in sections:
        body.append(f'<h2 id="{s.anchor}">{html.escape(s.title)}</h2>')
        body.extend(_para(p) for p in s.paragraphs)
        if s.html:
            body.append(s.html)
        for cap, df in s.tables:
            if cap:
                body.append(f"<h3>{html.escape(cap)}</h3>")
            body.append(table_html(df))
        for fig in s.figures:
            body.append(
                f'<figure><img src="{_img(fig.path)}" alt="{html.escape(fig.caption)}">'
                f"<figcaption>{html.escape(fig.caption)}</figcaption></figure>"
            )
        if s.preformatted:
            body.append(f"<pre>{html.escape(s.preformatted)}</pre>")
    if record is not None:
        body.append('<h2 id="record">Method record</h2>')
        body.append(f"<pre>{html.escape(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True))}</pre>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


# -- the greenindex report ------------------------------------------------------------------

TEXT = {
    "title": {"en": "Regional green-manufacturing index of China's provinces", "zh": "中国省域制造业绿色发展指数报告"},
    "finding": {"en": "Finding check", "zh": "结论检验"},
    "index": {"en": "Index and regions", "zh": "指数与区域"},
    "maps": {"en": "Maps", "zh": "地图"},
    "disparity": {"en": "Regional disparity", "zh": "区域差异"},
    "uncertainty": {"en": "Robustness", "zh": "稳健性"},
    "data": {"en": "Data and coverage", "zh": "数据与覆盖"},
    "weights": {"en": "Weights", "zh": "权重"},
}

FIGURE_TITLES = {
    "region_gradient": {"en": "Four-region gradient of the index", "zh": "四大区域指数梯度"},
    "index_by_year": {"en": "Index by province and year (classes fixed across years)", "zh": "各省逐年指数（各年分级一致）"},
    "index_change": {"en": "Change of the index over the window", "zh": "考察期内指数变化"},
    "dimensions": {"en": "Dimension sub-indices", "zh": "分维度指数"},
    "lisa_clusters": {"en": "Local Moran (LISA) clusters", "zh": "局部莫兰（LISA）聚类"},
    "region_trends": {"en": "Region means with the range of provinces", "zh": "区域均值及省份区间"},
    "ranks": {"en": "Province ranks", "zh": "省份排名"},
    "theil_contributions": {"en": "Theil T: within- and between-region shares", "zh": "泰尔指数区域内与区域间贡献"},
    "dagum_contributions": {"en": "Dagum Gini decomposition", "zh": "Dagum 基尼系数分解"},
    "kernel_density": {"en": "Kernel density of the index by year", "zh": "指数逐年核密度"},
    "weights_by_method": {"en": "Effective indicator weights by method", "zh": "不同方法的指标有效权重"},
    "coverage_heatmap": {"en": "Data coverage: observed, imputed and missing cells", "zh": "数据覆盖：观测、插补与缺失"},
    "rank_intervals": {"en": "Rank intervals (5-95 %) under the Monte Carlo over method choices", "zh": "方法选择蒙特卡洛下的排名区间（5%-95%）"},
    "claim_robustness": {"en": "Share of replications in which each claim holds", "zh": "各结论成立的模拟比例"},
    "sobol": {"en": "Sobol sensitivity of the rank shift to each choice", "zh": "排名变化对各选择的 Sobol 敏感度"},
}


def caption(name: str, language: str, *, method: str, sources: str, map_note: str | None = None) -> str:
    """Figure caption: title, method summary, data sources and, for maps, the base-map line."""
    title = FIGURE_TITLES.get(name, {}).get(language, name)
    lab = {"en": ("Method", "Data"), "zh": ("方法", "数据")}[language]
    parts = [f"{title}. {lab[0]}: {method}. {lab[1]}: {sources}."]
    if map_note:
        parts.append(map_note)
    return " ".join(parts)


def method_summary(record: Mapping[str, Any], language: str = "en") -> str:
    """One line naming the main variant's methods (from the method record)."""
    v = record["variants"][record["main_variant"]]
    n, w, a = v["normalise"], v["weights"], v["aggregate"]
    rng = f" {n.get('range')}" if n.get("method") == "minmax" else ""
    ent = f" ({w.get('entropy', {}).get('variant')})" if w.get("method") == "entropy" else ""
    units = record["units"]
    drop = f"; dropped {', '.join(units['drop'])}" if units.get("drop") else ""
    if language == "zh":
        return (f"{n.get('method')}{rng} 标准化（{n.get('scope')}），{w.get('method')}{ent} 赋权（{w.get('level')}），"
                f"{a.get('method')} 合成；{record['window']['start']}-{record['window']['end']} 年{drop}")
    return (f"{n.get('method')}{rng} normalisation ({n.get('scope')}), {w.get('method')}{ent} weights ({w.get('level')}), "
            f"{a.get('method')} aggregation; window {record['window']['start']}-{record['window']['end']}{drop}")


def markdown_html(md: str) -> str:
    """HTML of the simple markdown the claim summaries use: ``#`` headings, ``- `` bullets,
    ``**bold**`` and paragraphs (text escaped)."""
    out: list[str] = []
    in_list = False
    for line in md.splitlines():
        text = line.strip()
        if text.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_inline(text[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if not text:
            continue
        if text.startswith("#"):
            level = min(len(text) - len(text.lstrip("#")) + 1, 4)
            out.append(f"<h{level}>{_inline(text.lstrip('#').strip())}</h{level}>")
        else:
            out.append(f"<p>{_inline(text)}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def _inline(text: str) -> str:
    parts = html.escape(text).split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
