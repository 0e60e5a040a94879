# Stage 5b: statistical audit of each variant's index (correlations, Cronbach's alpha, first
# principal component, effective weights vs importance; greenindex.analysis.audit), and the
# comparison of the variants' audits that the default weighting is chosen on.


rule audit:
    input:
        scores="results/aggregate/{variant}/scores.csv",
        effective="results/weights/{variant}/effective_weights.csv",
        framework=rules.validate.output.framework,
    output:
        correlations="results/audit/{variant}/correlations.csv",
        consistency="results/audit/{variant}/consistency.csv",
        importance="results/audit/{variant}/importance.csv",
        flags="results/audit/{variant}/flags.csv",
        summary="results/audit/{variant}/summary.json",
    params:
        audit=config["audit"],
        window=config["window"],
        panel=config["panel"],
    # on the way to the report (the critical path after a change)
    priority: 10
    log:
        "results/logs/audit_{variant}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/audit.py"


rule audit_comparison:
    input:
        summaries=expand("results/audit/{variant}/summary.json", variant=VARIANTS),
    output:
        table="results/audit/comparison.csv",
    params:
        variants=VARIANTS,
        main=MAIN,
        labels=variant_labels(),
    # on the way to the report (the critical path after a change)
    priority: 10
    log:
        "results/logs/audit_comparison.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/audit_comparison.py"
