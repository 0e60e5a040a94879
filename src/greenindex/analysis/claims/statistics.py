"""The claim statistics on a region-grouped panel: the design, region means, gains, C1-C3,
between-region shares, bootstrap resampling."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from greenindex.analysis.disparity import dagum_gini_batch, theil_batch
from greenindex.analysis.regional import align_regions, as_wide
from greenindex.errors import InputError


@dataclass(frozen=True)
class _Design:
    """A variant's window panel with units grouped by region (codes sorted)."""

    y: NDArray[np.float64]  # (n, T), units ordered by region code
    codes: NDArray[np.intp]  # (n,)
    labels: list[str]  # region labels, index = code
    years: list[int]
    units: list[str]


def _design(
    scores: pd.Series | pd.DataFrame,
    regions: pd.Series,
    window: tuple[int, int],
    column: str,
    variant: str,
) -> _Design:
    wide = as_wide(scores, column)
    years = [y for y in wide.columns if window[0] <= y <= window[1]]
    expected = list(range(window[0], window[1] + 1))
    absent = sorted(set(expected) - set(years))
    if absent:
        raise InputError(
            f"variant '{variant}': the scores have no year(s) {', '.join(map(str, absent))} of "
            f"the window {window[0]}-{window[1]}",
            column=column,
            fix="set config 'window' to years the panel covers",
        )
    wide = wide[years]
    reg = align_regions(wide.index, regions)
    labels = sorted(reg.unique())
    code_of = {lab: i for i, lab in enumerate(labels)}
    codes = reg.map(code_of).to_numpy(dtype=np.intp)
    order = np.argsort(codes, kind="stable")
    return _Design(
        y=wide.to_numpy()[order],
        codes=codes[order],
        labels=labels,
        years=years,
        units=[str(u) for u in wide.index[order]],
    )


def _resample_index(codes: NDArray[np.intp], b: int, seed: int) -> NDArray[np.intp]:
    """(b, n) row positions: within-region resampling with replacement, codes kept in place."""
    rng = np.random.default_rng(seed)
    idx = np.empty((b, codes.size), dtype=np.intp)
    for k in np.unique(codes):
        members = np.flatnonzero(codes == k)
        idx[:, members] = members[rng.integers(0, members.size, size=(b, members.size))]
    return idx


def _region_means(y: NDArray[np.float64], codes: NDArray[np.intp], k: int) -> NDArray[np.float64]:
    """(R, n, T) -> (R, K, T)."""
    m = np.zeros((codes.size, k))
    m[np.arange(codes.size), codes] = 1.0
    m /= m.sum(axis=0)
    return np.einsum("rnt,nk->rkt", y, m)


def _gain(means: NDArray[np.float64], growth: str) -> NDArray[np.float64]:
    """Change of region means between the window's ends, (R, K, T) -> (R, K)."""
    change = means[..., -1] - means[..., 0]
    return change / means[..., 0] if growth == "relative" else change


def _c1(y: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    nat = y.mean(axis=1)
    value = nat[:, -1] - nat[:, 0]
    return value, value > 0


def _c2(
    means: NDArray[np.float64], e: int, c: int, w: int
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    margin = np.minimum(means[:, e] - means[:, c], means[:, c] - means[:, w]).min(axis=-1)
    return margin, margin > 0


def _c3(
    means: NDArray[np.float64], ne: int, growth: str
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    gain = _gain(means, growth)
    others = np.delete(gain, ne, axis=1)
    value = gain[:, ne] - others.min(axis=1)
    return value, value < 0


def _between_shares(
    y: NDArray[np.float64], codes: NDArray[np.intp], which: str
) -> NDArray[np.float64]:
    """Between-region share per replicate and year, (R, n, T) -> (R, T)."""
    r, n, t = y.shape
    flat = np.moveaxis(y, 1, 2).reshape(r * t, n)
    if which == "theil":
        out = theil_batch(flat, codes)
        total, part = out["T"], out["between"]
    else:
        out = dagum_gini_batch(flat, codes)
        total, part = out["G"], out["G_nb"]
    share = np.divide(part, total, out=np.zeros_like(total), where=total > 0)
    return share.reshape(r, t)
