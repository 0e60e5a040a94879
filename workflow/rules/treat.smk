# Stage 2: derive ratios (denomination), treat missing values, screen by data availability,
# treat outliers. Every changed cell is written to flags.csv with the rule that changed it.


rule treat:
    input:
        raw_panel=rules.validate.output.raw_panel,
        codebook=rules.validate.output.codebook,
        units=rules.validate.output.units,
    output:
        denominated="results/treat/denominated.csv",
        imputed="results/treat/imputed.csv",
        screened="results/treat/screened.csv",
        treated="results/treat/treated.csv",
        flags="results/treat/flags.csv",
        summary="results/treat/summary.csv",
    params:
        treat=config["treat"],
    log:
        "results/logs/treat.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/treat.py"


rule coverage:
    input:
        denominated=rules.treat.output.denominated,
        units=rules.validate.output.units,
        codebook=rules.validate.output.codebook,
        flags=rules.treat.output.flags,
    output:
        table="results/coverage/coverage.csv",
        # one heatmap per figure language (labels from the glossary and the codebook names)
        figure=expand("results/coverage/coverage_heatmap_{lang}.{ext}", lang=LANGS, ext=config["figures"]["formats"]),
    params:
        panel=config["panel"],
        window=config["window"],
        validate=config["validate"],
        figures=config["figures"],
    log:
        "results/logs/coverage.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/coverage.py"
