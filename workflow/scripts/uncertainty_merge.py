"""Gather the uncertainty chunks: rank intervals, claim robustness, Sobol indices (thin glue
around greenindex.analysis.uncertainty; the figures are rule uncertainty_figures)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.analysis.uncertainty import (
    load_chunks,
    model_from_files,
    summarise,
    write_summaries,
)
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "uncertainty_merge") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    model, plan, settings = model_from_files(sm.input, sm.params)
    merged = load_chunks(list(sm.input.chunks))
    result = summarise(
        model,
        plan,
        merged,
        quantiles=settings["quantiles"],
        bootstrap=settings["bootstrap"],
        confidence=settings["confidence"],
    )
    names = ("rank_intervals", "claim_robustness", "sobol", "replications")
    units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)
    write_summaries(result, units, {k: getattr(sm.output, k) for k in names})
    log.info(
        "merged %d chunks: %d Monte Carlo replications, %d Sobol rows",
        len(sm.input.chunks),
        plan.n,
        plan.n_rows - plan.n,
    )
