"""The input contract: read and validate observations, codebook, units, framework, sources.

Modules: ``tables`` (codebook, units, framework, sources), ``observations`` (the observations
table, wide panel), ``checks`` (checks across the tables), ``load`` (:class:`Inputs`,
:func:`load_inputs`, :func:`validate_inputs`).

Input tables (see ``data/raw/README.md``):

observations
    long table ``unit, year, indicator, value, source_id`` (CSV or XLSX). ``value`` empty or
    ``NA`` is a missing observation; anything else must be a number.
codebook
    one row per series: ``id, role, name_zh, name_en, unit, dimension, direction, weight,
    numerator, denominator, scale, source_id, min_value, max_value, rationale``. ``role`` is
    ``indicator`` (enters the index), ``variable`` (raw series used as a numerator or
    denominator) or ``recommended`` (recommended but absent: no data yet). Optional column
    ``zero_means_missing`` (``yes``/``no``, empty = no): ``yes`` declares that a ``0`` in
    this series is a missing value typed as zero; such zeros are read as missing (then
    imputed and flagged like any gap) and listed in the plausibility table.
units
    ``unit, name_zh, name_en`` and one column per grouping scheme (e.g. ``nbs4``, ``belt3``).
framework (optional)
    ``id, parent, name_zh, name_en, weight``: the aggregate levels above the indicators.
sources (optional)
    ``source_id, publication, ...``: every observation's ``source_id`` must be listed.

Every check raises :class:`~greenindex.errors.InputError` naming the file, the row(s) and the
fix. Inputs are never modified: the validated, canonical tables are written by the workflow
under ``results/validate/``.
"""

from greenindex.data.ingest.checks import (
    check_indicator_data,
    check_not_constant,
    check_units_observed,
    check_years_observed,
)
from greenindex.data.ingest.load import Inputs, load_inputs, validate_inputs
from greenindex.data.ingest.observations import read_observations, to_wide
from greenindex.data.ingest.tables import (
    CODEBOOK_COLUMNS,
    NA_TOKENS,
    NO_TOKENS,
    ROLES,
    YES_TOKENS,
    ZERO_MISSING,
    read_codebook,
    read_framework,
    read_sources,
    read_units,
)
from greenindex.data.io import read_table

__all__ = [
    "CODEBOOK_COLUMNS",
    "NA_TOKENS",
    "NO_TOKENS",
    "ROLES",
    "YES_TOKENS",
    "ZERO_MISSING",
    "Inputs",
    "check_indicator_data",
    "check_not_constant",
    "check_units_observed",
    "check_years_observed",
    "load_inputs",
    "read_codebook",
    "read_framework",
    "read_observations",
    "read_sources",
    "read_table",
    "read_units",
    "to_wide",
    "validate_inputs",
]
