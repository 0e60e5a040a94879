"""Region trend chart: region means over the years with the province spread."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from greenindex.errors import InputError
from greenindex.figures.charts.common import _REGION_ORDER, _need, _ordered
from greenindex.figures.style import figure_width, label, region_styles

__all__ = ["region_trend_chart"]


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
    band = _province_band(region_means, scores, region_of, column, spread)
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


def _province_band(
    region_means: pd.DataFrame,
    scores: pd.DataFrame | None,
    region_of: pd.Series | Mapping[str, str] | None,
    column: str,
    spread: str,
) -> pd.DataFrame | None:
    """``lo``, ``hi`` of each region's band by ``(region, year)``: the provinces' range or
    interquartile range from ``scores``, else the ``min`` and ``max`` columns of the region
    means (range only); None when neither is available."""
    if scores is not None and region_of is not None:
        _need(scores, ["unit", "year", column], "scores")
        reg = pd.Series(region_of).astype(str)
        s = scores.assign(region=scores["unit"].astype(str).map(reg)).dropna(
            subset=["region", column]
        )
        lo_q, hi_q = (0.0, 1.0) if spread == "range" else (0.25, 0.75)
        g = s.groupby(["region", "year"])[column]
        return pd.DataFrame({"lo": g.quantile(lo_q), "hi": g.quantile(hi_q)})
    if spread == "range" and {"min", "max"} <= set(region_means.columns):
        rm = region_means.assign(region=region_means["region"].astype(str))
        return rm.set_index(["region", "year"])[["min", "max"]].rename(
            columns={"min": "lo", "max": "hi"}
        )
    return None
