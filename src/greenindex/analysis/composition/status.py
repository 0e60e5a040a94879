"""The status of every cell (observed, interpolated, carried, imputed, absent) and the
composition of every unit-year: its table, per year, the breaks, the common indicators."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

STATUSES = ("observed", "interpolated", "carried", "imputed", "absent")
_IMPUTE_STATUS = {
    "linear": "interpolated",
    "nearest": "carried",
    "group_mean": "imputed",
    "group_year_mean": "imputed",
}


def cell_status(treated: pd.DataFrame, flags: pd.DataFrame | None) -> pd.DataFrame:
    """Status and data year of every (unit, year, indicator) cell.

    Parameters
    ----------
    treated
        Treated panel indexed by ``(unit, year)``, a column per indicator (NaN = absent).
    flags
        ``results/treat/flags.csv``: ``unit, year, indicator, step, method``; rows of step
        ``impute`` set the status (``linear`` -> interpolated, ``nearest`` -> carried, group
        means -> imputed).

    Returns
    -------
    pandas.DataFrame
        ``unit, year, indicator, status, data_year, source_years``: ``data_year`` is the year
        whose value is used (the year itself when observed, the nearest observed year when
        carried, NaN for interpolated and imputed cells); ``source_years`` names the observed
        years an interpolation lies between (``"2016-2018"``).
    """
    long = treated.stack(future_stack=True).rename("value").reset_index()
    long.columns = ["unit", "year", "indicator", "value"]
    long["year"] = long["year"].astype(int)
    long["status"] = np.where(long["value"].isna(), "absent", "observed")
    if flags is not None and len(flags):
        f = flags[flags["step"] == "impute"][["unit", "year", "indicator", "method"]].copy()
        f["year"] = f["year"].astype(int)
        f["unit"] = f["unit"].astype(str)
        long = long.merge(f, on=["unit", "year", "indicator"], how="left")
        m = long["method"].map(_IMPUTE_STATUS)
        present = long["status"] == "observed"
        long.loc[present & m.notna(), "status"] = m[present & m.notna()]
        long = long.drop(columns="method")
    long["data_year"] = np.where(long["status"] == "observed", long["year"], np.nan)
    long["source_years"] = ""
    obs = long[long["status"] == "observed"].groupby(["unit", "indicator"])["year"].apply(list)
    need = long["status"].isin(["carried", "interpolated"])
    for i in np.flatnonzero(need.to_numpy()):
        r = long.iloc[i]
        years = obs.get((r["unit"], r["indicator"]), [])
        if not years:
            continue
        t = int(r["year"])
        if r["status"] == "carried":
            long.iat[i, long.columns.get_loc("data_year")] = min(
                years, key=lambda y: (abs(y - t), y)
            )
        else:
            before = [y for y in years if y < t]
            after = [y for y in years if y > t]
            if before and after:
                long.iat[i, long.columns.get_loc("source_years")] = f"{max(before)}-{min(after)}"
    return long.drop(columns="value")


def composition_table(status: pd.DataFrame) -> pd.DataFrame:
    """One row per unit-year: counts of cells by status and the composition (the sorted
    indicators entering the index, joined by ``+``)."""
    counts = status.pivot_table(
        index=["unit", "year"], columns="status", values="indicator", aggfunc="count", fill_value=0
    )
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts.columns = [f"n_{c}" for c in counts.columns]
    present = status[status["status"] != "absent"]
    comp = present.groupby(["unit", "year"])["indicator"].apply(lambda s: "+".join(sorted(s)))
    out = counts.join(comp.rename("composition")).reset_index()
    out["composition"] = out["composition"].fillna("")
    return out


def year_composition(status: pd.DataFrame, years: Sequence[int] | None = None) -> pd.Series:
    """Year -> the indicators present in at least one unit that year (sorted tuple)."""
    s = status if years is None else status[status["year"].isin(list(years))]
    present = s[s["status"] != "absent"]
    out = present.groupby("year")["indicator"].apply(lambda v: tuple(sorted(set(v))))
    return out.reindex(sorted(s["year"].unique()), fill_value=())


def composition_breaks(status: pd.DataFrame, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Years in which the set of indicators entering the index changes: ``year, entered,
    left`` (indicator lists joined by ``+``)."""
    comp = year_composition(status, years)
    rows = []
    prev: tuple[str, ...] | None = None
    for y, c in comp.items():
        if prev is not None and c != prev:
            rows.append(
                {
                    "year": int(y),
                    "entered": "+".join(sorted(set(c) - set(prev))),
                    "left": "+".join(sorted(set(prev) - set(c))),
                }
            )
        prev = c
    return pd.DataFrame(rows, columns=["year", "entered", "left"])


def common_indicators(status: pd.DataFrame, years: Sequence[int]) -> list[str]:
    """Indicators present (any status but absent) in every analysed unit-year.

    A unit with no value at all of an indicator in the analysed years (an indicator that a
    province never reports) does not exclude the indicator; only an indicator absent in some
    years is excluded.
    """
    s = status[status["year"].isin(list(years))]
    out = []
    for ind, g in s.groupby("indicator", sort=False):
        reported = g[g["status"] != "absent"]
        units = set(reported["unit"])
        if not units:
            continue
        g_units = g[g["unit"].isin(units)]
        if (g_units["status"] != "absent").all():
            out.append(str(ind))
    order = list(dict.fromkeys(status["indicator"]))
    return [i for i in order if i in out]
