"""One chunk of the uncertainty Monte Carlo (thin glue around greenindex.uncertainty).

Run on its own for debugging: the rows of chunk i depend only on the config (n, seed,
chunks), never on the other chunks.
"""

import pandas as pd

from greenindex.framework import Framework
from greenindex.io import read_panel
from greenindex.logs import step_logging
from greenindex.uncertainty import model_from_tables, run_chunk, save_chunk

with step_logging(snakemake.log[0], "uncertainty_chunk") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    treated = read_panel(sm.input.treated)
    units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)
    fw = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False))
    model, plan, settings = model_from_tables(
        treated=treated,
        framework=fw,
        units=units,
        uncertainty=sm.params.uncertainty,
        methods=sm.params.methods,
        window=sm.params.window,
        regions=sm.params.regions,
        claims=sm.params.claims,
        untreated=read_panel(sm.input.denominated),
    )
    chunk = int(sm.wildcards.chunk)
    arrays = run_chunk(
        model, plan, chunk, int(sm.params.n_chunks), batch_size=settings["batch_size"]
    )
    save_chunk(sm.output[0], arrays)
    log.info(
        "chunk %d of %d: %d rows of %d", chunk, sm.params.n_chunks, len(arrays["rows"]), plan.n_rows
    )
