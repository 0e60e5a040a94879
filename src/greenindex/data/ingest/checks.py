"""Checks across the input tables: every indicator has data, every unit and year is observed,
no indicator is constant."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from greenindex.data.io import ROW
from greenindex.errors import InputError

if TYPE_CHECKING:
    from greenindex.data.ingest.load import Inputs


def check_indicator_data(obs: pd.DataFrame, codebook: pd.DataFrame, *, codebook_file: str) -> None:
    """Every indicator used must have data: its own series, or its numerator and denominator."""
    have = set(obs.loc[obs["value"].notna(), "indicator"])
    cb = codebook[(codebook["role"] == "indicator") & codebook["used"]]
    problems = []
    rows = []
    for _, r in cb.iterrows():
        needed = [r["numerator"] or r["id"]] + ([r["denominator"]] if r["denominator"] else [])
        missing = [s for s in needed if s not in have]
        if missing:
            problems.append(f"'{r['id']}' (no observations of {missing})")
            rows.append(int(r[ROW]))
    if problems:
        raise InputError(
            "codebook indicator(s) with no data: " + "; ".join(problems),
            file=codebook_file,
            row=rows,
            fix="add observations, set the role to 'recommended' until you have them, or list the indicator "
            "under 'indicators.exclude' in the config.",
        )


def check_units_observed(inputs: Inputs, *, units_file: str, observations_file: str) -> None:
    """Every unit of the units table (after ``units.drop``) must have at least one value.

    The units table and the observations must match one to one: an observed unit missing from
    the units table is caught when the observations are read; a listed unit without any value
    is caught here. When another unit with a similar name has rows, the message asks whether
    the rows were written under that name (Shanxi 山西 SX and Shaanxi 陕西 SN differ by a letter:
    Shanxi's rows typed as "Shaanxi" while Shaanxi's own rows are absent would otherwise give
    Shaanxi Shanxi's data silently).
    """
    obs = inputs.observations
    have = set(obs.loc[obs["value"].notna(), "unit"])
    un = inputs.units
    missing = un[~un["unit"].isin(have)]
    if not len(missing):
        return
    label = _unit_labels(un)
    others = {label[o]: o for o in have if o in label}
    hints = []
    for u in missing["unit"]:
        close = difflib.get_close_matches(label.get(u, u), sorted(others), n=1, cutoff=0.8)
        if close:
            hints.append(
                f"{label.get(u, u)} ({u}) has no rows while {close[0]} ({others[close[0]]}) has: "
                f"were {label.get(u, u)}'s rows written as {close[0]}?"
            )
    hint = (" " + " ".join(hints)) if hints else ""
    raise InputError(
        f"unit(s) {[f'{label.get(u, u)} ({u})' for u in missing['unit']]} of the units table have no "
        f"observation in {observations_file}.{hint}",
        file=units_file,
        row=[int(r) for r in missing[ROW]],
        column="unit",
        fix="add their observations (check the spelling of the unit names in the observations), or list "
        "them under 'units.drop' in the config to leave them out of the whole analysis.",
    )


def _unit_labels(units: pd.DataFrame) -> dict[str, str]:
    """Unit code -> English name (the province table's, else the units table's ``name_en``)."""
    from greenindex.data.units import province_table

    label = {str(r["code"]): str(r["name_en"]) for _, r in province_table().iterrows()}
    if "name_en" in units.columns:
        for u, n in zip(units["unit"], units["name_en"], strict=True):
            if str(n).strip() and u not in label:
                label[str(u)] = str(n)
    return label


def check_years_observed(
    obs: pd.DataFrame, years: Sequence[int], *, observations_file: str
) -> None:
    """Every panel year must have at least one value (of any series, any unit).

    A year with no data at all is named as such, before any treatment step could fail on it
    with a message about one series.
    """
    have = set(obs.loc[obs["value"].notna(), "year"].astype(int))
    empty = [int(y) for y in years if int(y) not in have]
    if empty:
        lo, hi = min(years), max(years)
        raise InputError(
            f"no data at all for year(s) {empty} of the configured panel {lo}-{hi}: not one value of any "
            "series for any unit",
            file=observations_file,
            column="year",
            fix=f"add the observations of {empty}, or shorten the panel ('panel.start'/'panel.end' in the "
            "config; keep 'window' inside it).",
        )


def check_not_constant(data: pd.DataFrame, *, codebook_file: str = "codebook") -> None:
    """Stop when an indicator has one value for every unit-year (or no value at all).

    Such an indicator carries no information, cannot be min-max normalised (max = min) and
    makes entropy and CRITIC weights undefined.
    """
    problems = []
    for col in data.columns:
        x = data[col].dropna()
        if x.empty:
            problems.append(f"'{col}' has no value after denomination")
        elif x.nunique() == 1:
            problems.append(f"'{col}' is constant ({float(x.iloc[0])!r} in every unit-year)")
    if problems:
        raise InputError(
            "; ".join(problems),
            file=codebook_file,
            fix="check the data of these indicators, or list them under 'indicators.exclude' in the config.",
        )
