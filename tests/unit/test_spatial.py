"""Tests of greenindex.analysis.spatial: hand-computed Moran's I, published esda numbers, weights."""

from __future__ import annotations

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import lat2W
from shapely.geometry import box

from greenindex.analysis.spatial import check_links, contiguity_weights, local_moran, morans_i
from greenindex.errors import ConfigError, InputError, MethodError


def as_panel(values: np.ndarray, ids: list[str], year: int = 2020) -> pd.Series:
    idx = pd.MultiIndex.from_arrays([ids, [year] * len(ids)], names=["unit", "year"])
    return pd.Series(np.asarray(values, dtype=float), index=idx)


def hand_moran(y: np.ndarray, neighbours: dict, ids: list) -> float:
    """I = (n/S0) sum_ij w_ij z_i z_j / sum_i z_i^2 with row-standardised w, by loops."""
    z = {i: v - np.mean(y) for i, v in zip(ids, y, strict=True)}
    num = s0 = 0.0
    for i in ids:
        for j in neighbours[i]:
            w = 1.0 / len(neighbours[i])
            num += w * z[i] * z[j]
            s0 += w
    return len(ids) / s0 * num / sum(v * v for v in z.values())


def grid(nx: int, ny: int) -> gpd.GeoDataFrame:
    cells = [(i, j) for j in range(ny) for i in range(nx)]
    return gpd.GeoDataFrame(
        {"unit": [f"C{j}{i}" for i, j in cells]},
        geometry=[box(i, j, i + 1, j + 1) for i, j in cells],
    )


# -- global Moran -------------------------------------------------------------------------------
def test_moran_equals_hand_computation_on_a_lattice():
    w = lat2W(3, 3)  # rook lattice, ids 0..8
    w.transform = "r"
    y = np.array([1.0, 2.0, 3.0, 2.0, 5.0, 1.0, 7.0, 3.0, 4.0])
    ids = [str(i) for i in w.id_order]
    w = libpysal.weights.W(
        {str(k): [str(v) for v in vs] for k, vs in w.neighbors.items()}, id_order=ids
    )
    out = morans_i(as_panel(y, ids), w, permutations=0).iloc[0]
    neighbours = {k: list(v) for k, v in w.neighbors.items()}
    assert out["I"] == pytest.approx(hand_moran(y, neighbours, ids), rel=1e-12)
    assert out["EI"] == pytest.approx(-1 / 8)
    assert np.isnan(out["p_sim"])


def test_moran_matches_published_st_louis_homicide_value():
    # esda/tests/test_moran.py (PySAL): St Louis homicide rates 1988-93, stl.gal,
    # I = 0.24365582621771659, one-tailed p_norm = 0.00013573931385468807
    w = libpysal.io.open(libpysal.examples.get_path("stl.gal")).read()
    f = libpysal.io.open(libpysal.examples.get_path("stl_hom.txt"))
    y = np.array(f.by_col["HR8893"])
    ids = [str(i) for i in w.id_order]
    w = libpysal.weights.W(
        {str(k): [str(v) for v in vs] for k, vs in w.neighbors.items()}, id_order=ids
    )
    out = morans_i(as_panel(y, ids), w, permutations=0, two_tailed=False).iloc[0]
    assert out["I"] == pytest.approx(0.24365582621771659, rel=1e-9)
    assert out["p_norm"] == pytest.approx(0.00013573931385468807, rel=1e-6)
    neighbours = {k: list(v) for k, v in w.neighbors.items()}
    assert out["I"] == pytest.approx(hand_moran(y, neighbours, ids), rel=1e-10)


def test_permutation_inference_is_seeded_and_leaves_global_rng_alone():
    g = grid(4, 4)
    w = contiguity_weights(g, links={})
    y = np.arange(16.0)  # a smooth gradient: strong positive autocorrelation
    s = as_panel(y, sorted(g["unit"]))
    np.random.seed(1)
    before = np.random.random()
    np.random.seed(1)
    a = morans_i(s, w, permutations=99, seed=3)
    after = np.random.random()
    b = morans_i(s, w, permutations=99, seed=3)
    assert before == after
    pd.testing.assert_frame_equal(a, b)
    assert a["I"].item() > 0.5 and a["p_sim"].item() == pytest.approx(0.01)


def test_weights_and_scores_must_cover_the_same_units():
    g = grid(3, 3)
    w = contiguity_weights(g, links={})
    with pytest.raises(InputError, match="weights only: C22"):
        morans_i(as_panel(np.arange(8.0), sorted(g["unit"])[:8]), w)


# -- contiguity -------------------------------------------------------------------------------------
def test_queen_rook_and_row_standardisation():
    g = grid(3, 3)
    queen = contiguity_weights(g, links={})
    rook = contiguity_weights(g, links={}, kind="rook")
    assert len(queen.neighbors["C11"]) == 8
    assert len(rook.neighbors["C11"]) == 4
    assert len(queen.neighbors["C00"]) == 3 and len(rook.neighbors["C00"]) == 2
    for w in (queen, rook):
        assert all(sum(v) == pytest.approx(1.0) for v in w.weights.values())
    assert contiguity_weights(g, links={}, transform="b").weights["C11"] == [1.0] * 8


def test_island_is_linked_by_rule_or_reported():
    g = pd.concat(
        [grid(3, 3), gpd.GeoDataFrame({"unit": ["HI"]}, geometry=[box(0, -3, 1, -2)])],
        ignore_index=True,
    )
    with pytest.raises(MethodError, match="HI have no neighbour"):
        contiguity_weights(g, links={})
    w = contiguity_weights(g, links={"HI": ["C00"]})
    assert w.neighbors["HI"] == ["C00"] and "HI" in w.neighbors["C00"]
    assert w.weights["C00"] == [0.25] * 4
    nearest = contiguity_weights(g, links={}, islands="nearest")
    assert nearest.neighbors["HI"] == ["C00"]
    kept = contiguity_weights(g, links={}, islands="keep")
    assert kept.islands == ["HI"]
    # a link to a unit that is not analysed has nothing to connect: skipped with a warning
    with (
        pytest.warns(UserWarning, match="HI-GD skipped"),
        pytest.raises(MethodError, match="HI have no neighbour"),
    ):
        contiguity_weights(g, links={"HI": ["GD"]})
    # a code that is not in the boundary table at all is a config error
    with pytest.raises(ConfigError, match=r"spatial.links.*\['XX'\]"):
        check_links({"HI": ["XX"]}, list(g["unit"]))
    # a link whose two ends are both absent (e.g. Hainan dropped) is skipped
    assert contiguity_weights(grid(3, 3), links={"HI": ["GD"]}).n == 9


def test_default_link_is_hainan_guangdong():
    g = gpd.GeoDataFrame(
        {"unit": ["GD", "GX", "HI"]},
        geometry=[box(0, 0, 1, 1), box(-1, 0, 0, 1), box(0, -2, 1, -1.5)],
    )
    w = contiguity_weights(g)
    assert w.neighbors["HI"] == ["GD"]
    assert sorted(w.neighbors["GD"]) == ["GX", "HI"]


# -- local Moran ---------------------------------------------------------------------------------
def test_lisa_classes_on_a_constructed_hot_and_cold_spot():
    g = grid(6, 6)
    w = contiguity_weights(g, links={})
    ids = sorted(g["unit"])
    rng = np.random.default_rng(0)
    y = pd.Series(rng.normal(0, 0.2, 36), index=ids)
    hot = ["C00", "C01", "C10", "C11"]  # corner of high values
    cold = ["C44", "C45", "C54", "C55"]
    y[hot] += 5
    y[cold] -= 5
    out = local_moran(as_panel(y.to_numpy(), ids), w, permutations=999, seed=1).set_index("unit")
    assert (out.loc[hot, "cluster"] == "HH").all()
    assert (out.loc[cold, "cluster"] == "LL").all()
    assert set(out["cluster"]) <= {"HH", "LL", "HL", "LH", "ns"}
    # I_i = (n - 1) z_i lag_i / sum z^2 (esda's scaling), lag from row-standardised weights
    z = (y - y.mean()).to_numpy()
    lag = np.array([np.mean([z[ids.index(j)] for j in w.neighbors[i]]) for i in ids])
    np.testing.assert_allclose(out.loc[ids, "Ii"], 35 * z * lag / (z @ z), rtol=1e-10)
    np.testing.assert_allclose(out.loc[ids, "lag"] * z.std(), lag, rtol=1e-10)
    again = local_moran(as_panel(y.to_numpy(), ids), w, permutations=999, seed=1)
    np.testing.assert_array_equal(again["p_sim"], out.loc[again["unit"], "p_sim"])


def test_neighbour_table_round_trip_gives_the_same_moran():
    """Contiguity computed once and stored as a table gives the same weights and Moran's I."""
    from greenindex.analysis.spatial import neighbours_table, weights_from_table

    g = grid(3, 3)
    w = contiguity_weights(g, links={})
    back = weights_from_table(neighbours_table(w), list(g["unit"]))
    assert back.neighbors == w.neighbors and back.weights == w.weights
    idx = pd.MultiIndex.from_product([sorted(g["unit"]), [2020]], names=["unit", "year"])
    scores = pd.DataFrame({"index": np.arange(9.0)}, index=idx)
    a = morans_i(scores, w, "index", permutations=99, seed=1)
    b = morans_i(scores, back, "index", permutations=99, seed=1)
    pd.testing.assert_frame_equal(a, b)
