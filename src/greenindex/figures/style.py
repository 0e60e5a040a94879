"""One look for all figures: the style file, a CJK font, labels in two languages, saving.

The style (:func:`use_style`, :func:`style_context`) puts the CJK font found by
:func:`greenindex.figures.fonts.find_cjk_font` first for Chinese figures and picks the PDF
font type from its outlines (see :mod:`greenindex.figures.fonts`); :func:`save_figure`
(:mod:`greenindex.figures.saving`) writes byte-identical files. Both are re-exported here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from greenindex.errors import ConfigError
from greenindex.figures.fonts import (
    CJK_FAMILIES,
    CJK_FILES,
    CJKFont,
    common_subset,
    find_cjk_font,
    has_truetype_outlines,
    install_hint,
    latin_font,
)
from greenindex.figures.saving import _SVG_SALT, save_figure
from greenindex.glossary import term

__all__ = [
    "CJK_FAMILIES",
    "CJK_FILES",
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


def _with_common_copy(font: CJKFont) -> list[str]:
    """``[copy, font]`` families when the common-character copy can be made, else ``[font]``."""
    sub = common_subset(font)
    return [sub.family, font.family] if sub is not None else [font.family]


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
    # each font's common-character copy first (fast PDF embedding, see fonts.py), the whole
    # font after it for any rarer character
    latin = _with_common_copy(latin_font())
    if font is not None:
        # zh: CJK font first so Latin digits and Chinese share one design; en: Latin first,
        # CJK as fallback for any Chinese name that still appears.
        cjk = _with_common_copy(font)
        fams = [*cjk, *latin] if language == "zh" else [*latin, *cjk]
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
