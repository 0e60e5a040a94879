"""The uncertainty analysis in the workflow: the SLURM profile plans one job per chunk, and
1 and 8 chunks give identical results (scatter/gather with per-replication seeds)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.workflow.helpers import REPO, SNAKEMAKE, copy_repo, snakemake

TARGETS = [
    "results/uncertainty/rank_intervals.csv",
    "results/uncertainty/claim_robustness.csv",
    "results/uncertainty/sobol.csv",
]

pytestmark = pytest.mark.workflow


def _require_workflow() -> None:
    snakefile = REPO / "Snakefile"
    if not snakefile.is_file():
        pytest.skip("no Snakefile at the repository root yet")
    if "uncertainty.smk" not in snakefile.read_text(encoding="utf-8"):
        pytest.skip("the Snakefile does not include workflow/rules/uncertainty.smk yet")
    if not SNAKEMAKE.exists():
        pytest.skip(f"snakemake not found at {SNAKEMAKE}")


def test_slurm_profile_dry_run_plans_one_job_per_chunk(tmp_path):
    _require_workflow()
    import importlib.util

    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        pytest.skip(
            "snakemake-executor-plugin-slurm is not installed (pip install it to use profiles/slurm)"
        )
    work = copy_repo(tmp_path)
    # The plugin needs no sbatch for a dry run (checked with plugin 2.8.0): nothing is submitted.
    res = snakemake(
        work,
        "-n",
        "--profile",
        "profiles/slurm",
        "--config",
        "uncertainty={chunks: 6}",
        "--",
        *TARGETS,
    )
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    stats = out[out.index("Job stats:") :]
    count = {
        line.split()[0]: int(line.split()[1])
        for line in stats.splitlines()[3:]
        if len(line.split()) == 2 and line.split()[1].isdigit()
    }
    assert count.get("uncertainty_chunk") == 6, stats
    assert count.get("uncertainty_merge") == 1, stats
    assert (
        "slurm_partition=CHANGE_ME" in out and "runtime=60" in out
    )  # declared resources reach the jobs


def test_one_and_eight_chunks_give_identical_results(tmp_path):
    _require_workflow()
    results = {}
    for chunks in (1, 8):
        work = copy_repo(tmp_path / f"c{chunks}")
        cfg = f"uncertainty={{n: 200, chunks: {chunks}, sobol: {{n_base: 32, bootstrap: 50}}}}"
        res = snakemake(work, "--cores", "2", "--config", cfg, "--", *TARGETS)
        assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
        assert len(list((work / "results/uncertainty/chunks").glob("*.npz"))) == chunks
        results[chunks] = {t: pd.read_csv(work / t) for t in TARGETS}
    for t in TARGETS:
        pd.testing.assert_frame_equal(results[1][t], results[8][t], check_exact=True)
