"""Charts: drawn values equal the input (hand-checkable toy tables) and reruns are identical."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from greenindex.errors import InputError
from greenindex.figures import charts
from greenindex.figures.style import save_figure, style_context

SCORES = pd.DataFrame(
    {
        "unit": ["A", "B", "C"] * 2,
        "year": [2019] * 3 + [2020] * 3,
        "index": [0.5, 0.3, 0.4, 0.2, 0.6, 0.4],
    }
)
REGION = {"A": "east", "B": "east", "C": "west"}


def test_rank_chart_ranks():
    with style_context("en"):
        fig = charts.rank_chart(SCORES, region_of=REGION, language="en")
    lines = {tuple(l.get_ydata()) for l in fig.axes[0].lines if len(l.get_xdata()) == 2}
    # 2019: A 1st, C 2nd, B 3rd; 2020: B 1st, C 2nd, A 3rd
    assert lines == {(1, 3), (3, 1), (2, 2)}
    plt.close(fig)


def test_region_trend_band_is_province_range():
    means = pd.DataFrame(
        {
            "year": [2019, 2020, 2019, 2020],
            "region": ["east", "east", "west", "west"],
            "mean": [0.4, 0.4, 0.4, 0.4],
        }
    )
    with style_context("en"):
        fig = charts.region_trend_chart(means, scores=SCORES, region_of=REGION, language="en")
    band = fig.axes[0].collections[0].get_paths()[0].vertices
    # east provinces A, B: 2019 range 0.3-0.5, 2020 range 0.2-0.6
    ys = sorted(set(np.round(band[:, 1], 6)))
    assert ys == [0.2, 0.3, 0.5, 0.6]
    plt.close(fig)


def test_decomposition_bars_stack_to_shares():
    d = pd.DataFrame(
        {
            "year": [2019, 2019, 2020, 2020],
            "component": ["between", "within"] * 2,
            "share": [0.7, 0.3, 0.6, 0.4],
        }
    )
    with style_context("zh"):
        fig = charts.decomposition_bars(d, language="zh")
    heights = [p.get_height() for p in fig.axes[0].patches]
    bottoms = [p.get_y() for p in fig.axes[0].patches]
    # within drawn first (bottom), then between on top
    assert np.allclose(heights, [30, 40, 70, 60]) and np.allclose(bottoms, [0, 0, 30, 40])
    plt.close(fig)


def test_kde_one_curve_per_year_and_weights_bars():
    kde = pd.DataFrame(
        {"year": [2019] * 3 + [2020] * 3, "x": [0, 1, 2] * 2, "density": [0, 1, 0, 0, 2, 0]}
    )
    w = pd.DataFrame(
        {
            "indicator": ["x1", "x2", "x1", "x2"],
            "method": ["entropy", "entropy", "equal", "equal"],
            "weight": [0.8, 0.2, 0.5, 0.5],
        }
    )
    with style_context("en"):
        fig = charts.kde_curves(kde, language="en")
        assert [list(l.get_ydata()) for l in fig.axes[0].lines] == [[0, 1, 0], [0, 2, 0]]
        plt.close(fig)
        fig = charts.weights_by_method(w, language="en")
        assert [p.get_width() for p in fig.axes[0].patches] == [0.8, 0.2, 0.5, 0.5]
        plt.close(fig)


def test_missing_columns_named():
    with pytest.raises(InputError, match="density"):
        charts.kde_curves(pd.DataFrame({"year": [1], "x": [0]}))


def test_chart_bytes_identical_on_rerun(tmp_path):
    out = []
    for run in ("a", "b"):
        with style_context("zh"):
            fig = charts.rank_chart(SCORES, language="zh")
            paths = save_figure(fig, tmp_path / run / "rank", dpi=50, close=True)
        out.append([p.read_bytes() for p in paths])
    assert out[0] == out[1]


def test_every_format_gets_the_first_formats_layout_and_the_engine_is_put_back(tmp_path):
    """A constrained-layout chart is laid out once (for the PNG) and the PDF keeps that
    layout; the figure keeps its layout engine afterwards."""
    with style_context("en"):
        fig = charts.rank_chart(SCORES, language="en")
        engine = fig.get_layout_engine()
        assert engine is not None
        save_figure(fig, tmp_path / "first", formats=["png"], dpi=50)
        positions = [ax.get_position().bounds for ax in fig.axes]
        png, pdf = save_figure(fig, tmp_path / "both", formats=["png", "pdf"], dpi=50)
        assert fig.get_layout_engine() is engine
        assert np.allclose([ax.get_position().bounds for ax in fig.axes], positions)
        assert png.read_bytes() == (tmp_path / "first.png").read_bytes()
        assert pdf.read_bytes().startswith(b"%PDF")
        plt.close(fig)


@pytest.mark.parametrize("layout", ["constrained", "manual"])
def test_data_note_never_covers_a_figure_legend(layout):
    """The data note goes under everything, figure legends at the bottom included (the rank
    and decomposition charts have one: loc="outside lower center")."""
    from matplotlib.transforms import Bbox

    from greenindex.analysis.composition import add_data_note

    fig, ax = plt.subplots(
        figsize=(6, 3), layout="constrained" if layout == "constrained" else None
    )
    ax.plot([1, 2, 3], label="a")
    ax.plot([3, 2, 1], label="b")
    if layout == "constrained":
        leg = fig.legend(loc="outside lower center", ncols=2)
    else:
        leg = fig.legend(loc="lower center", ncols=2, bbox_to_anchor=(0.5, 0.0))
    add_data_note(fig, "Data: 2017 values interpolated between 2016 and 2018. " * 4)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    note = fig.texts[-1].get_window_extent(r)
    assert not Bbox.intersection(leg.get_window_extent(r), note)
    assert not Bbox.intersection(ax.get_tightbbox(r), note)
    assert not Bbox.intersection(leg.get_window_extent(r), ax.get_window_extent(r))
    plt.close(fig)
