"""Statistical audit of one variant (thin glue around greenindex.analysis.audit)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import json

import pandas as pd

from greenindex.analysis.audit import audit, audit_tables
from greenindex.data.io import read_panel, write_csv
from greenindex.index.framework import Framework
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "audit") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    opts = sm.params.audit
    scores = read_panel(sm.input.scores)
    fw = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False))
    fw = fw.subset([c for c in scores.columns if c in fw.indicators])
    span = sm.params.window if opts["years"] == "window" else sm.params.panel
    years = list(range(int(span["start"]), int(span["end"]) + 1))
    effective = pd.read_csv(sm.input.effective, keep_default_na=False)
    res = audit(
        scores,
        fw,
        effective,
        years=years,
        bins=int(opts["bins"]),
        dominance=float(opts["dominance"]),
    )
    for stem, table in audit_tables(res).items():
        write_csv(table, sm.output[stem])
    with open(sm.output.summary, "w", encoding="utf-8") as f:
        json.dump(res.summary, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    log.info("audit of %s: %s", sm.wildcards.variant, res.summary)
