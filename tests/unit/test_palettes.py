"""Greyscale print: class colours of every map differ in grey level; marks keep LISA apart;
the inset carries its title and scale; region and user labels reach the maps; sizes."""

from __future__ import annotations

import io
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PatchCollection
from PIL import Image

from greenindex.data.units import province_table
from greenindex.figures import boundaries as bd
from greenindex.figures import maps
from greenindex.figures.palettes import (
    LISA_STYLE,
    MIN_STEP,
    diverging,
    grey_level,
    min_grey_step,
    sequential,
)
from greenindex.figures.style import (
    MIN_FONT_PT,
    figure_width,
    region_styles,
    save_figure,
    small_fonts,
    style_context,
)

MAINLAND = [u for u in province_table()["code"] if u not in ("TW", "HK", "MO", "XZ")]


@pytest.fixture(scope="module")
def boundaries():
    b = bd.load_boundaries()
    return bd.Boundaries(
        bd.simplify_coverage(bd.to_albers(b.provinces), 8000), bd.to_albers(b.dash_line)
    )


def _face_greys(fig):
    """Grey level of every filled province face in the main map axes (PIL's own conversion)."""
    out = []
    for coll in fig.axes[0].collections:
        if isinstance(coll, PatchCollection) and not coll.get_hatch():
            for rgba in coll.get_facecolors():
                px = Image.new("RGB", (1, 1), tuple(round(255 * c) for c in rgba[:3]))
                out.append(px.convert("L").getpixel((0, 0)))
    return out


@pytest.mark.parametrize("k", [3, 5, 7])
def test_sequential_classes_step_evenly_in_grey(k):
    pal = sequential(k)
    g = [grey_level(c) for c in pal]
    assert all(a > b for a, b in itertools.pairwise(g))  # light = low
    assert min_grey_step(pal) >= MIN_STEP


def test_diverging_sides_never_share_a_grey_level():
    negs, poss = diverging(4, 4)
    # every class differs from every other, across the two sides too
    assert min_grey_step(negs + poss) >= MIN_STEP
    # each side darkens outwards
    for side in (negs, poss):
        g = [grey_level(c) for c in side]
        assert all(a > b for a, b in itertools.pairwise(g))


def test_change_map_decline_and_gain_print_apart(boundaries):
    """The reviewed case: Tianjin -7.9 and Zhejiang +6.8 printed as grey 171 and 177."""
    rng = np.random.default_rng(3)
    change = dict(zip(MAINLAND, rng.uniform(-8, 8, len(MAINLAND)), strict=True))
    change["TJ"], change["ZJ"] = -7.9, 6.8
    scores = pd.DataFrame(
        [(u, 2016, 30.0) for u in MAINLAND] + [(u, 2020, 30.0 + d) for u, d in change.items()],
        columns=["unit", "year", "index"],
    )
    with style_context("en"):
        fig = maps.change_map(boundaries, scores, start=2016, end=2020, language="en")
    greys = sorted(set(_face_greys(fig)))
    assert len(greys) >= 5
    assert min(b - a for a, b in itertools.pairwise(greys)) >= MIN_STEP - 1  # PIL rounds
    colours = fig.axes[0].collections[0].get_facecolors()
    units = [u for u in boundaries.provinces["unit"] if u in change]
    by_unit = dict(zip(units, colours, strict=False))
    assert abs(grey_level(by_unit["TJ"][:3]) - grey_level(by_unit["ZJ"][:3])) >= MIN_STEP
    assert fig.axes[0].get_legend() is not None  # the colour key
    plt.close(fig)


def test_region_gradient_has_a_key_and_close_means_print_apart(boundaries):
    region_of = {
        u: (
            "east"
            if i % 4 == 0
            else "central"
            if i % 4 == 1
            else "west"
            if i % 4 == 2
            else "northeast"
        )
        for i, u in enumerate(MAINLAND)
    }
    means = pd.Series({"east": 36.2, "central": 23.9, "west": 17.2, "northeast": 17.9})
    with style_context("zh"):
        fig = maps.region_gradient_map(boundaries, region_of, means, language="zh")
    greys = sorted(set(_face_greys(fig)))
    assert len(greys) == 4 and min(b - a for a, b in itertools.pairwise(greys)) >= MIN_STEP - 1
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("西部" in t and "17.2" in t for t in texts) and any("东北" in t for t in texts)
    plt.close(fig)


def test_lisa_types_have_distinct_marks_and_hh_ll_distinct_in_print(boundaries):
    marks = {(st[1], st[2]) for code, st in LISA_STYLE.items() if code != "ns"}
    assert len(marks) == 4  # HH, LL, HL, LH: four different marks
    clusters = {u: ["HH", "LL", "HL", "LH", "ns"][i % 5] for i, u in enumerate(MAINLAND)}
    with style_context("en"):
        fig = maps.lisa_map(boundaries, clusters, language="en", legend_title="LISA clusters 2020")
    drawn = [ln for ln in fig.axes[0].lines if ln.get_marker() in ("o", "^", "v")]
    assert {(ln.get_marker(), ln.get_markerfacecolor()) for ln in drawn} == {
        (st[1], st[2]) for c, st in LISA_STYLE.items() if c != "ns"
    }
    assert fig.axes[0].get_legend().get_title().get_text() == "LISA clusters 2020"
    plt.close(fig)


@pytest.mark.parametrize("lang, title", [("zh", "南海诸岛"), ("en", "South China Sea Islands")])
def test_inset_has_title_and_its_own_scale(boundaries, lang, title):
    scores = pd.DataFrame(
        [(u, 2020, float(i)) for i, u in enumerate(MAINLAND)], columns=["unit", "year", "index"]
    )
    with style_context(lang):
        fig = maps.lisa_map(boundaries, dict.fromkeys(MAINLAND, "ns"), language=lang)
        inset = fig.axes[0].child_axes[0]
        texts = [t.get_text() for t in inset.texts]
        assert title in texts
        km = "千米" if lang == "zh" else "km"
        assert any(t.endswith(km) and t.split()[0].isdigit() for t in texts)
        plt.close(fig)
        fig = maps.choropleth_small_multiples(boundaries, scores, language=lang)
        assert all(
            title in [t.get_text() for t in ax.child_axes[0].texts]
            for ax in fig.axes
            if ax.child_axes
        )
        plt.close(fig)


def test_user_region_gets_its_chinese_label(boundaries):
    from greenindex.glossary import region_label

    labels = {"south": {"zh": "南方", "en": "South"}, "north": {"zh": "北方", "en": "North"}}
    region_of = {u: "south" if i % 2 else "north" for i, u in enumerate(MAINLAND)}
    names = {r: region_label(r, "zh", labels) for r in ("south", "north")}
    with style_context("zh"):
        fig = maps.region_gradient_map(
            boundaries,
            region_of,
            {"south": 20.0, "north": 30.0},
            steps=("north", "south"),
            region_labels=names,
            language="zh",
        )
    shown = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "南方" in shown and "北方" in shown and "south" not in shown
    plt.close(fig)


def test_region_styles_are_okabe_ito_in_order_and_distinct():
    st = region_styles(["east", "central", "west", "northeast", "national"])
    assert [st[r]["color"] for r in ("east", "central", "west", "northeast")] == [
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
    ]
    assert len({st[r]["marker"] for r in ("east", "central", "west", "northeast")}) == 4
    assert st["national"]["color"] == "#000000"


def test_png_is_rgb_300_dpi_at_column_width_and_fonts_are_large_enough(tmp_path):
    from greenindex.figures import charts

    kde = pd.DataFrame(
        {"year": [2019] * 3 + [2020] * 3, "x": [0, 1, 2] * 2, "density": [0, 1, 0, 0, 2, 0]}
    )
    with style_context("zh", column_mm={"single": 85, "double": 175}):
        assert figure_width("single") == pytest.approx(85 / 25.4)
        fig = charts.kde_curves(kde, language="zh")
        assert small_fonts(fig) == []
        (png,) = save_figure(fig, tmp_path / "k", formats=["png"], dpi=300, close=True)
    with Image.open(png) as im:
        assert im.mode == "RGB"
        assert abs(im.width - 85 / 25.4 * 300) < 1
        assert im.info["dpi"][0] == pytest.approx(300, abs=0.01)
    assert MIN_FONT_PT >= 6


def test_svg_text_option_keeps_text_editable(tmp_path):
    fig_text = {}
    for mode in ("path", "text"):
        with style_context("zh", svg_text=mode):
            fig, ax = plt.subplots(figsize=(2, 1))
            ax.set_title("指数 Index")
            (svg,) = save_figure(fig, tmp_path / mode / "t", formats=["svg"], close=True)
        fig_text[mode] = svg.read_text(encoding="utf-8")
    assert "指数 Index" in fig_text["text"] and "<text" in fig_text["text"]
    assert "<text" not in fig_text["path"]


def test_english_figure_falls_back_to_cjk_glyphs():
    """An English map caption with a Chinese review number renders the Chinese glyph (no box):
    matplotlib warns "Glyph ... missing from font(s)" when it draws a box."""
    import warnings

    with style_context("en") as font:
        if font is None:
            pytest.skip("no CJK font installed")
        fig = plt.figure(figsize=(2, 0.4))
        fig.text(0.01, 0.3, "GS(2024)0650号 审图号", fontsize=8)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png", dpi=100)
        plt.close(fig)
        # the Latin design first in English (DejaVu Sans, or its common-character copy)
        assert plt.rcParams["font.family"][0] in ("DejaVu Sans Common", "DejaVu Sans")
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_no_text_below_the_minimum_size_in_any_figure(boundaries):
    """At final (column) size every text of every figure type is at least MIN_FONT_PT."""
    from greenindex.analysis.uncertainty import (
        plot_claim_robustness,
        plot_rank_intervals,
        plot_sobol,
    )
    from greenindex.data.coverage import coverage_heatmap
    from greenindex.figures import charts

    scores = pd.DataFrame(
        [(u, y, float(i + y - 2016)) for i, u in enumerate(MAINLAND) for y in range(2016, 2021)],
        columns=["unit", "year", "index"],
    )
    region_of = {u: ["east", "central", "west", "northeast"][i % 4] for i, u in enumerate(MAINLAND)}
    means = (
        scores.assign(region=scores["unit"].map(region_of))
        .groupby(["year", "region"], as_index=False)["index"]
        .mean()
    )
    means = means.rename(columns={"index": "mean"})
    shares = pd.DataFrame(
        {
            "year": [2019, 2019, 2020, 2020],
            "component": ["within", "between"] * 2,
            "share": [0.6, 0.4, 0.5, 0.5],
        }
    )
    levels = pd.DataFrame(
        {
            "year": [2019, 2020] * 3,
            "component": ["total"] * 2 + ["within"] * 2 + ["between"] * 2,
            "level": [0.2, 0.18, 0.12, 0.09, 0.08, 0.09],
        }
    )
    ri = pd.DataFrame({"unit": MAINLAND, "lo": 1.0, "hi": 5.0, "median": 3.0})
    weights = pd.DataFrame(
        {
            "indicator": ["a", "b"] * 2,
            "method": ["entropy"] * 2 + ["equal"] * 2,
            "weight": [0.7, 0.3, 0.5, 0.5],
        }
    )
    kde = pd.DataFrame({"year": [2020] * 3, "x": [0, 50, 100], "density": [0.0, 0.02, 0.0]})
    unc = pd.DataFrame(
        {
            "unit": MAINLAND,
            "year": 2020,
            "nominal_rank": range(1, len(MAINLAND) + 1),
            "median_rank": range(1, len(MAINLAND) + 1),
            "q05_rank": 1.0,
            "q95_rank": 9.0,
        }
    )
    sob = pd.DataFrame(
        {
            "factor": ["weighting", "aggregation"],
            "S1": [0.5, 0.1],
            "S1_low": [0.4, 0.0],
            "S1_high": [0.6, 0.2],
            "ST": [0.6, 0.2],
            "ST_low": [0.5, 0.1],
            "ST_high": [0.7, 0.3],
        }
    )
    cl = pd.DataFrame({"claim": ["C1", "C2"], "share_holds": [0.9, 0.5]})
    panel = pd.DataFrame(
        {"x": np.arange(5 * 3, dtype=float)},
        index=pd.MultiIndex.from_product([MAINLAND[:3], range(2016, 2021)], names=["unit", "year"]),
    )
    with style_context("zh"):
        figs = {
            "region_trends": charts.region_trend_chart(means, language="zh"),
            "ranks": charts.rank_chart(scores, region_of=region_of, intervals=ri, language="zh"),
            "theil": charts.decomposition_bars(
                shares, levels=levels, title="泰尔指数", language="zh"
            ),
            "kde": charts.kde_curves(kde, language="zh", support=(0, 100)),
            "weights": charts.weights_by_method(weights, main="entropy", language="zh"),
            "change": maps.change_map(boundaries, scores, start=2016, end=2020, language="zh"),
            "by_year": maps.choropleth_small_multiples(boundaries, scores, language="zh"),
            "lisa": maps.lisa_map(boundaries, dict.fromkeys(MAINLAND, "HH"), language="zh"),
            "rank_intervals": plot_rank_intervals(
                unc, 2020, language="zh", width=figure_width("single")
            ),
            "sobol": plot_sobol(sob, language="zh", width=figure_width("single")),
            "claims": plot_claim_robustness(cl, language="zh", width=figure_width("double")),
            "coverage": coverage_heatmap(
                panel,
                units=MAINLAND[:3],
                indicators=["x"],
                years=list(range(2016, 2021)),
                width=figure_width("double"),
                year_label="年份",
            ),
        }
        small = {name: small_fonts(fig) for name, fig in figs.items()}
        for fig in figs.values():
            plt.close(fig)
    assert {k: v for k, v in small.items() if v} == {}
