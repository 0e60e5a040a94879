"""The weight explorer page: its data, and its numbers in headless Chromium against the Python engine.

The browser tests build the page from the shipped data (``config/config.yaml`` through
``build_from_config``), move its controls through the DOM, read the full-precision values the
page writes into data attributes and compare them with :func:`greenindex.index.aggregate.aggregate`
and :func:`greenindex.analysis.claims.check_claims`.
"""

from __future__ import annotations

import copy
import json
import re
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from greenindex.analysis.claims import check_claims
from greenindex.config import load_schema, validate_config, variant_config
from greenindex.figures.explorer import (
    WEIGHTS_METHOD_KEY,
    assemble_payload,
    flag_cells,
    map_outlines,
    render_explorer,
    synthetic_inputs,
)
from greenindex.index import aggregate as agg
from greenindex.index.pipeline import build_from_config, normalise_from_config
from tests.browser import browser_page

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config" / "config.yaml"
TOL = 1e-9


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    """The main variant of the shipped configuration, computed by the Python engine."""
    cfg = validate_config(yaml.safe_load(CONFIG.read_text(encoding="utf-8")), load_schema())
    res = build_from_config(CONFIG)
    units = pd.read_csv(REPO / cfg["data"]["units"], dtype=str, keep_default_na=False)
    parts = [
        res.reports[k]
        for k in ("substitute_cells", "impute_cells", "outlier_cells")
        if k in res.reports and len(res.reports[k])
    ]
    flags = pd.concat(parts, ignore_index=True)
    codebook = pd.read_csv(REPO / cfg["data"]["codebook"], dtype=str, keep_default_na=False)
    return {
        "cfg": cfg,
        "res": res,
        "units": units,
        "cells": flag_cells(flags, codebook, list(res.framework.indicators)),
    }


@pytest.fixture(scope="module")
def outlines():
    from greenindex.figures.boundaries import load_boundaries

    return map_outlines(load_boundaries())


def _payload(shipped, outlines, language="en"):
    cfg, res = shipped["cfg"], shipped["res"]
    main = cfg["main_variant"]
    return assemble_payload(
        res.normalised,
        res.framework,
        res.weights,
        shipped["units"],
        language=language,
        region_scheme=cfg["regions"]["scheme"],
        region_order=cfg["regions"]["order"],
        window=(cfg["window"]["start"], cfg["window"]["end"]),
        methods=variant_config(cfg, main),
        variant=main,
        growth=cfg["claims"]["growth"],
        flags=shipped["cells"],
        outlines=outlines,
        between_share_large=cfg["claims"]["between_share_large"],
        map_note="Base map: test",
    )


@pytest.fixture(scope="module")
def pages(shipped, outlines, tmp_path_factory):
    d = tmp_path_factory.mktemp("explorer")
    out = {}
    for lang in ("en", "zh"):
        p = d / f"explorer_{lang}.html"
        p.write_text(render_explorer(_payload(shipped, outlines, lang)), encoding="utf-8")
        out[lang] = p
    return out


# --- helpers -----------------------------------------------------------------------------------


def _read_table(page) -> pd.DataFrame:
    """The rank table as the page shows it, with the full-precision values of data-value."""
    rows = page.evaluate("""() => Array.from(document.querySelectorAll('#rank-table tbody tr')).map(tr => {
        const o = {unit: tr.dataset.unit, rank: Number(tr.dataset.rank), change: Number(tr.dataset.rankChange)};
        tr.querySelectorAll('td[data-node]').forEach(td => { o[td.dataset.node] = Number(td.dataset.value); });
        return o; })""")
    return pd.DataFrame(rows).set_index("unit").sort_index()


def _read_claims(page) -> dict[str, tuple[float, str]]:
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#claims li')).map(
        li => [li.dataset.claim, [Number(li.dataset.value), li.dataset.holds]]))""")


def _claims_match(page, scores: pd.DataFrame, shipped) -> None:
    """The page's claim values and verdicts equal check_claims (without bootstrap) to 1e-9."""
    cfg = shipped["cfg"]
    regions = shipped["units"].set_index("unit")[cfg["regions"]["scheme"]]
    table = check_claims(
        {"main": scores},
        regions,
        (cfg["window"]["start"], cfg["window"]["end"]),
        column=shipped["res"].framework.root,
        growth=cfg["claims"]["growth"],
        bootstrap=0,
        between_share_large=cfg["claims"]["between_share_large"],
    )
    shown = _read_claims(page)
    assert set(shown) == {"C1", "C2", "C3", "C4a", "C4b"}
    for claim, (value, holds) in shown.items():
        row = table[table["claim"] == claim].iloc[0]
        assert abs(value - row["value"]) < TOL, (claim, value, row["value"])
        assert holds == str(bool(row["holds"])).lower()


def _shares(weights: pd.Series, framework, mult: dict[str, float]) -> pd.Series:
    """w'_n = m_n w_n / sum over siblings of m_s w_s (the page's and weights.user's meaning)."""
    raw = pd.Series({n: mult.get(n, 1.0) * float(weights[n]) for n in weights.index})
    par = pd.Series({n: framework.parent[n] for n in weights.index})
    return raw / raw.groupby(par).transform("sum")


def _python_scores(shipped, mult, method):
    res, cfg = shipped["res"], shipped["cfg"]
    z = res.normalised
    if method == "geometric":
        sec = {**variant_config(cfg, cfg["main_variant"])["normalise"], "range": [1, 100]}
        z, _ = normalise_from_config(
            res.treated[list(res.framework.indicators)], res.framework.direction, sec
        )
    return agg.aggregate(z, res.framework, _shares(res.weights, res.framework, mult), method)


def _set(page, mult: dict[str, float], method: str) -> None:
    """Type the multipliers into the controls (opening the collapsed indicator groups)."""
    page.click("#reset")
    closed = page.locator("details.inds:not([open]) > summary")
    while closed.count():
        closed.first.click()
    for node, m in mult.items():
        page.fill(f"#n-{node}", repr(m))
    page.check(f"#method-{method}")


def _random_setting(rng, framework, nonroot):
    mult = {}
    for n in nonroot:
        if rng.random() < 0.6:
            mult[n] = round(float(rng.integers(0, 61)) * 0.05, 2)
    for p in {framework.parent[n] for n in nonroot}:  # one positive weight per parent at least
        kids = [n for n in nonroot if framework.parent[n] == p]
        if all(mult.get(k, 1.0) == 0 for k in kids):
            mult[kids[0]] = 1.5
    return mult


def _compare(page, expected: pd.DataFrame, year: int, framework) -> None:
    page.select_option("#year", str(year))
    shown = _read_table(page)
    exp = expected.xs(year, level="year")
    nodes = [framework.root, *framework.dimensions]
    assert sorted(shown.index) == sorted(exp.index)
    diff = (shown[nodes] - exp.loc[shown.index, nodes]).abs().to_numpy()
    assert np.nanmax(diff) < TOL, f"page differs from the engine by {np.nanmax(diff):.3g} in {year}"
    assert np.array_equal(
        np.isnan(shown[nodes].to_numpy()), np.isnan(exp.loc[shown.index, nodes].to_numpy())
    )
    ranks = exp[framework.root].rank(ascending=False, method="min")
    assert (shown["rank"] == ranks.loc[shown.index]).all()


# --- data of the page --------------------------------------------------------------------------


def test_flag_cells_kinds():
    flags = pd.DataFrame(
        [
            ("AH", 2020, "a", "impute", "linear", None, 1.0),
            ("AH", 2019, "a", "impute", "nearest", None, 1.0),
            ("BJ", 2020, "pop", "substitute", "census x 0.0001", None, 2.0),
            ("BJ", 2018, "zz", "impute", "linear", None, 1.0),
        ],
        columns=["unit", "year", "indicator", "step", "method", "old", "new"],
    )
    cb = pd.DataFrame({"id": ["a", "b"], "numerator": ["x", "y"], "denominator": ["y", "pop"]})
    cells = flag_cells(flags, cb, ["a", "b"])
    got = set(map(tuple, cells[["unit", "year", "indicator", "kind"]].itertuples(index=False)))
    assert got == {
        ("AH", 2020, "a", "interp"),
        ("AH", 2019, "a", "carried"),
        ("BJ", 2020, "b", "subst"),
    }


def test_outlines_all_provinces_and_inset(outlines):
    shown = set(outlines["main"]) | set(outlines["inset"])
    assert len(shown) == 34  # every provincial-level unit, including TW, HK, MO
    assert outlines["inset_box"] is not None and outlines["dash_inset"]
    assert "HI" in outlines["inset"]  # the South China Sea islands are in the inset
    nums = np.array(
        [float(v) for p in outlines["main"].values() for v in re.findall(r"-?[\d.]+", p)]
    )
    assert nums.min() > -0.05 * outlines["width"] and nums.max() < 1.05 * max(
        outlines["width"], outlines["height"]
    )


def test_page_self_contained_deterministic_and_small(shipped, outlines):
    a = render_explorer(_payload(shipped, outlines))
    assert a == render_explorer(_payload(shipped, outlines))
    assert len(a.encode("utf-8")) < 2_000_000
    assert "<script src" not in a and "<link" not in a
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", a))
    assert urls <= {"http://www.w3.org/2000/svg"}, (
        urls
    )  # the SVG namespace name only, never fetched
    data = json.loads(
        re.search(r'id="explorer-data">(.*?)</script>', a, re.DOTALL).group(1).replace("<\\/", "</")
    )
    assert data["keys"]["method"] == WEIGHTS_METHOD_KEY
    assert data["data_driven"] and data["method"] == "entropy"


# --- in the browser ----------------------------------------------------------------------------


def test_starting_numbers_equal_the_engine(pages, shipped):
    res, cfg = shipped["res"], shipped["cfg"]
    with browser_page() as (page, errors):
        page.goto(pages["en"].as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        for year in (cfg["window"]["end"], cfg["window"]["start"], cfg["panel"]["start"]):
            _compare(page, res.scores, year, res.framework)
        _claims_match(page, res.scores, shipped)
        assert all(
            int(r) == 0
            for r in page.eval_on_selector_all(
                "#rank-table tbody tr", "t => t.map(r => r.dataset.rankChange)"
            )
        )
        assert errors == []


def test_random_weights_equal_the_engine(pages, shipped):
    res = shipped["res"]
    fw = res.framework
    nonroot = [n for n in fw.nodes if n != fw.root]
    rng = np.random.default_rng(16)
    with browser_page() as (page, errors):
        page.goto(pages["en"].as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        for k, method in enumerate(["arithmetic", "geometric", "arithmetic", "geometric"]):
            mult = _random_setting(rng, fw, nonroot)
            _set(page, mult, method)
            expected = _python_scores(shipped, mult, method)
            _compare(page, expected, 2020 if k % 2 else 2016, fw)
            _claims_match(page, expected, shipped)
            shares = page.evaluate(
                "() => Object.fromEntries(Array.from(document.querySelectorAll('output.share')).map(o => [o.dataset.node, Number(o.dataset.share)]))"
            )
            want = _shares(res.weights, fw, mult)
            assert max(abs(shares[n] - want[n]) for n in nonroot) < TOL
            # rank change against the starting weights
            start = res.scores.xs(int(page.input_value("#year")), level="year")[fw.root]
            shown = _read_table(page)
            r0 = start.rank(ascending=False, method="min")
            assert ((r0.loc[shown.index] - shown["rank"]) == shown["change"]).all()
        assert errors == []


def test_keyboard_reset_and_map(pages):
    with browser_page() as (page, errors):
        page.goto(pages["en"].as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        fills0 = page.eval_on_selector_all("path.prov", "ps => ps.map(p => p.getAttribute('fill'))")
        n0 = int(page.get_attribute("body", "data-updates"))
        page.focus("#m-green_innovation")
        for _ in range(10):
            page.keyboard.press("ArrowLeft")
        assert page.input_value("#m-green_innovation") == "0.5"
        assert page.input_value("#n-green_innovation") == "0.5"
        assert int(page.get_attribute("body", "data-updates")) == n0 + 10
        assert (
            page.eval_on_selector_all("path.prov", "ps => ps.map(p => p.getAttribute('fill'))")
            != fills0
        )
        # no-data units (Taiwan, Tibet dropped) are hatched
        assert page.get_attribute("path.prov[data-unit='TW']", "fill") == "url(#hatch)"
        assert page.get_attribute("path.prov[data-unit='XZ']", "fill") == "url(#hatch)"
        # the indicator controls are in a collapsible group reachable by keyboard
        page.focus("#reset")
        page.keyboard.press("Enter")
        assert page.input_value("#m-green_innovation") == "1"
        assert (
            page.eval_on_selector_all("path.prov", "ps => ps.map(p => p.getAttribute('fill'))")
            == fills0
        )
        summary = page.locator("details.inds summary").first
        summary.focus()
        page.keyboard.press("Enter")
        assert page.locator("details.inds").first.get_attribute("open") is not None
        # every control has a label
        unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('input, select, textarea')).filter(
            e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.id)""")
        assert unlabelled == []
        assert errors == []


def test_chinese_page(pages):
    with browser_page() as (page, errors):
        page.goto(pages["zh"].as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        assert page.get_attribute("html", "lang") == "zh-CN"
        assert "权重" in page.inner_text("#controls")
        assert "东部" in page.inner_text("#regions")
        assert "北京" in page.inner_text("#rank-table")
        assert errors == []


def _timings(page, node: str, n: int = 12) -> list[float]:
    before = int(page.get_attribute("body", "data-updates"))
    for k in range(n):
        page.fill(f"#n-{node}", f"{1 + 0.05 * (k + 1):.2f}")
    return page.evaluate(f"() => window.greenindexExplorer.timings.slice({before})")


def test_recomputation_time(pages, shipped, tmp_path):
    """Median time per change (recompute and redraw) in the page; the issue's targets: < 50 ms
    for the provinces, < 500 ms for COINr's 3,000-unit synthetic size."""
    res, cfg = shipped["res"], shipped["cfg"]
    z, units = synthetic_inputs(res.framework, 3000, seed=1)
    payload = assemble_payload(
        z,
        res.framework,
        res.weights,
        units,
        language="en",
        region_scheme="region",
        region_order=None,
        window=(2016, 2020),
        methods=variant_config(cfg, cfg["main_variant"]),
        variant="synthetic",
    )
    big = tmp_path / "explorer_3000.html"
    big.write_text(render_explorer(payload), encoding="utf-8")
    with browser_page() as (page, errors):
        page.goto(pages["en"].as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        prov = statistics.median(_timings(page, "structure"))
        page.goto(big.as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        assert page.locator("#rank-table tbody tr").count() == 100
        synth = statistics.median(_timings(page, "structure"))
        print(
            f"\nexplorer recomputation, median of 12 changes: provinces {prov:.1f} ms, 3000 units {synth:.1f} ms"
        )
        assert prov < 50 and synth < 500
        assert errors == []


def _pasted(tmp: Path, snippet: str, config: dict | None = None) -> Path:
    """A copy of the repository's config and data with the snippet's sections pasted in place
    of the sections of the same name (what a user does with the exported text)."""
    import shutil

    for item in ("config", "data"):
        shutil.copytree(REPO / item, tmp / item, dirs_exist_ok=True)
    cfg = copy.deepcopy(config) if config else yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    cfg.update(yaml.safe_load(snippet))
    path = tmp / "config" / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_exported_snippet_reproduces_the_page(pages, shipped, tmp_path):
    """For random weight settings, the workflow's engine with the exported snippet pasted into
    the config gives the page's numbers to 1e-9."""
    fw = shipped["res"].framework
    nonroot = [n for n in fw.nodes if n != fw.root]
    rng = np.random.default_rng(1616)
    settings = [({}, "arithmetic")] + [
        (_random_setting(rng, fw, nonroot), m) for m in ("arithmetic", "geometric", "arithmetic")
    ]
    with browser_page() as (page, errors):
        page.goto(pages["en"].as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        for k, (mult, method) in enumerate(settings):
            _set(page, mult, method)
            page.click("#export")
            text = page.input_value("#snippet")
            snip = yaml.safe_load(text)
            assert set(snip) == {"normalise", "weights", "aggregate"}
            assert snip["weights"][WEIGHTS_METHOD_KEY] == "entropy"
            assert snip["weights"]["user"] == {n: m for n, m in mult.items() if m != 1}
            assert snip["aggregate"]["method"] == method
            res = build_from_config(_pasted(tmp_path / f"s{k}", text))
            for year in (2016, 2020):
                _compare(page, res.scores, year, fw)
        assert errors == []


def test_per_year_weights_and_snippet(shipped, tmp_path):
    """With weights.scope: year (one weight vector per year) the page multiplies each year's
    weights, and its snippet still reproduces its numbers. (Panel 2016-2020: two indicators
    have a single value in 2011, so per-year weights need the later years.)"""
    from greenindex.config import deep_merge

    user_cfg = deep_merge(
        yaml.safe_load(CONFIG.read_text(encoding="utf-8")),
        {
            "weights": {"scope": "year"},
            "panel": {"start": 2016, "end": 2020},
            "validate": {"outside_years": "drop"},
        },
    )
    base = tmp_path / "base"
    res = build_from_config(_pasted(base, "{}", user_cfg))
    assert isinstance(res.weights, pd.DataFrame)
    cfg = validate_config(user_cfg, load_schema())
    page_path = tmp_path / "per_year.html"
    page_path.write_text(
        render_explorer(
            assemble_payload(
                res.normalised,
                res.framework,
                res.weights,
                shipped["units"],
                language="en",
                region_scheme=cfg["regions"]["scheme"],
                region_order=cfg["regions"]["order"],
                window=(cfg["window"]["start"], cfg["window"]["end"]),
                methods=variant_config(cfg, cfg["main_variant"]),
                variant=cfg["main_variant"],
            )
        ),
        encoding="utf-8",
    )
    fw = res.framework
    mult = {"green_innovation": 0.4, "rd_intensity": 2.5, "coal_co2_share": 0.0}
    with browser_page() as (page, errors):
        page.goto(page_path.as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        assert "differ by year" in page.inner_text("#notes")
        _compare(page, res.scores, 2016, fw)
        _set(page, mult, "arithmetic")
        page.click("#export")
        text = page.input_value("#snippet")
        assert yaml.safe_load(text)["weights"]["scope"] == "year"
        pasted = build_from_config(_pasted(tmp_path / "paste", text, user_cfg))
        for year in (2016, 2018, 2020):
            _compare(page, pasted.scores, year, fw)
        assert errors == []


def test_config_multipliers_compound_in_the_snippet(shipped, tmp_path):
    """When the config already has weights.user, the page starts from those weights and the
    snippet multiplies the config's multipliers by the page's (renormalising is scale-free)."""
    from greenindex.config import deep_merge

    user_cfg = deep_merge(
        yaml.safe_load(CONFIG.read_text(encoding="utf-8")),
        {"weights": {"user": {"structure": 2, "rd_intensity": 0.5}}},
    )
    res = build_from_config(_pasted(tmp_path / "base", "{}", user_cfg))
    cfg = validate_config(user_cfg, load_schema())
    page_path = tmp_path / "user.html"
    page_path.write_text(
        render_explorer(
            assemble_payload(
                res.normalised,
                res.framework,
                res.weights,
                shipped["units"],
                language="en",
                region_scheme=cfg["regions"]["scheme"],
                region_order=cfg["regions"]["order"],
                window=(cfg["window"]["start"], cfg["window"]["end"]),
                methods=variant_config(cfg, cfg["main_variant"]),
                variant=cfg["main_variant"],
            )
        ),
        encoding="utf-8",
    )
    with browser_page() as (page, errors):
        page.goto(page_path.as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        _compare(page, res.scores, 2020, res.framework)
        _set(page, {"structure": 1.5, "green_innovation": 0.75}, "arithmetic")
        page.click("#export")
        text = page.input_value("#snippet")
        assert yaml.safe_load(text)["weights"]["user"] == {
            "structure": 3.0,
            "rd_intensity": 0.5,
            "green_innovation": 0.75,
        }
        pasted = build_from_config(_pasted(tmp_path / "paste", text, user_cfg))
        for year in (2016, 2020):
            _compare(page, pasted.scores, year, res.framework)
        assert errors == []


def test_main_variant_override_is_named_in_the_snippet(shipped, tmp_path):
    """A main variant whose own aggregation (TOPSIS) the page cannot compute: the page starts
    from the arithmetic mean, says so, and the snippet names the override that would win."""
    cfg, res = shipped["cfg"], shipped["res"]
    methods = variant_config(cfg, cfg["main_variant"])
    methods["aggregate"]["method"] = "topsis"
    page_path = tmp_path / "topsis.html"
    page_path.write_text(
        render_explorer(
            assemble_payload(
                res.normalised,
                res.framework,
                res.weights,
                shipped["units"],
                language="en",
                region_scheme=cfg["regions"]["scheme"],
                region_order=cfg["regions"]["order"],
                window=(cfg["window"]["start"], cfg["window"]["end"]),
                methods=methods,
                variant="topsis",
                variant_override={"aggregate": {"method": "topsis"}},
            )
        ),
        encoding="utf-8",
    )
    with browser_page() as (page, errors):
        page.goto(page_path.as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        assert page.is_checked("#method-arithmetic")
        assert "aggregates with 'topsis'" in page.inner_text("#notes")
        page.click("#export")
        text = page.input_value("#snippet")
        assert "variants.topsis sets aggregate.method" in text
        assert yaml.safe_load(text)["aggregate"]["method"] == "arithmetic"
        assert errors == []
