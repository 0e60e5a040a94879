"""Missing values: the imputation methods, by config name (``treat.impute.method``).

Every method fills missing cells of a wide panel (index ``("unit", "year")``) and says which
rule filled each cell. Shared signature::

    method(data, *, groups, edge, edge_max_years) -> (filled, how)

``how`` is the rule that filled each cell: one name, or a frame of names aligned with
``data``. :func:`impute` runs a method by name and flags every filled cell in its
:class:`~greenindex.index.treat.Report` (imputed values are always disclosed).

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.4.
Becker W. et al. (2022), COINr, JOSS 7(78): ``Impute``, ``i_mean_grp``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, InputError
from greenindex.index.treat import Report, _check_panel, _empty_cells, _method_named

#: Rules for gaps before a unit's first or after its last value (``treat.impute.edge``).
EDGE_METHODS = ("nearest", "group_year_mean", "none")

Filled = tuple[pd.DataFrame, "pd.DataFrame | str"]


def _check_edge(edge: str) -> None:
    if edge not in EDGE_METHODS:
        raise ConfigError(
            "treat.impute.edge", f"unknown edge rule '{edge}'", f"use one of {EDGE_METHODS}."
        )


def _groups_for(data: pd.DataFrame, groups: pd.Series | None, key: str) -> np.ndarray:
    if groups is None:
        raise ConfigError(
            key,
            "this imputation needs the group of every unit, but no groups were given",
            fix="pass groups= (a Series unit -> group, e.g. the units table's region column).",
        )
    units = data.index.get_level_values("unit")
    g = pd.Series(groups).reindex(units)
    missing = sorted(set(units[g.isna().to_numpy()]))
    if missing:
        raise InputError(
            f"units without a group: {missing[:10]}",
            file="units",
            column=str(getattr(groups, "name", None) or "group"),
            fix="give every unit a group in the units table.",
        )
    return g.to_numpy()


def _group_year_fill(data: pd.DataFrame, groups: pd.Series | None, key: str) -> pd.DataFrame:
    """``data`` with missing cells filled by the mean of the unit's group in the same year."""
    g = _groups_for(data, groups, key)
    years = data.index.get_level_values("year").to_numpy()
    keys = [pd.Series(g, index=data.index), pd.Series(years, index=data.index)]
    means = data.groupby(keys, sort=False).transform("mean")
    return data.fillna(means)


def _interpolate_inside(data: pd.DataFrame) -> pd.DataFrame:
    """Linear interpolation over years within each unit, interior gaps only (vectorised).

    .. math:: x_t = x_a + (x_b - x_a) (t - a) / (b - a)

    with ``a`` and ``b`` the unit's nearest observed years before and after ``t``.
    """
    yrs = data.index.get_level_values("year").to_numpy(dtype=float)
    ygrid = pd.DataFrame(
        np.repeat(yrs[:, None], data.shape[1], axis=1), index=data.index, columns=data.columns
    )
    yobs = ygrid.where(data.notna())
    g_val = data.groupby(level="unit", sort=False)
    g_yr = yobs.groupby(level="unit", sort=False)
    x0, x1 = g_val.ffill(), g_val.bfill()
    t0, t1 = g_yr.ffill(), g_yr.bfill()
    frac = (ygrid - t0) / (t1 - t0)
    return x0 + (x1 - x0) * frac


def _nearest_edges(stage: pd.DataFrame, edge_max_years: int | None) -> pd.DataFrame:
    """Leading and trailing gaps filled by the unit's nearest observed year, carried at most
    ``edge_max_years`` years (``None`` = no limit)."""
    g = stage.groupby(level="unit", sort=False)
    ff, bf = g.ffill(), g.bfill()
    if edge_max_years is not None:
        yrs = stage.index.get_level_values("year").to_numpy(dtype=float)
        ygrid = pd.DataFrame(
            np.repeat(yrs[:, None], stage.shape[1], axis=1),
            index=stage.index,
            columns=stage.columns,
        )
        gy = ygrid.where(stage.notna()).groupby(level="unit", sort=False)
        ff = ff.where(ygrid - gy.ffill() <= edge_max_years)
        bf = bf.where(gy.bfill() - ygrid <= edge_max_years)
    return stage.fillna(ff).fillna(bf)


# ---------------------------------------------------------------------------------------------
# The methods
# ---------------------------------------------------------------------------------------------
def linear(
    data: pd.DataFrame,
    *,
    groups: pd.Series | None = None,
    edge: str = "nearest",
    edge_max_years: int | None = 1,
) -> Filled:
    """Linear interpolation within a unit over the years (interior gaps, weighted by the year
    distance), then ``edge`` for gaps at the start or end of a unit's series.

    ``edge``: ``"nearest"`` (the unit's nearest observed year, carried at most
    ``edge_max_years`` years; ``None`` = no limit), ``"group_year_mean"`` (mean of the unit's
    group in that year, see :func:`group_mean`) or ``"none"`` (left missing).
    """
    _check_edge(edge)
    stage = data.fillna(_interpolate_inside(data))
    if edge == "nearest":
        after = _nearest_edges(stage, edge_max_years)
    elif edge == "group_year_mean":
        after = _group_year_fill(stage, groups, "treat.impute.edge")
    else:
        after = stage
    how = pd.DataFrame("linear", index=data.index, columns=data.columns)
    how = how.mask(stage.isna() & after.notna(), edge)
    return after, how


def group_mean(
    data: pd.DataFrame,
    *,
    groups: pd.Series | None = None,
    edge: str = "nearest",
    edge_max_years: int | None = 1,
) -> Filled:
    """Fill missing cells with the mean of the unit's group in the same year, per indicator
    (``edge`` options do not apply).

    .. math:: \\hat x_{ijt} = \\frac{1}{|G_i^{obs}|}\\sum_{k \\in G(i), x_{kjt}\\,obs} x_{kjt}

    This is COINr's ``i_mean_grp`` applied column-wise within each year. A cell stays missing
    when no unit of its group has a value that year.
    """
    return _group_year_fill(data, groups, "treat.impute.group"), "group_mean"


def none(
    data: pd.DataFrame,
    *,
    groups: pd.Series | None = None,
    edge: str = "nearest",
    edge_max_years: int | None = 1,
) -> Filled:
    """Leave missing values as they are."""
    return data, "none"


#: Imputation methods by config name (``treat.impute.method``).
METHODS: dict[str, Callable[..., Filled]] = {
    "linear": linear,
    "group_mean": group_mean,
    "none": none,
}


def impute(
    data: pd.DataFrame,
    method: str = "linear",
    *,
    edge: str = "nearest",
    groups: pd.Series | None = None,
    edge_max_years: int | None = 1,
) -> tuple[pd.DataFrame, Report]:
    """Fill missing values with :data:`METHODS` ``[method]``; every filled cell is flagged.

    Parameters
    ----------
    data
        Wide panel.
    method
        ``"linear"`` (:func:`linear`), ``"group_mean"`` (:func:`group_mean`) or ``"none"``.
    edge, edge_max_years
        Edge rule of ``linear`` (see :func:`linear`).
    groups
        Series unit -> group (a column of the units table); needed by the group methods.

    Returns
    -------
    data, report
        ``report.cells`` has ``step = "impute"`` and ``method`` = the rule that filled the
        cell (``linear``, ``nearest``, ``group_year_mean``, ``group_mean``);
        ``report.summary`` one row per indicator with the numbers filled and still missing.
    """
    _check_panel(data)
    fill = _method_named(METHODS, method, "treat.impute.method")
    _check_edge(edge)
    data = data.sort_index()
    out, how = fill(data, groups=groups, edge=edge, edge_max_years=edge_max_years)
    a = data.to_numpy(dtype=float)
    b = out.to_numpy(dtype=float)
    r, c = np.nonzero(np.isnan(a) & ~np.isnan(b))
    cells = pd.DataFrame(
        {
            "unit": data.index.get_level_values("unit").to_numpy()[r],
            "year": data.index.get_level_values("year").to_numpy()[r],
            "indicator": np.asarray(data.columns, dtype=object)[c],
            "step": "impute",
            "method": how if isinstance(how, str) else how.to_numpy()[r, c],
            "old": np.nan,
            "new": b[r, c],
        }
    )
    summary = pd.DataFrame(
        {
            "indicator": list(data.columns),
            "method": method,
            "n_missing_before": data.isna().sum().to_numpy(),
            "n_imputed": (data.isna() & out.notna()).sum().to_numpy(),
            "n_missing_after": out.isna().sum().to_numpy(),
        }
    )
    return out, Report(cells=cells if len(cells) else _empty_cells(), summary=summary)
