"""Colour palettes that survive greyscale print and colour-blind readers.

A map printed in black and white shows each colour as its grey level. Two classes are told
apart only when their grey levels differ; this module builds class colours with a prescribed
grey level, using the grey conversion of print drivers and of PIL's ``convert("L")``
(ITU-R BT.601 luma: ``Y = 0.299 R + 0.587 G + 0.114 B``).

- :func:`sequential` -- ``k`` classes of a sequential colour map at evenly spaced grey levels
  (light = low).
- :func:`diverging` -- classes on both sides of zero whose grey levels *interleave*: every
  class, on either side, has its own grey level, so a decline never prints like a gain of the
  same size (with a symmetric palette such as BrBG, -7.9 and +6.8 print as grey 171 and 177).
- :data:`LISA_STYLE` -- the GeoDa cluster colours plus a marker per cluster type, so
  High-High and Low-Low (grey 82 and 106 when printed) are told apart by the mark.

:func:`min_grey_step` is what the tests check.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex, to_rgb

__all__ = ["LISA_STYLE", "diverging", "grey_level", "min_grey_step", "sequential", "with_grey"]

#: Smallest grey-level difference (0-255) between any two classes of one map.
MIN_STEP = 20.0


def grey_level(color: object) -> float:
    """Grey level 0-255 of a colour in greyscale print (BT.601 luma).

    >>> round(grey_level("#d7191c"), 1), round(grey_level("#2c7bb6"), 1)
    (82.2, 106.1)
    """
    r, g, b = to_rgb(color)  # type: ignore[arg-type]
    return 255.0 * (0.299 * r + 0.587 * g + 0.114 * b)


def with_grey(color: object, target: float) -> str:
    """``color`` lightened towards white or darkened towards black to grey level ``target``
    (hue kept, so the colour reads the same on screen)."""
    rgb = np.array(to_rgb(color))  # type: ignore[arg-type]
    g = grey_level(rgb)
    if target >= g:
        t = 0.0 if g >= 255 else (target - g) / (255.0 - g)
        out = rgb + t * (1.0 - rgb)
    else:
        out = rgb * (target / g if g > 0 else 0.0)
    return to_hex(np.clip(out, 0, 1))


def sequential(k: int, cmap: str = "YlGn", light: float = 240.0, dark: float = 45.0) -> list[str]:
    """``k`` colours of ``cmap`` at evenly spaced grey levels from ``light`` to ``dark``.

    The colour of each class is the point of the colour map whose grey level is nearest the
    target, then adjusted to the target exactly (:func:`with_grey`).

    >>> [round(grey_level(c)) for c in sequential(5)]
    [240, 191, 143, 94, 45]
    """
    cm = colormaps[cmap]
    xs = np.linspace(0, 1, 512)
    greys = np.array([grey_level(cm(x)) for x in xs])
    out = []
    for target in np.linspace(light, dark, k):
        x = xs[int(np.argmin(np.abs(greys - target)))]
        out.append(with_grey(cm(x), float(target)))
    return out


def diverging(
    n_neg: int,
    n_pos: int,
    *,
    neg: str = "#b35806",
    pos: str = "#1b7837",
    light: float = 242.0,
    dark: float = 55.0,
) -> tuple[list[str], list[str]]:
    """Colours of ``n_neg`` classes below zero and ``n_pos`` above, grey levels interleaved.

    All ``n_neg + n_pos`` classes get distinct grey levels evenly spaced from ``light`` to
    ``dark``; going outwards from zero, the two sides take them in turn (gain first), so each
    side still darkens with the size of the change and no gain prints like a decline.

    Returns
    -------
    (negative, positive)
        Colours from the smallest to the largest absolute change on each side.

    >>> n, p = diverging(3, 3)
    >>> [round(grey_level(c)) for c in p], [round(grey_level(c)) for c in n]
    ([242, 167, 92], [205, 130, 55])
    """
    levels = list(np.linspace(light, dark, n_neg + n_pos))
    negs: list[str] = []
    poss: list[str] = []
    i = 0
    while len(negs) < n_neg or len(poss) < n_pos:
        if len(poss) < n_pos:
            poss.append(with_grey(pos, float(levels[i])))
            i += 1
        if len(negs) < n_neg:
            negs.append(with_grey(neg, float(levels[i])))
            i += 1
    return negs, poss


def min_grey_step(colors: Sequence[object]) -> float:
    """Smallest grey-level difference between any two of ``colors``."""
    g = [grey_level(c) for c in colors]
    return min((abs(a - b) for a, b in combinations(g, 2)), default=float("inf"))


#: LISA cluster code -> (fill colour (GeoDa convention), marker, marker face, marker edge).
#: Marks: HH filled circle, LL open circle, HL filled triangle, LH open triangle.
LISA_STYLE: dict[str, tuple[str, str, str, str]] = {
    "HH": ("#d7191c", "o", "#000000", "#ffffff"),
    "LL": ("#2c7bb6", "o", "#ffffff", "#000000"),
    "HL": ("#fdae61", "^", "#000000", "#ffffff"),
    "LH": ("#abd9e9", "v", "#ffffff", "#000000"),
    "ns": ("#eeeeee", "", "none", "none"),
}
