"""A font with Chinese glyphs for the figures, and how its outlines decide PDF embedding.

Chinese labels need a font with CJK glyphs. Which one matters for PDF output: matplotlib
embeds fonts in PDF either as Type 42 (the TrueType program itself) or as Type 3 (each
glyph drawn as a PDF procedure). A font with CFF (PostScript) outlines, such as Noto Sans
CJK or Source Han Sans (``.otf``), embedded as Type 42 gives a PDF whose Chinese glyphs are
garbled in common viewers, so such fonts are embedded as Type 3. A font with TrueType
(``glyf``) outlines, such as WenQuanYi Micro Hei or SimHei, can be embedded as Type 42, which
keeps text selectable and files small. :func:`find_cjk_font` looks for known fonts in order
and :func:`use_style` picks ``pdf.fonttype`` from the outline format it finds. SVG output
draws glyphs as paths (``svg.fonttype: path``) so it needs no font on the reader's side.

Installing a font (what the project's set-up runs, see ``scripts/install_fonts.sh``):

- Debian/Ubuntu: ``apt-get install fonts-wqy-microhei`` (TrueType outlines, Apache-2.0/GPL);
- Windows: SimHei / Microsoft YaHei are found automatically;
- macOS: PingFang / Heiti are found automatically (embedded as Type 3);
- anywhere: set ``GREENINDEX_CJK_FONT=/path/to/font.ttf`` or copy a font file into
  ``src/greenindex/fonts/``.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from matplotlib import font_manager

__all__ = [
    "CJK_FAMILIES",
    "CJK_FILES",
    "CJKFont",
    "find_cjk_font",
    "has_truetype_outlines",
    "install_hint",
]

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


_FONT_ENV = "GREENINDEX_CJK_FONT"


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
