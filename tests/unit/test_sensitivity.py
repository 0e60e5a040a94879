"""Sobol indices from a Saltelli design, checked against analytic values."""

from __future__ import annotations

import numpy as np
import pytest

from greenindex.analysis.sensitivity import SaltelliDesign, sobol_indices
from greenindex.errors import MethodError


def ishigami(u: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -np.pi + 2 * np.pi * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_matches_analytic_indices():
    # Ishigami & Homma (1990), a = 7, b = 0.1: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,
    # V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50).
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    s1 = np.array([v1, v2, 0.0]) / v
    st = np.array([v1 + v13, v2, v13]) / v
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=1e-4)  # the published values
    d = SaltelliDesign(n_base=8192, groups=(1, 1, 1), seed=11)
    res = sobol_indices(ishigami(d.matrix()), d, names=["x1", "x2", "x3"], bootstrap=200)
    np.testing.assert_allclose(res["S1"], s1, atol=0.04)
    np.testing.assert_allclose(res["ST"], st, atol=0.03)
    assert (res["S1_low"] <= res["S1"]).all() and (res["S1"] <= res["S1_high"]).all()
    assert (res["ST_low"] <= res["ST"]).all() and (res["ST"] <= res["ST_high"]).all()
    # the analytic total effects lie inside the 95 % bootstrap intervals
    assert ((res["ST_low"] - 0.01 <= st) & (st <= res["ST_high"] + 0.01)).all()


def test_additive_model_with_a_group_factor():
    # Y = X1 + 2 X2 + 3 X3 with X2, X3 one group: S = (1, 4 + 9) / 14, no interactions.
    d = SaltelliDesign(n_base=4096, groups=(1, 2), seed=5)
    u = d.matrix()
    y = u[:, 0] + 2 * u[:, 1] + 3 * u[:, 2]
    res = sobol_indices(y, d, bootstrap=0)
    np.testing.assert_allclose(res["S1"], [1 / 14, 13 / 14], atol=0.03)
    np.testing.assert_allclose(res["ST"], [1 / 14, 13 / 14], atol=0.03)
    assert res["S1_low"].isna().all()


def test_design_layout_and_row_independence():
    d = SaltelliDesign(n_base=16, groups=(1, 2, 1), seed=3)
    m = d.matrix()
    assert m.shape == (16 * 5, 4)
    A, B = m[:16], m[16:32]
    for i in range(3):
        ab = m[(2 + i) * 16 : (3 + i) * 16]
        cols = d.columns_of(i)
        np.testing.assert_array_equal(ab[:, cols], B[:, cols])
        other = np.setdiff1d(np.arange(4), np.arange(4)[cols])
        np.testing.assert_array_equal(ab[:, other], A[:, other])
    rows = np.array([70, 3, 41, 17])
    np.testing.assert_array_equal(d.rows(rows), m[rows])  # any subset, any order: same rows
    assert not np.array_equal(SaltelliDesign(16, (1, 2, 1), 4).matrix(), m)


def test_constant_output_and_missing_values_are_errors():
    d = SaltelliDesign(n_base=8, groups=(1, 1), seed=1)
    with pytest.raises(MethodError, match="does not vary"):
        sobol_indices(np.ones(d.n_rows), d)
    y = np.arange(d.n_rows, dtype=float)
    y[3] = np.nan
    with pytest.raises(MethodError, match="missing"):
        sobol_indices(y, d)
