"""Stacked bars of the contributions to an inequality decomposition (Dagum, Theil), by year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from greenindex.figures.charts.common import _need, _ordered
from greenindex.figures.style import figure_width, label

__all__ = ["decomposition_bars"]


#: Component colours and hatches of the bars (greyscale print keeps the parts apart).
_COLORS = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#56B4E9")
_BAR_HATCHES = ("", "////", "....")


def _stacked_bars(
    ax: Axes,
    wide: pd.DataFrame,
    comps: Sequence[str],
    names: Mapping[str, str],
    percent: bool,
    language: str,
) -> np.ndarray:
    """One stacked bar per year (components in ``comps`` order), large parts labelled with
    their value; returns the bar positions."""
    bottom = np.zeros(len(wide))
    x = np.arange(len(wide))
    for i, comp in enumerate(comps):
        v = wide[comp].fillna(0.0).to_numpy()
        bars = ax.bar(
            x,
            v,
            bottom=bottom,
            color=_COLORS[i % len(_COLORS)],
            hatch=_BAR_HATCHES[i % len(_BAR_HATCHES)],
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
                    bbox={
                        "boxstyle": "round,pad=0.1",
                        "fc": _COLORS[i % len(_COLORS)],
                        "ec": "none",
                    },
                )
        bottom = bottom + v
    return x


def _level_panel(
    fig: Figure,
    ax: Axes,
    lax: Axes,
    levels: pd.DataFrame,
    comps: Sequence[str],
    names: Mapping[str, str],
    level_labels: Mapping[str, str] | None,
    title: str | None,
    language: str,
) -> None:
    """Left panel: the levels of the total and of each component over the years, and one
    legend for both panels."""
    lv = levels.pivot_table(
        index="year", columns="component", values="level", aggfunc="first"
    ).sort_index()
    lnames = dict(level_labels or {})
    order = ["total", *comps]
    styles = {"total": ("#000000", "-", "o")}
    for i, comp in enumerate(comps):
        styles[comp] = (_COLORS[i % len(_COLORS)], "--", ["s", "^", "D"][i % 3])
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
    lax.set_xticks(yrs, [str(y) if len(yrs) <= 6 or k % 2 == 0 else "" for k, y in enumerate(yrs)])
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
                facecolor=_COLORS[i % len(_COLORS)],
                hatch=_BAR_HATCHES[i % len(_BAR_HATCHES)],
                edgecolor="white",
                label=names.get(comp, label(comp, language)),
            )
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))


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
    x = _stacked_bars(ax, wide, comps, names, percent, language)
    ticks = [str(y) if len(wide) <= 6 or k % 2 == 0 else "" for k, y in enumerate(wide.index)]
    ax.set_xticks(x, ticks)
    ax.set_xlabel(label("year", language))
    ax.set_ylabel(label("contribution", language) if percent else value)
    ax.set_ylim(0, 100 if percent else None)
    if title and lax is None:
        ax.set_title(title)
    if lax is not None and levels is not None:
        _level_panel(fig, ax, lax, levels, comps, names, level_labels, title, language)
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=len(comps))
    return fig
