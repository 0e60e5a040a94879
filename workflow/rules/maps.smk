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


# Maps and charts of one language are drawn by two jobs each: the PNGs the report embeds
# (`figure_maps`, `figure_charts`, on the critical path) and the print formats
# (`figure_maps_print`, `figure_charts_print`, lower priority). Both run the same script.
MAP_INPUTS = dict(
    data_years="results/treat/data_years.csv",
    boundaries=rules.prepare_boundaries.output.display,
    scores=f"results/aggregate/{MAIN}/scores.csv",
    region_means=f"results/regional/{MAIN}/region_means.csv",
    units=rules.validate.output.units,
    framework=rules.validate.output.framework,
    lisa=rules.disparity.output.lisa,
)
MAP_PARAMS = dict(
    maps=maps_config(),
    regions=config["regions"],
    window=config["window"],
    names=MAP_NAMES,
)
CHART_INPUTS = dict(
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
)
CHART_PARAMS = dict(
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
)


if SCREEN_FORMATS:

    rule figure_maps:
        input:
            **MAP_INPUTS,
        output:
            figures=expand(
                "results/figures/{{lang}}/maps/{name}.{ext}", name=MAP_NAMES, ext=SCREEN_FORMATS
            ),
            # the report's copies of the PNGs (greenindex.figures.preview)
            previews=expand("results/report/figures/{{lang}}/maps/{name}.png", name=MAP_NAMES),
        params:
            **MAP_PARAMS,
            figures=figure_config(SCREEN_FORMATS),
        # on the way to the report, after its short jobs (audits, claims: they then never wait
        # behind two long figure jobs at the end); the maps, the longest, before the charts
        priority: 6
        log:
            "results/logs/figure_maps_{lang}.log",
        conda:
            "../envs/greenindex.yaml"
        script:
            "../scripts/maps.py"

    rule figure_charts:
        input:
            **CHART_INPUTS,
        output:
            figures=expand(
                "results/figures/{{lang}}/charts/{name}.{ext}", name=CHART_NAMES, ext=SCREEN_FORMATS
            ),
            # the report's copies of the PNGs (greenindex.figures.preview)
            previews=expand("results/report/figures/{{lang}}/charts/{name}.png", name=CHART_NAMES),
        params:
            **CHART_PARAMS,
            figures=figure_config(SCREEN_FORMATS),
        priority: 5
        log:
            "results/logs/figure_charts_{lang}.log",
        conda:
            "../envs/greenindex.yaml"
        script:
            "../scripts/charts.py"


if PRINT_FORMATS:

    rule figure_maps_print:
        input:
            **MAP_INPUTS,
        output:
            figures=expand(
                "results/figures/{{lang}}/maps/{name}.{ext}", name=MAP_NAMES, ext=PRINT_FORMATS
            ),
        params:
            **MAP_PARAMS,
            figures=figure_config(PRINT_FORMATS),
        # the print files follow the report's PNGs
        priority: -10
        log:
            "results/logs/figure_maps_print_{lang}.log",
        conda:
            "../envs/greenindex.yaml"
        script:
            "../scripts/maps.py"

    rule figure_charts_print:
        input:
            **CHART_INPUTS,
        output:
            figures=expand(
                "results/figures/{{lang}}/charts/{name}.{ext}", name=CHART_NAMES, ext=PRINT_FORMATS
            ),
        params:
            **CHART_PARAMS,
            figures=figure_config(PRINT_FORMATS),
        # the print files follow the report's PNGs
        priority: -10
        log:
            "results/logs/figure_charts_print_{lang}.log",
        conda:
            "../envs/greenindex.yaml"
        script:
            "../scripts/charts.py"
