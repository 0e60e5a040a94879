"""Contiguity of the analysed units from the full boundaries (thin glue around greenindex.analysis.spatial)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import geopandas as gpd
import pandas as pd

from greenindex.analysis.spatial import check_links, contiguity_weights, neighbours_table
from greenindex.data.io import write_csv
from greenindex.figures.boundaries import PROVINCES_LAYER
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "contiguity") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    spa = sm.params.spatial
    analysed = set(pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)["unit"])
    gdf = gpd.read_file(sm.input.boundaries, layer=PROVINCES_LAYER)
    check_links(spa["links"], list(gdf["unit"].astype(str)))
    w = contiguity_weights(
        gdf[gdf["unit"].astype(str).isin(analysed)],
        links=spa["links"],
        kind=spa["contiguity"],
        islands=spa["islands"],
        tolerance=float(spa["tolerance"]),
    )
    write_csv(neighbours_table(w), sm.output.neighbours)
    log.info("%d units, %d neighbour pairs", len(w.id_order), w.s0)
