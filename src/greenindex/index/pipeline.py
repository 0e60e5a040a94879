"""The whole index chain in one call, for notebooks: denominate -> impute -> screen ->
outliers -> normalise -> weights -> aggregate.

The workflow calls the stages one by one (one rule each); :func:`build_index` runs the same
functions with the same config sections, so a notebook gets the numbers of the workflow.

Config sections (plain dicts, as in ``config/config.yaml``)::

    treat:
      denominate: true
      impute: {method: linear, edge: nearest, edge_max_years: 1, group: nbs4}
      screen: {unit_threshold: 0.0, indicator_threshold: 0.0}
      outliers: {method: none, skew_threshold: 2.0, kurt_threshold: 3.5,
                 max_points: 5, log_fallback: true, scope: pooled}
    normalise: {method: minmax, range: [0, 100], scope: pooled, on_constant: error}
    weights: {method: entropy, level: global, scope: pooled,
              entropy: {variant: zero_log_zero, shift: 0.0001, compress: [0.99, 0.01]},
              pca: {convention: variance_loadings, retain: kaiser, negative_weights: error},
              combine: {with: null, how: linear, alpha: 0.5}, user: {}}
    aggregate: {method: arithmetic, min_share_present: 0.0,
                topsis: {normalisation: minmax, ideal: pooled, input: indicators}}

Any key a section leaves out takes its default from the config schema shipped in the package
(:func:`with_defaults`), so a partial section means what it means in the workflow. Method
names are looked up in :mod:`greenindex.index.registry`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from greenindex.config import fill_defaults, load_schema, resolve_ref
from greenindex.errors import ConfigError
from greenindex.index import aggregate as agg
from greenindex.index import impute as imp
from greenindex.index import normalise as norm
from greenindex.index import outliers as out
from greenindex.index import registry
from greenindex.index import treat as tr
from greenindex.index import weights as wts
from greenindex.index.framework import Framework


@functools.cache
@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    """The packaged schema, read once per process (read-only here)."""
    return load_schema()


def with_defaults(name: str, section: Mapping[str, Any] | None) -> dict[str, Any]:
    """Config section ``name`` (``treat``, ``normalise``, ``weights``, ``aggregate``) with every
    key it leaves out taken from the schema, the only place defaults live.

    Examples
    --------
    >>> with_defaults("aggregate", {"method": "topsis"})["topsis"]["normalisation"]
    'minmax'
    """
    if section is not None and not isinstance(section, Mapping):
        raise ConfigError(name, f"must be a mapping, got {type(section).__name__}")
    sch = _schema()
    return fill_defaults(sch, resolve_ref(sch, sch["properties"][name]), dict(section or {}))


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


def normalise_from_config(
    data: pd.DataFrame, direction: Mapping[str, int], section: Mapping[str, Any] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the ``normalise`` config section: :data:`greenindex.index.normalise.METHODS`
    ``[method]`` with the options of the section it takes."""
    sec = with_defaults("normalise", section)
    fn = registry.get("normalise", sec["method"])
    sec["low"], sec["high"] = (float(v) for v in sec.pop("range"))
    return fn(data, direction, **registry.options_for(fn, sec))


def weight_basis(
    treated: pd.DataFrame, direction: Mapping[str, int], scope: str = "pooled"
) -> pd.DataFrame:
    """The data that data-driven weights are computed from.

    Entropy and CRITIC are defined on min-max normalised data with directions unified
    (docs/methods.md 3): :math:`z = (d x - \\min d x) / (\\max d x - \\min d x) \\in [0, 1]`,
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
    """Run the ``weights`` config section (:func:`greenindex.index.weights.compute_weights`
    with :data:`greenindex.index.weights.METHODS` ``[method]``)."""
    sec = with_defaults("weights", section)
    method = sec["method"]
    registry.get("weights", method)
    comb = sec["combine"]
    other = comb["with"]
    opts = dict(sec.get(method) or {}) if method in ("entropy", "pca") else {}
    if "compress" in opts:
        opts["compress"] = tuple(opts["compress"])
    copts = dict(sec.get(other) or {}) if other in ("entropy", "pca") else {}
    if "compress" in copts:
        copts["compress"] = tuple(copts["compress"])
    return wts.compute_weights(
        z,
        framework,
        method,
        level=sec["level"],
        scope=sec["scope"],
        options=opts,
        raw=raw,
        combine_with=other,
        combine_options=copts,
        combine_how=comb["how"],
        alpha=float(comb["alpha"]),
        user=sec["user"] or None,
    )


def aggregate_from_config(
    z: pd.DataFrame,
    framework: Framework,
    weights: pd.Series | pd.DataFrame | None,
    section: Mapping[str, Any] | None,
) -> pd.DataFrame:
    """Run the ``aggregate`` config section (:func:`greenindex.index.aggregate.aggregate` with
    :data:`greenindex.index.aggregate.METHODS` ``[method]`` per level or node)."""
    sec = with_defaults("aggregate", section)
    top = sec["topsis"]
    method = sec["method"]
    if isinstance(method, Mapping):
        method = {(int(k) if str(k).isdigit() else k): v for k, v in method.items()}
        for name in method.values():
            registry.get("aggregate", name)
    else:
        registry.get("aggregate", method)
    return agg.aggregate(
        z,
        framework,
        weights,
        method,
        float(sec["min_share_present"]),
        topsis_normalisation=top["normalisation"],
        topsis_ideal=top["ideal"],
        topsis_input=top["input"],
        allow_negative_weights=bool(sec["allow_negative_weights"]),
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
        parts = [
            self.reports[k]
            for k in ("substitute_cells", "impute_cells", "outlier_cells")
            if k in self.reports and len(self.reports[k])
        ]
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
    tsec = with_defaults("treat", section)
    reports: dict[str, pd.DataFrame] = {}
    if tsec["substitute"]:
        raw_wide, r = tr.substitute(raw_wide, tsec["substitute"])
        reports["substitute_cells"] = r.cells
    if tsec["denominate"]:
        den, r = tr.denominate(raw_wide, codebook)
    else:
        ids = (
            indicators
            if indicators is not None
            else list(codebook.loc[codebook.get("role", "indicator") == "indicator", "id"])
        )
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
    tsec = with_defaults("treat", section)
    reports: dict[str, pd.DataFrame] = {}
    isec = tsec["impute"]
    imputed, r = imp.impute(
        data,
        isec["method"],
        edge=isec["edge"],
        groups=groups,
        edge_max_years=isec["edge_max_years"],
    )
    reports["impute_cells"], reports["impute"] = r.cells, r.summary

    ssec = tsec["screen"]
    screened, r = tr.screen(
        imputed,
        unit_threshold=float(ssec["unit_threshold"]),
        indicator_threshold=float(ssec["indicator_threshold"]),
    )
    reports["screen"] = r.summary

    osec = dict(tsec["outliers"])
    treated, r = out.treat_outliers(screened, osec.pop("method"), **osec)
    reports["outlier_cells"], reports["outliers"] = r.cells, r.summary
    return imputed, screened, treated, reports


def impute_groups(units: pd.DataFrame, section: Mapping[str, Any]) -> pd.Series | None:
    """Unit -> group (the units-table column ``treat.impute.group``) when the ``treat``
    section's imputation uses groups."""
    isec = with_defaults("treat", section)["impute"]
    if isec["method"] == "group_mean" or isec["edge"] == "group_year_mean":
        col = isec["group"]
        if col not in units.columns:
            raise ConfigError(
                "treat.impute.group",
                f"'{col}' is not a column of the units table",
                f"use one of {[c for c in units.columns if c != 'unit']}.",
            )
        return units.set_index("unit")[col]
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
    tsec = with_defaults("treat", treat)
    tres = treat_from_config(raw_wide, cb, tsec, groups, indicators=list(fw.indicators))
    den, imputed, screened, treated = tres.denominated, tres.imputed, tres.screened, tres.treated
    reports: dict[str, pd.DataFrame] = dict(tres.reports)

    fw = fw.subset(treated.columns)
    z, nrep = normalise_from_config(treated, fw.direction, normalise)
    reports["normalise"] = nrep
    if list(z.columns) != list(treated.columns):
        fw = fw.subset(z.columns)

    wsec = with_defaults("weights", weights)
    basis = weight_basis(treated[list(fw.indicators)], fw.direction, wsec["scope"])
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
            "treat": tsec,
            "normalise": with_defaults("normalise", normalise),
            "weights": wsec,
            "aggregate": with_defaults("aggregate", aggregate),
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
