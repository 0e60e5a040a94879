"""What each index value rests on: the composition of every unit-year, the data year actually
used, the share of the index resting on imputed cells, and a composition-stable basis for the
panel analyses (a sub-package: ``status``, ``basis``, ``disclosure``, ``text``).

Cell status (:func:`cell_status`), from the treated panel and the treatment flags:

- ``observed``: a value of the year itself (outlier treatment keeps a cell observed);
- ``interpolated``: linear interpolation between two observed years of the unit;
- ``carried``: the nearest observed year's value carried forward or back (edge gaps);
- ``imputed``: a group mean;
- ``absent``: no value (the indicator does not enter that unit-year's index; the aggregation
  rescales the remaining weights).

The **composition** of a unit-year is the set of indicators entering it (every status but
``absent``). Comparing index values built from different compositions reads a change of
composition as a change of the index (an indicator entering in 2015 moves every province by
its weight times the gap between its score and the average of the others). The panel
analyses (trends, convergence, kernel densities, Theil/Dagum and Moran over time) therefore
use a composition-stable basis (``dynamics.basis``):

- ``panel_consistent`` (default): the index recomputed with the same methods over the
  indicators present in every analysed unit-year (:func:`consistent_scores`);
- ``full_years``: the full index, restricted to the years whose composition equals the full
  set of indicators;
- ``mixed``: the full index over all years as it is; the years where the composition changes
  are reported as breaks (:func:`composition_breaks`) and marked on the charts.
"""

from greenindex.analysis.composition.basis import (
    BASES,
    DynamicsBasis,
    break_note,
    dynamics_basis,
    mark_breaks,
)
from greenindex.analysis.composition.disclosure import (
    add_data_note,
    annotate_claims,
    data_note,
    data_years,
    imputed_weight_shares,
    observed_cells_only,
    year_note,
)
from greenindex.analysis.composition.status import (
    STATUSES,
    cell_status,
    common_indicators,
    composition_breaks,
    composition_table,
    year_composition,
)
from greenindex.analysis.composition.text import dynamics_text

__all__ = [
    "BASES",
    "STATUSES",
    "DynamicsBasis",
    "add_data_note",
    "annotate_claims",
    "break_note",
    "cell_status",
    "common_indicators",
    "composition_breaks",
    "composition_table",
    "data_note",
    "data_years",
    "dynamics_basis",
    "dynamics_text",
    "imputed_weight_shares",
    "mark_breaks",
    "observed_cells_only",
    "year_composition",
    "year_note",
]
