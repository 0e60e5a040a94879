"""Disclosure: the data year actually used, the share of the index resting on imputed cells,
and the notes that say so on figures and claims."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from greenindex.analysis.composition.status import (
    STATUSES,
)
from greenindex.index.framework import Framework

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
    rows = [
        _dimension_year(framework, int(year), str(dim), g)
        for (year, dim), g in s.groupby(["year", "dimension"], sort=True)
    ]
    return pd.DataFrame(rows)


def _dimension_year(framework: Framework, year: int, dim: str, g: pd.DataFrame) -> dict[str, Any]:
    """The row of :func:`data_years` of one dimension in one year, from its cells ``g``."""
    n_units = g["unit"].nunique()
    kinds = [k for k in STATUSES[1:] if (g["status"] == k).any()]
    notes: dict[str, list[str]] = {"en": [], "zh": []}
    years_used: set[int] = {year} if (g["status"] == "observed").any() else set()
    for kind in kinds:
        groups, used = _kind_groups(g[g["status"] == kind], kind)
        years_used |= used
        for key, part in groups:
            k = part["unit"].nunique()
            for lang in ("en", "zh"):
                units = "" if k == n_units else _KIND[lang]["units"].format(k=k, n=n_units)
                notes[lang].append(_note(framework, lang, kind, key, dim, year, part, units))
    n_obs = int((g["status"] == "observed").sum())
    return {
        "year": year,
        "dimension": dim,
        "data_year": _data_year(year, kinds, years_used),
        "status": "+".join(kinds) if kinds else "observed",
        "n_cells": len(g),
        "n_observed": n_obs,
        "share_observed": n_obs / len(g) if len(g) else np.nan,
        "note_en": "; ".join(notes["en"]),
        "note_zh": "；".join(notes["zh"]),
    }


def _kind_groups(gk: pd.DataFrame, kind: str) -> tuple[list[tuple[Any, pd.DataFrame]], set[int]]:
    """The cells ``gk`` of one non-observed kind, grouped as their notes name them: by the year
    carried from (``carried``), by the pair of source years ``"a-b"`` (``interpolated``; ``""``
    when none is recorded), all together otherwise (key ``None``); and the data years they
    rest on."""
    if kind == "carried":
        keys = sorted(gk["data_year"].dropna().astype(int).unique())
        return [(key, gk[gk["data_year"] == key]) for key in keys], set(keys)
    if kind == "interpolated":
        keys = sorted(set(gk["source_years"]) - {""}) or [""]
        used: set[int] = set()
        for key in keys:
            if key:
                a, b = (int(v) for v in key.split("-"))
                used |= {a, b}
        return [(key, gk[gk["source_years"] == key]) for key in keys], used
    return [(None, gk)], set()


def _note(
    framework: Framework,
    lang: str,
    kind: str,
    key: Any,
    dim: str,
    year: int,
    part: pd.DataFrame,
    units: str,
) -> str:
    """The note in ``lang`` on the cells ``part`` of one kind and key (:func:`_kind_groups`)
    of dimension ``dim`` in ``year``; ``units`` says how many provinces are concerned."""
    t = _KIND[lang]
    inds = list(dict.fromkeys(part["indicator"]))
    return t[kind].format(
        dim=_name(framework, dim, lang),
        dy=key,
        year=year,
        src=str(key).replace("-", " and " if lang == "en" else "-") if key else "",
        inds=t["sep"].join(_name(framework, i, lang) for i in inds),
        units=units,
    )


def _data_year(year: int, kinds: Sequence[str], years_used: set[int]) -> str:
    """The data year of a dimension in ``year``: the year itself when every cell is observed,
    else the one year used or the range of the years used."""
    if not kinds:
        return str(year)
    if len(years_used) == 1:
        return str(next(iter(years_used)))
    if years_used:
        return f"{min(years_used)}-{max(years_used)}"
    return ""


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


def _legends_below(fig: Any) -> list[tuple[Any, float]]:
    """The figure legends that constrained layout places under everything
    (``loc="outside lower ..."``, no anchor of their own), with their heights in inches plus
    a small gap."""
    lower = [
        leg
        for leg in fig.legends
        if getattr(leg, "_outside_loc", None) == "lower"
        and getattr(leg, "_bbox_to_anchor", 0) is None
    ]
    if not lower:
        return []
    renderer = fig.canvas.get_renderer()
    return [(leg, leg.get_window_extent(renderer).height / fig.dpi + 0.04) for leg in lower]


def add_data_note(fig: Any, note: str, *, fontsize: float = 5.5) -> None:
    """Print the data note under a figure (small grey text, wrapped to the figure's width).

    The figure is made taller by the height of the note and everything already on it
    (axes, figure texts, figure legends) keeps its size and moves up, so nothing is covered.
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
        # constrained layout: keep the layout, on the figure minus a band for the note and
        # the figure legends it would put at the very bottom (they then sit above the note)
        below = _legends_below(fig)
        band = dh + sum(h for _, h in below)
        total = h_in + band
        fig.set_size_inches(w_in, total)
        engine.set(rect=(0.0, band / total, 1.0, 1.0 - band / total))
        y = dh
        for leg, h in below:
            leg.set_bbox_to_anchor((0.0, y / total, 1.0, h / total), transform=fig.transFigure)
            y += h
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
    for leg in fig.legends:  # figure legends anchored in figure fractions move up with the rest
        x0, y0, w, h = leg.get_bbox_to_anchor().transformed(fig.transFigure.inverted()).bounds
        leg.set_bbox_to_anchor(
            (x0, (y0 * h_in + dh) / total, w, h * h_in / total), transform=fig.transFigure
        )
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
