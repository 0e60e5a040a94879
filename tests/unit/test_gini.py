"""greenindex.analysis.gini against published values.

- PySAL ``inequality`` 1.1.2 (``inequality/tests/test_gini.py``): the Gini of Mexico's 1940 per
  capita state GDP (Rey and Sastré-Gutiérrez 2010; the data are vendored in
  tests/data/pysal_mexico with their origin) is 0.35372371173452849.
- Closed forms: equal values give 0; one unit holding everything gives 1 - 1/n (1 with the
  n/(n-1) correction).
- The total G of the Dagum decomposition (greenindex.analysis.disparity.dagum_gini) is the same
  coefficient, computed there pair by pair.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greenindex.analysis.disparity import dagum_gini
from greenindex.analysis.gini import gini
from greenindex.errors import MethodError

MEXICO = Path(__file__).resolve().parents[1] / "data" / "pysal_mexico" / "mexico_pcgdp1940.csv"


def test_pysal_published_value_mexico_1940():
    y = pd.read_csv(MEXICO)["pcgdp1940"].to_numpy()
    assert y.size == 32
    assert gini(y) == pytest.approx(0.35372371173452849, abs=1e-15)


def test_closed_forms():
    assert gini(np.full(7, 3.2)) == pytest.approx(0.0, abs=1e-15)
    for n in (2, 5, 31):
        y = np.zeros(n)
        y[0] = 4.0
        assert gini(y) == pytest.approx(1 - 1 / n, rel=1e-14)
        assert gini(y, sample=True) == pytest.approx(1.0, rel=1e-14)


def test_pairwise_definition_and_scale_invariance():
    rng = np.random.default_rng(3)
    y = rng.lognormal(size=200)
    direct = np.abs(y[:, None] - y[None, :]).sum() / (2 * y.size**2 * y.mean())
    assert gini(y) == pytest.approx(direct, rel=1e-12)
    assert gini(10 * y) == pytest.approx(gini(y), rel=1e-12)
    assert gini(y, sample=True) == pytest.approx(direct * 200 / 199, rel=1e-12)


def test_integer_weights_repeat_values():
    rng = np.random.default_rng(4)
    y = rng.uniform(1, 9, size=30)
    w = rng.integers(1, 6, size=30)
    assert gini(y, weights=w) == pytest.approx(gini(np.repeat(y, w)), rel=1e-12)
    assert gini(y, weights=np.ones(30)) == pytest.approx(gini(y), rel=1e-14)


def test_equals_total_of_dagum_decomposition():
    rng = np.random.default_rng(5)
    y = rng.uniform(20, 80, size=31)
    groups = np.array(list("ABCD") * 8)[:31]
    assert gini(y) == pytest.approx(dagum_gini(y, groups).G, rel=1e-12)


@pytest.mark.parametrize(
    ("y", "kw", "words"),
    [
        ([1.0, np.nan, 2.0], {}, "missing"),
        ([1.0, -1.0, 2.0], {}, "negative"),
        ([0.0, 0.0], {}, "mean is zero"),
        ([1.0, 2.0], {"weights": [1.0]}, "1 weights for 2 values"),
        ([1.0, 2.0], {"weights": [1.0, -1.0]}, "non-negative"),
        ([1.0, 2.0], {"weights": [1.0, 1.0], "sample": True}, "unweighted"),
        ([], {}, "no values"),
    ],
)
def test_errors(y, kw, words):
    with pytest.raises(MethodError, match=words):
        gini(y, **kw)


def test_docstring_examples():
    import doctest

    import greenindex.analysis.gini as mod

    res = doctest.testmod(mod)
    assert res.attempted >= 4 and res.failed == 0
