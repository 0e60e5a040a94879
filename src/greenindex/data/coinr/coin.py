"""COINr's vocabulary (column names, types, missing-cell texts) and :class:`Coin`, a checked
data set."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

META_REQUIRED = ("iCode", "iName", "Level", "Direction", "Weight", "Parent", "Type")
TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
#: iData columns that are not described in iMeta.
SPECIAL = ("uCode", "uName", "Time")
#: Cell texts that mean "missing" (R writes NA; spreadsheets leave the cell empty).
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "#n/a"})
DEFAULT_SOURCE_ID = "COINR"
TABLES = ("observations", "codebook", "framework", "units", "sources")


@dataclass(frozen=True)
class Coin:
    """A checked COINr data set: iData and iMeta as read (strings, with ``_row`` lines)."""

    data: pd.DataFrame
    meta: pd.DataFrame
    data_file: str
    meta_file: str

    def of_type(self, kind: str) -> pd.DataFrame:
        return self.meta[self.meta["Type"] == kind]

    @property
    def indicators(self) -> list[str]:
        return list(self.of_type("Indicator")["iCode"])

    @property
    def groups(self) -> list[str]:
        return list(self.of_type("Group")["iCode"])

    @property
    def denominators(self) -> list[str]:
        return list(self.of_type("Denominator")["iCode"])


def is_missing(text: str) -> bool:
    """Does a cell text mean "missing" (:data:`MISSING`, any case, blanks around)?

    >>> is_missing(" NA "), is_missing("0")
    (True, False)
    """
    return text.strip().lower() in MISSING


def number(text: str) -> float | None:
    """The number a cell text holds, ``None`` for a missing or non-numeric cell.

    >>> number("1.5"), number("NA"), number("1,5")
    (1.5, None, None)
    """
    if is_missing(text):
        return None
    try:
        return float(text)
    except ValueError:
        return None
