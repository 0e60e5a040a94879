"""Wall time of the whole workflow: a cold run and a rerun after changing one weight.

For each run it prints the wall time of ``snakemake`` (start to finish) and how long after
the start the reports and the map PNGs had all been written (what a researcher looks at
first; the rest of the run, other variants' tables and the Monte Carlo, may still be going).

    .venv/bin/python benchmarks/bench_workflow.py [--repeat 1]

Runs in a temporary copy of the repository (results, resources and .snakemake start empty),
with the environment already installed. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

VARIANTS = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "config/config.yaml").read_text(encoding="utf-8")
)["variants"]

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"


def _copy(dest: Path) -> None:
    for item in ("Snakefile", "workflow", "config", "data", "profiles"):
        src = ROOT / item
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / item)


def _report_ready(cwd: Path, wall_start: float) -> float:
    """Seconds from the start of the run until the reports and the map PNGs were all written."""
    files = list((cwd / "results/report").glob("report_*.html"))
    files += list((cwd / "results/figures").glob("*/maps/*.png"))
    return max(f.stat().st_mtime for f in files) - wall_start


def _run(cwd: Path, *args: str) -> tuple[float, int, float]:
    """Wall time, number of jobs, and seconds until the report and maps were updated."""
    wall_start = time.time()
    t0 = time.perf_counter()
    r = subprocess.run(
        [str(SNAKEMAKE), "--cores", "2", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(r.stdout[-3000:] + r.stderr[-3000:])
    jobs = re.findall(r"(\d+) of (\d+) steps \(100%\) done", r.stdout + r.stderr)
    return dt, int(jobs[-1][1]) if jobs else 0, _report_ready(cwd, wall_start)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    print(f"before: {_load()}")
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    n = ap.parse_args().repeat
    runs: dict[str, list[tuple[float, int, float]]] = {
        "cold": [],
        "base": [],
        "main": [],
        "working": [],
    }
    for _ in range(n):
        with tempfile.TemporaryDirectory() as tmp:
            wd = Path(tmp)
            _copy(wd)
            runs["cold"].append(_run(wd))
            # a weight of the base config: every method variant inherits it
            _edit(wd, lambda c: c["weights"].update({"user": {"structure": 2.0}}))
            runs["base"].append(_run(wd))
            # a weight of the main variant only (the one the maps show)
            _edit(
                wd,
                lambda c: c["variants"]["entropy"].update(
                    {"weights": {"user": {"structure": 3.0}}}
                ),
            )
            runs["main"].append(_run(wd))
        # the same main-variant change in a working configuration: one figure language, no
        # Monte Carlo (what a researcher trying weights might switch off until the final run)
        with tempfile.TemporaryDirectory() as tmp:
            wd = Path(tmp)
            _copy(wd)
            _edit(wd, _working)
            _run(wd)
            _edit(
                wd,
                lambda c: c["variants"]["entropy"].update(
                    {"weights": {"user": {"structure": 3.0}}}
                ),
            )
            runs["working"].append(_run(wd))
    rows = {
        "cold": (
            (
                f"cold full run (shipped data, {len(VARIANTS)} variants, maps, charts, tables, "
                "explorer and report zh+en, uncertainty N=1000)"
            ),
            "< 45",
        ),
        "base": (
            "rerun after one weight change in the base config (every variant re-weighted)",
            "< 10",
        ),
        "main": ("rerun after one weight change in the main variant only", "< 10"),
        "working": (
            (
                "the same, with `figures.language: [en]` and `uncertainty.enabled: false` "
                "(a working configuration, not the default)"
            ),
            "-",
        ),
    }
    print(
        "| run | jobs | wall time (s, median) | reports and maps updated after (s, median) "
        "| target (s) |"
    )
    print("|---|---|---|---|---|")
    for key, (what, target) in rows.items():
        wall = statistics.median(r[0] for r in runs[key])
        ready = statistics.median(r[2] for r in runs[key])
        print(f"| {what} | {runs[key][-1][1]} | {wall:.1f} | {ready:.1f} | {target} |")
    print(f"\nafter: {_load()}")


def _working(cfg: dict) -> None:
    cfg["figures"]["language"] = ["en"]
    cfg["uncertainty"]["enabled"] = False


def _edit(wd: Path, fn) -> None:
    p = wd / "config/config.yaml"
    cfg = yaml.safe_load(p.read_text(encoding="utf-8"))
    fn(cfg)
    p.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    main()
