# The method record (choices, versions, input checksums) and the self-contained HTML report.


rule method_record:
    input:
        **data_inputs(),
    output:
        "results/provenance/method_record.json",
    params:
        config={k: config[k] for k in ("panel", "window", "units", "indicators", "regions", "main_variant")},
        variants={v: variant_config(config, v) for v in VARIANTS},
    # on the way to the report (the critical path after a change)
    priority: 10
    log:
        "results/logs/method_record.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/method_record.py"


rule report:
    input:
        unpack(report_inputs),
    output:
        "results/report/report_{lang}.html",
    params:
        window=config["window"],
        regions=config["regions"],
        maps={k: config["maps"][k] for k in ("review_number", "source_note", "scheme", "k")},
        audit=config["audit"],
        main=MAIN,
        variants=VARIANTS,
        labels=variant_labels(),
        variant_names=variant_labels(),
        substitute=config["treat"]["substitute"],
    # the main variant's figures and report are the critical path: start them first
    priority: 10
    log:
        "results/logs/report_{lang}.log",
    conda:
        "../envs/greenindex.yaml"
    script:
        "../scripts/report.py"
