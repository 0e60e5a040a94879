"""Gather the uncertainty chunks: rank intervals, claim robustness, Sobol indices, figures
(thin glue around greenindex.analysis.uncertainty)."""

from pathlib import Path

import pandas as pd

from greenindex.analysis.uncertainty import (
    load_chunks,
    model_from_files,
    plot_claim_robustness,
    plot_rank_intervals,
    plot_sobol,
    summarise,
    write_summaries,
)
from greenindex.figures.style import figure_width, save_figure, style_context
from greenindex.glossary import term
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "uncertainty_merge") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    model, plan, settings = model_from_files(sm.input, sm.params)
    merged = load_chunks(list(sm.input.chunks))
    result = summarise(
        model,
        plan,
        merged,
        quantiles=settings["quantiles"],
        bootstrap=settings["bootstrap"],
        confidence=settings["confidence"],
    )
    names = ("rank_intervals", "claim_robustness", "sobol", "replications")
    units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False)
    write_summaries(result, units, {k: getattr(sm.output, k) for k in names})
    figs = sm.params.figures
    out_dir = Path(sm.output.rank_intervals).parent.parent / "figures" / "uncertainty"
    year = int(sm.params.window["end"])
    for lang in figs["language"]:
        with style_context(lang, column_mm=figs["column_mm"], svg_text=figs["svg_text"]):
            name_col = "name_zh" if lang == "zh" else "name_en"
            single, double = figure_width("single"), figure_width("double")
            for stem, fig in (
                (
                    "rank_intervals",
                    plot_rank_intervals(
                        result.rank_intervals,
                        year,
                        language=lang,
                        name_column=name_col,
                        width=single,
                    ),
                ),
                (
                    "claim_robustness",
                    plot_claim_robustness(
                        result.claim_robustness,
                        language=lang,
                        width=double,
                        claim_labels={c: term(c, lang) for c in result.claim_robustness["claim"]},
                    ),
                ),
                (
                    "sobol",
                    plot_sobol(
                        result.sobol,
                        language=lang,
                        width=single,
                        factor_labels={f: term(f, lang) for f in result.sobol["factor"]},
                    ),
                ),
            ):
                save_figure(
                    fig,
                    out_dir / f"{stem}_{lang}",
                    formats=figs["formats"],
                    dpi=figs["dpi"],
                    close=True,
                )
    log.info(
        "merged %d chunks: %d Monte Carlo replications, %d Sobol rows",
        len(sm.input.chunks),
        plan.n,
        plan.n_rows - plan.n,
    )
