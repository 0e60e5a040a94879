"""CJK font discovery and rendering: Chinese labels must render as glyphs, not boxes."""

from __future__ import annotations

import shutil
import struct
import subprocess
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from greenindex.errors import ConfigError
from greenindex.figures import style


def _sfnt(tags: list[bytes]) -> bytes:
    head = struct.pack(">IHHHH", 0x00010000, len(tags), 0, 0, 0)
    return head + b"".join(struct.pack(">4sIII", t, 0, 0, 0) for t in tags)


def test_outline_format_read_from_sfnt_table_directory(tmp_path):
    ttf = tmp_path / "a.ttf"
    ttf.write_bytes(_sfnt([b"cmap", b"glyf", b"head", b"loca"]))
    otf = tmp_path / "b.otf"
    otf.write_bytes(_sfnt([b"CFF ", b"cmap", b"head"]))
    # a collection: 'ttcf', version, numFonts=1, offset of the first font (16)
    ttc = tmp_path / "c.ttc"
    ttc.write_bytes(b"ttcf" + struct.pack(">III", 0x00010000, 1, 16) + _sfnt([b"CFF2", b"cmap"]))
    assert style.has_truetype_outlines(ttf) is True
    assert style.has_truetype_outlines(otf) is False
    assert style.has_truetype_outlines(ttc) is False


def test_pdf_fonttype_follows_outlines():
    assert style.CJKFont("x", "x.ttf", truetype=True).pdf_fonttype == 42
    assert style.CJKFont("x", "x.otf", truetype=False).pdf_fonttype == 3


def test_missing_cjk_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(style, "find_cjk_font", lambda: None)
    with pytest.raises(ConfigError, match="fonts-wqy-microhei"), style.style_context("zh"):
        pass
    with style.style_context("en"):  # English needs no CJK font
        pass


def test_unknown_language():
    with pytest.raises(ConfigError, match="figures.language"):
        style.label("no_data", "fr")


@pytest.fixture(scope="module")
def cjk():
    font = style.find_cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (run scripts/install_fonts.sh)")
    return font


def _glyph_png(ch: str, tmp_path) -> np.ndarray:
    fig = plt.figure(figsize=(0.6, 0.6), dpi=100)
    fig.text(0.5, 0.5, ch, fontsize=30, ha="center", va="center")
    path = tmp_path / f"g{ord(ch)}.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return plt.imread(path)[..., :3].mean(axis=2)


def test_chinese_renders_as_glyphs_in_png(cjk, tmp_path):
    with style.style_context("zh"), warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font"
        a = _glyph_png("中", tmp_path)
        b = _glyph_png("国", tmp_path)
    assert (a < 0.5).sum() > 20 and (b < 0.5).sum() > 20  # ink on the page
    # missing glyphs are all drawn as the same box; real glyphs differ
    assert np.abs(a - b).sum() > 20


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed"
)
def test_chinese_renders_as_glyphs_in_pdf(cjk, tmp_path):
    images = []
    with style.style_context("zh"):
        fonttype = matplotlib.rcParams["pdf.fonttype"]
        for ch in ("中", "国"):
            fig = plt.figure(figsize=(0.6, 0.6))
            fig.text(0.5, 0.5, ch, fontsize=30, ha="center", va="center")
            pdf = tmp_path / f"{ord(ch)}.pdf"
            fig.savefig(pdf)
            plt.close(fig)
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "100",
                    "-png",
                    "-singlefile",
                    str(pdf),
                    str(pdf.with_suffix("")),
                ],
                check=True,
            )
            images.append(plt.imread(pdf.with_suffix(".png"))[..., :3].mean(axis=2))
            assert cjk.family.replace(" ", "").encode() in pdf.read_bytes()  # font embedded
    assert fonttype == cjk.pdf_fonttype
    a, b = images
    assert (a < 0.5).sum() > 20 and (b < 0.5).sum() > 20
    assert np.abs(a - b).sum() > 20


def test_cff_font_type3_pdf_gives_a_clear_error(tmp_path):
    """A CFF-outline CJK font gets Type 3, which matplotlib cannot encode for CJK glyphs:
    the user is told what to install instead of getting a traceback or a garbled PDF."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from greenindex.errors import ConfigError

    if style.find_cjk_font() is None:
        pytest.skip("no CJK font installed")
    with style.style_context("zh"), mpl.rc_context({"pdf.fonttype": 3}):
        fig, ax = plt.subplots()
        ax.set_title("东部地区")
        with pytest.raises(ConfigError, match="figures.formats.*CFF outlines"):
            style.save_figure(fig, tmp_path / "x", formats=("pdf",))
        plt.close(fig)
    assert not (tmp_path / "x.pdf").exists()


def test_common_subset_is_made_once_named_apart_and_deterministic(cjk, tmp_path):
    """The common-character copy of the CJK font: its own family name, reused from the cache,
    the same bytes when made again, none for a CFF-outline font."""
    from greenindex.figures.fonts import common_subset

    if not cjk.truetype:
        pytest.skip("the installed CJK font has CFF outlines (no copy is made for those)")
    a = common_subset(cjk, str(tmp_path / "a"))
    b = common_subset(cjk, str(tmp_path / "b"))
    assert a is not None and b is not None
    assert a.family == f"{cjk.family} Common" and a.truetype
    (file_a,) = (tmp_path / "a").iterdir()
    (file_b,) = (tmp_path / "b").iterdir()
    assert file_a.read_bytes() == file_b.read_bytes()
    assert common_subset.__wrapped__(cjk, str(tmp_path / "a")).path == a.path  # cache hit
    assert len(list((tmp_path / "a").iterdir())) == 1
    assert common_subset(style.CJKFont("x", str(tmp_path / "x.otf"), truetype=False)) is None


def test_a_character_outside_the_copy_comes_from_the_whole_font(cjk, tmp_path):
    """堃 is not in GB 2312: a Chinese figure draws it from the whole font (embedded beside
    the copy), not as a box."""
    if not cjk.truetype:
        pytest.skip("the installed CJK font has CFF outlines")
    from matplotlib import font_manager

    if font_manager.get_font(cjk.path).get_char_index(ord("堃")) == 0:
        pytest.skip("the installed CJK font has no glyph for 堃")
    with style.style_context("zh"):
        families = list(matplotlib.rcParams["font.family"])
        fig = plt.figure(figsize=(1.2, 0.6))
        fig.text(0.5, 0.5, "东堃", fontsize=20, ha="center", va="center")
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)  # a missing glyph warns
            fig.savefig(tmp_path / "t.pdf")
        plt.close(fig)
    assert families[:2] == [f"{cjk.family} Common", cjk.family]
    pdf = (tmp_path / "t.pdf").read_bytes()
    whole = cjk.family.replace(" ", "").encode()
    assert whole + b"Common" in pdf  # 东 from the copy
    assert pdf.count(whole) > pdf.count(whole + b"Common")  # 堃 from the whole font


def test_english_figures_name_the_latin_copy_first_and_render_the_same(tmp_path):
    """English figures: DejaVu Sans's common-character copy, then DejaVu Sans; a PNG drawn
    with the copy is pixel for pixel the PNG drawn with the whole font."""
    from greenindex.figures.fonts import latin_font

    with style.style_context("en"):
        families = list(matplotlib.rcParams["font.family"])
    assert families[:2] == ["DejaVu Sans Common", "DejaVu Sans"]
    images = []
    for fams in (families, ["DejaVu Sans"]):
        with style.style_context("en"), matplotlib.rc_context({"font.family": fams}):
            fig = plt.figure(figsize=(1.6, 0.5), dpi=100)
            fig.text(0.5, 0.5, "Index 2016–2020, not significant", ha="center", va="center")
            fig.savefig(tmp_path / "t.png")
            plt.close(fig)
        images.append(plt.imread(tmp_path / "t.png"))
    assert np.array_equal(images[0], images[1])
    assert latin_font().truetype


def test_no_copy_when_the_cache_folder_cannot_be_made(cjk, tmp_path):
    """A cache folder that cannot be created (here: below a file) gives no copy, and the
    figures then use the whole font."""
    from greenindex.figures.fonts import common_subset

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert common_subset.__wrapped__(cjk, str(blocker / "fonts")) is None
