"""Region means, growth and ranks (thin glue around greenindex.analysis.regional)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.analysis.regional import (
    attach_regions,
    region_growth,
    region_means,
    region_ranks,
    unit_ranks,
)
from greenindex.data.io import read_panel, write_csv
from greenindex.index.framework import Framework
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "regional") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    scores = read_panel(sm.input.scores)
    units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)
    reg = sm.params.regions
    regions = attach_regions(scores, units, reg["scheme"])
    means = region_means(scores, regions, order=reg["order"])
    write_csv(means, sm.output.means)
    w = sm.params.window
    write_csv(region_growth(means, w["start"], w["end"]), sm.output.growth)
    root = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False)).root
    ranks = unit_ranks(scores[root]).to_frame()
    ranks["score"] = scores[root]
    ranks["region"] = regions
    write_csv(ranks.reset_index(), sm.output.unit_ranks)
    write_csv(region_ranks(means), sm.output.region_ranks)
