"""The start-up check: everything a run will need, known from the inputs and the config.

:func:`check_run` is what the workflow calls before it schedules any job
(``workflow/rules/common.smk``). It runs the input validation of the ``validate`` stage
(:func:`greenindex.data.ingest.validate_inputs`: file formats, units, years, codebook,
plausibility, derived indicators) and then the checks that need the inputs *and* the config
together, each of which would otherwise fail inside a later job, after Snakemake has deleted
that job's earlier outputs:

* regions (:func:`check_regions`): the ``regions.scheme`` column exists in the units table;
  every unit has a region; every label is one of ``regions.order`` (a label differing only in
  case, ``Central`` for ``central``, is offered as "did you mean" instead of silently becoming a
  fifth region); every region has enough units for the analyses configured
  (:func:`region_requirements`);
* the framework (:func:`check_framework`): no aggregate (dimension) is left without
  indicators, e.g. by ``indicators.exclude``;
* user weights (:func:`check_user_weights`): every node named in ``weights.user`` (or a
  variant's) exists; no group of siblings has all its user weights zero;
* method combinations (:func:`check_positive_index`): the main variant, whose index the
  disparity stage analyses (Theil T and Dagum need non-negative values, sigma- and
  beta-convergence take logarithms), cannot produce negative scores. The check refuses rather
  than shifting the index: a shifted index changes every inequality measure, so the choice is
  left to the researcher (main variant with min-max, rank or percentile normalisation, or
  TOPSIS aggregation);
* geometric and harmonic means (:func:`check_mean_inputs`): in no variant do they average
  normalised indicators that are certainly zero or can be negative (min-max onto a range
  starting at 0 maps each indicator's minimum to 0);
* the imputation group column (``treat.impute.group``) exists when a group method uses it.

Every error names the file and rows, or the config key, and what to do. What can only be
known at run time (e.g. an index that is exactly zero for some unit-year) is left to the jobs;
the workflow's run status then tells which results come from which run (see
``workflow/rules/status.smk``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from greenindex.config import variant_config
from greenindex.data.ingest import Inputs, validate_inputs
from greenindex.data.io import ROW
from greenindex.errors import ConfigError, InputError

#: Config sections the input validation reads.
INPUT_SECTIONS = ("panel", "units", "indicators", "validate", "treat")


def check_run(
    config: Mapping[str, Any], paths: Mapping[str, str | Path | None]
) -> tuple[Inputs, pd.DataFrame]:
    """All start-up checks of a run; returns the validated inputs and plausibility findings.

    Parameters
    ----------
    config
        The schema-validated config with defaults filled in.
    paths
        ``observations``, ``codebook``, ``units`` and the optional tables (as in
        :func:`~greenindex.data.ingest.validate_inputs`).

    Raises
    ------
    InputError, ConfigError
        The first problem found, naming the file/row or the config key and what to do.
    """
    inputs, findings = validate_inputs(paths, **{s: config[s] for s in INPUT_SECTIONS})
    units_file = str(paths["units"])
    framework_file = str(paths.get("framework") or "")
    check_regions(inputs.units, config, units_file=units_file)
    check_impute_group(inputs.units, config, units_file=units_file)
    check_framework(
        inputs, config, codebook_file=str(paths["codebook"]), framework_file=framework_file
    )
    check_user_weights(inputs, config)
    check_positive_index(config)
    check_mean_inputs(config)
    return inputs, findings


# -- regions -----------------------------------------------------------------------------------
def region_requirements(config: Mapping[str, Any]) -> list[tuple[str, int]]:
    """``(analysis, minimum units per region)`` of the analyses the config runs.

    * kernel densities per region and year with Silverman's bandwidth need 2 values
      (a standard deviation);
    * beta-convergence per region is an OLS with an intercept and a slope and needs 3
      observations: 3 units for ``cross_section``; for ``pooled``, ``n (T - 1) >= 3`` with T
      the years analysed.
    """
    dis = config["disparity"]
    years = config["window"] if dis["period"] == "window" else config["panel"]
    t = int(years["end"]) - int(years["start"]) + 1
    out: list[tuple[str, int]] = []
    if dis["kde_bandwidth"] == "silverman_rot":
        out.append(("kernel densities per region (disparity.kde_bandwidth: silverman_rot)", 2))
    if dis["beta_method"] == "cross_section":
        out.append(("beta-convergence per region (disparity.beta_method: cross_section)", 3))
    else:
        need = -(-3 // max(t - 1, 1))  # ceil(3 / (T - 1))
        out.append(
            (
                f"pooled beta-convergence per region over {t} years (disparity.beta_method: pooled)",
                need,
            )
        )
    return out


def check_regions(units: pd.DataFrame, config: Mapping[str, Any], *, units_file: str) -> None:
    """Region scheme column, a region for every unit, labels in ``regions.order``, region sizes."""
    scheme = str(config["regions"]["scheme"])
    order = [str(r) for r in config["regions"]["order"]]
    groups = [c for c in units.columns if c not in (ROW, "unit", "name_zh", "name_en")]
    if scheme not in units.columns:
        raise ConfigError(
            "regions.scheme",
            f"'{scheme}' is not a column of the units table {units_file} (its region columns: {groups})"
            + _did_you_mean(scheme, groups),
            f"set 'regions.scheme' to one of {groups}, or add a column '{scheme}' to the units table.",
        )
    labels = units[scheme].astype(str).str.strip()
    empty = units[labels == ""]
    if len(empty):
        raise InputError(
            f"unit(s) {list(empty['unit'])} have no region under the scheme '{scheme}' (regions.scheme)",
            file=units_file,
            row=[int(r) for r in empty[ROW]],
            column=scheme,
            fix=f"give every unit one of the regions {order}, or leave the unit out with 'units.drop' in the config.",
        )
    if order:
        lower = {o.lower(): o for o in order}
        bad = units[~labels.isin(order)]
        if len(bad):
            first = str(bad.iloc[0][scheme]).strip()
            hint = (
                f"; did you mean '{lower[first.lower()]}'?"
                if first.lower() in lower
                else _did_you_mean(first, order)
            )
            raise InputError(
                f"region label(s) {sorted(set(labels[bad.index]))} of unit(s) {list(bad['unit'])} are not in "
                f"'regions.order' {order}{hint} (labels are case-sensitive: a new label would make a region of its own)",
                file=units_file,
                row=[int(r) for r in bad[ROW]],
                column=scheme,
                fix="correct the label(s) in the units table, or add the region to 'regions.order' in the config if it is meant.",
            )
    sizes = labels.value_counts()
    for analysis, need in region_requirements(config):
        small = {str(r): int(n) for r, n in sizes.items() if n < need}
        if small:
            desc = ", ".join(f"'{r}' has {n}" for r, n in sorted(small.items()))
            rows = [int(r) for r in units.loc[labels.isin(list(small)), ROW]]
            raise InputError(
                f"region(s) too small for the {analysis}: it needs at least {need} units per region; {desc} "
                f"(scheme '{scheme}', after units.drop)",
                file=units_file,
                row=rows,
                column=scheme,
                fix="merge the region with a neighbouring one in the units table (or use another 'regions.scheme'), "
                "keep its units (check 'units.drop'), or change the disparity setting named above.",
            )
    n_units = len(units)
    if n_units < 3:
        raise InputError(
            f"Moran's I needs at least 3 units; the run has {n_units} after units.drop",
            file=units_file,
            fix="add units, or check 'units.drop' in the config.",
        )


def check_impute_group(units: pd.DataFrame, config: Mapping[str, Any], *, units_file: str) -> None:
    """``treat.impute.group`` must be a units-table column when a group method uses it."""
    imp = config["treat"]["impute"]
    if imp["method"] != "group_mean" and imp["edge"] != "group_year_mean":
        return
    group = str(imp["group"])
    if group not in units.columns:
        cols = [c for c in units.columns if c not in (ROW, "unit", "name_zh", "name_en")]
        raise ConfigError(
            "treat.impute.group",
            f"'{group}' is not a column of the units table {units_file} (its group columns: {cols})"
            + _did_you_mean(group, cols),
            f"set 'treat.impute.group' to one of {cols}.",
        )
    blank = units[units[group].astype(str).str.strip() == ""]
    if len(blank):
        raise InputError(
            f"unit(s) {list(blank['unit'])} have no group under '{group}' (treat.impute.group)",
            file=units_file,
            row=[int(r) for r in blank[ROW]],
            column=group,
            fix="give every unit a group, or use another 'treat.impute.group'.",
        )


# -- framework and weights -------------------------------------------------------------------
def check_framework(
    inputs: Inputs, config: Mapping[str, Any], *, codebook_file: str, framework_file: str
) -> None:
    """Every aggregate node (dimension, sub-index) keeps at least one indicator below it."""
    fw = inputs.framework()
    indicators = set(inputs.indicators)
    below: dict[str, set[str]] = {}
    for ind in indicators:
        n = fw.parent.get(ind)
        while n is not None:
            below.setdefault(n, set()).add(ind)
            n = fw.parent.get(n)
    empty = sorted(
        n for n in set(fw.parent) | {fw.root} if n not in indicators and not below.get(n)
    )
    if not empty:
        return
    cb = inputs.codebook
    excluded = set(config["indicators"]["exclude"])
    lost = cb[(cb["role"] == "indicator") & cb["id"].isin(excluded)]
    by_dim = {d: sorted(g["id"]) for d, g in lost.groupby("dimension")}
    culprits = {d: by_dim[d] for d in empty if d in by_dim}
    if culprits:
        what = "; ".join(f"'{d}' loses all its indicators {ids}" for d, ids in culprits.items())
        raise ConfigError(
            "indicators.exclude",
            f"excluding these indicators empties a dimension of the framework: {what}",
            "keep at least one indicator of each dimension (remove it from 'indicators.exclude'), or remove "
            f"the dimension's row from the framework table {framework_file or '(framework)'}.",
        )
    raise InputError(
        f"aggregate node(s) {empty} of the framework have no indicator below them",
        file=framework_file or codebook_file,
        column="id",
        fix="give each node at least one indicator (codebook 'dimension' column), or remove its row.",
    )


def check_user_weights(inputs: Inputs, config: Mapping[str, Any]) -> None:
    """``weights.user`` of the base config and of every variant: known nodes, no all-zero group.

    A user weight is relative among the node's siblings; a group of siblings whose user
    weights are all zero leaves its parent without weight (a division by zero).
    """
    fw = inputs.framework()
    nodes = set(fw.parent)
    for v in sorted(config["variants"]):
        over = ((config["variants"][v] or {}).get("weights") or {}).get("user") or {}
        user = dict(variant_config(config, v)["weights"].get("user") or {})

        def key(name: str, _over: Mapping[str, Any] = over, _v: str = v) -> str:
            return f"variants.{_v}.weights.user.{name}" if name in _over else f"weights.user.{name}"

        for name in sorted(user):
            if name not in nodes:
                raise ConfigError(
                    key(name),
                    f"'{name}' is not a node of the framework (an indicator id or an aggregate below "
                    f"'{fw.root}'){_did_you_mean(name, nodes)}",
                    "use an id of the codebook (role 'indicator', not excluded) or of the framework table.",
                )
        for parent in sorted(set(fw.parent.values())):
            kids = [n for n in fw.parent if fw.parent[n] == parent]
            if kids and all(k in user and float(user[k]) == 0 for k in kids):
                keys = ", ".join(key(k) for k in sorted(kids))
                raise ConfigError(
                    keys.split(", ")[0] if len(kids) == 1 else keys,
                    f"every child of '{parent}' has user weight 0 ({sorted(kids)}), so '{parent}' has no weight "
                    f"to share among them (variant '{v}')",
                    "give at least one of them a positive weight, or exclude the indicators instead "
                    "('indicators.exclude').",
                )


def check_positive_index(config: Mapping[str, Any]) -> None:
    """The main variant's index feeds Theil, Dagum and the log-based convergence: it must not be negative."""
    main = str(config["main_variant"])
    sec = variant_config(config, main)
    over = config["variants"].get(main) or {}

    def key(section: str, name: str) -> str:
        return (
            f"variants.{main}.{section}.{name}"
            if name in (over.get(section) or {})
            else f"{section}.{name}"
        )

    agg = sec["aggregate"]["method"]
    if agg == "topsis":  # closeness in [0, 1] whatever the normalisation
        return
    norm = sec["normalise"]
    problems = []
    if norm["method"] == "zscore":
        problems.append(
            f"'{key('normalise', 'method')}: zscore' gives negative values (mean {norm['mean']})"
        )
    elif norm["method"] == "minmax" and float(norm["range"][0]) < 0:
        problems.append(f"'{key('normalise', 'range')}: {list(norm['range'])}' starts below 0")
    elif norm["method"] == "distance" and norm["kind"] == "difference":
        problems.append(f"'{key('normalise', 'kind')}: difference' gives negative values")
    w = sec["weights"]
    if sec["aggregate"].get("allow_negative_weights"):
        problems.append(
            f"'{key('aggregate', 'allow_negative_weights')}: true' allows negative weights"
        )
    elif w["method"] == "pca" and w["pca"]["negative_weights"] == "allow":
        problems.append(
            f"'{key('weights', 'pca')}.negative_weights: allow' keeps negative PCA weights"
        )
    if problems:
        raise ConfigError(
            key("normalise", "method") if norm["method"] == "zscore" else "main_variant",
            f"the main variant '{main}' can give negative index values ({'; '.join(problems)}), but the "
            "disparity stage analyses its index with Theil T and the Dagum Gini (non-negative values) and "
            "sigma-/beta-convergence (logarithms)",
            "make the main variant one with min-max (range from 0 or 1), rank or percentile normalisation, or "
            "TOPSIS aggregation ('main_variant'), or change the setting(s) named; other variants may keep it.",
        )


def startup_warnings(findings: pd.DataFrame) -> str:
    """The suspicious-value findings as text printed at start-up (empty when there are none)."""
    sus = findings[
        findings["check"].isin(["zero", "negative"]) & (findings["severity"] == "warning")
    ]
    if not len(sus):
        return ""
    lines = [
        f"Warning (suspicious value, {f}" + (f", row {int(r)}" if pd.notna(r) else "") + f"): {m}"
        for f, r, m in zip(sus["file"], sus["row"], sus["message"], strict=True)
    ]
    lines.append(
        "  (listed in results/validate/plausibility.csv; 'validate.suspicious_values: error' stops on them)"
    )
    return "\n".join(lines) + "\n"


def check_mean_inputs(config: Mapping[str, Any]) -> None:
    """Geometric/harmonic means need positive normalised indicators, in every variant.

    Min-max onto ``[a, b]`` maps each indicator's minimum to ``a``: with ``a <= 0`` some
    unit-year is certainly ``<= 0``, where a geometric or harmonic mean is undefined (the
    aggregation job would fail). z-scores and ``distance`` differences can be negative.
    Only the means over indicators (level 2) are checked; higher levels average aggregates.
    """
    for v in sorted(config["variants"]):
        sec = variant_config(config, v)
        over = config["variants"][v] or {}
        method = sec["aggregate"]["method"]
        if isinstance(method, Mapping):
            method = method.get(2, method.get("2", "arithmetic"))
        if method not in ("geometric", "harmonic"):
            continue
        norm = sec["normalise"]

        def key(section: str, name: str, _over: Mapping[str, Any] = over, _v: str = v) -> str:
            return (
                f"variants.{_v}.{section}.{name}"
                if name in (_over.get(section) or {})
                else f"{section}.{name}"
            )

        if norm["method"] == "minmax" and float(norm["range"][0]) <= 0:
            bad = f"'{key('normalise', 'range')}: {list(norm['range'])}' maps each indicator's minimum to {norm['range'][0]}"
        elif norm["method"] == "zscore":
            bad = f"'{key('normalise', 'method')}: zscore' gives negative values"
        elif norm["method"] == "distance" and norm["kind"] == "difference":
            bad = f"'{key('normalise', 'kind')}: difference' gives negative values"
        else:
            continue
        raise ConfigError(
            key("aggregate", "method"),
            f"variant '{v}' takes a {method} mean of normalised indicators, which is undefined for values "
            f"<= 0, but {bad}",
            "normalise onto a positive range, e.g. 'normalise.range: [1, 100]', or use the arithmetic mean.",
        )


def _did_you_mean(name: str, known: Any) -> str:
    hits = difflib.get_close_matches(str(name), sorted(str(k) for k in known), n=3, cutoff=0.5)
    return f"; did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
