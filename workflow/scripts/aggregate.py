"""Aggregate normalised indicators into sub-indices and the index (thin glue)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.analysis.composition import observed_cells_only
from greenindex.data.io import read_panel, write_panel
from greenindex.index.aggregate import ranks
from greenindex.index.framework import Framework
from greenindex.index.pipeline import aggregate_from_config
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "aggregate"):  # noqa: F821
    sm = snakemake  # noqa: F821
    z = read_panel(sm.input.normalised)
    fw = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False)).subset(
        z.columns
    )
    wt = pd.read_csv(sm.input.weights)
    if "year" in wt.columns:
        weights = wt.pivot(index="year", columns="node", values="weight")
    else:
        weights = wt.set_index("node")["weight"]
    if sm.params.aggregate.get("cells", "all") == "observed":  # robustness: observed cells only
        z = observed_cells_only(z, pd.read_csv(sm.input.flags, dtype={"unit": str}))
    scores = aggregate_from_config(z, fw, weights, sm.params.aggregate)
    write_panel(scores, sm.output.scores)
    write_panel(ranks(scores), sm.output.ranks)
