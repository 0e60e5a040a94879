# Stage 7: regional disparity of the main variant's index (Theil, Dagum Gini, CV, sigma- and
# beta-convergence, kernel densities, global and local Moran's I), and the claim-by-claim
# check of the seed articles' findings over all method variants.


rule contiguity:
    input:
        boundaries="resources/boundaries/provinces_full.gpkg",
        units=rules.validate.output.units,
    output:
        neighbours="results/disparity/neighbours.csv",
    params:
        spatial=section_keys("spatial", "contiguity", "links", "islands", "tolerance"),
    # needs only the boundaries, yet the maps wait for it (through disparity): start it early
    priority: 10
    log:
        "results/logs/contiguity.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/contiguity.py"


rule disparity:
    input:
        scores=rules.dynamics.output.scores,
        units=rules.validate.output.units,
        framework=rules.validate.output.framework,
        neighbours=rules.contiguity.output.neighbours,
    output:
        theil="results/disparity/theil.csv",
        dagum="results/disparity/dagum.csv",
        dagum_pairs="results/disparity/dagum_pairs.csv",
        cv="results/disparity/cv.csv",
        sigma="results/disparity/sigma.csv",
        sigma_trend="results/disparity/sigma_trend.csv",
        beta="results/disparity/beta.csv",
        kde="results/disparity/kde.csv",
        moran="results/disparity/moran.csv",
        lisa="results/disparity/lisa.csv",
        method="results/disparity/method.json",
    params:
        variant=MAIN,
        window=config["window"],
        regions=section_keys("regions", "scheme"),
        disparity=config["disparity"],
        spatial=config["spatial"],
        methods=variant_config(config, MAIN),
    # the main variant's figures and report are the critical path: start them first
    priority: 10
    log:
        "results/logs/disparity.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/disparity.py"


rule claims:
    input:
        unpack(claim_scores),
        data_years=rules.disclosure.output.data_years,
        units=rules.validate.output.units,
        framework=rules.validate.output.framework,
    output:
        table="results/claims/claims.csv",
        summary_en="results/claims/claims_summary_en.md",
        summary_zh="results/claims/claims_summary_zh.md",
        method="results/claims/method.json",
    params:
        variants=claim_variants(),
        window=config["window"],
        regions=section_keys("regions", "scheme"),
        claims=config["claims"],
        labels=variant_labels(),
        cells={v: variant_config(config, v)["aggregate"]["cells"] for v in VARIANTS},
    # on the way to the report (the critical path after a change)
    priority: 10
    log:
        "results/logs/claims.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/claims.py"
