"""What a user of the engine waits for, in-process (prints a table; asserts nothing).

Every row times the work from tables already in memory to the result, *including* building the
index framework from the codebook and framework tables (file reading excluded, as in the
COINr comparison), as the median of ``--repeat`` runs after one warm-up:

1. COINr's ASEM example (51 units x 49 indicators, 4 levels): framework from the tables,
   min-max [0, 100], weighted arithmetic mean over the tree.
2. A synthetic 3,000 units x 50 indicators, 4 levels (50 -> 10 dimensions -> 2 sub-indices ->
   index), the same build.
3. The Monte Carlo over method choices on ASEM, N = 1,000, COINr's three uncertain inputs
   (normalisation, aggregation, +-25 % weights), model built from the tables.
4. A county-scale panel, 2,851 units x 20 years x 40 indicators (2 % missing): treat
   (interpolation, nearest edges, screen, outliers), pooled min-max, pooled entropy weights,
   aggregation; median time and peak memory (tracemalloc) of one run.
5. The Monte Carlo on the shipped provincial panel, N = 10,000, with the default Sobol design
   (model built from the treated panel).

The COINr column holds figures **recorded**, not measured by this script: COINr 1.1.14 on R
4.2.2, one thread, timed side by side with this engine on this project's 2-core machine kind
(issue 14, November 2026; ASEM build 0.0285 s, 3,000 x 50 build 1.03 s, Monte Carlo 74.4 s).
Run COINr yourself for a comparison on your machine. The machine's load average is printed
before and after: figures taken at a load above about 0.5 per core are not quiet-machine
figures.

Run:  python benchmarks/bench_engine.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_uncertainty import asem_inputs, asem_model, provincial, provincial_model

from greenindex.analysis import uncertainty as ua
from greenindex.index import aggregate, normalise, weights
from greenindex.index.framework import Framework
from greenindex.index.pipeline import treat_steps_from_config

#: COINr 1.1.14 wall times recorded side by side with this engine (see the module docstring).
COINR_RECORDED = {"asem": 0.0285, "3000x50": 1.03, "mc_asem": 74.4}


def synthetic_tables(m: int, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Codebook and framework tables of a 4-level tree: m indicators, k dimensions, 2 sub-indices."""
    rng = np.random.default_rng(0)
    inds = [f"x{j:02d}" for j in range(m)]
    cb = pd.DataFrame(
        {
            "id": inds,
            "dimension": [f"D{j * k // m}" for j in range(m)],
            "direction": rng.choice([1, -1], size=m, p=[0.8, 0.2]),
            "weight": 1.0,
        }
    )
    fw = pd.DataFrame(
        {
            "id": ["index", "S0", "S1", *[f"D{d}" for d in range(k)]],
            "parent": ["", "index", "index", *[("S0" if d < k // 2 else "S1") for d in range(k)]],
            "weight": 1.0,
        }
    )
    return cb, fw


def panel(n_units: int, n_years: int, m: int, missing: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_units * n_years
    base = rng.lognormal(mean=1.0, sigma=0.8, size=(n_units, 1, m))
    trend = 1 + 0.02 * np.arange(n_years)[None, :, None]
    noise = rng.normal(1, 0.05, size=(n_units, n_years, m))
    x = (base * trend * noise).reshape(n, m)
    x[rng.random(x.shape) < missing] = np.nan
    idx = pd.MultiIndex.from_product(
        [[f"U{u:05d}" for u in range(n_units)], range(2001, 2001 + n_years)],
        names=["unit", "year"],
    )
    return pd.DataFrame(x, index=idx, columns=[f"x{j:02d}" for j in range(m)])


def build_from_tables(x: pd.DataFrame, cb: pd.DataFrame, fr: pd.DataFrame) -> pd.DataFrame:
    """Framework from the tables, min-max [0, 100], arithmetic mean over the tree."""
    fw = Framework.from_tables(cb, fr)
    z, _ = normalise.minmax(x, fw.direction, low=0, high=100)
    return aggregate.aggregate(z, fw)


#: Treatment of the county panel: linear interpolation with nearest edges (no limit on how
#: far an edge value is carried), the other keys from the schema defaults, outliers treated.
TREAT = {
    "impute": {"method": "linear", "edge": "nearest", "edge_max_years": None},
    "outliers": {"method": "winsorise_log"},
}


def county_build(x: pd.DataFrame, cb: pd.DataFrame, fr: pd.DataFrame) -> pd.DataFrame:
    fw = Framework.from_tables(cb, fr)
    treated = treat_steps_from_config(x, TREAT)[2]
    z, _ = normalise.minmax(treated, fw.direction, low=0, high=100)
    w = weights.compute_weights(z / 100, fw, "entropy", level="global", scope="pooled")
    return aggregate.aggregate(z, fw, w.weights)


def measure(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"before: {load()}")
    rows: list[tuple[str, float, str, str]] = []

    from tests.conformance.asem import asem_tables, wide_panel

    t = asem_tables(REPO / "tests" / "data" / "coinr_asem", denominate=False)
    acb = t["codebook"][t["codebook"]["role"] == "indicator"]
    afr = t["framework"]
    ax = wide_panel(t["observations"])[list(acb["id"])]
    sec = measure(lambda: build_from_tables(ax, acb, afr), args.repeat)
    rows.append(("ASEM build from tables, 51 x 49, 4 levels", sec, "< 0.005 s", "asem"))

    cb, fr = synthetic_tables(50, 10)
    x = panel(3000, 1, 50, 0.01, seed=1)
    sec = measure(lambda: build_from_tables(x, cb, fr), args.repeat)
    rows.append(("3,000 x 50 build from tables, 4 levels", sec, ">= 100x COINr", "3000x50"))

    at = asem_inputs()
    sec = measure(lambda: ua.run(asem_model(at), n=1000, sobol_n_base=0), max(3, args.repeat // 2))
    rows.append(("Monte Carlo N = 1,000 on ASEM, 3 uncertain choices", sec, "< 0.1 s", "mc_asem"))

    cb2, fr2 = synthetic_tables(40, 8)
    x2 = panel(2851, 20, 40, 0.02, seed=2)
    sec = measure(lambda: county_build(x2, cb2, fr2), 3)
    mem = peak_mib(lambda: county_build(x2, cb2, fr2))
    rows.append(
        (
            f"county panel 2,851 x 20 yr x 40: treat -> index (peak {mem:.0f} MiB)",
            sec,
            "< 2 s, < 1 GB",
            "",
        )
    )

    p, _ = provincial()
    settings = ua.settings_from_config(dict(p["cfg"].get("uncertainty") or {}))

    def provincial_mc() -> None:
        m = provincial_model(p)
        ua.run(m, n=10000, sobol_n_base=settings["sobol_n_base"], bootstrap=settings["bootstrap"])

    sec = measure(provincial_mc, 3)
    rows.append(("provincial panel, N = 10,000 + default Sobol design", sec, "< 2 s", ""))

    print()
    print(
        "| job | greenindex (median s) | target | COINr 1.1.14 (recorded s) | COINr / greenindex |"
    )
    print("|---|---|---|---|---|")
    for name, sec, target, key in rows:
        coinr = COINR_RECORDED.get(key)
        ratio = f"{coinr / sec:.0f}x" if coinr else "-"
        print(f"| {name} | {sec:.4f} | {target} | {coinr if coinr else '-'} | {ratio} |")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess max RSS: {rss:.0f} MiB (interpreter, imports and all rows)")
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
