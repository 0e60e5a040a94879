"""The audit's verdict: the flags raised on an indicator (dominant effective weight, dominant
importance, negative correlation with the index) with their messages in English and Chinese,
the comparison of the variants' audits, and the verdict section of the report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd

FLAG_COLUMNS = ["flag", "node", "value", "threshold", "message_en", "message_zh"]


class _Flag(NamedTuple):
    """A flag raised where the boolean column ``when`` of the importance table holds: its
    ``value`` column, its threshold (``None``: the dominance share) and its messages, formatted
    with ``name`` (the indicator's name), ``value`` and ``dom`` (the dominance share)."""

    flag: str
    when: str
    value: str
    threshold: float | None
    en: str
    zh: str


_FLAGS = (
    _Flag(
        "dominant_weight",
        "weight_flag",
        "weight_share",
        None,
        "{name} carries {value:.1%} of the index's effective weight (more than {dom:.0%})",
        "{name}占指数有效权重的 {value:.1%}（超过 {dom:.0%}）",
    ),
    _Flag(
        "dominant_importance",
        "importance_flag",
        "importance_share",
        None,
        "{name} accounts for {value:.1%} of the total importance (first-order sensitivity) "
        "in the index (more than {dom:.0%})",
        "{name}占指数总重要性（一阶敏感度）的 {value:.1%}（超过 {dom:.0%}）",
    ),
    _Flag(
        "negative_correlation",
        "negative_flag",
        "r_index",
        0.0,
        "{name} correlates negatively with the index (r = {value:.2f}): raising it lowers "
        "the index on balance",
        "{name}与指数负相关（r = {value:.2f}）",
    ),
)


def flag_table(
    importance: pd.DataFrame,
    names: Mapping[str, Mapping[str, str]] | None,
    dominance: float,
) -> pd.DataFrame:
    """One row per flag raised in the importance table
    (:func:`~greenindex.analysis.audit.importance.importance_table`), indicator by indicator:
    ``flag, node, value, threshold, message_en, message_zh``; ``names`` maps an indicator to
    its ``en`` and ``zh`` names (the id where missing)."""
    rows = []
    for _, row in importance.iterrows():
        i = str(row["indicator"])
        en = names.get(i, {}).get("en", i) if names else i
        zh = names.get(i, {}).get("zh", i) if names else i
        for f in _FLAGS:
            if not row[f.when]:
                continue
            value = row[f.value]
            rows.append(
                {
                    "flag": f.flag,
                    "node": i,
                    "value": value,
                    "threshold": dominance if f.threshold is None else f.threshold,
                    "message_en": f.en.format(name=en, value=value, dom=dominance),
                    "message_zh": f.zh.format(name=zh, value=value, dom=dominance),
                }
            )
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def comparison_table(
    summaries: Mapping[str, Mapping[str, object]],
    *,
    main: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per variant from the audit summaries: the largest effective-weight share and
    importance share (and their indicators), the dimension weights, the number of flags and
    whether the variant passes (no flag), with the main variant marked."""
    rows = []
    for v, s in summaries.items():
        row: dict[str, object] = {
            "variant": v,
            "label": (labels or {}).get(v, v),
            "main": v == main,
            "max_weight_share": s["max_weight_share"],
            "max_weight_indicator": s["max_weight_indicator"],
            "max_importance_share": s["max_importance_share"],
            "max_importance_indicator": s["max_importance_indicator"],
            "n_negative": s["n_negative"],
            "n_flags": s["n_flags"],
            "passes": s["passes"],
        }
        for d, w in dict(s["dimension_weights"]).items():  # type: ignore[call-overload]
            row[f"weight_{d}"] = w
        rows.append(row)
    return pd.DataFrame(rows)


_SECTION = {
    "en": {
        "title": "Statistical audit and the choice of weights",
        "pass": "Verdict: under the weights used ({label}) no indicator carries more than "
        "{dom:.0%} of the index's effective weight (largest: {wi}, {ws:.1%}) or of its total "
        "importance (largest: {ii}, {is_:.1%}), and none correlates negatively with the index.",
        "fail": "Verdict: the weights used ({label}) do not pass the audit:",
        "why": "Why these weights: the project's default weighting (entropy within each "
        "dimension, dimensions equal) was chosen on this audit of the shipped data, in which "
        "global entropy gave one indicator more than a third of the index (config/README.md, "
        "'Default weighting'). Every variant of this run is audited in the same way; a variant "
        "fails when one indicator carries more than {dom:.0%} of the effective weight or of "
        "the importance, or correlates negatively with the index:",
        "variant_pass": "{label}: passes (largest weight {ws:.1%}, {wi}; largest importance "
        "{is_:.1%}, {ii}).",
        "variant_fail": "{label}: fails ({msgs}).",
        "importance": "Importance is the squared correlation ratio eta^2 = V(E[index | "
        "indicator]) / V(index), the share of the index's variance explained by the "
        "indicator alone (first-order sensitivity; Paruolo, Saisana & Saltelli 2013), "
        "estimated from {bins} bins over the unit-years {years}. A weight is what the builder "
        "intends; the importance is what the indicator actually does to the index. Correlated "
        "indicators share importance, so shares of the total importance are compared with "
        "weights.",
        "consistency": "Internal consistency per dimension: Cronbach's alpha of its indicators "
        "and the share of variance of their first principal component.",
    },
    "zh": {
        "title": "统计审计与权重的选择",
        "pass": "结论：在所用权重（{label}）下，没有任何指标占指数有效权重或总重要性的 {dom:.0%} "
        "以上（有效权重最大：{wi}，{ws:.1%}；重要性最大：{ii}，{is_:.1%}），也没有指标与指数负相关。",
        "fail": "结论：所用权重（{label}）未通过审计：",
        "why": "为何采用这些权重：项目默认的权重方案（各维度内熵权、维度等权）依据对所附数据的本审计选定："
        "全局熵权下单一指标占指数权重的三分之一以上（见 config/README.md 中“默认权重”一节）。本次运行的"
        "每个方法变体都做同样的审计；若某一指标占有效权重或重要性的 {dom:.0%} 以上，或与指数负相关，则该"
        "变体不通过：",
        "variant_pass": "{label}：通过（有效权重最大 {ws:.1%}，{wi}；重要性最大 {is_:.1%}，{ii}）。",
        "variant_fail": "{label}：不通过（{msgs}）。",
        "importance": "重要性为相关比的平方 η² = V(E[指数 | 指标]) / V(指数)，即该指标单独解释的"
        "指数方差份额（一阶敏感度；Paruolo, Saisana & Saltelli 2013），按 {bins} 个分组在 {years} "
        "年的省份-年份观测上估计。权重是构建者的意图，重要性是指标对指数的实际作用；相关的指标共享"
        "重要性，因此用总重要性中的份额与权重比较。",
        "consistency": "各维度的内部一致性：其指标的 Cronbach α 系数与第一主成分的方差份额。",
    },
}


def audit_section(
    comparison: pd.DataFrame,
    flags: Mapping[str, pd.DataFrame],
    *,
    main: str,
    names: Mapping[str, str] | None = None,
    bins: int = 10,
    years: str = "",
    dominance: float = 1 / 3,
    language: str = "en",
) -> str:
    """The audit's verdict and the reason for the default weighting, as Markdown.

    Parameters
    ----------
    comparison
        :func:`comparison_table` (labels in ``language``).
    flags
        ``{variant: flags table}`` of every variant (:class:`AuditResult` ``flags``).
    main
        The variant used for maps and the report.
    names
        Indicator id -> display name in ``language``.
    """
    t = _SECTION[language]
    nm = dict(names or {})
    msg = "message_zh" if language == "zh" else "message_en"
    sep = "；" if language == "zh" else "; "

    def figures(row: pd.Series) -> dict[str, object]:
        return {
            "label": row["label"],
            "dom": dominance,
            "wi": nm.get(str(row["max_weight_indicator"]), row["max_weight_indicator"]),
            "ws": float(row["max_weight_share"]),
            "ii": nm.get(str(row["max_importance_indicator"]), row["max_importance_indicator"]),
            "is_": float(row["max_importance_share"]),
        }

    comp = comparison.set_index("variant")
    lines = [f"### {t['title']}", ""]
    row = comp.loc[main]
    if bool(row["passes"]):
        lines.append(t["pass"].format(**figures(row)))
    else:
        lines.append(t["fail"].format(**figures(row)))
        lines += [f"- {m}" for m in flags[main][msg]]
    lines += ["", t["why"].format(dom=dominance), ""]
    for v, r in comp.iterrows():
        if bool(r["passes"]):
            lines.append("- " + t["variant_pass"].format(**figures(r)))
        else:
            msgs = sep.join(str(m) for m in flags[str(v)][msg])
            lines.append("- " + t["variant_fail"].format(label=r["label"], msgs=msgs))
    lines += ["", t["importance"].format(bins=bins, years=years), "", t["consistency"], ""]
    return "\n".join(lines)


def report_html(
    inputs: Mapping[str, str], params: object, weights: pd.DataFrame, language: str
) -> str:
    """HTML of the audit's verdict for the report's weights section (workflow glue: reads the
    audit tables named ``audit_comparison`` and ``audit_flags_<variant>`` in ``inputs``;
    ``params`` carries ``audit``, ``main``, ``variants``, ``labels`` and ``window``)."""
    from greenindex.report.html import markdown_html

    p = params
    comp = pd.read_csv(inputs["audit_comparison"])
    labels = dict(p.labels[language])  # type: ignore[attr-defined]
    comp["label"] = comp["variant"].map(labels).fillna(comp["variant"])
    flags = {v: pd.read_csv(inputs[f"audit_flags_{v}"]) for v in p.variants}  # type: ignore[attr-defined]
    names = dict(
        zip(weights["node"], weights[f"name_{language}"].fillna(weights["node"]), strict=True)
    )
    opts = p.audit  # type: ignore[attr-defined]
    span = p.window if opts["years"] == "window" else None  # type: ignore[attr-defined]
    years = f"{span['start']}-{span['end']}" if span else ("panel" if language == "en" else "全部")
    md = audit_section(
        comp,
        flags,
        main=p.main,  # type: ignore[attr-defined]
        names=names,
        bins=int(opts["bins"]),
        years=years,
        dominance=float(opts["dominance"]),
        language=language,
    )
    return markdown_html(md)
