"""Regional disparity tables of the main variant (thin glue around greenindex.analysis.disparity,
greenindex.analysis.convergence and greenindex.analysis.spatial)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

from importlib.metadata import version

import pandas as pd

from greenindex.analysis.convergence import (
    beta_convergence,
    index_support,
    kernel_density,
    sigma_convergence,
    sigma_trend,
)
from greenindex.analysis.disparity import cv_by_year, dagum_by_year, theil_by_year
from greenindex.analysis.regional import region_of
from greenindex.analysis.spatial import local_moran, morans_i, weights_from_table
from greenindex.data.io import read_panel, write_csv, write_json
from greenindex.index.framework import Framework
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "disparity") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    win, dis, spa = sm.params.window, dict(sm.params.disparity), dict(sm.params.spatial)
    root = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False)).root
    scores = read_panel(sm.input.scores)
    if dis["period"] == "window":  # the schema allows window | panel
        years = scores.index.get_level_values("year")
        scores = scores[(years >= win["start"]) & (years <= win["end"])]
    scores = scores[[root]]
    units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)
    regions = region_of(
        units, sm.params.regions["scheme"], scores.index.get_level_values("unit").unique()
    )
    ddof = int(dis["ddof"])
    log.info(
        "variant %s, node %s, %d units",
        sm.params.variant,
        root,
        scores.index.get_level_values("unit").nunique(),
    )

    write_csv(theil_by_year(scores, regions, root), sm.output.theil)
    totals, pairs = dagum_by_year(scores, regions, root)
    write_csv(totals, sm.output.dagum)
    write_csv(pairs, sm.output.dagum_pairs)
    write_csv(cv_by_year(scores, regions, root, ddof=ddof), sm.output.cv)
    sigma = sigma_convergence(scores, regions, root, ddof=ddof)
    write_csv(sigma, sm.output.sigma)
    write_csv(sigma_trend(sigma), sm.output.sigma_trend)
    beta_method = dis["beta_method"]
    write_csv(
        beta_convergence(scores, regions, root, method=beta_method, alpha=float(dis["alpha"])),
        sm.output.beta,
    )
    bandwidth = dis["kde_bandwidth"]
    support = index_support(sm.params.methods, dis["kde_boundary"], dis["kde_support"])
    write_csv(
        kernel_density(
            scores, regions, root, grid=int(dis["kde_grid"]), bandwidth=bandwidth, support=support
        ),
        sm.output.kde,
    )

    analysed = sorted(scores.index.get_level_values("unit").unique())
    w = weights_from_table(pd.read_csv(sm.input.neighbours, dtype=str), analysed)
    links = spa["links"]
    permutations, seed = int(spa["permutations"]), int(spa["seed"])
    write_csv(morans_i(scores, w, root, permutations=permutations, seed=seed), sm.output.moran)
    write_csv(
        local_moran(
            scores,
            w,
            root,
            permutations=max(permutations, 1),
            seed=seed,
            alpha=float(spa["alpha"]),
        ),
        sm.output.lisa,
    )

    record = {
        "variant": sm.params.variant,
        "node": root,
        "years": sorted(int(y) for y in scores.index.get_level_values("year").unique()),
        "region_scheme": sm.params.regions["scheme"],
        "units": analysed,
        "inequality": "unweighted (each unit counts once); Theil T; Dagum (1997) Gini decomposition",
        "sd_ddof": ddof,
        "beta_method": beta_method,
        "kde": {
            "kernel": "gaussian",
            "bandwidth": bandwidth,
            "grid": int(dis["kde_grid"]),
            "boundary": "reflection" if support else "none",
            "support": list(support) if support else None,
        },
        "spatial": {
            "contiguity": spa["contiguity"],
            "links": {k: list(v) for k, v in links.items()},
            "islands": spa["islands"],
            "transform": "row-standardised",
            "permutations": permutations,
            "seed": seed,
            "lisa_alpha": float(spa["alpha"]),
            "multiple_testing": "none",
        },
        "packages": {p: version(p) for p in ("inequality", "esda", "libpysal", "numpy", "scipy")},
    }
    write_json(record, sm.output.method)
