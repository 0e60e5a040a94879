"""Variance-based (Sobol) sensitivity indices from a Saltelli design.

For a model output :math:`Y = f(X_1, \\dots, X_k)` with independent factors, the first-order
index :math:`S_i = V[E(Y|X_i)] / V(Y)` is the share of the output variance due to factor
:math:`X_i` alone, and the total index :math:`S_{Ti} = E[V(Y|X_{\\sim i})] / V(Y)` the share
due to :math:`X_i` including all its interactions. A factor may be a *group* of input columns
(e.g. all perturbed weights together); the indices are then those of the group.

Design (Saltelli 2010): two independent ``N x D`` matrices of uniform draws ``A`` and ``B``,
and for each factor ``i`` the matrix :math:`A_B^{(i)}`, equal to ``A`` except that the columns
of factor ``i`` come from ``B``. The model is run on the ``N (k + 2)`` rows. Estimators
(Saltelli et al. 2010, table 2, formulas (b) and (f)):

.. math::

    V_i = \\frac1N \\sum_j f(B)_j \\,[f(A_B^{(i)})_j - f(A)_j], \\qquad
    E_{Ti} = \\frac1{2N} \\sum_j [f(A)_j - f(A_B^{(i)})_j]^2 \\ \\text{(Jansen 1999)},

:math:`S_i = V_i / V(Y)`, :math:`S_{Ti} = E_{Ti} / V(Y)`, with :math:`V(Y)` the variance of
the ``2N`` outputs of ``A`` and ``B``. Confidence intervals: percentile bootstrap over the
``N`` base rows (Archer, Saltelli and Sobol 1997).

Every row of the design is generated from its own seed ``(seed, stream, base index)``, so a
design can be computed in any number of chunks and gives the same rows.

References
----------
Saltelli A. et al. (2010), Variance based sensitivity analysis of model output. Design and
estimator for the total sensitivity index, Computer Physics Communications 181(2), 259-270.
Jansen M.J.W. (1999), Analysis of variance designs for model output, Computer Physics
Communications 117, 35-43.
Archer G.E.B., Saltelli A., Sobol I.M. (1997), Sensitivity measures, ANOVA-like techniques and
the use of bootstrap, J. Statistical Computation and Simulation 58, 99-120.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, MethodError

#: Seed stream of the Saltelli base rows (the plain Monte Carlo uses another stream).
SALTELLI_STREAM = 1
#: Seed stream of the bootstrap resampling.
BOOTSTRAP_STREAM = 2


@dataclass(frozen=True)
class SaltelliDesign:
    """Layout of a Saltelli design over ``k`` factors (groups of uniform columns).

    Rows are ordered block by block: block 0 is ``A`` (``n_base`` rows), block 1 is ``B``,
    block ``2 + i`` is :math:`A_B^{(i)}`. Row ``block * n_base + j`` belongs to base row ``j``.

    Attributes
    ----------
    n_base
        Number of base rows ``N``.
    groups
        Number of uniform columns of each factor, in factor order.
    seed
        Seed of the design.
    """

    n_base: int
    groups: tuple[int, ...]
    seed: int

    def __post_init__(self) -> None:
        if self.n_base < 2:
            raise ConfigError("uncertainty.sobol.n_base", f"must be at least 2, got {self.n_base}")
        if not self.groups or any(g < 1 for g in self.groups):
            raise ConfigError(
                "uncertainty.choices", "a Sobol analysis needs at least one uncertain factor"
            )

    @property
    def n_factors(self) -> int:
        return len(self.groups)

    @property
    def n_columns(self) -> int:
        return int(sum(self.groups))

    @property
    def n_rows(self) -> int:
        """Number of model runs, ``N (k + 2)``."""
        return self.n_base * (self.n_factors + 2)

    def columns_of(self, factor: int) -> slice:
        """Columns of the uniform matrix that belong to ``factor``."""
        start = int(sum(self.groups[:factor]))
        return slice(start, start + self.groups[factor])

    def rows(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """Uniform draws of the given design rows, shape ``(len(rows), n_columns)``.

        Row ``r`` depends only on ``(seed, r)``: base row ``j = r mod N`` draws ``A_j`` and
        ``B_j`` from ``numpy.random.default_rng([seed, SALTELLI_STREAM, j])``.
        """
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size and (rows.min() < 0 or rows.max() >= self.n_rows):
            raise ValueError(f"design rows must lie in [0, {self.n_rows})")
        out = np.empty((rows.size, self.n_columns))
        drawn: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # A_j, B_j: one generator per j
        for k, r in enumerate(rows):
            block, j = divmod(int(r), self.n_base)
            if j not in drawn:
                rng = np.random.default_rng([self.seed, SALTELLI_STREAM, j])
                drawn[j] = (rng.random(self.n_columns), rng.random(self.n_columns))
            a, b = drawn[j]
            if block == 0:
                out[k] = a
            elif block == 1:
                out[k] = b
            else:
                sl = self.columns_of(block - 2)
                out[k] = a
                out[k, sl] = b[sl]
        return out

    def matrix(self) -> np.ndarray:
        """All rows of the design, ``(n_rows, n_columns)``."""
        return self.rows(np.arange(self.n_rows))


def _estimate(ya: np.ndarray, yb: np.ndarray, yab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total indices; ``yab`` is ``(k, N)``. Bootstrap-friendly: the last
    axis is the base-row axis and leading axes broadcast."""
    both = np.concatenate([ya, yb], axis=-1)
    var = both.var(axis=-1, ddof=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.mean(yb[..., None, :] * (yab - ya[..., None, :]), axis=-1) / var[..., None]
        total = 0.5 * np.mean((ya[..., None, :] - yab) ** 2, axis=-1) / var[..., None]
    return first, total


def sobol_indices(
    y: np.ndarray,
    design: SaltelliDesign,
    *,
    names: Sequence[str] | None = None,
    bootstrap: int = 500,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """First-order (Saltelli 2010) and total (Jansen) Sobol indices with bootstrap intervals.

    Parameters
    ----------
    y
        Model output on every design row, in design order (length ``design.n_rows``).
    design
        The :class:`SaltelliDesign` the rows came from.
    names
        Factor names (default ``x1, x2, ...``).
    bootstrap
        Number of bootstrap resamples of the base rows (0: no intervals).
    confidence
        Coverage of the percentile interval.

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``factor, S1, S1_low, S1_high, ST, ST_low, ST_high``, plus the
        output variance ``var_y`` and ``n_base`` (the same on every row).

    Raises
    ------
    MethodError
        The output is constant over the design (zero variance: the indices are undefined), or
        contains missing values.

    Examples
    --------
    A linear model :math:`Y = X_1 + 2 X_2` with uniform inputs has :math:`S_1 = 1/5`,
    :math:`S_2 = 4/5` and no interactions:

    >>> d = SaltelliDesign(n_base=4096, groups=(1, 1), seed=1)
    >>> u = d.matrix()
    >>> res = sobol_indices(u[:, 0] + 2 * u[:, 1], d, bootstrap=0)
    >>> bool(abs(res["S1"][0] - 0.2) < 0.05 and abs(res["ST"][1] - 0.8) < 0.05)
    True
    """
    y = np.asarray(y, dtype=float)
    _check_output(y, design, confidence)
    n, k = design.n_base, design.n_factors
    ya, yb = y[:n], y[n : 2 * n]
    yab = y[2 * n :].reshape(k, n)
    if not np.var(np.concatenate([ya, yb])) > 0:
        raise MethodError(
            "the output does not vary over the Sobol design, so sensitivity indices are "
            "undefined. What to do: declare uncertain choices that change the ranking."
        )
    s1, st = _estimate(ya, yb, yab)
    out = pd.DataFrame(
        {
            "factor": list(names) if names is not None else [f"x{i + 1}" for i in range(k)],
            "S1": s1,
            "ST": st,
        }
    )
    for c, v in _bootstrap_intervals(ya, yb, yab, design, bootstrap, confidence).items():
        out[c] = v
    out["var_y"] = float(np.var(np.concatenate([ya, yb])))
    out["n_base"] = n
    return out[["factor", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "var_y", "n_base"]]


def _check_output(y: np.ndarray, design: SaltelliDesign, confidence: float) -> None:
    """Reject an output that is not one value per design row or has missing values, and a
    confidence outside (0, 1)."""
    if y.shape != (design.n_rows,):
        raise ValueError(f"y must have {design.n_rows} values (one per design row), got {y.shape}")
    if np.isnan(y).any():
        raise MethodError(
            f"the output is missing for {int(np.isnan(y).sum())} design rows; Sobol indices need "
            "a value for every row. What to do: check why these replications failed."
        )
    if not 0 < confidence < 1:
        raise ConfigError("uncertainty.sobol.confidence", f"must lie in (0, 1), got {confidence}")


def _bootstrap_intervals(
    ya: np.ndarray,
    yb: np.ndarray,
    yab: np.ndarray,
    design: SaltelliDesign,
    bootstrap: int,
    confidence: float,
) -> dict[str, np.ndarray | float]:
    """Percentile intervals ``S1_low, S1_high, ST_low, ST_high`` of the indices over
    ``bootstrap`` resamples of the base rows (drawn from ``[seed, BOOTSTRAP_STREAM]``, in
    blocks of a bounded size); NaN when ``bootstrap == 0``."""
    if bootstrap <= 0:
        return dict.fromkeys(("S1_low", "S1_high", "ST_low", "ST_high"), np.nan)
    n, k = design.n_base, design.n_factors
    alpha = (1.0 - confidence) / 2.0
    rng = np.random.default_rng([design.seed, BOOTSTRAP_STREAM])
    b1 = np.empty((bootstrap, k))
    bt = np.empty((bootstrap, k))
    step = max(1, 2_000_000 // max(1, n * (k + 2)))
    for start in range(0, bootstrap, step):
        stop = min(bootstrap, start + step)
        idx = rng.integers(0, n, size=(stop - start, n))
        b1[start:stop], bt[start:stop] = _estimate(ya[idx], yb[idx], yab[:, idx].transpose(1, 0, 2))
    return {
        "S1_low": np.nanquantile(b1, alpha, axis=0),
        "S1_high": np.nanquantile(b1, 1 - alpha, axis=0),
        "ST_low": np.nanquantile(bt, alpha, axis=0),
        "ST_high": np.nanquantile(bt, 1 - alpha, axis=0),
    }
