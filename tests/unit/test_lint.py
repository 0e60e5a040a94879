"""The code passes ruff (the linter named in STYLE.md) with the project's settings, and is
formatted by ``ruff format``."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_ruff_clean():
    ruff = Path(sys.executable).parent / "ruff"
    exe = str(ruff) if ruff.exists() else shutil.which("ruff")
    if exe is None:
        pytest.skip("ruff is not installed")
    r = subprocess.run(
        [exe, "check", "src", "tests", "workflow/scripts", "benchmarks", "scripts"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stdout[-3000:]


#: Files left as they were when the formatter was introduced (issue 13), so that the branches
#: of the engineers editing them at the time merge cleanly; the lead formats them after
#: merging and empties this set.
NOT_YET_FORMATTED = {
    "benchmarks/bench_workflow.py",
    "src/greenindex/config.py",
    "src/greenindex/data/ingest.py",
    "src/greenindex/data/io.py",
    "src/greenindex/data/units.py",
    "src/greenindex/errors.py",
    "src/greenindex/figures/boundaries.py",
    "src/greenindex/figures/maps.py",
    "src/greenindex/index/framework.py",
    "src/greenindex/index/weights.py",
    "src/greenindex/report/html.py",
    "src/greenindex/report/provenance.py",
    "tests/conformance/test_coinr.py",
    "tests/conformance/test_coinr_workflow.py",
    "tests/conftest.py",
    "tests/unit/test_aggregate.py",
    "tests/unit/test_boundaries.py",
    "tests/unit/test_claims.py",
    "tests/unit/test_framework.py",
    "tests/unit/test_ingest.py",
    "tests/unit/test_report.py",
    "tests/unit/test_spatial.py",
    "tests/unit/test_treat.py",
    "tests/unit/test_units.py",
    "tests/unit/test_weights.py",
    "tests/workflow/helpers.py",
    "tests/workflow/test_workflow.py",
    "workflow/scripts/aggregate.py",
    "workflow/scripts/charts.py",
    "workflow/scripts/contiguity.py",
    "workflow/scripts/coverage.py",
    "workflow/scripts/maps.py",
    "workflow/scripts/normalise.py",
    "workflow/scripts/prepare_boundaries.py",
    "workflow/scripts/report.py",
    "workflow/scripts/treat.py",
    "workflow/scripts/uncertainty_chunk.py",
    "workflow/scripts/validate.py",
    "workflow/scripts/weights.py",
}


def test_ruff_format_clean():
    ruff = Path(sys.executable).parent / "ruff"
    exe = str(ruff) if ruff.exists() else shutil.which("ruff")
    if exe is None:
        pytest.skip("ruff is not installed")
    files = [
        str(p.relative_to(REPO))
        for d in ("src", "tests", "workflow/scripts", "benchmarks", "scripts")
        for p in sorted((REPO / d).rglob("*.py"))
    ]
    files = [f for f in files if f not in NOT_YET_FORMATTED]
    r = subprocess.run(
        [exe, "format", "--check", *files], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stdout[-3000:]
