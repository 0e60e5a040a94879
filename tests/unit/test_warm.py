"""The warm worker (greenindex.warm) with a stand-in job: a real worker process, real forks.

The job script below plays a Snakemake ``script:`` job: like Snakemake's preamble it sets
``__real_file__``, then calls ``delegate``. What it writes tells in which process it ran.
That the whole workflow gives byte-identical results with and without the worker is tested in
tests/workflow/test_workflow.py::test_rerun_is_byte_identical.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import greenindex
from greenindex import warm

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

JOB = """\
__real_file__ = __file__  # what Snakemake's preamble sets
import os, sys, time

from greenindex.warm import delegate


class Job:
    rule = "stand_in"


delegate(Job())
with open(os.environ["JOB_OUT"], "w") as fh:
    fh.write(f"{os.getpid()} {os.environ.get('GREENINDEX_WARM_CHILD', '-')} {os.getcwd()}")
print("to stdout")
print("to stderr", file=sys.stderr)
if os.environ.get("JOB_SLEEP"):
    time.sleep(float(os.environ["JOB_SLEEP"]))
if os.environ.get("JOB_FAIL"):
    raise RuntimeError("the job failed")
sys.exit(int(os.environ.get("JOB_EXIT", "0")))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in warm.CLUSTER_VARS}
    env.pop(warm.SWITCH, None)
    env.pop(warm.CHILD_FLAG, None)
    env["PYTHONPATH"] = str(Path(greenindex.__file__).resolve().parents[1])
    env[warm.IDLE_VAR] = "60"
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = "1"
    env.update(extra)
    return env


def _job(wd: Path, out: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(wd / "job.py")],
        cwd=wd,
        env=_env(JOB_OUT=str(out), **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _wait_for(predicate, seconds: float = 90.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _ran(out: Path) -> tuple[int, str, str]:
    pid, flag, cwd = out.read_text().split(" ", 2)
    return int(pid), flag, cwd


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A directory with the stand-in job and a worker serving it (started as jobs start it)."""
    wd = tmp_path_factory.mktemp("warm")
    (wd / "job.py").write_text(JOB)
    first = _job(wd, wd / "first.txt")  # finds no worker: runs in place and starts one
    assert first.returncode == 0, first.stderr
    assert _ran(wd / "first.txt")[1] == "-"
    assert _wait_for(lambda: warm.paths(wd)["socket"].exists()), warm.paths(wd)["log"].read_text()
    yield wd
    warm.stop(wd)


def test_job_runs_in_a_fork_of_the_worker(served, tmp_path):
    r = _job(served, tmp_path / "out.txt", JOB_EXIT="3")
    pid, flag, cwd = _ran(tmp_path / "out.txt")
    assert r.returncode == 3, r.stderr
    assert flag == "1" and cwd == str(served)
    assert r.stdout == "to stdout\n" and r.stderr == "to stderr\n"  # the job's own streams
    log = warm.paths(served)["log"].read_text()
    assert f"pid {pid}: job stand_in ended with status 3" in log


def test_a_failing_job_fails_with_its_traceback(served, tmp_path):
    r = _job(served, tmp_path / "out.txt", JOB_FAIL="1")
    assert r.returncode == 1
    assert "RuntimeError: the job failed" in r.stderr and "Traceback" in r.stderr
    assert _ran(tmp_path / "out.txt")[1] == "1"


def test_other_thread_settings_run_in_place_and_keep_the_worker(served, tmp_path):
    r = _job(served, tmp_path / "a.txt", OMP_NUM_THREADS="2")
    assert r.returncode == 0
    assert _ran(tmp_path / "a.txt")[1] == "-"  # in its own process: BLAS threads are load-time
    r = _job(served, tmp_path / "b.txt")
    assert r.returncode == 0 and _ran(tmp_path / "b.txt")[1] == "1"


def test_a_cancelled_job_stops_its_fork(served, tmp_path):
    out = tmp_path / "out.txt"
    proc = subprocess.Popen(
        [sys.executable, str(served / "job.py")],
        cwd=served,
        env=_env(JOB_OUT=str(out), JOB_SLEEP="60"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert _wait_for(out.exists, 30)
    child = _ran(out)[0]
    assert child != proc.pid
    proc.send_signal(signal.SIGKILL)  # what Snakemake's cancel or Ctrl-C does to the job
    proc.wait()
    assert _wait_for(lambda: _gone(child), 10)


def test_changed_package_code_stops_the_worker_and_runs_in_place(served, tmp_path):
    source = Path(greenindex.__file__).resolve().parent / "glossary.py"
    st = source.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    try:
        r = _job(served, tmp_path / "out.txt")
    finally:
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert r.returncode == 0 and _ran(tmp_path / "out.txt")[1] == "-"
    assert "changed since loading: stopping" in warm.paths(served)["log"].read_text()
    # the stale job started a fresh worker, which serves the next job
    assert _wait_for(lambda: warm.paths(served)["socket"].exists())
    r = _job(served, tmp_path / "next.txt")
    assert r.returncode == 0 and _ran(tmp_path / "next.txt")[1] == "1"


def test_switched_off_runs_in_place_and_starts_nothing(tmp_path):
    (tmp_path / "job.py").write_text(JOB)
    r = _job(tmp_path, tmp_path / "out.txt", GREENINDEX_WARM="0")
    assert r.returncode == 0 and _ran(tmp_path / "out.txt")[1] == "-"
    time.sleep(0.5)
    assert not warm.paths(tmp_path)["lock"].exists()


def test_a_script_run_by_hand_runs_in_place(served, tmp_path):
    """Without Snakemake's preamble (mock_snakemake, a notebook) nothing is delegated."""
    (tmp_path / "plain.py").write_text(JOB.replace("__real_file__ = __file__", "pass"))
    r = subprocess.run(
        [sys.executable, str(tmp_path / "plain.py")],
        cwd=served,
        env=_env(JOB_OUT=str(tmp_path / "out.txt")),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode == 0 and _ran(tmp_path / "out.txt")[1] == "-"


def _own_worker(wd: Path, out: Path) -> dict[str, Path]:
    """A worker of its own for ``wd`` (started by a first job); its paths."""
    wd.mkdir()
    (wd / "job.py").write_text(JOB)
    _job(wd, out)
    p = warm.paths(wd)
    assert _wait_for(p["socket"].exists), p["log"].read_text()
    return p


def test_worker_leaves_when_its_directory_goes(tmp_path):
    wd = tmp_path / "gone"
    p = _own_worker(wd, tmp_path / "out.txt")
    (wd / "job.py").unlink()
    wd.rmdir()
    assert _wait_for(lambda: not p["socket"].exists(), 10)
    # nothing is left for a directory that is gone (the test suite makes hundreds)
    assert _wait_for(lambda: not p["log"].exists() and not p["lock"].exists(), 10)


def test_stop_leaves_no_socket_and_says_so(tmp_path):
    wd = tmp_path / "stopped"
    p = _own_worker(wd, tmp_path / "out.txt")
    pid = warm.stop(wd)
    assert pid
    assert _wait_for(lambda: _gone(pid), 10)
    assert not p["socket"].exists()
    assert "stopped on request" in p["log"].read_text()
    assert warm.stop(wd) is None  # nothing runs now


def test_only_a_private_directory_holds_the_socket(tmp_path):
    """A socket directory others can write to is never used (a job would send its
    environment to whatever listens there)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert not warm.private_dir(shared)
    own = tmp_path / "own"
    assert warm.private_dir(own) and own.stat().st_mode & 0o777 == 0o700
