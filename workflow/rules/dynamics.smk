# What each index value rests on (greenindex.analysis.composition): the status and data year
# of every cell, the composition of every unit-year, the share of the index resting on
# imputed cells; and the composition-stable scores the panel analyses (trends, convergence,
# densities, Theil/Dagum and Moran over time) use (`dynamics.basis`).


rule disclosure:
    input:
        treated=rules.treat.output.treated,
        flags=rules.treat.output.flags,
        framework=rules.validate.output.framework,
        weights=f"results/weights/{MAIN}/weights.csv",
    output:
        cells="results/treat/cell_status.csv",
        composition="results/treat/composition.csv",
        data_years="results/treat/data_years.csv",
        shares="results/treat/imputed_shares.csv",
    # on the way to the main variant's maps (data-year notes) and dynamics: start it first
    priority: 10
    log:
        "results/logs/disclosure.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/disclosure.py"


rule dynamics:
    input:
        scores=f"results/aggregate/{MAIN}/scores.csv",
        treated=rules.treat.output.treated,
        cells=rules.disclosure.output.cells,
        framework=rules.validate.output.framework,
    output:
        scores="results/dynamics/scores.csv",
        breaks="results/dynamics/breaks.csv",
        data_years="results/dynamics/data_years.csv",
        method="results/dynamics/method.json",
    params:
        methods=variant_config(config, MAIN),
        dynamics=config["dynamics"],
        years=dynamics_years(),
    priority: 10
    log:
        "results/logs/dynamics.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/dynamics.py"


use rule regional as dynamics_regional with:
    input:
        scores=rules.dynamics.output.scores,
        units=rules.validate.output.units,
        framework=rules.validate.output.framework,
    output:
        means="results/dynamics/region_means.csv",
        growth="results/dynamics/region_growth.csv",
        unit_ranks="results/dynamics/unit_ranks.csv",
        region_ranks="results/dynamics/region_ranks.csv",
    log:
        "results/logs/dynamics_regional.log",
