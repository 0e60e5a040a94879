# Stage 6: regional summary of each variant's index: region means and medians per year,
# growth over the analysis window, ranks of provinces and regions.


rule regional:
    input:
        scores="results/aggregate/{variant}/scores.csv",
        units=rules.validate.output.units,
        framework=rules.validate.output.framework,
    output:
        means="results/regional/{variant}/region_means.csv",
        growth="results/regional/{variant}/region_growth.csv",
        unit_ranks="results/regional/{variant}/unit_ranks.csv",
        region_ranks="results/regional/{variant}/region_ranks.csv",
    params:
        regions=config["regions"],
        window=config["window"],
    # feeds the main variant's figures (the critical path of a rerun): schedule it early
    priority: 10
    log:
        "results/logs/regional_{variant}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/regional.py"
