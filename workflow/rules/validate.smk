# Stage 1: read the input tables, check them against the input contract, write them in
# canonical form (province codes, typed values). Inputs are never modified.


rule validate:
    input:
        **data_inputs(),
    output:
        observations="results/validate/observations.csv",
        codebook="results/validate/codebook.csv",
        units="results/validate/units.csv",
        framework="results/validate/framework.csv",
        raw_panel="results/validate/raw_panel.csv",
        plausibility="results/validate/plausibility.csv",
    params:
        panel=config["panel"],
        units=config["units"],
        indicators=config["indicators"],
        validate=config["validate"],
    log:
        "results/logs/validate.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/validate.py"
