"""Running the real workflow in a temporary copy of the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"


def copy_repo(dest: Path, items=("Snakefile", "workflow", "config", "data", "profiles")) -> Path:
    """Copy what the workflow needs into ``dest`` (no results, no .snakemake)."""
    dest.mkdir(parents=True, exist_ok=True)
    for item in items:
        src = REPO / item
        if src.is_dir():
            shutil.copytree(
                src, dest / item, ignore=shutil.ignore_patterns("__pycache__", ".snakemake")
            )
        elif src.exists():
            shutil.copy2(src, dest / item)
    return dest


def snakemake(
    cwd: Path, *args: str, timeout: int = 900, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run snakemake in ``cwd``; output captured (Snakemake 9 prints errors on stdout).

    Jobs use the warm worker as in a user's run (``env`` may switch it off); the worker of a
    test directory leaves 30 s after its last job instead of 15 minutes.
    """
    return subprocess.run(
        [str(SNAKEMAKE), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "GREENINDEX_WARM_IDLE": "30", **(env or {})},
    )


def edit_config(cwd: Path, fn) -> None:
    """Apply ``fn`` to the parsed config/config.yaml of ``cwd`` and write it back."""
    p = cwd / "config" / "config.yaml"
    cfg = yaml.safe_load(p.read_text(encoding="utf-8"))
    fn(cfg)
    p.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")


def small_config(cfg: dict, data: dict[str, Path]) -> None:
    """Settings for a quick run on the toy dataset of tests/conftest.py."""
    cfg["data"] = {k: str(v) for k, v in data.items()}
    cfg["data"]["national_totals"] = None
    cfg["panel"] = {"start": 2016, "end": 2020}
    cfg["units"]["drop"] = []
    cfg["treat"]["substitute"] = []
    cfg["validate"]["coverage_min_units"] = 10
    cfg["figures"]["language"] = ["en"]
    cfg["figures"]["formats"] = ["png"]
    cfg["figures"]["dpi"] = 100
    cfg["claims"]["bootstrap"] = 50
    cfg["spatial"]["islands"] = "nearest"
    cfg["spatial"]["permutations"] = 99
    cfg["uncertainty"]["n"] = 64
    cfg["uncertainty"]["sobol"] = {
        "enabled": True,
        "n_base": 16,
        "bootstrap": 20,
        "confidence": 0.9,
    }


def job_counts(dry_run_stdout: str) -> dict[str, int]:
    """Rule -> job count from the 'Job stats' table of a dry run."""
    counts: dict[str, int] = {}
    lines = dry_run_stdout.splitlines()
    try:
        start = next(
            i for i, ln in enumerate(lines) if ln.strip().startswith("job") and "count" in ln
        )
    except StopIteration:
        return counts
    for ln in lines[start + 2 :]:
        parts = ln.split()
        if len(parts) != 2 or not parts[1].isdigit():
            break
        if parts[0] != "total":
            counts[parts[0]] = int(parts[1])
    return counts
