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

__all__ = [
    "LANGUAGES",
    "CJKFont",
    "find_cjk_font",
    "has_truetype_outlines",
    "install_hint",
    "label",
    "save_figure",
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
    rc["font.family"] = ["sans-serif"]
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
    language: str = "zh", *, require_cjk: bool | None = None
) -> Iterator[CJKFont | None]:
    """Like :func:`use_style` but restores matplotlib's settings on exit."""
    rc = _rc(language, require_cjk=require_cjk)
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    with mpl.rc_context(rc):
        yield find_cjk_font()


def _metadata(fmt: str) -> dict[str, str | None]:
    if fmt == "pdf":
        return {"Creator": _PRODUCER, "Producer": _PRODUCER, "CreationDate": None, "ModDate": None}
    if fmt == "svg":
        return {"Creator": _PRODUCER, "Date": None}
    if fmt == "png":
        return {"Software": None}
    return {}


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
    salt; PNG: no ``Software`` text chunk (matplotlib writes no time stamp in PNG).

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

_LABELS: dict[str, dict[str, str]] = {
    "no_data": {"zh": "无数据", "en": "No data"},
    "index": {"zh": "绿色制造指数", "en": "Green manufacturing index"},
    "year": {"zh": "年份", "en": "Year"},
    "rank": {"zh": "排名", "en": "Rank"},
    "density": {"zh": "核密度", "en": "Density"},
    "weight": {"zh": "权重", "en": "Weight"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "change": {"zh": "指数变化", "en": "Change in index"},
    "contribution": {"zh": "贡献率（%）", "en": "Contribution (%)"},
    "region_mean": {"zh": "区域均值", "en": "Regional mean"},
    "province_range": {"zh": "省际范围", "en": "Range of provinces"},
    "province_iqr": {"zh": "省际四分位距", "en": "Interquartile range of provinces"},
    "lisa": {"zh": "LISA 集聚", "en": "LISA clusters"},
    "review_number": {"zh": "审图号：", "en": "Map review No.: "},
    "base_map": {"zh": "底图：", "en": "Base map: "},
    "no_review_number": {"zh": "；无审图号", "en": "; no map review number"},
    "north": {"zh": "北", "en": "N"},
    "km": {"zh": "千米", "en": "km"},
    "south_china_sea": {"zh": "南海诸岛", "en": "South China Sea Islands"},
    "east": {"zh": "东部", "en": "East"},
    "central": {"zh": "中部", "en": "Central"},
    "west": {"zh": "西部", "en": "West"},
    "northeast": {"zh": "东北", "en": "Northeast"},
    "HH": {"zh": "高-高", "en": "High-High"},
    "LL": {"zh": "低-低", "en": "Low-Low"},
    "HL": {"zh": "高-低", "en": "High-Low"},
    "LH": {"zh": "低-高", "en": "Low-High"},
    "ns": {"zh": "不显著", "en": "Not significant"},
    "within": {"zh": "区域内", "en": "Within regions"},
    "between": {"zh": "区域间", "en": "Between regions"},
    "transvariation": {"zh": "超变密度", "en": "Transvariation"},
    "national": {"zh": "全国", "en": "National"},
    "theil": {"zh": "泰尔指数", "en": "Theil T"},
    "dagum": {"zh": "Dagum 基尼系数", "en": "Dagum Gini"},
    "entropy": {"zh": "熵权法", "en": "Entropy"},
    "pca": {"zh": "主成分分析", "en": "PCA"},
    "critic": {"zh": "CRITIC", "en": "CRITIC"},
    "equal": {"zh": "等权", "en": "Equal"},
    "topsis": {"zh": "熵权-TOPSIS", "en": "Entropy-TOPSIS"},
}


def label(key: str, language: str) -> str:
    """Display text for a known key (``"no_data"``, ``"east"``, ...) in ``language``.

    Unknown keys are returned unchanged, so data labels pass through.

    >>> label("no_data", "zh"), label("east", "en"), label("Xinjiang", "en")
    ('无数据', 'East', 'Xinjiang')
    """
    _check_language(language)
    entry = _LABELS.get(key)
    return entry[language] if entry else key
