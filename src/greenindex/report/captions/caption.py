"""A figure's caption: the shared :class:`CaptionContext`, per-year data notes and
:func:`figure_caption`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from greenindex.glossary import region_label, term, variant_label
from greenindex.report.captions.phrases import _sep, method_phrase, unit_names, years_text
from greenindex.report.captions.specs import FIGURES, FigureSpec


def year_notes(table: pd.DataFrame | None, years: Sequence[int], language: str) -> list[str]:
    """Data notes of the shown ``years`` from a per-year disclosure table (``note_en``/``note_zh``).

    Rows whose ``status`` is ``observed`` carry no note; duplicates are merged.

    >>> t = pd.DataFrame({"year": [2020, 2019], "dimension": ["energy_carbon"] * 2, "data_year": [2019, 2019],
    ...                   "status": ["carried", "observed"], "note_en": ["energy and carbon: 2019 data carried to 2020", ""],
    ...                   "note_zh": ["能源与碳排放：2020 年沿用 2019 年数据", ""]})
    >>> year_notes(t, [2016, 2020], "zh")
    ['能源与碳排放：2020 年沿用 2019 年数据']
    """
    if table is None or table.empty:
        return []
    col = f"note_{language}"
    t = table[table["year"].astype(int).isin([int(y) for y in years])]
    if "status" in t.columns:
        t = t[t["status"].astype(str) != "observed"]
    return list(dict.fromkeys(str(n) for n in t[col].fillna("") if str(n).strip()))


@dataclass
class CaptionContext:
    """Facts shared by all captions of one report (built once from the run's records)."""

    record: Mapping[str, Any]
    language: str
    sources: list[str] = field(default_factory=list)
    disparity: Mapping[str, Any] = field(default_factory=dict)
    maps: Mapping[str, Any] = field(default_factory=dict)
    map_note: str = ""
    notes_table: pd.DataFrame | None = None
    n_replications: int | None = None
    variant_names: Mapping[str, str] = field(default_factory=dict)

    def years(self, which: str) -> tuple[int, int | None]:
        rec = self.record
        w0, w1 = int(rec["window"]["start"]), int(rec["window"]["end"])
        p0, p1 = int(rec["panel"]["start"]), int(rec["panel"]["end"])
        if which == "end":
            return w1, None
        if which == "panel":
            return p0, p1
        if which == "disparity":
            ys = self.disparity.get("years") or [p0, p1]
            return int(min(ys)), int(max(ys))
        return w0, w1


def figure_caption(
    name: str, number: int, ctx: CaptionContext, *, notes: Sequence[str] = ()
) -> str:
    """The caption of figure ``name`` (a key of :data:`FIGURES`) as figure ``number``.

    Parameters
    ----------
    notes
        Extra data notes for this figure (e.g. from :func:`year_notes`); the notes of the
        context's disclosure table for the figure's years are added automatically.
    """
    lang = ctx.language
    spec = FIGURES.get(name, FigureSpec({"en": name, "zh": name}))
    end, sep = _sep(lang)
    a, b = ctx.years(spec.years)
    head = f"{term('figure', lang)} {number}" + ("　" if lang == "zh" else ". ") + spec.title[lang]
    parts = [head + ("，" if lang == "zh" else ", ") + years_text(a, b, lang)]
    parts += _method_parts(spec, ctx, sep)
    if spec.kind in ("map", "lisa"):
        parts += _map_parts(name, spec, ctx, a)
    if spec.kind == "kde":
        parts.append(_kde_part(ctx))
    if spec.kind == "chart" and name in ("theil_contributions", "dagum_contributions"):
        parts.append(_regions_part(ctx))
    colon = "：" if lang == "zh" else ": "
    if ctx.sources and spec.kind not in ("robustness",):
        parts.append(
            f"{term('sources_label', lang)}{colon}"
            + ("；" if lang == "zh" else "; ").join(ctx.sources)
        )
    all_notes = list(notes) + year_notes(ctx.notes_table, range(a, (b or a) + 1), lang)
    for n in dict.fromkeys(all_notes):
        parts.append(f"{term('note_label', lang)}{colon}{n}")
    if lang == "en":
        parts = [p[:1].upper() + p[1:] for p in parts]
    text = parts[0] + end
    text += (
        end.join(p.rstrip("。. ") for p in parts[1:]) + (end.strip() if lang == "en" else end)
        if parts[1:]
        else ""
    )
    return text.strip()


def _method_parts(spec: FigureSpec, ctx: CaptionContext, sep: str) -> list[str]:
    """The caption's method sentence: weights of each variant, the Monte Carlo design, or the
    main variant's method (none for the coverage figure)."""
    lang = ctx.language
    rec = ctx.record
    main = rec["main_variant"]
    method = method_phrase(rec, lang)
    mlabel = term("method_label", lang)
    colon = "：" if lang == "zh" else ": "
    parts: list[str] = []
    if spec.kind == "weights":
        parts.append(
            f"{mlabel}{colon}"
            + (
                "各方案的有效权重，★ 为主方案（"
                if lang == "zh"
                else "effective weights of each variant; ★ marks the main variant ("
            )
            + variant_label(main, lang, ctx.variant_names)
            + ("）" if lang == "zh" else ")")
        )
    elif spec.kind == "robustness":
        n = ctx.n_replications
        mc = (
            f"{n} 次蒙特卡洛模拟，随机组合标准化、赋权、合成方法并扰动权重、剔除单一指标"
            if lang == "zh"
            else f"{n} Monte Carlo replications drawing normalisation, weighting and aggregation, perturbing weights and leaving out one indicator"
        )
        parts.append(
            f"{mlabel}{colon}{mc}{sep}"
            + ("基准为主方案：" if lang == "zh" else "nominal: main variant, ")
            + method
        )
    elif spec.kind != "coverage":
        parts.append(f"{mlabel}{colon}{method}")
    return parts


def _map_parts(name: str, spec: FigureSpec, ctx: CaptionContext, year: int) -> list[str]:
    """What a map's caption adds: classification, the LISA design, projection, no-data units
    and the base-map note."""
    lang = ctx.language
    rec = ctx.record
    colon = "：" if lang == "zh" else ": "
    parts: list[str] = []
    m = ctx.maps
    if name == "index_by_year":
        cls = term(m.get("scheme", "fisher_jenks"), lang)
        k = m.get("k", 5)
        parts.append(
            f"{term('classification', lang)}{colon}"
            + (
                f"{cls}，{k} 级，各年统一分级"
                if lang == "zh"
                else f"{cls}, k = {k}, breaks pooled over all years"
            )
        )
    elif name == "index_change":
        parts.append(
            f"{term('classification', lang)}{colon}"
            + (
                "以 0 为中心的等宽分级，两侧灰度交错以便黑白印刷"
                if lang == "zh"
                else "equal-width classes on both sides of zero, grey levels interleaved for greyscale print"
            )
        )
    elif name == "region_gradient":
        parts.append(
            "各区域按均值排序着色，数字为区域均值，箭头为相邻区域之差"
            if lang == "zh"
            else "regions shaded by the rank of their mean; numbers are region means, arrows the steps between regions"
        )
    elif name == "dimensions":
        parts.append(
            "各维度色带独立（最小值至最大值）"
            if lang == "zh"
            else "each dimension on its own continuous scale (minimum to maximum)"
        )
    if spec.kind == "lisa":
        sp = ctx.disparity.get("spatial", {})
        links = sp.get("links") or {}
        link_text = ", ".join(f"{k}–{v}" for k, vs in links.items() for v in vs)
        parts.append(
            term(
                "lisa_spec",
                lang,
                year=year,
                perm=sp.get("permutations", 999),
                alpha=sp.get("lisa_alpha", 0.05),
                links=term("lisa_links", lang, links=link_text) if link_text else "",
            )
        )
    parts.append(f"{term('projection', lang)}{colon}{term('albers', lang)}")
    dropped = rec.get("units", {}).get("drop") or []
    dnote = term("dropped_note", lang, units=unit_names(dropped, lang)) if dropped else ""
    parts.append(term("no_data_note", lang, dropped=dnote).rstrip("。."))
    if ctx.map_note:
        parts.append(ctx.map_note)
    return parts


def _kde_part(ctx: CaptionContext) -> str:
    """The kernel, bandwidth and boundary correction of the kernel densities."""
    lang = ctx.language
    kde = ctx.disparity.get("kde", {})
    bw = kde.get("bandwidth", "silverman_rot")
    bw_t = (
        term(bw, lang)
        if isinstance(bw, str)
        else (f"带宽 {bw}" if lang == "zh" else f"bandwidth {bw}")
    )
    sup = kde.get("support")
    if lang == "zh":
        corr = f"，在 [{sup[0]:g}, {sup[1]:g}] 边界反射修正" if sup else "，无边界修正"
        return f"高斯核，{bw_t}{corr}"
    corr = (
        f", reflection at the bounds [{sup[0]:g}, {sup[1]:g}]"
        if sup
        else ", no boundary correction"
    )
    return f"Gaussian kernel, {bw_t}{corr}"


def _regions_part(ctx: CaptionContext) -> str:
    """The regions (and their scheme) of a decomposition chart."""
    lang = ctx.language
    rec = ctx.record
    scheme = rec.get("regions", {}).get("scheme", "")
    order = rec.get("regions", {}).get("order", [])
    regs = ("、" if lang == "zh" else ", ").join(
        region_label(r, lang, rec.get("regions", {}).get("labels")) for r in order
    )
    return (
        ("区域：" if lang == "zh" else "regions: ")
        + regs
        + (f"（{term(scheme, lang)}）" if lang == "zh" else f" ({term(scheme, lang)})")
    )
