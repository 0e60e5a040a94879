"""The result sections of the report: maps, the index by region, the claims in detail,
disparity and robustness."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from greenindex.figures.explorer import explorer_link
from greenindex.report.assemble.context import (
    ReportContext,
    _claim_order,
    _data_note,
    _dynamics_html,
    _pct,
    _root,
    _variant_order,
)
from greenindex.report.html import Section, Table, fmt_number


def maps_section(ctx: ReportContext) -> Section | None:
    names = [
        "region_gradient",
        "index_by_year",
        "index_change",
        "dimensions",
        "lisa_clusters",
    ]
    figs = ctx.figs({f"map_{n}": n for n in names})
    return Section(ctx.t("maps"), "maps", figures=figs) if figs else None


def index_section(ctx: ReportContext) -> Section | None:
    means, growth, ranks = (
        ctx.table("means"),
        ctx.table("growth"),
        ctx.table("ranks", dtype={"unit": str}),
    )
    if means is None:
        return None
    root = _root(ctx)
    sec = Section(
        ctx.t("index_regions"),
        "index",
        html=explorer_link(ctx.language) + _dynamics_html(ctx),
    )
    sec.tables.append(_means_table(ctx, means, root))
    if growth is not None:
        sec.tables.append(_growth_table(ctx, growth, root))
    if ranks is not None:
        sec.tables.append(_ranks_table(ctx, ranks))
    sec.figures += ctx.figs({f"chart_{n}": n for n in ("region_trends", "ranks")})
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
    sec.figures += ctx.figs({"ua_claim_robustness": "claim_robustness"})
    return sec


def disparity_section(ctx: ReportContext) -> Section | None:
    theil, dagum = ctx.table("theil"), ctx.table("dagum")
    if theil is None or dagum is None:
        return None
    sec = Section(ctx.t("disparity"), "disparity", html=_dynamics_html(ctx, with_note=True))
    th = _national_table(ctx, theil, ["T", "within", "between"], ["within_share", "between_share"])
    th.labels = {
        **th.labels,
        "within_share": ctx.t("within_share") + ("（%）" if ctx.zh else " (%)"),
        "between_share": ctx.t("between_share") + ("（%）" if ctx.zh else " (%)"),
    }
    th.caption = ctx.t("theil")
    dg = _national_table(
        ctx, dagum, ["G", "G_w", "G_nb", "G_t"], ["share_w", "share_nb", "share_t"]
    )
    dg.caption = ctx.t("dagum")
    sec.tables += [th, dg]
    beta = ctx.table("beta")
    if beta is not None:
        sec.tables.append(_beta_table(ctx, beta))
    moran = ctx.table("moran")
    if moran is not None:
        sec.tables.append(_moran_table(ctx, moran))
    charts = ("theil_contributions", "dagum_contributions", "kernel_density")
    sec.figures += ctx.figs({f"chart_{n}": n for n in charts})
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
    sec.figures += ctx.figs({f"ua_{name}": name for name in ("rank_intervals", "sobol")})
    return sec


def _means_table(ctx: ReportContext, means: pd.DataFrame, root: str) -> Table:
    """Regional means of the index over the window, with the data note of the window."""
    w0, w1 = ctx.window
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
    return Table(
        cap,
        wide,
        formats={"year": "{}", **dict.fromkeys(order, "{:.1f}")},
        labels=labels,
        language=ctx.language,
    )


def _growth_table(ctx: ReportContext, growth: pd.DataFrame, root: str) -> Table:
    """Change of the regional means over the window."""
    w0, w1 = ctx.window
    g = growth[growth["node"] == root].drop(columns=["node"]).copy()
    g["region"] = pd.Categorical(g["region"], ctx.region_order(list(g["region"])), ordered=True)
    g = g.sort_values("region")
    g["region"] = [ctx.region(r) for r in g["region"]]
    g["rel_change"] = 100 * g["rel_change"]
    cols = ["region", "start", "end", "abs_change", "rel_change"]
    cap = f"区域均值变化（{w0}—{w1} 年）" if ctx.zh else f"Change of the regional means, {w0}–{w1}"
    return ctx.term_table(
        cap, g[cols], dict.fromkeys(cols[1:], "{:+.1f}") | {"start": "{:.1f}", "end": "{:.1f}"}
    )


def _ranks_table(ctx: ReportContext, ranks: pd.DataFrame) -> Table:
    """Provincial ranks in the window's last year, with the rank intervals when available."""
    w1 = ctx.window[1]
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
    return ctx.term_table(cap, last[cols], fm)


def _national_table(
    ctx: ReportContext, t: pd.DataFrame, stats: Sequence[str], shares: Sequence[str]
) -> Table:
    """The national rows of a decomposition table by year (shares in per cent)."""
    d = t[t["region"] == "national"].pivot(index="year", columns="statistic", values="value")
    cols = [c for c in [*stats, *shares] if c in d.columns]
    d = d[cols].copy()
    for c in shares:
        if c in d.columns:
            d[c] = 100 * d[c]
    d = d.reset_index()
    fm = {
        "year": "{}",
        **dict.fromkeys(stats, "{:.3f}"),
        **dict.fromkeys(shares, "{:.1f}"),
    }
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


def _beta_table(ctx: ReportContext, beta: pd.DataFrame) -> Table:
    """β-convergence by region."""
    b = beta.copy()
    b["region"] = pd.Categorical(b["region"], ctx.region_order(list(b["region"])), ordered=True)
    b = b.sort_values("region")
    b["region"] = [ctx.region(r) for r in b["region"]]
    cols = ["region", "n_units", "beta", "se", "p", "r2", "half_life", "converges"]
    return ctx.term_table(
        ctx.t("beta_convergence"),
        b[cols],
        {
            "n_units": "{}",
            "beta": "{:.3f}",
            "se": "{:.3f}",
            "p": "{:.3f}",
            "r2": "{:.2f}",
            "half_life": "{:.1f}",
        },
    )


def _moran_table(ctx: ReportContext, moran: pd.DataFrame) -> Table:
    """Global Moran's I by year."""
    cols = ["year", "I", "EI", "z_norm", "p_norm", "p_sim"]
    return ctx.term_table(
        ctx.t("moran"),
        moran[cols],
        {
            "year": "{}",
            "I": "{:.3f}",
            "EI": "{:.3f}",
            "z_norm": "{:.2f}",
            "p_norm": "{:.3f}",
            "p_sim": "{:.3f}",
        },
    )
