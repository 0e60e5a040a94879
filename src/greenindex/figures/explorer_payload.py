"""The data the weight explorer page embeds (:mod:`greenindex.figures.explorer`): the
normalised panel, framework, starting weights, units and regions, imputation flags, the
config snippet's starting sections and the page's text, as plain JSON-ready data."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from greenindex.data.units import province_table
from greenindex.errors import InputError
from greenindex.figures.explorer_text import METHOD_NAMES, REGION_NAMES, TEXT
from greenindex.index.framework import Framework

#: Config key naming the weighting method inside ``weights`` (the one place the page's
#: snippet takes it from).
WEIGHTS_METHOD_KEY = "method"


#: Weighting methods whose weights depend on the data (recomputed by the workflow only).
DATA_DRIVEN = ("entropy", "pca", "critic")


#: Aggregation methods the page computes.
PAGE_METHODS = ("arithmetic", "geometric")


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
        Base-map caption (review number and source; :func:`greenindex.figures.map_text.map_caption`).
    colors
        Colour stops of the sequential scale (default: the maps' ``YlGn``).
    """
    if language not in ("zh", "en"):
        raise InputError(f"unknown language '{language}'", fix="use 'zh' or 'en'.")
    inds = [i for i in framework.indicators if i in normalised.columns]
    fw = framework.subset(inds)
    unit_ids, years, arr = _panel_array(normalised, inds)
    units_part = _units_payload(
        units, unit_ids, region_scheme, region_order, region_labels, language
    )
    return {
        "lang": language,
        "text": _page_text(language),
        "variant": variant,
        **_method_payload(methods),
        **_framework_payload(fw, inds, weights, language),
        **units_part,
        "growth": growth,
        "between_share_large": float(between_share_large),
        **_panel_payload(years, window, arr),
        **_settings_payload(methods, arr, variant_override, language),
        **_flags_payload(flags, inds, unit_ids, years, arr),
        **_map_payload(outlines, units_part["units"], map_note, colors, language),
    }


def _panel_array(
    normalised: pd.DataFrame, inds: Sequence[str]
) -> tuple[list[str], list[int], np.ndarray]:
    """Units, years and the normalised panel as an array ``[year, unit, indicator]`` (NaN where
    a unit-year is missing)."""
    z = normalised[inds].sort_index()
    unit_ids = sorted(z.index.get_level_values("unit").unique().astype(str))
    years = sorted(int(y) for y in z.index.get_level_values("year").unique())
    full = pd.MultiIndex.from_product([unit_ids, years], names=["unit", "year"])
    zf = z.reindex(full)
    # year-major, then unit, then indicator
    arr = zf.to_numpy(dtype=float).reshape(len(unit_ids), len(years), len(inds)).transpose(1, 0, 2)
    return unit_ids, years, arr


def _weights_method(methods: Mapping[str, Mapping[str, Any]]) -> str:
    """The weighting method of the config's ``weights`` section."""
    return str(dict(methods["weights"]).get(WEIGHTS_METHOD_KEY, ""))


def _method_payload(methods: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The weighting method, whether its weights depend on the data, and its config key."""
    method_name = _weights_method(methods)
    return {
        "method": method_name,
        "data_driven": method_name in DATA_DRIVEN,
        "keys": {"method": WEIGHTS_METHOD_KEY},
    }


def _framework_payload(
    fw: Framework, inds: Sequence[str], weights: pd.Series | pd.DataFrame, language: str
) -> dict[str, Any]:
    """Root, indicators, nodes and the starting weights of the non-root nodes."""
    nodes = _nodes(fw, language)
    nonroot = [n["id"] for n in nodes if n["id"] != fw.root]
    return {
        "root": fw.root,
        "indicators": list(inds),
        "nodes": nodes,
        "nonroot": nonroot,
        "weights": _weights_payload(weights, nonroot),
    }


def _units_payload(
    units: pd.DataFrame,
    unit_ids: Sequence[str],
    region_scheme: str,
    region_order: Sequence[str] | None,
    region_labels: Mapping[str, str] | None,
    language: str,
) -> dict[str, Any]:
    """The units (id, name, region), the regions present in order, and the region each role of
    the claims (east, central, west, northeast) stands for."""
    unit_rows = _unit_rows(units, unit_ids, region_scheme, language)
    return {
        "units": unit_rows,
        "regions": _region_order(unit_rows, region_order),
        "roles": {
            "east": "east",
            "central": "central",
            "west": "west",
            "northeast": "northeast",
            **dict(region_labels or {}),
        },
    }


def _panel_payload(years: Sequence[int], window: Sequence[int], arr: np.ndarray) -> dict[str, Any]:
    """Years, claims window, panel span and the normalised values (``None`` for NaN)."""
    return {
        "years": list(years),
        "window": [int(window[0]), int(window[1])],
        "panel": [years[0], years[-1]],
        "z": [_num(v) for v in arr.ravel()],
    }


def _settings_payload(
    methods: Mapping[str, Mapping[str, Any]],
    arr: np.ndarray,
    variant_override: Mapping[str, Any] | None,
    language: str,
) -> dict[str, Any]:
    """The aggregation the page starts from, the geometric-mean option, the snippet's sections,
    the variant's overriding settings and the method names to display."""
    method_name = _weights_method(methods)
    agg_method = methods["aggregate"].get("method", "arithmetic")
    start_method = (
        agg_method if isinstance(agg_method, str) and agg_method in PAGE_METHODS else "arithmetic"
    )
    normalise_method = str(methods["normalise"].get("method", ""))
    return {
        "start_method": start_method,
        "config_method": agg_method if isinstance(agg_method, str) else json.dumps(agg_method),
        "geometric": _geometric_option(arr, methods["normalise"]),
        "snippet": snippet_sections(methods),
        "variant_override": {
            k: copy.deepcopy(dict(v))
            for k, v in dict(variant_override or {}).items()
            if k in ("normalise", "weights", "aggregate") and isinstance(v, Mapping)
        },
        "normalise_method": normalise_method,
        "method_label": METHOD_NAMES.get(method_name, {}).get(language, method_name),
        "normalise_label": METHOD_NAMES.get(normalise_method, {}).get(language, normalise_method),
    }


def _unit_rows(
    units: pd.DataFrame, unit_ids: Sequence[str], region_scheme: str, language: str
) -> list[dict[str, str]]:
    """``id``, ``name`` (in ``language``, the id when empty) and ``region`` of each unit;
    :class:`InputError` when the region scheme or a unit is not in the units table."""
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
    return unit_rows


def _region_order(
    unit_rows: Sequence[Mapping[str, str]], region_order: Sequence[str] | None
) -> list[str]:
    """The regions present, in ``regions.order`` first, then alphabetically."""
    present_regions = sorted({r["region"] for r in unit_rows})
    order = [r for r in (region_order or []) if r in present_regions]
    order += [r for r in present_regions if r not in order]
    return order


def _nodes(fw: Framework, language: str) -> list[dict[str, Any]]:
    """The framework's nodes level by level: ``id``, ``parent``, ``level``, ``name``."""
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
    return nodes


def _weights_payload(weights: pd.Series | pd.DataFrame, nonroot: Sequence[str]) -> dict[str, Any]:
    """The starting within-parent weights of the non-root nodes (per year for a DataFrame)."""
    if isinstance(weights, pd.DataFrame):
        wy = {
            str(int(y)): [_num(weights.loc[y].get(n, np.nan)) for n in nonroot]
            for y in weights.index
        }
        w_payload: dict[str, Any] = {"per_year": True, "values": wy}
    else:
        w_payload = {"per_year": False, "values": [_num(weights.get(n, np.nan)) for n in nonroot]}
    return w_payload


def _flags_payload(
    flags: pd.DataFrame | None,
    inds: Sequence[str],
    unit_ids: Sequence[str],
    years: Sequence[int],
    arr: np.ndarray,
) -> dict[str, Any]:
    """Treated cells by ``unit|year`` (``[indicator, kind]`` pairs), the count of each kind and
    the number of missing values."""
    fl = flags if flags is not None else pd.DataFrame(columns=["unit", "year", "indicator", "kind"])
    fl = fl[fl["indicator"].isin(inds) & fl["unit"].isin(unit_ids) & fl["year"].isin(years)]
    flag_map: dict[str, list[list[str]]] = {}
    for r in fl.sort_values(["unit", "year", "indicator"]).itertuples(index=False):
        flag_map.setdefault(f"{r.unit}|{int(r.year)}", []).append([str(r.indicator), str(r.kind)])
    counts = fl["kind"].value_counts().to_dict()
    return {
        "flags": flag_map,
        "flag_counts": {k: int(counts.get(k, 0)) for k in ("interp", "carried", "group", "subst")},
        "n_missing": int(np.isnan(arr).sum()),
    }


def _default_colors() -> list[str]:
    """Nine colour stops of the maps' sequential scale."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from greenindex.figures.maps import _SEQ_CMAP

    cmap = colormaps[_SEQ_CMAP]
    return [to_hex(cmap(x)) for x in np.linspace(0.08, 0.95, 9)]


def _page_text(language: str) -> dict[str, str]:
    """The page's text in ``language``: interface strings, claim statements, region names."""
    # imported here: the claims module pulls in scipy (0.3 s), which the report job, importing
    # this module for explorer_link, would otherwise pay
    from greenindex.analysis.claims import STATEMENTS

    t = {k: v[language] for k, v in TEXT.items()}
    t.update({f"claim_{c}": STATEMENTS[c][language] for c in ("C1", "C2", "C3", "C4a", "C4b")})
    t.update({f"region_{r}": REGION_NAMES[r][language] for r in REGION_NAMES})
    return t


def _map_payload(
    outlines: Mapping[str, Any] | None,
    unit_rows: Sequence[Mapping[str, str]],
    map_note: str,
    colors: Sequence[str] | None,
    language: str,
) -> dict[str, Any]:
    """The map's outlines, the names of the provinces drawn, its caption and colour stops."""
    return {
        "map": dict(outlines) if outlines is not None else None,
        "map_names": _map_names(outlines, unit_rows, language),
        "map_note": map_note,
        "colors": list(colors if colors is not None else _default_colors()),
    }


def _map_names(
    outlines: Mapping[str, Any] | None, unit_rows: Sequence[Mapping[str, str]], language: str
) -> dict[str, str]:
    """Names of the provinces drawn on the map (the units' own names where they are units)."""
    map_names: dict[str, str] = {}
    if outlines is not None:
        pt = province_table().set_index("code")
        col = "name_zh_short" if language == "zh" else "name_en"
        shapes = {*outlines.get("main", {}), *outlines.get("inset", {})}
        map_names = {u: str(pt.loc[u, col]) for u in sorted(shapes) if u in pt.index}
        map_names.update({r["id"]: r["name"] for r in unit_rows if r["id"] in shapes})
    return map_names
