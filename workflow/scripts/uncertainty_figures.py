"""Figures of the uncertainty analysis in every figure language: rank intervals, claim
robustness, Sobol indices (thin glue around greenindex.analysis.uncertainty.plots)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)


import pandas as pd

from greenindex.analysis.uncertainty import (
    plot_claim_robustness,
    plot_rank_intervals,
    plot_sobol,
)
from greenindex.figures.saving import JobFigures
from greenindex.figures.style import figure_width, style_context
from greenindex.glossary import term
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "uncertainty_figures") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    ranks = pd.read_csv(sm.input.rank_intervals, dtype={"unit": str}, keep_default_na=False)
    robustness = pd.read_csv(sm.input.claim_robustness)
    sobol = pd.read_csv(sm.input.sobol)
    figs = sm.params.figures
    out = JobFigures(sm.output, figs)
    year = int(sm.params.year)
    for lang in sm.params.languages:
        with style_context(lang, column_mm=figs["column_mm"], svg_text=figs["svg_text"]):
            single, double = figure_width("single"), figure_width("double")
            drawn = {
                "rank_intervals": plot_rank_intervals(
                    ranks,
                    year,
                    language=lang,
                    name_column="name_zh" if lang == "zh" else "name_en",
                    width=single,
                ),
                "claim_robustness": plot_claim_robustness(
                    robustness,
                    language=lang,
                    width=double,
                    claim_labels={c: term(c, lang) for c in robustness["claim"]},
                ),
                "sobol": plot_sobol(
                    sobol,
                    language=lang,
                    width=single,
                    factor_labels={f: term(f, lang) for f in sobol["factor"]},
                ),
            }
            for stem, fig in drawn.items():
                out.save(fig, f"{stem}_{lang}")
            log.info("uncertainty figures (%s): %s", lang, ", ".join(drawn))
