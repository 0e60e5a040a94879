# The method record (choices, versions, input checksums) and the self-contained HTML report.


rule method_record:
    input:
        **data_inputs(),
    output:
        "results/provenance/method_record.json",
    params:
        config={k: config[k] for k in ("panel", "window", "units", "indicators", "regions", "main_variant")},
        variants={v: variant_config(config, v) for v in VARIANTS},
    log:
        "results/logs/method_record.log",
    script:
        "../scripts/method_record.py"


def report_inputs(wildcards):
    """Tables and figures (this language's PNGs) that the report embeds."""
    lang = wildcards.lang
    d = {
        "record": rules.method_record.output[0],
        "claims": rules.claims.output.table,
        "summary": f"results/claims/claims_summary_{lang}.md",
        "means": f"results/regional/{MAIN}/region_means.csv",
        "growth": f"results/regional/{MAIN}/region_growth.csv",
        "ranks": f"results/regional/{MAIN}/unit_ranks.csv",
        "weights": f"results/weights/{MAIN}/effective_weights.csv",
        "coverage": rules.coverage.output.table,
        "theil": rules.disparity.output.theil,
        "dagum": rules.disparity.output.dagum,
        "beta": rules.disparity.output.beta,
        "moran": rules.disparity.output.moran,
        "units": rules.validate.output.units,
    }
    if config["data"].get("sources"):
        d["sources"] = config["data"]["sources"]
    if "png" in config["figures"]["formats"]:
        d["coverage_fig"] = "results/coverage/coverage_heatmap.png"
        for name in MAP_NAMES:
            d[f"map_{name}"] = f"results/figures/{lang}/maps/{name}.png"
        for name in CHART_NAMES:
            d[f"chart_{name}"] = f"results/figures/{lang}/charts/{name}.png"
    if config["uncertainty"]["enabled"]:
        d["rank_intervals"] = "results/uncertainty/rank_intervals.csv"
        d["claim_robustness"] = "results/uncertainty/claim_robustness.csv"
        d["sobol"] = "results/uncertainty/sobol.csv"
        if "png" in config["figures"]["formats"]:
            for fig in ("claim_robustness", "rank_intervals", "sobol"):
                d[f"ua_{fig}"] = f"results/figures/uncertainty/{fig}_{lang}.png"
    return d


rule report:
    input:
        unpack(report_inputs),
    output:
        "results/report/report_{lang}.html",
    params:
        window=config["window"],
        regions=config["regions"],
        maps={k: config["maps"][k] for k in ("review_number", "source_note")},
    log:
        "results/logs/report_{lang}.log",
    script:
        "../scripts/report.py"
