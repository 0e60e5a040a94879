"""Column checks, region order and hatches shared by the charts."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from greenindex.errors import InputError

_REGION_ORDER = ("east", "central", "west", "northeast")


#: Hatches paired with the method colours (greyscale print keeps the bars apart).
_HATCHES = ("", "////", "....", "xxxx", "\\\\\\\\", "++++", "oooo")


def _need(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"{what}: missing column(s) {missing}; columns present: {list(frame.columns)}",
            fix=f"give a table with columns {list(columns)}.",
        )


def _ordered(values: Sequence[str], preferred: Sequence[str] = _REGION_ORDER) -> list[str]:
    vals = list(dict.fromkeys(values))
    return [v for v in preferred if v in vals] + sorted(v for v in vals if v not in preferred)
