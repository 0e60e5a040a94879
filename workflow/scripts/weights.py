"""Compute the weights of a variant from the treated data (thin glue around greenindex.index.pipeline)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.data.io import read_panel, write_csv, write_json
from greenindex.index.framework import Framework
from greenindex.index.pipeline import weight_basis, weights_from_config
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "weights") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    treated = read_panel(sm.input.treated)
    fw = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False)).subset(
        treated.columns
    )
    inds = list(fw.indicators)
    basis = weight_basis(treated[inds], fw.direction, sm.params.weights["scope"])
    res = weights_from_config(basis, fw, sm.params.weights, raw=treated[inds])
    w = res.weights
    if isinstance(w, pd.Series):
        out = w.rename("weight").rename_axis("node").reset_index()
    else:  # per-year weights: one row per year
        out = (
            w.rename_axis("year")
            .reset_index()
            .melt(id_vars="year", var_name="node", value_name="weight")
        )
    write_csv(out, sm.output.weights)
    write_csv(res.effective, sm.output.effective)
    write_json(res.diagnostics, sm.output.diagnostics, default=str)
    log.info("weights: %s", out.to_dict("records")[:5])
