# Uncertainty and sensitivity analysis (Monte Carlo over the modelling choices, Sobol indices).
# Scatter/gather: the replications are split into `uncertainty.chunks` chunks known from the
# config; every replication draws its choices from its own seed (seed, replication index), so
# the merged result does not depend on the number of chunks. On a cluster the chunks run as
# separate jobs (profiles/slurm).

rule uncertainty_chunk:
    input:
        treated=rules.treat.output.treated,
        denominated=rules.treat.output.denominated,
        framework=rules.validate.output.framework,
        units=rules.validate.output.units,
    output:
        "results/uncertainty/chunks/{chunk}.npz",
    params:
        uncertainty=config["uncertainty"],
        methods=uncertainty_methods(),
        window=config["window"],
        regions=section_keys("regions", "scheme"),
        claims=section_keys("claims", "region_labels", "growth", "between_share_large"),
        n_chunks=len(UNCERTAINTY_CHUNKS),
    # the rank chart waits for the rank intervals: start the Monte Carlo early
    priority: 10
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    log:
        "results/logs/uncertainty_chunk_{chunk}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/uncertainty_chunk.py"


rule uncertainty_merge:
    input:
        chunks=expand("results/uncertainty/chunks/{chunk}.npz", chunk=UNCERTAINTY_CHUNKS),
        treated=rules.treat.output.treated,
        denominated=rules.treat.output.denominated,
        framework=rules.validate.output.framework,
        units=rules.validate.output.units,
    output:
        rank_intervals="results/uncertainty/rank_intervals.csv",
        claim_robustness="results/uncertainty/claim_robustness.csv",
        sobol="results/uncertainty/sobol.csv",
        replications="results/uncertainty/replications.csv",
    params:
        uncertainty=config["uncertainty"],
        methods=uncertainty_methods(),
        window=config["window"],
        regions=section_keys("regions", "scheme"),
        claims=section_keys("claims", "region_labels", "growth", "between_share_large"),
    priority: 10
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    log:
        "results/logs/uncertainty_merge.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/uncertainty_merge.py"


# The figures of the analysis, from the merged tables: jobs of their own, so that the rank
# intervals reach the rank chart without waiting for six figures to be drawn. As for the maps,
# the PNGs the report embeds come first and the print formats follow in a job of lower priority.
UA_FIGURE_INPUTS = dict(
    rank_intervals=rules.uncertainty_merge.output.rank_intervals,
    claim_robustness=rules.uncertainty_merge.output.claim_robustness,
    sobol=rules.uncertainty_merge.output.sobol,
)


if SCREEN_FORMATS:

    rule uncertainty_figures:
        input:
            **UA_FIGURE_INPUTS,
        output:
            figures=uncertainty_figure_targets(SCREEN_FORMATS),
            # the report's copies of the PNGs (greenindex.figures.preview)
            previews=expand(
                "results/report/figures/uncertainty/{fig}_{lang}.png", fig=UA_FIGURES, lang=LANGS
            ),
        params:
            figures=figure_config(SCREEN_FORMATS),
            languages=LANGS,
            year=config["window"]["end"],
        priority: 10
        log:
            "results/logs/uncertainty_figures.log",
        conda:
            "../envs/greenindex.yaml"
        script:
            "../scripts/uncertainty_figures.py"


if PRINT_FORMATS:

    rule uncertainty_figures_print:
        input:
            **UA_FIGURE_INPUTS,
        output:
            uncertainty_figure_targets(PRINT_FORMATS),
        params:
            figures=figure_config(PRINT_FORMATS),
            languages=LANGS,
            year=config["window"]["end"],
        # the print files follow the report's PNGs
        priority: -10
        log:
            "results/logs/uncertainty_figures_print.log",
        conda:
            "../envs/greenindex.yaml"
        script:
            "../scripts/uncertainty_figures.py"
