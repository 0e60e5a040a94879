"""The composition-stable basis of the panel analyses (``dynamics.basis``) and the
composition breaks in notes and on charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from greenindex.analysis.composition.status import (
    common_indicators,
    composition_breaks,
    year_composition,
)
from greenindex.errors import ConfigError
from greenindex.index.framework import Framework

BASES = ("panel_consistent", "full_years", "mixed")


@dataclass
class DynamicsBasis:
    """The scores the panel analyses use, and what they rest on."""

    scores: pd.DataFrame
    basis: str
    indicators: list[str]
    excluded: list[str]
    years: list[int]
    breaks: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)


def _consistent_index(
    data: pd.DataFrame, fw: Framework, methods: Mapping[str, Any], years: Sequence[int]
) -> tuple[pd.DataFrame, Any]:
    """The index over the common indicators ``data`` (tree ``fw``) with the variant's methods,
    in the analysed ``years``, and its weights (``WeightResult``)."""
    from greenindex.index.pipeline import (
        aggregate_from_config,
        normalise_from_config,
        weight_basis,
        weights_from_config,
    )

    z, _ = normalise_from_config(data, fw.direction, methods.get("normalise"))
    wsec = dict(methods.get("weights") or {})
    user = {k: v for k, v in (wsec.get("user") or {}).items() if k in fw.parent}
    wsec["user"] = user
    wb = weight_basis(data, fw.direction, str(wsec.get("scope", "pooled")))
    w = weights_from_config(wb, fw, wsec, raw=data)
    recomputed = aggregate_from_config(z, fw, w.weights, methods.get("aggregate"))
    return recomputed[recomputed.index.get_level_values("year").isin(years)], w


def _comparison(full: pd.Series, consistent: pd.Series, w: Any, fw: Framework) -> dict[str, Any]:
    """The consistent index against the full one (correlations) and its effective weights."""
    info: dict[str, Any] = {}
    both = pd.concat([full.rename("full"), consistent.rename("consistent")], axis=1).dropna()
    if len(both) > 2:
        info["correlation_with_full_index"] = float(both["full"].corr(both["consistent"]))
        info["rank_correlation_with_full_index"] = float(
            both["full"].corr(both["consistent"], method="spearman")
        )
    info["effective_weights"] = (
        {
            str(r.node): float(r.effective_weight)
            for r in w.effective.itertuples()
            if r.node in fw.indicators
        }
        if "year" not in w.effective.columns
        else {}
    )
    return info


def dynamics_basis(
    scores: pd.DataFrame,
    treated: pd.DataFrame,
    status: pd.DataFrame,
    framework: Framework,
    methods: Mapping[str, Any],
    years: Sequence[int],
    basis: str = "panel_consistent",
) -> DynamicsBasis:
    """Scores for the panel analyses on a composition-stable basis.

    Parameters
    ----------
    scores
        The full index of the variant (all nodes, ``(unit, year)`` index).
    treated
        The treated panel (input of normalisation and weights).
    status
        :func:`cell_status`.
    framework
        The index tree of the full index.
    methods
        The variant's ``normalise``, ``weights``, ``aggregate`` sections.
    years
        The analysed years (``disparity.period``).
    basis
        ``panel_consistent``, ``full_years`` or ``mixed`` (module docstring).

    Raises
    ------
    ConfigError
        Unknown basis, no indicator present in every analysed year, or no year with the full
        composition.
    """
    if basis not in BASES:
        raise ConfigError("dynamics.basis", f"unknown basis '{basis}'", f"use one of {BASES}")
    years = [int(y) for y in years]
    inds = [i for i in framework.indicators if i in treated.columns]
    breaks = composition_breaks(status[status["indicator"].isin(inds)], years)
    yr = scores.index.get_level_values("year")
    in_years = scores[yr.isin(years)]
    common = common_indicators(status[status["indicator"].isin(inds)], years)
    excluded = [i for i in inds if i not in common]
    info: dict[str, Any] = {"basis": basis}
    if basis == "mixed" or not excluded:
        return DynamicsBasis(in_years, basis, inds, [], years, breaks, info)
    if basis == "full_years":
        comp = year_composition(status[status["indicator"].isin(inds)], years)
        full = [int(y) for y, c in comp.items() if set(c) == set(inds)]
        if not full:
            raise ConfigError(
                "dynamics.basis",
                "no analysed year has every indicator",
                "use panel_consistent, or a shorter disparity.period",
            )
        kept = in_years[in_years.index.get_level_values("year").isin(full)]
        return DynamicsBasis(kept, basis, inds, [], full, breaks.iloc[0:0], info)
    if not common:
        raise ConfigError(
            "dynamics.basis",
            f"no indicator is present in every year {years[0]}-{years[-1]}",
            "use full_years or mixed, or a shorter disparity.period",
        )
    fw = framework.subset(common)
    recomputed, w = _consistent_index(treated[common], fw, methods, years)
    # the consistent index has one composition in every year: no break to mark; the breaks of
    # the full index are recorded for the method record
    info["full_index_breaks"] = breaks.to_dict("records")
    breaks = breaks.iloc[0:0]
    info.update(_comparison(scores[framework.root], recomputed[framework.root], w, fw))
    return DynamicsBasis(recomputed, basis, common, excluded, years, breaks, info)


def break_note(breaks: pd.DataFrame, names: Mapping[str, str], language: str = "en") -> str:
    """Sentence naming the composition breaks of a mixed basis ('' when there are none)."""
    if breaks.empty:
        return ""
    parts = []
    for r in breaks.itertuples():
        ent = ", ".join(names.get(i, i) for i in str(r.entered).split("+") if i)
        lft = ", ".join(names.get(i, i) for i in str(r.left).split("+") if i)
        if language == "zh":
            s = f"{r.year} 年" + (f"新增 {ent}" if ent else "") + (f"，退出 {lft}" if lft else "")
        else:
            s = f"{r.year}: " + (f"{ent} enter" if ent else "") + (f"; {lft} leave" if lft else "")
        parts.append(s)
    if language == "zh":
        return (
            "注意：指标构成在以下年份发生变化，跨越这些年份的变化部分来自构成变化而非真实变化："
            + "；".join(parts)
            + "。"
        )
    return (
        "Caution: the indicator set changes in "
        + "; ".join(parts)
        + ". Changes across these years are partly changes of composition, not of the index."
    )


def mark_breaks(fig: Any, years: Sequence[int], language: str = "en") -> None:
    """Draw a dashed vertical line at each composition break on every axes of ``fig`` whose
    x axis spans the year (time-series charts), labelled "composition change"."""
    label = "构成变化" if language == "zh" else "composition change"
    for ax in fig.axes:
        lo, hi = sorted(ax.get_xlim())
        for y in years:
            x = float(y) - 0.5
            if lo < x < hi and hi - lo < 200:  # year axes only
                ax.axvline(x, color="0.35", linestyle="--", linewidth=0.8, zorder=0.5)
                ax.annotate(
                    label,
                    (x, 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(2, -2),
                    textcoords="offset points",
                    ha="left",
                    va="top",
                    fontsize=6,
                    color="0.35",
                )
