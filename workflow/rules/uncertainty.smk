# Uncertainty and sensitivity analysis (Monte Carlo over the modelling choices, Sobol indices).
# Scatter/gather: the replications are split into `uncertainty.chunks` chunks known from the
# config; every replication draws its choices from its own seed (seed, replication index), so
# the merged result does not depend on the number of chunks. On a cluster the chunks run as
# separate jobs (profiles/slurm).

UNCERTAINTY_CHUNKS = list(range(int(config.get("uncertainty", {}).get("chunks", 1))))


wildcard_constraints:
    chunk=r"\d+",


def uncertainty_methods():
    """The nominal method sections: those of the main variant."""
    return variant_config(config, MAIN)


def uncertainty_targets():
    """Outputs of the analysis (empty when uncertainty.enabled is false)."""
    if not config.get("uncertainty", {}).get("enabled", True):
        return []
    return [
        "results/uncertainty/rank_intervals.csv",
        "results/uncertainty/claim_robustness.csv",
        "results/uncertainty/sobol.csv",
        "results/uncertainty/replications.csv",
    ] + uncertainty_figure_targets()


def uncertainty_figure_targets():
    return expand(
        "results/figures/uncertainty/{fig}_{lang}.{ext}",
        fig=["rank_intervals", "claim_robustness", "sobol"],
        lang=LANGS,
        ext=config["figures"]["formats"],
    )


rule uncertainty_chunk:
    input:
        treated=rules.treat.output.treated,
        denominated=rules.treat.output.denominated,
        framework=rules.validate.output.framework,
        units=rules.validate.output.units,
    output:
        "results/uncertainty/chunks/{chunk}.npz",
    params:
        uncertainty=config.get("uncertainty", {}),
        methods=uncertainty_methods(),
        window=config["window"],
        regions=config["regions"],
        claims=config.get("claims", {}),
        n_chunks=len(UNCERTAINTY_CHUNKS),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    log:
        "results/logs/uncertainty_chunk_{chunk}.log",
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
        figures=uncertainty_figure_targets(),
    params:
        uncertainty=config.get("uncertainty", {}),
        methods=uncertainty_methods(),
        window=config["window"],
        regions=config["regions"],
        claims=config.get("claims", {}),
        figures=config["figures"],
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    log:
        "results/logs/uncertainty_merge.log",
    script:
        "../scripts/uncertainty_merge.py"
