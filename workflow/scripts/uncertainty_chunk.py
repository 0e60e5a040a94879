"""One chunk of the uncertainty Monte Carlo (thin glue around greenindex.analysis.uncertainty).

Run on its own for debugging: the rows of chunk i depend only on the config (n, seed,
chunks), never on the other chunks.
"""

from greenindex.analysis.uncertainty import model_from_files, run_chunk, save_chunk
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "uncertainty_chunk") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    model, plan, settings = model_from_files(sm.input, sm.params)
    chunk = int(sm.wildcards.chunk)
    arrays = run_chunk(
        model, plan, chunk, int(sm.params.n_chunks), batch_size=settings["batch_size"]
    )
    save_chunk(sm.output[0], arrays)
    log.info(
        "chunk %d of %d: %d rows of %d", chunk, sm.params.n_chunks, len(arrays["rows"]), plan.n_rows
    )
