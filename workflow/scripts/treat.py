"""Denominate, impute, screen and treat outliers (thin glue around greenindex.treat)."""

import pandas as pd

from greenindex.ingest import check_not_constant
from greenindex.io import read_panel, write_csv, write_panel
from greenindex.logs import step_logging
from greenindex.treat import denominate, substitute, treat

with step_logging(snakemake.log[0], "treat") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    t = sm.params.treat
    raw = read_panel(sm.input.raw_panel)
    cb = pd.read_csv(sm.input.codebook, dtype={"id": str}, keep_default_na=False)
    cb = cb[(cb["role"] == "indicator") & (cb["used"].astype(str) == "True")]
    units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False).set_index("unit")
    raw, sub_report = substitute(raw, t["substitute"])
    if t["denominate"]:
        data, den_report = denominate(raw, cb, codebook_file="codebook")
    else:
        data, den_report = raw[list(cb["id"])], None
    check_not_constant(data, codebook_file="codebook")
    groups = None
    if t["impute"]["method"] == "group_mean" or t["impute"]["edge"] == "group_year_mean":
        groups = units[t["impute"]["group"]]
    stages, report = treat(
        data,
        groups=groups,
        impute_method=t["impute"]["method"],
        impute_edge=t["impute"]["edge"],
        impute_edge_max_years=t["impute"]["edge_max_years"],
        unit_threshold=t["screen"]["unit_threshold"],
        indicator_threshold=t["screen"]["indicator_threshold"],
        outlier_method=t["outliers"]["method"],
        skew_threshold=t["outliers"]["skew_threshold"],
        kurt_threshold=t["outliers"]["kurt_threshold"],
        max_points=t["outliers"]["max_points"],
        log_fallback=t["outliers"]["log_fallback"],
        outlier_scope=t["outliers"]["scope"],
    )
    write_panel(data, sm.output.denominated)
    write_panel(stages["imputed"], sm.output.imputed)
    write_panel(stages["screened"], sm.output.screened)
    write_panel(stages["treated"], sm.output.treated)
    write_csv(pd.concat([sub_report.cells, report.cells], ignore_index=True), sm.output.flags)
    write_csv(report.summary, sm.output.summary)
    log.info("%d cells changed by treatment", len(report.cells))
