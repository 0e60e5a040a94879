"""Aggregation over the index tree: indicators -> dimensions -> ... -> index.

Each aggregate node is computed from its children with weights relative within the parent,
rescaled over the children present for the unit-year (COINr / OECD-JRC convention). Levels
are processed bottom-up; each level is one set of matrix products over all unit-years, with
a mask for missing children, so the cost is linear in the number of unit-years.

Methods (one per level or per node):

- ``arithmetic``: :math:`S_i = \\sum_{j \\in P_i} w_j z_{ij} / \\sum_{j \\in P_i} w_j`;
- ``geometric``: :math:`S_i = \\exp(\\sum_{j \\in P_i} w_j \\ln z_{ij} / \\sum_{j \\in P_i} w_j)`,
  needs :math:`z > 0`;
- ``harmonic``: :math:`S_i = \\sum_{j \\in P_i} w_j / \\sum_{j \\in P_i} (w_j / z_{ij})`, needs
  :math:`z > 0`;
- ``topsis``: closeness to the ideal point, :math:`C_i = D^-_i / (D^+_i + D^-_i)` with
  :math:`v_{ij} = w_j r_{ij}`, :math:`r` the vector- (:math:`z/\\sqrt{\\sum z^2}`) or min-max
  normalised input, ideal and anti-ideal the column maximum and minimum of ``v`` over the
  pooled panel (default) or per year, and Euclidean distances :math:`D^\\pm`.

:math:`P_i` is the set of children present for unit-year ``i``.

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.
Hwang C.L., Yoon K. (1981), *Multiple Attribute Decision Making*, Springer (TOPSIS).
Becker W. et al. (2022), COINr, JOSS 7(78): ``Aggregate``, ``a_amean``, ``a_gmean``,
``a_hmean``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, MethodError
from greenindex.index.framework import Framework

METHODS = ("arithmetic", "geometric", "harmonic", "topsis")
TOPSIS_NORMALISATIONS = ("vector", "minmax", "none")


def _method_of(node: str, level: int, method: str | Mapping[object, str]) -> str:
    if isinstance(method, str):
        m = method
    else:
        m = method.get(node, method.get(level, method.get(str(level), "arithmetic")))  # type: ignore[call-overload]
    if m not in METHODS:
        raise ConfigError(
            "aggregate.method", f"unknown method '{m}' (node '{node}')", f"use one of {METHODS}."
        )
    return m


def _weights_series(
    framework: Framework, weights: pd.Series | Mapping[str, float] | None
) -> pd.Series:
    w = pd.Series(dict(framework.weight), dtype=float)
    if weights is not None:
        extra = pd.Series(weights, dtype=float)
        w = extra.combine_first(w)
    return w


def _topsis(
    Z: np.ndarray,
    w: np.ndarray,
    years: np.ndarray,
    *,
    normalisation: str,
    ideal: str,
    node: str,
) -> np.ndarray:
    """TOPSIS closeness of each row over the columns of ``Z`` (NaN = missing, skipped)."""
    present = ~np.isnan(Z)
    with np.errstate(all="ignore"):
        if normalisation == "vector":
            norm = np.sqrt(np.nansum(Z**2, axis=0))
            R = Z / norm
        elif normalisation == "minmax":
            mn, mx = np.nanmin(Z, axis=0), np.nanmax(Z, axis=0)
            R = (Z - mn) / (mx - mn)
        else:
            R = Z
    bad = present & ~np.isfinite(R)
    if bad.any():
        raise MethodError(
            f"TOPSIS for '{node}': an input column is all zeros or constant, so its "
            f"{normalisation} normalisation is undefined. What to do: drop the indicator or use "
            "another normalisation (aggregate.topsis.normalisation)."
        )
    V = R * (w / w.sum())
    blocks = (
        [np.arange(len(V))]
        if ideal == "pooled"
        else [np.flatnonzero(years == y) for y in np.unique(years)]
    )
    dplus = np.empty(len(V))
    dminus = np.empty(len(V))
    for ix in blocks:
        Vb = V[ix]
        vp, vm = np.nanmax(Vb, axis=0), np.nanmin(Vb, axis=0)
        dplus[ix] = np.sqrt(np.nansum((Vb - vp) ** 2, axis=1))
        dminus[ix] = np.sqrt(np.nansum((Vb - vm) ** 2, axis=1))
    tot = dplus + dminus
    none_present = ~present.any(axis=1)
    if ((tot == 0) & ~none_present).any():
        raise MethodError(
            f"TOPSIS for '{node}': the ideal and anti-ideal points coincide (every input is "
            "constant), so closeness is undefined. What to do: check the inputs of this node."
        )
    with np.errstate(all="ignore"):
        c = dminus / tot
    c[none_present] = np.nan
    return c


def aggregate(
    z: pd.DataFrame,
    framework: Framework,
    weights: pd.Series | Mapping[str, float] | pd.DataFrame | None = None,
    method: str | Mapping[object, str] = "arithmetic",
    min_share_present: float = 0.0,
    *,
    topsis_normalisation: str = "vector",
    topsis_ideal: str = "pooled",
    topsis_input: str = "indicators",
    allow_negative_weights: bool = False,
) -> pd.DataFrame:
    """Aggregate normalised indicators up the tree.

    Parameters
    ----------
    z
        Normalised panel; must hold every indicator of ``framework``.
    framework
        The tree (use :meth:`Framework.subset` after dropping indicators).
    weights
        Weights relative within parent for some or all non-root nodes (missing ones are
        taken from ``framework.weight``). A DataFrame indexed by year (one row of node weights
        per year, e.g. per-year entropy weights) aggregates each year with its own weights.
    method
        One method for all levels, or a mapping level (2 = dimensions, ..., top = index) or
        node id -> method; levels not named use ``arithmetic``.
    min_share_present
        Minimum share (by count) of a node's children that must be present; below it the
        aggregate is missing (NaN). With 0 an aggregate is missing only when all its children
        are missing.
    topsis_normalisation
        ``vector`` (:math:`z/\\sqrt{\\sum z^2}`), ``minmax`` or ``none``.
    topsis_ideal
        ``pooled``: ideal points over all unit-years (closeness comparable across years) or
        ``year``.
    topsis_input
        ``indicators``: a TOPSIS node is computed from all indicators under it, with their
        effective weights within the node (the usual one-level entropy-TOPSIS);
        ``children``: from its direct children.
    allow_negative_weights
        Negative weights (e.g. raw PCA loadings, COINr behaviour) raise an error unless True.

    Returns
    -------
    pandas.DataFrame
        Same index as ``z``; columns = indicators, then aggregates level by level, root last.

    Raises
    ------
    MethodError
        Geometric or harmonic mean over a value <= 0 (the message names the node, the child
        and a unit-year, and suggests min-max to [1, 100]); degenerate TOPSIS input;
        negative weights.

    Examples
    --------
    >>> import pandas as pd
    >>> from greenindex.index.framework import Framework
    >>> fw = Framework(parent={"a": "D", "b": "D", "D": "index"}, weight={"a": 1, "b": 3, "D": 1},
    ...                direction={"a": 1, "b": 1}, indicators=("a", "b"))
    >>> idx = pd.MultiIndex.from_tuples([("u", 2020)], names=["unit", "year"])
    >>> round(aggregate(pd.DataFrame({"a": [0.2], "b": [0.6]}, index=idx), fw)["index"].item(), 12)
    0.5
    """
    if isinstance(weights, pd.DataFrame):
        years = z.index.get_level_values("year")
        parts = []
        for y in pd.unique(years):
            if y not in weights.index:
                raise ConfigError("weights", f"per-year weights have no row for year {y}")
            parts.append(
                aggregate(
                    z[years == y],
                    framework,
                    weights.loc[y],
                    method,
                    min_share_present,
                    topsis_normalisation=topsis_normalisation,
                    topsis_ideal=topsis_ideal,
                    topsis_input=topsis_input,
                    allow_negative_weights=allow_negative_weights,
                )
            )
        return pd.concat(parts).reindex(z.index)
    if not 0.0 <= min_share_present <= 1.0:
        raise ConfigError(
            "aggregate.min_share_present", f"{min_share_present} is not a share in [0, 1]"
        )
    if topsis_normalisation not in TOPSIS_NORMALISATIONS:
        raise ConfigError(
            "aggregate.topsis.normalisation",
            f"unknown '{topsis_normalisation}'",
            f"use one of {TOPSIS_NORMALISATIONS}.",
        )
    if topsis_ideal not in ("pooled", "year"):
        raise ConfigError(
            "aggregate.topsis.ideal", f"unknown '{topsis_ideal}'", "use 'pooled' or 'year'."
        )
    if topsis_input not in ("indicators", "children"):
        raise ConfigError(
            "aggregate.topsis.input", f"unknown '{topsis_input}'", "use 'indicators' or 'children'."
        )
    inds = list(framework.indicators)
    missing = [i for i in inds if i not in z.columns]
    if missing:
        raise MethodError(
            f"the normalised data lack indicators {missing[:10]} of the framework. What to do: "
            "restrict the framework with framework.subset(data.columns)."
        )
    w = _weights_series(framework, weights)
    levels = framework.levels
    nodes_all = [n for lev in levels for n in lev]
    nonroot = [n for n in nodes_all if n != framework.root]
    wn = w.reindex(nonroot)
    if wn.isna().any():
        raise ConfigError("weights", f"no weight for nodes {list(wn.index[wn.isna()])[:10]}")
    if (wn < 0).any() and not allow_negative_weights:
        raise MethodError(
            f"negative weights for {list(wn.index[wn < 0])[:10]}. What to do: use a weighting "
            "option that gives non-negative weights (e.g. weights.pca.negative_weights: clip), "
            "or pass allow_negative_weights=True to reproduce COINr."
        )
    col = {n: k for k, n in enumerate(nodes_all)}
    n_rows = len(z)
    vals = np.full((n_rows, len(nodes_all)), np.nan)
    vals[:, : len(inds)] = z[inds].to_numpy(dtype=float)
    years = z.index.get_level_values("year").to_numpy()
    children: dict[str, list[str]] = {}
    for c in nonroot:
        children.setdefault(framework.parent[c], []).append(c)
    eff = None

    for lv, lev in enumerate(levels[1:], start=2):
        by_method: dict[str, list[str]] = {}
        for p in lev:
            by_method.setdefault(_method_of(p, lv, method), []).append(p)
        for m, parents in by_method.items():
            if m == "topsis":
                if eff is None:
                    eff = framework.effective_weights(w.to_dict())
                for p in parents:
                    ins = (
                        framework.indicators_under(p)
                        if topsis_input == "indicators"
                        else children[p]
                    )
                    wi = (
                        (eff.reindex(ins) / eff[p]).to_numpy()
                        if topsis_input == "indicators"
                        else wn.reindex(ins).to_numpy()
                    )
                    X = vals[:, [col[c] for c in ins]]
                    vals[:, col[p]] = _topsis(
                        X, wi, years, normalisation=topsis_normalisation, ideal=topsis_ideal, node=p
                    )
                    _min_share(vals, X, col[p], min_share_present)
                continue
            kids = [c for p in parents for c in children[p]]
            X = vals[:, [col[c] for c in kids]]
            W = np.zeros((len(kids), len(parents)))
            B = np.zeros((len(kids), len(parents)))
            k = 0
            for q, p in enumerate(parents):
                for c in children[p]:
                    W[k, q] = wn[c]
                    B[k, q] = 1.0
                    k += 1
            present = ~np.isnan(X)
            if m in ("geometric", "harmonic"):
                bad = present & ~(X > 0)
                if bad.any():
                    r, c = np.argwhere(bad)[0]
                    unit, year = z.index[r]
                    raise MethodError(
                        f"{m} mean of '{framework.parent[kids[c]]}' needs values > 0, but "
                        f"'{kids[c]}' is {X[r, c]:g} for {unit} {year} ({int(bad.sum())} values <= 0 in "
                        "all). What to do: normalise with min-max to the range [1, 100] "
                        "(normalise.range: [1, 100]) or use the arithmetic mean."
                    )
            Pm = present.astype(float)
            den = Pm @ W
            with np.errstate(all="ignore"):
                if m == "arithmetic":
                    out = np.where(present, X, 0.0) @ W / den
                elif m == "geometric":
                    out = np.exp(
                        np.where(present, np.log(np.where(present, X, 1.0)), 0.0) @ W / den
                    )
                else:
                    out = den / (np.where(present, 1.0 / np.where(present, X, 1.0), 0.0) @ W)
            out[den == 0] = np.nan
            if min_share_present > 0:
                share = (Pm @ B) / B.sum(axis=0)
                out[share < min_share_present] = np.nan
            vals[:, [col[p] for p in parents]] = out
    return pd.DataFrame(vals, index=z.index, columns=nodes_all)


def _min_share(vals: np.ndarray, X: np.ndarray, j: int, min_share_present: float) -> None:
    if min_share_present > 0:
        share = (~np.isnan(X)).mean(axis=1)
        vals[share < min_share_present, j] = np.nan


def ranks(scores: pd.DataFrame | pd.Series, *, by_year: bool = True) -> pd.DataFrame | pd.Series:
    """Ranks of the scores: highest score = rank 1, ties take the minimum rank (COINr).

    With ``by_year`` units are ranked within each year; missing scores get no rank.
    """
    if by_year and isinstance(scores.index, pd.MultiIndex) and "year" in scores.index.names:
        r = scores.groupby(level="year").rank(ascending=False, method="min")
    else:
        r = scores.rank(ascending=False, method="min")
    return r
