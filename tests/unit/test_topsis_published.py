"""TOPSIS on the raw, direction-signed data with vector normalisation, reached through the config
(``normalise.method: signed`` + ``aggregate.method: topsis`` + ``aggregate.topsis.normalisation:
vector``), against published worked examples.

1. Hwang C.L. and Yoon K. (1981), *Multiple Attribute Decision Making: Methods and
   Applications*, Springer (doi:10.1007/978-3-642-48318-9), pp. 133-134: selection of a fighter
   aircraft, four aircraft A1..A4, six attributes (maximum speed in Mach, ferry range in nautical
   miles, maximum payload in pounds, acquisition cost in million dollars (the one cost attribute),
   reliability and manoeuvrability rated on a 1-10 scale), weights 0.2, 0.1, 0.1, 0.1, 0.2, 0.3.
   Published: distances to the ideal 0.0545, 0.1197, 0.0580, 0.1009; to the negative ideal
   0.0983, 0.0439, 0.0920, 0.0458; relative closeness 0.643, 0.268, 0.613, 0.312.
2. Tzeng G.H. and Huang J.J. (2011), *Multiple Attribute Decision Making: Methods and
   Applications*, CRC Press: four alternatives, three benefit attributes, weights 0.3, 0.4, 0.3;
   relative closeness 0.5037, 0.6581, 0.7482, 0.3340 (also the test values of scikit-criteria's
   TOPSIS).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from greenindex.config import load_schema, validate_config, variant_config
from greenindex.errors import ConfigError
from greenindex.index.framework import Framework
from greenindex.index.pipeline import aggregate_from_config, normalise_from_config

REPO = Path(__file__).resolve().parents[2]
RAW_TOPSIS = {
    "normalise": {"method": "signed"},
    "aggregate": {"method": "topsis", "topsis": {"normalisation": "vector"}},
}


def _closeness(matrix: list[list[float]], weights: list[float], direction: list[int]):
    cols = [f"x{j + 1}" for j in range(len(weights))]
    idx = pd.MultiIndex.from_arrays(
        [[f"A{i + 1}" for i in range(len(matrix))], [2020] * len(matrix)], names=["unit", "year"]
    )
    x = pd.DataFrame(np.asarray(matrix, dtype=float), index=idx, columns=cols)
    fw = Framework(
        parent=dict.fromkeys(cols, "index"),
        weight=dict(zip(cols, weights, strict=True)),
        direction=dict(zip(cols, direction, strict=True)),
        indicators=tuple(cols),
    )
    z, rep = normalise_from_config(x, fw.direction, RAW_TOPSIS["normalise"])
    assert (rep["method"] == "signed").all()
    scores = aggregate_from_config(z, fw, None, RAW_TOPSIS["aggregate"])
    return x, z, scores["index"].to_numpy()


def test_hwang_yoon_1981_fighter_aircraft():
    matrix = [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
    w = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
    x, z, c = _closeness(matrix, w, [1, 1, 1, -1, 1, 1])
    # the cost attribute enters with its sign flipped, nothing else is rescaled
    np.testing.assert_array_equal(z["x4"], -x["x4"])
    np.testing.assert_array_equal(z.drop(columns="x4"), x.drop(columns="x4"))
    # the book computes closeness from separation measures rounded to 4 d.p. (0.0920 / (0.0580 +
    # 0.0920) = 0.6133 for A3, exact 0.61354), so its 3-d.p. values are met to 1e-3
    np.testing.assert_allclose(c, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert list(np.argsort(-c) + 1) == [1, 3, 4, 2]  # A1 > A3 > A4 > A2, as published
    # the published separation measures (4 d.p., from a weighted matrix itself rounded to 4 d.p.,
    # hence 1e-4), recomputed independently of the package
    v = x.to_numpy() / np.sqrt((x.to_numpy() ** 2).sum(axis=0)) * np.asarray(w)
    best = np.where(np.arange(6) == 3, v.min(axis=0), v.max(axis=0))
    worst = np.where(np.arange(6) == 3, v.max(axis=0), v.min(axis=0))
    dplus = np.sqrt(((v - best) ** 2).sum(axis=1))
    dminus = np.sqrt(((v - worst) ** 2).sum(axis=1))
    np.testing.assert_allclose(dplus, [0.0545, 0.1197, 0.0580, 0.1009], atol=1e-4)
    np.testing.assert_allclose(dminus, [0.0983, 0.0439, 0.0920, 0.0458], atol=1e-4)
    np.testing.assert_allclose(c, dminus / (dplus + dminus), rtol=1e-12)


def test_tzeng_huang_2011_example():
    matrix = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    _, _, c = _closeness(matrix, [0.3, 0.4, 0.3], [1, 1, 1])
    np.testing.assert_allclose(c, [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5)


def _config_with(variant: dict) -> dict:
    cfg = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["variants"] = {**cfg["variants"], "topsis_raw": variant}
    return cfg


def test_raw_topsis_is_a_config_variant():
    schema = load_schema()
    cfg = validate_config(_config_with(RAW_TOPSIS), schema)
    merged = variant_config(cfg, "topsis_raw", schema)
    assert merged["normalise"]["method"] == "signed"
    assert merged["aggregate"]["topsis"]["normalisation"] == "vector"


@pytest.mark.parametrize(
    "aggregate",
    [{"method": "arithmetic"}, {"method": "topsis", "topsis": {"normalisation": "none"}}],
)
def test_signed_values_need_topsis_with_its_own_normalisation(aggregate):
    schema = load_schema()
    cfg = _config_with({"normalise": {"method": "signed"}, "aggregate": aggregate})
    with pytest.raises(ConfigError, match=r"variants\.topsis_raw\.normalise\.method") as e:
        validate_config(cfg, schema)
    assert "topsis" in str(e.value)
