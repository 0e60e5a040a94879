"""Drawing a map: provinces, borders, the inset frame, north arrow and scale bar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from greenindex.figures.boundaries import Boundaries
from greenindex.figures.maps.geometry import _Layout, _path
from greenindex.figures.style import label

_NODATA_FACE = "#ffffff"


_NODATA_HATCH = "/////"


_EDGE = "#555555"


_BORDER = "#222222"


def _lines(
    ax: Axes,
    geoms: Sequence[shapely.Geometry] | MplPath | None,
    *,
    color: object,
    lw: float,
    zorder: float,
    joinstyle: str = "round",
    capstyle: str = "butt",
) -> None:
    """Outline every ring / line of ``geoms`` as one compound path (one artist and one PDF
    path object, not one per ring: the national outline alone has hundreds of island rings).
    ``geoms`` may be that path already (see :func:`_outline_path`)."""
    path = geoms if geoms is None or isinstance(geoms, MplPath) else _outline_path(geoms)
    if path is not None:
        # add_artist, not add_patch: the extent is set by the caller, and add_patch's data-limit
        # update walks every vertex of the compound path (slow for thousands of rings)
        ax.add_artist(
            PathPatch(
                path,
                fill=False,
                edgecolor=color,
                linewidth=lw,
                zorder=zorder,
                joinstyle=joinstyle,
                capstyle=capstyle,
            )
        )


def _outline_path(geoms: Sequence[shapely.Geometry]) -> MplPath | None:
    """One compound open path through every ring / line of ``geoms`` (None if there are none)."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for g in geoms:
        for part in shapely.get_parts(g):
            if part.geom_type == "Polygon":
                rings = [part.exterior, *part.interiors]
            elif part.geom_type in ("LineString", "LinearRing"):
                rings = [part]
            else:
                continue
            for r in rings:
                xy = np.asarray(r.coords)[:, :2]
                if len(xy) < 2:
                    continue
                c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
                c[0] = MplPath.MOVETO
                verts.append(xy)
                codes.append(c)
    return MplPath(np.concatenate(verts), np.concatenate(codes)) if verts else None


@dataclass(frozen=True)
class _Clipped:
    """Province paths (unit, path), national outline and dashed line clipped to one extent."""

    provinces: list[tuple[str, MplPath]]
    national: MplPath | None
    dash: MplPath | None


#: Clipped paths by (boundaries, national outline, extent): every map of a figure job draws
#: the same provinces at the same two extents (main map, inset). The objects are kept beside
#: their identities so that an identity cannot be reused by another object.
_CLIPPED: dict[tuple[int, int, tuple[float, ...]], tuple[object, object, _Clipped]] = {}


def _clipped(
    b: Boundaries, national: shapely.Geometry, extent: tuple[float, float, float, float]
) -> _Clipped:
    """Geometry clipped to the visible extent plus a 2 % margin, as matplotlib paths."""
    key = (id(b), id(national), tuple(extent))
    hit = _CLIPPED.get(key)
    if hit is not None and hit[0] is b and hit[1] is national:
        return hit[2]
    prov = b.provinces
    x0, y0, x1, y1 = extent
    mx, my = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
    rect = (x0 - mx, y0 - my, x1 + mx, y1 + my)
    clipped = shapely.clip_by_rect(prov.geometry.to_numpy(), *rect)
    dash = [
        g for g in shapely.clip_by_rect(b.dash_line.geometry.to_numpy(), *rect) if not g.is_empty
    ]
    out = _Clipped(
        [
            (unit, _path(geom))
            for unit, geom in zip(prov["unit"], clipped, strict=True)
            if not geom.is_empty
        ],
        _outline_path([shapely.clip_by_rect(national, *rect)]),
        _outline_path(dash),
    )
    if len(_CLIPPED) >= 16:
        _CLIPPED.clear()
    _CLIPPED[key] = (b, national, out)
    return out


def _draw(
    ax: Axes,
    b: Boundaries,
    national: shapely.Geometry,
    colors: Mapping[str, object],
    *,
    extent: tuple[float, float, float, float],
    lw: float = 0.3,
) -> None:
    """Provinces filled by ``colors`` (unit -> colour); others hatched as no data.

    Geometry is clipped to the visible extent (plus a margin) first: the South China Sea
    islands drawn only in the inset, and the mainland only partly, so PDF/SVG files carry
    the vertices that show rather than the whole country twice per map.
    """
    clip = _clipped(b, national, extent)
    face, hatched = [], []
    for unit, path in clip.provinces:
        (face if unit in colors else hatched).append((PathPatch(path), colors.get(unit)))
    if face:
        ax.add_collection(
            PatchCollection(
                [p for p, _ in face],
                facecolors=[c for _, c in face],
                edgecolors=_EDGE,
                linewidths=lw,
                zorder=1,
            )
        )
    if hatched:
        ax.add_collection(
            PatchCollection(
                [p for p, _ in hatched],
                facecolors=_NODATA_FACE,
                edgecolors=_EDGE,
                hatch=_NODATA_HATCH,
                linewidths=lw,
                zorder=1,
            )
        )
    _lines(ax, clip.national, color=_BORDER, lw=lw * 2.2, zorder=2, joinstyle="round")
    _lines(ax, clip.dash, color=_BORDER, lw=lw * 2.2, zorder=2, capstyle="butt")
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()


def _nice_km(ax: Axes, frac: float = 0.35) -> int:
    """A round length (km) of about ``frac`` of the axes width."""
    x0, x1 = ax.get_xlim()
    target = frac * (x1 - x0) / 1000
    return int(max(v for v in (50, 100, 200, 250, 300, 500, 1000, 2000) if v <= max(target, 50)))


def _draw_with_inset(
    ax: Axes,
    lay: _Layout,
    colors: Mapping[str, object],
    *,
    lw: float = 0.3,
    language: str = "zh",
    small: bool = False,
) -> Axes | None:
    _draw(ax, lay.main_b, lay.national_main, colors, extent=lay.main, lw=lw)
    if lay.inset is None or lay.inset_rect is None:
        return None
    inset_ax = ax.inset_axes(lay.inset_rect, transform=ax.transData)
    _draw(inset_ax, lay.b, lay.national, colors, extent=lay.inset, lw=lw * 0.7)
    # the inset has its own scale (it is drawn at the main map's scale only by coincidence of
    # the layout), and its conventional title 南海诸岛 at the lower right
    km = _nice_km(inset_ax, 0.3)
    if small:  # a small panel: title and scale just left of the inset, where the sea is empty
        _inset_title(inset_ax, language, -0.06, 0.0)
        x0, x1 = inset_ax.get_xlim()
        _scale_bar(
            inset_ax,
            language,
            length_km=km,
            x=-0.06 - km * 1000 / (x1 - x0),
            y=0.3,
            fontsize=6.5,
            compact=True,
        )
    else:
        _inset_title(
            inset_ax,
            language,
            0.96,
            0.03,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
        )
        _scale_bar(inset_ax, language, length_km=km, x=0.06, y=0.13, fontsize=6.5, compact=True)
    inset_ax.set_axis_on()
    inset_ax.set_xticks([])
    inset_ax.set_yticks([])
    inset_ax.grid(False)
    for s in inset_ax.spines.values():
        s.set_visible(True)
        s.set_linewidth(0.6)
        s.set_color(_BORDER)
    return inset_ax


def _inset_title(
    inset_ax: Axes, language: str, x: float, y: float, bbox: Mapping[str, object] | None = None
) -> None:
    """The inset's title 南海诸岛, its lower right corner at ``(x, y)`` (axes fraction)."""
    inset_ax.text(
        x,
        y,
        label("south_china_sea", language),
        transform=inset_ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=6.5,
        bbox=bbox,
    )


def _north_arrow(
    ax: Axes, language: str, *, x: float = 0.05, y: float = 0.95, size: float = 0.06
) -> None:
    tri = np.array(
        [[x, y], [x - size * 0.25, y - size], [x, y - size * 0.75], [x + size * 0.25, y - size]]
    )
    ax.add_patch(
        plt.Polygon(
            tri, closed=True, transform=ax.transAxes, facecolor=_BORDER, edgecolor=_BORDER, lw=0.5
        )
    )
    ax.text(
        x,
        y + 0.01,
        label("north", language),
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=7,
    )


def _scale_bar(
    ax: Axes,
    language: str,
    *,
    length_km: int = 1000,
    x: float = 0.03,
    y: float = 0.83,
    fontsize: float = 6.5,
    compact: bool = False,
) -> None:
    """A bar of ``length_km`` (true at the standard parallels of the Albers projection)."""
    x0, x1 = ax.get_xlim()
    frac = length_km * 1000 / (x1 - x0)
    ax.plot(
        [x, x + frac],
        [y, y],
        transform=ax.transAxes,
        color=_BORDER,
        lw=1.6,
        solid_capstyle="butt",
        clip_on=False,
    )
    ax.plot(
        [x, x + frac / 2],
        [y, y],
        transform=ax.transAxes,
        color="white",
        lw=1.0,
        solid_capstyle="butt",
        clip_on=False,
    )
    if compact:  # a short bar (an inset): the length written above its left end
        outside = x < 0  # left of the axes: the text ends where the bar ends
        ax.text(
            x + frac if outside else x,
            y + 0.03,
            f"{length_km} {label('km', language)}",
            transform=ax.transAxes,
            ha="right" if outside else "left",
            va="bottom",
            fontsize=fontsize,
        )
        return
    ax.text(x, y + 0.012, "0", transform=ax.transAxes, ha="center", va="bottom", fontsize=fontsize)
    ax.text(
        x + frac,
        y + 0.012,
        f"{length_km} {label('km', language)}",
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=fontsize,
    )
