"""Statistical audit of a composite index (the JRC/COINr ten-step practice, steps 4 and 7).

A sub-package: ``statistics`` (the estimators), ``consistency`` (correlations and internal
consistency of the tree), ``importance`` (effective weights against importance),
``variant`` (:func:`audit` of one variant), ``verdict`` (flags, the comparison of variants and
the report's verdict).

Given the scores table of a variant (normalised indicators, dimension scores and the index for
every unit-year) and its effective-weights table, :func:`audit` computes

- **correlations** (Pearson, pairwise complete observations) of every node with its parent,
  of every node with the index (root), and between the nodes of each aggregate level
  (dimensions with dimensions);
- **Cronbach's alpha** of the children of every aggregate (internal consistency),
  :math:`\\alpha = k^2 \\overline{S_{jl}}_{j \\ne l} / \\sum_{jl} S_{jl}` with :math:`S` the
  sample covariance matrix (pairwise complete) of the ``k`` children; algebraically
  :math:`\\frac{k}{k-1}(1 - \\mathrm{tr} S / \\sum S)` (Cronbach 1951). It can be negative
  when children covary negatively;
- the **first principal component's share of variance** among the indicators of each
  dimension (correlation-matrix PCA on the rows without a missing value, as
  ``prcomp(na.omit(x), scale = TRUE)``);
- **nominal and effective weights**: the within-parent share and the product of shares down
  the tree;
- each indicator's **importance** in the index, the squared Pearson correlation ratio
  :math:`\\eta^2_j = V(E[y \\mid x_j]) / V(y)` (the first-order sensitivity index of the index
  ``y`` with respect to indicator ``x_j``; Paruolo, Saisana & Saltelli 2013), next to its
  effective (nominal) weight. A weight says what the builder intended; the importance says
  how much of the index's variation the indicator actually explains. Correlated indicators
  share importance, so the shares :math:`\\eta^2_j / \\sum_k \\eta^2_k` are compared with the
  weights;
- **flags**: an indicator carrying more than ``dominance`` (default 1/3) of the total
  effective weight or of the total importance; an indicator correlating negatively with the
  index.

The estimation of :math:`E[y \\mid x_j]` by rank bins is described in
:mod:`greenindex.analysis.audit.statistics`.

Correlations and importances are computed over all unit-years of the audited years pooled
(the default run audits the analysis window, in which every indicator is present); pooled
correlations include the common time trend of the panel.

References
----------
Cronbach L.J. (1951), Coefficient alpha and the internal structure of tests, Psychometrika
16(3):297-334.
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, steps 4 and 7.
Paruolo P., Saisana M., Saltelli A. (2013), Ratings and rankings: voodoo or science?,
J. R. Stat. Soc. A 176(3):609-634.
Becker W. et al. (2022), COINr: an R package for developing composite indicators, JOSS
7(78): ``get_corr``, ``get_cronbach``, ``get_PCA``, ``get_eff_weights``.
"""

from greenindex.analysis.audit.statistics import (
    correlation_ratio,
    cronbach_alpha,
    pc1_share,
    pearson,
)
from greenindex.analysis.audit.variant import AuditResult, audit, audit_tables
from greenindex.analysis.audit.verdict import audit_section, comparison_table, report_html

__all__ = [
    "AuditResult",
    "audit",
    "audit_section",
    "audit_tables",
    "comparison_table",
    "correlation_ratio",
    "cronbach_alpha",
    "pc1_share",
    "pearson",
    "report_html",
]
