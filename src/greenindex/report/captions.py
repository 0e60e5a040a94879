"""Figure captions generated from the method record, in Chinese or English.

A journal caption says what the figure shows and how it was made, so a reader can judge it
without the methods section: figure number, title, data year(s), method of the index (the
main variant), and for maps the classification, projection, the no-data units and the base
map; for the LISA map the spatial weights, permutations and significance level; for the
kernel densities the kernel, bandwidth and boundary correction; then the sources actually
used by the index, in short form, and any per-year data notes (values carried or imputed).

Everything comes from the run's own records (``results/provenance/method_record.json``,
``results/disparity/method.json``, the validated config of the maps), never typed by hand,
so a caption cannot drift from what was computed.

Per-year data notes
-------------------
:func:`year_notes` turns a disclosure table (columns ``year, dimension, data_year, status,
note_en, note_zh``; e.g. "energy and carbon: 2019 data carried to 2020") into caption
notes for the years a figure shows. :func:`figure_caption` takes them as ``notes``; the
report passes them when the run writes such a table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from greenindex.glossary import region_label, term, variant_label

__all__ = [
    "FIGURES",
    "FigureSpec",
    "figure_caption",
    "method_phrase",
    "short_sources",
    "sources_used",
    "unit_names",
    "year_notes",
]


@dataclass(frozen=True)
class FigureSpec:
    """What a figure's caption needs: its title and which method facts apply."""

    title: dict[str, str]
    kind: str = "chart"  # chart | map | lisa | kde | coverage | robustness | weights
    years: str = "window"  # window | end | panel | disparity


FIGURES: dict[str, FigureSpec] = {
    "region_gradient": FigureSpec(
        {
            "en": "Regional means of the index and the east-central-west steps",
            "zh": "四大区域指数均值及东中西梯度",
        },
        "map",
        "end",
    ),
    "index_by_year": FigureSpec(
        {
            "en": "The index by province and year (classes fixed across years)",
            "zh": "各省份逐年指数（各年分级一致）",
        },
        "map",
        "window",
    ),
    "index_change": FigureSpec(
        {"en": "Change of the index over the window", "zh": "考察期内指数变化"}, "map", "window"
    ),
    "dimensions": FigureSpec({"en": "Dimension sub-indices", "zh": "分维度指数"}, "map", "end"),
    "lisa_clusters": FigureSpec(
        {"en": "Local Moran (LISA) clusters of the index", "zh": "指数的局部莫兰（LISA）集聚"},
        "lisa",
        "end",
    ),
    "region_trends": FigureSpec(
        {"en": "Regional means with the range of their provinces", "zh": "区域均值及省际范围"},
        "chart",
        "panel",
    ),
    "ranks": FigureSpec(
        {
            "en": "Provincial ranks and their Monte Carlo rank intervals",
            "zh": "省份排名及其蒙特卡洛排名区间",
        },
        "chart",
        "window",
    ),
    "theil_contributions": FigureSpec(
        {
            "en": "Theil T: levels and within/between-region shares",
            "zh": "泰尔指数：水平及区域内、区域间贡献率",
        },
        "chart",
        "disparity",
    ),
    "dagum_contributions": FigureSpec(
        {
            "en": "Dagum Gini decomposition: levels and shares",
            "zh": "Dagum 基尼系数分解：水平与贡献率",
        },
        "chart",
        "disparity",
    ),
    "kernel_density": FigureSpec(
        {"en": "Kernel density of the provincial index", "zh": "省域指数的核密度"},
        "kde",
        "disparity",
    ),
    "weights_by_method": FigureSpec(
        {
            "en": "Indicator weights in the index under each weighting method",
            "zh": "不同赋权方法下各指标在指数中的权重",
        },
        "weights",
        "window",
    ),
    "coverage_heatmap": FigureSpec(
        {
            "en": "Data coverage: observed, imputed and missing cells",
            "zh": "数据覆盖：观测、插补与缺失",
        },
        "coverage",
        "panel",
    ),
    "claim_robustness": FigureSpec(
        {
            "en": "Share of Monte Carlo replications in which each claim holds",
            "zh": "各结论在蒙特卡洛模拟中成立的比例",
        },
        "robustness",
        "window",
    ),
    "rank_intervals": FigureSpec(
        {
            "en": "Rank intervals (5–95 %) under the Monte Carlo over method choices",
            "zh": "方法选择蒙特卡洛下的排名区间（5%—95%）",
        },
        "robustness",
        "end",
    ),
    "sobol": FigureSpec(
        {
            "en": "Sobol sensitivity of the rank shift to each method choice",
            "zh": "排名变动对各方法选择的 Sobol 敏感度",
        },
        "robustness",
        "window",
    ),
}


def unit_names(codes: Sequence[str], language: str) -> str:
    """Province names of unit codes (short Chinese names, English names), joined.

    >>> unit_names(["XZ"], "zh"), unit_names(["XZ", "TW"], "en")
    ('西藏', 'Tibet, Taiwan')
    """
    from greenindex.data.units import province_table

    t = province_table().set_index("code")
    col = "name_zh_short" if language == "zh" else "name_en"
    names = [str(t.loc[c, col]) if c in t.index else c for c in codes]
    return ("、" if language == "zh" else ", ").join(names)


def _sep(language: str) -> tuple[str, str]:
    """Sentence end and clause separator of a language."""
    return ("。", "；") if language == "zh" else (". ", "; ")


def years_text(a: int, b: int | None, language: str) -> str:
    """``2016–2020`` / ``2016—2020 年``; one year when ``b`` is ``None`` or equal."""
    if b is None or b == a:
        return term("year_one", language, a=a)
    return term("years", language, a=a, b=b)


def method_phrase(record: Mapping[str, Any], language: str, variant: str | None = None) -> str:
    """The index method of ``variant`` (default the main variant) in words.

    >>> rec = {"main_variant": "e", "variants": {"e": {"normalise": {"method": "minmax", "range": [0, 100],
    ...        "scope": "pooled"}, "weights": {"method": "entropy", "level": "global", "scope": "pooled",
    ...        "entropy": {"variant": "zero_log_zero"}}, "aggregate": {"method": "arithmetic"}}}}
    >>> method_phrase(rec, "en")
    'min-max normalisation to [0, 100] (bounds pooled over all years), Entropy weights (one vector over all indicators), arithmetic mean'
    >>> method_phrase(rec, "zh")
    '极差标准化至 [0, 100]（全部年份混合），熵权法赋权（全部指标统一赋权），算术加权平均'
    """
    v = record["variants"][variant or record["main_variant"]]
    n, w, a = v["normalise"], v["weights"], v["aggregate"]
    nm = n.get("method")
    rng = f" [{n['range'][0]:g}, {n['range'][1]:g}]" if nm == "minmax" and n.get("range") else ""
    scope = term("pooled" if n.get("scope", "pooled") == "pooled" else "by_year", language)
    level = term(w.get("level", "global"), language)
    agg = a.get("method")
    agg_t = (
        term("topsis_agg", language)
        if agg == "topsis"
        else term(agg, language)
        if isinstance(agg, str)
        else str(agg)
    )
    scheme = term(w.get("method"), language)
    if language == "zh":
        norm = f"{term(nm, language)}" + (f"至{rng}" if rng else "") + f"（{scope}）"
        return f"{norm}，{scheme}赋权（{level}），{agg_t}"
    norm = (
        f"{term(nm, language)} normalisation" + (f" to{rng}" if rng else "") + f" (bounds {scope})"
    )
    return f"{norm}, {scheme} weights ({level}), {agg_t}"


_PUBLICATIONS: tuple[tuple[str, dict[str, str]], ...] = (
    (
        r"Statistical Yearbook on Science and Technology",
        {
            "en": "NBS & MOST, China Statistical Yearbook on Science and Technology",
            "zh": "《中国科技统计年鉴》",
        },
    ),
    (
        r"China Statistical Yearbook",
        {"en": "NBS, China Statistical Yearbook", "zh": "《中国统计年鉴》"},
    ),
    (
        r"Population Census",
        {
            "en": "NBS, Communiqué of the Seventh National Population Census",
            "zh": "《第七次全国人口普查公报》",
        },
    ),
    (
        r"能耗降低率",
        {
            "en": "NBS, NDRC & NEA, communiqués on energy intensity by province",
            "zh": "《分省（区、市）万元地区生产总值能耗降低率等指标公报》",
        },
    ),
)


def _author_years(citation: str, language: str) -> str | None:
    """Journal articles cited as "Surname X. et al. (year)": author-year short form.

    >>> _author_years("Shan Y. et al. (2016) A. J 1; Shan Y. et al. (2018) B. J 2; Guan Y. et al. (2021) C.", "zh")
    'Shan 等（2016, 2018）；Guan 等（2021）'
    """
    found = re.findall(r"([A-Z][A-Za-z\-]+) (?:[A-Z]\. ?)+et al\. \((\d{4})\)", citation)
    if not found:
        return None
    years: dict[str, list[str]] = {}
    for author, year in found:
        years.setdefault(author, []).append(year)
    if language == "zh":
        return "；".join(f"{a} 等（{', '.join(ys)}）" for a, ys in years.items())
    return "; ".join(f"{a} et al. ({', '.join(ys)})" for a, ys in years.items())


def short_sources(sources: pd.DataFrame, ids: Iterable[str], language: str) -> list[str]:
    """Short citations of the source ids ``ids`` (duplicates merged, order of first use).

    The publication is recognised from the ``citation`` (or ``publication``) text of
    ``data/raw/sources.csv``; an unknown one is cited by its publication field.
    """
    table = sources.set_index("source_id")
    out: list[str] = []
    for sid in ids:
        if sid not in table.index:
            continue
        text = f"{table.loc[sid].get('citation', '')} {table.loc[sid].get('publication', '')}"
        short = _author_years(str(table.loc[sid].get("citation", "")), language)
        short = short or next(
            (names[language] for pat, names in _PUBLICATIONS if re.search(pat, text)), None
        )
        if short is None:
            pub = str(table.loc[sid].get("publication") or sid)
            short = pub.split(";")[0].split(":")[0].strip()
        if short not in out:
            out.append(short)
    return out


def sources_used(codebook: pd.DataFrame, substitute: Sequence[Mapping[str, Any]] = ()) -> list[str]:
    """Source ids behind the index: those of the used indicators, of the series they are
    built from (numerator, denominator) and of series substituted into those (``treat.substitute``).
    """
    cb = codebook.set_index("id")
    used = [
        i
        for i, r in cb.iterrows()
        if r.get("role") == "indicator" and str(r.get("used")).lower() == "true"
    ]
    series = list(used)
    for i in used:
        for col in ("numerator", "denominator"):
            v = str(cb.loc[i].get(col) or "")
            if v and v in cb.index:
                series.append(v)
    for sub in substitute:
        if sub.get("target") in series and sub.get("source") in cb.index:
            series.append(str(sub["source"]))
    ids: list[str] = []
    for s in series:
        for sid in str(cb.loc[s].get("source_id") or "").split("|"):
            if sid and sid not in ids:
                ids.append(sid)
    return ids


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
    rec = ctx.record
    main = rec["main_variant"]
    method = method_phrase(rec, lang)
    mlabel = term("method_label", lang)
    colon = "：" if lang == "zh" else ": "
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
    if spec.kind in ("map", "lisa"):
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
                    year=a,
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
    if spec.kind == "kde":
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
            parts.append(f"高斯核，{bw_t}{corr}")
        else:
            corr = (
                f", reflection at the bounds [{sup[0]:g}, {sup[1]:g}]"
                if sup
                else ", no boundary correction"
            )
            parts.append(f"Gaussian kernel, {bw_t}{corr}")
    if spec.kind == "chart" and name in ("theil_contributions", "dagum_contributions"):
        scheme = rec.get("regions", {}).get("scheme", "")
        order = rec.get("regions", {}).get("order", [])
        regs = ("、" if lang == "zh" else ", ").join(
            region_label(r, lang, rec.get("regions", {}).get("labels")) for r in order
        )
        parts.append(
            ("区域：" if lang == "zh" else "regions: ")
            + regs
            + (f"（{term(scheme, lang)}）" if lang == "zh" else f" ({term(scheme, lang)})")
        )
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
