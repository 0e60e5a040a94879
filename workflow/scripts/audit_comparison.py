"""One row per variant: the audit figures the default weighting is chosen on (thin glue around
greenindex.analysis.audit.comparison_table)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import json

from greenindex.analysis.audit import comparison_table
from greenindex.data.io import write_csv
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "audit_comparison") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    summaries = {}
    for v, path in zip(sm.params.variants, sm.input.summaries, strict=True):
        with open(path, encoding="utf-8") as f:
            summaries[v] = json.load(f)
    table = comparison_table(summaries, main=sm.params.main, labels=sm.params.labels["en"])
    write_csv(table, sm.output.table)
    log.info("audit comparison:\n%s", table.to_string())
