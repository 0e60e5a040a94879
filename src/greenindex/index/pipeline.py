"""The whole index chain in one call, for notebooks: denominate -> impute -> screen ->
outliers -> normalise -> weights -> aggregate.

The workflow calls the stages one by one (one rule each); :func:`build_index` runs the same
functions with the same config sections, so a notebook gets the numbers of the workflow.

Config sections (plain dicts, as in ``config/config.yaml``)::

    treat:
      denominate: true
      impute: {method: linear, edge: nearest}          # linear | group_mean | none
      screen: {unit_threshold: 0.0, indicator_threshold: 0.0}
      outliers: {method: winsorise_log, skew_threshold: 2.0, kurt_threshold: 3.5,
                 max_points: 5, log_fallback: true, scope: pooled}
    normalise: {method: minmax, range: [0, 1], scope: pooled, on_constant: error}
    weights: {method: entropy, level: global, scope: pooled,
              entropy: {variant: zero_log_zero, shift: 0.0001, compress: [0.99, 0.01]},
              pca: {convention: variance_loadings, retain: kaiser, negative_weights: error},
              combine: {with: null, how: linear, alpha: 0.5}, user: {}}
    aggregate: {method: arithmetic, min_share_present: 0.0,
                topsis: {normalisation: vector, ideal: pooled, input: indicators}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from greenindex.errors import ConfigError
from greenindex.index import aggregate as agg
from greenindex.index import normalise as norm
from greenindex.index import treat as tr
from greenindex.index import weights as wts
from greenindex.index.framework import Framework

_NORMALISE_KEYS = {
    "minmax": {"range", "low", "high", "scope", "on_constant"},
    "zscore": {"mean", "sd", "scope", "on_constant"},
    "rank": {"scope"},
    "percentile": {"scope"},
    "distance": {"reference_unit", "reference_year", "kind"},
}


@dataclass
class IndexResult:
    """Every intermediate of a :func:`build_index` run."""

    framework: Framework
    denominated: pd.DataFrame
    imputed: pd.DataFrame
    screened: pd.DataFrame
    treated: pd.DataFrame
    normalised: pd.DataFrame
    weights: pd.Series | pd.DataFrame
    effective_weights: pd.DataFrame
    indicator_weights: pd.Series | pd.DataFrame
    scores: pd.DataFrame
    ranks: pd.DataFrame
    reports: dict[str, pd.DataFrame] = field(default_factory=dict)
    diagnostics: dict[str, Any] = field(default_factory=dict)
    methods: dict[str, Any] = field(default_factory=dict)


def _section(d: Mapping[str, Any] | None, key: str) -> dict[str, Any]:
    v = (d or {}).get(key) or {}
    if not isinstance(v, Mapping):
        raise ConfigError(key, f"must be a mapping, got {type(v).__name__}")
    return dict(v)


def normalise_from_config(
    data: pd.DataFrame, direction: Mapping[str, int], section: Mapping[str, Any] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the ``normalise`` config section (method + its options)."""
    sec = dict(section or {})
    method = str(sec.pop("method", "minmax"))
    if method not in _NORMALISE_KEYS:
        raise ConfigError(
            "normalise.method",
            f"unknown method '{method}'",
            f"use one of {sorted(_NORMALISE_KEYS)}.",
        )
    opts = {k: v for k, v in sec.items() if k in _NORMALISE_KEYS[method]}
    return norm.normalise(data, direction, method, **opts)


def weight_basis(
    treated: pd.DataFrame, direction: Mapping[str, int], scope: str = "pooled"
) -> pd.DataFrame:
    """The data that data-driven weights are computed from.

    Entropy and CRITIC are defined on min-max normalised data with directions unified
    (METHODS.md 3): :math:`z = (d x - \\min d x) / (\\max d x - \\min d x) \\in [0, 1]`,
    pooled over the panel or per year as ``scope`` (``weights.scope``) says. Using this basis
    whatever the normalisation chosen for aggregation keeps the weights of a variant from
    depending on, say, a [1, 100] range or z-scores (entropy is not shift invariant and is
    undefined for negative values); PCA standardises internally, so it is unaffected.
    """
    z, _ = norm.minmax(treated, direction, low=0.0, high=1.0, scope=scope)
    return z


def weights_from_config(
    z: pd.DataFrame,
    framework: Framework,
    section: Mapping[str, Any] | None,
    raw: pd.DataFrame | None = None,
) -> wts.WeightResult:
    """Run the ``weights`` config section."""
    sec = dict(section or {})
    method = str(sec.get("method", "entropy"))
    comb = _section(sec, "combine")
    other = comb.get("with")
    opts = _section(sec, method) if method in ("entropy", "pca") else {}
    if "compress" in opts:
        opts["compress"] = tuple(opts["compress"])
    copts = _section(sec, other) if other in ("entropy", "pca") else {}
    return wts.compute_weights(
        z,
        framework,
        method,
        level=str(sec.get("level", "global")),
        scope=str(sec.get("scope", "pooled")),
        options=opts,
        raw=raw,
        combine_with=other,
        combine_options=copts,
        combine_how=str(comb.get("how", "linear")),
        alpha=float(comb.get("alpha", 0.5)),
        user=sec.get("user") or None,
    )


def aggregate_from_config(
    z: pd.DataFrame,
    framework: Framework,
    weights: pd.Series | pd.DataFrame | None,
    section: Mapping[str, Any] | None,
) -> pd.DataFrame:
    """Run the ``aggregate`` config section."""
    sec = dict(section or {})
    top = _section(sec, "topsis")
    method = sec.get("method", "arithmetic")
    if isinstance(method, Mapping):
        method = {(int(k) if str(k).isdigit() else k): v for k, v in method.items()}
    return agg.aggregate(
        z,
        framework,
        weights,
        method,
        float(sec.get("min_share_present", 0.0)),
        topsis_normalisation=str(top.get("normalisation", "vector")),
        topsis_ideal=str(top.get("ideal", "pooled")),
        topsis_input=str(top.get("input", "indicators")),
        allow_negative_weights=bool(sec.get("allow_negative_weights", False)),
    )


@dataclass
class TreatResult:
    """The panels after each treatment step and what each step changed."""

    denominated: pd.DataFrame
    imputed: pd.DataFrame
    screened: pd.DataFrame
    treated: pd.DataFrame
    reports: dict[str, pd.DataFrame]

    @property
    def flags(self) -> pd.DataFrame:
        """Every changed cell (``unit, year, indicator, step, method, old, new``)."""
        parts = [self.reports[k] for k in ("substitute_cells", "impute_cells", "outlier_cells")
                 if k in self.reports and len(self.reports[k])]
        return pd.concat(parts, ignore_index=True) if parts else tr.Report().cells


def treat_from_config(
    raw_wide: pd.DataFrame,
    codebook: pd.DataFrame,
    section: Mapping[str, Any] | None,
    groups: pd.Series | None = None,
    *,
    indicators: list[str] | None = None,
) -> TreatResult:
    """Run the ``treat`` config section: substitution, denomination, imputation, screening,
    outliers (the workflow's treat stage and :func:`build_index` both call this).

    ``codebook`` holds the indicators (role ``indicator``) and the series they are derived
    from; ``indicators`` is used when ``denominate`` is false.
    """
    tsec = dict(section or {})
    reports: dict[str, pd.DataFrame] = {}
    if tsec.get("substitute"):
        raw_wide, r = tr.substitute(raw_wide, tsec["substitute"])
        reports["substitute_cells"] = r.cells
    if tsec.get("denominate", True):
        den, r = tr.denominate(raw_wide, codebook)
    else:
        ids = indicators if indicators is not None else list(codebook.loc[codebook.get("role", "indicator") == "indicator", "id"])
        den = raw_wide[ids].astype(float)
        r = tr.Report()
    reports["denominate"] = r.summary

    imputed, screened, treated, steps = treat_steps_from_config(den, tsec, groups)
    reports.update(steps)
    return TreatResult(den, imputed, screened, treated, reports)


def treat_steps_from_config(
    data: pd.DataFrame, section: Mapping[str, Any] | None, groups: pd.Series | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, pd.DataFrame]]:
    """Imputation, screening and outlier treatment of the ``treat`` config section, on the
    derived indicators; returns the imputed, screened and treated panels and the reports.

    Shared by :func:`treat_from_config` and the uncertainty analysis, so that a treatment
    choice in the Monte Carlo means exactly what it means in the workflow.
    """
    tsec = dict(section or {})
    reports: dict[str, pd.DataFrame] = {}
    isec = _section(tsec, "impute")
    emax = isec.get("edge_max_years")
    imputed, r = tr.impute(
        data,
        str(isec.get("method", "linear")),
        edge=str(isec.get("edge", "nearest")),
        groups=groups,
        edge_max_years=None if emax is None else int(emax),
    )
    reports["impute_cells"], reports["impute"] = r.cells, r.summary

    ssec = _section(tsec, "screen")
    screened, r = tr.screen(
        imputed,
        unit_threshold=float(ssec.get("unit_threshold", 0.0)),
        indicator_threshold=float(ssec.get("indicator_threshold", 0.0)),
    )
    reports["screen"] = r.summary

    osec = _section(tsec, "outliers")
    treated, r = tr.treat_outliers(
        screened,
        str(osec.get("method", "winsorise_log")),
        skew_threshold=float(osec.get("skew_threshold", 2.0)),
        kurt_threshold=float(osec.get("kurt_threshold", 3.5)),
        max_points=int(osec.get("max_points", 5)),
        log_fallback=bool(osec.get("log_fallback", True)),
        scope=str(osec.get("scope", "pooled")),
    )
    reports["outlier_cells"], reports["outliers"] = r.cells, r.summary
    return imputed, screened, treated, reports


def impute_groups(units: pd.DataFrame, section: Mapping[str, Any]) -> pd.Series | None:
    """Unit -> group (a units-table column) when the ``treat`` section's imputation uses groups."""
    imp = _section(section, "impute")
    if imp.get("method") == "group_mean" or imp.get("edge") == "group_year_mean":
        return units.set_index("unit")[imp.get("group", "nbs4")]
    return None


def build_index(
    raw_wide: pd.DataFrame,
    codebook: pd.DataFrame,
    framework: Framework | pd.DataFrame | None = None,
    groups: pd.Series | None = None,
    *,
    treat: Mapping[str, Any] | None = None,
    normalise: Mapping[str, Any] | None = None,
    weights: Mapping[str, Any] | None = None,
    aggregate: Mapping[str, Any] | None = None,
) -> IndexResult:
    """Build the index from observed series.

    Parameters
    ----------
    raw_wide
        Wide panel (index ``unit, year``) of all observed series (indicators and variables).
    codebook
        The codebook (``id, role, dimension, direction, weight, numerator, denominator,
        scale``, ...).
    framework
        A :class:`Framework`, or the framework table (aggregate nodes), or None (dimensions
        directly under the root).
    groups
        Series unit -> group for group-mean imputation.
    treat, normalise, weights, aggregate
        The config sections (see the module docstring); missing keys take their defaults.
    """
    cb = codebook
    if "role" in cb.columns:
        cb_ind = cb[cb["role"].astype(str).str.strip().str.lower() == "indicator"]
    else:
        cb_ind = cb
    fw = framework if isinstance(framework, Framework) else Framework.from_tables(cb_ind, framework)
    tsec = dict(treat or {})
    tres = treat_from_config(raw_wide, cb, tsec, groups, indicators=list(fw.indicators))
    den, imputed, screened, treated = tres.denominated, tres.imputed, tres.screened, tres.treated
    reports: dict[str, pd.DataFrame] = dict(tres.reports)

    fw = fw.subset(treated.columns)
    z, nrep = normalise_from_config(treated, fw.direction, normalise)
    reports["normalise"] = nrep
    if list(z.columns) != list(treated.columns):
        fw = fw.subset(z.columns)

    basis = weight_basis(treated[list(fw.indicators)], fw.direction, str(dict(weights or {}).get("scope", "pooled")))
    wres = weights_from_config(basis, fw, weights, raw=treated)
    scores = aggregate_from_config(z, fw, wres.weights, aggregate)
    rk = agg.ranks(scores)
    return IndexResult(
        framework=fw,
        denominated=den,
        imputed=imputed,
        screened=screened,
        treated=treated,
        normalised=z,
        weights=wres.weights,
        effective_weights=wres.effective,
        indicator_weights=wres.indicator_weights,
        scores=scores,
        ranks=rk,  # type: ignore[arg-type]
        reports=reports,
        diagnostics=wres.diagnostics,
        methods={
            "treat": dict(tsec),
            "normalise": dict(normalise or {}),
            "weights": dict(weights or {}),
            "aggregate": dict(aggregate or {}),
        },
    )


def build_from_config(
    config: str | Path | Mapping[str, Any] = "config/config.yaml",
    variant: str | None = None,
    *,
    root: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> IndexResult:
    """The workflow's index for one variant, computed in one call (for notebooks).

    Validates the config against the schema shipped in the package, filling every key it
    leaves out with the schema default (so a partial config such as
    ``{"weights": {"method": "pca"}}`` means what the same settings mean in the workflow),
    validates the input tables as the workflow does, and runs :func:`build_index` with the
    variant's method sections. The scores equal ``results/aggregate/<variant>/scores.csv``
    of a workflow run with the same settings.

    Parameters
    ----------
    config
        Path of a config file (anywhere), or the config as a dict (any subset of the keys).
    variant
        A key of ``variants`` (default: ``main_variant``).
    root
        Folder that relative data paths of the config are resolved against, as the workflow
        resolves them from its working directory. Default: for a file inside a ``config/``
        folder, the folder holding ``config/`` (the repository); otherwise the current
        directory.
    overrides
        Config values merged over the config (e.g. ``{"weights": {"user": {"structure": 2}}}``).
    """
    import yaml

    from greenindex.config import deep_merge, load_schema, validate_config, variant_config
    from greenindex.data.ingest import validate_inputs

    if isinstance(config, Mapping):
        raw_cfg: Mapping[str, Any] = config
        base = Path.cwd()
    else:
        cpath = Path(config).resolve()
        raw_cfg = yaml.safe_load(cpath.read_text(encoding="utf-8")) or {}
        base = cpath.parent.parent if cpath.parent.name == "config" else Path.cwd()
    base = Path(root) if root is not None else base
    sch = load_schema()
    cfg = validate_config(deep_merge(raw_cfg, overrides or {}), sch)
    name = variant or cfg["main_variant"]
    methods = variant_config(cfg, name, sch)
    paths = {
        k: (base / v if v and not Path(v).is_absolute() else v) for k, v in cfg["data"].items()
    }
    inputs, _ = validate_inputs(
        paths,
        panel=cfg["panel"],
        units=cfg["units"],
        indicators=cfg["indicators"],
        validate=cfg["validate"],
    )
    years = range(cfg["panel"]["start"], cfg["panel"]["end"] + 1)
    cb = inputs.codebook[inputs.codebook["used"]]
    groups = impute_groups(inputs.units, cfg["treat"])
    return build_index(
        inputs.raw_panel(years), cb, inputs.framework(), groups, treat=cfg["treat"], **methods
    )
