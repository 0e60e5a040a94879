"""Coverage report: indicator x year x unit availability (thin glue around greenindex.data.coverage)."""

import pandas as pd

from greenindex.data.coverage import coverage_heatmap, coverage_rule, coverage_table
from greenindex.data.io import read_panel, write_csv
from greenindex.figures.style import save_figure, use_style
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "coverage"):  # noqa: F821
    sm = snakemake  # noqa: F821
    p = sm.params
    denominated = read_panel(sm.input.denominated)
    units = list(pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)["unit"])
    indicators = list(denominated.columns)
    years = list(range(p.panel["start"], p.panel["end"] + 1))
    flags = pd.read_csv(sm.input.flags)
    imputed = flags[flags["step"] == "impute"] if len(flags) else None
    table = coverage_table(denominated, units=units, indicators=indicators, years=years, imputed=imputed)
    rule = coverage_rule(denominated, units=units, indicators=indicators,
                         window=(p.window["start"], p.window["end"]), imputed=imputed,
                         min_years=p.validate["coverage_min_years"], min_units=p.validate["coverage_min_units"])
    table = table.merge(rule, on="indicator", how="left")
    write_csv(table, sm.output.table)
    use_style("en")
    fig = coverage_heatmap(denominated, units=units, indicators=indicators, years=years, imputed=imputed,
                           title="Data coverage: observed, imputed and missing cells")
    stem = str(sm.output.figure[0]).rsplit(".", 1)[0]
    save_figure(fig, stem, formats=p.figures["formats"], dpi=p.figures["dpi"])
