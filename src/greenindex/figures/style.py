"""One look for all figures: the style file, a CJK font, labels in two languages, saving.

Chinese labels need a font with CJK glyphs. Which one matters for PDF output: matplotlib
embeds fonts in PDF either as Type 42 (the TrueType program itself) or as Type 3 (each
glyph drawn as a PDF procedure). A font with CFF (PostScript) outlines, such as Noto Sans
CJK or Source Han Sans (``.otf``), embedded as Type 42 gives a PDF whose Chinese glyphs are
garbled in common viewers, so such fonts are embedded as Type 3. A font with TrueType
(``glyf``) outlines, such as WenQuanYi Micro Hei or SimHei, can be embedded as Type 42, which
keeps text selectable and files small. :func:`find_cjk_font` looks for known fonts in order
and :func:`use_style` picks ``pdf.fonttype`` from the outline format it finds. SVG output
draws glyphs as paths (``svg.fonttype: path``) so it needs no font on the reader's side.

Output is byte-identical on rerun: :func:`save_figure` fixes PDF/SVG metadata (no creation
date, fixed producer), removes the PNG ``Software`` chunk and fixes the SVG id hash salt.

Installing a font (what the project's set-up runs, see ``scripts/install_fonts.sh``):

- Debian/Ubuntu: ``apt-get install fonts-wqy-microhei`` (TrueType outlines, Apache-2.0/GPL);
- Windows: SimHei / Microsoft YaHei are found automatically;
- macOS: PingFang / Heiti are found automatically (embedded as Type 3);
- anywhere: set ``GREENINDEX_CJK_FONT=/path/to/font.ttf`` or copy a font file into
  ``src/greenindex/fonts/``.
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

from greenindex.data.io import atomic_path
from greenindex.errors import ConfigError
from greenindex.glossary import term

__all__ = [
    "COLUMN_MM",
    "LANGUAGES",
    "MIN_FONT_PT",
    "OKABE_ITO",
    "CJKFont",
    "figure_width",
    "find_cjk_font",
    "has_truetype_outlines",
    "install_hint",
    "label",
    "region_styles",
    "save_figure",
    "small_fonts",
    "style_context",
    "style_path",
    "use_style",
]

LANGUAGES = ("zh", "en")

#: Font families tried in order. TrueType-outline fonts first (Type 42 in PDF).
CJK_FAMILIES: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "SimSun",
    "AR PL UMing CN",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)

#: Files tried when matplotlib's font cache predates the font's installation.
CJK_FILES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)

#: Journal column widths in millimetres (Elsevier: single 90, double 190; Springer: 84 / 174;
#: 《地理学报》 and most Chinese journals: about 85 / 175). Overridden by ``figures.column_mm``.
COLUMN_MM: dict[str, float] = {"single": 88.0, "double": 180.0}

#: Smallest text size at final (printed) size, in points.
MIN_FONT_PT = 6.5

#: Okabe, M. & Ito, K. (2008). Color Universal Design: how to make figures and presentations
#: that are friendly to colorblind people. https://jfly.uni-koeln.de/color/ -- blue, orange,
#: bluish green, reddish purple, sky blue, vermillion, yellow, black.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)

#: Markers paired with the region colours, so regions stay apart in greyscale print.
_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")

_widths: dict[str, float] = dict(COLUMN_MM)

_FONT_ENV = "GREENINDEX_CJK_FONT"
_PRODUCER = "greenindex (matplotlib)"
_SVG_SALT = "greenindex"
_PROBE = "中国东部地区指数"


@dataclass(frozen=True)
class CJKFont:
    """A font that has Chinese glyphs.

    Attributes
    ----------
    family
        Family name as matplotlib knows it (for ``font.sans-serif``).
    path
        Font file.
    truetype
        ``True`` when the glyphs are TrueType (``glyf``) outlines: safe as PDF Type 42.
    """

    family: str
    path: str
    truetype: bool

    @property
    def pdf_fonttype(self) -> int:
        """42 for TrueType outlines, 3 for CFF outlines (Type 42 CFF garbles CJK in PDF)."""
        return 42 if self.truetype else 3


def install_hint() -> str:
    """How to install a CJK font, for error messages."""
    return (
        "install a Chinese font with TrueType outlines: on Debian/Ubuntu "
        "`sudo apt-get install fonts-wqy-microhei` (or run `bash scripts/install_fonts.sh`); "
        "on Windows SimHei or Microsoft YaHei are used automatically; otherwise set the "
        f"environment variable {_FONT_ENV}=/path/to/a/chinese/font.ttf, or copy the font file "
        "into src/greenindex/fonts/."
    )


def has_truetype_outlines(path: str | os.PathLike[str]) -> bool:
    """Whether the (first face of the) font file has TrueType ``glyf`` outlines.

    Reads the sfnt table directory (OpenType spec, "Organization of an OpenType font"):
    a ``glyf`` table means TrueType outlines, ``CFF `` / ``CFF2`` means PostScript outlines.
    A TrueType collection (``ttcf``) is read at the offset of its first font.
    """
    with open(path, "rb") as f:
        head = f.read(12)
        offset = 0
        if head[:4] == b"ttcf":
            offset = struct.unpack(">I", f.read(4))[0]
            f.seek(offset)
            head = f.read(12)
        num_tables = struct.unpack(">H", head[4:6])[0]
        f.seek(offset + 12)
        directory = f.read(16 * num_tables)
    tags = {directory[i : i + 4] for i in range(0, len(directory), 16)}
    return b"glyf" in tags


def _covers_chinese(path: str) -> bool:
    try:
        font = font_manager.get_font(path)
    except (OSError, RuntimeError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in _PROBE)


def _register(path: str) -> CJKFont | None:
    if not os.path.isfile(path) or not _covers_chinese(path):
        return None
    font_manager.fontManager.addfont(path)
    family = font_manager.get_font(path).family_name
    return CJKFont(family=family, path=path, truetype=has_truetype_outlines(path))


def _bundled_font_files() -> list[str]:
    folder = resources.files("greenindex").joinpath("fonts")
    if not folder.is_dir():
        return []
    return sorted(
        str(p)
        for p in folder.iterdir()
        if p.name.lower().endswith((".ttf", ".ttc", ".otf", ".otc"))
    )


def _candidates() -> Iterator[str]:
    env = os.environ.get(_FONT_ENV)
    if env:
        yield env
    yield from _bundled_font_files()
    by_family = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for fam in CJK_FAMILIES:
        if fam in by_family:
            yield by_family[fam]
    yield from CJK_FILES


@lru_cache(maxsize=1)
def find_cjk_font() -> CJKFont | None:
    """The first installed font with Chinese glyphs, or ``None``.

    Order: the file named by ``$GREENINDEX_CJK_FONT``; font files in
    ``greenindex/fonts/``; the families in :data:`CJK_FAMILIES` known to matplotlib; the
    files in :data:`CJK_FILES`. A candidate counts only if it has glyphs for all of
    ``中国东部地区指数``.

    Examples
    --------
    >>> font = find_cjk_font()
    >>> font is None or font.pdf_fonttype in (3, 42)
    True
    """
    for path in _candidates():
        found = _register(path)
        if found is not None:
            return found
    return None


def style_path() -> Path:
    """Path of the greenindex matplotlib style file."""
    return Path(str(resources.files("greenindex").joinpath("styles", "greenindex.mplstyle")))


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ConfigError(
            "figures.language",
            f"unknown language '{language}'",
            f"use one of {', '.join(LANGUAGES)}",
        )


def _rc(language: str, *, require_cjk: bool | None = None) -> dict[str, object]:
    _check_language(language)
    need = language == "zh" if require_cjk is None else require_cjk
    font = find_cjk_font()
    if font is None and need:
        raise ConfigError(
            "figures.language",
            "Chinese labels were asked for but no font with Chinese glyphs is installed, so "
            "the figures would show empty boxes",
            install_hint(),
        )
    rc: dict[str, object] = dict(
        mpl.rc_params_from_file(str(style_path()), use_default_template=False)
    )
    latin = ["DejaVu Sans"]
    if font is not None:
        # zh: CJK font first so Latin digits and Chinese share one design; en: Latin first,
        # CJK as fallback for any Chinese name that still appears.
        fams = [font.family, *latin] if language == "zh" else [*latin, font.family]
        rc["pdf.fonttype"] = font.pdf_fonttype
        rc["ps.fonttype"] = font.pdf_fonttype
    else:
        fams = latin
        rc["pdf.fonttype"] = 42
    # font.family lists the families themselves (not the generic "sans-serif"): matplotlib
    # falls back glyph by glyph only across the families named there, so an English figure
    # draws a Chinese review number or place name with the CJK font instead of empty boxes
    rc["font.family"] = fams
    rc["font.sans-serif"] = fams
    rc["svg.hashsalt"] = _SVG_SALT
    return rc


def use_style(language: str = "zh", *, require_cjk: bool | None = None) -> CJKFont | None:
    """Apply the greenindex style and a CJK font to matplotlib's global settings.

    Parameters
    ----------
    language
        ``"zh"`` or ``"en"``. With ``"zh"`` a CJK font is required.
    require_cjk
        Override whether a missing CJK font is an error (default: only for ``"zh"``).

    Returns
    -------
    CJKFont or None
        The font used for Chinese glyphs.

    Raises
    ------
    ConfigError
        Unknown language, or ``"zh"`` without any CJK font (the message says how to install
        one).
    """
    rc = _rc(language, require_cjk=require_cjk)
    # wqy fonts declare weight 500; matplotlib logs a warning for every text otherwise.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    mpl.rcParams.update(rc)
    return find_cjk_font()


@contextmanager
def style_context(
    language: str = "zh",
    *,
    require_cjk: bool | None = None,
    column_mm: dict[str, float] | None = None,
    svg_text: str = "path",
) -> Iterator[CJKFont | None]:
    """Like :func:`use_style` but restores matplotlib's settings on exit.

    Parameters
    ----------
    column_mm
        Journal column widths ``{"single": mm, "double": mm}`` used by :func:`figure_width`
        inside the block (default :data:`COLUMN_MM`).
    svg_text
        ``"path"``: SVG glyphs drawn as outlines (looks the same everywhere); ``"text"``: SVG
        text kept as editable ``<text>`` elements (the reader needs the fonts).
    """
    if svg_text not in ("path", "text"):
        raise ConfigError("figures.svg_text", f"unknown value '{svg_text}'", "use path or text")
    rc = _rc(language, require_cjk=require_cjk)
    rc["svg.fonttype"] = "none" if svg_text == "text" else "path"
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    old = dict(_widths)
    _widths.update(column_mm or COLUMN_MM)
    try:
        with mpl.rc_context(rc):
            yield find_cjk_font()
    finally:
        _widths.clear()
        _widths.update(old)


def figure_width(kind: str = "single") -> float:
    """Width in inches of a ``"single"``- or ``"double"``-column figure (see :data:`COLUMN_MM`).

    >>> round(figure_width("single"), 3)
    3.465
    """
    if kind not in _widths:
        raise ConfigError(
            "figures.column_mm", f"unknown column kind '{kind}'", "use single or double"
        )
    return _widths[kind] / 25.4


def region_styles(regions: Sequence[str]) -> dict[str, dict[str, str]]:
    """Colour and marker of each region, in the given order (``regions.order``).

    The same region gets the same Okabe-Ito colour and marker in every figure; the national
    reference is black. Markers keep the regions apart in greyscale print.

    >>> region_styles(["east", "central"])["central"]
    {'color': '#E69F00', 'marker': 's'}
    """
    out: dict[str, dict[str, str]] = {}
    i = 0
    for r in dict.fromkeys(regions):
        if r == "national":
            out[r] = {"color": "#000000", "marker": ""}
            continue
        out[r] = {"color": OKABE_ITO[i % 7], "marker": _MARKERS[i % len(_MARKERS)]}
        i += 1
    return out


def small_fonts(fig: Figure, minimum: float = MIN_FONT_PT) -> list[tuple[str, float]]:
    """Visible texts of ``fig`` smaller than ``minimum`` points (text, size): should be empty."""
    from matplotlib.text import Text

    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < minimum - 1e-9:
            out.append((t.get_text(), float(t.get_fontsize())))
    return out


def _metadata(fmt: str) -> dict[str, str | None]:
    if fmt == "pdf":
        return {"Creator": _PRODUCER, "Producer": _PRODUCER, "CreationDate": None, "ModDate": None}
    if fmt == "svg":
        return {"Creator": _PRODUCER, "Date": None}
    if fmt == "png":
        return {"Software": None}
    return {}


def _save_png_rgb(fig: Figure, path: Path, dpi: int) -> None:
    """PNG in RGB (no alpha channel: some print workflows and journal portals reject RGBA)
    with the resolution in the ``pHYs`` chunk (300 dpi = 11811 pixels per metre, the
    nearest whole number PNG can store) and no text chunks."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata=_metadata("png"))
    buf.seek(0)
    with Image.open(buf) as im:
        rgba = im.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    Image.alpha_composite(white, rgba).convert("RGB").save(path, format="PNG", dpi=(dpi, dpi))


def save_figure(
    fig: Figure,
    path_stem: str | os.PathLike[str],
    formats: Sequence[str] = ("png", "pdf", "svg"),
    dpi: int = 300,
    *,
    close: bool = False,
) -> list[Path]:
    """Save ``fig`` as ``path_stem.<fmt>`` for each format, byte-identical on rerun.

    PDF: no ``CreationDate``/``ModDate``, fixed ``Producer``; SVG: no ``Date``, fixed id hash
    salt; PNG: RGB (alpha composited on white), resolution stored, no text chunk.

    Parameters
    ----------
    fig
        The figure.
    path_stem
        Output path without extension; parent folders are created. An extension matching
        one of ``formats`` is stripped.
    formats
        Any of ``png``, ``pdf``, ``svg``.
    dpi
        Resolution of raster output (PNG, and rasterised artists in PDF/SVG).
    close
        Close the figure after saving.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.
    """
    stem = Path(path_stem)
    if stem.suffix.lstrip(".") in formats:
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in formats:
        if fmt not in ("png", "pdf", "svg"):
            raise ConfigError(
                "figures.formats", f"unknown format '{fmt}'", "use png, pdf and/or svg"
            )
        path = stem.with_name(stem.name + "." + fmt)
        with mpl.rc_context({"svg.hashsalt": _SVG_SALT}):
            try:
                with atomic_path(path) as tmp:  # never a truncated figure under the final name
                    if fmt == "png":
                        _save_png_rgb(fig, tmp, dpi)
                    else:
                        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_metadata(fmt))
            except ValueError as exc:
                # matplotlib's Type 3 embedding cannot encode multi-byte (CJK) glyphs; Type 3
                # is what a CFF-outline font (Noto CJK) gets, since Type 42 garbles those.
                if fmt == "pdf" and mpl.rcParams["pdf.fonttype"] == 3:
                    path.unlink(missing_ok=True)
                    raise ConfigError(
                        "figures.formats",
                        "the only Chinese font found has CFF outlines, which cannot be embedded "
                        f"in a PDF correctly ({exc})",
                        install_hint() + " Or leave 'pdf' out of figures.formats.",
                    ) from exc
                raise
        out.append(path)
    if close:
        plt.close(fig)
    return out


# --- labels -------------------------------------------------------------------------------


def label(key: str, language: str) -> str:
    """Display text for a known key (``"no_data"``, ``"east"``, ...) in ``language``.

    The texts live in the one glossary of the project, :data:`greenindex.glossary.GLOSSARY`.
    Unknown keys are returned unchanged, so data labels pass through.

    >>> label("no_data", "zh"), label("east", "en"), label("Xinjiang", "en")
    ('无数据', 'East', 'Xinjiang')
    """
    _check_language(language)
    return term(key, language)
