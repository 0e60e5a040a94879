"""PCA weights (three conventions) with KMO, Bartlett's test and varimax rotation.

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1 (PCA/FA weights).
Kaiser H.F. (1974), An index of factorial simplicity, Psychometrika 39 (KMO);
Bartlett M.S. (1950), Tests of significance in factor analysis, Br. J. Stat. Psychol. 3.
Kaiser H.F. (1958), The varimax criterion for analytic rotation, Psychometrika 23.
Becker W. et al. (2022), COINr, JOSS 7(78): ``get_PCA``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, MethodError
from greenindex.index.weights.methods import _normalised

PCA_CONVENTIONS = ("variance_loadings", "jrc_varimax", "first_component")
NEGATIVE_WEIGHTS = ("error", "clip", "allow")


# ---------------------------------------------------------------------------------------------
# PCA
# ---------------------------------------------------------------------------------------------
@dataclass
class PCAResult:
    """Outcome of a PCA weighting.

    Attributes
    ----------
    weights
        Weights over the indicators (sum 1; may be negative only with
        ``negative_weights="allow"``).
    loadings
        Eigenvectors of the correlation matrix (indicator x component, unit length, each signed
        so that it sums to a positive number); for ``jrc_varimax`` the rotated factor loadings.
    eigenvalues
        All eigenvalues of the correlation matrix, descending.
    explained
        Share of variance of each component.
    n_components
        Number of components retained.
    kmo, kmo_per_variable
        Kaiser-Meyer-Olkin measure of sampling adequacy.
    bartlett_chi2, bartlett_df, bartlett_p
        Bartlett's test of sphericity.
    n_rows_used
        Rows without any missing value (the others are dropped, as in COINr).
    negative
        Indicators whose raw weight was negative (and what was done).
    """

    weights: pd.Series
    loadings: pd.DataFrame
    eigenvalues: pd.Series
    explained: pd.Series
    n_components: int
    kmo: float
    kmo_per_variable: pd.Series
    bartlett_chi2: float
    bartlett_df: int
    bartlett_p: float
    n_rows_used: int
    convention: str
    negative: list[str] = field(default_factory=list)


def _chi2_sf(x: float, df: int) -> float:
    # imported here: scipy.stats takes 0.4 s to import, paid by every workflow job otherwise
    from scipy import stats

    return float(stats.chi2.sf(x, df))


def kmo_bartlett(corr: np.ndarray, n: int) -> tuple[float, np.ndarray, float, int, float]:
    """KMO (overall, per variable) and Bartlett's test from a correlation matrix.

    .. math::
        KMO = \\frac{\\sum_{j \\ne k} r_{jk}^2}{\\sum_{j \\ne k} r_{jk}^2 + \\sum_{j \\ne k} a_{jk}^2},
        \\quad a_{jk} = -\\frac{R^{-1}_{jk}}{\\sqrt{R^{-1}_{jj} R^{-1}_{kk}}}

        \\chi^2 = -\\left(n - 1 - \\frac{2p + 5}{6}\\right)\\ln|R|, \\quad df = p(p-1)/2

    The pseudo-inverse is used when ``R`` is singular (then ``ln|R| = -inf`` and the test
    p-value is 0).
    """
    p = corr.shape[0]
    inv = np.linalg.pinv(corr)
    dg = np.sqrt(np.abs(np.diag(inv)))
    partial = -inv / np.outer(dg, dg)
    off = ~np.eye(p, dtype=bool)
    r2 = np.where(off, corr**2, 0.0)
    a2 = np.where(off, partial**2, 0.0)
    kmo = float(r2.sum() / (r2.sum() + a2.sum())) if p > 1 else float("nan")
    kmo_j = r2.sum(axis=1) / (r2.sum(axis=1) + a2.sum(axis=1)) if p > 1 else np.array([np.nan])
    sign, logdet = np.linalg.slogdet(corr)
    logdet = logdet if sign > 0 else -np.inf
    df = p * (p - 1) // 2
    chi2 = float(-(n - 1 - (2 * p + 5) / 6.0) * logdet)
    pval = (
        float(_chi2_sf(chi2, df))
        if df > 0 and np.isfinite(chi2)
        else (0.0 if df > 0 else float("nan"))
    )
    return kmo, kmo_j, chi2, df, pval


def varimax(loadings: np.ndarray, *, max_iter: int = 500, tol: float = 1e-10) -> np.ndarray:
    """Varimax rotation (Kaiser 1958) of a loading matrix (p x m), without Kaiser normalisation.

    Maximises :math:`\\sum_k [\\frac{1}{p}\\sum_j L_{jk}^4 - (\\frac{1}{p}\\sum_j L_{jk}^2)^2]` by
    the usual SVD iteration.
    """
    p, m = loadings.shape
    if m < 2:
        return loadings.copy()
    rot = np.eye(m)
    crit = 0.0
    for _ in range(max_iter):
        lam = loadings @ rot
        u, s, vt = np.linalg.svd(loadings.T @ (lam**3 - lam @ np.diag(np.sum(lam**2, axis=0)) / p))
        rot = u @ vt
        new = float(np.sum(s))
        if new < crit * (1 + tol):
            break
        crit = new
    return loadings @ rot


def _retain(eig: np.ndarray, retain: str | float) -> int:
    if isinstance(retain, str):
        if retain != "kaiser":
            raise ConfigError(
                "weights.pca.retain",
                f"unknown rule '{retain}'",
                "use 'kaiser', a share such as 0.85, or a number of components.",
            )
        return max(1, int(np.sum(eig > 1.0)))
    if isinstance(retain, float) and 0 < retain < 1:
        cum = np.cumsum(eig) / eig.sum()
        return int(np.searchsorted(cum, retain - 1e-12) + 1)
    k = int(retain)
    if not 1 <= k <= len(eig):
        raise ConfigError(
            "weights.pca.retain", f"{retain} components requested, {len(eig)} available"
        )
    return k


def _raw_weights(
    U: np.ndarray, eig: np.ndarray, k: int, convention: str, names: list[str], comps: list[str]
) -> tuple[np.ndarray, pd.DataFrame]:
    """Unnormalised weights and the loadings table of a ``convention``, from the eigenvectors
    ``U`` and eigenvalues ``eig`` (descending) with ``k`` retained components."""
    p = U.shape[0]
    if convention == "first_component":
        raw = U[:, 0]
        load = pd.DataFrame(U, index=names, columns=comps)
    elif convention == "variance_loadings":
        lam = eig[:k]
        raw = (U[:, :k] * lam).sum(axis=1) / lam.sum()
        load = pd.DataFrame(U, index=names, columns=comps)
    else:
        L = varimax(U[:, :k] * np.sqrt(eig[:k]))
        L = L * np.where(L.sum(axis=0) < 0, -1.0, 1.0)
        sq = L**2
        var_k = sq.sum(axis=0)
        scaled = sq / var_k
        best = np.argmax(scaled, axis=1)
        raw = scaled[np.arange(p), best] * (var_k[best] / var_k.sum())
        load = pd.DataFrame(L, index=names, columns=[f"F{j + 1}" for j in range(k)])
    return raw, load


def pca_analysis(
    data: pd.DataFrame,
    *,
    convention: str = "variance_loadings",
    retain: str | float = "kaiser",
    negative_weights: str = "error",
) -> PCAResult:
    """PCA of the columns of ``data`` behind the weights of :func:`pca` (rows with a missing
    value are dropped); returns the weights with the loadings, KMO and Bartlett's test.

    The data are standardised (correlation-matrix PCA, as ``prcomp(scale. = TRUE)``); with
    :math:`\\lambda_k, u_k` the eigenvalues and unit eigenvectors, each :math:`u_k` signed so
    that :math:`\\sum_j u_{jk} > 0`:

    - ``variance_loadings`` (default): keep ``retain`` components; loading
      :math:`l_{jk} = u_{jk}\\sqrt{\\lambda_k}`, coefficient :math:`a_{jk} = l_{jk}/\\sqrt{\\lambda_k}`,
      :math:`c_j = \\sum_k \\lambda_k a_{jk} / \\sum_k \\lambda_k`, :math:`w_j = c_j/\\sum c`.
    - ``jrc_varimax`` (OECD/JRC handbook): varimax-rotated loadings :math:`L` of the retained
      components; squared loadings scaled to sum 1 per factor; each indicator is assigned to
      the factor on which its scaled squared loading is largest and weighted by it times the
      factor's share of the rotated explained variance; :math:`w` normalised to sum 1.
    - ``first_component`` (COINr ``get_PCA``): :math:`w_j = u_{j1}` (the first eigenvector).

    ``negative_weights``: ``"error"`` (default) raises :class:`MethodError` when a weight is
    negative; ``"clip"`` sets negative weights to 0 and renormalises (with a warning);
    ``"allow"`` keeps them, which reproduces COINr and gives weights that are no longer a
    convex combination.
    """
    _check_pca_options(convention, negative_weights)
    names = [str(c) for c in data.columns]
    X = data.dropna().to_numpy(dtype=float)
    n, p = X.shape
    if p == 1:
        return _single_indicator(names, n, convention)
    R, eig, U = _eigen(X, names)
    kmo, kmo_j, chi2, df, pval = kmo_bartlett(R, n)
    comps = [f"PC{k + 1}" for k in range(p)]
    explained = eig / eig.sum()
    k = 1 if convention == "first_component" else _retain(eig, retain)
    raw, load = _raw_weights(U, eig, k, convention, names, comps)
    raw, neg = _negative(raw, names, convention, negative_weights)
    w = _normalised(raw, names, f"PCA ({convention})")
    return PCAResult(
        weights=w,
        loadings=load,
        eigenvalues=pd.Series(eig, index=comps),
        explained=pd.Series(explained, index=comps),
        n_components=k,
        kmo=kmo,
        kmo_per_variable=pd.Series(kmo_j, index=names),
        bartlett_chi2=chi2,
        bartlett_df=df,
        bartlett_p=pval,
        n_rows_used=n,
        convention=convention,
        negative=neg,
    )


def _check_pca_options(convention: str, negative_weights: str) -> None:
    if convention not in PCA_CONVENTIONS:
        raise ConfigError(
            "weights.pca.convention",
            f"unknown convention '{convention}'",
            f"use one of {PCA_CONVENTIONS}.",
        )
    if negative_weights not in NEGATIVE_WEIGHTS:
        raise ConfigError(
            "weights.pca.negative_weights",
            f"unknown value '{negative_weights}'",
            f"use one of {NEGATIVE_WEIGHTS}.",
        )


def _single_indicator(names: list[str], n: int, convention: str) -> PCAResult:
    """The result for one indicator: weight 1, no test statistics."""
    one = pd.Series([1.0], index=names)
    return PCAResult(
        one,
        pd.DataFrame([[1.0]], index=names, columns=["PC1"]),
        pd.Series([1.0]),
        pd.Series([1.0]),
        1,
        float("nan"),
        pd.Series([np.nan], index=names),
        float("nan"),
        0,
        float("nan"),
        n,
        convention,
    )


def _eigen(X: np.ndarray, names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The correlation matrix of the complete rows ``X``, its eigenvalues (descending) and
    unit eigenvectors, each signed so that it sums to a positive number."""
    n = X.shape[0]
    if n < 3:
        raise MethodError(f"PCA of {names[:10]} has {n} complete rows; it needs at least 3.")
    sd = X.std(axis=0, ddof=1)
    if not (sd > 0).all():
        raise MethodError(
            f"PCA: indicators {[names[j] for j in np.flatnonzero(~(sd > 0))]} are constant over the "
            "complete rows; they cannot be standardised. What to do: drop them."
        )
    R = np.corrcoef(X, rowvar=False)
    eig, U = np.linalg.eigh(R)
    order = np.argsort(eig)[::-1]
    eig, U = eig[order], U[:, order]
    U = U * np.where(U.sum(axis=0) < 0, -1.0, 1.0)
    return R, eig, U


def _negative(
    raw: np.ndarray, names: list[str], convention: str, negative_weights: str
) -> tuple[np.ndarray, list[str]]:
    """The raw weights after the ``negative_weights`` rule, and the indicators whose raw
    weight was negative."""
    neg = [names[j] for j in np.flatnonzero(raw < 0)]
    if neg:
        if negative_weights == "error":
            raise MethodError(
                f"PCA ({convention}) gives negative weights to {neg[:10]} (indicators that load "
                "against the component). What to do: check their directions, or set "
                "weights.pca.negative_weights to 'clip' (negative weights set to 0) or 'allow' "
                "(keep them, as COINr does)."
            )
        if negative_weights == "clip":
            # stacklevel 3: the warning names the line that called pca_analysis
            warnings.warn(f"PCA weights of {neg} were negative and are set to 0", stacklevel=3)
            raw = np.clip(raw, 0.0, None)
    return raw, neg


def pca(data: pd.DataFrame, **options: object) -> pd.Series:
    """PCA weights of the columns of ``data``; see :func:`pca_analysis` for the conventions
    and options."""
    return pca_analysis(data, **options).weights  # type: ignore[arg-type]
