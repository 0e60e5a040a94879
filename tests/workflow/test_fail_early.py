"""Issue 11 at workflow level: every detectable mistake stops the run at start-up, a failed or
interrupted run leaves the last complete run's results, a second concurrent run is refused.

One completed run on the toy data (module fixture) is checksummed before and after each case.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import small_dataset
from tests.workflow.helpers import SNAKEMAKE, copy_repo, edit_config, small_config, snakemake

pytestmark = pytest.mark.workflow

if not SNAKEMAKE.exists():  # pragma: no cover
    pytest.skip(
        f"snakemake not found next to the Python interpreter {SNAKEMAKE}", allow_module_level=True
    )


def _digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under results/ except the logs."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "results").rglob("*"))
        if p.is_file() and "logs" not in p.parts
    }


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    """One complete run on the toy data (no uncertainty analysis, to keep CI short)."""
    wd = copy_repo(tmp_path_factory.mktemp("failearly"))
    data = small_dataset(wd / "toy")

    def cfg(c):
        small_config(c, data)
        c["uncertainty"]["enabled"] = False

    edit_config(wd, cfg)
    r = snakemake(wd, "--cores", "2")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    return wd


def _csv(rel: str, fn: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    def apply(wd: Path) -> None:
        p = wd / rel
        fn(pd.read_csv(p, dtype=str, keep_default_na=False)).to_csv(p, index=False)

    return apply


def _cfg(fn: Callable[[dict], None]) -> Callable[[Path], None]:
    return lambda wd: edit_config(wd, fn)


def _obs_value(indicator: str, k: int, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def fn(d):
        d.loc[d.index[d["indicator"] == indicator][k], "value"] = value
        return d

    return fn


def _set_region(unit: str, label: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda d: d.assign(nbs4=d["nbs4"].where(d["unit"] != unit, label))


def _shanxi_as_shaanxi(wd: Path) -> None:
    _csv("toy/observations.csv", lambda d: d.assign(unit=d["unit"].replace("山西省", "Shaanxi")))(
        wd
    )
    _csv(
        "toy/units.csv",
        lambda d: pd.concat(
            [d, pd.DataFrame([["陕西", "陕西", "Shaanxi", "west", "west"]], columns=d.columns)]
        ),
    )(wd)


def _dir_as_observations(wd: Path) -> None:
    (wd / "toy/obs_dir").mkdir(exist_ok=True)
    edit_config(wd, lambda c: c["data"].update({"observations": str(wd / "toy/obs_dir")}))


#: (case of issue 11, mutation, expected text of the one error message)
START_UP_CASES = [
    (
        "province without observations",
        _csv("toy/observations.csv", lambda d: d[d["unit"] != "Gansu"]),
        "unit(s) ['Gansu (GS)'] of the units table have no observation",
    ),
    (
        "Shanxi's rows written as Shaanxi",
        _shanxi_as_shaanxi,
        "were Shanxi's rows written as Shaanxi?",
    ),
    (
        "user weight for an unknown node",
        _cfg(lambda c: c["weights"]["user"].update({"strcture": 2})),
        "Config error at key 'weights.user.strcture': 'strcture' is not a node of the framework",
    ),
    (
        "user weights summing to zero",
        _cfg(lambda c: c["weights"]["user"].update({"innovation": 0, "carbon": 0, "structure": 0})),
        "every child of 'index' has user weight 0",
    ),
    (
        "regions.scheme column missing",
        _cfg(lambda c: c["regions"].update({"scheme": "nbs5"})),
        "Config error at key 'regions.scheme': 'nbs5' is not a column of the units table",
    ),
    (
        "province without a region",
        _csv("toy/units.csv", _set_region("Hubei", "")),
        "unit(s) ['HB'] have no region under the scheme 'nbs4'",
    ),
    (
        "region with a single province",
        _csv("toy/units.csv", _set_region("辽宁省", "east")),
        "'northeast' has 1",
    ),
    (
        "region label typed Central",
        _csv("toy/units.csv", _set_region("Hubei", "Central")),
        "did you mean 'central'?",
    ),
    (
        "indicators.exclude empties a dimension",
        _cfg(lambda c: c["indicators"].update({"exclude": ["co2_intensity"]})),
        (
            "Config error at key 'indicators.exclude': excluding these indicators empties a dimension of the framework: "
            "'carbon' loses all its indicators ['co2_intensity']"
        ),
    ),
    (
        "z-score index feeding Theil",
        _cfg(lambda c: c["normalise"].update({"method": "zscore"})),
        "Config error at key 'normalise.method': the main variant 'entropy' can give negative index values",
    ),
    (
        "a year with no data at all",
        _csv("toy/observations.csv", lambda d: d[d["year"] != "2018"]),
        "no data at all for year(s) [2018] of the configured panel 2016-2020",
    ),
    (
        "0 typed for a missing value (validate.suspicious_values: error)",
        lambda wd: (
            _csv("toy/observations.csv", _obs_value("patents", 3, "0"))(wd),
            edit_config(wd, lambda c: c["validate"].update({"suspicious_values": "error"})),
        ),
        "patents = 0 for BJ 2019, in a series whose other values are all positive",
    ),
    (
        "negative value, min_value blank (validate.suspicious_values: error)",
        lambda wd: (
            _csv("toy/observations.csv", _obs_value("co2", 3, "-4.5"))(wd),
            edit_config(wd, lambda c: c["validate"].update({"suspicious_values": "error"})),
        ),
        "co2 = -4.5 for BJ 2019, negative in a series whose other values are mostly positive",
    ),
    ("a data path that is a directory", _dir_as_observations, "is a directory, not a file"),
]


def _restoring(wd: Path):
    """Snapshot the inputs and the config; returns a function that puts them back."""
    saved = {p: p.read_bytes() for p in [*(wd / "toy").glob("*.csv"), wd / "config/config.yaml"]}

    def restore() -> None:
        for p, b in saved.items():
            p.write_bytes(b)
        shutil.rmtree(wd / "toy/obs_dir", ignore_errors=True)

    return restore


@pytest.mark.parametrize(
    ("case", "mutate", "expected"), START_UP_CASES, ids=[c[0] for c in START_UP_CASES]
)
def test_mistake_stops_at_start_up_and_results_stay_byte_identical(
    good_run, case, mutate, expected
):
    before = _digest(good_run)
    restore = _restoring(good_run)
    try:
        mutate(good_run)
        r = snakemake(good_run, "--cores", "2")
    finally:
        restore()
    out = r.stdout + r.stderr
    assert r.returncode != 0, out[-3000:]
    assert expected in out, out[-3000:]
    assert "What to do" in out
    assert "jobid" not in out and "Traceback" not in out  # no job ran
    assert _digest(good_run) == before
    assert not (good_run / "results/RUN_STATUS.txt").exists()


def test_suspicious_zero_is_printed_at_start_up_by_default(good_run):
    restore = _restoring(good_run)
    try:
        _csv("toy/observations.csv", _obs_value("patents", 3, "0"))(good_run)
        r = snakemake(good_run, "-n")
    finally:
        restore()
    assert r.returncode == 0
    assert (
        "Warning (suspicious value, " in r.stderr
        and ", row 20): patents = 0 for BJ 2019" in r.stderr
    )


def test_second_concurrent_run_gets_one_clear_message(good_run):
    """While one run holds the directory, a second is refused; Snakemake's advice never shows."""
    before = _digest(good_run)
    code = (
        "import sys, time; from greenindex.runstate import acquire_run_lock; "
        "f = acquire_run_lock(sys.argv[1], argv=['--cores', '2']); print('locked', flush=True); time.sleep(120)"
    )
    first = subprocess.Popen(
        [str(SNAKEMAKE.parent / "python"), "-c", code, str(good_run)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout.readline().strip() == "locked"
        r = snakemake(good_run, "--cores", "2")
    finally:
        first.kill()
        first.wait()
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert f"Another workflow run is active in this directory (process {first.pid}" in out
    assert (
        "--unlock argument" not in out
        and "--rerun-incomplete" not in out
        and "Traceback" not in out
    )
    assert _digest(good_run) == before


def test_run_time_failure_restores_the_last_complete_run(good_run):
    """A failure only a job can find (an index of exactly 0 breaks the log-based convergence):
    results/ is put back as the last complete run left it, and a note says so."""
    before = _digest(good_run)
    restore = _restoring(good_run)

    def worst_everywhere(d):  # Gansu 2016 worst on every indicator: its min-max index is 0
        m = (d["unit"] == "Gansu") & (d["year"] == "2016")
        for ind, v in (("rd", "0.01"), ("co2", "900"), ("patents", "1"), ("hightech_share", "0.5")):
            d.loc[m & (d["indicator"] == ind), "value"] = v
        return d

    try:
        _csv("toy/observations.csv", worst_everywhere)(good_run)
        r = snakemake(good_run, "--cores", "2")
    finally:
        restore()
    try:
        out = r.stdout + r.stderr
        assert r.returncode != 0
        # the one job this data breaks (the claims' bootstrap takes a zero region mean in its
        # stride, so which failing job Snakemake reports first cannot vary between runs)
        assert "takes logarithms, but 1 scores are zero or negative (GS/2016)" in out
        assert out.count("[greenindex] step '") == out.count("[greenindex] step 'disparity'")
        assert "results/ was restored to the last complete run" in out
        status = (good_run / "results/RUN_STATUS.txt").read_text(encoding="utf-8")
        assert status.startswith("FAILED") and "results/aggregate/entropy/scores.csv" in status
        after = _digest(good_run)
        assert after.pop("results/RUN_STATUS.txt")
        assert after == before  # report, claims and scores: all the last complete run's
        # Snakemake's records were restored with the files: with the inputs back, nothing to do
        r = snakemake(good_run, "-n")
        assert "Nothing to be done" in r.stdout + r.stderr
    finally:  # the note would otherwise be in the next test's "before"
        (good_run / "results/RUN_STATUS.txt").unlink(missing_ok=True)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_interrupted_run_resumes_with_a_plain_rerun(good_run, sig):
    """Interrupt a run while a job writes; a plain rerun (no extra flags) completes, and the
    results equal the complete run's byte for byte (no truncated file left)."""
    before = _digest(good_run)
    incomplete = good_run / ".snakemake/incomplete"
    # every job again: 8-11 s of jobs on the toy data, the longer with both cores busy elsewhere,
    # so the run still writes when the second run below (2 s to be refused; 5-6 s so loaded)
    # has been refused
    run = subprocess.Popen(
        [str(SNAKEMAKE), "--cores", "2", "--forceall"],
        cwd=good_run,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120 and run.poll() is None:
        if incomplete.is_dir() and any(incomplete.iterdir()):
            break
        time.sleep(0.02)
    assert run.poll() is None, "the run ended before a job started"
    if sig == signal.SIGINT:  # a second run started now, while the first writes, is refused
        second = snakemake(good_run, "--cores", "2")
        assert run.poll() is None, "the first run ended before the second was refused"
        out = second.stdout + second.stderr
        assert second.returncode != 0
        assert f"Another workflow run is active in this directory (process {run.pid}" in out
        assert "--cleanup-metadata while the other run is active" in out  # ours: do not use it
        assert "--unlock argument" not in out and "--rerun-incomplete" not in out
    else:
        time.sleep(0.5)
    os.killpg(run.pid, sig)
    run.wait(timeout=120)
    assert run.returncode != 0
    status = (good_run / "results/RUN_STATUS.txt").read_text(encoding="utf-8")
    assert status.startswith("FAILED" if sig == signal.SIGINT else "IN PROGRESS OR INTERRUPTED")
    r = snakemake(good_run, "--cores", "2")
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    assert _digest(good_run) == before
    assert not list((good_run / "results").rglob(".*.partial-*"))
    assert not (good_run / "results/RUN_STATUS.txt").exists()
    lock = json.loads((good_run / ".snakemake/greenindex/run.lock").read_text(encoding="utf-8"))
    assert lock["pid"] != run.pid
