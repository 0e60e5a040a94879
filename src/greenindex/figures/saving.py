"""Saving figures as PNG, PDF and SVG, byte-identical on rerun.

Output is byte-identical on rerun: :func:`save_figure` fixes PDF/SVG metadata (no creation
date, fixed producer), removes the PNG ``Software`` chunk and fixes the SVG id hash salt.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from greenindex.data.io import atomic_path
from greenindex.errors import ConfigError
from greenindex.figures.fonts import install_hint
from greenindex.figures.preview import preview_png
from greenindex.logs import Progress

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["JobFigures", "encode_png_rgb", "save_figure"]

_PRODUCER = "greenindex (matplotlib)"


_SVG_SALT = "greenindex"


def _metadata(fmt: str) -> dict[str, str | None]:
    if fmt == "pdf":
        return {"Creator": _PRODUCER, "Producer": _PRODUCER, "CreationDate": None, "ModDate": None}
    if fmt == "svg":
        return {"Creator": _PRODUCER, "Date": None}
    if fmt == "png":
        return {"Software": None}
    return {}


def _save_png_rgb(fig: Figure, path: Path, dpi: int, preview: Path | None = None) -> None:
    """PNG in RGB (no alpha channel: some print workflows and journal portals reject RGBA)
    with the resolution in the ``pHYs`` chunk (300 dpi = 11811 pixels per metre, the
    nearest whole number PNG can store) and no text chunks.

    The figure is rendered once to Agg's raw RGBA buffer (``savefig(format="raw")``, the
    pixels matplotlib's own PNG writer would encode), composited on white where it is not
    opaque, and encoded once (:func:`encode_png_rgb`). With ``preview``, the report's copy
    (:func:`preview_png`) of the same pixels is written there too, so that the report need not
    decode the file again.
    """
    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="raw", dpi=dpi)
    # Agg's canvas is the figure's size in pixels, truncated (savefig.bbox is "standard")
    width, height = (int(v) for v in fig.get_size_inches() * dpi)
    raw = buf.getbuffer()
    if len(raw) != width * height * 4:  # pragma: no cover - a backend that sizes otherwise
        raise RuntimeError(f"raw figure buffer of {len(raw)} bytes is not {width} x {height} RGBA")
    rgba = np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 4)
    if rgba[..., 3].min() == 255:  # opaque (the usual white figure): the colours as they are
        rgb = np.ascontiguousarray(rgba[..., :3])  # one copy, for the file and the preview
    else:
        white = Image.new("RGBA", (width, height), (255, 255, 255, 255))
        composite = Image.alpha_composite(white, Image.fromarray(rgba, "RGBA")).convert("RGB")
        rgb = np.asarray(composite)
    path.write_bytes(encode_png_rgb(rgb, dpi))
    if preview is not None:
        preview.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(preview) as tmp:
            tmp.write_bytes(preview_png(Image.fromarray(rgb, "RGB")))


#: Bytes of image data per IDAT chunk (as libpng and Pillow write them).
_IDAT_BYTES = 1 << 16


def encode_png_rgb(rgb: NDArray[np.uint8], dpi: int, level: int = 6) -> bytes:
    """PNG bytes of an 8-bit RGB image ``(height, width, 3)``: ``IHDR``, ``pHYs`` (``dpi``
    as whole pixels per metre), ``IDAT`` and ``IEND`` chunks only, deterministic.

    Every row uses PNG filter type 0 (none) and the data is deflated at zlib ``level``. On
    figures (large areas of one colour, thin lines, text) this is smaller and faster than the
    per-row adaptive filter of libpng and Pillow: on the 11 maps and charts of one language,
    0.53 s and 3.4 MB here against Pillow's 0.97 s and 4.1 MB, the pixels identical.
    See the PNG specification (W3C, 2nd ed., 2003), sections 5 (chunks), 9 (filters), 11.2.2
    (``IHDR``) and 11.3.5.3 (``pHYs``).
    """
    import zlib

    import numpy as np

    height, width, channels = rgb.shape
    if channels != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"an 8-bit RGB image is needed, not {rgb.dtype} with {channels} channels")
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "none" on every row
    rows[:, 1:] = rgb.reshape(height, 3 * width)
    data = zlib.compress(rows, level)
    ppm = int(dpi / 0.0254 + 0.5)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
        )

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    phys = ppm.to_bytes(4, "big") * 2 + b"\x01"  # unit: metre
    parts = [b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", ihdr), chunk(b"pHYs", phys)]
    parts += [chunk(b"IDAT", data[i : i + _IDAT_BYTES]) for i in range(0, len(data), _IDAT_BYTES)]
    parts.append(chunk(b"IEND", b""))
    return b"".join(parts)


def save_figure(
    fig: Figure,
    path_stem: str | os.PathLike[str],
    formats: Sequence[str] = ("png", "pdf"),
    dpi: int = 300,
    *,
    close: bool = False,
    preview: str | os.PathLike[str] | None = None,
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
        Any of ``png``, ``pdf``, ``svg`` (default: the ``figures.formats`` default).
    dpi
        Resolution of raster output (PNG, and rasterised artists in PDF/SVG).
    close
        Close the figure after saving.
    preview
        With PNG among ``formats``: also write the report's copy of the PNG to this path
        (:func:`preview_png`).

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
    # A figure with a layout engine (constrained layout) is laid out by a full extra draw
    # before every file. The first file's layout is kept for the others (the engine is off
    # in between and put back at the end), which saves that draw for every further format.
    engine = fig.get_layout_engine()
    try:
        for fmt in formats:
            out.append(_save_one(fig, stem, fmt, dpi, None if preview is None else Path(preview)))
            fig.set_layout_engine(None)
    finally:
        fig.set_layout_engine(engine)
    if close:
        plt.close(fig)
    return out


def _save_one(fig: Figure, stem: Path, fmt: str, dpi: int, preview: Path | None = None) -> Path:
    """Write ``fig`` as ``stem.<fmt>`` (see :func:`save_figure`)."""
    if fmt not in ("png", "pdf", "svg"):
        raise ConfigError("figures.formats", f"unknown format '{fmt}'", "use png, pdf and/or svg")
    path = stem.with_name(stem.name + "." + fmt)
    with mpl.rc_context({"svg.hashsalt": _SVG_SALT}):
        try:
            with atomic_path(path) as tmp:  # never a truncated figure under the final name
                if fmt == "png":
                    _save_png_rgb(fig, tmp, dpi, preview)
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
    return path


class JobFigures:
    """The figures a workflow job writes: folder, formats, resolution, the report's copies.

    ``output`` is the job's ``snakemake.output``: its first file names the folder, and its
    ``previews`` list (the PNG jobs only) the report's copies, matched by file stem. Each
    :meth:`save` writes one figure in every format, closes it and advances ``progress``.
    """

    def __init__(
        self, output: Any, figures: Mapping[str, Any], progress: Progress | None = None
    ) -> None:
        self.folder = Path(output[0]).parent
        self.formats = list(figures["formats"])
        self.dpi = int(figures["dpi"])
        self.previews = {Path(p).stem: p for p in getattr(output, "previews", [])}
        self.progress = progress

    def save(self, fig: Figure, name: str) -> list[Path]:
        """Write ``fig`` as ``<folder>/<name>.<format>`` (and its report copy, if declared)."""
        out = save_figure(
            fig,
            self.folder / name,
            formats=self.formats,
            dpi=self.dpi,
            close=True,
            preview=self.previews.get(name),
        )
        if self.progress is not None:
            self.progress.advance(1, name)
        return out
