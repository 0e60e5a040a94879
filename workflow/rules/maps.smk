# Stage 8: boundaries and publication figures (maps and charts) in each figure language.
# Boundaries are prepared once into resources/ (full geometry for contiguity, a simplified
# Albers copy for display); maps and charts of the main variant go to results/figures/{lang}/.

MAP_NAMES = ["region_gradient", "index_by_year", "index_change", "dimensions", "lisa_clusters"]
CHART_NAMES = [
    "region_trends",
    "ranks",
    "theil_contributions",
    "dagum_contributions",
    "kernel_density",
    "weights_by_method",
]


def maps_config():
    """The `maps` config section with defaults (the schema fills them too)."""
    defaults = {
        "boundaries": None,
        "name_column": None,
        "layer": None,
        "dash_line": None,
        "dash_line_layer": None,
        "simplify_tolerance_m": 2000,
        "scheme": "fisher_jenks",
        "k": 5,
        "review_number": None,
        "source_note": None,
        "inset": "auto",
    }
    return {**defaults, **(config.get("maps") or {})}


def figure_config():
    f = config.get("figures") or {}
    return {"formats": list(f.get("formats", ["png", "pdf", "svg"])), "dpi": int(f.get("dpi", 300))}


def figure_targets():
    """All map and chart files, for `rule all`."""
    fmts = figure_config()["formats"]
    return expand(
        "results/figures/{lang}/maps/{name}.{ext}", lang=LANGS, name=MAP_NAMES, ext=fmts
    ) + expand("results/figures/{lang}/charts/{name}.{ext}", lang=LANGS, name=CHART_NAMES, ext=fmts)


def boundary_source(wildcards):
    """The user's base map (and dashed-line file) when configured, so edits re-run the rule."""
    m = maps_config()
    return [p for p in (m["boundaries"], m["dash_line"]) if p]


rule prepare_boundaries:
    input:
        boundary_source,
    output:
        full="resources/boundaries/provinces_full.gpkg",
        display="resources/boundaries/provinces_display.gpkg",
    params:
        maps=maps_config(),
    log:
        "results/logs/prepare_boundaries.log",
    script:
        "../scripts/prepare_boundaries.py"


rule figure_maps:
    input:
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
    log:
        "results/logs/figure_maps_{lang}.log",
    script:
        "../scripts/maps.py"


rule figure_charts:
    input:
        scores=f"results/aggregate/{MAIN}/scores.csv",
        region_means=f"results/regional/{MAIN}/region_means.csv",
        units=rules.validate.output.units,
        theil=rules.disparity.output.theil,
        dagum=rules.disparity.output.dagum,
        kde=rules.disparity.output.kde,
        weights=expand("results/weights/{variant}/effective_weights.csv", variant=VARIANTS),
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
        variant_names=config.get("claims", {}).get("variant_names", {}),
        names=CHART_NAMES,
    log:
        "results/logs/figure_charts_{lang}.log",
    script:
        "../scripts/charts.py"
