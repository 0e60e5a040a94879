# The weight explorer: one self-contained HTML page per figure language that recomputes the
# main variant's index in the browser (greenindex.figures.explorer). Linked from the reports.


def explorer_config():
    """The config the page needs: the main variant's method sections, regions, window, claim
    settings and map caption (so a change to any of them re-runs the rule)."""
    return {
        "main_variant": MAIN,
        "variants": {MAIN: config["variants"][MAIN] or {}},
        **{s: config[s] for s in ("normalise", "weights", "aggregate")},
        "regions": config["regions"],
        "window": config["window"],
        "claims": {k: config["claims"][k] for k in ("region_labels", "growth")},
        "maps": {k: config["maps"][k] for k in ("inset", "review_number", "source_note")},
    }


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
    log:
        "results/logs/explorer_{lang}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/explorer.py"
