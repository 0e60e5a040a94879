"""A self-contained HTML report: figures embedded, tables, finding summary, method record.

The report is one file a researcher can attach or send: PNG figures are embedded as base64,
there is no script and no external resource. Its content is a deterministic function of the
results (no time stamps), so reruns give identical bytes.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greenindex.figures.preview import PREVIEW_WIDTH, is_preview, preview_png

CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","WenQuanYi Zen Hei","Microsoft YaHei",Arial,sans-serif;max-width:1100px;margin:1.2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.55em;border-bottom:2px solid #2b6a4e;padding-bottom:.2em;margin:.3em 0 .3em}
h2{font-size:1.25em;color:#2b6a4e;margin-top:1.8em}
h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1.1em;font-size:.86em}
th,td{border:1px solid #ccc;padding:.25em .55em;text-align:right;vertical-align:top}
th{background:#eef4f0;text-align:center}
td.t,th.t{text-align:left}
td.c{text-align:center}
figure{margin:1.2em 0;page-break-inside:avoid}
figure img{max-width:100%;border:1px solid #ddd}
figcaption,.tcap{font-size:.85em;color:#444;margin-top:.3em}
.holds{color:#1a7f37;font-weight:bold}.fails{color:#b42318;font-weight:bold}
.note{background:#f6f8fa;border-left:4px solid #2b6a4e;padding:.4em 1em;margin:.4em 0}
.lead{font-size:1.02em}
.main{background:#fff6d6}
table.headline td,table.headline th{padding:.3em .7em}
pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:.8em}
nav{font-size:.9em}nav a{margin-right:1em}
"""


@dataclass
class Figure:
    """A figure to embed: PNG path and caption."""

    path: str | Path
    caption: str


@dataclass
class Table:
    """A table to show: caption, frame and display options.

    ``formats`` maps a column to a format spec (``"{:.1f}"``) or a callable; other float
    columns use ``float_format``. Text columns are left-aligned, numbers right-aligned.
    ``labels`` maps column names to display headers (from the glossary).
    """

    caption: str
    frame: pd.DataFrame
    formats: Mapping[str, Any] = field(default_factory=dict)
    float_format: str = "{:.3f}"
    labels: Mapping[str, str] = field(default_factory=dict)
    css_class: str = ""
    highlight_rows: Sequence[int] = ()
    language: str = "en"
    html: str | None = None  # a ready table (trusted HTML made by this package)


@dataclass
class Section:
    """A report section: title, optional HTML/markdown-ish paragraphs, tables and figures.

    ``tables`` holds :class:`Table` objects or ``(caption, frame)`` pairs.
    """

    title: str
    anchor: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    preformatted: str | None = None
    html: str | None = None  # trusted HTML made by this module (e.g. :func:`markdown_html`)
    html_after: str | None = None  # trusted HTML placed after the figures


#: Widest embedded image in pixels (the report's copies: :func:`greenindex.figures.preview.preview_png`).
MAX_WIDTH = PREVIEW_WIDTH


def _img(path: str | Path) -> str:
    """A PNG as a data URI: a report copy written by the figure's job as it is, any other PNG
    reduced to one (:func:`~greenindex.figures.preview.preview_png`; deterministic bytes)."""
    from PIL import Image

    with Image.open(path) as im:
        data = Path(path).read_bytes() if is_preview(im) else preview_png(im)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


_NEG_ZERO = re.compile(r"^-(0(\.0+)?)(%?)$")


def fmt_number(value: Any, spec: Any = "{:.3f}") -> str:
    """A number for reading: formatted by ``spec`` (a format string or a callable), no "-0.000".

    >>> fmt_number(-0.0004, "{:.3f}"), fmt_number(12.345, "{:.1f}"), fmt_number(float("nan"))
    ('0.000', '12.3', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    txt = spec(value) if callable(spec) else spec.format(value)
    m = _NEG_ZERO.match(txt)
    return m.group(1) + m.group(3) if m else txt


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_)
    )


def table_html(
    df: pd.DataFrame | Table,
    *,
    float_format: str = "{:.3f}",
    max_rows: int = 200,
    language: str = "en",
) -> str:
    """A compact HTML table: numbers rounded for reading and right-aligned, text left-aligned,
    booleans as yes/no in the report language, long tables cut with a note."""
    from greenindex.glossary import term

    t = df if isinstance(df, Table) else Table("", df, float_format=float_format, language=language)
    if t.html is not None:
        return t.html
    frame = t.frame
    shown = frame.head(max_rows)
    cols = list(shown.columns)
    text_cols = {
        c
        for c in cols
        if not pd.api.types.is_numeric_dtype(shown[c]) or pd.api.types.is_bool_dtype(shown[c])
    }
    cls = f' class="{t.css_class}"' if t.css_class else ""
    tcls = ' class="t"'
    head = "".join(
        f"<th{tcls if c in text_cols else ''}>{html.escape(str(t.labels.get(c, c)))}</th>"
        for c in cols
    )
    out = [f"<table{cls}><thead><tr>{head}</tr></thead><tbody>"]
    for i, row in enumerate(shown.itertuples(index=False)):
        cells = []
        for c, v in zip(cols, row, strict=True):
            if isinstance(v, (bool, np.bool_)):
                key = "holds" if v else "fails"
                cells.append(
                    f'<td class="c"><span class="{key}">{html.escape(term("yes" if v else "no", t.language))}</span></td>'
                )
                continue
            if _is_number(v):
                spec = t.formats.get(
                    c, t.float_format if isinstance(v, (float, np.floating)) else "{}"
                )
                cells.append(f"<td>{html.escape(fmt_number(v, spec))}</td>")
            else:
                txt = "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
                cells.append(f'<td class="t">{html.escape(txt)}</td>')
        rc = ' class="main"' if i in set(t.highlight_rows) else ""
        out.append(f"<tr{rc}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if len(frame) > max_rows:
        out.append(
            f"<p><em>{html.escape(term('rows_cut', t.language, n=max_rows, total=len(frame)))}</em></p>"
        )
    if t.caption:
        out.insert(0, f'<p class="tcap">{html.escape(t.caption)}</p>')
    return "".join(out)


def _para(text: str) -> str:
    """Paragraph text: escaped, with **bold** and line breaks kept."""
    t = html.escape(text)
    parts = t.split("**")
    t = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
    return "<p>" + t.replace("\n", "<br>") + "</p>"


def render(
    title: str,
    sections: Sequence[Section],
    *,
    subtitle: str = "",
    record: Mapping[str, Any] | None = None,
    language: str = "en",
    lead_html: str = "",
) -> str:
    """Render the report to an HTML string.

    ``lead_html`` (trusted HTML) comes right after the title, before the navigation: the
    headline finding sits in the reader's first screen. ``record`` (a method record) is
    printed as JSON at the end only when given (the greenindex report shows a readable
    method section instead).
    """
    body = [f"<h1>{html.escape(title)}</h1>"]
    if subtitle:
        body.append(f'<p class="note">{html.escape(subtitle)}</p>')
    if lead_html:
        body.append(lead_html)
    body.append(
        "<nav>"
        + "".join(f'<a href="#{s.anchor}">{html.escape(s.title)}</a>' for s in sections)
        + "</nav>"
    )
    for s in sections:
        body.append(f'<h2 id="{s.anchor}">{html.escape(s.title)}</h2>')
        body.extend(_para(p) for p in s.paragraphs)
        if s.html:
            body.append(s.html)
        for tab in s.tables:
            if isinstance(tab, Table):
                body.append(table_html(tab))
                continue
            cap, df = tab
            if cap:
                body.append(f"<h3>{html.escape(cap)}</h3>")
            body.append(table_html(df, language=language))
        for fig in s.figures:
            body.append(
                f'<figure><img src="{_img(fig.path)}" alt="{html.escape(fig.caption)}">'
                f"<figcaption>{html.escape(fig.caption)}</figcaption></figure>"
            )
        if s.html_after:
            body.append(s.html_after)
        if s.preformatted:
            body.append(f"<pre>{html.escape(s.preformatted)}</pre>")
    if record is not None:
        body.append('<h2 id="record">Method record</h2>')
        body.append(
            f"<pre>{html.escape(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True))}</pre>"
        )
    lang_attr = "zh-CN" if language == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang_attr}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


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
