"""The weight explorer: a self-contained HTML page that recomputes the index in the browser.

A reader moves the weight of a dimension or of an indicator within its dimension, switches
between the arithmetic and the geometric mean or picks a year, and the page recomputes at once
(in JavaScript, no server, no network): the index and dimension scores of every unit and year,
the ranks and the rank change against the starting weights, the region means and the
east > central > west gradient, the choropleth colours, a rank table and the verdicts of the
claims C1-C4 with the definitions of :mod:`greenindex.analysis.claims`. A button gives the
YAML snippet which, pasted into ``config/config.yaml``, makes the workflow compute exactly the
page's numbers.

What the page computes (the same formulas as :mod:`greenindex.index.aggregate`):

- the controls are multipliers :math:`m_n \\ge 0` (1 = the method's weight) of the method's
  within-parent weight :math:`w_n` of a node, renormalised among its siblings,

  .. math:: w'_n = \\frac{m_n w_n}{\\sum_{s \\in sib(n)} m_s w_s},

  which is the meaning of ``weights.user`` in the config, so the snippet is
  ``weights.user: {node: m_n}`` for every :math:`m_n \\ne 1`, with the weighting method and its
  options pinned (the starting weights of data-driven methods are those of the shipped data;
  they are recomputed only by the workflow);
- aggregates bottom-up over the children present for the unit-year,
  :math:`S = \\sum_{j \\in P} w'_j z_j / \\sum_{j \\in P} w'_j` (arithmetic) or
  :math:`S = \\exp(\\sum_{j \\in P} w'_j \\ln z_j / \\sum_{j \\in P} w'_j)` (geometric; it needs
  :math:`z > 0`, so a min-max panel with a lower bound of 0 or less is rescaled to
  ``[1, high]``, :math:`z' = 1 + (high - 1)(z - low)/(high - low)`, and the snippet sets
  ``normalise.range: [1, high]``);
- ranks within each year (1 = highest, ties the minimum rank), unweighted region means and the
  claims C1 (national mean rose over the window), C2 (east > central > west in every window
  year), C3 (the northeast's gain is the smallest) and C4a/C4b (window mean of the Theil T
  between-region share / Dagum net between-region share at least ``between_share_large``),
  without the bootstrap; the Dagum pair sums come from one sort per year (prefix sums per
  region), so C4 costs O(n log n) per year.

The page's data (normalised panel, framework, starting weights, units and regions, province
outlines, imputation flags) are embedded as JSON; the script and style are package data files
(``greenindex/figures/explorer/``) inlined when the page is built. Output is deterministic.

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, sections 6-7.
Becker W. et al. (2022), COINr, JOSS 7(78) (its interactive re-weighting app, ``rew8r``).
"""

from __future__ import annotations

import copy
import html
import json
import math
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greenindex.data.units import province_table
from greenindex.errors import InputError
from greenindex.index.framework import Framework

__all__ = [
    "TEXT",
    "WEIGHTS_METHOD_KEY",
    "assemble_payload",
    "build_explorer",
    "explorer_link",
    "flag_cells",
    "map_outlines",
    "render_explorer",
    "snippet_sections",
]

#: Config key naming the weighting method inside ``weights`` (the one place the page's
#: snippet takes it from).
WEIGHTS_METHOD_KEY = "method"

#: Weighting methods whose weights depend on the data (recomputed by the workflow only).
DATA_DRIVEN = ("entropy", "pca", "critic")

#: Aggregation methods the page computes.
PAGE_METHODS = ("arithmetic", "geometric")

#: Interface text of the page, per language.
TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Weight explorer: green-manufacturing index",
        "zh": "权重探索器：制造业绿色发展指数",
    },
    "intro": {
        "en": "Move a weight and the index, the ranks, the region gradient, the map and the claim "
        "checks are recomputed in this page at once. The export button gives the configuration "
        "that makes the workflow produce exactly these numbers.",
        "zh": "调整权重后，本页即时重新计算指数、排名、区域梯度、地图和结论检验。"
        "“导出配置”给出可使工作流得到完全相同结果的配置片段。",
    },
    "controls": {"en": "Weights and method", "zh": "权重与方法"},
    "weights_help": {
        "en": "Each slider multiplies the method's weight of a node within its parent "
        "(1 = the method's weight); the weights of siblings are then rescaled to sum to 100 %.",
        "zh": "每个滑块是该节点在其上级中方法权重的乘数（1 = 方法权重）；同级权重随后重新归一为 100%。",
    },
    "dimensions": {"en": "Dimensions", "zh": "维度"},
    "indicators_of": {"en": "Indicators", "zh": "指标"},
    "multiplier_of": {"en": "multiplier of", "zh": "乘数："},
    "share_line": {"en": "share {s} (start {s0})", "zh": "占比 {s}（初始 {s0}）"},
    "dim_multiplier": {"en": "Weight multiplier of the dimension", "zh": "维度权重乘数"},
    "aggregation": {"en": "Aggregation", "zh": "合成方法"},
    "arithmetic": {"en": "arithmetic mean", "zh": "算术平均"},
    "geometric": {"en": "geometric mean", "zh": "几何平均"},
    "year": {"en": "Year", "zh": "年份"},
    "reset": {"en": "Reset to the method's weights", "zh": "恢复方法权重"},
    "export": {"en": "Export configuration", "zh": "导出配置"},
    "copy": {"en": "Copy", "zh": "复制"},
    "copied": {"en": "copied", "zh": "已复制"},
    "snippet_help": {
        "en": "Paste these sections into config/config.yaml in place of the sections of the same "
        "name, then run the workflow: results/aggregate/{variant}/scores.csv holds the numbers "
        "of this page.",
        "zh": "将以下各节替换 config/config.yaml 中的同名各节并运行工作流，"
        "results/aggregate/{variant}/scores.csv 即为本页的数值。",
    },
    "claims": {"en": "Claims (window {s}-{e})", "zh": "结论检验（{s}-{e} 年）"},
    "holds": {"en": "holds", "zh": "成立"},
    "fails": {"en": "does not hold", "zh": "不成立"},
    "na": {"en": "cannot be checked", "zh": "无法检验"},
    "claims_note": {
        "en": "Same statistics as the workflow's claim check (results/claims/claims.csv), without its "
        "bootstrap over provinces; C4 counts a between-region share of at least {lim} as large.",
        "zh": "统计量与工作流的结论检验（results/claims/claims.csv）相同，但不含省份自助抽样；"
        "C4 以区域间贡献率不低于 {lim} 为“较大”。",
    },
    "regions": {"en": "Region means, {y}", "zh": "区域均值（{y} 年）"},
    "region": {"en": "Region", "zh": "区域"},
    "mean": {"en": "Mean", "zh": "均值"},
    "start_mean": {"en": "Start", "zh": "初始"},
    "gradient": {"en": "east > central > west in {y}: {v}", "zh": "{y} 年东部 > 中部 > 西部：{v}"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "map": {"en": "Index by province, {y}", "zh": "{y} 年各省指数"},
    "map_scale": {
        "en": "Colour scale fixed over all years ({lo} to {hi}) under the current weights",
        "zh": "当前权重下各年统一的色阶（{lo} 至 {hi}）",
    },
    "no_data": {"en": "no data", "zh": "无数据"},
    "ranks": {"en": "Ranks, {y}", "zh": "{y} 年排名"},
    "rank": {"en": "Rank", "zh": "排名"},
    "change": {"en": "Change", "zh": "变化"},
    "change_help": {
        "en": "rank change against the starting weights (+ = up)",
        "zh": "相对初始权重的排名变化（+ 为上升）",
    },
    "unit": {"en": "Province", "zh": "省份"},
    "index": {"en": "Index", "zh": "指数"},
    "rows_cut": {
        "en": "First {k} of {n} units by rank.",
        "zh": "按排名显示前 {k} 个（共 {n} 个）。",
    },
    "timing": {"en": "recomputed in {ms} ms", "zh": "重新计算用时 {ms} 毫秒"},
    "data": {"en": "Data and honesty notes", "zh": "数据说明"},
    "data_years": {
        "en": "Panel {p0}-{p1}; claims over the window {w0}-{w1}; {n} units; main variant '{v}' "
        "({norm} normalisation, {method} weights).",
        "zh": "面板 {p0}-{p1} 年；结论检验期 {w0}-{w1} 年；{n} 个单位；主方案“{v}”（{norm}标准化，{method}赋权）。",
    },
    "flags_line": {
        "en": "Of {total} indicator values, {interp} are interpolated, {carried} carried from the "
        "nearest year, {group} filled from group means, {subst} derived from a substituted series "
        "and {missing} missing (aggregates then use the weights of the indicators present). "
        "Marked † in the rank table; details per cell in results/treat/flags.csv.",
        "zh": "{total} 个指标值中，{interp} 个为线性插值，{carried} 个为就近年份延用，"
        "{group} 个为组均值填补，{subst} 个由替代序列计算，{missing} 个缺失（合成时按现有指标的权重计算）。"
        "排名表中以 † 标注；逐格明细见 results/treat/flags.csv。",
    },
    "flag_mark": {"en": "values imputed this year", "zh": "本年有插补值"},
    "data_driven": {
        "en": "The starting weights are the {method} weights of the shipped data. Data-driven "
        "weights (entropy, PCA, CRITIC) are recomputed only by the workflow: this page keeps "
        "them fixed and multiplies them.",
        "zh": "初始权重为现有数据的{method}权重。数据驱动的权重（熵值法、主成分、CRITIC）"
        "只由工作流重新计算：本页保持其不变，仅乘以乘数。",
    },
    "fixed_weights": {
        "en": "The starting weights are the '{method}' weights of the configuration.",
        "zh": "初始权重为配置中的“{method}”权重。",
    },
    "not_page_method": {
        "en": "The workflow's main variant aggregates with '{m}', which this page does not compute; "
        "the page starts from the arithmetic mean.",
        "zh": "工作流主方案使用“{m}”合成，本页不计算该方法，从算术平均开始。",
    },
    "geo_rescaled": {
        "en": "The geometric mean needs values > 0: with it the normalised indicators are "
        "rescaled to [1, {hi}] (the snippet sets normalise.range accordingly).",
        "zh": "几何平均要求取值大于 0：选用时标准化指标重新缩放到 [1, {hi}]（配置片段相应设置 normalise.range）。",
    },
    "geo_unavailable": {
        "en": "The geometric mean is not available: the normalised panel has values <= 0 and is not "
        "min-max normalised.",
        "zh": "几何平均不可用：标准化面板含有小于等于 0 的值且不是极差标准化。",
    },
    "zero_weights": {
        "en": "The weights under '{p}' are all zero; give at least one a weight above 0.",
        "zh": "“{p}”下的权重全部为 0，请至少给一个大于 0 的权重。",
    },
    "per_year": {
        "en": "The method's weights differ by year (weights.scope: year): the multipliers apply to "
        "each year's weights, so index values are not comparable over time.",
        "zh": "方法权重逐年不同（weights.scope: year）：乘数作用于各年权重，指数跨年不可比。",
    },
    "variant_override": {
        "en": "variants.{v} sets {keys}, which takes precedence over these sections: delete {keys} "
        "there, or the workflow will not give the page's numbers.",
        "zh": "variants.{v} 设置了 {keys}，其优先于以下各节：请在该处删除 {keys}，否则工作流结果与本页不同。",
    },
    "other_variants": {
        "en": "These sections also apply to the other variants where they do not override them "
        "(e.g. the same multipliers under PCA or CRITIC weights).",
        "zh": "以下各节同样作用于未覆盖它们的其他方案（例如主成分或 CRITIC 赋权下使用相同乘数）。",
    },
    "offline": {
        "en": "This page works offline: its data, script and map are embedded.",
        "zh": "本页可离线使用：数据、脚本和地图均已嵌入。",
    },
}


#: Display names of the regions of the shipped schemes (others are shown by their label).
REGION_NAMES: dict[str, dict[str, str]] = {
    "east": {"en": "East", "zh": "东部"},
    "central": {"en": "Central", "zh": "中部"},
    "west": {"en": "West", "zh": "西部"},
    "northeast": {"en": "Northeast", "zh": "东北"},
    "national": {"en": "National", "zh": "全国"},
}


#: Display names of the weighting and normalisation methods (the config value otherwise).
METHOD_NAMES: dict[str, dict[str, str]] = {
    "entropy": {"en": "entropy", "zh": "熵值法"},
    "pca": {"en": "PCA", "zh": "主成分分析"},
    "critic": {"en": "CRITIC", "zh": "CRITIC"},
    "equal": {"en": "equal", "zh": "等权"},
    "framework": {"en": "framework", "zh": "框架"},
    "user": {"en": "user", "zh": "用户"},
    "minmax": {"en": "min-max", "zh": "极差"},
    "zscore": {"en": "z-score", "zh": "Z 分数"},
    "rank": {"en": "rank", "zh": "排序"},
    "percentile": {"en": "percentile", "zh": "百分位"},
    "distance": {"en": "distance-to-reference", "zh": "距参照值"},
}


def _asset(name: str) -> str:
    return (resources.files("greenindex.figures") / "explorer" / name).read_text(encoding="utf-8")


# --- map outlines -----------------------------------------------------------------------------


def _svg_path(geom: Any, tx: Any) -> str:
    """SVG path data of the polygon rings or lines of ``geom`` (coordinates through ``tx``)."""
    import shapely

    out: list[str] = []
    for part in shapely.get_parts(geom):
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            rings, close = [part.exterior, *part.interiors], True
        elif part.geom_type in ("LineString", "LinearRing"):
            rings, close = [part], False
        else:
            continue
        for ring in rings:
            xy = tx(np.asarray(ring.coords)[:, :2])
            keep = np.ones(len(xy), dtype=bool)
            keep[1:] = np.any(np.abs(np.diff(xy, axis=0)) > 0, axis=1)
            xy = xy[keep]
            if len(xy) < 2:
                continue
            pts = " ".join(f"{x:g} {y:g}" for x, y in xy)
            out.append(f"M{pts}{'Z' if close else ''}")
    return "".join(out)


def map_outlines(
    boundaries: Any,
    *,
    width: int = 800,
    inset: bool | str = "auto",
    tolerance_px: float = 0.6,
) -> dict[str, Any]:
    """Province outlines as SVG paths, in the maps' projection and layout.

    The layout (Albers equal-area conic, main map stopping at Hainan, South China Sea inset at
    the lower right) is that of :mod:`greenindex.figures.maps`; outlines are coverage-simplified
    (:func:`greenindex.figures.boundaries.simplify_coverage`) to ``tolerance_px`` pixels of a
    map ``width`` pixels wide and rounded to 0.1 px.

    Parameters
    ----------
    boundaries
        A :class:`~greenindex.figures.boundaries.Boundaries` (e.g. from ``read_prepared``).
    width
        Width of the SVG view box.
    inset
        ``"auto"``, True or False (``maps.inset``).
    tolerance_px
        Simplification tolerance in pixels.

    Returns
    -------
    dict
        ``width``, ``height``, ``main`` and ``inset`` (``{unit: path}``), ``dash_main``,
        ``dash_inset`` (path data) and ``inset_box`` (``[x, y, w, h]`` in pixels, or None).
    """
    import shapely

    from greenindex.figures.boundaries import Boundaries, simplify_coverage
    from greenindex.figures.maps import _as_boundaries, _layout

    b = _as_boundaries(boundaries)
    x0, _, x1, _ = shapely.total_bounds(b.provinces.geometry.to_numpy())
    tol = tolerance_px * (x1 - x0) / width
    b = Boundaries(simplify_coverage(b.provinces, tol), b.dash_line)
    lay = _layout(b, inset)
    mx0, my0, mx1, my1 = lay.main
    s = width / (mx1 - mx0)
    height = round((my1 - my0) * s, 1)

    def tx_main(xy: np.ndarray) -> np.ndarray:
        return np.round(np.column_stack([(xy[:, 0] - mx0) * s, (my1 - xy[:, 1]) * s]), 1)

    def paths(bb: Any, extent: Sequence[float], tx: Any) -> tuple[dict[str, str], str]:
        ex0, ey0, ex1, ey1 = extent
        mx, my = 0.02 * (ex1 - ex0), 0.02 * (ey1 - ey0)
        rect = (ex0 - mx, ey0 - my, ex1 + mx, ey1 + my)
        geoms = shapely.clip_by_rect(bb.provinces.geometry.to_numpy(), *rect)
        prov = {
            str(u): p
            for u, g in zip(bb.provinces["unit"], geoms, strict=True)
            if not g.is_empty and (p := _svg_path(g, tx))
        }
        dash = "".join(
            _svg_path(g, tx)
            for g in shapely.clip_by_rect(bb.dash_line.geometry.to_numpy(), *rect)
            if not g.is_empty
        )
        return prov, dash

    main, dash_main = paths(lay.main_b, lay.main, tx_main)
    out: dict[str, Any] = {
        "width": width,
        "height": height,
        "main": main,
        "dash_main": dash_main,
        "inset": {},
        "dash_inset": "",
        "inset_box": None,
    }
    if lay.inset is not None and lay.inset_rect is not None:
        ix0, iy0, ix1, _ = lay.inset
        rx, ry, rw, rh = lay.inset_rect
        k = rw / (ix1 - ix0)

        def tx_inset(xy: np.ndarray) -> np.ndarray:
            mxy = np.column_stack([rx + (xy[:, 0] - ix0) * k, ry + (xy[:, 1] - iy0) * k])
            return tx_main(mxy)

        out["inset"], out["dash_inset"] = paths(lay.b, lay.inset, tx_inset)
        out["inset_box"] = [
            round((rx - mx0) * s, 1),
            round((my1 - (ry + rh)) * s, 1),
            round(rw * s, 1),
            round(rh * s, 1),
        ]
    return out


# --- imputation flags --------------------------------------------------------------------------

_FLAG_KIND = {
    "linear": "interp",
    "nearest": "carried",
    "group_mean": "group",
    "group_year_mean": "group",
}


def flag_cells(
    flags: pd.DataFrame, codebook: pd.DataFrame | None, indicators: Sequence[str]
) -> pd.DataFrame:
    """The indicator cells changed by treatment, with their kind.

    Imputed cells of an indicator are ``interp`` (linear interpolation), ``carried`` (nearest
    year) or ``group`` (group means); a substituted raw series (e.g. the census population of
    2020) marks as ``subst`` every indicator whose numerator or denominator it is (codebook).

    Parameters
    ----------
    flags
        ``results/treat/flags.csv`` (``unit, year, indicator, step, method, old, new``).
    codebook
        The codebook (``id, numerator, denominator``), or None (substitutions then only mark
        indicators of the same id).
    indicators
        The indicators of the page.

    Returns
    -------
    pandas.DataFrame
        ``unit, year, indicator, kind``, one row per cell (the first kind if several).
    """
    inds = set(indicators)
    rows: list[tuple[str, int, str, str]] = []
    uses: dict[str, list[str]] = {}
    if codebook is not None and {"numerator", "denominator"} <= set(codebook.columns):
        for _, r in codebook.iterrows():
            if r["id"] in inds:
                for col in ("numerator", "denominator"):
                    v = r[col]
                    if isinstance(v, str) and v:
                        uses.setdefault(v, []).append(str(r["id"]))
    for r in flags.itertuples(index=False):
        if r.step == "impute" and r.indicator in inds:
            kind = _FLAG_KIND.get(str(r.method).split()[0], "interp")
            rows.append((str(r.unit), int(r.year), str(r.indicator), kind))
        elif r.step == "substitute":
            for ind in [r.indicator] if r.indicator in inds else uses.get(str(r.indicator), []):
                rows.append((str(r.unit), int(r.year), ind, "subst"))
    out = pd.DataFrame(rows, columns=["unit", "year", "indicator", "kind"])
    return out.drop_duplicates(["unit", "year", "indicator"]).reset_index(drop=True)


# --- the snippet ---------------------------------------------------------------------------------


def snippet_sections(methods: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The main variant's ``normalise``, ``weights`` and ``aggregate`` sections as the page's
    snippet starts from them (complete sections, so that pasting replaces a section whole).

    The page replaces ``weights.user`` by its multipliers (times any the config already has),
    ``aggregate.method`` by its choice, and ``normalise.range`` when the geometric mean needs
    the panel rescaled.
    """
    return {k: copy.deepcopy(dict(methods[k])) for k in ("normalise", "weights", "aggregate")}


# --- payload -------------------------------------------------------------------------------------


def _num(x: float) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _geometric_option(z: np.ndarray, normalise: Mapping[str, Any]) -> dict[str, Any]:
    finite = z[np.isfinite(z)]
    if finite.size == 0 or float(finite.min()) > 0:
        return {"available": True, "rescale": None}
    if normalise.get("method", "minmax") == "minmax":
        low, high = (float(v) for v in normalise.get("range", [0, 1]))
        if high > 1:
            return {"available": True, "rescale": [low, high, 1.0, high]}
    return {"available": False, "rescale": None}


def assemble_payload(
    normalised: pd.DataFrame,
    framework: Framework,
    weights: pd.Series | pd.DataFrame,
    units: pd.DataFrame,
    *,
    language: str,
    region_scheme: str,
    region_order: Sequence[str] | None,
    window: Sequence[int],
    methods: Mapping[str, Mapping[str, Any]],
    variant: str,
    region_labels: Mapping[str, str] | None = None,
    growth: str = "absolute",
    between_share_large: float = 0.5,
    flags: pd.DataFrame | None = None,
    outlines: Mapping[str, Any] | None = None,
    variant_override: Mapping[str, Any] | None = None,
    map_note: str = "",
    colors: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Everything the page embeds, as plain JSON-ready data.

    Parameters
    ----------
    normalised
        The main variant's normalised panel (index ``unit, year``; one column per indicator).
    framework
        The framework (names per language, parents, indicators).
    weights
        The method's within-parent weights of every non-root node (``results/weights/<v>/
        weights.csv``): a Series, or a DataFrame indexed by year for ``weights.scope: year``.
    units
        Units table (``unit``, ``name_zh``, ``name_en`` and the region column).
    language
        ``"zh"`` or ``"en"``.
    region_scheme, region_order
        ``regions.scheme`` and ``regions.order``.
    window
        ``(start, end)`` of the claims' window.
    methods
        The main variant's config sections ``normalise``, ``weights``, ``aggregate``.
    variant
        The main variant's id.
    region_labels, growth, between_share_large
        ``claims.region_labels``, ``claims.growth`` and ``claims.between_share_large``.
    flags
        Treated cells from :func:`flag_cells` (``unit, year, indicator, kind``).
    outlines
        :func:`map_outlines` output, or None (no map, e.g. synthetic units).
    variant_override
        The main variant's own settings of ``normalise``, ``weights`` and ``aggregate``
        (``variants.<main>``); those that would override a value of the snippet are named in it.
    map_note
        Base-map caption (review number and source; :func:`greenindex.figures.maps.map_caption`).
    colors
        Colour stops of the sequential scale (default: the maps' ``YlGn``).
    """
    if language not in ("zh", "en"):
        raise InputError(f"unknown language '{language}'", fix="use 'zh' or 'en'.")
    inds = [i for i in framework.indicators if i in normalised.columns]
    fw = framework.subset(inds)
    z = normalised[inds].sort_index()
    unit_ids = sorted(z.index.get_level_values("unit").unique().astype(str))
    years = sorted(int(y) for y in z.index.get_level_values("year").unique())
    full = pd.MultiIndex.from_product([unit_ids, years], names=["unit", "year"])
    zf = z.reindex(full)
    # year-major, then unit, then indicator
    arr = zf.to_numpy(dtype=float).reshape(len(unit_ids), len(years), len(inds)).transpose(1, 0, 2)
    ut = units.set_index(units["unit"].astype(str))
    if region_scheme not in ut.columns:
        raise InputError(
            f"region scheme '{region_scheme}' is not a column of the units table",
            file="units table",
            column=region_scheme,
            fix="set regions.scheme to a grouping column of the units table.",
        )
    missing = [u for u in unit_ids if u not in ut.index]
    if missing:
        raise InputError(f"units {missing[:10]} are not in the units table", file="units table")
    name_col = f"name_{language}"
    unit_rows = [
        {
            "id": u,
            "name": str(ut.loc[u, name_col])
            if name_col in ut.columns and str(ut.loc[u, name_col])
            else u,
            "region": str(ut.loc[u, region_scheme]),
        }
        for u in unit_ids
    ]
    present_regions = sorted({r["region"] for r in unit_rows})
    order = [r for r in (region_order or []) if r in present_regions]
    order += [r for r in present_regions if r not in order]
    nodes = []
    for lev_no, lev in enumerate(fw.levels, start=1):
        for n in lev:
            nm = fw.names.get(n, {})
            nodes.append(
                {
                    "id": n,
                    "parent": fw.parent.get(n),
                    "level": lev_no,
                    "name": nm.get(language) or nm.get("en") or n,
                }
            )
    nonroot = [n["id"] for n in nodes if n["id"] != fw.root]
    if isinstance(weights, pd.DataFrame):
        wy = {
            str(int(y)): [_num(weights.loc[y].get(n, np.nan)) for n in nonroot]
            for y in weights.index
        }
        w_payload: dict[str, Any] = {"per_year": True, "values": wy}
    else:
        w_payload = {"per_year": False, "values": [_num(weights.get(n, np.nan)) for n in nonroot]}
    wsec = dict(methods["weights"])
    method_name = str(wsec.get(WEIGHTS_METHOD_KEY, ""))
    agg_method = methods["aggregate"].get("method", "arithmetic")
    start_method = (
        agg_method if isinstance(agg_method, str) and agg_method in PAGE_METHODS else "arithmetic"
    )
    fl = flags if flags is not None else pd.DataFrame(columns=["unit", "year", "indicator", "kind"])
    fl = fl[fl["indicator"].isin(inds) & fl["unit"].isin(unit_ids) & fl["year"].isin(years)]
    flag_map: dict[str, list[list[str]]] = {}
    for r in fl.sort_values(["unit", "year", "indicator"]).itertuples(index=False):
        flag_map.setdefault(f"{r.unit}|{int(r.year)}", []).append([str(r.indicator), str(r.kind)])
    counts = fl["kind"].value_counts().to_dict()
    if colors is None:
        from matplotlib import colormaps
        from matplotlib.colors import to_hex

        from greenindex.figures.maps import _SEQ_CMAP

        cmap = colormaps[_SEQ_CMAP]
        colors = [to_hex(cmap(x)) for x in np.linspace(0.08, 0.95, 9)]
    # imported here: the claims module pulls in scipy (0.3 s), which the report job, importing
    # this module for explorer_link, would otherwise pay
    from greenindex.analysis.claims import STATEMENTS

    t = {k: v[language] for k, v in TEXT.items()}
    t.update({f"claim_{c}": STATEMENTS[c][language] for c in ("C1", "C2", "C3", "C4a", "C4b")})
    t.update({f"region_{r}": REGION_NAMES[r][language] for r in REGION_NAMES})
    map_names: dict[str, str] = {}
    if outlines is not None:
        pt = province_table().set_index("code")
        col = "name_zh_short" if language == "zh" else "name_en"
        shapes = {*outlines.get("main", {}), *outlines.get("inset", {})}
        map_names = {u: str(pt.loc[u, col]) for u in sorted(shapes) if u in pt.index}
        map_names.update({r["id"]: r["name"] for r in unit_rows if r["id"] in shapes})
    return {
        "lang": language,
        "text": t,
        "variant": variant,
        "method": method_name,
        "data_driven": method_name in DATA_DRIVEN,
        "keys": {"method": WEIGHTS_METHOD_KEY},
        "root": fw.root,
        "indicators": inds,
        "nodes": nodes,
        "nonroot": nonroot,
        "weights": w_payload,
        "units": unit_rows,
        "regions": order,
        "roles": {
            "east": "east",
            "central": "central",
            "west": "west",
            "northeast": "northeast",
            **dict(region_labels or {}),
        },
        "growth": growth,
        "between_share_large": float(between_share_large),
        "years": years,
        "window": [int(window[0]), int(window[1])],
        "panel": [years[0], years[-1]],
        "z": [_num(v) for v in arr.ravel()],
        "start_method": start_method,
        "config_method": agg_method if isinstance(agg_method, str) else json.dumps(agg_method),
        "geometric": _geometric_option(arr, methods["normalise"]),
        "snippet": snippet_sections(methods),
        "variant_override": {
            k: copy.deepcopy(dict(v))
            for k, v in dict(variant_override or {}).items()
            if k in ("normalise", "weights", "aggregate") and isinstance(v, Mapping)
        },
        "normalise_method": str(methods["normalise"].get("method", "")),
        "method_label": METHOD_NAMES.get(method_name, {}).get(language, method_name),
        "normalise_label": METHOD_NAMES.get(str(methods["normalise"].get("method", "")), {}).get(
            language, str(methods["normalise"].get("method", ""))
        ),
        "flags": flag_map,
        "flag_counts": {k: int(counts.get(k, 0)) for k in ("interp", "carried", "group", "subst")},
        "n_missing": int(np.isnan(arr).sum()),
        "map": dict(outlines) if outlines is not None else None,
        "map_names": map_names,
        "map_note": map_note,
        "colors": list(colors),
    }


def render_explorer(payload: Mapping[str, Any]) -> str:
    """The page: HTML with the payload as JSON and the package's script and style inlined.

    Deterministic: the same payload gives the same bytes.
    """
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    data = data.replace("</", "<\\/")
    lang = payload["lang"]
    title = html.escape(payload["text"]["title"])
    js = _asset("explorer.js").replace("</script", "<\\/script")
    css = _asset("explorer.css")
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{css}</style></head><body>\n"
        f'<main id="app" aria-busy="true"><h1>{title}</h1><noscript>JavaScript is needed.</noscript></main>\n'
        f'<script type="application/json" id="explorer-data">{data}</script>\n'
        f"<script>{js}</script>\n</body></html>\n"
    )


def build_explorer(
    *,
    normalised: str | Path,
    weights: str | Path,
    framework: str | Path,
    units: str | Path,
    language: str,
    config: Mapping[str, Any],
    flags: str | Path | None = None,
    codebook: str | Path | None = None,
    boundaries: str | Path | None = None,
) -> str:
    """The page of one language from the workflow's result files (the explorer rule).

    Parameters
    ----------
    normalised, weights, framework, units
        ``results/normalise/<main>/normalised.csv``, ``results/weights/<main>/weights.csv``,
        ``results/validate/framework.csv`` and ``results/validate/units.csv``.
    language
        ``"zh"`` or ``"en"``.
    config
        The schema-filled config (``main_variant``, ``variants``, ``regions``, ``window``,
        ``claims``, ``maps`` and the method sections are read).
    flags, codebook
        ``results/treat/flags.csv`` and ``results/validate/codebook.csv`` (imputation
        disclosure).
    boundaries
        ``resources/boundaries/provinces_display.gpkg`` (no map when None).
    """
    from greenindex.config import variant_config
    from greenindex.data.io import read_panel
    from greenindex.figures.maps import map_caption

    z = read_panel(normalised)
    fw = Framework.from_frame(pd.read_csv(framework, keep_default_na=False)).subset(z.columns)
    wt = pd.read_csv(weights)
    w: pd.Series | pd.DataFrame
    if "year" in wt.columns:
        w = wt.pivot(index="year", columns="node", values="weight")
    else:
        w = wt.set_index("node")["weight"]
    ut = pd.read_csv(units, dtype=str, keep_default_na=False)
    cells = None
    if flags is not None:
        fl = pd.read_csv(flags, dtype={"unit": str})
        cb = (
            pd.read_csv(codebook, dtype=str, keep_default_na=False)
            if codebook is not None
            else None
        )
        cells = flag_cells(fl, cb, list(fw.indicators))
    main = str(config["main_variant"])
    maps_cfg = config.get("maps", {})
    outlines = None
    note = ""
    if boundaries is not None:
        from greenindex.figures.boundaries import read_prepared

        outlines = map_outlines(read_prepared(boundaries), inset=maps_cfg.get("inset", "auto"))
        note = map_caption(maps_cfg.get("review_number"), maps_cfg.get("source_note"), language)
    claims_cfg = config.get("claims", {})
    payload = assemble_payload(
        z,
        fw,
        w,
        ut,
        language=language,
        region_scheme=config["regions"]["scheme"],
        region_order=config["regions"].get("order"),
        window=(config["window"]["start"], config["window"]["end"]),
        methods=variant_config(config, main),
        variant=main,
        region_labels=claims_cfg.get("region_labels"),
        growth=claims_cfg.get("growth", "absolute"),
        between_share_large=claims_cfg.get("between_share_large", 0.5),
        flags=cells,
        outlines=outlines,
        variant_override=config["variants"].get(main) or {},
        map_note=note,
    )
    return render_explorer(payload)


#: Link text from the report to the page.
LINK_TEXT = {
    "en": "Weight explorer: move the weights and see the index, ranks, region gradient, map and "
    "claims recomputed at once, then export the configuration that reproduces them",
    "zh": "权重探索器：调整权重，即时查看指数、排名、区域梯度、地图和结论检验的变化，并导出可复现结果的配置",
}


def explorer_link(language: str) -> str:
    """HTML paragraph linking a report (``results/report/``) to the explorer page of its language."""
    return (
        f'<p class="note"><a href="../explorer/explorer_{language}.html" id="explorer-link">'
        f"{html.escape(LINK_TEXT[language])}</a></p>"
    )


def synthetic_inputs(
    framework: Framework,
    n_units: int = 3000,
    years: Sequence[int] = tuple(range(2011, 2021)),
    *,
    regions: Sequence[str] = ("east", "central", "west", "northeast"),
    missing: float = 0.02,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random normalised panel and units table of ``n_units`` units, for the page's
    benchmark and tests at COINr's synthetic size (3,000 units).

    Values are uniform on [0, 100] with a region effect and a trend, with a share ``missing``
    of cells missing; units are ``U0001``, ... spread over ``regions`` in turn.

    Returns
    -------
    tuple
        The panel (index ``unit, year``; the framework's indicators) and the units table
        (``unit, name_zh, name_en, region``).
    """
    rng = np.random.default_rng(seed)
    inds = list(framework.indicators)
    units = [f"U{k + 1:04d}" for k in range(n_units)]
    reg = [regions[k % len(regions)] for k in range(n_units)]
    idx = pd.MultiIndex.from_product([units, list(years)], names=["unit", "year"])
    shift = np.repeat([10.0 * (len(regions) - regions.index(r)) for r in reg], len(years))
    trend = np.tile(np.arange(len(years), dtype=float), n_units)
    x = rng.uniform(0, 60, size=(len(idx), len(inds))) + shift[:, None] + trend[:, None]
    x[rng.random(x.shape) < missing] = np.nan
    z = pd.DataFrame(np.clip(x, 0, 100), index=idx, columns=inds)
    table = pd.DataFrame({"unit": units, "name_zh": units, "name_en": units, "region": reg})
    return z, table
