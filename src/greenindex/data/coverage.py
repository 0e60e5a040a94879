"""Data coverage: which indicator is available for which province and year.

Every cell of the indicator x year x unit cube has one status:

* ``observed``: a value that was in the input (raw or derived from observed numerator and
  denominator);
* ``imputed``: a value filled by the treatment stage (flagged in its report);
* ``missing``: no value.

:func:`coverage_cells` gives the cube as a tidy table, :func:`coverage_table` counts it per
indicator and year and names the missing and imputed provinces, :func:`coverage_rule` tests
the availability rule of the default indicator set (at least ``min_units`` units observed in
at least ``min_years`` of the window years) and :func:`coverage_heatmap` draws the cube.

All outputs are deterministic (sorted; no timestamps).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

STATUSES = ("missing", "observed", "imputed")
#: Colours of the statuses in :func:`coverage_heatmap` (colour-blind safe, grey for missing).
STATUS_COLOURS = {"missing": "#dddddd", "observed": "#1b7837", "imputed": "#e08214"}


def _tidy(data: pd.DataFrame) -> pd.DataFrame:
    """``unit, year, indicator, value`` from a tidy table or a wide panel."""
    if {"unit", "year", "indicator", "value"} <= set(data.columns):
        t = data[["unit", "year", "indicator", "value"]].copy()
    elif isinstance(data.index, pd.MultiIndex) and list(data.index.names) == ["unit", "year"]:
        t = data.stack(future_stack=True).rename("value").reset_index()
        t = t.rename(columns={t.columns[2]: "indicator"})
    else:
        raise ValueError(
            "expected tidy observations (unit, year, indicator, value) or a wide panel indexed "
            "by (unit, year)"
        )
    t["unit"] = t["unit"].astype(str)
    t["indicator"] = t["indicator"].astype(str)
    t["year"] = t["year"].astype(int)
    t["value"] = pd.to_numeric(t["value"], errors="coerce").astype(float)
    return t


def _flag_keys(imputed: pd.DataFrame | None) -> set[tuple[str, int, str]]:
    if imputed is None or len(imputed) == 0:
        return set()
    if {"unit", "year", "indicator"} <= set(imputed.columns):
        f = imputed
        if "value" in f.columns and f["value"].dtype == bool:
            f = f[f["value"]]
        return {
            (str(u), int(y), str(i))
            for u, y, i in zip(f["unit"], f["year"], f["indicator"], strict=True)
        }
    if isinstance(imputed.index, pd.MultiIndex):
        s = imputed.astype(bool).stack(future_stack=True)
        s = s[s]
        return {(str(u), int(y), str(i)) for u, y, i in s.index}
    raise ValueError("imputed flags must be tidy (unit, year, indicator) or a wide boolean panel")


def coverage_cells(
    data: pd.DataFrame,
    *,
    units: Sequence[str],
    indicators: Sequence[str],
    years: Sequence[int],
    imputed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Status of every indicator x year x unit cell.

    Parameters
    ----------
    data
        Tidy observations (``unit, year, indicator, value``) or a wide panel indexed by
        ``(unit, year)`` with one column per indicator; may already contain imputed values.
    units, indicators, years
        The cube to report on (cells absent from ``data`` are missing).
    imputed
        Cells filled by the treatment stage: a tidy table with ``unit, year, indicator``
        (e.g. the ``cells`` of :func:`greenindex.index.treat.impute`'s report) or a wide boolean
        panel. A flagged cell is ``imputed`` whether or not ``data`` holds its value.

    Returns
    -------
    pandas.DataFrame
        ``indicator, year, unit, status`` in the order indicators x years x units.
    """
    t = _tidy(data)
    have = {
        (u, y, i)
        for u, y, i, v in zip(t["unit"], t["year"], t["indicator"], t["value"], strict=True)
        if np.isfinite(v)
    }
    flags = _flag_keys(imputed)
    rows = []
    for i in indicators:
        for y in years:
            for u in units:
                k = (str(u), int(y), str(i))
                status = "imputed" if k in flags else ("observed" if k in have else "missing")
                rows.append((str(i), int(y), str(u), status))
    return pd.DataFrame(rows, columns=["indicator", "year", "unit", "status"])


def coverage_table(
    data: pd.DataFrame,
    *,
    units: Sequence[str],
    indicators: Sequence[str],
    years: Sequence[int],
    imputed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Availability per indicator and year, with the gaps named.

    Returns
    -------
    pandas.DataFrame
        One row per indicator x year: ``indicator, year, n_units, n_observed, n_imputed,
        n_missing, share_observed, missing_units, imputed_units`` (unit codes joined by
        ``" "``, sorted).

    Examples
    --------
    >>> obs = pd.DataFrame({"unit": ["A", "B"], "year": [2020, 2020], "indicator": ["x", "x"],
    ...                     "value": [1.0, float("nan")]})
    >>> t = coverage_table(obs, units=["A", "B", "C"], indicators=["x"], years=[2020])
    >>> int(t.loc[0, "n_observed"]), int(t.loc[0, "n_missing"]), t.loc[0, "missing_units"]
    (1, 2, 'B C')
    """
    cells = coverage_cells(data, units=units, indicators=indicators, years=years, imputed=imputed)
    out = []
    for (i, y), g in cells.groupby(["indicator", "year"], sort=False):
        st = g["status"]
        out.append(
            {
                "indicator": i,
                "year": int(y),
                "n_units": len(g),
                "n_observed": int((st == "observed").sum()),
                "n_imputed": int((st == "imputed").sum()),
                "n_missing": int((st == "missing").sum()),
                "share_observed": float((st == "observed").mean()) if len(g) else float("nan"),
                "missing_units": " ".join(sorted(g.loc[st == "missing", "unit"])),
                "imputed_units": " ".join(sorted(g.loc[st == "imputed", "unit"])),
            }
        )
    return pd.DataFrame(out)


def coverage_rule(
    data: pd.DataFrame,
    *,
    units: Sequence[str],
    indicators: Sequence[str],
    window: tuple[int, int] = (2016, 2020),
    min_years: int = 4,
    min_units: int = 30,
    imputed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Does each indicator have ``min_units`` units observed in ``min_years`` window years?

    Imputed cells do not count as observed.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``indicator, n_units_ok, units_short`` (units observed in fewer
        than ``min_years`` years, with their count, e.g. ``"XZ:1"``) and ``passes``.
    """
    years = list(range(window[0], window[1] + 1))
    cells = coverage_cells(data, units=units, indicators=indicators, years=years, imputed=imputed)
    obs = (
        cells.assign(ok=cells["status"] == "observed")
        .groupby(["indicator", "unit"], sort=False)["ok"]
        .sum()
    )
    rows = []
    for i in indicators:
        n = obs.loc[str(i)]
        short = n[n < min_years]
        rows.append(
            {
                "indicator": str(i),
                "n_units_ok": int((n >= min_years).sum()),
                "units_short": " ".join(f"{u}:{int(k)}" for u, k in sorted(short.items())),
                "passes": bool((n >= min_years).sum() >= min_units),
            }
        )
    return pd.DataFrame(rows)


def coverage_heatmap(
    data: pd.DataFrame,
    *,
    units: Sequence[str],
    indicators: Sequence[str],
    years: Sequence[int],
    imputed: pd.DataFrame | None = None,
    indicator_labels: Mapping[str, str] | None = None,
    unit_labels: Mapping[str, str] | None = None,
    status_labels: Mapping[str, str] | None = None,
    title: str | None = None,
    width: float | None = None,
    year_label: str | None = None,
) -> Figure:
    """Indicator x year x unit availability as one matrix figure.

    Rows are units; columns are years grouped in one block per indicator (blocks separated by
    white lines, the indicator named above its block). Each cell is coloured by status
    (:data:`STATUS_COLOURS`): observed, imputed (the treatment stage's flagged fills) or
    missing.

    Parameters
    ----------
    indicator_labels, unit_labels
        Display names (e.g. Chinese names for ``figures.language: zh``); default the ids.
    status_labels
        Legend texts for ``missing``, ``observed``, ``imputed``.
    width
        Figure width in inches (e.g. a journal's double column); the columns then carry no
        year labels (``year_label`` names the years of each block), so every text stays at
        least 6.5 pt. Default: 0.16 inch per column.
    year_label
        With ``width``: the x-axis label naming the years of each block.

    Returns
    -------
    matplotlib.figure.Figure
        A figure not attached to pyplot (no global state); save it with the project's
        deterministic :func:`greenindex.figures.style.save_figure`. The matrix is ``fig.axes[0]``'s
        image; its data are the status codes 0 = missing, 1 = observed, 2 = imputed.
    """
    cells = coverage_cells(data, units=units, indicators=indicators, years=years, imputed=imputed)
    code = cells["status"].map({s: k for k, s in enumerate(STATUSES)}).to_numpy()
    ni, ny, nu = len(indicators), len(years), len(units)
    cube = code.reshape(ni, ny, nu)  # indicator, year, unit
    mat = cube.transpose(2, 0, 1).reshape(nu, ni * ny)  # unit x (indicator, year)
    compact = width is not None
    width = width if width is not None else min(2.0 + 0.16 * ni * ny, 40.0)
    height = (2.2 + 0.12 * nu) if compact else (1.6 + 0.18 * nu)
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot(1, 1, 1)
    cmap = ListedColormap([STATUS_COLOURS[s] for s in STATUSES])
    ax.imshow(mat, cmap=cmap, vmin=-0.5, vmax=2.5, aspect="auto", interpolation="nearest")
    for k in range(1, ni):
        ax.axvline(k * ny - 0.5, color="white", linewidth=2.5)
    ax.set_yticks(range(nu))
    ax.set_yticklabels([str((unit_labels or {}).get(u, u)) for u in units], fontsize=6.5)
    _label_columns(ax, indicators, years, indicator_labels, compact, year_label)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    labels = status_labels or {s: s for s in STATUSES}
    handles = [
        Patch(facecolor=STATUS_COLOURS[s], label=labels.get(s, s))
        for s in ("observed", "imputed", "missing")
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.005, 1.0), frameon=False, fontsize=7
    )
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig


def _label_columns(
    ax: Axes,
    indicators: Sequence[str],
    years: Sequence[int],
    indicator_labels: Mapping[str, str] | None,
    compact: bool,
    year_label: str | None,
) -> None:
    """Years below the columns (or, ``compact``, one x label naming them) and each
    indicator's name above its block of years."""
    ni, ny = len(indicators), len(years)
    if compact:  # no room for a year per column: the x label says which years the blocks hold
        ax.set_xticks([])
        if year_label:
            ax.set_xlabel(year_label, fontsize=6.5)
    else:
        ax.set_xticks(range(ni * ny))
        ax.set_xticklabels([f"{int(y) % 100:02d}" for _ in indicators for y in years], fontsize=5)
    ax.tick_params(length=0)
    top = ax.secondary_xaxis("top")
    top.set_ticks([k * ny + (ny - 1) / 2 for k in range(ni)])
    top.set_xticklabels(
        [str((indicator_labels or {}).get(i, i)) for i in indicators],
        rotation=35,
        ha="left",
        fontsize=6.5 if compact else 7,
    )
    top.tick_params(length=0)


def year_passes(table: pd.DataFrame, min_units: int) -> pd.DataFrame:
    """Add the per-year pass/fail that tells observed from imputed cells to a
    :func:`coverage_table` (merged with :func:`coverage_rule`, whose ``passes`` judges the
    whole window on observed cells).

    ``passes_observed``: at least ``min_units`` units observed in that year;
    ``passes_with_imputed``: at least ``min_units`` observed or imputed; ``year_status``:
    ``observed`` (both pass), ``imputed`` (only with imputed cells: the year rests on
    carried, interpolated or imputed values) or ``fails``.
    """
    out = table.copy()
    out["passes_observed"] = out["n_observed"] >= min_units
    out["passes_with_imputed"] = (out["n_observed"] + out["n_imputed"]) >= min_units
    out["year_status"] = np.where(
        out["passes_observed"],
        "observed",
        np.where(out["passes_with_imputed"], "imputed", "fails"),
    )
    return out
