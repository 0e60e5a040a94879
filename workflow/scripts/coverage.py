"""Coverage report: indicator x year x unit availability (thin glue around greenindex.data.coverage)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.data.coverage import coverage_heatmap, coverage_rule, coverage_table, year_passes
from greenindex.data.io import read_panel, write_csv
from greenindex.figures.style import figure_width, label, save_figure, style_context
from greenindex.glossary import term
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "coverage"):  # noqa: F821
    sm = snakemake  # noqa: F821
    p = sm.params
    denominated = read_panel(sm.input.denominated)
    unit_table = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)
    units = list(unit_table["unit"])
    indicators = list(denominated.columns)
    years = list(range(p.panel["start"], p.panel["end"] + 1))
    flags = pd.read_csv(sm.input.flags)
    imputed = flags[flags["step"] == "impute"] if len(flags) else None
    table = coverage_table(
        denominated, units=units, indicators=indicators, years=years, imputed=imputed
    )
    rule = coverage_rule(
        denominated,
        units=units,
        indicators=indicators,
        window=(p.window["start"], p.window["end"]),
        imputed=imputed,
        min_years=p.validate["coverage_min_years"],
        min_units=p.validate["coverage_min_units"],
    )
    table = table.merge(rule, on="indicator", how="left")
    table = year_passes(table, p.validate["coverage_min_units"])  # observed vs imputed per year
    write_csv(table, sm.output.table)
    codebook = pd.read_csv(sm.input.codebook, dtype=str, keep_default_na=False).set_index("id")
    figs = p.figures
    for lang in figs["language"]:
        name_col = "name_zh" if lang == "zh" else "name_en"
        with style_context(lang, column_mm=figs["column_mm"], svg_text=figs["svg_text"]):
            fig = coverage_heatmap(
                denominated,
                units=units,
                indicators=indicators,
                years=years,
                imputed=imputed,
                indicator_labels={i: codebook[name_col].get(i) or i for i in indicators},
                unit_labels=dict(zip(unit_table["unit"], unit_table[name_col], strict=True)),
                status_labels={s: label(s, lang) for s in ("observed", "imputed", "missing")},
                title=label("coverage_title", lang),
                width=figure_width("double"),
                year_label=term("coverage_years", lang, a=years[0], b=years[-1]),
            )
            stem = f"{sm.output.table.rsplit('/', 1)[0]}/coverage_heatmap_{lang}"
            save_figure(fig, stem, formats=figs["formats"], dpi=figs["dpi"])
