"""Assemble the self-contained HTML report of one language (thin glue around greenindex.report.html)."""

import json
from pathlib import Path

import pandas as pd

from greenindex.analysis.audit import report_html as audit_html
from greenindex.analysis.audit import report_tables as audit_tables_for_report
from greenindex.analysis.composition import data_note, data_tables, dynamics_text
from greenindex.data.io import write_text
from greenindex.figures.explorer import explorer_link
from greenindex.figures.maps import map_caption
from greenindex.logs import step_logging
from greenindex.report.html import (
    TEXT,
    Figure,
    Section,
    caption,
    markdown_html,
    method_summary,
    render,
)
from greenindex.report.provenance import used_sources

with step_logging(snakemake.log[0], "report"):  # noqa: F821
    sm = snakemake  # noqa: F821
    lang = sm.wildcards.lang
    inp = sm.input
    have = set(inp.keys())  # named inputs present (Snakemake's Namedlist `in` tests values)
    record = json.loads(Path(inp.record).read_text(encoding="utf-8"))
    method = method_summary(record, lang)
    used = used_sources(pd.read_csv(inp.used_obs), pd.read_csv(inp.used_codebook)) if "sources" in have else []
    src_ids = ", ".join(used) if "sources" in have else "see data/raw"
    sources = ("sources " if lang == "en" else "来源 ") + src_ids
    note = map_caption(sm.params.maps["review_number"], sm.params.maps["source_note"], lang)
    data_years = pd.read_csv(inp.data_years, keep_default_na=False)
    window_note = data_note(data_years, range(sm.params.window["start"], sm.params.window["end"] + 1), lang)
    note = f"{note}. {window_note}" if window_note else note
    w0, w1 = sm.params.window["start"], sm.params.window["end"]
    t = {k: v[lang] for k, v in TEXT.items()}

    def figs(prefix, names, map_note=None):
        return [Figure(inp[f"{prefix}{n}"], caption(n, lang, method=method, sources=sources, map_note=map_note))
                for n in names if f"{prefix}{n}" in have]

    claims = pd.read_csv(inp.claims)
    finding = Section(t["finding"], "finding", html=markdown_html(Path(inp.summary).read_text(encoding="utf-8")))
    finding.tables.append(("", claims[["claim", "variant", "statistic", "value", "holds", "bootstrap_share"]]))
    if "claim_robustness" in have:
        finding.tables.append(("Monte Carlo over method choices" if lang == "en" else "方法选择蒙特卡洛",
                               pd.read_csv(inp.claim_robustness)))
        finding.figures += figs("ua_", ["claim_robustness"])

    means = pd.read_csv(inp.means)
    weights = pd.read_csv(inp.weights)
    root = weights.loc[weights["type"] == "index", "node"].iloc[0]
    idx = means[(means["node"] == root) & means["year"].between(w0, w1)]
    dyn = json.loads(Path(inp.dynamics).read_text(encoding="utf-8"))
    node_names = dict(zip(weights["node"], weights[f"name_{lang}"].fillna(weights["node"]), strict=True))
    dyn_html = markdown_html(dynamics_text(dyn, node_names, lang))
    region = Section(t["index"], "index", html=explorer_link(lang) + dyn_html)
    region.tables.append((window_note, idx.pivot(index="year", columns="region", values="mean").reset_index()))
    growth = pd.read_csv(inp.growth)
    region.tables.append(("", growth[growth["node"] == root].drop(columns=["node"])))
    ranks = pd.read_csv(inp.ranks)
    units = pd.read_csv(inp.units, dtype=str, keep_default_na=False).set_index("unit")
    last = ranks[ranks["year"] == w1].sort_values("rank").copy()
    last.insert(1, "name", last["unit"].map(units["name_zh" if lang == "zh" else "name_en"]))
    region.tables.append((data_note(data_years, [w1], lang), last[["rank", "unit", "name", "region", "score"]]))
    region.figures += figs("chart_", ["region_trends", "ranks"])

    maps = Section(t["maps"], "maps", figures=figs("map_", ["region_gradient", "index_by_year", "index_change",
                                                             "dimensions", "lisa_clusters"], map_note=note))

    def national(path):
        d = pd.read_csv(path)
        return d[d["region"] == "national"].pivot(index="year", columns="statistic", values="value").reset_index()

    dyn_note = data_note(pd.read_csv(inp.dynamics_data_years, keep_default_na=False), dyn["years"], lang)
    disp = Section(t["disparity"], "disparity",
                   html=markdown_html(f"{dynamics_text(dyn, node_names, lang)}\n\n{dyn_note}"))
    disp.tables += [("Theil T", national(inp.theil)), ("Dagum Gini", national(inp.dagum)),
                    ("beta-convergence", pd.read_csv(inp.beta)),
                    ("Moran's I", pd.read_csv(inp.moran)[["year", "I", "EI", "z_norm", "p_norm", "p_sim"]])]
    disp.figures += figs("chart_", ["theil_contributions", "dagum_contributions", "kernel_density"])

    sections = [finding, region, maps, disp]
    if "sobol" in have:
        ua = Section(t["uncertainty"], "uncertainty")
        ua.tables.append(("Sobol", pd.read_csv(inp.sobol)))
        ua.figures += figs("ua_", ["rank_intervals", "sobol"])
        sections.append(ua)
    wsec = Section(t["weights"], "weights", html=audit_html(inp, sm.params, weights, lang))
    wsec.tables += audit_tables_for_report(inp, lang)
    wsec.tables.append(("", weights))
    wsec.figures += figs("chart_", ["weights_by_method"])
    sections.append(wsec)
    data = Section(t["data"], "data")
    cov = pd.read_csv(inp.coverage)
    data.tables.append(("", cov[cov["year"].between(w0, w1)]))
    data.tables += data_tables(data_years, pd.read_csv(inp.imputed_shares), (w0, w1), lang)
    if "coverage_fig" in have:
        data.figures.append(Figure(inp.coverage_fig, caption("coverage_heatmap", lang, method=method, sources=sources)))
    if "sources" in have:
        src = pd.read_csv(inp.sources)
        data.tables.append(("", src[src["source_id"].isin(used)][["source_id", "publication", "citation"]]))
    sections.append(data)
    html = render(t["title"], sections, subtitle=method, record=record)
    write_text(html, sm.output[0])
