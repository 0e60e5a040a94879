"""COINr's input format (iData, iMeta) -> the workflow's input tables.

COINr (Becker et al. 2022), the R toolkit for composite indicators, describes a data set with
two tables:

iData
    one row per unit (and per ``Time`` in a panel): ``uCode`` (required), ``uName`` and
    ``Time`` (optional), one column per indicator and per denominator, and the group columns.
iMeta
    one row per column of iData and per aggregate: ``iCode, iName, Level, Direction, Weight,
    Parent, Type`` (required) and ``Unit, Target, Denominator`` (optional). ``Type`` is
    ``Indicator`` (level 1), ``Aggregate`` (levels 2, 3, ...; the top level has no parent),
    ``Group`` (a grouping of units), ``Denominator`` (a series indicators may be divided by)
    or ``Other`` (carried along, not used).

:func:`read_coin` checks both tables and :func:`coin_tables` turns them into the workflow's
input contract (``data/raw/README.md``):

- ``observations``: ``unit, year, indicator, value, source_id`` for every indicator and
  denominator cell that has a value (empty and ``NA`` cells are gaps and are omitted);
- ``codebook``: one ``indicator`` row per ``Indicator`` (``dimension`` = its parent,
  ``direction`` and ``weight`` carried over, ``denominator`` = its iMeta ``Denominator``,
  i.e. the derived ratio ``indicator / denominator`` with scale 1, which the workflow forms
  when ``treat.denominate`` is true, as COINr's ``Denominate`` does) and one ``variable`` row
  per ``Denominator``;
- ``framework``: the ``Aggregate`` nodes with their parents and weights;
- ``units``: ``unit, name_zh, name_en`` and one column per ``Group``: each group column is a
  region scheme the config can name (``regions.scheme``, ``treat.impute.group``);
- ``sources``: one row for the coin.

COINr has no Chinese names, so ``name_zh`` repeats ``iName`` / ``uName``. iData without a
``Time`` column is a cross-section: its year is given by the caller. Every problem raises
:class:`~greenindex.errors.InputError` naming the file, the line (header = line 1) and the
column.

Modules: ``coin`` (COINr's vocabulary and :class:`Coin`), ``meta`` (the checks of iMeta),
``read`` (:func:`read_coin`: iData and how it fits iMeta), ``tables`` (:func:`coin_tables`,
:func:`suggested_config`, :func:`write_coin`), ``cli`` (:func:`main`).

Command line (a subcommand of the table importer)::

    python -m greenindex.data.importer coinr iData.csv iMeta.csv --out DIR [--year Y]

References
----------
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E. and Saisana, M. (2022).
COINr: an R package for developing composite indicators. Journal of Open Source Software
7(78), 4567. https://doi.org/10.21105/joss.04567
"""

from greenindex.data.coinr.cli import main
from greenindex.data.coinr.coin import (
    DEFAULT_SOURCE_ID,
    META_REQUIRED,
    MISSING,
    SPECIAL,
    TABLES,
    TYPES,
    Coin,
)
from greenindex.data.coinr.read import read_coin
from greenindex.data.coinr.tables import coin_tables, suggested_config, write_coin

__all__ = [
    "DEFAULT_SOURCE_ID",
    "META_REQUIRED",
    "MISSING",
    "SPECIAL",
    "TABLES",
    "TYPES",
    "Coin",
    "coin_tables",
    "main",
    "read_coin",
    "suggested_config",
    "write_coin",
]
