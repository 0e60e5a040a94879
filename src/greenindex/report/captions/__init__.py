"""Figure captions generated from the method record, in Chinese or English.

A journal caption says what the figure shows and how it was made, so a reader can judge it
without the methods section: figure number, title, data year(s), method of the index (the
main variant), and for maps the classification, projection, the no-data units and the base
map; for the LISA map the spatial weights, permutations and significance level; for the
kernel densities the kernel, bandwidth and boundary correction; then the sources actually
used by the index, in short form, and any per-year data notes (values carried or imputed).

Everything comes from the run's own records (``results/provenance/method_record.json``,
``results/disparity/method.json``, the validated config of the maps), never typed by hand,
so a caption cannot drift from what was computed.

Per-year data notes
-------------------
:func:`year_notes` turns a disclosure table (columns ``year, dimension, data_year, status,
note_en, note_zh``; e.g. "energy and carbon: 2019 data carried to 2020") into caption
notes for the years a figure shows. :func:`figure_caption` takes them as ``notes``; the
report passes them when the run writes such a table.
"""

from __future__ import annotations

from greenindex.report.captions.caption import CaptionContext as CaptionContext
from greenindex.report.captions.caption import figure_caption, year_notes
from greenindex.report.captions.phrases import method_phrase, unit_names
from greenindex.report.captions.phrases import years_text as years_text
from greenindex.report.captions.sources import short_sources, sources_used
from greenindex.report.captions.specs import FIGURES, FigureSpec

__all__ = [
    "FIGURES",
    "FigureSpec",
    "figure_caption",
    "method_phrase",
    "short_sources",
    "sources_used",
    "unit_names",
    "year_notes",
]
