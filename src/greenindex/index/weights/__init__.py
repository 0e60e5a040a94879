"""Weights: entropy (named variants), PCA (three conventions), CRITIC, equal, user, combinations.

Modules: ``methods`` (the schemes over a table's columns, their combination), ``principal``
(PCA, KMO, Bartlett, varimax), ``tree`` (weights in the index tree, user multipliers,
effective weights), ``compute`` (:func:`compute_weights`, the weights of a run).

Weights are expressed in the index tree (a ``pd.Series`` over non-root nodes, each node's
share within its parent, summing to 1 within every parent). Data-driven schemes apply at one of
two levels:

- ``global`` (default; the practice of most Chinese provincial studies): one weight vector
  :math:`w_j` over *all* indicators. In the tree an indicator's share is :math:`w_j / W_D`
  and a dimension's share is :math:`W_D = \\sum_{j \\in D} w_j` (summed down any depth), so that
  the effective weight of indicator ``j`` in the index is exactly :math:`w_j` and the
  arithmetic index equals :math:`\\sum_j w_j z_j`.
- ``within_parent``: the scheme is applied separately to the indicators of each parent;
  aggregate nodes keep their weights from the framework (metadata).

``weights.user`` then multiplies any node's within-parent weight and renormalises among its
siblings (:func:`apply_user_multipliers`), under every scheme and level.

Scope ``pooled`` (default) computes one weight vector from all unit-years; ``year`` one
vector per year (a DataFrame indexed by year; scores are then not comparable over time).

References
----------
Shannon C.E. (1948); Zeleny M. (1982) *Multiple Criteria Decision Making* (entropy weights).
Diakoulaki D., Mavrotas G., Papayannakis L. (1995), Determining objective weights in multiple
criteria problems: the CRITIC method, Computers & Operations Research 22(7).
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1 (PCA/FA weights).
Kaiser H.F. (1974), An index of factorial simplicity, Psychometrika 39 (KMO);
Bartlett M.S. (1950), Tests of significance in factor analysis, Br. J. Stat. Psychol. 3.
Kaiser H.F. (1958), The varimax criterion for analytic rotation, Psychometrika 23.
Becker W. et al. (2022), COINr, JOSS 7(78): ``get_PCA``.
"""

from greenindex.index.weights.compute import (
    DATA_DRIVEN,
    LEVELS,
    METHODS,
    SCOPES,
    WeightResult,
    compute_weights,
)
from greenindex.index.weights.methods import (
    COMBINATIONS,
    ENTROPY_VARIANTS,
    combine,
    critic,
    entropy,
    equal,
    framework,
    user,
)
from greenindex.index.weights.principal import (
    NEGATIVE_WEIGHTS,
    PCA_CONVENTIONS,
    PCAResult,
    kmo_bartlett,
    pca,
    pca_analysis,
    varimax,
)
from greenindex.index.weights.tree import (
    apply_user_multipliers,
    check_user_multipliers,
    effective_weights,
    tree_weights_from_global,
    within_parent_shares,
)

__all__ = [
    "COMBINATIONS",
    "DATA_DRIVEN",
    "ENTROPY_VARIANTS",
    "LEVELS",
    "METHODS",
    "NEGATIVE_WEIGHTS",
    "PCA_CONVENTIONS",
    "SCOPES",
    "PCAResult",
    "WeightResult",
    "apply_user_multipliers",
    "check_user_multipliers",
    "combine",
    "compute_weights",
    "critic",
    "effective_weights",
    "entropy",
    "equal",
    "framework",
    "kmo_bartlett",
    "pca",
    "pca_analysis",
    "tree_weights_from_global",
    "user",
    "varimax",
    "within_parent_shares",
]
