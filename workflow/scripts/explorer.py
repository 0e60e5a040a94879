"""Write the weight explorer page of one language (thin glue around greenindex.figures.explorer)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

from pathlib import Path

from greenindex.figures.explorer import build_explorer
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "explorer") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    inp = sm.input
    page = build_explorer(
        normalised=inp.normalised,
        weights=inp.weights,
        framework=inp.framework,
        units=inp.units,
        language=sm.wildcards.lang,
        config=sm.params.config,
        flags=inp.flags,
        codebook=inp.codebook,
        boundaries=inp.boundaries,
    )
    Path(sm.output[0]).write_text(page, encoding="utf-8")
    log.info("wrote %s (%d bytes)", sm.output[0], len(page.encode("utf-8")))
