"""Regional inequality of the index: Theil T, the Dagum Gini decomposition, the CV.

A sub-package: ``theil_index`` (Theil T and its between/within decomposition),
``dagum_decomposition`` (the Dagum Gini decomposition), ``variation`` (the coefficient of
variation), ``panels`` (the statistics per year of a panel, as tidy tables) and ``groups``
(group codes, value checks and membership shared by the grouped measures).

Every statistic is computed per cross-section (one year) on the unweighted distribution of
unit scores (each province counts once). The cross-section functions take a 1-D array; the
``*_batch`` variants take a ``(replications, n)`` array and are what the bootstrap in
:mod:`greenindex.analysis.claims` and the Monte Carlo in :mod:`greenindex.analysis.uncertainty` call; the
``*_by_year`` functions take a panel of scores and return tidy tables
``year, region, statistic, value`` (``region == "national"`` for whole-sample statistics).
The formulas and references are in :mod:`.theil_index` and :mod:`.dagum_decomposition`.
"""

from greenindex.analysis.disparity.dagum_decomposition import (
    DagumResult,
    dagum_gini,
    dagum_gini_batch,
)
from greenindex.analysis.disparity.panels import cv_by_year, dagum_by_year, theil_by_year
from greenindex.analysis.disparity.theil_index import TheilResult, theil, theil_batch
from greenindex.analysis.disparity.variation import cv

__all__ = [
    "DagumResult",
    "TheilResult",
    "cv",
    "cv_by_year",
    "dagum_by_year",
    "dagum_gini",
    "dagum_gini_batch",
    "theil",
    "theil_batch",
    "theil_by_year",
]
