# The method record (choices, versions, input checksums) and the self-contained HTML report.


rule method_record:
    input:
        **data_inputs(),
    output:
        "results/provenance/method_record.json",
    params:
        config={k: config[k] for k in ("panel", "window", "units", "indicators", "regions", "main_variant")},
        variants={v: variant_config(config, v) for v in VARIANTS},
    log:
        "results/logs/method_record.log",
    script:
        "../scripts/method_record.py"
