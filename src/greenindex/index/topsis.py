"""TOPSIS closeness over the index tree (``aggregate.method: topsis``).

:math:`v_{ic} = w_c r_{ic}` with :math:`r` the min-max (default), vector-normalised
(:math:`x/\\sqrt{\\sum x^2}`) or unchanged input; the ideal and anti-ideal points are the column
maximum and minimum of :math:`v` over all unit-years (``ideal="pooled"``, closeness comparable
over time) or per year; closeness :math:`C_i = D^-_i / (D^+_i + D^-_i)` with Euclidean
distances :math:`D^\\pm`. Registered with the other aggregations in
:data:`greenindex.index.aggregate.METHODS`, with their signature.

References
----------
Hwang C.L., Yoon K. (1981), *Multiple Attribute Decision Making*, Springer.
Opricovic S., Tzeng G.-H. (2004), Compromise solution by MCDM methods, *EJOR* 156(2).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from greenindex.errors import MethodError
from greenindex.index.framework import Framework

#: How inputs enter TOPSIS (``aggregate.topsis.normalisation``).
TOPSIS_NORMALISATIONS = ("vector", "minmax", "none")


def topsis(
    x: np.ndarray,
    w: np.ndarray,
    *,
    years: np.ndarray,
    normalisation: str = "minmax",
    ideal: str = "pooled",
    node: str = "",
    **options: object,
) -> np.ndarray:
    """TOPSIS closeness :math:`C_i = D^-_i / (D^+_i + D^-_i)` of one parent (``q = 1``).

    :math:`v_{ic} = w_c r_{ic}` with :math:`r` the vector- (:math:`x/\\sqrt{\\sum x^2}`) or
    min-max normalised input (or ``x`` itself), ideal and anti-ideal points the column maximum
    and minimum of ``v`` over all rows (``ideal="pooled"``) or per year, Euclidean distances
    :math:`D^\\pm`; missing children are skipped.
    """
    out = np.empty(x.shape[:2] + (1,))
    for r in range(x.shape[0]):
        out[r, :, 0] = _topsis_one(
            x[r], w[r, :, 0], years, normalisation=normalisation, ideal=ideal, node=node
        )
    return out


def _topsis_one(
    Z: np.ndarray, w: np.ndarray, years: np.ndarray, *, normalisation: str, ideal: str, node: str
) -> np.ndarray:
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


def topsis_inputs(
    framework: Framework,
    p: str,
    weights: np.ndarray,
    nonroot: list[str],
    topsis_input: str,
    children: Mapping[str, list[str]],
) -> tuple[list[str], np.ndarray]:
    """Inputs of TOPSIS node ``p`` and their weights ``(R, k)``: all indicators under it with
    their effective weights within ``p``, or its direct children with their weights."""
    if topsis_input == "children":
        ins = list(children[p])
        return ins, weights[:, [nonroot.index(c) for c in ins]]
    ins = list(framework.indicators_under(p))
    out = np.empty((weights.shape[0], len(ins)))
    for r in range(weights.shape[0]):
        eff = framework.effective_weights(dict(zip(nonroot, weights[r].tolist(), strict=True)))
        out[r] = (eff.reindex(ins) / eff[p]).to_numpy()
    return ins, out
