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

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, MethodError
from greenindex.index.framework import Framework
from greenindex.index.topsis import TOPSIS_NORMALISATIONS, topsis, topsis_inputs


# ---------------------------------------------------------------------------------------------
# The methods, by config name. Shared signature: ``method(x, w, **options) -> scores`` with
# ``x`` the children's values ``(R, n, k)`` (NaN = missing), ``w`` the weight of child ``c`` in
# parent ``p`` ``(R, k, q)`` (0 where ``c`` is not a child of ``p``) and the scores
# ``(R, n, q)``; ``R`` is the number of replications (1 for a single run), ``n`` unit-years.
# ---------------------------------------------------------------------------------------------
def _quasi_mean(
    x: np.ndarray,
    w: np.ndarray,
    f: Callable[[np.ndarray], np.ndarray] | None,
    finish: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> np.ndarray:
    """``finish(sum_c w_c f(x_c), sum_c w_c)`` over the children present; NaN where none is.
    ``f=None`` is the identity (the arithmetic mean: one pass less over the data)."""
    present = ~np.isnan(x)
    den = present.astype(float) @ w
    with np.errstate(all="ignore"):
        fx = (
            np.where(present, x, 0.0)
            if f is None
            else np.where(present, f(np.where(present, x, 1.0)), 0.0)
        )
        out = finish(fx @ w, den)
    out[den == 0] = np.nan
    return out


def arithmetic(x: np.ndarray, w: np.ndarray, **options: object) -> np.ndarray:
    """Weighted arithmetic mean over the children present.

    .. math:: S_{ip} = \\sum_{c \\in P_i} w_{cp} x_{ic} / \\sum_{c \\in P_i} w_{cp}

    Examples
    --------
    >>> x = np.array([[[0.2, 0.6], [np.nan, 0.6]]])        # R = 1, two unit-years, two children
    >>> arithmetic(x, np.array([[[1.0], [3.0]]]))[0, :, 0]
    array([0.5, 0.6])
    """
    return _quasi_mean(x, w, None, lambda s, den: s / den)


def geometric(x: np.ndarray, w: np.ndarray, **options: object) -> np.ndarray:
    """Weighted geometric mean over the children present (needs :math:`x > 0`).

    .. math:: S_{ip} = \\exp\\left(\\sum_{c \\in P_i} w_{cp} \\ln x_{ic} / \\sum_{c \\in P_i} w_{cp}\\right)

    Examples
    --------
    >>> float(geometric(np.array([[[1.0, 4.0]]]), np.array([[[1.0], [1.0]]]))[0, 0, 0])
    2.0
    """
    return _quasi_mean(x, w, np.log, lambda s, den: np.exp(s / den))


def harmonic(x: np.ndarray, w: np.ndarray, **options: object) -> np.ndarray:
    """Weighted harmonic mean over the children present (needs :math:`x > 0`).

    .. math:: S_{ip} = \\sum_{c \\in P_i} w_{cp} / \\sum_{c \\in P_i} (w_{cp} / x_{ic})

    Examples
    --------
    >>> float(harmonic(np.array([[[1.0, 4.0]]]), np.array([[[1.0], [1.0]]]))[0, 0, 0])
    1.6
    """
    return _quasi_mean(x, w, lambda v: 1.0 / v, lambda s, den: den / s)


#: Aggregation methods by config name (``aggregate.method``).
METHODS: dict[str, Callable[..., np.ndarray]] = {
    "arithmetic": arithmetic,
    "geometric": geometric,
    "harmonic": harmonic,
    "topsis": topsis,
}


def _method_of(node: str, level: int, method: str | Mapping[object, str]) -> str:
    if isinstance(method, str):
        m = method
    else:
        m = method.get(node, method.get(level, method.get(str(level), "arithmetic")))  # type: ignore[call-overload]
    if m not in METHODS:
        raise ConfigError(
            "aggregate.method",
            f"unknown method '{m}' (node '{node}')",
            f"use one of {tuple(METHODS)}.",
        )
    return m


def _check_options(min_share_present: float, normalisation: str, ideal: str, inp: str) -> None:
    if not 0.0 <= min_share_present <= 1.0:
        raise ConfigError(
            "aggregate.min_share_present", f"{min_share_present} is not a share in [0, 1]"
        )
    if normalisation not in TOPSIS_NORMALISATIONS:
        raise ConfigError(
            "aggregate.topsis.normalisation",
            f"unknown '{normalisation}'",
            f"use one of {TOPSIS_NORMALISATIONS}.",
        )
    if ideal not in ("pooled", "year"):
        raise ConfigError("aggregate.topsis.ideal", f"unknown '{ideal}'", "use 'pooled' or 'year'.")
    if inp not in ("indicators", "children"):
        raise ConfigError(
            "aggregate.topsis.input", f"unknown '{inp}'", "use 'indicators' or 'children'."
        )


def aggregate(
    z: pd.DataFrame,
    framework: Framework,
    weights: pd.Series | Mapping[str, float] | pd.DataFrame | None = None,
    method: str | Mapping[object, str] = "arithmetic",
    min_share_present: float = 0.0,
    *,
    topsis_normalisation: str = "minmax",
    topsis_ideal: str = "pooled",
    topsis_input: str = "indicators",
    allow_negative_weights: bool = False,
) -> pd.DataFrame:
    """Aggregate normalised indicators up the tree (the batch of one of :func:`aggregate_batch`).

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
    opts = {
        "min_share_present": min_share_present,
        "topsis_normalisation": topsis_normalisation,
        "topsis_ideal": topsis_ideal,
        "topsis_input": topsis_input,
    }
    if isinstance(weights, pd.DataFrame):
        return _aggregate_by_year(z, framework, weights, method, allow_negative_weights, opts)
    return _aggregate_one(z, framework, weights, method, allow_negative_weights, opts)


def _aggregate_one(
    z: pd.DataFrame,
    framework: Framework,
    weights: pd.Series | Mapping[str, float] | None,
    method: str | Mapping[object, str],
    allow_negative_weights: bool,
    opts: Mapping[str, object],
) -> pd.DataFrame:
    """:func:`aggregate` with one set of weights: :func:`aggregate_batch` of one replication."""
    inds = list(framework.indicators)
    missing = [i for i in inds if i not in z.columns]
    if missing:
        raise MethodError(
            f"the normalised data lack indicators {missing[:10]} of the framework. What to do: "
            "restrict the framework with framework.subset(data.columns)."
        )
    wn = _nonroot_weights(framework, weights, allow_negative_weights)
    vals = aggregate_batch(
        z[inds].to_numpy(dtype=float),
        framework,
        wn.to_numpy(dtype=float)[None, :],
        method,
        years=z.index.get_level_values("year").to_numpy(),
        rows=z.index,
        all_nodes=True,
        **opts,  # type: ignore[arg-type]
    )[0]
    return pd.DataFrame(vals, index=z.index, columns=framework.nodes)


def _aggregate_by_year(
    z: pd.DataFrame,
    framework: Framework,
    weights: pd.DataFrame,
    method: str | Mapping[object, str],
    allow_negative_weights: bool,
    opts: Mapping[str, object],
) -> pd.DataFrame:
    """:func:`aggregate` of each year's rows with that year's row of ``weights``."""
    years = z.index.get_level_values("year")
    parts = []
    for y in pd.unique(years):
        if y not in weights.index:
            raise ConfigError("weights", f"per-year weights have no row for year {y}")
        parts.append(
            _aggregate_one(
                z[years == y], framework, weights.loc[y], method, allow_negative_weights, opts
            )
        )
    return pd.concat(parts).reindex(z.index)


def _nonroot_weights(
    framework: Framework,
    weights: pd.Series | Mapping[str, float] | None,
    allow_negative_weights: bool,
) -> pd.Series:
    """The weight of every non-root node (given, else the framework's), in node order."""
    w = pd.Series(dict(framework.weight), dtype=float)
    if weights is not None:
        w = pd.Series(weights, dtype=float).combine_first(w)
    nonroot = [n for n in framework.nodes if n != framework.root]
    wn = w.reindex(nonroot)
    if wn.isna().any():
        raise ConfigError("weights", f"no weight for nodes {list(wn.index[wn.isna()])[:10]}")
    if (wn < 0).any() and not allow_negative_weights:
        raise MethodError(
            f"negative weights for {list(wn.index[wn < 0])[:10]}. What to do: use a weighting "
            "option that gives non-negative weights (e.g. weights.pca.negative_weights: clip), "
            "or pass allow_negative_weights=True to reproduce COINr."
        )
    return wn


def aggregate_batch(
    z: np.ndarray,
    framework: Framework,
    weights: np.ndarray,
    method: str | Mapping[object, str] = "arithmetic",
    present: np.ndarray | None = None,
    *,
    min_share_present: float = 0.0,
    years: np.ndarray | None = None,
    topsis_normalisation: str = "minmax",
    topsis_ideal: str = "pooled",
    topsis_input: str = "indicators",
    rows: pd.Index | None = None,
    all_nodes: bool = False,
) -> np.ndarray:
    """Aggregate one normalised data matrix up the tree for ``R`` weight vectors at once.

    Level by level, the children's values ``(R, n, k)`` and their weights in the parents
    ``(R, k, q)`` go to the level's method (:data:`METHODS`); each replication's product is
    the same matrix product a single run computes, so replication ``r`` of a batch equals the
    single run (:func:`aggregate`) with its weights, bit for bit.

    Parameters
    ----------
    z
        Normalised indicators, ``(n, m)`` in ``framework.indicators`` order; NaN = missing.
    framework
        The tree.
    weights
        ``(R, n_nonroot)`` weights relative within parent, columns in the order of the
        non-root nodes of ``framework.nodes``.
    method
        One method for all levels or a mapping level (or node id) -> method.
    present
        ``(R, m)`` boolean: indicator used in replication ``r`` (``False`` = left out).
    min_share_present
        Minimum share of a node's children present; below it the aggregate is missing.
    years
        Year of each row (TOPSIS with per-year ideal points).
    topsis_normalisation, topsis_ideal, topsis_input
        As in :func:`aggregate`.
    rows
        Index of the rows (unit, year), to name a unit-year in error messages.
    all_nodes
        Return every node ``(R, n, n_nodes)`` in ``framework.nodes`` order instead of the root
        ``(R, n)``.
    """
    _check_options(min_share_present, topsis_normalisation, topsis_ideal, topsis_input)
    tree = _Tree.of(framework)
    m_ind = len(framework.indicators)
    R, n = weights.shape[0], z.shape[0]
    if weights.shape != (R, len(tree.nonroot)):
        raise ValueError(f"weights must be (R, {len(tree.nonroot)}), got {weights.shape}")
    if z.shape[1] != m_ind:
        raise ValueError(f"z must have {m_ind} columns, got {z.shape[1]}")
    vals = np.full((R, n, len(tree.col)), np.nan)
    zz = np.broadcast_to(z, (R, n, m_ind))
    if present is not None:
        zz = np.where(present[:, None, :], zz, np.nan)
    vals[:, :, :m_ind] = zz
    yrs = np.zeros(n) if years is None else np.asarray(years)
    topsis_opts = (topsis_normalisation, topsis_ideal, topsis_input)
    _aggregate_levels(vals, weights, tree, method, min_share_present, yrs, topsis_opts, rows)
    return vals if all_nodes else vals[:, :, tree.col[framework.root]].copy()


def _aggregate_levels(
    vals: np.ndarray,
    weights: np.ndarray,
    tree: _Tree,
    method: str | Mapping[object, str],
    min_share_present: float,
    years: np.ndarray,
    topsis_opts: tuple[str, str, str],
    rows: pd.Index | None,
) -> None:
    """Fill the aggregate columns of ``vals`` ``(R, n, n_nodes)`` bottom-up, level by level:
    the parents of one method in one matrix product over all unit-years (TOPSIS node by
    node). ``topsis_opts``: the normalisation, ideal and input of :func:`aggregate`.

    One function for all levels, so that each level's arrays are freed only when the next
    level's are made (the allocation pattern of the Monte Carlo's hot loop).
    """
    normalisation, ideal, inp = topsis_opts
    col, children = tree.col, tree.children
    for lv, lev in enumerate(tree.framework.levels[1:], start=2):
        by_method: dict[str, list[str]] = {}
        for p in lev:
            by_method.setdefault(_method_of(p, lv, method), []).append(p)
        for m, parents in by_method.items():
            if m == "topsis":
                for p in parents:
                    ins, wi = topsis_inputs(tree.framework, p, weights, tree.nonroot, inp, children)
                    X = vals[:, :, [col[c] for c in ins]]
                    vals[:, :, col[p]] = topsis(
                        X,
                        wi[:, :, None],
                        years=years,
                        normalisation=normalisation,
                        ideal=ideal,
                        node=p,
                    )[:, :, 0]
                    _min_share(vals, X, col[p], min_share_present)
                continue
            kids = [c for p in parents for c in children[p]]
            X = vals[:, :, [col[c] for c in kids]]
            if m in ("geometric", "harmonic"):
                _check_positive(X, m, kids, tree.framework, rows)
            W = np.zeros((weights.shape[0], len(kids), len(parents)))
            B = np.zeros((len(kids), len(parents)))
            k = 0
            for q, p in enumerate(parents):
                for c in children[p]:
                    W[:, k, q] = weights[:, tree.wcol[c]]
                    B[k, q] = 1.0
                    k += 1
            out = METHODS[m](X, W)
            if min_share_present > 0:
                share = ((~np.isnan(X)).astype(float) @ B) / B.sum(axis=0)
                out[share < min_share_present] = np.nan
            vals[:, :, [col[p] for p in parents]] = out


@dataclass(frozen=True)
class _Tree:
    """Where a framework's nodes are in the arrays of :func:`aggregate_batch`."""

    framework: Framework
    #: The nodes but the root, in ``framework.nodes`` order (the columns of the weights).
    nonroot: list[str]
    #: Node -> its column of the values (``framework.nodes`` order).
    col: dict[str, int]
    #: Non-root node -> its column of the weights.
    wcol: dict[str, int]
    #: Aggregate -> its children, in ``framework.nodes`` order.
    children: dict[str, list[str]]

    @classmethod
    def of(cls, framework: Framework) -> _Tree:
        nodes = list(framework.nodes)
        nonroot = [n for n in nodes if n != framework.root]
        children: dict[str, list[str]] = {}
        for c in nonroot:
            children.setdefault(framework.parent[c], []).append(c)
        return cls(
            framework,
            nonroot,
            {c: k for k, c in enumerate(nodes)},
            {c: k for k, c in enumerate(nonroot)},
            children,
        )


def _check_positive(
    X: np.ndarray, m: str, kids: list[str], framework: Framework, rows: pd.Index | None
) -> None:
    bad = ~np.isnan(X) & ~(X > 0)
    if not bad.any():
        return
    r, i, c = np.argwhere(bad)[0]
    where = "" if rows is None else " for {} {}".format(*rows[i])
    raise MethodError(
        f"{m} mean of '{framework.parent[kids[c]]}' needs values > 0, but "
        f"'{kids[c]}' is {X[r, i, c]:g}{where} ({int(bad.sum())} values <= 0 in "
        "all). What to do: normalise with min-max to the range [1, 100] "
        "(normalise.range: [1, 100]) or a z-score with a positive mean, or use the "
        "arithmetic mean."
    )


def _min_share(vals: np.ndarray, X: np.ndarray, j: int, min_share_present: float) -> None:
    if min_share_present > 0:
        share = (~np.isnan(X)).mean(axis=-1)
        vals[..., j][share < min_share_present] = np.nan


def ranks(scores: pd.DataFrame | pd.Series, *, by_year: bool = True) -> pd.DataFrame | pd.Series:
    """Ranks of the scores: highest score = rank 1, ties take the minimum rank (COINr).

    With ``by_year`` units are ranked within each year; missing scores get no rank.
    """
    if by_year and isinstance(scores.index, pd.MultiIndex) and "year" in scores.index.names:
        r = scores.groupby(level="year").rank(ascending=False, method="min")
    else:
        r = scores.rank(ascending=False, method="min")
    return r
