"""The run plan (Monte Carlo rows, then the Saltelli rows), chunks and their files, and the
whole analysis in memory (:func:`run`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from greenindex.analysis.sensitivity import SaltelliDesign
from greenindex.analysis.uncertainty.engine import UncertaintyModel
from greenindex.analysis.uncertainty.summaries import UncertaintyResult, summarise
from greenindex.data.io import atomic_path
from greenindex.errors import ConfigError, InputError

#: Stream of the Monte Carlo rows: row ``r`` draws from ``default_rng([seed, MC_STREAM, r])``.
MC_STREAM = 0


# -- the run plan: Monte Carlo rows, then the Saltelli rows ------------------------------------
def mc_uniforms(seed: int, rows: Sequence[int] | np.ndarray, n_columns: int) -> np.ndarray:
    """Uniforms of Monte Carlo replications: row ``r`` from ``default_rng([seed, 0, r])``."""
    return (
        np.stack([np.random.default_rng([seed, MC_STREAM, int(r)]).random(n_columns) for r in rows])
        if len(rows)
        else np.empty((0, n_columns))
    )


@dataclass(frozen=True)
class RunPlan:
    """All rows of an analysis: ``n`` Monte Carlo replications (rows ``0 .. n-1``), then the
    rows of the Saltelli design (rows ``n ..``), if any."""

    n: int
    seed: int
    factor_columns: tuple[int, ...]
    sobol_n_base: int = 0

    @property
    def design(self) -> SaltelliDesign | None:
        if self.sobol_n_base <= 0 or not self.factor_columns:
            return None
        return SaltelliDesign(n_base=self.sobol_n_base, groups=self.factor_columns, seed=self.seed)

    @property
    def n_rows(self) -> int:
        d = self.design
        return self.n + (d.n_rows if d is not None else 0)

    def chunk_rows(self, chunk: int, n_chunks: int) -> np.ndarray:
        """Rows of chunk ``chunk`` (0-based) of ``n_chunks`` contiguous chunks."""
        if not 0 <= chunk < n_chunks:
            raise ConfigError("uncertainty.chunks", f"chunk {chunk} is not in 0..{n_chunks - 1}")
        return np.array_split(np.arange(self.n_rows), n_chunks)[chunk]

    def uniforms(self, rows: np.ndarray) -> np.ndarray:
        ncol = int(sum(self.factor_columns))
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty((len(rows), ncol))
        mc = rows < self.n
        out[mc] = mc_uniforms(self.seed, rows[mc], ncol)
        if (~mc).any():
            out[~mc] = self.design.rows(rows[~mc] - self.n)  # type: ignore[union-attr]
        return out


def run_chunk(
    model: UncertaintyModel,
    plan: RunPlan,
    chunk: int = 0,
    n_chunks: int = 1,
    *,
    batch_size: int = 1000,
    progress: Callable[[int], object] | None = None,
) -> dict[str, np.ndarray]:
    """Compute one chunk of the analysis; returns arrays to save with :func:`save_chunk`.

    Monte Carlo rows keep scores, ranks and claims; Saltelli rows keep the rank shift only.
    ``progress`` is called with the number of rows of each finished batch.
    """
    rows = plan.chunk_rows(chunk, n_chunks)
    u = plan.uniforms(rows)
    if len(rows):
        res = model.evaluate_uniform(u, batch_size=batch_size, progress=progress)
    else:
        res = model.evaluate(model.nominal_choices(0))
    mc = rows < plan.n
    out = {
        "rows": rows,
        "shift": res.shift,
        "codes": res.decoded.codes,
        "dropped": res.decoded.dropped,
        "mc_scores": res.scores[mc],
        "mc_ranks": res.ranks[mc].astype(np.float32),
        "mc_claims": (res.claims[mc] if res.claims is not None else np.empty((int(mc.sum()), 0))),
        "n_rows": np.array(plan.n_rows),
        "n_mc": np.array(plan.n),
    }
    return out


def save_chunk(path: str | Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write a chunk as an uncompressed ``.npz`` (deterministic content)."""
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **arrays)


def load_chunks(paths: Sequence[str | Path]) -> dict[str, np.ndarray]:
    """Read chunk files and join them in row order; every row must appear exactly once."""
    parts = []
    for p in paths:
        with np.load(p) as d:
            parts.append({k: d[k] for k in d.files})
    if not parts:
        raise InputError("no chunk files to merge", fix="run the uncertainty_chunk jobs first.")
    rows = np.concatenate([p["rows"] for p in parts])
    n_rows = int(parts[0]["n_rows"])
    order = np.argsort(rows, kind="stable")
    if not np.array_equal(rows[order], np.arange(n_rows)):
        raise InputError(
            f"the chunks cover {len(np.unique(rows))} distinct rows of {n_rows}, with "
            f"{len(rows) - len(np.unique(rows))} duplicates",
            file=", ".join(str(p) for p in paths[:3]) + (" ..." if len(paths) > 3 else ""),
            fix="re-run all chunks with the same uncertainty settings (n, seed, chunks).",
        )
    out: dict[str, np.ndarray] = {"rows": rows[order], "n_rows": np.array(n_rows)}
    for k in ("shift", "codes", "dropped"):
        out[k] = np.concatenate([p[k] for p in parts])[order]
    n_mc = int(parts[0]["n_mc"])
    mc_rows = np.concatenate([p["rows"][p["rows"] < n_mc] for p in parts])
    mc_order = np.argsort(mc_rows, kind="stable")
    for k in ("mc_scores", "mc_ranks", "mc_claims"):
        out[k] = np.concatenate([p[k] for p in parts])[mc_order]
    out["n_mc"] = np.array(n_mc)
    return out


def run(
    model: UncertaintyModel,
    *,
    n: int,
    sobol_n_base: int = 0,
    n_chunks: int = 1,
    batch_size: int = 1000,
    bootstrap: int = 500,
    confidence: float = 0.95,
    quantiles: tuple[float, float] = (0.05, 0.95),
) -> UncertaintyResult:
    """The whole analysis in one process (the workflow runs the chunks as separate jobs)."""
    plan = RunPlan(
        n=n, seed=model.spec.seed, factor_columns=model.factor_columns, sobol_n_base=sobol_n_base
    )
    tmp = [run_chunk(model, plan, c, n_chunks, batch_size=batch_size) for c in range(n_chunks)]
    merged = _merge_in_memory(tmp)
    return summarise(
        model, plan, merged, quantiles=quantiles, bootstrap=bootstrap, confidence=confidence
    )


def _merge_in_memory(parts: Sequence[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        paths = []
        for k, p in enumerate(parts):
            path = Path(d) / f"{k}.npz"
            save_chunk(path, p)
            paths.append(path)
        return load_chunks(paths)
