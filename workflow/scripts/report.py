"""Assemble the self-contained HTML report of one language (thin glue around greenindex.report)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

import pandas as pd

from greenindex.data.io import write_text
from greenindex.figures.map_text import map_caption
from greenindex.index.describe import short_labels
from greenindex.logs import step_logging
from greenindex.report.assemble import ReportContext, build_report, load_json
from greenindex.report.captions import CaptionContext, short_sources, sources_used

with step_logging(snakemake.log[0], "report"):  # noqa: F821
    sm = snakemake  # noqa: F821
    lang = sm.wildcards.lang
    # variant names derived from each variant's effective settings, without the shared parts
    names = short_labels(sm.params.variant_names[lang], lang)
    inp = sm.input
    files = {k: str(v) for k, v in inp.items()}
    record = load_json(inp.record)
    sources = []
    if "sources" in files:
        codebook = pd.read_csv(inp.codebook, dtype=str, keep_default_na=False)
        ids = sources_used(codebook, sm.params.substitute)
        sources = short_sources(
            pd.read_csv(inp.sources, dtype=str, keep_default_na=False), ids, lang
        )
    # per-year data disclosure (values carried or imputed), when the run writes it
    notes_table = pd.read_csv(inp.data_years) if "data_years" in files else None
    mc = pd.read_csv(inp.claim_robustness) if "claim_robustness" in files else None
    captions = CaptionContext(
        record=record,
        language=lang,
        sources=sources,
        disparity=load_json(inp.disparity_method),
        maps=sm.params.maps,
        map_note=map_caption(sm.params.maps["review_number"], sm.params.maps["source_note"], lang),
        notes_table=notes_table,
        n_replications=int(mc["n_replications"].max()) if mc is not None and len(mc) else None,
        variant_names=names,
    )
    figures = {
        k: v
        for k, v in files.items()
        if k.startswith(("map_", "chart_", "ua_")) or k == "coverage_fig"
    }
    ctx = ReportContext(
        language=lang,
        record=record,
        files=files,
        figures=figures,
        regions=sm.params.regions,
        variant_names=names,
        captions=captions,
        params=sm.params,
    )
    write_text(build_report(ctx), sm.output[0])
