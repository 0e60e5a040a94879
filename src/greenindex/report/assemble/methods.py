"""The closing sections: the methods in words (from the method record) and the glossary of
the terms the report used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from greenindex.glossary import term, terms_used
from greenindex.report.assemble.context import ReportContext, _variant_order
from greenindex.report.captions import method_phrase, unit_names
from greenindex.report.html import Section, Table

#: The opening of the methods section, by language.
_OPENING = {
    "zh": {
        "panel": "面板期为 {p0}—{p1} 年，考察期为 {w0}—{w1} 年",
        "dropped": "；{units}未纳入分析",
        "regions": "。区域划分为{scheme}（{order}）。",
        "sep": "、",
        "main": "主方案：{phrase}。",
        "variant": "对比方案“{name}”：{phrase}。",
    },
    "en": {
        "panel": "Panel {p0}–{p1}, analysis window {w0}–{w1}",
        "dropped": "; {units} left out of the analysis",
        "regions": ". Regions: {scheme} ({order}).",
        "sep": ", ",
        "main": "Main variant: {phrase}.",
        "variant": "Variant {name}: {phrase}.",
    },
}


#: The disparity and spatial methods in words, by language.
_DISPARITY = {
    "zh": {
        "disparity": "区域差异：泰尔指数 T 及其区域内、区域间分解；Dagum（1997）基尼系数分解为区域内差异、"
        "区域间净差异与超变密度；β 收敛为混合回归；核密度为高斯核、{bandwidth}",
        "reflected": "，在 [{lo:g}, {hi:g}] 边界反射修正",
        "spatial": "。空间自相关：后共边邻接",
        "links": "（另加 {links}）",
        "inference": "，行标准化，{permutations} 次置换，显著性水平 {alpha}。",
    },
    "en": {
        "disparity": "Disparity: Theil T with its within/between-region decomposition; the Dagum "
        "(1997) Gini decomposition into within-region, net between-region and transvariation "
        "terms; pooled β-convergence; Gaussian kernel densities, {bandwidth}",
        "reflected": ", reflected at the bounds [{lo:g}, {hi:g}]",
        "spatial": ". Spatial autocorrelation: queen contiguity",
        "links": " plus the link(s) {links}",
        "inference": ", row-standardised, {permutations} permutations, significance level {alpha}.",
    },
}


def method_section(ctx: ReportContext) -> Section:
    """The methods in words, written from the method record (and the disparity record)."""
    rec = ctx.record
    sec = Section(ctx.t("method_section"), "method")
    dis = ctx.captions.disparity if ctx.captions else {}
    sec.paragraphs += _opening_paragraphs(ctx)
    if dis:
        sec.paragraphs.append(_disparity_paragraph(ctx, dis))
    versions = rec.get("versions", {})
    if versions:
        v = ", ".join(f"{k} {versions[k]}" for k in sorted(versions))
        sec.paragraphs.append(
            ("软件版本：" if ctx.zh else "Software: ") + v + ("。" if ctx.zh else ".")
        )
    inputs = rec.get("inputs", {})
    if inputs:
        rows = pd.DataFrame(
            {
                "file": [d["path"] for d in inputs.values()],
                "sha256": [d["sha256"][:12] for d in inputs.values()],
            }
        )
        sec.tables.append(
            Table(
                (
                    "输入文件及其 SHA-256 校验值（前 12 位）"
                    if ctx.zh
                    else "Input files and their SHA-256 (first 12 hex digits)"
                ),
                rows,
                labels={"file": "文件" if ctx.zh else "File", "sha256": "SHA-256"},
                language=ctx.language,
            )
        )
    sec.paragraphs.append(
        "完整方法记录见 results/provenance/method_record.json。"
        if ctx.zh
        else "The full method record is results/provenance/method_record.json."
    )
    return sec


def _opening_paragraphs(ctx: ReportContext) -> list[str]:
    """The panel, window, units left out and regions; then the main variant's method and each
    other variant's, in words (:func:`~greenindex.report.captions.method_phrase`)."""
    rec = ctx.record
    lang = "zh" if ctx.zh else "en"
    t = _OPENING[lang]
    w0, w1 = ctx.window
    p0, p1 = int(rec["panel"]["start"]), int(rec["panel"]["end"])
    drop = rec.get("units", {}).get("drop") or []
    regions = rec.get("regions", {})
    order = t["sep"].join(ctx.region(r) for r in regions.get("order", []))
    variants = _variant_order(ctx, list(rec["variants"]))
    opening = (
        t["panel"].format(p0=p0, p1=p1, w0=w0, w1=w1)
        + (t["dropped"].format(units=unit_names(drop, lang)) if drop else "")
        + t["regions"].format(scheme=term(str(regions.get("scheme")), lang), order=order)
    )
    return [
        opening,
        t["main"].format(phrase=method_phrase(rec, lang)),
        *(
            t["variant"].format(name=ctx.variant(v), phrase=method_phrase(rec, lang, v))
            for v in variants[1:]
        ),
    ]


def _disparity_paragraph(ctx: ReportContext, dis: Mapping[str, Any]) -> str:
    """The disparity and spatial methods in words, from the disparity record."""
    kde = dis.get("kde", {})
    sp = dis.get("spatial", {})
    links = ", ".join(f"{k}–{x}" for k, xs in (sp.get("links") or {}).items() for x in xs)
    sup = kde.get("support")
    lang = "zh" if ctx.zh else "en"
    t = _DISPARITY[lang]
    return (
        t["disparity"].format(bandwidth=term(str(kde.get("bandwidth")), lang))
        + (t["reflected"].format(lo=sup[0], hi=sup[1]) if sup else "")
        + t["spatial"]
        + (t["links"].format(links=links) if links else "")
        + t["inference"].format(permutations=sp.get("permutations"), alpha=sp.get("lisa_alpha"))
    )


def glossary_section(ctx: ReportContext) -> Section:
    rows = terms_used(
        [k for k in ctx.used_terms if not k.startswith("C")]
        + [
            "index",
            "theil",
            "dagum",
            "G_nb",
            "G_t",
            "HH",
            "LL",
            "HL",
            "LH",
            "ns",
            "south_china_sea",
            "minmax",
            "entropy",
            "pca",
            "critic",
            "equal",
            "topsis",
            "fisher_jenks",
            "queen",
        ]
    )
    import html

    rows = [r for r in rows if r[1] != r[2]]
    # each column marked with its language (lang attribute), as HTML wants for foreign text
    first, second = ("zh", "en") if ctx.zh else ("en", "zh")
    idx = {"zh": 1, "en": 2}
    head = (
        f'<tr><th class="t">{html.escape(term("term_" + first, ctx.language))}</th>'
        f'<th class="t">{html.escape(term("term_" + second, ctx.language))}</th></tr>'
    )
    body = "".join(
        f'<tr><td class="t" lang="{"zh-CN" if first == "zh" else "en"}">{html.escape(r[idx[first]])}</td>'
        f'<td class="t" lang="{"zh-CN" if second == "zh" else "en"}">{html.escape(r[idx[second]])}</td></tr>'
        for r in rows
    )
    table = f'<table id="glossary-table"><thead>{head}</thead><tbody>{body}</tbody></table>'
    return Section(term("glossary_section", ctx.language), "glossary", html=table)
