"""The estimators of the statistical audit: Pearson correlation, Cronbach's alpha, the first
principal component's share of variance and the correlation ratio.

Estimation of :math:`E[y \\mid x_j]`: :func:`correlation_ratio` groups the observations into
``bins`` groups of (nearly) equal size by the rank of :math:`x_j`, ties kept in one group,
and takes :math:`\\eta^2 = \\sum_b n_b (\\bar y_b - \\bar y)^2 / \\sum_i (y_i - \\bar y)^2`
(Pearson's correlation ratio of ``y`` on the binned ``x``). Paruolo et al. smooth with
non-parametric regression instead; bins are transparent and exact to check by hand. With
``B`` bins and ``n`` observations the estimate is biased upwards by about
:math:`(B - 1)(1 - \\eta^2)/(n - 1)` when ``x`` explains nothing; ``r2`` (the squared Pearson
correlation, the linear part of the main effect) is reported beside it.

References
----------
Cronbach L.J. (1951), Coefficient alpha and the internal structure of tests, Psychometrika
16(3):297-334.
Paruolo P., Saisana M., Saltelli A. (2013), Ratings and rankings: voodoo or science?,
J. R. Stat. Soc. A 176(3):609-634.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError


def _complete_pairs(
    x: pd.Series | np.ndarray, y: pd.Series | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` as float arrays, restricted to the pairs where neither is missing."""
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b))
    return a[ok], b[ok]


def pearson(x: pd.Series | np.ndarray, y: pd.Series | np.ndarray) -> float:
    """Pearson correlation over the pairwise complete observations (NaN if fewer than two, or
    if either variable is constant there)."""
    a, b = _complete_pairs(x, y)
    if a.size < 2:
        return float("nan")
    da, db = a - a.mean(), b - b.mean()
    den = np.sqrt((da * da).sum() * (db * db).sum())
    return float((da * db).sum() / den) if den > 0 else float("nan")


def cronbach_alpha(data: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``data``.

    .. math:: \\alpha = \\frac{k^2 \\, \\mathrm{mean}_{j \\ne l} S_{jl}}{\\sum_{j,l} S_{jl}}

    with :math:`S` the sample covariance matrix (``n - 1``) over pairwise complete
    observations and ``k`` the number of columns (COINr's ``get_cronbach``). NaN for fewer
    than two columns.
    """
    k = data.shape[1]
    if k < 2:
        return float("nan")
    s = data.astype(float).cov(min_periods=2).to_numpy()
    off = s[~np.eye(k, dtype=bool)]
    total = float(np.nansum(s))
    return float(k * k * np.nanmean(off) / total) if total != 0 else float("nan")


def pc1_share(data: pd.DataFrame) -> tuple[float, int]:
    """Share of variance of the first principal component of the standardised columns, over
    the rows without a missing value, and the number of those rows."""
    x = data.dropna().to_numpy(dtype=float)
    n, k = x.shape
    if k < 2 or n < 3:
        return float("nan"), n
    sd = x.std(axis=0, ddof=1)
    if not (sd > 0).all():
        return float("nan"), n
    eig = np.linalg.eigvalsh(np.corrcoef(x, rowvar=False))
    return float(eig.max() / eig.sum()), n


def correlation_ratio(
    x: pd.Series | np.ndarray, y: pd.Series | np.ndarray, bins: int = 10
) -> float:
    """Squared correlation ratio :math:`\\eta^2` of ``y`` on ``x`` binned by rank.

    The complete pairs are sorted by ``x``; observation ``i`` (0-based position of the first
    of its ties) goes to bin :math:`\\lfloor B i / n \\rfloor`, so bins are of nearly equal
    size and tied ``x`` stay together. Then

    .. math:: \\eta^2 = \\frac{\\sum_b n_b (\\bar y_b - \\bar y)^2}{\\sum_i (y_i - \\bar y)^2}

    which is :math:`V(E[y \\mid x]) / V(y)` with :math:`E[y \\mid x]` estimated by the bin
    means (first-order sensitivity; Paruolo, Saisana & Saltelli 2013). NaN if ``y`` is
    constant or fewer than two pairs remain.
    """
    if bins < 1:
        raise ConfigError("audit.importance_bins", f"{bins} bins", "use at least 1 bin")
    a, b = _complete_pairs(x, y)
    n = a.size
    if n < 2:
        return float("nan")
    first = pd.Series(a).rank(method="min").to_numpy() - 1  # position of the first tie
    group = np.floor(min(bins, n) * first / n).astype(int)
    tss = float(((b - b.mean()) ** 2).sum())
    if tss <= 0:
        return float("nan")
    means = pd.Series(b).groupby(group).agg(["mean", "size"])
    return float((means["size"] * (means["mean"] - b.mean()) ** 2).sum() / tss)
