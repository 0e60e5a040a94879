"""The batched engine: a model that evaluates many replications at once (distinct data
versions and weight vectors computed once with the single-run stage functions, aggregation and
ranks as arrays)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from greenindex.analysis.claims import ClaimSetup, claims_batch
from greenindex.analysis.uncertainty.spec import UncertaintySpec
from greenindex.config import deep_merge
from greenindex.errors import ConfigError, InputError, MethodError
from greenindex.index.aggregate import aggregate_batch
from greenindex.index.framework import Framework

BATCHED_AGGREGATIONS = ("arithmetic", "geometric", "harmonic")


# -- engine adapter -----------------------------------------------------------------------------


class EngineStages:
    """Single-run stage functions of the package (:mod:`greenindex.index.pipeline`), called once per
    distinct data version or weight vector. Each takes the config section of its stage."""

    def treat(
        self, panel: pd.DataFrame, section: Mapping[str, Any] | None, groups: pd.Series | None
    ) -> pd.DataFrame:
        """Impute, screen and treat outliers as the workflow does
        (:func:`greenindex.index.pipeline.treat_steps_from_config`, with the workflow's
        ``treat`` section and the choice's overrides; ``None`` = the data are used as given)."""
        if section is None:
            return panel
        from greenindex.index.pipeline import treat_steps_from_config

        return treat_steps_from_config(panel, section, groups)[2]

    def normalise(
        self, panel: pd.DataFrame, framework: Framework, section: Mapping[str, Any]
    ) -> pd.DataFrame:
        """:func:`greenindex.index.pipeline.normalise_from_config` on the framework's indicators."""
        from greenindex.index.pipeline import normalise_from_config

        inds = list(framework.indicators)
        z, _ = normalise_from_config(
            panel[inds], {i: framework.direction[i] for i in inds}, section
        )
        return z.reindex(columns=inds)

    def weights(
        self,
        treated: pd.DataFrame,
        basis: pd.DataFrame,
        framework: Framework,
        section: Mapping[str, Any],
    ) -> pd.Series:
        """:func:`greenindex.index.pipeline.weights_from_config`; data-driven schemes see ``basis``
        (:func:`greenindex.index.pipeline.weight_basis`), whatever the normalisation drawn."""
        from greenindex.index.pipeline import weights_from_config

        w = weights_from_config(basis, framework, section, raw=treated).weights
        if isinstance(w, pd.DataFrame):
            raise MethodError(
                "per-year weights (weights.scope: year) are not supported by the "
                "uncertainty analysis. What to do: use pooled weights, or set "
                "uncertainty.enabled: false."
            )
        return pd.Series(w, dtype=float)

    def aggregate(
        self, z: pd.DataFrame, framework: Framework, weights: pd.Series, section: Mapping[str, Any]
    ) -> pd.Series:
        """:func:`greenindex.index.pipeline.aggregate_from_config`; returns the root's scores."""
        from greenindex.index.pipeline import aggregate_from_config

        sec = dict(section)
        sec["method"] = aggregation_methods(framework, section)
        sec.pop("levels", None)
        return aggregate_from_config(z, framework, weights, sec)[framework.root]


def _aggregate_section(section: Mapping[str, Any]) -> dict[str, Any]:
    from greenindex.index.pipeline import with_defaults

    return with_defaults("aggregate", section)


def aggregation_methods(framework: Framework, section: Mapping[str, Any]) -> dict[int, str]:
    """Method per aggregation level (2 .. top) from an ``aggregate`` config section
    (``method``: one name or level -> name; ``levels``: per-level overrides)."""
    from greenindex.index.pipeline import with_defaults

    m = with_defaults("aggregate", section)["method"]
    per: dict[int, str] = {}
    if isinstance(m, Mapping):
        per.update({int(k): str(v) for k, v in m.items()})
        base = "arithmetic"
    else:
        base = str(m)
    per.update({int(k): str(v) for k, v in (section.get("levels", {}) or {}).items()})
    return {lv: per.get(lv, base) for lv in range(2, len(framework.levels) + 1)}


# -- the batched kernels -------------------------------------------------------------------------
def rank_batch(
    scores: np.ndarray, groups: np.ndarray | None = None, *, block: int = 2000
) -> np.ndarray:
    """Ranks within groups (years) for each replication: highest score = 1, ties take the
    minimum rank, missing scores get NaN.

    :math:`rank_{ir} = 1 + \\#\\{k \\in g(i): s_{kr} > s_{ir}\\}`.
    """
    scores = np.asarray(scores, dtype=float)
    R, n = scores.shape
    groups = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups)
    out = np.full((R, n), np.nan)
    for g in np.unique(groups):
        ix = np.flatnonzero(groups == g)
        for s in range(0, R, block):
            S = scores[s : s + block, ix]
            r = 1.0 + (S[:, None, :] > S[:, :, None]).sum(axis=2)
            r[np.isnan(S)] = np.nan
            out[s : s + block, ix] = r
    return out


# -- the model -------------------------------------------------------------------------------------
@dataclass
class Decoded:
    """Choices of a batch of replications.

    ``codes[r, c]`` is the option of choice ``c`` (-1 = the nominal section);
    ``multiplier[r, k]`` multiplies the weight of non-root node ``k``; ``dropped[r]`` is the
    index of the indicator left out (-1 = none); ``weights`` (optional) replaces the weights
    altogether (e.g. COINr's replayed weight sets).
    """

    codes: np.ndarray
    multiplier: np.ndarray
    dropped: np.ndarray
    weights: np.ndarray | None = None


@dataclass
class BatchResult:
    """Outputs of a batch of replications (row ``r`` = replication ``r``)."""

    scores: np.ndarray
    ranks: np.ndarray
    shift: np.ndarray
    claims: np.ndarray | None
    decoded: Decoded


class UncertaintyModel:
    """The index as a function of the choices, evaluated for batches of replications.

    Parameters
    ----------
    panel
        Wide panel (index ``unit, year``) of the data entering the first uncertain stage:
        treated data when no ``treat`` choice is declared, otherwise the untreated data.
    framework
        The indicator tree.
    spec
        The :class:`UncertaintySpec`.
    claims
        Setup of the batched claim tests, or ``None``.
    groups
        Units' groups for group-mean imputation (index ``unit``), if a treat option needs it.
    stages
        Single-run stage functions (default :class:`EngineStages`).
    """

    def __init__(
        self,
        panel: pd.DataFrame,
        framework: Framework,
        spec: UncertaintySpec,
        *,
        claims: ClaimSetup | None = None,
        groups: pd.Series | None = None,
        stages: EngineStages | None = None,
    ) -> None:
        self.framework = framework.subset([i for i in framework.indicators if i in panel.columns])
        missing = [i for i in framework.indicators if i not in panel.columns]
        if missing:
            raise InputError(
                f"the data lack indicators {missing[:10]} of the framework",
                fix="check that the treated panel holds every indicator of the codebook.",
            )
        self.panel = panel.sort_index()
        self.spec = spec
        self.claims_setup = claims
        self.groups = groups
        self.stages = stages or EngineStages()
        self.indicators = list(self.framework.indicators)
        self.nonroot = [n for n in self.framework.nodes if n != self.framework.root]
        self.years = self.panel.index.get_level_values("year").to_numpy()
        lv = {n: self.framework.level_of(n) for n in self.nonroot}
        wn = spec.weight_noise
        self.noisy = (
            [k for k, n in enumerate(self.nonroot) if lv[n] in wn.levels]
            if wn is not None and wn.fraction > 0
            else []
        )
        if wn is not None and wn.fraction > 0 and not self.noisy:
            raise ConfigError(
                "uncertainty.weight_perturbation.levels",
                f"no node at levels {list(wn.levels)}",
                f"use levels between 1 and {len(self.framework.levels) - 1}.",
            )
        self._data: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
        self._weights: dict[tuple[str, str, int], np.ndarray] = {}
        self._bases: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
        self._wkey: dict[tuple[tuple[int, ...], int], np.ndarray] = {}
        self._key_cache: dict[tuple[int, ...], tuple[str, str]] = {}
        nom = self.evaluate(self.nominal_choices(), nominal_ranks=None)
        self.nominal_scores = nom.scores[0]
        self.nominal_ranks = nom.ranks[0]
        self.nominal_claims = None if nom.claims is None else nom.claims[0]

    # -- factors ----------------------------------------------------------------------------
    @property
    def factor_columns(self) -> tuple[int, ...]:
        """Uniform columns of each Sobol factor."""
        cols = [1] * len(self.spec.choices)
        if self.noisy:
            cols.append(len(self.noisy))
        if self.spec.drop_indicator:
            cols.append(1)
        return tuple(cols)

    @property
    def n_columns(self) -> int:
        return int(sum(self.factor_columns))

    def nominal_choices(self, n: int = 1) -> Decoded:
        return Decoded(
            codes=np.full((n, len(self.spec.choices)), -1, dtype=np.int64),
            multiplier=np.ones((n, len(self.nonroot))),
            dropped=np.full(n, -1, dtype=np.int64),
        )

    def decode(self, u: np.ndarray) -> Decoded:
        """Choices from uniform draws ``(R, n_columns)`` (see the module docstring)."""
        u = np.atleast_2d(np.asarray(u, dtype=float))
        R = u.shape[0]
        dec = self.nominal_choices(R)
        col = 0
        for c, ch in enumerate(self.spec.choices):
            k = len(ch.options)
            dec.codes[:, c] = np.minimum((u[:, col] * k).astype(np.int64), k - 1)
            col += 1
        if self.noisy:
            f = self.spec.weight_noise.fraction  # type: ignore[union-attr]
            dec.multiplier[:, self.noisy] = 1.0 + f * (
                2.0 * u[:, col : col + len(self.noisy)] - 1.0
            )
            col += len(self.noisy)
        if self.spec.drop_indicator:
            m = len(self.indicators)
            dec.dropped[:] = np.minimum((u[:, col] * (m + 1)).astype(np.int64), m) - 1
        return dec

    # -- cached single-run stages ------------------------------------------------------------
    def _section(self, stage: str, codes: np.ndarray) -> dict[str, Any]:
        sec = dict(self.spec.nominal.get(stage) or {})
        for c, ch in enumerate(self.spec.choices):
            if ch.stage == stage and codes[c] >= 0:
                opt = dict(ch.options[int(codes[c])])
                sec = deep_merge(sec, opt)
        return sec

    def _data_for(self, codes: np.ndarray) -> tuple[str, pd.DataFrame, pd.DataFrame]:
        tkey, treated, _ = self._basis(codes)
        nsec = self._section("normalise", codes)
        key = json.dumps([tkey, nsec], sort_keys=True, default=str)
        if key not in self._data:
            z = self.stages.normalise(treated, self.framework, nsec)
            self._data[key] = (treated, z)
        treated, z = self._data[key]
        return key, treated, z

    def _weights_for(self, codes: np.ndarray, dropped: int) -> np.ndarray:
        t = (tuple(int(c) for c in codes), int(dropped))
        if t not in self._wkey:
            self._wkey[t] = self._compute_weights(codes, dropped)
        return self._wkey[t]

    def _basis(self, codes: np.ndarray) -> tuple[str, pd.DataFrame, pd.DataFrame]:
        """Treated data and the basis of the data-driven weights (min-max [0, 1], see
        :func:`greenindex.index.pipeline.weight_basis`)."""
        tsec = self._section("treat", codes)
        key = json.dumps(tsec, sort_keys=True, default=str)
        if key not in self._bases:
            treated = self.stages.treat(self.panel, tsec or None, self.groups).reindex(
                self.panel.index
            )
            from greenindex.index.pipeline import weight_basis

            inds = list(self.framework.indicators)
            basis = weight_basis(treated[inds], {i: self.framework.direction[i] for i in inds})
            self._bases[key] = (treated, basis)
        return (key, *self._bases[key])

    def _compute_weights(self, codes: np.ndarray, dropped: int) -> np.ndarray:
        tkey, treated, basis = self._basis(codes)
        wsec = self._section("weights", codes)
        key = (tkey, json.dumps(wsec, sort_keys=True, default=str), int(dropped))
        if key not in self._weights:
            fw = self.framework
            if dropped >= 0:
                fw = fw.subset([i for k, i in enumerate(self.indicators) if k != dropped])
            w = self.stages.weights(
                treated[list(fw.indicators)], basis[list(fw.indicators)], fw, wsec
            )
            arr = w.reindex(self.nonroot).to_numpy(dtype=float)
            arr = np.where(np.isnan(arr), 0.0, arr)
            self._weights[key] = arr
        return self._weights[key]

    def _keys(self, codes: np.ndarray) -> tuple[str, str]:
        """(data key, aggregation key) of a choice vector, cached."""
        t = tuple(int(c) for c in codes)
        if t not in self._key_cache:
            self._key_cache[t] = (
                self._data_for(codes)[0],
                json.dumps(self._section("aggregate", codes), sort_keys=True),
            )
        return self._key_cache[t]

    def _groups(self, codes: np.ndarray) -> dict[tuple[str, str], np.ndarray]:
        """Rows (ascending) of a batch by (data key, aggregation key); the keys are worked out
        once per distinct choice vector, not once per row."""
        uniq, inverse, counts = np.unique(codes, axis=0, return_inverse=True, return_counts=True)
        order = np.argsort(inverse.reshape(-1), kind="stable")  # rows of each choice vector
        ends = np.cumsum(counts)
        parts: dict[tuple[str, str], list[np.ndarray]] = {}
        for u, end, count in zip(uniq, ends, counts, strict=True):
            parts.setdefault(self._keys(u), []).append(order[end - count : end])
        return {key: np.sort(np.concatenate(p)) for key, p in parts.items()}

    def _weight_rows(self, codes: np.ndarray, dropped: np.ndarray) -> np.ndarray:
        """Data-driven weight vectors of the rows (codes, dropped indicator), one computation
        (or cache look-up) per distinct pair."""
        both = np.column_stack([codes, dropped])
        uniq, inverse = np.unique(both, axis=0, return_inverse=True)
        table = np.stack([self._weights_for(u[:-1], int(u[-1])) for u in uniq])
        return table[inverse.reshape(-1)]

    # -- evaluation ----------------------------------------------------------------------------
    def evaluate(
        self, dec: Decoded, *, nominal_ranks: np.ndarray | None | bool = True
    ) -> BatchResult:
        """Scores, ranks, rank shift and claims of a batch of replications."""
        R = dec.codes.shape[0]
        n = len(self.panel)
        scores = np.full((R, n), np.nan)
        for (dk, ak), rows_a in self._groups(dec.codes).items():
            rows = rows_a.tolist()
            z = self._data[dk][1].to_numpy(dtype=float)
            asec = json.loads(ak)
            methods = aggregation_methods(self.framework, asec)
            if dec.weights is not None:
                W = dec.weights[rows_a] * dec.multiplier[rows_a]
            else:
                W = self._weight_rows(dec.codes[rows_a], dec.dropped[rows_a])
                W = W * dec.multiplier[rows_a]
            present = np.ones((len(rows), len(self.indicators)), dtype=bool)
            dr = dec.dropped[rows_a]
            present[np.flatnonzero(dr >= 0), dr[dr >= 0]] = False
            if all(m in BATCHED_AGGREGATIONS for m in methods.values()):
                scores[rows_a] = aggregate_batch(
                    z,
                    self.framework,
                    W,
                    methods,
                    present,
                    min_share_present=float(_aggregate_section(asec)["min_share_present"]),
                )
            else:  # e.g. TOPSIS: one ordinary run per replication
                zf = self._data[dk][1]
                for k, r in enumerate(rows):
                    keep = [i for j, i in enumerate(self.indicators) if present[k, j]]
                    fw = self.framework.subset(keep)
                    w = pd.Series(W[k], index=self.nonroot).reindex(
                        [x for x in fw.nodes if x != fw.root]
                    )
                    scores[r] = self.stages.aggregate(zf[keep], fw, w, asec).to_numpy()
        ranks = rank_batch(scores, self.years)
        if nominal_ranks is True:
            nominal_ranks = self.nominal_ranks
        if isinstance(nominal_ranks, np.ndarray):
            with np.errstate(all="ignore"):
                shift = np.nanmean(np.abs(ranks - nominal_ranks[None, :]), axis=1)
        else:
            shift = np.zeros(R)
        claims = None if self.claims_setup is None else claims_batch(scores, self.claims_setup)
        return BatchResult(scores=scores, ranks=ranks, shift=shift, claims=claims, decoded=dec)

    def evaluate_uniform(
        self,
        u: np.ndarray,
        batch_size: int = 1000,
        progress: Callable[[int], object] | None = None,
    ) -> BatchResult:
        """:meth:`evaluate` on the choices decoded from uniforms, in batches; ``progress`` is
        called with the number of rows of each finished batch."""
        parts = []
        for s in range(0, len(u), batch_size):
            parts.append(self.evaluate(self.decode(u[s : s + batch_size])))
            if progress is not None:
                progress(len(parts[-1].shift))
        return _concat_results(parts)

    def single_run(self, dec: Decoded, r: int = 0) -> pd.Series:
        """Replication ``r`` of ``dec`` computed with the ordinary single-run functions
        (:func:`greenindex.index.aggregate.aggregate`): the reference the batch must equal."""
        codes = dec.codes[r]
        _, _, z = self._data_for(codes)
        keep = [i for j, i in enumerate(self.indicators) if j != dec.dropped[r]]
        fw = self.framework.subset(keep)
        if dec.weights is not None:
            w = dec.weights[r] * dec.multiplier[r]
        else:
            w = self._weights_for(codes, int(dec.dropped[r])) * dec.multiplier[r]
        ws = pd.Series(w, index=self.nonroot).reindex([x for x in fw.nodes if x != fw.root])
        return self.stages.aggregate(z[keep], fw, ws, self._section("aggregate", codes))

    def labels(self, dec: Decoded) -> pd.DataFrame:
        """The choices of each replication as labels (one column per choice)."""
        out = {}
        for c, ch in enumerate(self.spec.choices):
            out[ch.name] = [ch.labels[k] if k >= 0 else "nominal" for k in dec.codes[:, c]]
        if self.spec.drop_indicator:
            out["dropped_indicator"] = ["" if d < 0 else self.indicators[d] for d in dec.dropped]
        return pd.DataFrame(out)


def _concat_results(parts: Sequence[BatchResult]) -> BatchResult:
    dec = Decoded(
        codes=np.concatenate([p.decoded.codes for p in parts]),
        multiplier=np.concatenate([p.decoded.multiplier for p in parts]),
        dropped=np.concatenate([p.decoded.dropped for p in parts]),
    )
    return BatchResult(
        scores=np.concatenate([p.scores for p in parts]),
        ranks=np.concatenate([p.ranks for p in parts]),
        shift=np.concatenate([p.shift for p in parts]),
        claims=None if parts[0].claims is None else np.concatenate([p.claims for p in parts]),  # type: ignore[misc]
        decoded=dec,
    )
