"""The claim-by-claim check of the seed articles' regional findings (a sub-package: ``statements``,
``statistics``, ``check``, ``summary``, ``batch``).

The seed articles report, for the analysis window (13th Five-Year Plan, 2016-2020): the
index rose overall; it falls in steps from east to central to west; the northeast progressed
slowly; regional gaps are large. :func:`check_claims` states, for each claim and each method
variant (one scores table per variant), the statistic, its value and whether it holds, and
:func:`summarise_claims` writes the result as plain sentences in English or Chinese. Nothing
is assumed to hold: every verdict is computed from the data.

Claims and their statistics (region means are unweighted means over the region's units;
``t0``/``t1`` are the first and last year of the window):

- **C1** national mean rose: :math:`\\bar y_{t1} - \\bar y_{t0} > 0` (details: in how many
  year-on-year steps it rose).
- **C2** stepwise gradient: :math:`\\min_t \\min(\\bar y_{E,t} - \\bar y_{C,t},
  \\bar y_{C,t} - \\bar y_{W,t}) > 0`, i.e. east > central > west in every window year.
- **C3** slow northeast: :math:`g_{NE} - \\min_{k \\ne NE} g_k < 0` where
  :math:`g_k = \\bar y_{k,t1} - \\bar y_{k,t0}` (or the relative change); details give the
  northeast's rank in the level at both ends.
- **C4a / C4b** large between-region inequality: the window mean of the between-region
  share of the Theil T decomposition (C4a) and of the Dagum net between-region contribution
  :math:`G_{nb}/G` (C4b) is at least ``between_share_large``; details say whether it grew or
  shrank between ``t0`` and ``t1``, give the levels beside the shares (Theil T and its
  between-region term, Gini G and :math:`G_{nb}` at both ends, so a falling share with rising
  total inequality is visible) and say why the two measures differ (:data:`WHY_DIFFER`:
  Theil's between term compares region means only; Dagum's net term is built from all
  cross-region pairs of provinces, net of transvariation, so with four regions its share is
  larger by construction). Both measures need a positive index (Theil takes logarithms).

Confidence: a stratified bootstrap over units within regions (each unit's whole time path is
resampled, with replacement, inside its region, so region sizes stay fixed); the share of
``B`` resamples in which the claim holds is reported (Efron and Tibshirani 1993, ch. 6).
Resampling duplicates units, which slightly lowers within-region spread; with three
northeastern provinces the northeast's resample distribution is coarse. Read the share as a
measure of how much a verdict rests on particular provinces, not as a p-value.

References
----------
Efron B., Tibshirani R. J. (1993), *An Introduction to the Bootstrap*, Chapman & Hall.
"""

from greenindex.analysis.claims.batch import CLAIMS, ClaimSetup, claims_batch
from greenindex.analysis.claims.check import WHY_DIFFER, check_claims
from greenindex.analysis.claims.statements import COLUMNS, DEFAULT_REGION_LABELS, STATEMENTS
from greenindex.analysis.claims.statistics import _resample_index as _resample_index  # tests
from greenindex.analysis.claims.summary import summarise_claims

__all__ = [
    "CLAIMS",
    "COLUMNS",
    "DEFAULT_REGION_LABELS",
    "STATEMENTS",
    "WHY_DIFFER",
    "ClaimSetup",
    "check_claims",
    "claims_batch",
    "summarise_claims",
]
