"""Benchmark of the weight explorer page (prints a table; not a test).

For the shipped provincial panel (``config/config.yaml``: 30 provinces x 10 years x 9
indicators; province outlines prepared beforehand, not timed) and for synthetic panels of 300, 3,000 (COINr's synthetic size) and 10,000 units
(10 years, the shipped framework, 2 % missing), the table gives the page size (the 2 MB
limit of the issue is for the provincial page; the panel is embedded at full precision, so the
size grows with the units), the time to build it in Python (payload and HTML), the time to load
it in the browser, and the time the page takes per change of a weight in headless Chromium
(recompute every unit-year, redraw claims, region table, map colours and the rank table of at
most 100 rows), measured by the page itself (``performance.now()``) over ``--changes`` changes
typed into a multiplier field, and of a switch of the aggregation method. Targets of issue 16:
< 50 ms per change for the provinces, < 500 ms at 3,000 units.

Run: ``python benchmarks/bench_explorer.py [--changes 25]`` (needs Chromium and Playwright,
as the browser tests: ``scripts/install_browser.sh``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--changes", type=int, default=25)
    args = ap.parse_args()

    from greenindex.config import load_schema, validate_config, variant_config
    from greenindex.figures.boundaries import load_boundaries
    from greenindex.figures.explorer import (
        assemble_payload,
        map_outlines,
        render_explorer,
        synthetic_inputs,
    )
    from greenindex.index.pipeline import build_from_config
    from tests.browser import CHROMIUM_ARGS, chromium_path

    cfg = validate_config(
        yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8")),
        load_schema(),
    )
    main_v = cfg["main_variant"]
    methods = variant_config(cfg, main_v)
    res = build_from_config(REPO / "config" / "config.yaml")
    fw = res.framework
    units = pd.read_csv(REPO / cfg["data"]["units"], dtype=str, keep_default_na=False)
    outlines = map_outlines(load_boundaries())
    window = (cfg["window"]["start"], cfg["window"]["end"])

    cases = []
    t = time.perf_counter()
    html = render_explorer(
        assemble_payload(
            res.normalised,
            fw,
            res.weights,
            units,
            language="en",
            region_scheme=cfg["regions"]["scheme"],
            region_order=cfg["regions"]["order"],
            window=window,
            methods=methods,
            variant=main_v,
            outlines=outlines,
        )
    )
    cases.append(
        (
            "provinces (shipped data, with map)",
            res.normalised.index.get_level_values(0).nunique(),
            html,
            time.perf_counter() - t,
        )
    )
    for n in (300, 3000, 10000):
        z, ut = synthetic_inputs(fw, n, seed=1)
        t = time.perf_counter()
        html = render_explorer(
            assemble_payload(
                z,
                fw,
                res.weights,
                ut,
                language="en",
                region_scheme="region",
                region_order=None,
                window=window,
                methods=methods,
                variant="synthetic",
            )
        )
        cases.append(("synthetic, no map", n, html, time.perf_counter() - t))

    exe = chromium_path()
    if exe is None:
        sys.exit("no Chromium: run scripts/install_browser.sh or set GREENINDEX_CHROMIUM")
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as d, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for label, n, html, build_s in cases:
            path = Path(d) / "page.html"
            path.write_text(html, encoding="utf-8")
            t = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("#rank-table tbody tr")
            load_s = time.perf_counter() - t
            before = int(page.get_attribute("body", "data-updates"))
            for k in range(args.changes):
                page.fill("#n-structure", f"{1 + 0.05 * (k + 1):.2f}")
            page.check("#method-geometric")
            page.check("#method-arithmetic")
            ms = page.evaluate(f"() => window.greenindexExplorer.timings.slice({before})")
            weights_ms, method_ms = ms[: args.changes], ms[args.changes :]
            rows.append(
                (
                    label,
                    n,
                    len(html.encode("utf-8")) / 1e6,
                    build_s,
                    load_s,
                    statistics.median(weights_ms),
                    max(weights_ms),
                    statistics.median(method_ms),
                )
            )
        browser.close()

    print(
        f"weight explorer, {args.changes} weight changes per page; load: {os.getloadavg()[0]:.2f} (1-min)"
    )
    print(
        f"{'page':38s} {'units':>6s} {'MB':>6s} {'build s':>8s} {'load s':>7s} "
        f"{'median ms':>10s} {'max ms':>8s} {'method ms':>10s}"
    )
    for label, n, mb, b, ld, med, mx, mm in rows:
        print(f"{label:38s} {n:6d} {mb:6.2f} {b:8.2f} {ld:7.2f} {med:10.1f} {mx:8.1f} {mm:10.1f}")
    print("targets (issue 16): < 50 ms per change for the provinces, < 500 ms at 3,000 units")


if __name__ == "__main__":
    main()
