"""Saving figures as PNG, PDF and SVG, byte-identical on rerun.

Output is byte-identical on rerun: :func:`save_figure` fixes PDF/SVG metadata (no creation
date, fixed producer), removes the PNG ``Software`` chunk and fixes the SVG id hash salt.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from greenindex.data.io import atomic_path
from greenindex.errors import ConfigError
from greenindex.figures.fonts import install_hint
from greenindex.figures.preview import preview_png
from greenindex.logs import Progress

__all__ = ["JobFigures", "save_figure"]

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
    opaque, and encoded once. With ``preview``, the report's copy (:func:`preview_png`) of the
    same pixels is written there too, so that the report need not decode the file again.
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
        image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
    else:
        white = Image.new("RGBA", (width, height), (255, 255, 255, 255))
        image = Image.alpha_composite(white, Image.fromarray(rgba, "RGBA")).convert("RGB")
    image.save(path, format="PNG", dpi=(dpi, dpi))
    if preview is not None:
        preview.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(preview) as tmp:
            tmp.write_bytes(preview_png(image))


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
