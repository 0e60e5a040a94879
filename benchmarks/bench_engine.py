"""Benchmark of the index engine (prints a table; not a test).

Rows:

1. 3,000 units x 50 indicators, four levels (50 -> 10 dimensions -> 2 sub-indices -> index),
   min-max [0, 100] + weighted arithmetic mean. COINr 1.1.14 takes a median 1.36 s for this
   build on the project machine (``tests/data/coinr_asem/README.md``, peer timings); the target
   is at least 30 times faster (<= 45 ms).
2. A county-scale panel, 2,851 units x 20 years x 40 indicators (2 % missing), through treat
   (linear interpolation + nearest edges, screen, skew/kurtosis outliers), pooled min-max,
   pooled entropy weights and arithmetic aggregation. Target: < 5 s and < 1.5 GB peak memory.

Data are synthetic and seeded. Times are the median over ``--repeat`` runs; peak memory is the
tracemalloc peak of one run (Python and NumPy allocations) and the process's maximum resident
set size.

Run: ``python benchmarks/bench_engine.py [--repeat 7]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd

from greenindex.index import aggregate, normalise, weights
from greenindex.index.framework import Framework
from greenindex.index.pipeline import treat_steps_from_config

COINR_SECONDS = 1.36


def tree(m: int, k: int) -> Framework:
    inds = [f"x{j:02d}" for j in range(m)]
    dims = [f"D{d}" for d in range(k)]
    parent = {i: dims[j * k // m] for j, i in enumerate(inds)}
    parent.update({d: ("S0" if n < k // 2 else "S1") for n, d in enumerate(dims)})
    parent.update({"S0": "index", "S1": "index"})
    rng = np.random.default_rng(0)
    direction = {i: int(rng.choice([1, -1], p=[0.8, 0.2])) for i in inds}
    return Framework(
        parent=parent,
        weight=dict.fromkeys(parent, 1.0),
        direction=direction,
        indicators=tuple(inds),
    )


def panel(n_units: int, n_years: int, m: int, missing: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_units * n_years
    base = rng.lognormal(mean=1.0, sigma=0.8, size=(n_units, 1, m))
    trend = 1 + 0.02 * np.arange(n_years)[None, :, None]
    noise = rng.normal(1, 0.05, size=(n_units, n_years, m))
    x = (base * trend * noise).reshape(n, m)
    x[rng.random(x.shape) < missing] = np.nan
    idx = pd.MultiIndex.from_product(
        [[f"U{u:05d}" for u in range(n_units)], range(2001, 2001 + n_years)], names=["unit", "year"]
    )
    return pd.DataFrame(x, index=idx, columns=[f"x{j:02d}" for j in range(m)])


def cross_section_build(x: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    z, _ = normalise.minmax(x, fw.direction, low=0, high=100)
    return aggregate.aggregate(z, fw)


def county_panel_build(x: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    treated = treat_steps_from_config(
        x,
        {
            "impute": {"method": "linear", "edge": "nearest", "edge_max_years": None},
            "outliers": {"method": "winsorise_log"},
        },
    )[2]
    z, _ = normalise.minmax(treated, fw.direction, low=0, high=1)
    w = weights.compute_weights(z, fw, "entropy", level="global", scope="pooled")
    return aggregate.aggregate(z, fw, w.weights)


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()

    fw1 = tree(50, 10)
    x1 = panel(3000, 1, 50, 0.01, seed=1)
    t1, m1 = measure(lambda: cross_section_build(x1, fw1), args.repeat)

    fw2 = tree(40, 8)
    x2 = panel(2851, 20, 40, 0.02, seed=2)
    t2, m2 = measure(lambda: county_panel_build(x2, fw2), max(3, args.repeat // 2))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = [
        (
            "3,000 units x 50 ind., 4 levels, min-max + amean",
            t1,
            m1,
            f"{COINR_SECONDS / t1:.0f}x faster than COINr 1.36 s (target >= 30x)",
        ),
        (
            "2,851 units x 20 yr x 40 ind.: treat, min-max, entropy, amean",
            t2,
            m2,
            "target < 5 s, < 1.5 GB",
        ),
    ]
    print(f"{'job':<64} {'median s':>9} {'peak MiB':>9}  note")
    print("-" * 130)
    for name, t, m, note in rows:
        print(f"{name:<64} {t:>9.3f} {m:>9.1f}  {note}")
    print(f"\nprocess max RSS: {rss:.0f} MiB (includes the Python interpreter and imports)")


if __name__ == "__main__":
    main()
