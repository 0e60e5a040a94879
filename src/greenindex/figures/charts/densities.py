"""Kernel density curves of the province index in selected years."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from greenindex.errors import InputError
from greenindex.figures.charts.common import _need
from greenindex.figures.style import OKABE_ITO, figure_width, label

__all__ = ["kde_curves"]


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
