"""The greenindex report: sections built from the run's result files, in one language.

The report leads with the finding: right under the title, the headline table (each claim
x each method variant: holds or not, with the bootstrap share, and the share of the Monte
Carlo replications over method choices in which the claim holds; the main variant first and
marked) and one plain paragraph; then the maps, the index by region, the claims in detail,
disparity, robustness, weights, data, a methods section written from the method record and
the glossary of the terms used. Numbers are rounded for reading; full precision stays in
``results/`` (CSV, Excel, Stata).

Extending the report
--------------------
Each section is made by a builder ``f(ctx) -> Section | None`` listed in :data:`BUILDERS`.
Another module adds its own with :func:`register_section` (e.g. an audit section after
"data"), so the report assembly does not have to change:

>>> from greenindex.report.html import Section
>>> def audit(ctx):
...     return Section("Audit", "audit", paragraphs=["..."])
>>> register_section("audit", audit, after="data")
>>> [name for name, _ in BUILDERS][-4:]
['data', 'audit', 'method', 'glossary']
>>> unregister_section("audit")
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from greenindex.glossary import term
from greenindex.report.assemble.context import ReportContext
from greenindex.report.assemble.context import load_json as load_json
from greenindex.report.assemble.evidence import data_section, weights_section
from greenindex.report.assemble.headline import headline_html
from greenindex.report.assemble.headline import headline_paragraph as headline_paragraph
from greenindex.report.assemble.methods import glossary_section, method_section
from greenindex.report.assemble.results import (
    disparity_section,
    finding_section,
    index_section,
    maps_section,
    robustness_section,
)
from greenindex.report.captions import figure_caption, method_phrase, unit_names, years_text
from greenindex.report.html import Section, render

__all__ = [
    "BUILDERS",
    "ReportContext",
    "build_report",
    "headline_html",
    "register_section",
    "unregister_section",
]

#: Section builders in report order: (name, builder). See :func:`register_section`.
BUILDERS: list[tuple[str, Callable[[ReportContext], Section | None]]] = [
    ("maps", maps_section),
    ("index", index_section),
    ("finding", finding_section),
    ("disparity", disparity_section),
    ("robustness", robustness_section),
    ("weights", weights_section),
    ("data", data_section),
    ("method", method_section),
    ("glossary", glossary_section),
]


def register_section(
    name: str, builder: Callable[[ReportContext], Section | None], *, after: str | None = None
) -> None:
    """Add a section builder after the section ``after`` (default: before the methods)."""
    unregister_section(name)
    names = [n for n, _ in BUILDERS]
    pos = names.index(after) + 1 if after in names else names.index("method")
    BUILDERS.insert(pos, (name, builder))


def unregister_section(name: str) -> None:
    BUILDERS[:] = [(n, b) for n, b in BUILDERS if n != name]


def build_report(ctx: ReportContext, *, notes: Mapping[str, Sequence[str]] | None = None) -> str:
    """The whole report as HTML: title, subtitle, headline, then the sections of :data:`BUILDERS`.

    Figures are numbered in the order they appear; their captions come from
    :func:`greenindex.report.captions.figure_caption` (``notes``: extra notes per figure name).
    """
    lead = headline_html(ctx)
    sections = [s for s in (b(ctx) for _, b in BUILDERS if _ != "glossary") if s is not None]
    number = 0
    for s in sections:
        for f in s.figures:
            number += 1
            name = f.caption
            f.caption = (
                figure_caption(name, number, ctx.captions, notes=(notes or {}).get(name, ()))
                if ctx.captions
                else name
            )
    sections.append(glossary_section(ctx))
    rec = ctx.record
    w0, w1 = ctx.window
    drop = rec.get("units", {}).get("drop") or []
    if ctx.zh:
        sub = (
            f"主方案：{method_phrase(rec, 'zh')}；考察期 {years_text(w0, w1, 'zh')}"
            + (f"；{unit_names(drop, 'zh')}未纳入分析" if drop else "")
            + "。"
            + term("first_screen_hint", "zh")
        )
    else:
        sub = (
            f"Main variant: {method_phrase(rec, 'en')}; window {years_text(w0, w1, 'en')}"
            + (f"; {unit_names(drop, 'en')} left out of the analysis" if drop else "")
            + ". "
            + term("first_screen_hint", "en")
        )
    return render(
        term("title", ctx.language), sections, subtitle=sub, language=ctx.language, lead_html=lead
    )
