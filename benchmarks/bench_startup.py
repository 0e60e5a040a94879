"""Cost of the start-up work every run pays: the start-up check and the run-status snapshot.

    .venv/bin/python benchmarks/bench_startup.py [--repeat 5]

On the shipped data and config: ``check_run`` (everything the start-up check reads and
verifies; the workflow skips it when inputs and config are unchanged), and
``record_success`` / ``record_failure`` on a copy of a results tree (``--results``, default
``results/`` of this repository when present). Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from greenindex.config import load_schema, validate_config
from greenindex.data.preflight import check_run
from greenindex.runstate import record_failure, record_start, record_success


def _time(fn, repeat: int) -> tuple[float, float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out), min(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--results", type=Path, default=ROOT / "results")
    a = ap.parse_args()
    os.chdir(ROOT)
    cfg = validate_config(
        yaml.safe_load(Path("config/config.yaml").read_text(encoding="utf-8")), load_schema()
    )
    paths = {
        k: cfg["data"][k]
        for k in ("observations", "codebook", "units", "framework", "sources", "national_totals")
    }
    rows = [
        ("check_run (shipped data and config)", *_time(lambda: check_run(cfg, paths), a.repeat), "")
    ]
    if a.results.is_dir():
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(a.results, Path(tmp) / "results")
            n = sum(1 for p in (Path(tmp) / "results").rglob("*") if p.is_file())
            rows.append(
                (
                    "record_success (snapshot by hard links)",
                    *_time(lambda: record_success(tmp), a.repeat),
                    f"{n} files",
                )
            )

            def fail() -> None:
                record_start(tmp)
                record_failure(tmp)

            rows.append(
                ("record_failure (nothing to roll back)", *_time(fail, a.repeat), f"{n} files")
            )
    print("| step | median s | min s | note |\n|---|---|---|---|")
    for name, med, lo, note in rows:
        print(f"| {name} | {med:.3f} | {lo:.3f} | {note} |")
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; repeat {a.repeat}")


if __name__ == "__main__":
    main()
