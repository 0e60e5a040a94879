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

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from greenindex.analysis.audit import report_html as audit_html
from greenindex.analysis.composition import data_note, dynamics_text
from greenindex.figures.explorer import explorer_link
from greenindex.glossary import region_label, term, terms_used, variant_label
from greenindex.report.captions import (
    CaptionContext,
    figure_caption,
    method_phrase,
    unit_names,
    years_text,
)
from greenindex.report.html import Figure, Section, Table, fmt_number, markdown_html, render

__all__ = [
    "BUILDERS",
    "ReportContext",
    "build_report",
    "headline_html",
    "register_section",
    "unregister_section",
]


@dataclass
class ReportContext:
    """Everything a section builder may use: language, records, tables and figure paths.

    ``files`` maps input names (as in ``workflow/rules/common.smk: report_inputs``) to paths;
    ``figures`` maps figure names to PNG paths. Tables are read on first use.
    """

    language: str
    record: Mapping[str, Any]
    files: Mapping[str, str]
    figures: Mapping[str, str]
    regions: Mapping[str, Any]
    variant_names: Mapping[str, str] = field(default_factory=dict)
    captions: CaptionContext | None = None
    #: the report rule's params (audit settings, variant labels, window), for the audit section
    params: Any = None
    used_terms: list[str] = field(default_factory=list)
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self, name: str, **kw: Any) -> pd.DataFrame | None:
        if name not in self.files:
            return None
        if name not in self._cache:
            self._cache[name] = pd.read_csv(self.files[name], **kw)
        return self._cache[name]

    def t(self, key: str, **fmt: Any) -> str:
        """Glossary text (and remember the term for the report's glossary)."""
        self.used_terms.append(key)
        return term(key, self.language, **fmt)

    @property
    def zh(self) -> bool:
        return self.language == "zh"

    @property
    def window(self) -> tuple[int, int]:
        return int(self.record["window"]["start"]), int(self.record["window"]["end"])

    @property
    def main(self) -> str:
        return str(self.record["main_variant"])

    def region(self, r: str) -> str:
        self.used_terms.append(r)
        return region_label(r, self.language, self.regions.get("labels"))

    def variant(self, v: str) -> str:
        self.used_terms.append(v)
        return variant_label(v, self.language, self.variant_names)

    def region_order(self, present: Sequence[str]) -> list[str]:
        order = [r for r in self.regions.get("order", []) if r in present]
        rest = sorted(r for r in present if r not in order and r != "national")
        return order + rest + (["national"] if "national" in present else [])

    def fig(self, name: str) -> Figure | None:
        return Figure(self.figures[name], name) if name in self.figures else None

    def name_col(self) -> str:
        return "name_zh" if self.zh else "name_en"


def _pct(x: float, digits: int = 0) -> str:
    return fmt_number(100 * float(x), f"{{:.{digits}f}}") + "%"


def _variant_order(ctx: ReportContext, variants: Sequence[str]) -> list[str]:
    vs = list(dict.fromkeys(variants))
    return ([ctx.main] if ctx.main in vs else []) + [v for v in vs if v != ctx.main]


def _claim_order(claims: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(claims["claim"].astype(str)))


# -- the headline -------------------------------------------------------------------------------------


def headline_html(ctx: ReportContext) -> str:
    """Headline table (claims x variants, main variant first and marked) and the paragraph."""
    import html

    claims = ctx.table("claims")
    if claims is None:
        return ""
    mc = ctx.table("claim_robustness")
    mc_share = (
        dict(zip(mc["claim"].astype(str), mc["share_holds"], strict=True)) if mc is not None else {}
    )
    n_mc = int(mc["n_replications"].max()) if mc is not None and len(mc) else None
    variants = _variant_order(ctx, claims["variant"].astype(str))
    cl = claims.assign(
        claim=claims["claim"].astype(str), variant=claims["variant"].astype(str)
    ).set_index(["claim", "variant"])
    head = [f'<th class="t">{html.escape(ctx.t("claim"))}</th>']
    for v in variants:
        mark = f"<br><small>{html.escape(ctx.t('main_mark'))}</small>" if v == ctx.main else ""
        cls = ' class="main"' if v == ctx.main else ""
        head.append(f"<th{cls}>{html.escape(ctx.variant(v))}{mark}</th>")
    if mc_share:
        head.append(f"<th>{html.escape(ctx.t('mc_share'))}</th>")
    rows = []
    for c in _claim_order(claims):
        cells = [f'<td class="t">{html.escape(ctx.t(c))}</td>']
        for v in variants:
            if (c, v) not in cl.index:
                cells.append("<td></td>")
                continue
            r = cl.loc[(c, v)]
            cls = ' class="c main"' if v == ctx.main else ' class="c"'
            if "applicable" in r and str(r["applicable"]).lower() == "false":
                cells.append(f"<td{cls}>{html.escape(ctx.t('not_applicable'))}</td>")
                continue
            holds = str(r["holds"]).lower() == "true"
            sym, key = ("✓", "holds") if holds else ("✗", "fails")
            bs = r.get("bootstrap_share")
            bs_txt = f" <small>{_pct(bs)}</small>" if pd.notna(bs) else ""
            cells.append(
                f'<td{cls}><span class="{key}">{sym} {html.escape(ctx.t(key))}</span>{bs_txt}</td>'
            )
        if mc_share:
            cells.append(f"<td>{_pct(mc_share[c]) if c in mc_share else ''}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    table = (
        f'<table class="headline" id="headline-table"><thead><tr>{"".join(head)}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    n_boot = int(claims["bootstrap_b"].max()) if "bootstrap_b" in claims.columns else None
    if ctx.zh:
        note = (
            f"✓ 成立，✗ 不成立；百分比为 {n_boot} 次区域内省份自助抽样中结论成立的比例。"
            + (
                f"蒙特卡洛成立比例：{n_mc} 次随机组合方法选择的模拟中结论成立的比例。"
                if n_mc
                else ""
            )
            + f"★ 为主方案（{ctx.variant(ctx.main)}），地图与排名均基于主方案。"
        )
    else:
        note = (
            f"✓ holds, ✗ does not hold; the percentage is the share of {n_boot} bootstrap resamples of "
            "provinces within regions in which the claim holds. "
            + (
                f"Monte Carlo share: the share of {n_mc} replications over random method choices in which "
                "it holds. "
                if n_mc
                else ""
            )
            + f"★ marks the main variant ({ctx.variant(ctx.main)}), which the maps and ranks use."
        )
    cap = f'<p class="tcap">{html.escape(note)}</p>'
    para = f'<p class="lead">{html.escape(headline_paragraph(ctx, claims, mc_share, variants))}</p>'
    title = ctx.t("headline")
    return f'<section id="headline"><h2>{html.escape(title)}</h2>{table}{cap}{para}</section>'


def headline_paragraph(
    ctx: ReportContext, claims: pd.DataFrame, mc_share: Mapping[str, float], variants: Sequence[str]
) -> str:
    """One plain paragraph: what the index shows under the main variant, claim by claim."""
    w0, w1 = ctx.window
    means = ctx.table("means")
    root = _root(ctx)
    sent: list[str] = []
    n_units = None
    if means is not None:
        m = means[(means["node"] == root)] if "node" in means.columns else means
        nat = m[m["region"] == "national"].set_index("year")
        last = m[(m["year"] == w1) & (m["region"] != "national")]
        if "n" in nat.columns and w1 in nat.index:
            n_units = int(nat.loc[w1, "n"])
        if w0 in nat.index and w1 in nat.index:
            a, b = nat.loc[w0, "mean"], nat.loc[w1, "mean"]
            if ctx.zh:
                sent.append(
                    f"按主方案（{method_phrase(ctx.record, 'zh')}），{n_units or ''} 个省份的指数均值由 {w0} 年的 "
                    f"{a:.1f} 变为 {w1} 年的 {b:.1f}"
                )
            else:
                sent.append(
                    f"Under the main variant ({method_phrase(ctx.record, 'en')}), the mean index of the "
                    f"{n_units or ''} provinces went from {a:.1f} in {w0} to {b:.1f} in {w1}"
                )
        if len(last):
            order = last.sort_values("mean", ascending=False)
            listing = ("、" if ctx.zh else ", ").join(
                f"{ctx.region(r)} {v:.1f}"
                for r, v in zip(order["region"], order["mean"], strict=True)
            )
            sent.append(
                f"{w1} 年区域均值依次为{listing}" if ctx.zh else f"region means in {w1}: {listing}"
            )
    n = len(variants)
    cl = claims.assign(claim=claims["claim"].astype(str), variant=claims["variant"].astype(str))
    for c in _claim_order(claims):
        rows = cl[cl["claim"] == c]
        holds = rows.set_index("variant")["holds"].astype(str).str.lower() == "true"
        k = int(holds.sum())
        main_holds = bool(holds.get(ctx.main, False))
        stmt = term(c, ctx.language)
        mc = mc_share.get(c)
        if ctx.zh:
            verdict = "主方案下成立" if main_holds else "主方案下不成立"
            s = f"{stmt}：{verdict}，{n} 种方案中 {k} 种成立"
            if mc is not None:
                s += f"，蒙特卡洛模拟中成立比例为 {_pct(mc)}"
        else:
            verdict = (
                "holds under the main variant"
                if main_holds
                else "does not hold under the main variant"
            )
            s = f"{stmt}: {verdict}, in {k} of {n} variants"
            if mc is not None:
                s += f" and in {_pct(mc)} of the Monte Carlo replications"
        sent.append(s)
    if ctx.zh:
        return "；".join(sent) + "。"
    return (
        "; ".join(sent[:2]) + ". " + ". ".join(sent[2:]) + "."
        if len(sent) > 2
        else "; ".join(sent) + "."
    )


def _root(ctx: ReportContext) -> str:
    w = ctx.table("weights")
    if w is not None and (w["type"] == "index").any():
        return str(w.loc[w["type"] == "index", "node"].iloc[0])
    return "index"


def _data_note(ctx: ReportContext, years: Sequence[int]) -> str:
    """The carried / imputed data behind ``years`` (empty when all observed)."""
    d = ctx.table("data_years", keep_default_na=False)
    return data_note(d, years, ctx.language) if d is not None else ""


def _dynamics_html(ctx: ReportContext, *, with_note: bool = False) -> str:
    """What the panel analyses (trends, convergence, densities, Theil/Dagum over time) rest on:
    the composition-stable basis of ``dynamics.basis`` and, with ``with_note``, its data years."""
    if "dynamics" not in ctx.files:
        return ""
    dyn = load_json(ctx.files["dynamics"])
    w = ctx.table("weights")
    names = (
        {}
        if w is None
        else dict(zip(w["node"], w[f"name_{ctx.language}"].fillna(w["node"]), strict=True))
    )
    text = dynamics_text(dyn, names, ctx.language)
    d = ctx.table("dynamics_data_years", keep_default_na=False)
    if with_note and d is not None:
        note = data_note(d, dyn["years"], ctx.language)
        text = f"{text}\n\n{note}" if note else text
    return markdown_html(text)


def _node_names(ctx: ReportContext, weights: pd.DataFrame | None) -> dict[str, str]:
    if weights is None:
        return {}
    col = weights[ctx.name_col()].where(weights[ctx.name_col()].astype(str) != "", weights["node"])
    return dict(
        zip(weights["node"].astype(str), col.fillna(weights["node"]).astype(str), strict=True)
    )


def _audit_tables(ctx: ReportContext, weights: pd.DataFrame) -> list[Table]:
    """The main variant's audit tables: weight against importance, and internal consistency."""
    names = _node_names(ctx, weights)
    out = []
    imp = ctx.table("audit_importance")
    if imp is not None:
        d = imp.copy()
        d["dimension"] = [names.get(str(p), str(p)) for p in d["parent"]]
        d["indicator"] = [names.get(str(i), str(i)) for i in d["indicator"]]
        for c in ("weight_share", "importance_share"):
            d[c] = 100 * d[c].astype(float)
        flag_cols = [
            c for c in ("weight_flag", "importance_flag", "negative_flag") if c in d.columns
        ]
        d["audit_flag"] = [
            "✗" if any(str(r[c]).lower() == "true" for c in flag_cols) else ""
            for _, r in d.iterrows()
        ]
        cols = [
            "dimension",
            "indicator",
            "weight_share",
            "importance_share",
            "r_index",
            "audit_flag",
        ]
        out.append(
            Table(
                ctx.t("audit_table_importance"),
                d[cols],
                formats={
                    "weight_share": "{:.1f}",
                    "importance_share": "{:.1f}",
                    "r_index": "{:.2f}",
                },
                labels={c: ctx.t(c) for c in cols},
                language=ctx.language,
            )
        )
    cons = ctx.table("audit_consistency")
    if cons is not None:
        c2 = cons[cons["level"] == 2].copy()
        c2["dimension"] = [names.get(str(n), str(n)) for n in c2["node"]]
        cols = ["dimension", "n_children", "cronbach_alpha", "pc1_share"]
        out.append(
            Table(
                ctx.t("audit_table_consistency"),
                c2[cols],
                formats={"n_children": "{}", "cronbach_alpha": "{:.2f}", "pc1_share": "{:.2f}"},
                labels={c: ctx.t(c) for c in cols},
                language=ctx.language,
            )
        )
    return out


def _disclosure_tables(
    ctx: ReportContext, data_years: pd.DataFrame, shares: pd.DataFrame
) -> list[Table]:
    """What the window's numbers rest on: the data year of each dimension-year not fully
    observed, and the share of the index's effective weight on interpolated, carried or
    imputed cells per year (mean over provinces)."""
    w0, w1 = ctx.window
    names = _node_names(ctx, ctx.table("weights"))
    note = "note_zh" if ctx.zh else "note_en"
    dy = data_years[
        (data_years["status"] != "observed") & data_years["year"].between(w0, w1)
    ].copy()
    dy["dimension"] = [names.get(str(n), str(n)) for n in dy["dimension"]]
    dy["status"] = [ctx.t(str(s)) for s in dy["status"]]
    dy["note"] = dy[note].fillna("").astype(str)
    cols = ["year", "dimension", "data_year", "status", "note"]
    fm = {"year": "{}", "data_year": "{}"}
    out = [
        Table(
            ctx.t("data_years_table"),
            dy[cols],
            formats=fm,
            labels={c: ctx.t(c) for c in cols},
            language=ctx.language,
        )
    ]
    sc = [c for c in shares.columns if c.startswith("share_")]
    yr = shares[shares["year"].between(w0, w1)].groupby("year")[sc].mean().reset_index()
    for c in sc:
        yr[c] = 100 * yr[c]
    labels = {
        "year": ctx.t("year"),
        **{
            c: (
                ctx.t(c)
                if c == "share_index"
                else f"{names.get(c[len('share_') :], c[len('share_') :])}{'（%）' if ctx.zh else ' (%)'}"
            )
            for c in sc
        },
    }
    out.append(
        Table(
            ctx.t("imputed_share_table"),
            yr,
            formats={"year": "{}", **dict.fromkeys(sc, "{:.1f}")},
            labels=labels,
            language=ctx.language,
        )
    )
    return out


# -- sections -------------------------------------------------------------------------------------------


def maps_section(ctx: ReportContext) -> Section | None:
    names = ["region_gradient", "index_by_year", "index_change", "dimensions", "lisa_clusters"]
    figs = [f for f in (ctx.fig(f"map_{n}") for n in names) if f]
    for f, n in zip(figs, [n for n in names if f"map_{n}" in ctx.figures], strict=True):
        f.caption = n
    return Section(ctx.t("maps"), "maps", figures=figs) if figs else None


def index_section(ctx: ReportContext) -> Section | None:
    means, growth, ranks = (
        ctx.table("means"),
        ctx.table("growth"),
        ctx.table("ranks", dtype={"unit": str}),
    )
    if means is None:
        return None
    w0, w1 = ctx.window
    root = _root(ctx)
    sec = Section(
        ctx.t("index_regions"), "index", html=explorer_link(ctx.language) + _dynamics_html(ctx)
    )
    m = (
        means[(means["node"] == root) & means["year"].between(w0, w1)]
        if "node" in means.columns
        else means
    )
    wide = m.pivot(index="year", columns="region", values="mean")
    order = ctx.region_order(list(wide.columns))
    wide = wide[order].reset_index()
    labels = {"year": ctx.t("year"), **{r: ctx.region(r) for r in order}}
    cap = "区域均值（主方案）" if ctx.zh else "Regional means of the index (main variant)"
    cap = " ".join(x for x in (cap, _data_note(ctx, range(w0, w1 + 1))) if x)
    sec.tables.append(
        Table(
            cap,
            wide,
            formats={"year": "{}", **dict.fromkeys(order, "{:.1f}")},
            labels=labels,
            language=ctx.language,
        )
    )
    if growth is not None:
        g = growth[growth["node"] == root].drop(columns=["node"]).copy()
        g["region"] = pd.Categorical(g["region"], ctx.region_order(list(g["region"])), ordered=True)
        g = g.sort_values("region")
        g["region"] = [ctx.region(r) for r in g["region"]]
        g["rel_change"] = 100 * g["rel_change"]
        cols = ["region", "start", "end", "abs_change", "rel_change"]
        cap = (
            f"区域均值变化（{w0}—{w1} 年）"
            if ctx.zh
            else f"Change of the regional means, {w0}–{w1}"
        )
        sec.tables.append(
            Table(
                cap,
                g[cols],
                formats=dict.fromkeys(cols[1:], "{:+.1f}") | {"start": "{:.1f}", "end": "{:.1f}"},
                labels={c: ctx.t(c) for c in cols},
                language=ctx.language,
            )
        )
    if ranks is not None:
        units = pd.read_csv(ctx.files["units"], dtype=str, keep_default_na=False).set_index("unit")
        last = ranks[ranks["year"] == w1].sort_values("rank").copy()
        last["name"] = last["unit"].map(units[ctx.name_col()])
        last["region"] = [ctx.region(r) for r in last["region"]]
        cols = ["rank", "unit", "name", "region", "score"]
        fm: dict[str, Any] = {"rank": "{}", "score": "{:.1f}"}
        ri = ctx.table("rank_intervals", dtype={"unit": str})
        if ri is not None:
            r = ri[ri["year"] == w1].set_index("unit")
            qs = sorted(c for c in r.columns if c.startswith("q") and c.endswith("_rank"))
            last["rank_interval"] = [
                f"{r.loc[u, qs[0]]:.0f}–{r.loc[u, qs[-1]]:.0f}" if u in r.index else ""
                for u in last["unit"]
            ]
            cols.append("rank_interval")
        cap = f"{w1} 年省份排名（主方案）" if ctx.zh else f"Provincial ranks in {w1} (main variant)"
        cap = " ".join(x for x in (cap, _data_note(ctx, [w1])) if x)
        sec.tables.append(
            Table(
                cap,
                last[cols],
                formats=fm,
                labels={c: ctx.t(c) for c in cols},
                language=ctx.language,
            )
        )
    for n in ("region_trends", "ranks"):
        f = ctx.fig(f"chart_{n}")
        if f:
            f.caption = n
            sec.figures.append(f)
    return sec


def finding_section(ctx: ReportContext) -> Section | None:
    claims = ctx.table("claims")
    if claims is None:
        return None
    variants = _variant_order(ctx, claims["variant"].astype(str))
    d = claims.assign(
        claim=claims["claim"].astype(str), variant=claims["variant"].astype(str)
    ).copy()
    d["_c"] = d["claim"].map({c: i for i, c in enumerate(_claim_order(claims))})
    d["_v"] = d["variant"].map({v: i for i, v in enumerate(variants)})
    d = d.sort_values(["_c", "_v"])
    out = pd.DataFrame(
        {
            "claim": [ctx.t(c) for c in d["claim"]],
            "variant": [ctx.variant(v) + (" ★" if v == ctx.main else "") for v in d["variant"]],
            "verdict": [
                ctx.t("holds") if str(h).lower() == "true" else ctx.t("fails") for h in d["holds"]
            ],
            "bootstrap_share": [_pct(x) if pd.notna(x) else "" for x in d["bootstrap_share"]],
            "details": d["details_zh" if ctx.zh and "details_zh" in d.columns else "details"]
            .fillna("")
            .astype(str),
        }
    )
    labels = {
        "claim": ctx.t("claim"),
        "variant": ctx.t("variant"),
        "verdict": ctx.t("verdict"),
        "bootstrap_share": ctx.t("bootstrap_share"),
        "details": ctx.t("details"),
    }
    main_rows = [i for i, v in enumerate(d["variant"]) if v == ctx.main]
    sec = Section(ctx.t("finding_detail"), "finding")
    sec.tables.append(
        Table("", out, labels=labels, highlight_rows=main_rows, language=ctx.language)
    )
    f = ctx.fig("ua_claim_robustness")
    if f:
        f.caption = "claim_robustness"
        sec.figures.append(f)
    return sec


def disparity_section(ctx: ReportContext) -> Section | None:
    theil, dagum = ctx.table("theil"), ctx.table("dagum")
    if theil is None or dagum is None:
        return None
    sec = Section(ctx.t("disparity"), "disparity", html=_dynamics_html(ctx, with_note=True))

    def national(t: pd.DataFrame, stats: Sequence[str], shares: Sequence[str]) -> Table:
        d = t[t["region"] == "national"].pivot(index="year", columns="statistic", values="value")
        cols = [c for c in [*stats, *shares] if c in d.columns]
        d = d[cols].copy()
        for c in shares:
            if c in d.columns:
                d[c] = 100 * d[c]
        d = d.reset_index()
        fm = {"year": "{}", **dict.fromkeys(stats, "{:.3f}"), **dict.fromkeys(shares, "{:.1f}")}
        return Table(
            "",
            d,
            formats=fm,
            labels={
                "year": ctx.t("year"),
                **{
                    c: ctx.t(c)
                    + (" (%)" if c in shares and not ctx.zh else "（%）" if c in shares else "")
                    for c in cols
                },
            },
            language=ctx.language,
        )

    th = national(theil, ["T", "within", "between"], ["within_share", "between_share"])
    th.labels = {
        **th.labels,
        "within_share": ctx.t("within_share") + ("（%）" if ctx.zh else " (%)"),
        "between_share": ctx.t("between_share") + ("（%）" if ctx.zh else " (%)"),
    }
    th.caption = ctx.t("theil")
    dg = national(dagum, ["G", "G_w", "G_nb", "G_t"], ["share_w", "share_nb", "share_t"])
    dg.caption = ctx.t("dagum")
    sec.tables += [th, dg]
    beta = ctx.table("beta")
    if beta is not None:
        b = beta.copy()
        b["region"] = pd.Categorical(b["region"], ctx.region_order(list(b["region"])), ordered=True)
        b = b.sort_values("region")
        b["region"] = [ctx.region(r) for r in b["region"]]
        cols = ["region", "n_units", "beta", "se", "p", "r2", "half_life", "converges"]
        sec.tables.append(
            Table(
                ctx.t("beta_convergence"),
                b[cols],
                formats={
                    "n_units": "{}",
                    "beta": "{:.3f}",
                    "se": "{:.3f}",
                    "p": "{:.3f}",
                    "r2": "{:.2f}",
                    "half_life": "{:.1f}",
                },
                labels={c: ctx.t(c) for c in cols},
                language=ctx.language,
            )
        )
    moran = ctx.table("moran")
    if moran is not None:
        cols = ["year", "I", "EI", "z_norm", "p_norm", "p_sim"]
        sec.tables.append(
            Table(
                ctx.t("moran"),
                moran[cols],
                formats={
                    "year": "{}",
                    "I": "{:.3f}",
                    "EI": "{:.3f}",
                    "z_norm": "{:.2f}",
                    "p_norm": "{:.3f}",
                    "p_sim": "{:.3f}",
                },
                labels={c: ctx.t(c) for c in cols},
                language=ctx.language,
            )
        )
    for n in ("theil_contributions", "dagum_contributions", "kernel_density"):
        f = ctx.fig(f"chart_{n}")
        if f:
            f.caption = n
            sec.figures.append(f)
    return sec


def robustness_section(ctx: ReportContext) -> Section | None:
    sobol = ctx.table("sobol")
    if sobol is None:
        return None
    sec = Section(ctx.t("robustness"), "uncertainty")
    mc = ctx.table("claim_robustness")
    n = int(mc["n_replications"].max()) if mc is not None and len(mc) else None
    top = sobol.sort_values("ST", ascending=False).iloc[0]
    if ctx.zh:
        sec.paragraphs.append(
            f"在 {n} 次蒙特卡洛模拟中，每次随机选择标准化、赋权与合成方法，扰动维度权重并可能剔除一个指标。"
            f"对省份排名变动影响最大的是“{ctx.t(str(top['factor']))}”（总效应指数 {top['ST']:.2f}）。"
        )
    else:
        sec.paragraphs.append(
            f"Each of the {n} Monte Carlo replications draws a normalisation, a weighting and an aggregation method, "
            f"perturbs the dimension weights and may leave one indicator out. The choice that moves the provincial "
            f"ranks most is {ctx.t(str(top['factor'])).lower()} (total Sobol index {top['ST']:.2f})."
        )
    s = sobol.copy()
    s["factor"] = [ctx.t(f) for f in s["factor"].astype(str)]
    s["S1_ci"] = [
        f"{fmt_number(lo, '{:.2f}')} – {fmt_number(hi, '{:.2f}')}"
        for lo, hi in zip(s["S1_low"], s["S1_high"], strict=True)
    ]
    s["ST_ci"] = [
        f"{fmt_number(lo, '{:.2f}')} – {fmt_number(hi, '{:.2f}')}"
        for lo, hi in zip(s["ST_low"], s["ST_high"], strict=True)
    ]
    cols = ["factor", "S1", "S1_ci", "ST", "ST_ci"]
    ci = "95% 置信区间" if ctx.zh else "95 % interval"
    sec.tables.append(
        Table(
            "",
            s[cols],
            formats={"S1": "{:.2f}", "ST": "{:.2f}"},
            labels={
                "factor": ctx.t("factor"),
                "S1": ctx.t("S1"),
                "S1_ci": ci,
                "ST": ctx.t("ST"),
                "ST_ci": ci,
            },
            language=ctx.language,
        )
    )
    for n_ in ("rank_intervals", "sobol"):
        f = ctx.fig(f"ua_{n_}")
        if f:
            f.caption = n_
            sec.figures.append(f)
    return sec


def weights_section(ctx: ReportContext) -> Section | None:
    w = ctx.table("weights")
    if w is None:
        return None
    sec = Section(ctx.t("weights_section"), "weights")
    if "audit_comparison" in ctx.files and ctx.params is not None:
        # the section opens with the statistical audit and its verdict on the weighting
        sec.html = audit_html(ctx.files, ctx.params, w, ctx.language)
        sec.tables += _audit_tables(ctx, w)
    name = ctx.name_col()
    ind = w[w["type"] == "indicator"].copy()
    dims = w[w["type"] != "indicator"].set_index("node")
    ind["dimension"] = [dims.loc[p, name] if p in dims.index else p for p in ind["parent"]]
    ind["indicator"] = ind[name]
    ind["effective_weight"] = 100 * ind["effective_weight"]
    ind["within_parent_share"] = 100 * ind["within_parent_share"]
    ind["direction"] = ["+" if float(x) > 0 else "−" for x in ind["direction"]]
    cols = ["dimension", "indicator", "direction", "within_parent_share", "effective_weight"]
    pct = "（%）" if ctx.zh else " (%)"
    sec.tables.append(
        Table(
            ("主方案的指标权重" if ctx.zh else "Indicator weights of the main variant"),
            ind[cols],
            formats={"effective_weight": "{:.1f}", "within_parent_share": "{:.1f}"},
            labels={
                "dimension": ctx.t("dimension"),
                "indicator": ctx.t("indicator"),
                "direction": ctx.t("direction"),
                "within_parent_share": ctx.t("within_parent_share") + pct,
                "effective_weight": ctx.t("effective_weight") + pct,
            },
            language=ctx.language,
        )
    )
    f = ctx.fig("chart_weights_by_method")
    if f:
        f.caption = "weights_by_method"
        sec.figures.append(f)
    return sec


def data_section(ctx: ReportContext) -> Section | None:
    cov = ctx.table("coverage")
    sec = Section(ctx.t("data_section"), "data")
    w0, w1 = ctx.window
    if cov is not None:
        cb = (
            pd.read_csv(ctx.files["codebook"], dtype=str, keep_default_na=False).set_index("id")
            if "codebook" in ctx.files
            else None
        )
        c = cov[cov["year"].between(w0, w1)]
        g = c.groupby("indicator", sort=False).agg(
            n_observed=("n_observed", "sum"),
            n_imputed=("n_imputed", "sum"),
            n_missing=("n_missing", "sum"),
        )
        g["share_observed"] = (
            100 * g["n_observed"] / (g["n_observed"] + g["n_imputed"] + g["n_missing"])
        )
        g = g.reset_index()
        if cb is not None:
            g["indicator"] = [
                cb.loc[i, ctx.name_col()] if i in cb.index and cb.loc[i, ctx.name_col()] else i
                for i in g["indicator"]
            ]
        cols = ["indicator", "n_observed", "n_imputed", "n_missing", "share_observed"]
        cap = (
            f"{w0}—{w1} 年各指标的省份-年份单元数"
            if ctx.zh
            else f"Province-years per indicator, {w0}–{w1}"
        )
        sec.tables.append(
            Table(
                cap,
                g[cols],
                formats={"share_observed": "{:.1f}"},
                labels={c_: ctx.t(c_) for c_ in cols},
                language=ctx.language,
            )
        )
    data_years, shares = ctx.table("data_years", keep_default_na=False), ctx.table("imputed_shares")
    if data_years is not None and shares is not None:
        sec.tables += _disclosure_tables(ctx, data_years, shares)
    f = ctx.fig("coverage_fig")
    if f:
        f.caption = "coverage_heatmap"
        sec.figures.append(f)
    if ctx.captions is not None and ctx.captions.sources:
        src = pd.DataFrame({"short": ctx.captions.sources})
        sec.tables.append(
            Table(
                ctx.t("sources_section"),
                src,
                labels={"short": ctx.t("short")},
                language=ctx.language,
            )
        )
    return sec if (sec.tables or sec.figures) else None


def method_section(ctx: ReportContext) -> Section:
    """The methods in words, written from the method record (and the disparity record)."""
    rec = ctx.record
    sec = Section(ctx.t("method_section"), "method")
    w0, w1 = ctx.window
    p0, p1 = int(rec["panel"]["start"]), int(rec["panel"]["end"])
    drop = rec.get("units", {}).get("drop") or []
    regions = rec.get("regions", {})
    order = ("、" if ctx.zh else ", ").join(ctx.region(r) for r in regions.get("order", []))
    variants = _variant_order(ctx, list(rec["variants"]))
    dis = ctx.captions.disparity if ctx.captions else {}
    if ctx.zh:
        sec.paragraphs.append(
            f"面板期为 {p0}—{p1} 年，考察期为 {w0}—{w1} 年"
            + (f"；{unit_names(drop, 'zh')}未纳入分析" if drop else "")
            + f"。区域划分为{term(str(regions.get('scheme')), 'zh')}（{order}）。"
        )
        sec.paragraphs.append(f"主方案：{method_phrase(rec, 'zh')}。")
        for v in variants[1:]:
            sec.paragraphs.append(f"对比方案“{ctx.variant(v)}”：{method_phrase(rec, 'zh', v)}。")
    else:
        sec.paragraphs.append(
            f"Panel {p0}–{p1}, analysis window {w0}–{w1}"
            + (f"; {unit_names(drop, 'en')} left out of the analysis" if drop else "")
            + f". Regions: {term(str(regions.get('scheme')), 'en')} ({order})."
        )
        sec.paragraphs.append(f"Main variant: {method_phrase(rec, 'en')}.")
        for v in variants[1:]:
            sec.paragraphs.append(f"Variant {ctx.variant(v)}: {method_phrase(rec, 'en', v)}.")
    if dis:
        kde = dis.get("kde", {})
        sp = dis.get("spatial", {})
        links = ", ".join(f"{k}–{x}" for k, xs in (sp.get("links") or {}).items() for x in xs)
        sup = kde.get("support")
        if ctx.zh:
            sec.paragraphs.append(
                "区域差异：泰尔指数 T 及其区域内、区域间分解；Dagum（1997）基尼系数分解为区域内差异、区域间净差异与超变密度；"
                f"β 收敛为混合回归；核密度为高斯核、{term(str(kde.get('bandwidth')), 'zh')}"
                + (f"，在 [{sup[0]:g}, {sup[1]:g}] 边界反射修正" if sup else "")
                + "。"
                "空间自相关：后共边邻接"
                + (f"（另加 {links}）" if links else "")
                + f"，行标准化，{sp.get('permutations')} 次置换，显著性水平 {sp.get('lisa_alpha')}。"
            )
        else:
            sec.paragraphs.append(
                "Disparity: Theil T with its within/between-region decomposition; the Dagum (1997) Gini decomposition "
                "into within-region, net between-region and transvariation terms; pooled β-convergence; Gaussian kernel "
                f"densities, {term(str(kde.get('bandwidth')), 'en')}"
                + (f", reflected at the bounds [{sup[0]:g}, {sup[1]:g}]" if sup else "")
                + ". "
                "Spatial autocorrelation: queen contiguity"
                + (f" plus the link(s) {links}" if links else "")
                + f", row-standardised, {sp.get('permutations')} permutations, significance level {sp.get('lisa_alpha')}."
            )
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


def load_json(path: str | Path | None) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
