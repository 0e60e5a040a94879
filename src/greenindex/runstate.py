"""Run control of the workflow: one run per directory, resumable interrupts, run status.

The workflow (``workflow/rules/common.smk`` and ``workflow/rules/status.smk``) uses these
functions; they hold no science.

One run at a time
    :func:`acquire_run_lock` takes an exclusive :func:`fcntl.flock` lock on
    ``.snakemake/greenindex/run.lock`` when the Snakefile is parsed, before Snakemake looks at
    its own locks or at incomplete files. A second run in the same directory stops at once with
    one message naming the first (process id, start time, command) instead of Snakemake's
    advice to ``--unlock`` or ``--cleanup-metadata``, which would be wrong while the first run
    is active. The operating system releases the lock when the process ends, however it ends
    (Ctrl-C, ``kill -9``, power loss), so a lock is never stale.

Resuming after an interrupt
    The process that holds the lock knows no other run is active, so it removes what an
    interrupted run left: Snakemake's lock files (``.snakemake/locks``) and partial files of
    the atomic writers (``results/**/.*.partial-*``, see :func:`greenindex.data.io.atomic_path`).
    Outputs of jobs that were running are marked incomplete by Snakemake and re-made because
    the default profile sets ``rerun-incomplete``. A plain rerun therefore resumes.

A failed run never costs the last good results (roll-back)
    After a successful run, :func:`record_success` keeps a snapshot of it in
    ``.snakemake/greenindex/last_good/``: hard links to every file under ``results/`` and
    ``resources/`` (no extra disk space while the files stay) and a copy of Snakemake's
    metadata records. While a run is active, ``results/RUN_STATUS.txt`` says so. When the run
    fails or is interrupted (Snakemake's ``onerror``), :func:`record_failure` puts
    ``results/`` back exactly as the last complete run left it (bytes and modification times)
    with Snakemake's records, and rewrites the note to say so and list what the failed run had
    changed; its logs stay in ``results/logs/``. The report and the claims therefore never sit
    beside scores of another run. A run killed without its handler (``kill -9``) is rolled back
    by the next run at start-up (:func:`recover_interrupted`); until then the note says the
    files may be mixed. Without a complete run to return to (the first run, or results made
    before this mechanism), the files are left as they are and the note says so.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

try:  # POSIX only; on other systems runs are not locked
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from greenindex.data.io import TMP_INFIX, write_json, write_text

STATE_DIR = Path(".snakemake") / "greenindex"
LOCK_FILE = STATE_DIR / "run.lock"
#: The last complete run: hard links to its output files, Snakemake's metadata, a manifest.
SNAPSHOT = STATE_DIR / "last_good"
METADATA = Path(".snakemake") / "metadata"
RESULTS = Path("results")
#: Directories the workflow writes (rolled back together).
OUTPUT_ROOTS = ("results", "resources")
STATUS_FILE = "RUN_STATUS.txt"

#: Snakemake options that do not execute jobs (a second such call may run beside a run);
#: ``--unlock`` and ``--cleanup-metadata`` are not among them: they are refused during a run.
_NON_EXECUTING = {
    "-n", "--dry-run", "--dryrun", "--lint", "--list", "-l", "--list-target-rules", "--lt",
    "--summary", "-S", "--detailed-summary", "-D", "--dag", "--rulegraph", "--filegraph",
    "--list-changes", "--lc", "--compile-wrappers", "--containerize", "--export-cwl",
}  # fmt: skip


class RunLockedError(RuntimeError):
    """Another run holds the working directory."""


def is_non_executing(argv: Sequence[str]) -> bool:
    """Whether the Snakemake command line only inspects (dry run, lint, summaries, ...)."""
    for a in argv:
        if a in _NON_EXECUTING or a.split("=")[0] in _NON_EXECUTING:
            return True
        if a.startswith("-") and not a.startswith("--") and a[1:].isalpha() and "n" in a[1:]:
            return True  # combined short flags such as -np
    return False


def acquire_run_lock(
    root: str | Path = ".", *, argv: Sequence[str] | None = None
) -> IO[str] | None:
    """Hold the directory's run lock for the life of this process (see the module docstring).

    Returns the open lock file (keep a reference: closing it releases the lock), or ``None``
    when the command does not execute jobs (the lock is then only tested) or locking is
    unavailable.

    Raises
    ------
    RunLockedError
        Another process holds the lock and this command would execute jobs.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if fcntl is None:  # pragma: no cover
        return None
    path = Path(root) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    f = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open on purpose
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.seek(0)
        holder = _holder(f.read())
        f.close()
        if is_non_executing(argv):
            print(
                f"Note: another workflow run is active in this directory ({holder}); this command "
                "only inspects, so it continues. Jobs of that run show as incomplete.",
                file=sys.stderr,
            )
            return None
        raise RunLockedError(
            f"Another workflow run is active in this directory ({holder}). Only one run at a time can "
            "write results/.\n  What to do: wait until it finishes (or stop it with Ctrl-C), then run the "
            "same command again; it resumes where the other run stopped. Do not use --unlock or "
            "--cleanup-metadata while the other run is active."
        ) from None
    # this process is the only run: what earlier runs left behind can go
    clear_leftovers(root)
    if is_non_executing(argv):
        f.close()  # only tested: release at once
        return None
    f.seek(0)
    f.truncate()
    f.write(
        json.dumps(
            {"pid": os.getpid(), "started": _now(), "command": " ".join(["snakemake", *argv])}
        )
    )
    f.flush()
    return f


def _holder(text: str) -> str:
    try:
        d = json.loads(text)
        return f"process {d['pid']}, started {d['started']}: {d['command']}"
    except (ValueError, KeyError, TypeError):
        return "process unknown"


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def clear_leftovers(root: str | Path = ".") -> list[Path]:
    """Remove Snakemake's lock files and partial files of interrupted writers; returns them.

    Call only while holding the run lock (no other run is active).
    """
    root = Path(root)
    gone = []
    locks = root / ".snakemake" / "locks"
    if locks.is_dir():
        gone += [p for p in locks.iterdir() if p.is_file()]
    res = root / RESULTS
    if res.is_dir():
        gone += [p for p in res.rglob(f".*{TMP_INFIX}*") if p.is_file()]
    for p in gone:
        p.unlink(missing_ok=True)
    return gone


# -- run status and roll-back ----------------------------------------------------------------
def _output_files(root: Path) -> dict[str, Path]:
    """Files the workflow makes (results/ and resources/), logs and status notes left out."""
    out = {}
    for top in OUTPUT_ROOTS:
        base = root / top
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(root)
            if (
                p.is_file()
                and not p.is_symlink()
                and "logs" not in rel.parts
                and p.name != STATUS_FILE
                and TMP_INFIX not in p.name
            ):
                out[rel.as_posix()] = p
    return out


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # pragma: no cover - no hard links on this file system
        shutil.copy2(src, dst)


def record_start(root: str | Path = ".") -> None:
    """Mark results/ as being rewritten (called when the first job starts)."""
    root = Path(root)
    write_text(
        f"IN PROGRESS OR INTERRUPTED: a workflow run started {_now()} (process {os.getpid()}).\n"
        "Until it completes, files under results/ may come from different runs. If no run is active,\n"
        "it was interrupted: run the workflow again, which first restores the last complete run's\n"
        "results and then re-makes what is out of date.\n",
        root / RESULTS / STATUS_FILE,
    )


@contextmanager
def _interrupts_deferred() -> Iterator[list[int]]:
    """Hold Ctrl-C and SIGTERM off for a few tenths of a second of bookkeeping.

    Yields the list of signals that arrived meanwhile. Outside the main thread (where Python
    cannot set handlers) nothing is deferred.
    """
    arrived: list[int] = []
    wanted = (signal.SIGINT, signal.SIGTERM)
    try:
        old = {s: signal.signal(s, lambda num, _frame: arrived.append(num)) for s in wanted}
    except ValueError:  # not the main thread
        yield arrived
        return
    try:
        yield arrived
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def record_success(root: str | Path = ".") -> int:
    """Keep this complete run as the last good one; remove the status note. Returns its file count.

    The snapshot holds hard links to every output file (no copy: the workflow never rewrites a
    file in place, Snakemake removes a job's outputs before the job runs and the package's
    writers replace files by renaming) and a copy of Snakemake's metadata records, so that a
    roll-back restores both the files and Snakemake's knowledge of how they were made.

    Every job has ended when this runs, so an interrupt that arrives meanwhile is held off
    until the snapshot is in place (then said on stderr): the run is complete. The status note
    goes last, so a run killed outright during this step is still rolled back at the next start.
    """
    root = Path(root)
    snap = root / SNAPSHOT
    with _interrupts_deferred() as arrived:
        for stale in snap.parent.glob(f"{snap.name}{TMP_INFIX}*"):  # of this or a killed run
            shutil.rmtree(stale, ignore_errors=True)
        tmp = snap.with_name(snap.name + TMP_INFIX + str(os.getpid()))
        files = _output_files(root)
        for rel, p in files.items():
            _link_or_copy(p, tmp / "files" / rel)
        meta = root / METADATA
        if meta.is_dir():
            shutil.copytree(meta, tmp / "metadata")
        write_json({"completed": _now(), "files": sorted(files)}, tmp / "manifest.json")
        old = snap.with_name(snap.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if snap.exists():
            snap.rename(old)
        tmp.rename(snap)
        shutil.rmtree(old, ignore_errors=True)
        (root / RESULTS / STATUS_FILE).unlink(missing_ok=True)
    if arrived:
        print(
            "Interrupt received after the last job ended: the run is complete and recorded.",
            file=sys.stderr,
        )
    return len(files)


def record_failure(root: str | Path = ".", *, interrupted: bool = False) -> dict[str, Any]:
    """Roll results/ back to the last complete run after a failed or interrupted run.

    Every output file the failed run rewrote, added or removed is put back as it was after the
    last complete run (same bytes, same modification time), and Snakemake's metadata records
    with them, so the next run re-makes exactly what is out of date. The failed run's logs stay
    in ``results/logs/``. ``results/RUN_STATUS.txt`` says what happened and lists the files.
    Without a complete run to return to, the files are left and the note says so.

    Returns
    -------
    dict
        ``rolled_back`` (bool) and the relative paths ``rewritten``, ``added``, ``removed``.
    """
    root = Path(root)
    snap = root / SNAPSHOT
    what = "was interrupted" if interrupted else "stopped with an error or was interrupted"
    files = _output_files(root)
    try:
        manifest = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        write_text(
            f"FAILED ({_now()}): the last workflow run {what}, and no run has completed in this\n"
            "directory since run status is recorded: results/ may be incomplete or mixed. Fix the\n"
            "error named in the log (results/logs/) and run the workflow again.\n",
            root / RESULTS / STATUS_FILE,
        )
        return {"rolled_back": False, "rewritten": [], "added": sorted(files), "removed": []}
    kept = {rel for rel in manifest["files"] if (snap / "files" / rel).is_file()}
    rewritten, added, removed = [], [], []
    for rel, p in files.items():
        if rel not in kept:
            added.append(rel)
            p.unlink()
        elif not os.path.samefile(p, snap / "files" / rel):
            rewritten.append(rel)
            p.unlink()
    for rel in sorted(kept):
        dst = root / rel
        if not dst.exists():
            if rel not in rewritten:
                removed.append(rel)
            _link_or_copy(snap / "files" / rel, dst)
    meta = root / METADATA
    if (snap / "metadata").is_dir():
        shutil.rmtree(meta, ignore_errors=True)
        shutil.copytree(snap / "metadata", meta)
    lines = [
        f"FAILED ({_now()}): the last workflow run {what}.",
        f"Its results were discarded: results/ holds the last complete run ({manifest['completed']}),",
        "unchanged, so the report, the claims and the scores all come from that run. The failed run's",
        "logs are in results/logs/. Fix the error named there and run the workflow again. (This note",
        "goes when a run completes; a rerun with nothing to do leaves it: the results are then up to date.)",
        f"The failed run had rewritten {len(rewritten)}, added {len(added)} and removed {len(removed)} file(s):",
    ]
    for title, items in (("rewritten", rewritten), ("added", added), ("removed", removed)):
        lines += [f"\n{title}:"] + [f"  {k}" for k in items]
    write_text("\n".join(lines) + "\n", root / RESULTS / STATUS_FILE)
    return {
        "rolled_back": True,
        "rewritten": sorted(rewritten),
        "added": sorted(added),
        "removed": removed,
    }


def recover_interrupted(root: str | Path = ".") -> dict[str, Any] | None:
    """At start-up: roll back a run that died without its error handler (``kill -9``, power loss).

    Call only while holding the run lock. A status note still saying "in progress" then
    belongs to a process that no longer runs.
    """
    note = Path(root) / RESULTS / STATUS_FILE
    try:
        text = note.read_text(encoding="utf-8")
    except OSError:
        return None
    if not text.startswith("IN PROGRESS"):
        return None
    return record_failure(root, interrupted=True)
