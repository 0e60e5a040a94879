"""Rank (bump) chart of the provinces, with Monte Carlo rank intervals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from greenindex.figures.charts.common import _REGION_ORDER, _need, _ordered
from greenindex.figures.style import figure_width, label, region_styles

__all__ = ["rank_chart"]


def _interval_panel(
    ax2: Axes,
    wide: pd.DataFrame,
    intervals: pd.DataFrame,
    styles: Mapping[str, Mapping[str, str]],
    reg: pd.Series | None,
    names: Mapping[str, str],
    n: int,
    language: str,
) -> None:
    """Right-hand panel: Monte Carlo rank interval (and median) of each province in the last
    year, at the height of its rank."""
    years = list(wide.columns)
    last = wide[years[-1]].dropna()
    iv = intervals.assign(unit=intervals["unit"].astype(str)).set_index("unit")
    for u, r in last.items():
        if u not in iv.index:
            continue
        st = styles.get(reg.get(u)) if reg is not None else None
        c = st["color"] if st else "#555555"
        ax2.plot(
            [iv.loc[u, "lo"], iv.loc[u, "hi"]],
            [r, r],
            color=c,
            lw=2.2,
            alpha=0.55,
            solid_capstyle="butt",
        )
        ax2.plot([r], [r], marker=(st["marker"] if st else "o"), ms=3.2, color=c, ls="none")
        if "median" in iv.columns:
            ax2.plot([iv.loc[u, "median"]], [r], marker="|", ms=6, color="#000000", ls="none")
        ax2.text(n + 1.5, r, names.get(u, u), ha="left", va="center", fontsize=6.5)
    ax2.set_xlim(0.5, n + 1.2)
    ax2.set_xticks([1, *range(5, n + 1, 5)])
    ax2.grid(axis="x", visible=True)
    ax2.grid(axis="y", visible=False)
    ax2.spines["left"].set_visible(False)
    ax2.tick_params(axis="y", left=False)
    ax2.set_xlabel(label("rank", language) + f" {years[-1]}")
    ax2.set_title(label("mc_interval", language), fontsize=7)


def _rank_legend(
    reg: pd.Series | None,
    regions: Sequence[str],
    styles: Mapping[str, Mapping[str, str]],
    region_labels: Mapping[str, str] | None,
    intervals: pd.DataFrame | None,
    language: str,
) -> list[Line2D]:
    """Legend entries: one per region, then the interval and median marks when drawn."""
    handles = []
    if reg is not None:
        rn = dict(region_labels or {})
        handles = [
            Line2D(
                [],
                [],
                color=styles[r]["color"],
                marker=styles[r]["marker"],
                ms=3,
                label=rn.get(r, label(r, language)),
            )
            for r in regions
        ]
    if intervals is not None:
        handles.append(
            Line2D(
                [], [], color="#777777", lw=2.2, alpha=0.55, label=label("mc_interval", language)
            )
        )
        if "median" in intervals.columns:
            handles.append(
                Line2D(
                    [],
                    [],
                    color="#000000",
                    marker="|",
                    ls="none",
                    ms=6,
                    label=label("mc_median", language),
                )
            )
    return handles


def rank_chart(
    scores: pd.DataFrame,
    *,
    column: str = "index",
    unit_labels: Mapping[str, str] | None = None,
    region_of: pd.Series | Mapping[str, str] | None = None,
    region_labels: Mapping[str, str] | None = None,
    language: str = "zh",
    order: Sequence[str] = _REGION_ORDER,
    intervals: pd.DataFrame | None = None,
) -> Figure:
    """Bump chart of provincial ranks by year (rank 1 = highest ``column``, at the top).

    Ranks use the ``min`` method on descending values (ties share the best rank). Lines are
    coloured (and marked) by region when ``region_of`` is given; names are written at both
    ends.

    Parameters
    ----------
    intervals
        Optional Monte Carlo rank intervals of the last year (columns ``unit``, ``lo``,
        ``hi`` and optionally ``median``; e.g. ``q05_rank``/``q95_rank`` of
        ``results/uncertainty/rank_intervals.csv``). They are drawn in a second panel that
        shares the rank axis: each province's interval sits on the row of its last-year
        rank, so a reader sees how far a rank can move under other defensible method
        choices.
    """
    _need(scores, ["unit", "year", column], "scores")
    wide = _rank_table(scores, column)
    years = list(wide.columns)
    n = int(wide.max().max())
    names = dict(unit_labels or {})
    reg = pd.Series(region_of).astype(str) if region_of is not None else None
    regions = _ordered(reg.unique(), order) if reg is not None else []
    styles = region_styles(regions)
    fig, ax, ax2 = _rank_figure(intervals, max(3.0, 0.16 * n + 1.0))
    _bump_lines(ax, wide, styles, reg, names, right_names=ax2 is None)
    ax.set_ylim(n + 0.7, 0.3)
    ax.set_yticks([1, *range(5, n + 1, 5)])
    ax.set_xticks(years)
    ax.set_xlim(
        years[0] - (1.6 if language == "en" else 1.1), years[-1] + (0.3 if ax2 is not None else 1.4)
    )
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.set_ylabel(label("rank_best", language))
    ax.set_xlabel(label("year", language))
    if ax2 is not None and intervals is not None:
        _interval_panel(ax2, wide, intervals, styles, reg, names, n, language)
    handles = _rank_legend(reg, regions, styles, region_labels, intervals, language)
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 6))
    return fig


def _rank_table(scores: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rank of each unit (rows) in each year (columns, ascending): 1 = highest ``column``,
    ties sharing the best rank."""
    d = scores[["unit", "year", column]].dropna().copy()
    d["unit"] = d["unit"].astype(str)
    d["rank"] = d.groupby("year")[column].rank(ascending=False, method="min").astype(int)
    return d.pivot(index="unit", columns="year", values="rank").sort_index(axis=1)


def _rank_figure(intervals: pd.DataFrame | None, height: float) -> tuple[Figure, Axes, Axes | None]:
    """The figure with the bump-chart axes and, when ``intervals`` are given, the interval
    panel sharing its rank axis."""
    w = figure_width("double")
    if intervals is None:
        fig, ax = plt.subplots(figsize=(w, height), layout="constrained")
        return fig, ax, None
    _need(intervals, ["unit", "lo", "hi"], "rank intervals")
    fig, (ax, ax2) = plt.subplots(
        1,
        2,
        figsize=(w, height),
        sharey=True,
        layout="constrained",
        gridspec_kw={"width_ratios": [2.3, 1.0]},
    )
    return fig, ax, ax2


def _bump_lines(
    ax: Axes,
    wide: pd.DataFrame,
    styles: Mapping[str, Mapping[str, str]],
    reg: pd.Series | None,
    names: Mapping[str, str],
    *,
    right_names: bool,
) -> None:
    """One line of ranks per unit, in its region's colour and marker, named at the left end
    (and at the right end when ``right_names``)."""
    years = list(wide.columns)
    for u in wide.index:
        row = wide.loc[u]
        st = styles.get(reg.get(u)) if reg is not None else None
        c = st["color"] if st else "#555555"
        mk = st["marker"] if st else "o"
        ax.plot(years, row.to_numpy(), marker=mk, ms=2.8, lw=0.9, color=c, alpha=0.95)
        if pd.notna(row.iloc[0]):
            ax.text(
                years[0] - 0.15, row.iloc[0], names.get(u, u), ha="right", va="center", fontsize=6.5
            )
        if pd.notna(row.iloc[-1]) and right_names:
            ax.text(
                years[-1] + 0.15,
                row.iloc[-1],
                names.get(u, u),
                ha="left",
                va="center",
                fontsize=6.5,
            )
