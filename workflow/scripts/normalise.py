"""Normalise the treated panel (thin glue around greenindex.index.pipeline)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.data.io import read_panel, write_csv, write_panel
from greenindex.index.framework import Framework
from greenindex.index.pipeline import normalise_from_config
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "normalise"):  # noqa: F821
    sm = snakemake  # noqa: F821
    treated = read_panel(sm.input.treated)
    fw = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False)).subset(
        treated.columns
    )
    z, report = normalise_from_config(
        treated[list(fw.indicators)], fw.direction, sm.params.normalise
    )
    write_panel(z, sm.output.normalised)
    write_csv(report, sm.output.report)
