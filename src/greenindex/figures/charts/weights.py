"""Indicator weights of every weighting method side by side."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from greenindex.figures.charts.common import _HATCHES, _need
from greenindex.figures.style import OKABE_ITO, figure_width, label

__all__ = ["weights_by_method"]


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

    groups = _identical_groups(wide, methods)
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


def _identical_groups(wide: pd.DataFrame, methods: list[str]) -> list[list[str]]:
    """``methods`` grouped by identical weight vectors (columns of ``wide``), in order of
    first appearance."""
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
    return groups
