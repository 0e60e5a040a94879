"""What each index value rests on: the composition of every unit-year, the data year actually
used, the share of the index resting on imputed cells, and a composition-stable basis for the
panel analyses.

Cell status (:func:`cell_status`), from the treated panel and the treatment flags:

- ``observed``: a value of the year itself (outlier treatment keeps a cell observed);
- ``interpolated``: linear interpolation between two observed years of the unit;
- ``carried``: the nearest observed year's value carried forward or back (edge gaps);
- ``imputed``: a group mean;
- ``absent``: no value (the indicator does not enter that unit-year's index; the aggregation
  rescales the remaining weights).

The **composition** of a unit-year is the set of indicators entering it (every status but
``absent``). Comparing index values built from different compositions reads a change of
composition as a change of the index (an indicator entering in 2015 moves every province by
its weight times the gap between its score and the average of the others). The panel
analyses (trends, convergence, kernel densities, Theil/Dagum and Moran over time) therefore
use a composition-stable basis (``dynamics.basis``):

- ``panel_consistent`` (default): the index recomputed with the same methods over the
  indicators present in every analysed unit-year (:func:`consistent_scores`);
- ``full_years``: the full index, restricted to the years whose composition equals the full
  set of indicators;
- ``mixed``: the full index over all years as it is; the years where the composition changes
  are reported as breaks (:func:`composition_breaks`) and marked on the charts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError
from greenindex.index.framework import Framework

STATUSES = ("observed", "interpolated", "carried", "imputed", "absent")
BASES = ("panel_consistent", "full_years", "mixed")
_IMPUTE_STATUS = {
    "linear": "interpolated",
    "nearest": "carried",
    "group_mean": "imputed",
    "group_year_mean": "imputed",
}


def cell_status(treated: pd.DataFrame, flags: pd.DataFrame | None) -> pd.DataFrame:
    """Status and data year of every (unit, year, indicator) cell.

    Parameters
    ----------
    treated
        Treated panel indexed by ``(unit, year)``, a column per indicator (NaN = absent).
    flags
        ``results/treat/flags.csv``: ``unit, year, indicator, step, method``; rows of step
        ``impute`` set the status (``linear`` -> interpolated, ``nearest`` -> carried, group
        means -> imputed).

    Returns
    -------
    pandas.DataFrame
        ``unit, year, indicator, status, data_year, source_years``: ``data_year`` is the year
        whose value is used (the year itself when observed, the nearest observed year when
        carried, NaN for interpolated and imputed cells); ``source_years`` names the observed
        years an interpolation lies between (``"2016-2018"``).
    """
    long = treated.stack(future_stack=True).rename("value").reset_index()
    long.columns = ["unit", "year", "indicator", "value"]
    long["year"] = long["year"].astype(int)
    long["status"] = np.where(long["value"].isna(), "absent", "observed")
    if flags is not None and len(flags):
        f = flags[flags["step"] == "impute"][["unit", "year", "indicator", "method"]].copy()
        f["year"] = f["year"].astype(int)
        f["unit"] = f["unit"].astype(str)
        long = long.merge(f, on=["unit", "year", "indicator"], how="left")
        m = long["method"].map(_IMPUTE_STATUS)
        present = long["status"] == "observed"
        long.loc[present & m.notna(), "status"] = m[present & m.notna()]
        long = long.drop(columns="method")
    long["data_year"] = np.where(long["status"] == "observed", long["year"], np.nan)
    long["source_years"] = ""
    obs = long[long["status"] == "observed"].groupby(["unit", "indicator"])["year"].apply(list)
    need = long["status"].isin(["carried", "interpolated"])
    for i in np.flatnonzero(need.to_numpy()):
        r = long.iloc[i]
        years = obs.get((r["unit"], r["indicator"]), [])
        if not years:
            continue
        t = int(r["year"])
        if r["status"] == "carried":
            long.iat[i, long.columns.get_loc("data_year")] = min(
                years, key=lambda y: (abs(y - t), y)
            )
        else:
            before = [y for y in years if y < t]
            after = [y for y in years if y > t]
            if before and after:
                long.iat[i, long.columns.get_loc("source_years")] = f"{max(before)}-{min(after)}"
    return long.drop(columns="value")


def composition_table(status: pd.DataFrame) -> pd.DataFrame:
    """One row per unit-year: counts of cells by status and the composition (the sorted
    indicators entering the index, joined by ``+``)."""
    counts = status.pivot_table(
        index=["unit", "year"], columns="status", values="indicator", aggfunc="count", fill_value=0
    )
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts.columns = [f"n_{c}" for c in counts.columns]
    present = status[status["status"] != "absent"]
    comp = present.groupby(["unit", "year"])["indicator"].apply(lambda s: "+".join(sorted(s)))
    out = counts.join(comp.rename("composition")).reset_index()
    out["composition"] = out["composition"].fillna("")
    return out


def year_composition(status: pd.DataFrame, years: Sequence[int] | None = None) -> pd.Series:
    """Year -> the indicators present in at least one unit that year (sorted tuple)."""
    s = status if years is None else status[status["year"].isin(list(years))]
    present = s[s["status"] != "absent"]
    out = present.groupby("year")["indicator"].apply(lambda v: tuple(sorted(set(v))))
    return out.reindex(sorted(s["year"].unique()), fill_value=())


def composition_breaks(status: pd.DataFrame, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Years in which the set of indicators entering the index changes: ``year, entered,
    left`` (indicator lists joined by ``+``)."""
    comp = year_composition(status, years)
    rows = []
    prev: tuple[str, ...] | None = None
    for y, c in comp.items():
        if prev is not None and c != prev:
            rows.append(
                {
                    "year": int(y),
                    "entered": "+".join(sorted(set(c) - set(prev))),
                    "left": "+".join(sorted(set(prev) - set(c))),
                }
            )
        prev = c
    return pd.DataFrame(rows, columns=["year", "entered", "left"])


def common_indicators(status: pd.DataFrame, years: Sequence[int]) -> list[str]:
    """Indicators present (any status but absent) in every analysed unit-year.

    A unit with no value at all of an indicator in the analysed years (an indicator that a
    province never reports) does not exclude the indicator; only an indicator absent in some
    years is excluded.
    """
    s = status[status["year"].isin(list(years))]
    out = []
    for ind, g in s.groupby("indicator", sort=False):
        reported = g[g["status"] != "absent"]
        units = set(reported["unit"])
        if not units:
            continue
        g_units = g[g["unit"].isin(units)]
        if (g_units["status"] != "absent").all():
            out.append(str(ind))
    order = list(dict.fromkeys(status["indicator"]))
    return [i for i in order if i in out]


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
    from greenindex.index.pipeline import (
        aggregate_from_config,
        normalise_from_config,
        weight_basis,
        weights_from_config,
    )

    fw = framework.subset(common)
    data = treated[common]
    z, _ = normalise_from_config(data, fw.direction, methods.get("normalise"))
    wsec = dict(methods.get("weights") or {})
    user = {k: v for k, v in (wsec.get("user") or {}).items() if k in fw.parent}
    wsec["user"] = user
    wb = weight_basis(data, fw.direction, str(wsec.get("scope", "pooled")))
    w = weights_from_config(wb, fw, wsec, raw=data)
    recomputed = aggregate_from_config(z, fw, w.weights, methods.get("aggregate"))
    recomputed = recomputed[recomputed.index.get_level_values("year").isin(years)]
    # the consistent index has one composition in every year: no break to mark; the breaks of
    # the full index are recorded for the method record
    info["full_index_breaks"] = breaks.to_dict("records")
    breaks = breaks.iloc[0:0]
    root = framework.root
    both = pd.concat(
        [scores[root].rename("full"), recomputed[root].rename("consistent")], axis=1
    ).dropna()
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


# ---------------------------------------------------------------------------------------------
# Disclosure: data years and the share of the index resting on imputed cells
# ---------------------------------------------------------------------------------------------
_KIND = {
    "en": {
        "carried": "{dim}: {dy} data carried to {year} ({inds}{units})",
        "interpolated": "{dim}: {year} values interpolated between {src} ({inds}{units})",
        "imputed": "{dim}: {year} values imputed from group means ({inds}{units})",
        "absent": "{dim}: {inds} not available in {year}{units}",
        "units": "; {k} of {n} provinces",
        "sep": ", ",
    },
    "zh": {
        "carried": "{dim}：{year} 年沿用 {dy} 年数据（{inds}{units}）",
        "interpolated": "{dim}：{year} 年数据由 {src} 年线性插值（{inds}{units}）",
        "imputed": "{dim}：{year} 年数据以组均值填补（{inds}{units}）",
        "absent": "{dim}：{year} 年无 {inds} 数据{units}",
        "units": "；{n} 个省份中 {k} 个",
        "sep": "、",
    },
}


def _name(framework: Framework, node: str, language: str) -> str:
    return framework.names.get(node, {}).get(language, node) if framework.names else node


def data_years(status: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Per year and dimension (children of the root): the data year actually used.

    Returns
    -------
    pandas.DataFrame
        ``year, dimension, data_year, status, n_cells, n_observed, share_observed, note_en,
        note_zh``. ``status`` is ``observed`` when every cell of the dimension in that year is
        observed, else the kinds found (``carried``, ``interpolated``, ``imputed``,
        ``absent``, joined by ``+``); ``data_year`` is the year itself, the year carried from
        (``2019``), or the range of years involved (``2016-2018``); the notes say it in words,
        e.g. "Energy and carbon efficiency: 2019 data carried to 2020 (CO2 emissions per unit
        of GDP, ...)".
    """
    dims = framework.children(framework.root)
    dim_of = {i: d for d in dims for i in framework.indicators_under(d)}
    s = status[status["indicator"].isin(list(dim_of))].copy()
    s["dimension"] = s["indicator"].map(dim_of)
    rows = []
    for (year, dim), g in s.groupby(["year", "dimension"], sort=True):
        n_units = g["unit"].nunique()
        kinds = [k for k in STATUSES[1:] if (g["status"] == k).any()]
        notes: dict[str, list[str]] = {"en": [], "zh": []}
        years_used: set[int] = {int(year)} if (g["status"] == "observed").any() else set()
        for kind in kinds:
            gk = g[g["status"] == kind]
            keys: list[Any]
            if kind == "carried":
                keys = sorted(gk["data_year"].dropna().astype(int).unique())
                years_used |= set(keys)
            elif kind == "interpolated":
                keys = sorted(set(gk["source_years"]) - {""}) or [""]
                for k in keys:
                    if k:
                        a, b = (int(v) for v in k.split("-"))
                        years_used |= {a, b}
            else:
                keys = [None]
            for key in keys:
                if kind == "carried":
                    part = gk[gk["data_year"] == key]
                elif kind == "interpolated":
                    part = gk[gk["source_years"] == key]
                else:
                    part = gk
                inds = list(dict.fromkeys(part["indicator"]))
                k = part["unit"].nunique()
                for lang in ("en", "zh"):
                    t = _KIND[lang]
                    src = str(key).replace("-", " and " if lang == "en" else "-") if key else ""
                    notes[lang].append(
                        t[kind].format(
                            dim=_name(framework, str(dim), lang),
                            dy=key,
                            year=int(year),
                            src=src,
                            inds=t["sep"].join(_name(framework, i, lang) for i in inds),
                            units="" if k == n_units else t["units"].format(k=k, n=n_units),
                        )
                    )
        if not kinds:
            data_year = str(int(year))
        elif len(years_used) == 1:
            data_year = str(next(iter(years_used)))
        elif years_used:
            data_year = f"{min(years_used)}-{max(years_used)}"
        else:
            data_year = ""
        n_obs = int((g["status"] == "observed").sum())
        rows.append(
            {
                "year": int(year),
                "dimension": dim,
                "data_year": data_year,
                "status": "+".join(kinds) if kinds else "observed",
                "n_cells": len(g),
                "n_observed": n_obs,
                "share_observed": n_obs / len(g) if len(g) else np.nan,
                "note_en": "; ".join(notes["en"]),
                "note_zh": "；".join(notes["zh"]),
            }
        )
    return pd.DataFrame(rows)


def year_note(table: pd.DataFrame, year: int, language: str = "en") -> str:
    """The disclosure notes of one year from :func:`data_years` ('' if all observed)."""
    col = "note_zh" if language == "zh" else "note_en"
    notes = [str(n) for n in table.loc[table["year"] == int(year), col] if str(n)]
    sep = "；" if language == "zh" else "; "
    return sep.join(notes)


def imputed_weight_shares(
    status: pd.DataFrame, framework: Framework, weights: pd.Series | pd.DataFrame
) -> pd.DataFrame:
    """Per unit-year, the share of the index's effective weight resting on non-observed
    cells (interpolated, carried or imputed), overall and per dimension.

    The 0/1 matrix "cell not observed" is aggregated with the variant's weights by the
    weighted arithmetic mean over the present children, so the share uses exactly the
    effective weights of that unit-year (rescaled over its present indicators):
    :math:`s_{it} = \\sum_{j \\in P_{it}} \\tilde w_{j,it} 1[\\text{cell } ijt
    \\text{ not observed}]`.

    Returns
    -------
    pandas.DataFrame
        ``unit, year, share_<node>`` for the root and every dimension.
    """
    from greenindex.index.aggregate import aggregate

    present = status[status["status"] != "absent"]
    flag = present.assign(v=(present["status"] != "observed").astype(float)).pivot_table(
        index=["unit", "year"], columns="indicator", values="v", aggfunc="first"
    )
    inds = [i for i in framework.indicators if i in flag.columns]
    flag = flag.reindex(columns=inds)
    flag.columns.name = None
    fw = framework.subset(inds)
    shares = aggregate(flag, fw, weights, "arithmetic")
    nodes = [fw.root] + [n for n in fw.children(fw.root) if n not in fw.indicators]
    out = shares[nodes].add_prefix("share_").reset_index()
    return out


def observed_cells_only(z: pd.DataFrame, flags: pd.DataFrame | None) -> pd.DataFrame:
    """``z`` with every interpolated, carried or imputed cell set missing (the "observed cells
    only" robustness variant, ``aggregate.cells: observed``): the aggregation then rescales
    the remaining weights over the present children, as COINr does for missing data."""
    if flags is None or flags.empty:
        return z
    f = flags[(flags["step"] == "impute") & flags["indicator"].isin(list(z.columns))]
    out = z.copy()
    pos = {c: i for i, c in enumerate(out.columns)}
    rows = out.index.get_indexer(
        pd.MultiIndex.from_arrays([f["unit"].astype(str), f["year"].astype(int)])
    )
    keep = rows >= 0
    cols = f["indicator"].map(pos).to_numpy()
    values = out.to_numpy(dtype=float, copy=True)
    values[rows[keep], cols[keep].astype(int)] = np.nan
    return pd.DataFrame(values, index=out.index, columns=out.columns)


def data_note(table: pd.DataFrame, years: Sequence[int], language: str = "en") -> str:
    """One sentence disclosing the data behind ``years`` ('' when all cells are observed),
    e.g. "Data: 2020: Energy and carbon efficiency: 2019 data carried to 2020 (...)"."""
    parts = []
    for y in sorted({int(v) for v in years}):
        n = year_note(table, y, language)
        if n:
            parts.append(n)
    if not parts:
        return ""
    if language == "zh":
        return "数据说明：" + "；".join(parts) + "。"
    return "Data: " + "; ".join(parts) + "."


def add_data_note(fig: Any, note: str, *, fontsize: float = 5.5) -> None:
    """Print the data note under a figure (small grey text, wrapped to the figure's width).

    The figure is made taller by the height of the note and everything already on it
    (axes, figure texts) keeps its size and moves up, so nothing is covered.
    """
    import textwrap

    if not note:
        return
    w_in, h_in = fig.get_size_inches()
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in note)
    per_line = int(w_in * 72 / (fontsize * (1.0 if cjk else 0.58)))
    lines = textwrap.wrap(note, per_line)
    dh = len(lines) * fontsize * 1.3 / 72 + 0.06
    total = h_in + dh
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set") and "rect" in engine.get():
        # constrained layout: keep the layout, on the figure minus a band for the note
        fig.set_size_inches(w_in, total)
        engine.set(rect=(0.0, dh / total, 1.0, 1.0 - dh / total))
        fig.text(
            0.01,
            0.03 / total,
            "\n".join(lines),
            fontsize=fontsize,
            color="0.3",
            ha="left",
            va="bottom",
        )
        return
    for ax in fig.axes:
        pos = ax.get_position()
        ax.set_position(
            (pos.x0, (pos.y0 * h_in + dh) / total, pos.width, pos.height * h_in / total)
        )
    for t in fig.texts:
        x, y = t.get_position()
        t.set_position((x, (y * h_in + dh) / total))
    fig.set_size_inches(w_in, total)
    fig.text(
        0.01, 0.03 / total, "\n".join(lines), fontsize=fontsize, color="0.3", ha="left", va="bottom"
    )


def annotate_claims(
    table: pd.DataFrame,
    data_table: pd.DataFrame,
    window: Sequence[int],
    observed_only: Sequence[str] = (),
) -> pd.DataFrame:
    """Append the data note of the years each claim compares to its details (en and zh):
    the window's ends for C1, C3 and C4, every window year for C2. For the variants in
    ``observed_only`` (``aggregate.cells: observed``) the note says those cells were left out."""
    t0, t1 = int(window[0]), int(window[1])
    out = table.copy()
    for i, r in out.iterrows():
        years = range(t0, t1 + 1) if str(r["claim"]) == "C2" else [t0, t1]
        left_out = str(r["variant"]) in set(observed_only)
        for col, lang in (("details", "en"), ("details_zh", "zh")):
            note = data_note(data_table, years, lang).rstrip(".。")
            if not note:
                continue
            if left_out:
                note = (
                    note.replace("数据说明：", "以下非观测值已剔除，其余权重重新归一：", 1)
                    if lang == "zh"
                    else note.replace(
                        "Data: ", "Left out (observed cells only, remaining weights rescaled): ", 1
                    )
                )
            sep = "。" if lang == "zh" else ". "
            out.at[i, col] = f"{str(r[col]).rstrip('.。')}{sep}{note}"
    return out


# ---------------------------------------------------------------------------------------------
# Report content (the report's layout lives in greenindex.report; these return text/tables)
# ---------------------------------------------------------------------------------------------
def dynamics_text(record: Mapping[str, Any], names: Mapping[str, str], language: str = "en") -> str:
    """What the panel analyses rest on (from ``results/dynamics/method.json``), as Markdown."""
    basis = record["basis"]
    years = record["years"]
    span = f"{years[0]}-{years[-1]}" if years else ""
    excl = ", ".join(names.get(i, i) for i in record.get("excluded", []))
    breaks = pd.DataFrame(record.get("breaks", []), columns=["year", "entered", "left"])
    zh = language == "zh"
    if basis == "panel_consistent" and excl:
        r = record.get("correlation_with_full_index")
        corr = (
            (
                f"与完整指数的相关系数为 {r:.3f}"
                if zh
                else f"its correlation with the full index is {r:.3f}"
            )
            if r is not None
            else ""
        )
        if zh:
            return (
                f"跨年分析（趋势、收敛、核密度、逐年泰尔/Dagum 与 Moran 指数）使用 {span} 年各年均有数据"
                f"的 {len(record['indicators'])} 个指标以相同方法重新计算的面板一致指数，不含 {excl}"
                f"（这些指标并非每年都有数据），因此指标构成的变化不会被误读为指数的变化；{corr}。"
                "各年水平、地图与结论检验使用完整指数。"
            )
        return (
            f"The panel analyses (trends, convergence, kernel densities, Theil/Dagum and Moran over "
            f"time) use a panel-consistent index: the same methods over the "
            f"{len(record['indicators'])} indicators present in every year {span}, without {excl} "
            f"(not available in every year), so that no change of the indicator set is read as a "
            f"change of the index; {corr}. Levels, maps and the finding check use the full index."
        )
    if basis == "full_years":
        return (
            f"跨年分析仅使用全部指标均有数据的年份：{span}。"
            if zh
            else f"The panel analyses use only the years in which every indicator is present: {span}."
        )
    if basis == "mixed" and not breaks.empty:
        return break_note(breaks, names, language)
    return (
        f"{span} 年各年的指标构成相同。"
        if zh
        else f"The indicator set is the same in every year {span}."
    )
