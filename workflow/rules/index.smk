# Stages 3-5, once per method variant: normalise, weight, aggregate into the index and its
# dimension sub-indices. Data-driven weights are computed from the treated data min-max
# normalised to [0, 1] (greenindex.index.pipeline.weight_basis), so they do not depend on the
# normalisation used for aggregation. Each rule receives only its own config section of the variant
# through params, so changing a weight re-runs weights -> aggregate -> downstream only.


rule normalise:
    input:
        treated=rules.treat.output.treated,
        framework=rules.validate.output.framework,
    output:
        normalised="results/normalise/{variant}/normalised.csv",
        report="results/normalise/{variant}/report.csv",
    params:
        normalise=variant_section("normalise"),
    # upstream of every figure and of the report: before the explorer and the uncertainty figures
    priority: 10
    log:
        "results/logs/normalise_{variant}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/normalise.py"


rule weights:
    input:
        treated=rules.treat.output.treated,
        framework=rules.validate.output.framework,
    output:
        weights="results/weights/{variant}/weights.csv",
        effective="results/weights/{variant}/effective_weights.csv",
        diagnostics="results/weights/{variant}/diagnostics.json",
    params:
        weights=variant_section("weights"),
    # upstream of every figure and of the report: before the explorer and the uncertainty figures
    priority: 10
    log:
        "results/logs/weights_{variant}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/weights.py"


rule aggregate:
    input:
        normalised=rules.normalise.output.normalised,
        weights=rules.weights.output.weights,
        framework=rules.validate.output.framework,
        units=rules.validate.output.units,
        flags=rules.treat.output.flags,
    output:
        scores="results/aggregate/{variant}/scores.csv",
        ranks="results/aggregate/{variant}/ranks.csv",
    params:
        aggregate=variant_section("aggregate"),
    # upstream of every figure and of the report: before the explorer and the uncertainty figures
    priority: 10
    log:
        "results/logs/aggregate_{variant}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/aggregate.py"
