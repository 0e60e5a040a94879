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
from greenindex.figures.style import OKABE_ITO, figure_width, label, region_styles

__all__ = [
    "decomposition_bars",
    "kde_curves",
    "rank_chart",
    "region_trend_chart",
    "weights_by_method",
]

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
    order: Sequence[str] = _REGION_ORDER,
) -> Figure:
    """Regional mean index by year, with the spread of the region's provinces shaded.

    Regions are drawn in ``order`` (``regions.order``) with the colours and markers of
    :func:`greenindex.figures.style.region_styles`, the same in every figure.

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
    w = figure_width("single")
    fig, ax = plt.subplots(figsize=(w, w * 0.78), layout="constrained")
    regions = _ordered(region_means["region"].astype(str), order)
    styles = region_styles([r for r in regions if r != "national"] + ["national"])
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
    for r in regions:
        d = region_means[region_means["region"].astype(str) == r].sort_values("year")
        c = styles[r]["color"]
        ax.plot(
            d["year"],
            d["mean"],
            marker=styles[r]["marker"] or None,
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
    ax.set_xticks(
        years, [str(y) if len(years) <= 6 or (y - years[0]) % 2 == 0 else "" for y in years]
    )
    ax.set_xlabel(label("year", language))
    ax.set_ylabel(ylabel or label("region_mean", language))
    handles, labels_ = ax.get_legend_handles_labels()
    if band is not None:
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor="#999999", alpha=0.25, lw=0))
        labels_.append(label("province_range" if spread == "range" else "province_iqr", language))
    ax.legend(handles, labels_, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3)
    return fig


def national_components(
    table: pd.DataFrame, mapping: Mapping[str, str], column: str
) -> pd.DataFrame:
    """The national rows of a tidy disparity table (``region, year, statistic, value``) as
    ``year, component, <column>``, with ``mapping``: statistic -> component name."""
    t = table[(table["region"] == "national") & table["statistic"].isin(list(mapping))]
    out = t.assign(component=t["statistic"].map(mapping)).rename(columns={"value": column})
    return out[["year", "component", column]]


def rank_interval_frame(rank_intervals: pd.DataFrame, year: int) -> pd.DataFrame:
    """``unit, lo, hi, median`` of the Monte Carlo rank intervals in ``year`` (the outermost
    quantile columns ``q*_rank``), for :func:`rank_chart`."""
    ri = rank_intervals[rank_intervals["year"] == year]
    qs = sorted(c for c in ri.columns if c.startswith("q") and c.endswith("_rank"))
    ri = ri.rename(columns={qs[0]: "lo", qs[-1]: "hi", "median_rank": "median"})
    return ri[["unit", "lo", "hi", "median"]]


def indicator_weights(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``indicator, method, weight``: the effective indicator weights of every variant (the
    workflow's ``effective_weights.csv`` per variant), for :func:`weights_by_method`."""
    frames = []
    for variant, w in tables.items():
        w = w[w["type"] == "indicator"]
        frames.append(
            pd.DataFrame(
                {
                    "indicator": w["node"],
                    "method": variant,
                    "weight": w["effective_weight"].astype(float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


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
    d = scores[["unit", "year", column]].dropna().copy()
    d["unit"] = d["unit"].astype(str)
    d["rank"] = d.groupby("year")[column].rank(ascending=False, method="min").astype(int)
    wide = d.pivot(index="unit", columns="year", values="rank").sort_index(axis=1)
    years = list(wide.columns)
    n = int(wide.max().max())
    names = dict(unit_labels or {})
    reg = pd.Series(region_of).astype(str) if region_of is not None else None
    regions = _ordered(reg.unique(), order) if reg is not None else []
    styles = region_styles(regions)
    w = figure_width("double")
    h = max(3.0, 0.16 * n + 1.0)
    if intervals is not None:
        _need(intervals, ["unit", "lo", "hi"], "rank intervals")
        fig, (ax, ax2) = plt.subplots(
            1,
            2,
            figsize=(w, h),
            sharey=True,
            layout="constrained",
            gridspec_kw={"width_ratios": [2.3, 1.0]},
        )
    else:
        fig, ax = plt.subplots(figsize=(w, h), layout="constrained")
        ax2 = None
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
        if pd.notna(row.iloc[-1]) and ax2 is None:
            ax.text(
                years[-1] + 0.15,
                row.iloc[-1],
                names.get(u, u),
                ha="left",
                va="center",
                fontsize=6.5,
            )
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
    from matplotlib.lines import Line2D

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
    if ax2 is not None:
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
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 6))
    return fig


def decomposition_bars(
    contributions: pd.DataFrame,
    *,
    value: str = "share",
    component_labels: Mapping[str, str] | None = None,
    title: str | None = None,
    percent: bool = True,
    language: str = "zh",
    levels: pd.DataFrame | None = None,
    level_labels: Mapping[str, str] | None = None,
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
    levels
        Optional levels of the total and its components (columns ``year``, ``component``,
        ``level``), drawn as lines in a left panel beside the shares: a falling share can
        hide a rising level, so both are shown.
    """
    _need(contributions, ["year", "component", value], "decomposition")
    wide = contributions.pivot_table(
        index="year", columns="component", values=value, aggfunc="first"
    ).sort_index()
    comps = _ordered(wide.columns.astype(str), ("within", "between", "transvariation"))
    wide = wide[comps] * (100.0 if percent else 1.0)
    names = dict(component_labels or {})
    w = figure_width("double" if levels is not None else "single")
    if levels is not None:
        _need(levels, ["year", "component", "level"], "decomposition levels")
        fig, (lax, ax) = plt.subplots(1, 2, figsize=(w, w * 0.36), layout="constrained")
    else:
        fig, ax = plt.subplots(figsize=(w, w * 0.62), layout="constrained")
        lax = None
    colors = ["#0072B2", "#E69F00", "#CC79A7", "#009E73", "#56B4E9"]
    hatches = ["", "////", "...."]
    bottom = np.zeros(len(wide))
    x = np.arange(len(wide))
    for i, comp in enumerate(comps):
        v = wide[comp].fillna(0.0).to_numpy()
        bars = ax.bar(
            x,
            v,
            bottom=bottom,
            color=colors[i % len(colors)],
            hatch=hatches[i % len(hatches)],
            edgecolor="white",
            lw=0.4,
            width=0.66,
            label=names.get(comp, label(comp, language)),
        )
        for rect, val, b0 in zip(bars, v, bottom, strict=True):
            if val >= (8 if percent else 0.08 * wide.to_numpy().sum(axis=1).max()):
                ax.text(
                    rect.get_x() + rect.get_width() / 2,
                    b0 + val / 2,
                    f"{val:.0f}",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="white" if i == 0 else "#000000",
                    bbox={"boxstyle": "round,pad=0.1", "fc": colors[i % len(colors)], "ec": "none"},
                )
        bottom = bottom + v
    ticks = [str(y) if len(wide) <= 6 or k % 2 == 0 else "" for k, y in enumerate(wide.index)]
    ax.set_xticks(x, ticks)
    ax.set_xlabel(label("year", language))
    ax.set_ylabel(label("contribution", language) if percent else value)
    ax.set_ylim(0, 100 if percent else None)
    if title and lax is None:
        ax.set_title(title)
    if lax is not None and levels is not None:
        lv = levels.pivot_table(
            index="year", columns="component", values="level", aggfunc="first"
        ).sort_index()
        lnames = dict(level_labels or {})
        order = ["total", *comps]
        styles = {"total": ("#000000", "-", "o")}
        for i, comp in enumerate(comps):
            styles[comp] = (colors[i % len(colors)], "--", ["s", "^", "D"][i % 3])
        for comp in [c for c in order if c in lv.columns]:
            c, ls, mk = styles[comp]
            lax.plot(
                lv.index,
                lv[comp],
                color=c,
                ls=ls,
                marker=mk,
                ms=2.8,
                label=lnames.get(comp, names.get(comp, label(comp, language))),
            )
        yrs = list(lv.index)
        lax.set_xticks(
            yrs, [str(y) if len(yrs) <= 6 or k % 2 == 0 else "" for k, y in enumerate(yrs)]
        )
        lax.set_xlabel(label("year", language))
        lax.set_ylabel(label("level", language))
        lax.set_ylim(bottom=0)
        lax.set_title(
            f"{title} · {label('level', language)}" if title else label("level", language),
            fontsize=7.5,
        )
        ax.set_title(
            f"{title} · {label('share', language)}" if title else label("share", language),
            fontsize=7.5,
        )
        # one legend for both panels: the total's line, then each component (its bar colour and
        # hatch; the same colour and a marker in the level panel)
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles = [
            Line2D(
                [],
                [],
                color="#000000",
                marker="o",
                ms=2.8,
                label=lnames.get("total", label("total", language)),
            )
        ]
        for i, comp in enumerate(comps):
            handles.append(
                Patch(
                    facecolor=colors[i % len(colors)],
                    hatch=hatches[i % len(hatches)],
                    edgecolor="white",
                    label=names.get(comp, label(comp, language)),
                )
            )
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=len(comps))
    return fig


def kde_curves(
    density: pd.DataFrame,
    *,
    years: Sequence[int] | None = None,
    language: str = "zh",
    xlabel: str | None = None,
    support: Sequence[float] | None = None,
) -> Figure:
    """Kernel density curves of the provincial index, a few years (line style and grey level
    = year, so the curves stay apart in greyscale and for colour-blind readers).

    Parameters
    ----------
    density
        Columns ``year``, ``x``, ``density``: the estimated density on a grid per year
        (Gaussian kernel, Silverman bandwidth, reflection at the index bounds, from
        :func:`greenindex.analysis.convergence.kernel_density`).
    years
        Years drawn (default: all; more than four curves are hard to tell apart).
    support
        Bounds of the index: the x axis stops there (the reflected density is zero outside).
    """
    _need(density, ["year", "x", "density"], "kernel density")
    all_years = sorted(density["year"].astype(int).unique())
    years = list(years) if years is not None else all_years
    w = figure_width("single")
    fig, ax = plt.subplots(figsize=(w, w * 0.66), layout="constrained")
    dashes = ["-", "--", "-.", ":"]
    greys = np.linspace(0.62, 0.0, max(2, len(years)))
    for i, y in enumerate(years):
        d = density[density["year"].astype(int) == int(y)].sort_values("x")
        if d.empty:
            raise InputError(
                f"no density values for year {y}", fix="choose years present in the density table."
            )
        c = OKABE_ITO[0] if i == len(years) - 1 else str(round(float(greys[i]), 3))
        ax.plot(d["x"], d["density"], color=c, lw=1.2, ls=dashes[i % len(dashes)], label=str(y))
    if support is not None:
        ax.set_xlim(float(support[0]), float(support[1]))
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
    main: str | None = None,
) -> Figure:
    """Grouped horizontal bars of indicator weights under each weighting method.

    Methods whose weight vectors are identical (entropy and entropy-TOPSIS share the entropy
    weights) are drawn once, with both names in the legend. The ``main`` method is marked
    with ★ and a black outline. Colours are Okabe-Ito, with hatches for greyscale print.

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
    if main in methods:
        methods = [main] + [m for m in methods if m != main]
    wide = wide.reindex(index=indicators, columns=methods)
    ilab = dict(indicator_labels or {})
    mlab = dict(method_labels or {})

    def name(m: str) -> str:
        return mlab.get(m, label(m, language))

    groups: list[list[str]] = []
    for m in methods:
        for g in groups:
            if np.allclose(
                wide[g[0]].to_numpy(), wide[m].to_numpy(), rtol=0, atol=1e-12, equal_nan=True
            ):
                g.append(m)
                break
        else:
            groups.append([m])
    n, k = len(indicators), len(groups)
    w = figure_width("double")
    fig, ax = plt.subplots(figsize=(w, max(2.6, 0.12 * n * k + 1.0)), layout="constrained")
    h = 0.84 / k
    y = np.arange(n)
    for j, g in enumerate(groups):
        is_main = main in g
        text = " = ".join(name(m) for m in g)
        ax.barh(
            y - 0.42 + h * (j + 0.5),
            wide[g[0]].to_numpy(),
            height=h,
            color=OKABE_ITO[j % 7],
            hatch=_HATCHES[j % len(_HATCHES)],
            edgecolor="#000000" if is_main else "white",
            lw=0.8 if is_main else 0.3,
            label=(
                "★ "
                + text
                + (
                    f"（{label('main_variant', language)}）"
                    if language == "zh"
                    else f" ({label('main_variant', language)})"
                )
            )
            if is_main
            else text,
        )
    ax.set_yticks(y, [ilab.get(i, i) for i in indicators])
    ax.invert_yaxis()
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("weight", language))
    # below the plot: the derived variant labels are long and would cover the bars
    fig.legend(loc="outside lower center", ncols=1, frameon=False)
    return fig
