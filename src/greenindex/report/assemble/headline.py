"""The report's lead: the headline table (each claim x each method variant, the main variant
first and marked, with bootstrap and Monte Carlo shares) and one plain paragraph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from greenindex.glossary import term
from greenindex.report.assemble.context import (
    ReportContext,
    _claim_order,
    _pct,
    _root,
    _variant_order,
)
from greenindex.report.captions import method_phrase


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
