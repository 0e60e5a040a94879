"""The weights of a run (:func:`compute_weights`): a method at a level and scope, an optional
second method combined with it, the user multipliers, placed in the tree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

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
    indicator_weights: pd.Series | pd.DataFrame
    diagnostics: dict[str, object] = field(default_factory=dict)
    framework: Framework | None = field(default=None, repr=False)

    @cached_property
    def effective(self) -> pd.DataFrame:
        """The effective-weights table, built when first asked for (a Monte Carlo computing
        thousands of weight vectors needs the vectors only)."""
        if self.framework is None:
            raise ValueError("a WeightResult without its framework has no effective weights")
        return effective_weights(self.framework, self.weights)


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


@dataclass(frozen=True)
class _Combination:
    """A second method and how its weights combine with the first's (``weights.combine``)."""

    method: str
    options: Mapping[str, object] | None
    how: str
    alpha: float
    z: pd.DataFrame
    raw: pd.DataFrame | None

    def weights(
        self,
        block: pd.DataFrame,
        members: list[str],
        framework: Framework,
        cdiag: dict[str, object],
        tag: str,
    ) -> pd.Series:
        """The second method's weights over ``members`` of ``block``'s rows."""
        if self.method in ("framework", "user"):
            return METHODS["framework"](block[members], weights=framework.weight)
        raw_share = self.method == "entropy" and (self.options or {}).get("variant") == "raw_share"
        csrc = self.raw if raw_share else self.z
        if csrc is None:
            raise ConfigError("weights.combine", "raw_share needs the treated data", "pass raw=.")
        cblock = csrc.loc[block.index, members]
        return _method_weights(cblock, self.method, dict(self.options or {}), cdiag, tag)

    def combined(
        self,
        w1: pd.Series,
        block: pd.DataFrame,
        members: list[str],
        framework: Framework,
        diag: dict[str, object],
        tag: str,
    ) -> pd.Series:
        """``w1`` combined with the second method's weights (its diagnostics under
        ``combine:<tag>``)."""
        cdiag: dict[str, object] = {}
        w2 = self.weights(block, members, framework, cdiag, tag)
        w = combine(w1, w2, self.how, self.alpha)
        if cdiag:
            diag[f"combine:{tag}"] = cdiag[tag]
        return w


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
        return WeightResult(w, w.reindex(list(framework.indicators)), diag, framework)
    use_raw = method == "entropy" and opts.get("variant") == "raw_share"
    source = raw if use_raw else z
    if source is None:
        raise ConfigError(
            "weights.entropy.variant", "raw_share needs the treated (raw) data", "pass raw=."
        )
    cols = [i for i in framework.indicators if i in source.columns]
    second = (
        _Combination(combine_with, combine_options, combine_how, alpha, z, raw)
        if combine_with
        else None
    )
    tree_rows = {}
    ind_rows = {}
    for label, block in _scope_blocks(source, cols, scope):
        wvec = _block_weights(block, cols, label, framework, level, method, opts, second, diag)
        tree_rows[label] = _tree_weights(framework, wvec, level, user)
        ind_rows[label] = wvec
    return _result(framework, tree_rows, ind_rows, diag, scope)


def _scope_blocks(
    source: pd.DataFrame, cols: list[str], scope: str
) -> list[tuple[object, pd.DataFrame]]:
    """The rows weights are computed over: all (``"all"``) or each year's."""
    if scope == "pooled":
        return [("all", source[cols])]
    yrs = source.index.get_level_values("year")
    return [(int(y), source.loc[yrs == y, cols]) for y in pd.unique(yrs)]


def _block_weights(
    block: pd.DataFrame,
    cols: list[str],
    label: object,
    framework: Framework,
    level: str,
    method: str,
    opts: Mapping[str, object],
    second: _Combination | None,
    diag: dict[str, object],
) -> pd.Series:
    """The weights over the indicators ``cols`` from the rows of ``block``: the method (and
    the second one) per group of the ``level``."""
    vec: dict[str, float] = {}
    for g, members in _groups(framework, level, cols).items():
        tag = f"{g}" if label == "all" else f"{g}/{label}"
        w1 = _method_weights(block[members], method, opts, diag, tag)
        if second is not None:
            w1 = second.combined(w1, block, members, framework, diag, tag)
        vec.update(w1.to_dict())
    wvec = pd.Series(vec).reindex(cols)
    if (wvec < 0).any() and not (method == "pca" and opts.get("negative_weights") == "allow"):
        raise MethodError(f"negative weights for {list(wvec.index[wvec < 0])[:10]}")
    return wvec


def _result(
    framework: Framework,
    tree_rows: dict[object, pd.Series],
    ind_rows: dict[object, pd.Series],
    diag: dict[str, object],
    scope: str,
) -> WeightResult:
    """The weights of the scope blocks: one Series (``pooled``, the block ``"all"``) or a
    DataFrame with one row per year."""
    if scope == "pooled":
        w = tree_rows["all"]
        return WeightResult(w, ind_rows["all"], diag, framework)
    wdf = pd.DataFrame(tree_rows).T
    wdf.index.name = "year"
    idf = pd.DataFrame(ind_rows).T
    idf.index.name = "year"
    return WeightResult(wdf, idf, diag, framework)


def _tree_weights(
    framework: Framework, wvec: pd.Series, level: str, user: Mapping[str, float] | None
) -> pd.Series:
    """Indicator weights placed in the tree (within-parent shares), user multipliers applied."""
    if level == "global":
        tw = tree_weights_from_global(framework, wvec)
    else:
        base = {n: framework.weight.get(n, 1.0) for n in framework.parent}
        base.update(wvec.to_dict())
        tw = within_parent_shares(framework, base)
    return apply_user_multipliers(framework, tw, user)
