"""The HTML report: self-contained, deterministic, escaped."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from greenindex.report.html import MAX_WIDTH, Figure, Section, markdown_html, render, table_html


def _png(path, width_in=12):
    fig, ax = plt.subplots(figsize=(width_in, 3))
    ax.plot([1, 2, 3])
    fig.savefig(path, dpi=300, metadata={"Software": None})
    plt.close(fig)


def test_render_is_self_contained_and_deterministic(tmp_path):
    _png(tmp_path / "f.png")
    sec = Section(
        "Maps <1>",
        "maps",
        paragraphs=["a **b** & c"],
        tables=[("t", pd.DataFrame({"x": [1.23456], "holds": [True]}))],
        figures=[Figure(tmp_path / "f.png", "cap")],
    )
    a = render("T", [sec], record={"k": "v"})
    b = render("T", [sec], record={"k": "v"})
    assert a == b
    assert "data:image/png;base64," in a and 'src="http' not in a and "<script" not in a
    assert "Maps &lt;1&gt;" in a and "<strong>b</strong> &amp; c" in a and "1.235" in a
    assert '<span class="holds">yes</span>' in a


def test_images_are_reduced(tmp_path):
    import base64
    import io

    from PIL import Image

    _png(tmp_path / "big.png", width_in=20)  # 6000 px wide
    html = render("T", [Section("S", "s", figures=[Figure(tmp_path / "big.png", "c")])])
    data = html.split("data:image/png;base64,")[1].split('"')[0]
    with Image.open(io.BytesIO(base64.b64decode(data))) as im:
        assert im.width <= MAX_WIDTH


def test_markdown_and_tables_escape():
    h = markdown_html("# T\n- <x> **y**\n\nend")
    assert h == "<h2>T</h2>\n<ul>\n<li>&lt;x&gt; <strong>y</strong></li>\n</ul>\n<p>end</p>"
    t = table_html(pd.DataFrame({"a": range(300)}), max_rows=10)
    assert t.count("<tr>") == 11 and "First 10 of 300 rows" in t


def test_the_figure_jobs_copy_is_what_the_report_would_make(tmp_path):
    """save_figure(preview=...) writes the report's copy from the pixels it has drawn; the
    report embeds it as it is, and it is byte for byte the copy the report would make from
    the 300 dpi PNG (so reports are the same whichever file they are given)."""
    import base64

    from greenindex.figures.saving import JobFigures

    class Output(list):  # snakemake.output of a PNG job: the files, then named lists
        pass

    output = Output([str(tmp_path / "full" / "chart.png")])
    output.previews = [str(tmp_path / "copies" / "chart.png")]

    fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar(["a", "b", "c"], [3, 1, 2], color=["#1b9e77", "#d95f02", "#7570b3"])
    JobFigures(output, {"formats": ["png"], "dpi": 300}).save(fig, "chart")
    full, copy = tmp_path / "full" / "chart.png", tmp_path / "copies" / "chart.png"
    from_full = render("T", [Section("S", "s", figures=[Figure(full, "c")])])
    from_copy = render("T", [Section("S", "s", figures=[Figure(copy, "c")])])
    assert from_full == from_copy
    embedded = from_copy.split("data:image/png;base64,")[1].split('"')[0]
    assert base64.b64decode(embedded) == copy.read_bytes()
