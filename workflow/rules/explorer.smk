# The weight explorer: one self-contained HTML page per figure language that recomputes the
# main variant's index in the browser (greenindex.figures.explorer). Linked from the reports.


rule explorer:
    input:
        normalised=f"results/normalise/{MAIN}/normalised.csv",
        weights=f"results/weights/{MAIN}/weights.csv",
        framework=rules.validate.output.framework,
        units=rules.validate.output.units,
        codebook=rules.validate.output.codebook,
        flags=rules.treat.output.flags,
        boundaries=rules.prepare_boundaries.output.display,
    output:
        "results/explorer/explorer_{lang}.html",
    params:
        config=explorer_config(),
    # after the report's jobs, before the print files
    priority: -5
    log:
        "results/logs/explorer_{lang}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/explorer.py"
