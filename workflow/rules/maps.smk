# Stage 8: boundaries and publication figures (maps and charts) in each figure language.
# Boundaries are prepared once into resources/ (full geometry for contiguity, a simplified
# Albers copy for display); maps and charts of the main variant go to results/figures/{lang}/.

rule prepare_boundaries:
    input:
        boundary_source,
    output:
        full="resources/boundaries/provinces_full.gpkg",
        display="resources/boundaries/provinces_display.gpkg",
    params:
        maps=section_keys(
            "maps",
            "boundaries",
            "name_column",
            "layer",
            "dash_line",
            "dash_line_layer",
            "simplify_tolerance_m",
        ),
    log:
        "results/logs/prepare_boundaries.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/prepare_boundaries.py"


rule figure_maps:
    input:
        data_years="results/treat/data_years.csv",
        boundaries=rules.prepare_boundaries.output.display,
        scores=f"results/aggregate/{MAIN}/scores.csv",
        region_means=f"results/regional/{MAIN}/region_means.csv",
        units=rules.validate.output.units,
        framework=rules.validate.output.framework,
        lisa=rules.disparity.output.lisa,
    output:
        expand(
            "results/figures/{{lang}}/maps/{name}.{ext}",
            name=MAP_NAMES,
            ext=figure_config()["formats"],
        ),
    params:
        maps=maps_config(),
        figures=figure_config(),
        regions=config["regions"],
        window=config["window"],
        names=MAP_NAMES,
    # the main variant's figures and report are the critical path: start them first
    priority: 10
    log:
        "results/logs/figure_maps_{lang}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/maps.py"


rule figure_charts:
    input:
        scores=f"results/aggregate/{MAIN}/scores.csv",
        region_means="results/dynamics/region_means.csv",
        breaks="results/dynamics/breaks.csv",
        dynamics_data_years="results/dynamics/data_years.csv",
        data_years="results/treat/data_years.csv",
        units=rules.validate.output.units,
        theil=rules.disparity.output.theil,
        dagum=rules.disparity.output.dagum,
        kde=rules.disparity.output.kde,
        weights=expand("results/weights/{variant}/effective_weights.csv", variant=VARIANTS),
        # Monte Carlo rank intervals beside the rank chart (when the uncertainty analysis runs)
        rank_intervals=["results/uncertainty/rank_intervals.csv"] if config["uncertainty"]["enabled"] else [],
    output:
        expand(
            "results/figures/{{lang}}/charts/{name}.{ext}",
            name=CHART_NAMES,
            ext=figure_config()["formats"],
        ),
    params:
        figures=figure_config(),
        regions=config["regions"],
        window=config["window"],
        variants=VARIANTS,
        variant_names=variant_labels(),
        names=CHART_NAMES,
        main=MAIN,
        methods=variant_config(config, MAIN),
        disparity=config["disparity"],
        kde_years=config["figures"]["kde_years"],
        panel=config["panel"],
    # the main variant's figures and report are the critical path: start them first
    priority: 10
    log:
        "results/logs/figure_charts_{lang}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/charts.py"
