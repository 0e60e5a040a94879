"""Logging for workflow steps: a log file per step and readable failures.

A failing step prints the error message (file, row or key, what to do) on standard error and
into its log, without a traceback for input errors, so that a researcher sees what to fix.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from greenindex.errors import GreenIndexError

log = logging.getLogger("greenindex")


@contextmanager
def step_logging(log_path: str | Path, step: str) -> Iterator[logging.Logger]:
    """Send ``greenindex`` log records to ``log_path``; report failures plainly."""
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("greenindex")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    try:
        yield logging.getLogger(f"greenindex.{step}")
    except GreenIndexError as exc:
        msg = f"\n[greenindex] step '{step}' failed.\n{exc}\n"
        root.error(str(exc))
        sys.stderr.write(msg)
        sys.stdout.write(msg)
        sys.stdout.flush()
        raise SystemExit(1) from None
    except Exception:
        root.error(traceback.format_exc())
        raise
    finally:
        root.removeHandler(handler)
        handler.close()
