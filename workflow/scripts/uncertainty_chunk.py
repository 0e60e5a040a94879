"""One chunk of the uncertainty Monte Carlo (thin glue around greenindex.analysis.uncertainty).

Run on its own for debugging: the rows of chunk i depend only on the config (n, seed,
chunks), never on the other chunks.
"""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

from greenindex.analysis.uncertainty import model_from_files, run_chunk, save_chunk
from greenindex.logs import Progress, step_logging

with step_logging(snakemake.log[0], "uncertainty_chunk") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    model, plan, settings = model_from_files(sm.input, sm.params)
    chunk = int(sm.wildcards.chunk)
    n_chunks = int(sm.params.n_chunks)
    rows = len(plan.chunk_rows(chunk, n_chunks))
    progress = Progress(rows, f"Monte Carlo chunk {chunk + 1}/{n_chunks}", logger=log)
    arrays = run_chunk(
        model,
        plan,
        chunk,
        n_chunks,
        batch_size=settings["batch_size"],
        progress=lambda k: progress.advance(k, "rows"),
    )
    save_chunk(sm.output[0], arrays)
    log.info(
        "chunk %d of %d: %d rows of %d", chunk, sm.params.n_chunks, len(arrays["rows"]), plan.n_rows
    )
