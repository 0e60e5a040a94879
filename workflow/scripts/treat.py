"""Substitute, denominate, impute, screen and treat outliers (thin glue around
greenindex.index.pipeline.treat_from_config). Constant indicators are caught before any job runs
(workflow/rules/common.smk, preflight)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.data.io import read_panel, write_csv, write_panel
from greenindex.index.pipeline import impute_groups, treat_from_config
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "treat") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    t = sm.params.treat
    cb = pd.read_csv(sm.input.codebook, dtype={"id": str}, keep_default_na=False)
    cb = cb[(cb["role"] == "indicator") & (cb["used"].astype(str) == "True")]
    units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)
    res = treat_from_config(
        read_panel(sm.input.raw_panel), cb, t, impute_groups(units, t), indicators=list(cb["id"])
    )
    write_panel(res.denominated, sm.output.denominated)
    write_panel(res.imputed, sm.output.imputed)
    write_panel(res.screened, sm.output.screened)
    write_panel(res.treated, sm.output.treated)
    write_csv(res.flags, sm.output.flags)
    summary = [
        r.assign(step=k)[["step", *r.columns]]
        for k, r in res.reports.items()
        if not k.endswith("_cells") and len(r)
    ]
    write_csv(
        pd.concat(summary, ignore_index=True) if summary else pd.DataFrame(), sm.output.summary
    )
    log.info("%d cells changed by treatment", len(res.flags))
