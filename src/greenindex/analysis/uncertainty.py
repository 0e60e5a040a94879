"""Monte Carlo uncertainty analysis over the modelling choices, computed in batches.

A composite index rests on choices (normalisation, weighting scheme, entropy variant,
aggregation, imputation, outlier treatment, the weights themselves, the indicator set). The
uncertainty analysis of the OECD/JRC handbook re-builds the index many times, each time with
the choices drawn at random, and reports how stable the ranking is (Saisana, Saltelli and
Tarantola 2005; COINr ``get_sensitivity``):

- per unit and year: the nominal rank, the median rank and the 5-95 % rank interval over
  the replications (quantiles of R's default type 7, as COINr);
- per claim of the finding check: the share of replications in which it holds;
- first-order and total Sobol indices of the mean absolute rank shift
  :math:`\\bar{\\Delta}_r = \\frac{1}{n}\\sum_i |rank_{ir} - rank_{i,nominal}|` with respect to each
  choice (:mod:`greenindex.analysis.sensitivity`).

Every replication ``r`` draws its uniforms from ``numpy.random.default_rng([seed, 0, r])``, so
its choices do not depend on which chunk computes it: any split of the replications into
chunks gives the same results (scatter/gather in the workflow).

The batched engine: the few distinct data versions (treatment x normalisation) and weight
vectors (scheme x variant x dropped indicator) are computed once each with the ordinary
single-run functions (:mod:`greenindex.index.normalise`, :mod:`greenindex.index.weights`,
:mod:`greenindex.index.treat`); the replications then differ only in weights, dropped indicators and
aggregation, which :func:`aggregate_batch` evaluates for a whole batch of replications as
arrays. Replication ``r`` of a batch equals a single run of :func:`greenindex.index.aggregate.aggregate`
with the same choices.

Uniforms map to choices as follows: a choice with ``k`` options takes option
:math:`\\lfloor k u \\rfloor`; a perturbed weight becomes :math:`w (1 + f (2u - 1))`, i.e.
uniform on :math:`[w(1-f), w(1+f)]`; "drop one indicator" takes none or one of the ``m``
indicators with equal probability :math:`1/(m+1)`.

References
----------
Saisana M., Saltelli A., Tarantola S. (2005), Uncertainty and sensitivity analysis techniques
as tools for the quality assessment of composite indicators, J. R. Stat. Soc. A 168(2), 307-323.
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 7.
Becker W. et al. (2022), COINr, JOSS 7(78): ``get_sensitivity``, ``get_noisy_weights``.
Hyndman R.J., Fan Y. (1996), Sample quantiles in statistical packages, Am. Stat. 50(4)
(type 7 quantile).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greenindex.analysis.sensitivity import SaltelliDesign, sobol_indices
from greenindex.config import deep_merge
from greenindex.errors import ConfigError, InputError, MethodError
from greenindex.glossary import term
from greenindex.index.framework import Framework

#: Seed stream of the plain Monte Carlo replications.
MC_STREAM = 0
#: Stages a choice can apply to, in the order they run.
STAGES = ("treat", "normalise", "weights", "aggregate")
#: Stage of the choices known by name (a choice may also name its stage explicitly).
KNOWN_CHOICES = {
    "normalisation": "normalise",
    "normalise": "normalise",
    "weighting": "weights",
    "weights": "weights",
    "entropy_variant": "weights",
    "pca_convention": "weights",
    "aggregation": "aggregate",
    "aggregate": "aggregate",
    "imputation": "treat",
    "impute": "treat",
    "outliers": "treat",
}
#: How a plain string option is read for each known choice (default: ``{"method": s}``).
_STRING_OPTION: dict[str, Callable[[str], dict[str, Any]]] = {
    "weighting": lambda s: {"scheme": s},
    "weights": lambda s: {"scheme": s},
    "entropy_variant": lambda s: {"entropy": {"variant": s}},
    "pca_convention": lambda s: {"pca": {"convention": s}},
    "imputation": lambda s: {"impute": {"method": s}},
    "impute": lambda s: {"impute": {"method": s}},
    "outliers": lambda s: {"outliers": {"method": s}},
}
BATCHED_AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
CLAIMS = ("C1", "C2", "C3", "C4a", "C4b")


# -- the uncertainty specification -------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    """One uncertain modelling choice.

    Attributes
    ----------
    name
        Name shown in the outputs (e.g. ``normalisation``).
    stage
        Stage the options override: one of :data:`STAGES`.
    options
        Each option is a partial config section of that stage, deep-merged over the nominal
        section (e.g. ``{"method": "zscore", "mean": 10, "sd": 2}`` for ``normalise``).
    labels
        Short label of each option.
    """

    name: str
    stage: str
    options: tuple[Mapping[str, Any], ...]
    labels: tuple[str, ...]

    @classmethod
    def from_config(cls, item: Mapping[str, Any], key: str = "uncertainty.choices") -> Choice:
        """Build a choice from ``{name, stage?, options, labels?}``; plain-string options are
        read as ``{method: s}`` (``entropy_variant``: ``{entropy: {variant: s}}``)."""
        if not isinstance(item, Mapping) or "name" not in item or "options" not in item:
            raise ConfigError(key, f"each choice needs 'name' and 'options', got {item!r}")
        name = str(item["name"])
        stage = str(item.get("stage") or KNOWN_CHOICES.get(name, ""))
        if stage not in STAGES:
            raise ConfigError(
                f"{key}.{name}.stage",
                f"choice '{name}' has no known stage (got '{stage}')",
                f"add 'stage:' with one of {STAGES}, or use a known name {sorted(KNOWN_CHOICES)}.",
            )
        raw = list(item["options"])
        if len(raw) < 2:
            raise ConfigError(
                f"{key}.{name}.options", "an uncertain choice needs at least two options"
            )
        to_dict = _STRING_OPTION.get(name, lambda s: {"method": s})
        opts = tuple(dict(o) if isinstance(o, Mapping) else to_dict(str(o)) for o in raw)
        labels = item.get("labels")
        if labels is None:
            labels = [o if isinstance(o, str) else _label(o) for o in raw]
        if len(labels) != len(opts):
            raise ConfigError(f"{key}.{name}.labels", "needs one label per option")
        return cls(name=name, stage=stage, options=opts, labels=tuple(str(s) for s in labels))


def _label(option: Mapping[str, Any]) -> str:
    flat = _flatten(option)
    return ",".join(
        f"{v}" if k.endswith(("method", "variant")) else f"{k}={v}" for k, v in flat.items()
    )


def _flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, Mapping):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out




@dataclass(frozen=True)
class WeightNoise:
    """Weights multiplied by a uniform factor in ``[1 - fraction, 1 + fraction]``.

    ``levels`` are framework levels (1 = indicators, 2 = dimensions, ...); every non-root node
    of those levels gets its own independent factor.
    """

    fraction: float = 0.25
    levels: tuple[int, ...] = (2,)

    def __post_init__(self) -> None:
        if not 0 <= self.fraction < 1:
            raise ConfigError(
                "uncertainty.weight_perturbation.fraction",
                f"must lie in [0, 1), got {self.fraction}",
                "give e.g. 0.25 for +-25 %.",
            )


@dataclass(frozen=True)
class UncertaintySpec:
    """What varies, and how the nominal index is built.

    Attributes
    ----------
    nominal
        Config section of each stage for the nominal build (``treat`` may be ``None``: the
        data are used as given).
    choices
        The uncertain choices.
    weight_noise
        Weight perturbation, or ``None``.
    drop_indicator
        Whether one indicator at a time may be left out.
    seed
        Seed of the whole analysis.
    """

    nominal: Mapping[str, Mapping[str, Any] | None]
    choices: tuple[Choice, ...] = ()
    weight_noise: WeightNoise | None = None
    drop_indicator: bool = False
    seed: int = 1

    def factor_names(self) -> list[str]:
        """Names of the Sobol factors: the choices, then ``weights_noise``, ``drop_indicator``."""
        names = [c.name for c in self.choices]
        if self.weight_noise is not None and self.weight_noise.fraction > 0:
            names.append("weight_perturbation")
        if self.drop_indicator:
            names.append("drop_indicator")
        return names


# -- engine adapter -----------------------------------------------------------------------------
def _weights_section(section: Mapping[str, Any]) -> dict[str, Any]:
    """Weights section for the engine: a choice option written as ``{method: s}`` (how plain
    string options are read) names the scheme, which the engine reads from ``scheme``."""
    sec = dict(section)
    if "scheme" not in sec and "method" in sec:
        sec["scheme"] = sec["method"]
    return sec


class EngineStages:
    """Single-run stage functions of the package (:mod:`greenindex.index.pipeline`), called once per
    distinct data version or weight vector. Each takes the config section of its stage."""

    def treat(
        self, panel: pd.DataFrame, section: Mapping[str, Any] | None, groups: pd.Series | None
    ) -> pd.DataFrame:
        """Impute, screen and treat outliers as the workflow does
        (:func:`greenindex.index.pipeline.treat_steps_from_config`); steps the section leaves out
        are not applied."""
        if not section:
            return panel
        from greenindex.index.pipeline import treat_steps_from_config

        sec = deep_merge({"impute": {"method": "none"}, "outliers": {"method": "none"}}, section)
        return treat_steps_from_config(panel, sec, groups)[2]

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

        w = weights_from_config(basis, framework, _weights_section(section), raw=treated).weights
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


def aggregation_methods(framework: Framework, section: Mapping[str, Any]) -> dict[int, str]:
    """Method per aggregation level (2 .. top) from an ``aggregate`` config section
    (``method``: one name or level -> name; ``levels``: per-level overrides)."""
    m = section.get("method", "arithmetic")
    per: dict[int, str] = {}
    if isinstance(m, Mapping):
        per.update({int(k): str(v) for k, v in m.items()})
        base = "arithmetic"
    else:
        base = str(m)
    per.update({int(k): str(v) for k, v in (section.get("levels", {}) or {}).items()})
    return {lv: per.get(lv, base) for lv in range(2, len(framework.levels) + 1)}


# -- the batched kernels -------------------------------------------------------------------------
def aggregate_batch(
    z: np.ndarray,
    framework: Framework,
    weights: np.ndarray,
    methods: str | Mapping[int, str] = "arithmetic",
    present: np.ndarray | None = None,
    *,
    min_share_present: float = 0.0,
    all_nodes: bool = False,
) -> np.ndarray:
    """Aggregate one normalised data matrix up the tree for ``R`` weight vectors at once.

    For parent :math:`p` with children :math:`c \\in C_p` present for row :math:`i` in
    replication :math:`r` (:math:`P_{irp}`), with weights :math:`w_{rc}`:

    .. math::

        S_{irp} = \\frac{\\sum_{c \\in P_{irp}} w_{rc} x_{irc}}{\\sum_{c \\in P_{irp}} w_{rc}}
        \\ \\text{(arithmetic)},\\quad
        \\exp\\frac{\\sum w_{rc} \\ln x_{irc}}{\\sum w_{rc}} \\ \\text{(geometric)},\\quad
        \\frac{\\sum w_{rc}}{\\sum w_{rc} / x_{irc}} \\ \\text{(harmonic)}.

    The sums run child by child in a fixed order, element-wise, so a replication's result
    does not depend on the other replications in the batch.

    Parameters
    ----------
    z
        Normalised indicators, ``(n_rows, m)`` in ``framework.indicators`` order; NaN = missing.
    framework
        The tree.
    weights
        ``(R, n_nonroot)`` weights relative within parent, columns in the order of the
        non-root nodes of ``framework.nodes``.
    methods
        One method for all levels or a mapping level -> method.
    present
        ``(R, m)`` boolean: indicator used in replication ``r`` (``False`` = left out).
    min_share_present
        Minimum share of a node's children present; below it the aggregate is missing.
    all_nodes
        Return every node ``(R, n_rows, n_nodes)`` instead of the root ``(R, n_rows)``.
    """
    inds = list(framework.indicators)
    nodes = framework.nodes
    nonroot = [n for n in nodes if n != framework.root]
    R = weights.shape[0]
    if weights.shape != (R, len(nonroot)):
        raise ValueError(f"weights must be (R, {len(nonroot)}), got {weights.shape}")
    if z.shape[1] != len(inds):
        raise ValueError(f"z must have {len(inds)} columns, got {z.shape[1]}")
    wcol = {n: k for k, n in enumerate(nonroot)}
    vals: dict[str, np.ndarray] = {}
    for j, i in enumerate(inds):
        x = z[:, j][None, :]
        if present is not None and not present[:, j].all():
            x = np.where(present[:, j][:, None], x, np.nan)
        vals[i] = x
    children: dict[str, list[str]] = {}
    for c in nonroot:
        children.setdefault(framework.parent[c], []).append(c)
    for lv, lev in enumerate(framework.levels[1:], start=2):
        m = methods if isinstance(methods, str) else methods.get(lv, "arithmetic")
        if m not in BATCHED_AGGREGATIONS:
            raise MethodError(
                f"aggregation '{m}' has no batched form; use one of {BATCHED_AGGREGATIONS}"
            )
        for p in lev:
            num = np.zeros((R, z.shape[0]))
            den = np.zeros((R, z.shape[0]))
            cnt = np.zeros((R, z.shape[0])) if min_share_present > 0 else None
            for c in children[p]:
                x = vals[c]
                w = weights[:, wcol[c]][:, None]
                ok = ~np.isnan(x)
                if m != "arithmetic" and (ok & ~(x > 0)).any():
                    raise MethodError(
                        f"{m} mean of '{p}' needs values > 0, but '{c}' has values <= 0. What to "
                        "do: normalise with min-max to the range [1, 100] or a z-score with a "
                        "positive mean (e.g. mean 10, sd 2), or leave this aggregation out of "
                        "the uncertain choices."
                    )
                with np.errstate(all="ignore"):
                    if m == "arithmetic":
                        num = num + np.where(ok, w * x, 0.0)
                    elif m == "geometric":
                        num = num + np.where(ok, w * np.log(x), 0.0)
                    else:
                        num = num + np.where(ok, w / x, 0.0)
                den = den + np.where(ok, w, 0.0)
                if cnt is not None:
                    cnt = cnt + ok
            with np.errstate(all="ignore"):
                if m == "arithmetic":
                    out = num / den
                elif m == "geometric":
                    out = np.exp(num / den)
                else:
                    out = den / num
            out[den == 0] = np.nan
            if cnt is not None:
                out[cnt / len(children[p]) < min_share_present] = np.nan
            vals[p] = out
    if all_nodes:
        return np.stack([np.broadcast_to(vals[n], (R, z.shape[0])) for n in nodes], axis=-1)
    return np.broadcast_to(vals[framework.root], (R, z.shape[0])).copy()


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


def quantile_type7(x: np.ndarray, q: float | Sequence[float], axis: int = 0) -> np.ndarray:
    """Quantile of R's default type 7 (linear interpolation between order statistics,
    :math:`h = (n - 1) q + 1`), ignoring NaN."""
    return np.nanquantile(x, q, axis=axis, method="linear")


def rank_statistics(
    ranks: np.ndarray, nominal: np.ndarray, quantiles: tuple[float, float] = (0.05, 0.95)
) -> pd.DataFrame:
    """Nominal, mean and median rank and the rank interval of each row over replications.

    ``ranks`` is ``(R, n_rows)``; quantiles are of type 7 (COINr uses R's ``quantile``)."""
    with np.errstate(all="ignore"):
        lo, hi = quantile_type7(ranks, list(quantiles), axis=0)
        return pd.DataFrame(
            {
                "nominal_rank": nominal,
                "mean_rank": np.nanmean(ranks, axis=0),
                "median_rank": np.nanmedian(ranks, axis=0),
                f"q{round(100 * quantiles[0]):02d}_rank": lo,
                f"q{round(100 * quantiles[1]):02d}_rank": hi,
            }
        )


# -- claims ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClaimSetup:
    """What the batched claim tests need (see :func:`claims_batch`).

    The definitions are those of :func:`greenindex.analysis.claims.check_claims` (same thresholds,
    strict inequalities and window means), evaluated for many replications at once.

    Attributes
    ----------
    region
        Region label of each row of the panel (``""`` = in no region: left out).
    year
        Year of each row.
    unit
        Unit of each row.
    window
        ``(start, end)`` years of the analysis window.
    roles
        Labels of the roles ``east``, ``central``, ``west``, ``northeast`` in the scheme.
    growth
        C3: ``absolute`` or ``relative`` change of region means.
    between_share_large
        C4a/C4b: minimum window mean of the between-region share.
    """

    region: np.ndarray
    year: np.ndarray
    unit: np.ndarray
    window: tuple[int, int]
    roles: Mapping[str, str] = field(
        default_factory=lambda: {
            "east": "east",
            "central": "central",
            "west": "west",
            "northeast": "northeast",
        }
    )
    growth: str = "absolute"
    between_share_large: float = 0.5


def _window_cube(S: np.ndarray, setup: ClaimSetup) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Scores ``(R, rows)`` -> ``(R, n_units, T)`` over the window; region code per unit."""
    start, end = setup.window
    years = list(range(start, end + 1))
    have = {int(y) for y in setup.year}
    absent = [y for y in years if y not in have]
    if absent:
        raise InputError(
            f"the panel has no year(s) {absent} of the analysis window {start}-{end}",
            fix="set window.start and window.end to years in the panel.",
        )
    sel = np.flatnonzero(np.isin(setup.year, years) & (setup.region != ""))
    units = sorted({str(u) for u in setup.unit[sel]})
    labels = sorted({str(g) for g in setup.region[sel]})
    ui = {u: k for k, u in enumerate(units)}
    pos = np.full((len(units), len(years)), -1)
    reg = np.zeros(len(units), dtype=np.intp)
    for r in sel:
        k = ui[str(setup.unit[r])]
        pos[k, years.index(int(setup.year[r]))] = r
        reg[k] = labels.index(str(setup.region[r]))
    cube = np.where(pos >= 0, S[:, np.maximum(pos, 0)], np.nan)
    return cube, reg, labels


def claims_batch(scores: np.ndarray, setup: ClaimSetup) -> np.ndarray:
    r"""The regional claims of the finding check for each replication, ``(R, 5)`` for
    :data:`CLAIMS` (1 = holds, 0 = fails, NaN = undefined or not applicable).

    As in :func:`greenindex.analysis.claims.check_claims` (``t0``, ``t1`` the window's ends, region
    means unweighted over units):

    - C1: :math:`\bar y_{t1} - \bar y_{t0} > 0`;
    - C2: :math:`\min_t \min(\bar y_{E,t} - \bar y_{C,t}, \bar y_{C,t} - \bar y_{W,t}) > 0`;
    - C3: :math:`g_{NE} - \min_{k \ne NE} g_k < 0` with :math:`g_k` the change of region
      ``k``'s mean from ``t0`` to ``t1`` (absolute or relative);
    - C4a / C4b: the window mean of the between-region share of Theil's T
      (:func:`greenindex.analysis.disparity.theil_batch`) / of the Dagum net between-region
      contribution :math:`G_{nb}/G` (:func:`greenindex.analysis.disparity.dagum_gini_batch`) is at
      least ``between_share_large``.

    A replication with a missing score in the window gets NaN for every claim; one with a
    negative score gets NaN for C4a/C4b (the inequality measures need values >= 0).
    """
    from greenindex.analysis.disparity import dagum_gini_batch, theil_batch

    S = np.asarray(scores, dtype=float)
    cube, reg, labels = _window_cube(S, setup)
    R, n, T = cube.shape
    out = np.full((R, len(CLAIMS)), np.nan)
    ok = np.isfinite(cube).all(axis=(1, 2))
    if not ok.any() or n == 0:
        return out
    y = cube[ok]
    m = np.zeros((n, len(labels)))
    m[np.arange(n), reg] = 1.0
    means = np.einsum("rnt,nk->rkt", y, m / m.sum(axis=0))
    code = {g: k for k, g in enumerate(labels)}
    nat = y.mean(axis=1)
    res = np.full((len(y), len(CLAIMS)), np.nan)
    res[:, 0] = nat[:, -1] - nat[:, 0] > 0
    e, c, w = (code.get(setup.roles[r]) for r in ("east", "central", "west"))
    if None not in (e, c, w):
        margin = np.minimum(means[:, e] - means[:, c], means[:, c] - means[:, w]).min(axis=-1)
        res[:, 1] = margin > 0
    ne = code.get(setup.roles["northeast"])
    if ne is not None and len(labels) >= 2:
        gain = means[..., -1] - means[..., 0]
        if setup.growth == "relative":
            gain = gain / means[..., 0]
        res[:, 2] = gain[:, ne] - np.delete(gain, ne, axis=1).min(axis=1) < 0
    if len(labels) >= 2:
        nonneg = (y >= 0).all(axis=(1, 2)) & (y.sum(axis=1) > 0).all(axis=1)
        flat = np.moveaxis(y[nonneg], 1, 2).reshape(-1, n)
        if len(flat):
            th = theil_batch(flat, reg)
            dg = dagum_gini_batch(flat, reg)
            for k, (tot, part) in enumerate(((th["T"], th["between"]), (dg["G"], dg["G_nb"]))):
                tot_a, part_a = np.asarray(tot, float), np.asarray(part, float)
                share = np.divide(part_a, tot_a, out=np.zeros_like(tot_a), where=tot_a > 0)
                res[nonneg, 3 + k] = share.reshape(-1, T).mean(axis=1) >= setup.between_share_large
    out[ok] = res
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
                if stage == "weights" and "method" in opt and "scheme" not in opt:
                    opt["scheme"] = opt.pop("method")  # the engine's key for the weighting scheme
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

    # -- evaluation ----------------------------------------------------------------------------
    def evaluate(
        self, dec: Decoded, *, nominal_ranks: np.ndarray | None | bool = True
    ) -> BatchResult:
        """Scores, ranks, rank shift and claims of a batch of replications."""
        R = dec.codes.shape[0]
        n = len(self.panel)
        scores = np.full((R, n), np.nan)
        agg_key = [self._keys(dec.codes[r])[1] for r in range(R)]
        data_key = [self._keys(dec.codes[r])[0] for r in range(R)]
        groups: dict[tuple[str, str], list[int]] = {}
        for r in range(R):
            groups.setdefault((data_key[r], agg_key[r]), []).append(r)
        for (dk, ak), rows in groups.items():
            rows_a = np.asarray(rows)
            z = self._data[dk][1].to_numpy(dtype=float)
            asec = json.loads(ak)
            methods = aggregation_methods(self.framework, asec)
            if dec.weights is not None:
                W = dec.weights[rows_a] * dec.multiplier[rows_a]
            else:
                W = np.stack([self._weights_for(dec.codes[r], int(dec.dropped[r])) for r in rows])
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
                    min_share_present=float(asec.get("min_share_present", 0.0) or 0.0),
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

    def evaluate_uniform(self, u: np.ndarray, batch_size: int = 1000) -> BatchResult:
        """:meth:`evaluate` on the choices decoded from uniforms, in batches."""
        parts = [
            self.evaluate(self.decode(u[s : s + batch_size])) for s in range(0, len(u), batch_size)
        ]
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
) -> dict[str, np.ndarray]:
    """Compute one chunk of the analysis; returns arrays to save with :func:`save_chunk`.

    Monte Carlo rows keep scores, ranks and claims; Saltelli rows keep the rank shift only.
    """
    rows = plan.chunk_rows(chunk, n_chunks)
    u = plan.uniforms(rows)
    if len(rows):
        res = model.evaluate_uniform(u, batch_size=batch_size)
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
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
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


# -- summaries ---------------------------------------------------------------------------------
@dataclass
class UncertaintyResult:
    """Summaries of an analysis (the tables the workflow writes)."""

    rank_intervals: pd.DataFrame
    claim_robustness: pd.DataFrame
    sobol: pd.DataFrame
    replications: pd.DataFrame = field(default_factory=pd.DataFrame)


def summarise(
    model: UncertaintyModel,
    plan: RunPlan,
    merged: Mapping[str, np.ndarray],
    *,
    quantiles: tuple[float, float] = (0.05, 0.95),
    bootstrap: int = 1000,
    confidence: float = 0.95,
) -> UncertaintyResult:
    """Rank intervals, claim robustness and Sobol indices from the merged chunks."""
    idx = model.panel.index
    ranks = merged["mc_ranks"].astype(float)
    if plan.n > 0:
        stats = rank_statistics(ranks, model.nominal_ranks, quantiles)
    else:
        stats = rank_statistics(model.nominal_ranks[None, :], model.nominal_ranks, quantiles)
    intervals = pd.concat(
        [
            pd.DataFrame(
                {
                    "unit": idx.get_level_values("unit").astype(str),
                    "year": idx.get_level_values("year").astype(int),
                    "nominal_score": model.nominal_scores,
                }
            ),
            stats,
        ],
        axis=1,
    )
    intervals.insert(
        len(intervals.columns),
        "n_replications",
        int(np.sum(~np.isnan(ranks), axis=0).min()) if plan.n else 0,
    )
    claims = pd.DataFrame(
        columns=["claim", "nominal_holds", "share_holds", "n_defined", "n_replications"]
    )
    if model.claims_setup is not None and plan.n > 0:
        C = merged["mc_claims"]
        rows = []
        for k, name in enumerate(CLAIMS):
            defined = ~np.isnan(C[:, k])
            nom = model.nominal_claims[k] if model.nominal_claims is not None else np.nan
            rows.append(
                {
                    "claim": name,
                    "nominal_holds": "" if np.isnan(nom) else bool(nom),
                    "share_holds": float(np.mean(C[defined, k])) if defined.any() else np.nan,
                    "n_defined": int(defined.sum()),
                    "n_replications": int(plan.n),
                }
            )
        claims = pd.DataFrame(rows)
    design = plan.design
    if design is not None:
        y = merged["shift"][plan.n :]
        sob = sobol_indices(
            y, design, names=model.spec.factor_names(), bootstrap=bootstrap, confidence=confidence
        )
    else:
        sob = pd.DataFrame(
            columns=[
                "factor",
                "S1",
                "S1_low",
                "S1_high",
                "ST",
                "ST_low",
                "ST_high",
                "var_y",
                "n_base",
            ]
        )
    dec = Decoded(
        codes=merged["codes"][: plan.n],
        multiplier=np.ones((plan.n, len(model.nonroot))),
        dropped=merged["dropped"][: plan.n],
    )
    reps = model.labels(dec)
    reps.insert(0, "replication", np.arange(plan.n))
    reps["mean_abs_rank_shift"] = merged["shift"][: plan.n]
    return UncertaintyResult(
        rank_intervals=intervals, claim_robustness=claims, sobol=sob, replications=reps
    )


def run(
    model: UncertaintyModel,
    *,
    n: int,
    sobol_n_base: int = 0,
    n_chunks: int = 1,
    batch_size: int = 1000,
    bootstrap: int = 1000,
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


# -- config --------------------------------------------------------------------------------------
DEFAULT_CHOICES: tuple[dict[str, Any], ...] = (
    {
        "name": "normalisation",
        "stage": "normalise",
        "options": [
            {"method": "minmax", "range": [1, 100]},
            {"method": "zscore", "mean": 10, "sd": 2},
        ],
        "labels": ["minmax[1,100]", "zscore(10,2)"],
    },
    {"name": "weighting", "stage": "weights", "options": ["entropy", "critic", "equal"]},
    {
        "name": "entropy_variant",
        "stage": "weights",
        "options": ["shift", "compress", "zero_log_zero"],
    },
    {"name": "aggregation", "stage": "aggregate", "options": ["arithmetic", "geometric"]},
)

DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "n": 1000,
    "seed": 20240601,
    "chunks": 1,
    "batch_size": 1000,
    "choices": list(DEFAULT_CHOICES),
    "weight_perturbation": {"fraction": 0.25, "levels": [2]},
    "drop_indicator": True,
    "quantiles": [0.05, 0.95],
    "sobol": {"enabled": True, "n_base": 512, "bootstrap": 500, "confidence": 0.95},
}


def spec_from_config(
    section: Mapping[str, Any] | None, config: Mapping[str, Any]
) -> UncertaintySpec:
    """The :class:`UncertaintySpec` from the ``uncertainty`` section and the nominal method
    sections (``treat``, ``normalise``, ``weights``, ``aggregate``) of the whole config.

    The nominal ``treat`` section is applied only when a choice varies the treatment (the
    workflow passes treated data otherwise)."""
    sec = deep_merge(DEFAULTS, section or {})
    choices = tuple(Choice.from_config(c) for c in (sec.get("choices") or []))
    names = [c.name for c in choices]
    if len(set(names)) != len(names):
        raise ConfigError(
            "uncertainty.choices",
            f"choice names repeat: {names}",
            "give each choice a unique name.",
        )
    wp = sec.get("weight_perturbation")
    noise = None
    if wp:
        noise = WeightNoise(
            fraction=float(wp.get("fraction", 0.25)),
            levels=tuple(int(v) for v in wp.get("levels", [2])),
        )
    treat_varies = any(c.stage == "treat" for c in choices)
    nominal = {
        "treat": dict(config.get("treat", {}) or {}) if treat_varies else None,
        "normalise": dict(config.get("normalise", {}) or {}),
        "weights": dict(config.get("weights", {}) or {}),
        "aggregate": dict(config.get("aggregate", {}) or {}),
    }
    return UncertaintySpec(
        nominal=nominal,
        choices=choices,
        weight_noise=noise,
        drop_indicator=bool(sec.get("drop_indicator", False)),
        seed=int(sec.get("seed", 1)),
    )


def settings_from_config(section: Mapping[str, Any] | None) -> dict[str, Any]:
    """The run settings (``n``, ``chunks``, ``sobol``, ...) with defaults filled in."""
    sec = deep_merge(DEFAULTS, section or {})
    n = int(sec["n"])
    if n < 0:
        raise ConfigError("uncertainty.n", f"must be >= 0, got {n}")
    chunks = int(sec["chunks"])
    if chunks < 1:
        raise ConfigError("uncertainty.chunks", f"must be >= 1, got {chunks}")
    sob = sec.get("sobol") or {}
    q = tuple(float(v) for v in sec.get("quantiles", [0.05, 0.95]))
    if len(q) != 2 or not 0 <= q[0] < q[1] <= 1:
        raise ConfigError(
            "uncertainty.quantiles", f"need two increasing shares in [0, 1], got {list(q)}"
        )
    return {
        "enabled": bool(sec["enabled"]),
        "n": n,
        "seed": int(sec["seed"]),
        "chunks": chunks,
        "batch_size": int(sec["batch_size"]),
        "quantiles": q,
        "sobol_n_base": int(sob.get("n_base", 0)) if sob.get("enabled", True) else 0,
        "bootstrap": int(sob.get("bootstrap", 500)),
        "confidence": float(sob.get("confidence", 0.95)),
    }


# -- workflow entry points ----------------------------------------------------------------------
def claim_setup_from_config(
    index: pd.MultiIndex,
    units: pd.DataFrame,
    *,
    window: Mapping[str, Any],
    regions: Mapping[str, Any],
    claims: Mapping[str, Any] | None = None,
) -> ClaimSetup:
    """:class:`ClaimSetup` from the ``window``, ``regions`` and ``claims`` config sections.

    Reads ``regions.scheme`` (a column of the units table), ``claims.region_labels`` (role ->
    label, default the role names), ``claims.growth`` (``absolute``) and
    ``claims.between_share_large`` (0.5), the keys of :func:`greenindex.analysis.claims.check_claims`."""
    scheme = str(regions.get("scheme", "nbs4"))
    if scheme not in units.columns:
        raise ConfigError(
            "regions.scheme",
            f"the units table has no column '{scheme}'",
            f"use one of {[c for c in units.columns if c not in ('unit', 'name_en', 'name_zh')]}.",
        )
    table = units.set_index("unit")[scheme].astype(str)
    u = index.get_level_values("unit").astype(str)
    reg = table.reindex(u).fillna("").to_numpy(dtype=str)
    cl = dict(claims or {})
    roles = {"east": "east", "central": "central", "west": "west", "northeast": "northeast"}
    roles.update({str(k): str(v) for k, v in (cl.get("region_labels") or {}).items()})
    return ClaimSetup(
        region=reg,
        year=index.get_level_values("year").to_numpy(dtype=np.int64),
        unit=np.asarray(u, dtype=str),
        window=(int(window["start"]), int(window["end"])),
        roles=roles,
        growth=str(cl.get("growth", "absolute")),
        between_share_large=float(cl.get("between_share_large", 0.5)),
    )


def model_from_tables(
    *,
    treated: pd.DataFrame,
    framework: Framework,
    units: pd.DataFrame,
    uncertainty: Mapping[str, Any] | None,
    methods: Mapping[str, Any],
    window: Mapping[str, Any],
    regions: Mapping[str, Any],
    claims: Mapping[str, Any] | None = None,
    untreated: pd.DataFrame | None = None,
) -> tuple[UncertaintyModel, RunPlan, dict[str, Any]]:
    """Model, run plan and settings from the workflow's tables and config sections.

    ``framework`` is the tree (``Framework.from_frame`` of ``results/validate/framework.csv``).

    ``methods`` holds the nominal ``treat``, ``normalise``, ``weights`` and ``aggregate``
    sections (the main variant). ``untreated`` (the denominated panel) is used instead of
    ``treated`` when a choice varies the treatment."""
    fw = framework
    spec = spec_from_config(uncertainty, methods)
    settings = settings_from_config(uncertainty)
    treat_varies = any(c.stage == "treat" for c in spec.choices)
    if treat_varies and untreated is None:
        raise ConfigError(
            "uncertainty.choices", "a treatment choice needs the untreated (denominated) panel"
        )
    panel = untreated if treat_varies else treated
    fw = fw.subset([i for i in fw.indicators if i in panel.columns])
    groups = None
    imp = [o for c in spec.choices if c.stage == "treat" for o in c.options]
    grp_col = ((methods.get("treat") or {}).get("impute") or {}).get("group", "nbs4")
    if (
        any((o.get("impute") or {}).get("method") == "group_mean" for o in imp)
        and grp_col in units.columns
    ):
        groups = units.set_index("unit")[grp_col]
    setup = claim_setup_from_config(
        panel.index, units, window=window, regions=regions, claims=claims
    )
    model = UncertaintyModel(panel, fw, spec, claims=setup, groups=groups)
    plan = RunPlan(
        n=settings["n"],
        seed=settings["seed"],
        factor_columns=model.factor_columns,
        sobol_n_base=settings["sobol_n_base"],
    )
    return model, plan, settings


def write_summaries(
    result: UncertaintyResult, units: pd.DataFrame, out: Mapping[str, str | Path]
) -> None:
    """Write ``rank_intervals``, ``claim_robustness``, ``sobol`` and ``replications`` CSVs
    (keys of ``out``) with unit names added to the rank intervals."""
    from greenindex.data.io import write_csv

    ri = result.rank_intervals
    names = units.set_index("unit")
    for c in ("name_en", "name_zh"):
        if c in names.columns:
            ri.insert(1 + (c == "name_zh"), c, names[c].reindex(ri["unit"]).to_numpy())
    write_csv(ri, out["rank_intervals"])
    write_csv(result.claim_robustness, out["claim_robustness"])
    write_csv(result.sobol, out["sobol"])
    if "replications" in out:
        write_csv(result.replications, out["replications"])


# -- figures ----------------------------------------------------------------------------------------
#: Figure texts, from the project's one glossary (greenindex.glossary).
_LABELS = {
    key: {lang: term(gkey, lang) for lang in ("en", "zh")}
    for key, gkey in {
        "rank": "rank_best",
        "nominal": "nominal",
        "median": "mc_median",
        "interval": "mc_interval",
        "share": "share_holds",
        "sobol": "sobol",
        "first": "first",
        "total": "total",
    }.items()
}


def plot_rank_intervals(
    rank_intervals: pd.DataFrame, year: int, *, language: str = "en", name_column: str | None = None,
    width: float = 6.0,
) -> Any:
    """Nominal rank, median rank and the rank interval of each unit in ``year``."""
    import matplotlib.pyplot as plt

    d = rank_intervals[rank_intervals["year"] == year].sort_values("nominal_rank")
    lo_col = next(c for c in d.columns if c.startswith("q") and c.endswith("_rank"))
    hi_col = [c for c in d.columns if c.startswith("q") and c.endswith("_rank")][-1]
    col = name_column if name_column and name_column in d.columns else "unit"
    fig, ax = plt.subplots(figsize=(width, max(3.0, 0.16 * len(d) + 1.0)))
    y = np.arange(len(d))
    ax.hlines(y, d[lo_col], d[hi_col], color="0.6", lw=3, label=_LABELS["interval"][language])
    ax.plot(d["median_rank"], y, "|", color="k", ms=10, label=_LABELS["median"][language])
    ax.plot(d["nominal_rank"], y, "o", color="C3", ms=4, label=_LABELS["nominal"][language])
    ax.set_yticks(y, d[col].astype(str))
    ax.invert_yaxis()
    ax.set_xlabel(_LABELS["rank"][language])
    ax.set_title(str(year))
    ax.legend(loc="upper right")  # best units (top rows) sit at the left
    fig.tight_layout()
    return fig


def plot_claim_robustness(
    claims: pd.DataFrame, *, language: str = "en", claim_labels: Mapping[str, str] | None = None,
    width: float = 5.0,
) -> Any:
    """Share of replications in which each claim holds (``claim_labels``: display names)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 0.3 * max(len(claims), 1) + 0.9))
    y = np.arange(len(claims))
    ax.barh(y, claims["share_holds"].astype(float), color="C0")
    names = dict(claim_labels or {})
    ax.set_yticks(y, [names.get(c, c) for c in claims["claim"].astype(str)])
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel(_LABELS["share"][language])
    fig.tight_layout()
    return fig


def plot_sobol(
    sobol: pd.DataFrame, *, language: str = "en", factor_labels: Mapping[str, str] | None = None,
    width: float = 6.0,
) -> Any:
    """First-order and total Sobol indices with their bootstrap intervals (``factor_labels``:
    display names of the Monte Carlo choices)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 0.32 * max(len(sobol), 1) + 1.0))
    y = np.arange(len(sobol))
    h = 0.38
    for k, (col, lab) in enumerate((("S1", "first"), ("ST", "total"))):
        v = sobol[col].astype(float).to_numpy()
        lo = sobol[f"{col}_low"].astype(float).to_numpy()
        hi = sobol[f"{col}_high"].astype(float).to_numpy()
        err = (
            None
            if np.isnan(lo).all()
            else np.vstack([np.clip(v - lo, 0, None), np.clip(hi - v, 0, None)])
        )
        ax.barh(
            y + (k - 0.5) * h,
            v,
            height=h,
            xerr=err,
            color=f"C{k}",
            hatch=("", "////")[k],
            edgecolor="white",
            label=_LABELS[lab][language],
            capsize=2,
        )
    fnames = dict(factor_labels or {})
    ax.set_yticks(y, [fnames.get(f, f) for f in sobol["factor"].astype(str)])
    ax.axvline(0, color="0.3", lw=0.8)
    ax.invert_yaxis()
    ax.set_xlabel(_LABELS["sobol"][language])
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def model_from_files(inputs: Any, params: Any) -> tuple[UncertaintyModel, RunPlan, dict[str, Any]]:
    """:func:`model_from_tables` from a workflow job's named ``inputs`` (``treated``,
    ``denominated``, ``framework``, ``units``: the files of ``results/treat/`` and
    ``results/validate/``) and ``params`` (``uncertainty, methods, window, regions, claims``),
    both read by attribute as Snakemake provides them."""
    from greenindex.data.io import read_panel

    return model_from_tables(
        treated=read_panel(inputs.treated),
        framework=Framework.from_frame(pd.read_csv(inputs.framework, keep_default_na=False)),
        units=pd.read_csv(inputs.units, dtype=str, keep_default_na=False),
        untreated=read_panel(inputs.denominated),
        **{k: getattr(params, k) for k in ("uncertainty", "methods", "window", "regions", "claims")},
    )
