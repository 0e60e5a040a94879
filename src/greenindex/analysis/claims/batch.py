"""The claims for a batch of score panels (the Monte Carlo): :func:`claims_batch`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from greenindex.analysis.claims.statistics import (
    _between_shares,
    _c1,
    _c2,
    _c3,
    _region_means,
)
from greenindex.analysis.regional import role_labels
from greenindex.errors import InputError

#: The claims :func:`claims_batch` evaluates, in the order of its columns.
CLAIMS = ("C1", "C2", "C3", "C4a", "C4b")


@dataclass(frozen=True)
class ClaimSetup:
    """What :func:`claims_batch` needs besides the scores.

    Attributes
    ----------
    region
        Region label of each row of the panel.
    year
        Year of each row.
    unit
        Unit of each row.
    window
        ``(start, end)`` years of the analysis window.
    roles
        Labels of the roles ``east``, ``central``, ``west``, ``northeast`` in the scheme
        (:func:`greenindex.analysis.regional.role_labels`).
    growth
        C3: ``absolute`` or ``relative`` change of region means.
    between_share_large
        C4a/C4b: minimum window mean of the between-region share.
    """

    region: np.ndarray
    year: np.ndarray
    unit: np.ndarray
    window: tuple[int, int]
    roles: Mapping[str, str] = field(default_factory=role_labels)
    growth: str = "absolute"
    between_share_large: float = 0.5


def _window_cube(S: np.ndarray, setup: ClaimSetup) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Scores ``(R, rows)`` -> ``(R, n_units, T)`` over the window; region code per unit."""
    start, end = setup.window
    years = list(range(start, end + 1))
    have = {int(y) for y in setup.year}
    absent = [y for y in years if y not in have]
    if absent:
        raise InputError(
            f"the panel has no year(s) {absent} of the analysis window {start}-{end}",
            fix="set window.start and window.end to years in the panel.",
        )
    sel = np.flatnonzero(np.isin(setup.year, years) & (setup.region != ""))
    units = sorted({str(u) for u in setup.unit[sel]})
    labels = sorted({str(g) for g in setup.region[sel]})
    ui = {u: k for k, u in enumerate(units)}
    pos = np.full((len(units), len(years)), -1)
    reg = np.zeros(len(units), dtype=np.intp)
    for r in sel:
        k = ui[str(setup.unit[r])]
        pos[k, years.index(int(setup.year[r]))] = r
        reg[k] = labels.index(str(setup.region[r]))
    cube = np.where(pos >= 0, S[:, np.maximum(pos, 0)], np.nan)
    return cube, reg, labels


def claims_batch(scores: np.ndarray, setup: ClaimSetup) -> np.ndarray:
    """The claims for each of ``R`` score panels, ``(R, 5)`` in :data:`CLAIMS` order (1 = holds,
    0 = fails, NaN = undefined or not applicable).

    The statistics are those of :func:`check_claims`, computed by the same functions
    (:func:`_c1`, :func:`_c2`, :func:`_c3` on the region means, :func:`_between_shares` for
    C4a/C4b), so the Monte Carlo and the finding check share one implementation. A replication
    with a missing score in the window gets NaN for every claim; one with a negative score gets
    NaN for C4a/C4b (the inequality measures need values >= 0).
    """
    cube, codes, labels = _window_cube(np.asarray(scores, dtype=float), setup)
    R, n, _ = cube.shape
    out = np.full((R, len(CLAIMS)), np.nan)
    ok = np.isfinite(cube).all(axis=(1, 2))
    if not ok.any() or n == 0:
        return out
    y = cube[ok]
    means = _region_means(y, codes, len(labels))
    code = {g: k for k, g in enumerate(labels)}
    res = np.full((len(y), len(CLAIMS)), np.nan)
    res[:, 0] = _c1(y)[1]
    e, c, w = (code.get(setup.roles[r]) for r in ("east", "central", "west"))
    if None not in (e, c, w):
        res[:, 1] = _c2(means, e, c, w)[1]  # type: ignore[arg-type]
    ne = code.get(setup.roles["northeast"])
    if ne is not None and len(labels) >= 2:
        res[:, 2] = _c3(means, ne, setup.growth)[1]
    if len(labels) >= 2:
        nonneg = (y >= 0).all(axis=(1, 2)) & (y.sum(axis=1) > 0).all(axis=1)
        if nonneg.any():
            for k, which in enumerate(("theil", "dagum")):
                share = _between_shares(y[nonneg], codes, which)
                res[nonneg, 3 + k] = share.mean(axis=1) >= setup.between_share_large
    out[ok] = res
    return out
