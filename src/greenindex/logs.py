"""Logging for workflow steps: a log file per step and readable failures.

A failing step prints the error message (file, row or key, what to do) on standard error and
into its log, without a traceback for input errors, so that a researcher sees what to fix.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

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


def figure_logging(log_path: str | Path, name: str) -> logging.Logger:
    """The log of a figure script: every record (matplotlib's and warnings included) goes to
    ``log_path``, fontTools' subsetting chatter left out; returns the logger ``name``."""
    logging.basicConfig(filename=str(log_path), level=logging.INFO, filemode="w", force=True)
    logging.captureWarnings(True)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    return logging.getLogger(name)


class Progress:
    """Progress of a step made of ``total`` parts, for a person watching the run.

    Each :meth:`advance` writes one line to the step's log and to standard error (which
    Snakemake shows in the console, beside its own "N of M steps"): parts done, percentage,
    elapsed time and the remaining time estimated at the mean pace so far,
    :math:`t_{left} = t_{elapsed} (N - k) / k`.

    Examples
    --------
    >>> import io
    >>> ticks = iter([0.0, 4.0, 10.0])
    >>> p = Progress(4, "figures", stream=io.StringIO(), clock=lambda: next(ticks))
    >>> p.advance(1, "map a")
    'figures: 1/4 (25 %) map a; 4 s elapsed, about 12 s left'
    >>> p.advance(1, "map b")
    'figures: 2/4 (50 %) map b; 10 s elapsed, about 10 s left'
    """

    def __init__(
        self,
        total: int,
        label: str,
        *,
        logger: logging.Logger | None = None,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.done = 0
        self._log = logger or log
        self._stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self._t0 = clock()

    def advance(self, parts: int = 1, what: str = "") -> str:
        """Count ``parts`` more as done; log and print the progress line (returned)."""
        self.done = min(self.done + int(parts), self.total)
        elapsed = self._clock() - self._t0
        left = elapsed * (self.total - self.done) / self.done if self.done else float("nan")
        pct = 100 * self.done / self.total
        line = (
            f"{self.label}: {self.done}/{self.total} ({pct:.0f} %)"
            + (f" {what}" if what else "")
            + f"; {elapsed:.0f} s elapsed, about {left:.0f} s left"
        )
        self._log.info(line)
        self._stream.write(f"[greenindex] {line}\n")
        self._stream.flush()
        return line
