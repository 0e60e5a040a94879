"""Statistical audit of a composite index (the JRC/COINr ten-step practice, steps 4 and 7).

Given the scores table of a variant (normalised indicators, dimension scores and the index for
every unit-year) and its effective-weights table, :func:`audit` computes

- **correlations** (Pearson, pairwise complete observations) of every node with its parent,
  of every node with the index (root), and between the nodes of each aggregate level
  (dimensions with dimensions);
- **Cronbach's alpha** of the children of every aggregate (internal consistency),
  :math:`\\alpha = k^2 \\overline{S_{jl}}_{j \\ne l} / \\sum_{jl} S_{jl}` with :math:`S` the
  sample covariance matrix (pairwise complete) of the ``k`` children; algebraically
  :math:`\\frac{k}{k-1}(1 - \\mathrm{tr} S / \\sum S)` (Cronbach 1951). It can be negative
  when children covary negatively;
- the **first principal component's share of variance** among the indicators of each
  dimension (correlation-matrix PCA on the rows without a missing value, as
  ``prcomp(na.omit(x), scale = TRUE)``);
- **nominal and effective weights**: the within-parent share and the product of shares down
  the tree;
- each indicator's **importance** in the index, the squared Pearson correlation ratio
  :math:`\\eta^2_j = V(E[y \\mid x_j]) / V(y)` (the first-order sensitivity index of the index
  ``y`` with respect to indicator ``x_j``; Paruolo, Saisana & Saltelli 2013), next to its
  effective (nominal) weight. A weight says what the builder intended; the importance says
  how much of the index's variation the indicator actually explains. Correlated indicators
  share importance, so the shares :math:`\\eta^2_j / \\sum_k \\eta^2_k` are compared with the
  weights;
- **flags**: an indicator carrying more than ``dominance`` (default 1/3) of the total
  effective weight or of the total importance; an indicator correlating negatively with the
  index.

Estimation of :math:`E[y \\mid x_j]`: :func:`correlation_ratio` groups the observations into
``bins`` groups of (nearly) equal size by the rank of :math:`x_j`, ties kept in one group,
and takes :math:`\\eta^2 = \\sum_b n_b (\\bar y_b - \\bar y)^2 / \\sum_i (y_i - \\bar y)^2`
(Pearson's correlation ratio of ``y`` on the binned ``x``). Paruolo et al. smooth with
non-parametric regression instead; bins are transparent and exact to check by hand. With
``B`` bins and ``n`` observations the estimate is biased upwards by about
:math:`(B - 1)(1 - \\eta^2)/(n - 1)` when ``x`` explains nothing; ``r2`` (the squared Pearson
correlation, the linear part of the main effect) is reported beside it.

Correlations and importances are computed over all unit-years of the audited years pooled
(the default run audits the analysis window, in which every indicator is present); pooled
correlations include the common time trend of the panel.

References
----------
Cronbach L.J. (1951), Coefficient alpha and the internal structure of tests, Psychometrika
16(3):297-334.
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, steps 4 and 7.
Paruolo P., Saisana M., Saltelli A. (2013), Ratings and rankings: voodoo or science?,
J. R. Stat. Soc. A 176(3):609-634.
Becker W. et al. (2022), COINr: an R package for developing composite indicators, JOSS
7(78): ``get_corr``, ``get_cronbach``, ``get_PCA``, ``get_eff_weights``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError
from greenindex.index.framework import Framework


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------
def pearson(x: pd.Series | np.ndarray, y: pd.Series | np.ndarray) -> float:
    """Pearson correlation over the pairwise complete observations (NaN if fewer than two, or
    if either variable is constant there)."""
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b))
    a, b = a[ok], b[ok]
    if a.size < 2:
        return float("nan")
    da, db = a - a.mean(), b - b.mean()
    den = np.sqrt((da * da).sum() * (db * db).sum())
    return float((da * db).sum() / den) if den > 0 else float("nan")


def cronbach_alpha(data: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``data``.

    .. math:: \\alpha = \\frac{k^2 \\, \\mathrm{mean}_{j \\ne l} S_{jl}}{\\sum_{j,l} S_{jl}}

    with :math:`S` the sample covariance matrix (``n - 1``) over pairwise complete
    observations and ``k`` the number of columns (COINr's ``get_cronbach``). NaN for fewer
    than two columns.
    """
    k = data.shape[1]
    if k < 2:
        return float("nan")
    s = data.astype(float).cov(min_periods=2).to_numpy()
    off = s[~np.eye(k, dtype=bool)]
    total = float(np.nansum(s))
    return float(k * k * np.nanmean(off) / total) if total != 0 else float("nan")


def pc1_share(data: pd.DataFrame) -> tuple[float, int]:
    """Share of variance of the first principal component of the standardised columns, over
    the rows without a missing value, and the number of those rows."""
    x = data.dropna().to_numpy(dtype=float)
    n, k = x.shape
    if k < 2 or n < 3:
        return float("nan"), n
    sd = x.std(axis=0, ddof=1)
    if not (sd > 0).all():
        return float("nan"), n
    eig = np.linalg.eigvalsh(np.corrcoef(x, rowvar=False))
    return float(eig.max() / eig.sum()), n


def correlation_ratio(
    x: pd.Series | np.ndarray, y: pd.Series | np.ndarray, bins: int = 10
) -> float:
    """Squared correlation ratio :math:`\\eta^2` of ``y`` on ``x`` binned by rank.

    The complete pairs are sorted by ``x``; observation ``i`` (0-based position of the first
    of its ties) goes to bin :math:`\\lfloor B i / n \\rfloor`, so bins are of nearly equal
    size and tied ``x`` stay together. Then

    .. math:: \\eta^2 = \\frac{\\sum_b n_b (\\bar y_b - \\bar y)^2}{\\sum_i (y_i - \\bar y)^2}

    which is :math:`V(E[y \\mid x]) / V(y)` with :math:`E[y \\mid x]` estimated by the bin
    means (first-order sensitivity; Paruolo, Saisana & Saltelli 2013). NaN if ``y`` is
    constant or fewer than two pairs remain.
    """
    if bins < 1:
        raise ConfigError("audit.importance_bins", f"{bins} bins", "use at least 1 bin")
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b))
    a, b = a[ok], b[ok]
    n = a.size
    if n < 2:
        return float("nan")
    first = pd.Series(a).rank(method="min").to_numpy() - 1  # position of the first tie
    group = np.floor(min(bins, n) * first / n).astype(int)
    tss = float(((b - b.mean()) ** 2).sum())
    if tss <= 0:
        return float("nan")
    means = pd.Series(b).groupby(group).agg(["mean", "size"])
    return float((means["size"] * (means["mean"] - b.mean()) ** 2).sum() / tss)


# ---------------------------------------------------------------------------------------------
# The audit of a variant
# ---------------------------------------------------------------------------------------------
@dataclass
class AuditResult:
    """Tables of :func:`audit`.

    Attributes
    ----------
    correlations
        Long table ``kind, node, other, level, r, n``; ``kind`` is ``parent`` (node with its
        parent), ``index`` (node with the root) or ``level`` (two nodes of the same level).
    consistency
        Per aggregate: ``node, level, n_children, cronbach_alpha, pc1_share, pc1_rows``
        (PCA on the indicators of level-2 aggregates only, as COINr's ``get_PCA``).
    importance
        Per indicator: ``indicator, parent, nominal_weight`` (within-parent share),
        ``effective_weight``, ``r_index``, ``r2``, ``importance`` (:math:`\\eta^2`),
        ``importance_share``, ``weight_flag``, ``importance_flag``, ``negative_flag``.
    flags
        One row per raised flag: ``flag, node, value, threshold, message_en, message_zh``.
    summary
        Key figures: largest effective weight and importance share and their indicators,
        the effective weight of each dimension, counts of flags, settings.
    """

    correlations: pd.DataFrame
    consistency: pd.DataFrame
    importance: pd.DataFrame
    flags: pd.DataFrame
    summary: dict[str, object] = field(default_factory=dict)

    @property
    def passes(self) -> bool:
        """No indicator dominates and none correlates negatively with the index."""
        return self.flags.empty


def _effective(framework: Framework, effective: pd.DataFrame) -> pd.DataFrame:
    eff = effective
    if "year" in eff.columns:  # per-year weights: their mean over the years
        eff = eff.groupby("node", sort=False)[["within_parent_share", "effective_weight"]].mean()
        return eff.reindex(framework.nodes)
    return eff.set_index("node")[["within_parent_share", "effective_weight"]].reindex(
        framework.nodes
    )


def audit(
    scores: pd.DataFrame,
    framework: Framework,
    effective: pd.DataFrame,
    *,
    years: Sequence[int] | None = None,
    bins: int = 10,
    dominance: float = 1 / 3,
) -> AuditResult:
    """Statistical audit of one variant.

    Parameters
    ----------
    scores
        Indexed by ``(unit, year)``; a column per node (normalised indicators, aggregates and
        the root), as ``results/aggregate/<variant>/scores.csv``.
    framework
        The index tree.
    effective
        The effective-weights table of the variant (``results/weights/<variant>/
        effective_weights.csv``: ``node, within_parent_share, effective_weight``).
    years
        Years audited (pooled over units and years); ``None`` = all.
    bins
        Bins of the correlation ratio (:func:`correlation_ratio`).
    dominance
        Flag an indicator whose share of the total effective weight or of the total
        importance exceeds this (default 1/3).
    """
    if not 0 < dominance <= 1:
        raise ConfigError("audit.dominance", f"{dominance} is not a share in (0, 1]")
    data = scores
    if years is not None:
        yr = data.index.get_level_values("year")
        data = data[yr.isin(list(years))]
    root = framework.root
    nodes = [n for n in framework.nodes if n in data.columns]
    corr_rows: list[dict[str, object]] = []

    def add(kind: str, a: str, b: str) -> None:
        ok = data[[a, b]].dropna()
        corr_rows.append(
            {
                "kind": kind,
                "node": a,
                "other": b,
                "level": framework.level_of(a),
                "r": pearson(data[a], data[b]),
                "n": len(ok),
            }
        )

    for n in nodes:
        if n != root and framework.parent[n] in data.columns:
            add("parent", n, framework.parent[n])
    for n in nodes:
        if n != root and root in data.columns:
            add("index", n, root)
    # between the nodes of each aggregate level below the root (indicator pairs are many and
    # are read through the parent and index correlations)
    for lev in framework.levels[1:-1]:
        present = [n for n in lev if n in data.columns]
        for a in present:
            for b in present:
                if a != b:
                    add("level", a, b)
    correlations = pd.DataFrame(corr_rows, columns=["kind", "node", "other", "level", "r", "n"])

    cons_rows = []
    for agg in [n for n in framework.nodes if n not in framework.indicators]:
        kids = [c for c in framework.children(agg) if c in data.columns]
        if not kids:
            continue
        alpha = cronbach_alpha(data[kids])
        level = framework.level_of(agg)
        share, rows = pc1_share(data[kids]) if level == 2 else (float("nan"), 0)
        cons_rows.append(
            {
                "node": agg,
                "level": level,
                "n_children": len(kids),
                "cronbach_alpha": alpha,
                "pc1_share": share,
                "pc1_rows": rows,
            }
        )
    consistency = pd.DataFrame(
        cons_rows,
        columns=["node", "level", "n_children", "cronbach_alpha", "pc1_share", "pc1_rows"],
    )

    eff = _effective(framework, effective)
    y = data[root] if root in data.columns else None
    imp_rows = []
    for i in framework.indicators:
        if i not in data.columns:
            continue
        r = pearson(data[i], y) if y is not None else float("nan")
        imp_rows.append(
            {
                "indicator": i,
                "parent": framework.parent[i],
                "nominal_weight": float(eff.loc[i, "within_parent_share"]),
                "effective_weight": float(eff.loc[i, "effective_weight"]),
                "r_index": r,
                "r2": r * r,
                "importance": correlation_ratio(data[i], y, bins)
                if y is not None
                else float("nan"),
            }
        )
    imp = pd.DataFrame(imp_rows)
    total_imp = float(imp["importance"].sum())
    imp["importance_share"] = imp["importance"] / total_imp if total_imp > 0 else np.nan
    total_w = float(imp["effective_weight"].sum())
    imp["weight_share"] = imp["effective_weight"] / total_w if total_w > 0 else np.nan
    imp["weight_flag"] = imp["weight_share"] > dominance
    imp["importance_flag"] = imp["importance_share"] > dominance
    imp["negative_flag"] = imp["r_index"] < 0

    names = framework.names
    flag_rows = []
    for _, row in imp.iterrows():
        i = str(row["indicator"])
        en = names.get(i, {}).get("en", i) if names else i
        zh = names.get(i, {}).get("zh", i) if names else i
        if row["weight_flag"]:
            flag_rows.append(
                {
                    "flag": "dominant_weight",
                    "node": i,
                    "value": row["weight_share"],
                    "threshold": dominance,
                    "message_en": f"{en} carries {row['weight_share']:.1%} of the index's "
                    f"effective weight (more than {dominance:.0%})",
                    "message_zh": f"{zh}占指数有效权重的 {row['weight_share']:.1%}"
                    f"（超过 {dominance:.0%}）",
                }
            )
        if row["importance_flag"]:
            flag_rows.append(
                {
                    "flag": "dominant_importance",
                    "node": i,
                    "value": row["importance_share"],
                    "threshold": dominance,
                    "message_en": f"{en} accounts for {row['importance_share']:.1%} of the total "
                    f"importance (first-order sensitivity) in the index (more than {dominance:.0%})",
                    "message_zh": f"{zh}占指数总重要性（一阶敏感度）的 "
                    f"{row['importance_share']:.1%}（超过 {dominance:.0%}）",
                }
            )
        if row["negative_flag"]:
            flag_rows.append(
                {
                    "flag": "negative_correlation",
                    "node": i,
                    "value": row["r_index"],
                    "threshold": 0.0,
                    "message_en": f"{en} correlates negatively with the index "
                    f"(r = {row['r_index']:.2f}): raising it lowers the index on balance",
                    "message_zh": f"{zh}与指数负相关（r = {row['r_index']:.2f}）",
                }
            )
    flags = pd.DataFrame(
        flag_rows, columns=["flag", "node", "value", "threshold", "message_en", "message_zh"]
    )
    top_w = imp.loc[imp["weight_share"].idxmax()]
    top_i = imp.loc[imp["importance_share"].idxmax()]
    dims = list(framework.children(root))
    summary: dict[str, object] = {
        "max_weight_share": float(top_w["weight_share"]),
        "max_weight_indicator": str(top_w["indicator"]),
        "max_importance_share": float(top_i["importance_share"]),
        "max_importance_indicator": str(top_i["indicator"]),
        "dimension_weights": {d: float(eff.loc[d, "effective_weight"]) for d in dims},
        "n_negative": int(imp["negative_flag"].sum()),
        "n_flags": len(flags),
        "passes": bool(flags.empty),
        "dominance": dominance,
        "bins": bins,
        "years": [int(v) for v in years] if years is not None else None,
        "n_observations": len(data),
    }
    imp = imp[
        [
            "indicator",
            "parent",
            "nominal_weight",
            "effective_weight",
            "weight_share",
            "r_index",
            "r2",
            "importance",
            "importance_share",
            "weight_flag",
            "importance_flag",
            "negative_flag",
        ]
    ]
    return AuditResult(correlations, consistency, imp, flags, summary)


def audit_tables(result: AuditResult) -> Mapping[str, pd.DataFrame]:
    """The tables written to ``results/audit/<variant>/``, by file stem."""
    return {
        "correlations": result.correlations,
        "consistency": result.consistency,
        "importance": result.importance,
        "flags": result.flags,
    }


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
