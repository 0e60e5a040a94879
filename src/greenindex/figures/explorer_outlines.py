"""Province outlines of the weight explorer page as SVG paths, in the maps' projection and
layout (:mod:`greenindex.figures.explorer`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _svg_path(geom: Any, tx: Any) -> str:
    """SVG path data of the polygon rings or lines of ``geom`` (coordinates through ``tx``)."""
    import shapely

    out: list[str] = []
    for part in shapely.get_parts(geom):
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            rings, close = [part.exterior, *part.interiors], True
        elif part.geom_type in ("LineString", "LinearRing"):
            rings, close = [part], False
        else:
            continue
        for ring in rings:
            xy = tx(np.asarray(ring.coords)[:, :2])
            keep = np.ones(len(xy), dtype=bool)
            keep[1:] = np.any(np.abs(np.diff(xy, axis=0)) > 0, axis=1)
            xy = xy[keep]
            if len(xy) < 2:
                continue
            pts = " ".join(f"{x:g} {y:g}" for x, y in xy)
            out.append(f"M{pts}{'Z' if close else ''}")
    return "".join(out)


def _clipped_paths(bb: Any, extent: Sequence[float], tx: Any) -> tuple[dict[str, str], str]:
    """Province paths (``{unit: path}``) and the dash-line path of ``bb`` clipped to ``extent``
    plus a 2 % margin."""
    import shapely

    ex0, ey0, ex1, ey1 = extent
    mx, my = 0.02 * (ex1 - ex0), 0.02 * (ey1 - ey0)
    rect = (ex0 - mx, ey0 - my, ex1 + mx, ey1 + my)
    geoms = shapely.clip_by_rect(bb.provinces.geometry.to_numpy(), *rect)
    prov = {
        str(u): p
        for u, g in zip(bb.provinces["unit"], geoms, strict=True)
        if not g.is_empty and (p := _svg_path(g, tx))
    }
    dash = "".join(
        _svg_path(g, tx)
        for g in shapely.clip_by_rect(bb.dash_line.geometry.to_numpy(), *rect)
        if not g.is_empty
    )
    return prov, dash


def map_outlines(
    boundaries: Any,
    *,
    width: int = 800,
    inset: bool | str = "auto",
    tolerance_px: float = 0.6,
) -> dict[str, Any]:
    """Province outlines as SVG paths, in the maps' projection and layout.

    The layout (Albers equal-area conic, main map stopping at Hainan, South China Sea inset at
    the lower right) is that of :mod:`greenindex.figures.maps`; outlines are coverage-simplified
    (:func:`greenindex.figures.boundaries.simplify_coverage`) to ``tolerance_px`` pixels of a
    map ``width`` pixels wide and rounded to 0.1 px.

    Parameters
    ----------
    boundaries
        A :class:`~greenindex.figures.boundaries.Boundaries` (e.g. from ``read_prepared``).
    width
        Width of the SVG view box.
    inset
        ``"auto"``, True or False (``maps.inset``).
    tolerance_px
        Simplification tolerance in pixels.

    Returns
    -------
    dict
        ``width``, ``height``, ``main`` and ``inset`` (``{unit: path}``), ``dash_main``,
        ``dash_inset`` (path data) and ``inset_box`` (``[x, y, w, h]`` in pixels, or None).
    """
    import shapely

    from greenindex.figures.boundaries import Boundaries, simplify_coverage
    from greenindex.figures.maps import _as_boundaries, _layout

    b = _as_boundaries(boundaries)
    x0, _, x1, _ = shapely.total_bounds(b.provinces.geometry.to_numpy())
    tol = tolerance_px * (x1 - x0) / width
    b = Boundaries(simplify_coverage(b.provinces, tol), b.dash_line)
    lay = _layout(b, inset)
    mx0, my0, mx1, my1 = lay.main
    s = width / (mx1 - mx0)
    height = round((my1 - my0) * s, 1)

    def tx_main(xy: np.ndarray) -> np.ndarray:
        return np.round(np.column_stack([(xy[:, 0] - mx0) * s, (my1 - xy[:, 1]) * s]), 1)

    main, dash_main = _clipped_paths(lay.main_b, lay.main, tx_main)
    out: dict[str, Any] = {
        "width": width,
        "height": height,
        "main": main,
        "dash_main": dash_main,
        "inset": {},
        "dash_inset": "",
        "inset_box": None,
    }
    if lay.inset is not None and lay.inset_rect is not None:
        ix0, iy0, ix1, _ = lay.inset
        rx, ry, rw, rh = lay.inset_rect
        k = rw / (ix1 - ix0)

        def tx_inset(xy: np.ndarray) -> np.ndarray:
            mxy = np.column_stack([rx + (xy[:, 0] - ix0) * k, ry + (xy[:, 1] - iy0) * k])
            return tx_main(mxy)

        out["inset"], out["dash_inset"] = _clipped_paths(lay.b, lay.inset, tx_inset)
        out["inset_box"] = [
            round((rx - mx0) * s, 1),
            round((my1 - (ry + rh)) * s, 1),
            round(rw * s, 1),
            round(rh * s, 1),
        ]
    return out
