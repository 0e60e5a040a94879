"""The weights of a run (:func:`compute_weights`): a method at a level and scope, an optional
second method combined with it, the user multipliers, placed in the tree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from greenindex.errors import ConfigError, MethodError
from greenindex.index.framework import Framework
from greenindex.index.weights.methods import combine, critic, entropy, equal, framework, user
from greenindex.index.weights.principal import pca, pca_analysis
from greenindex.index.weights.tree import (
    apply_user_multipliers,
    check_user_multipliers,
    effective_weights,
    tree_weights_from_global,
    within_parent_shares,
)

LEVELS = ("global", "within_parent")
SCOPES = ("pooled", "year")


#: Weighting methods by config name (``weights.method``). Shared signature:
#: ``method(data, **options) -> weights`` over the columns of ``data``.
METHODS: dict[str, Callable[..., pd.Series]] = {
    "entropy": entropy,
    "pca": pca,
    "critic": critic,
    "equal": equal,
    "framework": framework,
    "user": user,
}
#: The methods that compute weights from the data (the others take them from the metadata).
DATA_DRIVEN = ("entropy", "pca", "critic", "equal")


@dataclass
class WeightResult:
    """Weights of a run.

    Attributes
    ----------
    weights
        Share of each non-root node within its parent (Series), or one row per year
        (DataFrame indexed by year) with ``scope="year"``.
    effective
        The effective-weights table (node, parent, level, type, weight, within-parent share,
        effective weight; plus ``year`` for per-year weights).
    indicator_weights
        The weight vector(s) the scheme produced over the indicators, before placing them in
        the tree (per group for ``within_parent``).
    diagnostics
        Scheme-specific details, e.g. PCA KMO/Bartlett per group.
    """

    weights: pd.Series | pd.DataFrame
    effective: pd.DataFrame
    indicator_weights: pd.Series | pd.DataFrame
    diagnostics: dict[str, object] = field(default_factory=dict)


def _groups(framework: Framework, level: str, columns: list[str]) -> dict[str, list[str]]:
    if level == "global":
        return {framework.root: [i for i in framework.indicators if i in columns]}
    out: dict[str, list[str]] = {}
    for i in framework.indicators:
        if i in columns:
            out.setdefault(framework.parent[i], []).append(i)
    return out


def _method_weights(
    data: pd.DataFrame,
    method: str,
    options: Mapping[str, object],
    diag: dict[str, object],
    label: str,
) -> pd.Series:
    if method not in METHODS:
        raise ConfigError(
            "weights.method", f"unknown method '{method}'", f"use one of {sorted(METHODS)}."
        )
    if method == "pca":
        res = pca_analysis(data, **options)  # type: ignore[arg-type]
        diag[label] = {
            "kmo": res.kmo,
            "bartlett_chi2": res.bartlett_chi2,
            "bartlett_df": res.bartlett_df,
            "bartlett_p": res.bartlett_p,
            "n_components": res.n_components,
            "explained": res.explained.iloc[: res.n_components].tolist(),
            "n_rows_used": res.n_rows_used,
            "negative": res.negative,
        }
        return res.weights
    try:
        return METHODS[method](data, **options)
    except TypeError as e:
        raise ConfigError(f"weights.{method}", f"invalid option: {e}") from None


def _second_method_weights(
    block: pd.DataFrame,
    members: list[str],
    framework: Framework,
    combine_with: str,
    combine_options: Mapping[str, object] | None,
    z: pd.DataFrame,
    raw: pd.DataFrame | None,
    cdiag: dict[str, object],
    tag: str,
) -> pd.Series:
    """The weights of ``combine_with`` over ``members`` of ``block``'s rows (``weights.combine``)."""
    if combine_with in ("framework", "user"):
        return METHODS["framework"](block[members], weights=framework.weight)
    csrc = (
        raw
        if (combine_with == "entropy" and (combine_options or {}).get("variant") == "raw_share")
        else z
    )
    if csrc is None:
        raise ConfigError("weights.combine", "raw_share needs the treated data", "pass raw=.")
    cblock = csrc.loc[block.index, members]
    return _method_weights(cblock, combine_with, dict(combine_options or {}), cdiag, tag)


def compute_weights(
    z: pd.DataFrame,
    framework: Framework,
    method: str = "entropy",
    *,
    level: str = "within_parent",
    scope: str = "pooled",
    options: Mapping[str, object] | None = None,
    raw: pd.DataFrame | None = None,
    combine_with: str | None = None,
    combine_options: Mapping[str, object] | None = None,
    combine_how: str = "linear",
    alpha: float = 0.5,
    user: Mapping[str, float] | None = None,
) -> WeightResult:
    """Weights of a run, placed in the tree.

    Parameters
    ----------
    z
        Normalised data (direction applied), used by the data-driven methods.
    framework
        The tree; its own weights are the metadata weights.
    method
        ``entropy``, ``pca``, ``critic``, ``equal`` (every indicator equal; aggregates keep
        their framework weights under ``within_parent``, are the sums under ``global``),
        ``framework`` (the metadata weights as given), or ``user`` (the same framework
        weights; the ``user`` multipliers apply to them as to every scheme).
    level
        ``global`` or ``within_parent`` (see the module docstring).
    scope
        ``pooled`` or ``year``.
    options
        Keyword options of the method (e.g. ``{"variant": "shift", "shift": 0.01}`` for
        entropy, ``{"convention": "first_component", "negative_weights": "allow"}`` for PCA).
    raw
        Treated (not normalised) data, used instead of ``z`` by entropy ``raw_share``.
    combine_with, combine_options, combine_how, alpha
        A second method and how to combine it with the first (:func:`combine`).
    user
        Node -> multiplier ``m >= 0`` at any level, applied last to the scheme's within-parent
        weights (:func:`apply_user_multipliers`); ``{"structure": 2}`` doubles structure's
        weight relative to each of its siblings.
    """
    if level not in LEVELS:
        raise ConfigError("weights.level", f"unknown level '{level}'", f"use one of {LEVELS}.")
    if scope not in SCOPES:
        raise ConfigError("weights.scope", f"unknown scope '{scope}'", f"use one of {SCOPES}.")
    opts = dict(options or {})
    check_user_multipliers(framework, user)
    diag: dict[str, object] = {}
    if method in ("framework", "user"):
        base = {n: framework.weight.get(n, 1.0) for n in framework.parent}
        w = apply_user_multipliers(framework, within_parent_shares(framework, base), user)
        return WeightResult(
            w, effective_weights(framework, w), w.reindex(list(framework.indicators)), diag
        )

    use_raw = method == "entropy" and opts.get("variant") == "raw_share"
    source = raw if use_raw else z
    if source is None:
        raise ConfigError(
            "weights.entropy.variant", "raw_share needs the treated (raw) data", "pass raw=."
        )
    cols = [i for i in framework.indicators if i in source.columns]
    if scope == "pooled":
        blocks: list[tuple[object, pd.DataFrame]] = [("all", source[cols])]
    else:
        yrs = source.index.get_level_values("year")
        blocks = [(int(y), source.loc[yrs == y, cols]) for y in pd.unique(yrs)]
    tree_rows = {}
    ind_rows = {}
    for label, block in blocks:
        vec: dict[str, float] = {}
        for g, members in _groups(framework, level, cols).items():
            tag = f"{g}" if label == "all" else f"{g}/{label}"
            w1 = _method_weights(block[members], method, opts, diag, tag)
            if combine_with:
                cdiag: dict[str, object] = {}
                w2 = _second_method_weights(
                    block, members, framework, combine_with, combine_options, z, raw, cdiag, tag
                )
                w1 = combine(w1, w2, combine_how, alpha)
                if cdiag:
                    diag[f"combine:{tag}"] = cdiag[tag]
            vec.update(w1.to_dict())
        wvec = pd.Series(vec).reindex(cols)
        if (wvec < 0).any() and not (method == "pca" and opts.get("negative_weights") == "allow"):
            raise MethodError(f"negative weights for {list(wvec.index[wvec < 0])[:10]}")
        if level == "global":
            tw = tree_weights_from_global(framework, wvec)
        else:
            base = {n: framework.weight.get(n, 1.0) for n in framework.parent}
            base.update(wvec.to_dict())
            tw = within_parent_shares(framework, base)
        tw = apply_user_multipliers(framework, tw, user)
        tree_rows[label] = tw
        ind_rows[label] = wvec
    if scope == "pooled":
        w = tree_rows["all"]
        return WeightResult(w, effective_weights(framework, w), ind_rows["all"], diag)
    wdf = pd.DataFrame(tree_rows).T
    wdf.index.name = "year"
    idf = pd.DataFrame(ind_rows).T
    idf.index.name = "year"
    return WeightResult(wdf, effective_weights(framework, wdf), idf, diag)
