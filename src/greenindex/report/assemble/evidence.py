"""The sections on what the index rests on: the weights (opened by the statistical audit)
and the data (coverage, data years, the share of weight on filled-in cells, sources)."""

from __future__ import annotations

import pandas as pd

from greenindex.analysis.audit import report_html as audit_html
from greenindex.report.assemble.context import ReportContext, _node_names
from greenindex.report.html import Section, Table


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
            ctx.term_table(
                ctx.t("audit_table_importance"),
                d[cols],
                {
                    "weight_share": "{:.1f}",
                    "importance_share": "{:.1f}",
                    "r_index": "{:.2f}",
                },
            )
        )
    cons = ctx.table("audit_consistency")
    if cons is not None:
        c2 = cons[cons["level"] == 2].copy()
        c2["dimension"] = [names.get(str(n), str(n)) for n in c2["node"]]
        cols = ["dimension", "n_children", "cronbach_alpha", "pc1_share"]
        out.append(
            ctx.term_table(
                ctx.t("audit_table_consistency"),
                c2[cols],
                {"n_children": "{}", "cronbach_alpha": "{:.2f}", "pc1_share": "{:.2f}"},
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
    out = [ctx.term_table(ctx.t("data_years_table"), dy[cols], fm)]
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
    sec.figures += ctx.figs({"chart_weights_by_method": "weights_by_method"})
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
    sec.figures += ctx.figs({"coverage_fig": "coverage_heatmap"})
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
