"""Charts: region trends, rank (bump) chart, decomposition bars, kernel densities, weights.

Each function takes tidy pandas tables and keyword options and returns a
:class:`matplotlib.figure.Figure`; draw inside :func:`greenindex.figures.style.style_context` and save
with :func:`greenindex.figures.style.save_figure`. No statistics are computed here beyond what a
chart shows (ranks, province spreads); decompositions and densities come from
:mod:`greenindex.analysis.disparity` and are only drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from greenindex.errors import InputError
from greenindex.figures.style import label

__all__ = [
    "decomposition_bars",
    "kde_curves",
    "rank_chart",
    "region_trend_chart",
    "weights_by_method",
]

_REGION_ORDER = ("east", "central", "west", "northeast")


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


def region_trend_chart(
    region_means: pd.DataFrame,
    *,
    scores: pd.DataFrame | None = None,
    region_of: pd.Series | Mapping[str, str] | None = None,
    column: str = "index",
    spread: str = "range",
    region_labels: Mapping[str, str] | None = None,
    language: str = "zh",
    ylabel: str | None = None,
) -> Figure:
    """Regional mean index by year, with the spread of the region's provinces shaded.

    Parameters
    ----------
    region_means
        Columns ``year``, ``region``, ``mean`` (``results/regional/<variant>/region_means.csv``);
        with ``min`` and ``max`` columns these give the band when ``scores`` is not given.
    scores, region_of
        Optional province scores (columns ``unit``, ``year``, ``column``) and unit -> region;
        when given, each region's band spans its provinces' minimum to maximum
        (``spread="range"``) or 25th to 75th percentile (``spread="iqr"``).
    """
    _need(region_means, ["year", "region", "mean"], "region means")
    if spread not in ("range", "iqr"):
        raise InputError(f"unknown spread '{spread}'", fix="use 'range' or 'iqr'.")
    names = dict(region_labels or {})
    fig, ax = plt.subplots(figsize=(6.0, 3.8), layout="constrained")
    regions = _ordered(region_means["region"].astype(str))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    band = None
    if scores is not None and region_of is not None:
        _need(scores, ["unit", "year", column], "scores")
        reg = pd.Series(region_of).astype(str)
        s = scores.assign(region=scores["unit"].astype(str).map(reg)).dropna(
            subset=["region", column]
        )
        lo_q, hi_q = (0.0, 1.0) if spread == "range" else (0.25, 0.75)
        g = s.groupby(["region", "year"])[column]
        band = pd.DataFrame({"lo": g.quantile(lo_q), "hi": g.quantile(hi_q)})
    elif spread == "range" and {"min", "max"} <= set(region_means.columns):
        rm = region_means.assign(region=region_means["region"].astype(str))
        band = rm.set_index(["region", "year"])[["min", "max"]].rename(
            columns={"min": "lo", "max": "hi"}
        )
    regions = [r for r in regions if r != "national"] + (
        ["national"] if "national" in regions else []
    )
    for i, r in enumerate(regions):
        d = region_means[region_means["region"].astype(str) == r].sort_values("year")
        c = colors[i % len(colors)] if r != "national" else "#222222"
        ax.plot(
            d["year"],
            d["mean"],
            marker="o" if r != "national" else None,
            ls="-" if r != "national" else "--",
            color=c,
            label=names.get(r, label(r, language)),
            zorder=3,
        )
        # the national line is the reference: no band (it would cover the regions' bands)
        if band is not None and r != "national" and r in band.index.get_level_values(0):
            b = band.loc[r].sort_index()
            ax.fill_between(b.index, b["lo"], b["hi"], color=c, alpha=0.12, lw=0, zorder=1)
    years = sorted(region_means["year"].astype(int).unique())
    ax.set_xticks(years)
    ax.set_xlabel(label("year", language))
    ax.set_ylabel(ylabel or label("region_mean", language))
    handles, labels_ = ax.get_legend_handles_labels()
    if band is not None:
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor="#999999", alpha=0.25, lw=0))
        labels_.append(label("province_range" if spread == "range" else "province_iqr", language))
    ax.legend(handles, labels_, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def rank_chart(
    scores: pd.DataFrame,
    *,
    column: str = "index",
    unit_labels: Mapping[str, str] | None = None,
    region_of: pd.Series | Mapping[str, str] | None = None,
    region_labels: Mapping[str, str] | None = None,
    language: str = "zh",
) -> Figure:
    """Bump chart of provincial ranks by year (rank 1 = highest ``column``, at the top).

    Ranks use the ``min`` method on descending values (ties share the best rank). Lines are
    coloured by region when ``region_of`` is given; names are written at both ends.
    """
    _need(scores, ["unit", "year", column], "scores")
    d = scores[["unit", "year", column]].dropna().copy()
    d["unit"] = d["unit"].astype(str)
    d["rank"] = d.groupby("year")[column].rank(ascending=False, method="min").astype(int)
    wide = d.pivot(index="unit", columns="year", values="rank").sort_index(axis=1)
    years = list(wide.columns)
    n = int(wide.max().max())
    names = dict(unit_labels or {})
    reg = pd.Series(region_of).astype(str) if region_of is not None else None
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    regions = _ordered(reg.unique()) if reg is not None else []
    rcol = {r: colors[i % len(colors)] for i, r in enumerate(regions)}
    fig, ax = plt.subplots(figsize=(6.0, max(4.0, 0.19 * n + 1.0)), layout="constrained")
    for u in wide.index:
        row = wide.loc[u]
        c = rcol.get(reg.get(u), "#555555") if reg is not None else "#555555"
        ax.plot(years, row.to_numpy(), marker="o", ms=3, lw=1.0, color=c, alpha=0.9)
        if pd.notna(row.iloc[0]):
            ax.text(
                years[0] - 0.12, row.iloc[0], names.get(u, u), ha="right", va="center", fontsize=6.5
            )
        if pd.notna(row.iloc[-1]):
            ax.text(
                years[-1] + 0.12,
                row.iloc[-1],
                names.get(u, u),
                ha="left",
                va="center",
                fontsize=6.5,
            )
    ax.set_ylim(n + 0.7, 0.3)
    ax.set_yticks([1, *range(5, n + 1, 5)])
    ax.set_xticks(years)
    ax.set_xlim(years[0] - 0.9, years[-1] + 0.9)
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.set_ylabel(label("rank", language))
    ax.set_xlabel(label("year", language))
    if reg is not None:
        from matplotlib.lines import Line2D

        rn = dict(region_labels or {})
        handles = [
            Line2D([], [], color=rcol[r], marker="o", ms=3, label=rn.get(r, label(r, language)))
            for r in regions
        ]
        ax.legend(
            handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=len(handles)
        )
    return fig


def decomposition_bars(
    contributions: pd.DataFrame,
    *,
    value: str = "share",
    component_labels: Mapping[str, str] | None = None,
    title: str | None = None,
    percent: bool = True,
    language: str = "zh",
) -> Figure:
    """Stacked bars of the contribution of each component to total inequality by year.

    For the Theil index the components are ``within`` and ``between`` (Shorrocks 1980); for
    the Dagum Gini ``within`` (G_w), ``between`` (net, G_nb) and ``transvariation`` (G_t)
    (Dagum 1997, *Empirical Economics* 22, 515-531). Shares are drawn as given; with
    ``percent`` they are expected as fractions and shown x100.

    Parameters
    ----------
    contributions
        Columns ``year``, ``component`` and ``value`` (default ``share``).
    """
    _need(contributions, ["year", "component", value], "decomposition")
    wide = contributions.pivot_table(
        index="year", columns="component", values=value, aggfunc="first"
    ).sort_index()
    comps = _ordered(wide.columns.astype(str), ("within", "between", "transvariation"))
    wide = wide[comps] * (100.0 if percent else 1.0)
    names = dict(component_labels or {})
    fig, ax = plt.subplots(figsize=(6.0, 3.4), layout="constrained")
    colors = ["#1b7837", "#a6dba0", "#e08214", "#762a83", "#2166ac"]
    bottom = np.zeros(len(wide))
    x = np.arange(len(wide))
    for i, comp in enumerate(comps):
        v = wide[comp].fillna(0.0).to_numpy()
        bars = ax.bar(
            x,
            v,
            bottom=bottom,
            color=colors[i % len(colors)],
            width=0.62,
            label=names.get(comp, label(comp, language)),
        )
        for rect, val, b0 in zip(bars, v, bottom, strict=True):
            if val >= (6 if percent else 0.06 * wide.to_numpy().sum(axis=1).max()):
                ax.text(
                    rect.get_x() + rect.get_width() / 2,
                    b0 + val / 2,
                    f"{val:.1f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if i == 0 else "#222222",
                )
        bottom = bottom + v
    ax.set_xticks(x, [str(y) for y in wide.index])
    ax.set_xlabel(label("year", language))
    ax.set_ylabel(label("contribution", language) if percent else value)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def kde_curves(
    density: pd.DataFrame,
    *,
    years: Sequence[int] | None = None,
    language: str = "zh",
    xlabel: str | None = None,
    cmap: str = "viridis",
) -> Figure:
    """Kernel density curves of the provincial index, one per year (colour = year).

    Parameters
    ----------
    density
        Columns ``year``, ``x``, ``density``: the estimated density on a grid per year
        (e.g. Gaussian kernel, Silverman bandwidth, from :mod:`greenindex.analysis.convergence`).
    """
    _need(density, ["year", "x", "density"], "kernel density")
    all_years = sorted(density["year"].astype(int).unique())
    years = list(years) if years is not None else all_years
    cm = plt.get_cmap(cmap)
    fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
    for i, y in enumerate(years):
        d = density[density["year"].astype(int) == int(y)].sort_values("x")
        if d.empty:
            raise InputError(
                f"no density values for year {y}", fix="choose years present in the density table."
            )
        c = cm(0.05 + 0.85 * (i / max(1, len(years) - 1)))
        ax.plot(d["x"], d["density"], color=c, lw=1.3, label=str(y))
    ax.set_xlabel(xlabel or label("index", language))
    ax.set_ylabel(label("density", language))
    ax.set_ylim(bottom=0)
    ax.legend(title=label("year", language), loc="upper right")
    return fig


def weights_by_method(
    weights: pd.DataFrame,
    *,
    indicator_labels: Mapping[str, str] | None = None,
    method_labels: Mapping[str, str] | None = None,
    language: str = "zh",
) -> Figure:
    """Grouped horizontal bars of indicator weights under each weighting method.

    Parameters
    ----------
    weights
        Columns ``indicator``, ``method``, ``weight`` (effective weight of each indicator in
        the index, so the weights of one method sum to 1).
    """
    _need(weights, ["indicator", "method", "weight"], "weights")
    wide = weights.pivot_table(
        index="indicator", columns="method", values="weight", aggfunc="first"
    )
    indicators = list(dict.fromkeys(weights["indicator"].astype(str)))
    methods = list(dict.fromkeys(weights["method"].astype(str)))
    wide = wide.reindex(index=indicators, columns=methods)
    ilab = dict(indicator_labels or {})
    mlab = dict(method_labels or {})
    n, m = len(indicators), len(methods)
    fig, ax = plt.subplots(figsize=(6.0, max(3.0, 0.16 * n * m + 0.8)), layout="constrained")
    h = 0.8 / m
    y = np.arange(n)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for j, meth in enumerate(methods):
        ax.barh(
            y - 0.4 + h * (j + 0.5),
            wide[meth].to_numpy(),
            height=h,
            color=colors[j % len(colors)],
            label=mlab.get(meth, label(meth, language)),
        )
    ax.set_yticks(y, [ilab.get(i, i) for i in indicators])
    ax.invert_yaxis()
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("weight", language))
    # below the plot: the derived variant labels are long and would cover the bars
    fig.legend(loc="outside lower center", ncols=1, frameon=False)
    return fig
