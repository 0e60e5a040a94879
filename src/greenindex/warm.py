"""Warm worker: workflow jobs run in a fork of a process that has the libraries loaded.

Snakemake starts every ``script:`` job as a new Python process, and on this project's jobs
most of the time of a small job is spent importing pandas, matplotlib, geopandas, SciPy and
the package itself (0.3 to 2 s per job), not computing. After a weight change about twenty
small jobs and four figure jobs rerun, so start-up dominates what a researcher waits for.

How it works
    Each workflow script starts with ``delegate(snakemake)``. The first job of a run finds no
    worker, starts one in the background (``python -m greenindex.warm serve``) and runs
    itself as usual. The worker imports every module of the package and the heavy libraries
    once, then listens on a Unix socket of its own (one per working directory, in
    ``$XDG_RUNTIME_DIR`` or the temporary directory, readable by the user only). Later jobs
    connect, hand over their standard input, output and error (file descriptors over the
    socket), their working directory, environment, ``sys.path`` and the path of the script
    Snakemake wrote for them, and wait. The worker forks; the child runs that script exactly
    as ``python script.py`` would (Snakemake's preamble included) and reports the exit status,
    which the job process exits with. Snakemake sees an ordinary job: same files, same exit
    codes, same log; it still schedules, checks and records everything. The Snakemake process
    can hand a job's script over itself (:func:`run_script_file`, used by
    ``workflow/rules/common.smk``), so that the job needs no process of its own at all.

What keeps it safe
    - Every job runs in a fresh fork of the same loaded-but-unused process: no state passes
      from one job to the next, so outputs are byte-identical to cold runs (tested:
      ``tests/workflow/test_workflow.py::test_rerun_is_byte_identical`` runs the workflow both
      ways and compares every result file; ``tests/unit/test_warm.py`` tests the worker).
    - Nothing but imports happens before the fork: fonts, styles, logging and random state
      are set up by each job itself, as in a cold process.
    - The worker serves only the code it loaded: a job sends a fingerprint (the package's
      source files, the installed libraries, the Python); on any difference the worker exits
      and the job runs cold, and the next job starts a fresh worker. Editing the package
      never runs stale code. A job whose thread settings (read when libraries load) differ
      from the worker's runs cold, and the worker stays for the others.
    - If the process that handed the job over dies (Snakemake cancels the job, ``kill -9``),
      the worker's child notices the closed socket and kills itself, so no orphan keeps
      writing outputs. A job Snakemake handed over itself ends before a cancelled run (Ctrl-C)
      rolls back.
    - The worker exits after :data:`IDLE_SECONDS` without a job, when its working directory
      disappears (then its log and lock file go too), when another worker takes over its
      socket, or on SIGTERM (``python -m greenindex.warm stop``), removing its socket. Only
      one worker runs per directory (an ``flock`` on a lock file beside the socket).
    - It is used only on Linux, with the local executor: inside a cluster job
      (``SLURM_JOB_ID`` and similar) or with ``GREENINDEX_WARM=0`` in the environment every
      job runs cold, as Snakemake alone would run it.

The worker's own messages (start, stale code, exit) go to a log file beside its socket
(:func:`paths`). The idea of a pre-loaded process that forks per request is the "zygote" or
pre-fork server (Android's zygote, the Spring preloader of Rails); this is a small version for
Snakemake script jobs.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: The worker exits after this many seconds without a job (``GREENINDEX_WARM_IDLE`` overrides).
IDLE_SECONDS = 900
IDLE_VAR = "GREENINDEX_WARM_IDLE"
#: Set in the worker's children: ``delegate`` then lets the script run in place.
CHILD_FLAG = "GREENINDEX_WARM_CHILD"
#: ``GREENINDEX_WARM=0`` in the environment turns the worker off (every job runs cold).
SWITCH = "GREENINDEX_WARM"
#: Environment variables of batch schedulers: jobs there run cold (no daemon on a compute node).
CLUSTER_VARS = ("SLURM_JOB_ID", "PBS_JOBID", "LSB_JOBID", "JOB_ID", "SGE_TASK_ID")
#: Environment variables fixed when the libraries are loaded; a job with other values runs cold.
LOAD_TIME_ENV = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "GOTO_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "MPLBACKEND",
    "MPLCONFIGDIR",
    "PYTHONHASHSEED",
)
#: Third-party modules loaded besides the whole package (those imported lazily by some jobs).
PRELOAD = (
    "matplotlib.pyplot",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_pdf",
    "matplotlib.backends.backend_svg",
    "geopandas",
    "pyogrio",
    "shapely",
    "scipy.stats",
    "scipy.optimize",
    "esda",
    "libpysal",
    "PIL.Image",
    "openpyxl",
    "snakemake.script",
)
_HEADER = struct.Struct("!I")


def enabled() -> bool:
    """Whether jobs here may use a warm worker (Linux, local execution, not switched off)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and os.environ.get(SWITCH, "1") != "0"
        and not any(v in os.environ for v in CLUSTER_VARS)
    )


def paths(workdir: str | os.PathLike[str]) -> dict[str, Path]:
    """Socket, lock and log file of the worker of ``workdir`` (one per directory and user).

    They live in ``$XDG_RUNTIME_DIR/greenindex-warm`` or ``<tmp>/greenindex-warm-<uid>``
    (mode 0700), named after a hash of the directory's absolute path: a Unix socket path must
    stay under about 100 bytes, which a project path may not.
    """
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = (
        Path(runtime) / "greenindex-warm"
        if runtime and os.path.isdir(runtime)
        else Path(tempfile.gettempdir()) / f"greenindex-warm-{os.getuid()}"
    )
    key = hashlib.sha256(os.path.realpath(workdir).encode()).hexdigest()[:20]
    return {
        "dir": base,
        "socket": base / f"{key}.sock",
        "lock": base / f"{key}.lock",
        "log": base / f"{key}.log",
    }


def private_dir(directory: Path) -> bool:
    """Create ``directory`` (mode 0700) if needed; whether it is this user's alone.

    A directory another user made (or can write to) is never used: whoever controls it could
    put a socket there that receives the jobs' environment and files.
    """
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(directory)
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def fingerprint() -> str:
    """What the worker's loaded code is; a difference means the worker is stale.

    The package's files (path, size, modification time), the library directories (their
    modification time changes when a library is installed or removed) and the interpreter.
    A few milliseconds.
    """
    import sysconfig

    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    for root, dirs, files in os.walk(pkg):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")):
                st = os.stat(os.path.join(root, name))
                h.update(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    libs = sysconfig.get_paths()
    for entry in sorted({libs["purelib"], libs["platlib"]}):
        if os.path.isdir(entry):
            h.update(f"{entry}:{os.stat(entry).st_mtime_ns}\n".encode())
    h.update(f"{sys.executable}\n{sys.version}\n".encode())
    return h.hexdigest()


def load_time_env(env: Mapping[str, str] = os.environ) -> dict[str, str | None]:
    """The variables of ``env`` read when the libraries load (:data:`LOAD_TIME_ENV`).

    A job whose values differ from the worker's (a rule with other ``threads:``, say) runs
    cold; the worker stays for the others.
    """
    return {var: env.get(var) for var in LOAD_TIME_ENV}


# --------------------------------------------------------------------------- job side


def delegate(sm: Any) -> None:
    """Run this workflow script in the warm worker and exit with its status, if one is up.

    Called first thing in every workflow script with the ``snakemake`` object. Returns (the
    script then runs in this process, cold) when the worker is off, not up yet (it is then
    started for the next jobs), stale, or busy dying; otherwise it never returns: the process
    exits with the status of the script's run in the worker.
    """
    if os.environ.get(CHILD_FLAG) or not enabled():
        return
    # the file Snakemake wrote for this job (its preamble names it ``__real_file__``); a script
    # run otherwise (scripts/mock_snakemake.py, a notebook) runs in place
    script = getattr(sys.modules.get("__main__"), "__real_file__", None)
    if not script or not os.path.isfile(script):
        return
    status = _submit(script, dict(os.environ), sys.argv, sys.path, getattr(sm, "rule", ""))
    if status is not None:
        os._exit(status)


def run_script_file(script: str, env: dict[str, str], rule: str = "") -> int | None:
    """Run a job script that Snakemake wrote in the worker, from the calling process.

    For the Snakemake process itself (``workflow/rules/common.smk``): the job then needs no
    process of its own (Python and Snakemake's script preamble cost about 0.1 s of CPU per
    job). ``env`` is the environment the job would have had. Returns the script's exit
    status, or ``None`` when no worker serves (not up yet, stale, other settings, switched
    off): the caller then runs the script as usual, and that job starts a worker.
    """
    if not enabled() or not os.path.isfile(script):
        return None
    return _submit(script, env, [script], None, rule)


def _submit(
    script: str, env: dict[str, str], argv: list[str], path: list[str] | None, rule: str
) -> int | None:
    """Hand ``script`` with this process's standard streams to the worker; its exit status,
    or ``None`` when the worker does not take it (the caller runs it itself)."""
    p = paths(os.getcwd())
    if not private_dir(p["dir"]):
        return None
    try:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(str(p["socket"]))
    except OSError:
        _start_worker(p, env)
        return None
    request = {
        "script": os.path.abspath(script),
        "cwd": os.getcwd(),
        "argv": argv,
        "path": path,
        "env": env,
        "fingerprint": fingerprint(),
        "load_env": load_time_env(env),
        "rule": rule,
    }
    try:
        payload = json.dumps(request).encode()
        sys.stdout.flush()
        sys.stderr.flush()
        socket.send_fds(conn, [_HEADER.pack(len(payload)) + payload], [0, 1, 2])
        answer = _recv_exact(conn, 1)
        if answer != b"A":  # stale ("S") or other settings ("R"): run cold
            conn.close()
            if answer == b"S":  # the worker is stopping: start a new one for the next jobs
                time.sleep(0.05)
                _start_worker(p, env)
            return None
        status = _recv_exact(conn, 4)
    except OSError:
        conn.close()
        return None
    conn.close()
    if len(status) != 4:
        sys.stderr.write(
            "greenindex.warm: the warm worker ended while running this job; rerun, or set "
            f"{SWITCH}=0 to run every job in its own process\n"
        )
        sys.stderr.flush()
        return 1
    return _HEADER.unpack(status)[0]


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return buf


def _start_worker(p: dict[str, Path], env: dict[str, str]) -> None:
    """Start the worker in the background, with the jobs' environment ``env`` (the thread
    variables it loads its libraries with), unless one is already starting (its lock is held)."""
    import fcntl
    import subprocess

    try:
        with open(p["lock"], "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # a worker holds the lock: it is loading and will listen soon
            fcntl.flock(fh, fcntl.LOCK_UN)
        src = str(Path(__file__).resolve().parents[1])
        env = dict(env)
        env.pop(CHILD_FLAG, None)
        env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
        with open(p["log"], "ab") as log:
            subprocess.Popen(
                [sys.executable, "-m", "greenindex.warm", "serve", os.getcwd()],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                start_new_session=True,
                close_fds=True,
            )
    except OSError:
        return  # no worker: every job runs cold, as without this module


# --------------------------------------------------------------------------- worker side


def _stamp() -> str:
    now = time.time()
    return (
        f"[{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(now))}.{int(now * 1000) % 1000:03d}]"
    )


def _log(msg: str) -> None:
    sys.stderr.write(f"{_stamp()} pid {os.getpid()}: {msg}\n")
    sys.stderr.flush()


def preload() -> list[str]:
    """Import every module of the package and :data:`PRELOAD`; return those that failed.

    Only imports: nothing is configured, drawn or read, so a fork is in the state of a fresh
    process that has run its import lines.
    """
    import importlib
    import pkgutil

    import greenindex

    failed = []
    names = [m.name for m in pkgutil.walk_packages(greenindex.__path__, "greenindex.")]
    for name in [*PRELOAD, *sorted(names)]:
        if name == __name__ or name.endswith("__main__"):
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - a module a job may not need; it imports it itself
            failed.append(f"{name}: {exc!r}")
    return failed


def serve(workdir: str) -> None:
    """Load the libraries, then run jobs of ``workdir`` in forks until idle or stale."""
    import fcntl

    p = paths(workdir)
    if not private_dir(p["dir"]):
        _log(f"{p['dir']} is not this user's alone: no worker")
        return
    lock = open(p["lock"], "a+")  # noqa: SIM115 - held for the worker's life
    for attempt in range(30):  # a stale worker may still be on its way out
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if attempt == 29:
                return  # another worker serves this directory
            time.sleep(0.1)
    with contextlib.suppress(OSError):  # keep the log short: one worker's life or a megabyte
        if os.fstat(sys.stderr.fileno()).st_size > 1_000_000:
            os.ftruncate(sys.stderr.fileno(), 0)
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    os.chdir(workdir)
    idle = float(os.environ.get(IDLE_VAR) or IDLE_SECONDS)
    t0 = time.perf_counter()
    signature = (fingerprint(), load_time_env())
    failed = preload()
    for f in failed:
        _log(f"not preloaded: {f}")
    # what is loaded now stays: the children's garbage collector then never walks (and so
    # never copies) the worker's objects
    gc.collect()
    gc.freeze()
    if p["socket"].exists():
        p["socket"].unlink()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(p["socket"]))
    os.chmod(p["socket"], 0o600)
    server.listen(16)
    server.settimeout(1.0)
    inode = os.stat(p["socket"]).st_ino
    _log(f"serving {workdir} (loaded in {time.perf_counter() - t0:.1f} s)")
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, _stop_requested)  # `stop`: leave no socket behind
    children: set[int] = set()
    last = time.monotonic()
    why = "stopped"
    try:
        while True:
            children = {pid for pid in children if _running(pid)}
            if children:
                last = time.monotonic()
            if time.monotonic() - last > idle or not _owns(p["socket"], inode):
                break
            if not os.path.isdir(workdir):
                why = "stopped: its directory is gone"
                break
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            last = time.monotonic()
            pid = _accept(conn, server, signature)
            if pid is None:  # stale: a job brought other code
                break
            if pid > 0:
                children.add(pid)
    except _StopRequested:
        why = "stopped on request"
    server.close()
    if _owns(p["socket"], inode):
        p["socket"].unlink()
    if not os.path.isdir(workdir):  # nothing will use this directory's log and lock again
        p["log"].unlink(missing_ok=True)
        p["lock"].unlink(missing_ok=True)
    _log(why)


class _StopRequested(Exception):
    """SIGTERM reached the worker (``python -m greenindex.warm stop``)."""


def _stop_requested(_signum: int, _frame: object) -> None:
    raise _StopRequested


def _running(pid: int) -> bool:
    """Reap ``pid`` if it has ended; whether it is still running."""
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return False


def _owns(sock: Path, inode: int) -> bool:
    try:
        return os.stat(sock).st_ino == inode
    except OSError:
        return False


def _accept(
    conn: socket.socket, server: socket.socket, signature: tuple[str, dict[str, str | None]]
) -> int | None:
    """Read one job's request; fork a child that runs it. ``None`` when the code differs."""
    conn.settimeout(10.0)
    fds: list[int] = []
    try:
        data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
        if len(data) < _HEADER.size:
            raise OSError("short request")
        (size,) = _HEADER.unpack(data[: _HEADER.size])
        body = data[_HEADER.size :]
        while len(body) < size:
            chunk = conn.recv(size - len(body))
            if not chunk:
                raise OSError("request cut short")
            body += chunk
        request = json.loads(body)
    except (OSError, ValueError) as exc:
        _log(f"bad request: {exc!r}")
        for fd in fds:
            os.close(fd)
        conn.close()
        return 0
    code, env = signature
    refuse = None
    if request.get("fingerprint") != code:
        refuse = b"S"
        _log("the package or the libraries changed since loading: stopping (the job runs cold)")
    elif request.get("load_env") != env or len(fds) != 3:
        refuse = b"R"
        _log(f"job {request.get('rule')} has other thread or library settings: it runs cold")
    if refuse:
        conn.sendall(refuse)
        for fd in fds:
            os.close(fd)
        conn.close()
        return None if refuse == b"S" else 0
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child: never returns to the worker's loop, whatever happens
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a job ends on SIGTERM, as usual
            server.close()
            _run_child(conn, fds, request)
        finally:
            os._exit(1)
    for fd in fds:
        os.close(fd)
    conn.close()
    how = "handed over by Snakemake" if request.get("path") is None else "from its job process"
    _log(f"job {request.get('rule')} in pid {pid} ({how})")
    return pid


def _run_child(conn: socket.socket, fds: list[int], request: dict[str, Any]) -> None:
    """In the fork: become the job process (stdio, directory, environment) and run its script."""
    import atexit
    import runpy
    import threading
    import traceback

    worker_log = os.dup(2)  # the worker's log: one line per job at the end
    started, cpu0 = time.perf_counter(), time.process_time()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.setsid()
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ[CHILD_FLAG] = "1"
    sys.argv = list(request["argv"])
    # the job's own sys.path, or (sent by the Snakemake process) what `python script` starts with
    path = request["path"]
    sys.path[:] = (
        list(path) if path is not None else [os.path.dirname(request["script"]), *sys.path[1:]]
    )
    conn.settimeout(None)
    conn.sendall(b"A")

    def watch() -> None:  # the job process went away (cancelled): stop at once
        with contextlib.suppress(OSError):
            conn.recv(1)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()
    status = 0
    try:
        runpy.run_path(request["script"], run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code
        else:
            print(code, file=sys.stderr)
            status = 1
    except BaseException:  # noqa: BLE001 - as the interpreter would: traceback, status 1
        traceback.print_exc()
        status = 1
    try:
        atexit._run_exitfuncs()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        line = (
            f"{_stamp()} pid {os.getpid()}: job "
            f"{request.get('rule')} ended with status {status} after "
            f"{time.perf_counter() - started:.2f} s ({time.process_time() - cpu0:.2f} s CPU)\n"
        )
        with contextlib.suppress(OSError):
            os.write(worker_log, line.encode())
        try:
            conn.sendall(_HEADER.pack(status & 0xFF))
        finally:
            os._exit(status & 0xFF)


def stop(workdir: str | os.PathLike[str]) -> int | None:
    """Stop the worker of ``workdir`` (if one runs); return its process id."""
    import fcntl

    p = paths(workdir)
    try:
        with open(p["lock"]) as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # held: a worker runs, and its pid is in the file
                pid = int(fh.read().strip() or 0)
                if pid > 0:
                    os.kill(pid, signal.SIGTERM)
                    return pid
    except (OSError, ValueError):
        pass
    return None


def main(argv: list[str] | None = None) -> int:
    """``python -m greenindex.warm serve DIR`` (started by jobs) or ``stop [DIR]``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "serve":
        serve(args[1])
        return 0
    if args[:1] == ["stop"] and len(args) <= 2:
        workdir = args[1] if len(args) == 2 else os.getcwd()
        pid = stop(workdir)
        print(f"stopped the warm worker of {workdir} (pid {pid})" if pid else "no warm worker runs")
        return 0
    print("usage: python -m greenindex.warm serve DIR | stop [DIR]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
