"""Monte Carlo uncertainty analysis over the modelling choices, computed in batches.

A composite index rests on choices (normalisation, weighting method, entropy variant,
aggregation, imputation, outlier treatment, the weights themselves, the indicator set). The
uncertainty analysis of the OECD/JRC handbook re-builds the index many times, each time with
the choices drawn at random, and reports how stable the ranking is (Saisana, Saltelli and
Tarantola 2005; COINr ``get_sensitivity``):

- per unit and year: the nominal rank, the median rank and the 5-95 % rank interval over
  the replications (quantiles of R's default type 7, as COINr);
- per claim of the finding check: the share of replications in which it holds;
- first-order and total Sobol indices of the mean absolute rank shift
  :math:`\\bar{\\Delta}_r = \\frac{1}{n}\\sum_i |rank_{ir} - rank_{i,nominal}|` with respect to each
  choice (:mod:`greenindex.analysis.sensitivity`).

Every replication ``r`` draws its uniforms from ``numpy.random.default_rng([seed, 0, r])``, so
its choices do not depend on which chunk computes it: any split of the replications into
chunks gives the same results (scatter/gather in the workflow).

The batched engine: the few distinct data versions (treatment x normalisation) and weight
vectors (scheme x variant x dropped indicator) are computed once each with the ordinary
single-run functions (:mod:`greenindex.index.normalise`, :mod:`greenindex.index.weights`,
:mod:`greenindex.index.treat`); the replications then differ only in weights, dropped indicators and
aggregation, which :func:`greenindex.index.aggregate.aggregate_batch` evaluates for a whole batch of replications as
arrays. Replication ``r`` of a batch equals a single run of :func:`greenindex.index.aggregate.aggregate`
with the same choices.

Uniforms map to choices as follows: a choice with ``k`` options takes option
:math:`\\lfloor k u \\rfloor`; a perturbed weight becomes :math:`w (1 + f (2u - 1))`, i.e.
uniform on :math:`[w(1-f), w(1+f)]`; "drop one indicator" takes none or one of the ``m``
indicators with equal probability :math:`1/(m+1)`.

References
----------
Saisana M., Saltelli A., Tarantola S. (2005), Uncertainty and sensitivity analysis techniques
as tools for the quality assessment of composite indicators, J. R. Stat. Soc. A 168(2), 307-323.
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 7.
Becker W. et al. (2022), COINr, JOSS 7(78): ``get_sensitivity``, ``get_noisy_weights``.
Hyndman R.J., Fan Y. (1996), Sample quantiles in statistical packages, Am. Stat. 50(4)
(type 7 quantile).
"""

from greenindex.analysis.claims import CLAIMS, ClaimSetup, claims_batch
from greenindex.analysis.uncertainty.engine import (
    BATCHED_AGGREGATIONS,
    BatchResult,
    Decoded,
    EngineStages,
    UncertaintyModel,
    aggregation_methods,
    rank_batch,
)
from greenindex.analysis.uncertainty.plots import (
    plot_claim_robustness,
    plot_rank_intervals,
    plot_sobol,
)
from greenindex.analysis.uncertainty.runs import (
    MC_STREAM,
    RunPlan,
    load_chunks,
    mc_uniforms,
    run,
    run_chunk,
    save_chunk,
)
from greenindex.analysis.uncertainty.spec import (
    KNOWN_CHOICES,
    STAGES,
    Choice,
    UncertaintySpec,
    WeightNoise,
    settings_from_config,
    spec_from_config,
)
from greenindex.analysis.uncertainty.summaries import (
    UncertaintyResult,
    quantile_type7,
    rank_statistics,
    summarise,
    write_summaries,
)
from greenindex.analysis.uncertainty.workflow import (
    claim_setup_from_config,
    model_from_files,
    model_from_tables,
)

__all__ = [
    "BATCHED_AGGREGATIONS",
    "CLAIMS",
    "KNOWN_CHOICES",
    "MC_STREAM",
    "STAGES",
    "BatchResult",
    "Choice",
    "ClaimSetup",
    "Decoded",
    "EngineStages",
    "RunPlan",
    "UncertaintyModel",
    "UncertaintyResult",
    "UncertaintySpec",
    "WeightNoise",
    "aggregation_methods",
    "claim_setup_from_config",
    "claims_batch",
    "load_chunks",
    "mc_uniforms",
    "model_from_files",
    "model_from_tables",
    "plot_claim_robustness",
    "plot_rank_intervals",
    "plot_sobol",
    "quantile_type7",
    "rank_batch",
    "rank_statistics",
    "run",
    "run_chunk",
    "save_chunk",
    "settings_from_config",
    "spec_from_config",
    "summarise",
    "write_summaries",
]
