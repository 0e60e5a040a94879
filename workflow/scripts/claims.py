"""Claim-by-claim check of the seed articles' findings over the method variants (thin glue
around greenindex.analysis.claims)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.analysis.claims import check_claims, summarise_claims
from greenindex.analysis.composition import annotate_claims
from greenindex.analysis.regional import region_of, role_labels
from greenindex.data.io import read_panel, write_csv, write_json, write_text
from greenindex.index.framework import Framework
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "claims") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    opts = dict(sm.params.claims)
    root = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False)).root
    units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)
    scores = {v: read_panel(sm.input[v]) for v in sm.params.variants}
    analysed = next(iter(scores.values())).index.get_level_values("unit").unique()
    regions = region_of(units, sm.params.regions["scheme"], analysed)
    window = (int(sm.params.window["start"]), int(sm.params.window["end"]))
    settings = {
        "window": window,
        "column": root,
        "region_labels": role_labels(opts["region_labels"]),
        "growth": opts["growth"],
        "between_share_large": float(opts["between_share_large"]),
        "bootstrap": int(opts["bootstrap"]),
        "seed": int(opts["seed"]),
    }
    log.info("checking claims for variants %s", ", ".join(scores))
    table = check_claims(scores, regions, **settings)
    # name the imputed / carried data of the years each claim compares
    observed = [v for v in scores if sm.params.cells.get(v) == "observed"]
    table = annotate_claims(
        table, pd.read_csv(sm.input.data_years, keep_default_na=False), window, observed
    )
    write_csv(table, sm.output.table)
    for lang, path in (("en", sm.output.summary_en), ("zh", sm.output.summary_zh)):
        write_text(
            summarise_claims(table, language=lang, variant_names=sm.params.labels[lang]), path
        )
    record = {
        **settings,
        "window": list(window),
        "variants": list(scores),
        "region_scheme": sm.params.regions["scheme"],
    }
    write_json(record, sm.output.method)
