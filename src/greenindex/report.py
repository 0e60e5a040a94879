"""A self-contained HTML report: figures embedded, tables, finding summary, method record.

The report is one file a researcher can attach or send: PNG figures are embedded as base64,
there is no script and no external resource. Its content is a deterministic function of the
results (no time stamps), so reruns give identical bytes.
"""

from __future__ import annotations

import base64
import html
import json
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


def _img(path: str | Path) -> str:
    data = Path(path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


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
