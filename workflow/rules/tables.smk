# Stage 10: result tables for researchers -- one Excel workbook, Stata panels, CSVs with a BOM.


rule tables:
    input:
        unpack(table_inputs),
    output:
        xlsx="results/tables/greenindex_tables.xlsx",
        scores_csv="results/tables/scores.csv",
        region_means_csv="results/tables/region_means.csv",
        claims_csv="results/tables/claims.csv",
        weights_csv="results/tables/weights.csv",
        scores_dta="results/tables/scores.dta",
        region_means_dta="results/tables/region_means.dta",
    params:
        regions=config["regions"],
        variants=VARIANTS,
        main=MAIN,
        variant_names=variant_labels(),
    # not on the way to the report: after it
    priority: -10
    log:
        "results/logs/tables.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/tables.py"
