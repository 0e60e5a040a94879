"""Status and data year of every cell, composition of every unit-year, data years per
dimension and the share of the main variant's index resting on imputed cells (thin glue
around greenindex.analysis.composition)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.analysis.composition import (
    cell_status,
    composition_table,
    data_years,
    imputed_weight_shares,
)
from greenindex.data.io import read_panel, write_csv
from greenindex.index.framework import Framework
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "disclosure") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    treated = read_panel(sm.input.treated)
    flags = pd.read_csv(sm.input.flags, dtype={"unit": str})
    fw = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False))
    fw = fw.subset([c for c in treated.columns if c in fw.indicators])
    status = cell_status(treated[list(fw.indicators)], flags)
    write_csv(status, sm.output.cells)
    write_csv(composition_table(status), sm.output.composition)
    years = data_years(status, fw)
    write_csv(years, sm.output.data_years)
    wt = pd.read_csv(sm.input.weights)
    if "year" in wt.columns:
        weights = wt.pivot(index="year", columns="node", values="weight")
    else:
        weights = wt.set_index("node")["weight"]
    write_csv(imputed_weight_shares(status, fw, weights), sm.output.shares)
    log.info("not fully observed:\n%s", years[years["status"] != "observed"].to_string())
