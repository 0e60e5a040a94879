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
    r = subprocess.run(
        [exe, "format", "--check", *files], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stdout[-3000:]
