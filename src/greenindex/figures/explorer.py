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

import html
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greenindex.figures.explorer_outlines import map_outlines
from greenindex.figures.explorer_payload import (
    WEIGHTS_METHOD_KEY,
    assemble_payload,
    flag_cells,
    snippet_sections,
)
from greenindex.figures.explorer_text import TEXT
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


def _asset(name: str) -> str:
    return (resources.files("greenindex.figures") / "explorer" / name).read_text(encoding="utf-8")


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


def _read_weights(weights: str | Path) -> pd.Series | pd.DataFrame:
    """Within-parent weights by node (a DataFrame by year for ``weights.scope: year``)."""
    wt = pd.read_csv(weights)
    w: pd.Series | pd.DataFrame
    if "year" in wt.columns:
        w = wt.pivot(index="year", columns="node", values="weight")
    else:
        w = wt.set_index("node")["weight"]
    return w


def _read_flag_cells(
    flags: str | Path, codebook: str | Path | None, indicators: Sequence[str]
) -> pd.DataFrame:
    """The treated cells of ``flags.csv`` (:func:`flag_cells`)."""
    fl = pd.read_csv(flags, dtype={"unit": str})
    cb = pd.read_csv(codebook, dtype=str, keep_default_na=False) if codebook is not None else None
    return flag_cells(fl, cb, indicators)


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
    from greenindex.figures.map_text import map_caption

    z = read_panel(normalised)
    fw = Framework.from_frame(pd.read_csv(framework, keep_default_na=False)).subset(z.columns)
    w = _read_weights(weights)
    ut = pd.read_csv(units, dtype=str, keep_default_na=False)
    cells = _read_flag_cells(flags, codebook, list(fw.indicators)) if flags is not None else None
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
