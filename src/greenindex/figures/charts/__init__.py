"""Charts: region trends, rank (bump) chart, decomposition bars, kernel densities, weights.

Each function takes tidy pandas tables and keyword options and returns a
:class:`matplotlib.figure.Figure`; draw inside :func:`greenindex.figures.style.style_context` and save
with :func:`greenindex.figures.style.save_figure`. No statistics are computed here beyond what a
chart shows (ranks, province spreads); decompositions and densities come from
:mod:`greenindex.analysis.disparity` and are only drawn.
"""

from __future__ import annotations

from greenindex.figures.charts.decomposition import decomposition_bars
from greenindex.figures.charts.densities import kde_curves
from greenindex.figures.charts.frames import (
    indicator_weights,
    national_components,
    rank_interval_frame,
)
from greenindex.figures.charts.ranks import rank_chart
from greenindex.figures.charts.trends import region_trend_chart
from greenindex.figures.charts.weights import weights_by_method

__all__ = [
    "decomposition_bars",
    "indicator_weights",
    "kde_curves",
    "national_components",
    "rank_chart",
    "rank_interval_frame",
    "region_trend_chart",
    "weights_by_method",
]
