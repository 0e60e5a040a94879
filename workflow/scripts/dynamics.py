"""Scores of the panel analyses on a composition-stable basis (thin glue around
greenindex.analysis.composition.dynamics_basis)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import json

import pandas as pd

from greenindex.analysis.composition import data_years, dynamics_basis
from greenindex.data.io import read_panel, write_csv, write_panel
from greenindex.index.framework import Framework
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "dynamics") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    scores = read_panel(sm.input.scores)
    treated = read_panel(sm.input.treated)
    status = pd.read_csv(
        sm.input.cells, dtype={"unit": str}, keep_default_na=False, na_values={"data_year": [""]}
    )
    fw = Framework.from_frame(pd.read_csv(sm.input.framework, keep_default_na=False))
    fw = fw.subset([c for c in treated.columns if c in fw.indicators])
    basis = sm.params.dynamics["basis"]
    res = dynamics_basis(scores, treated, status, fw, sm.params.methods, sm.params.years, basis)
    write_panel(res.scores, sm.output.scores)
    write_csv(res.breaks, sm.output.breaks)
    # the data years of the indicators the panel analyses rest on (notes for their charts)
    used = status[status["indicator"].isin(res.indicators) & status["year"].isin(res.years)]
    write_csv(data_years(used, fw.subset(res.indicators)), sm.output.data_years)
    record = {
        "basis": res.basis,
        "years": res.years,
        "indicators": res.indicators,
        "excluded": res.excluded,
        "breaks": res.breaks.to_dict("records"),
        **res.info,
    }
    with open(sm.output.method, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    log.info("dynamics basis: %s", record)
