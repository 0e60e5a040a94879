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

Embedding is the slow part of writing a Chinese PDF: matplotlib subsets the whole font
program for every file, and WenQuanYi Micro Hei holds about 50,000 glyphs, so one small
chart took 0.43 s to save. :func:`common_subset` therefore makes, once per machine, a copy
of the font cut down to the characters of GB 2312 plus Latin and punctuation (about 8,600
characters), cached on disk; the figures name it first and the whole font after it, so a
character outside the copy is still drawn from the whole font. Saving the same chart then
takes 0.16 s. The Latin font (DejaVu Sans) gets the same treatment. The glyphs, metrics and kerning are the font's own, so the figures look the same.

Installing a font (what the project's set-up runs, see ``scripts/install_fonts.sh``):

- Debian/Ubuntu: ``apt-get install fonts-wqy-microhei`` (TrueType outlines, Apache-2.0/GPL);
- Windows: SimHei / Microsoft YaHei are found automatically;
- macOS: PingFang / Heiti are found automatically (embedded as Type 3);
- anywhere: set ``GREENINDEX_CJK_FONT=/path/to/font.ttf`` or copy a font file into
  ``src/greenindex/fonts/``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from matplotlib import font_manager

__all__ = [
    "CJK_FAMILIES",
    "CJK_FILES",
    "CJKFont",
    "common_subset",
    "find_cjk_font",
    "has_truetype_outlines",
    "install_hint",
    "latin_font",
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


def _register(path: str, *, chinese: bool = True) -> CJKFont | None:
    """Add the font file to matplotlib's list; ``None`` if it is missing or (``chinese``)
    has no glyphs for :data:`_PROBE`."""
    if not os.path.isfile(path) or (chinese and not _covers_chinese(path)):
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


#: Version of the character set of :func:`common_subset` (part of the cache key).
_SUBSET_VERSION = "common-1"


def _common_characters() -> set[int]:
    """GB 2312 (its 6,763 hanzi and symbols: the characters of Chinese official and
    scientific writing), Latin with its extensions, general punctuation, super- and
    subscripts, arrows, mathematical operators, CJK punctuation and full-width forms."""
    chars: set[int] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    for lo, hi in (
        (0x20, 0x250),
        (0x370, 0x400),
        (0x2000, 0x2070),
        (0x2070, 0x20A0),
        (0x2190, 0x2200),
        (0x2200, 0x2300),
        (0x3000, 0x3040),
        (0xFF00, 0xFFF0),
    ):
        chars.update(range(lo, hi))
    return chars


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "greenindex" / "fonts"


@lru_cache(maxsize=1)
def latin_font() -> CJKFont:
    """The Latin font of the figures: DejaVu Sans, which matplotlib ships."""
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return CJKFont("DejaVu Sans", path, has_truetype_outlines(path))


@lru_cache(maxsize=4)
def common_subset(font: CJKFont, cache_dir: str | None = None) -> CJKFont | None:
    """``font`` cut down to the common characters (see :func:`_common_characters`), or
    ``None`` when no copy can be made (a font with CFF outlines, which PDF embeds glyph by
    glyph anyway, or no writable cache folder). Used for the CJK font and for the Latin
    font (:func:`latin_font`; a copy of DejaVu Sans embeds in 0.06 s instead of 0.15 s).

    The copy is named ``<family> Common`` and written once into ``cache_dir`` (default
    ``$XDG_CACHE_HOME/greenindex/fonts`` or ``~/.cache/greenindex/fonts``) under a name
    derived from the source file (path, size, modification time) and the character set;
    later calls and later runs reuse it. It is written to a temporary file and renamed, so
    figure jobs running at the same time never read half a file. Its bytes do not depend on
    the time (no timestamp is recalculated).
    """
    if not font.truetype:
        return None
    src = Path(font.path)
    try:
        st = src.stat()
    except OSError:
        return None
    key = hashlib.sha256(
        f"{src.resolve()}|{st.st_size}|{st.st_mtime_ns}|{_SUBSET_VERSION}".encode()
    ).hexdigest()[:16]
    folder = Path(cache_dir) if cache_dir else _cache_dir()
    target = folder / f"{src.stem}-{_SUBSET_VERSION}-{key}.ttf"
    if not target.is_file():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_subset(src, font.family, target)
        except Exception as exc:  # noqa: BLE001 - any failure: the whole font serves as before
            logging.getLogger(__name__).warning("no common-character copy of %s: %s", src, exc)
            return None
    try:
        found = _register(str(target), chinese=False)
    except Exception:  # noqa: BLE001 - an unreadable cache file: use the whole font
        return None
    return found if found is not None and found.family != font.family else None


def _write_subset(src: Path, family: str, target: Path) -> None:
    """Write the common-character copy of the first face of ``src`` to ``target``."""
    from fontTools import subset

    opts = subset.Options()
    opts.font_number = 0
    opts.glyph_names = True
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.layout_features = ["*"]
    opts.recalc_timestamp = False
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset; dropped"
    ft = subset.load_font(str(src), opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=_common_characters())
    sub.subset(ft)
    new_family = f"{family} Common"
    for rec in ft["name"].names:
        if rec.nameID in (1, 4, 16):
            rec.string = new_family
        elif rec.nameID == 6:
            rec.string = new_family.replace(" ", "")
    fd, tmp = tempfile.mkstemp(suffix=".ttf", dir=target.parent)
    os.close(fd)
    try:
        ft.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        ft.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
