"""The claims of the finding check for a batch of score panels (one row per replication)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, InputError

CLAIMS = ("C1", "C2", "C3", "C4a", "C4b")


# -- claims ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClaimSetup:
    """What the batched claim tests need (see :func:`claims_batch`).

    The definitions are those of :func:`greenindex.analysis.claims.check_claims` (same thresholds,
    strict inequalities and window means), evaluated for many replications at once.

    Attributes
    ----------
    region
        Region label of each row of the panel (``""`` = in no region: left out).
    year
        Year of each row.
    unit
        Unit of each row.
    window
        ``(start, end)`` years of the analysis window.
    roles
        Labels of the roles ``east``, ``central``, ``west``, ``northeast`` in the scheme.
    growth
        C3: ``absolute`` or ``relative`` change of region means.
    between_share_large
        C4a/C4b: minimum window mean of the between-region share.
    """

    region: np.ndarray
    year: np.ndarray
    unit: np.ndarray
    window: tuple[int, int]
    roles: Mapping[str, str] = field(
        default_factory=lambda: {
            "east": "east",
            "central": "central",
            "west": "west",
            "northeast": "northeast",
        }
    )
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
    r"""The regional claims of the finding check for each replication, ``(R, 5)`` for
    :data:`CLAIMS` (1 = holds, 0 = fails, NaN = undefined or not applicable).

    As in :func:`greenindex.analysis.claims.check_claims` (``t0``, ``t1`` the window's ends, region
    means unweighted over units):

    - C1: :math:`\bar y_{t1} - \bar y_{t0} > 0`;
    - C2: :math:`\min_t \min(\bar y_{E,t} - \bar y_{C,t}, \bar y_{C,t} - \bar y_{W,t}) > 0`;
    - C3: :math:`g_{NE} - \min_{k \ne NE} g_k < 0` with :math:`g_k` the change of region
      ``k``'s mean from ``t0`` to ``t1`` (absolute or relative);
    - C4a / C4b: the window mean of the between-region share of Theil's T
      (:func:`greenindex.analysis.disparity.theil_batch`) / of the Dagum net between-region
      contribution :math:`G_{nb}/G` (:func:`greenindex.analysis.disparity.dagum_gini_batch`) is at
      least ``between_share_large``.

    A replication with a missing score in the window gets NaN for every claim; one with a
    negative score gets NaN for C4a/C4b (the inequality measures need values >= 0).
    """
    from greenindex.analysis.disparity import dagum_gini_batch, theil_batch

    S = np.asarray(scores, dtype=float)
    cube, reg, labels = _window_cube(S, setup)
    R, n, T = cube.shape
    out = np.full((R, len(CLAIMS)), np.nan)
    ok = np.isfinite(cube).all(axis=(1, 2))
    if not ok.any() or n == 0:
        return out
    y = cube[ok]
    m = np.zeros((n, len(labels)))
    m[np.arange(n), reg] = 1.0
    means = np.einsum("rnt,nk->rkt", y, m / m.sum(axis=0))
    code = {g: k for k, g in enumerate(labels)}
    nat = y.mean(axis=1)
    res = np.full((len(y), len(CLAIMS)), np.nan)
    res[:, 0] = nat[:, -1] - nat[:, 0] > 0
    e, c, w = (code.get(setup.roles[r]) for r in ("east", "central", "west"))
    if None not in (e, c, w):
        margin = np.minimum(means[:, e] - means[:, c], means[:, c] - means[:, w]).min(axis=-1)
        res[:, 1] = margin > 0
    ne = code.get(setup.roles["northeast"])
    if ne is not None and len(labels) >= 2:
        gain = means[..., -1] - means[..., 0]
        if setup.growth == "relative":
            gain = gain / means[..., 0]
        res[:, 2] = gain[:, ne] - np.delete(gain, ne, axis=1).min(axis=1) < 0
    if len(labels) >= 2:
        nonneg = (y >= 0).all(axis=(1, 2)) & (y.sum(axis=1) > 0).all(axis=1)
        flat = np.moveaxis(y[nonneg], 1, 2).reshape(-1, n)
        if len(flat):
            th = theil_batch(flat, reg)
            dg = dagum_gini_batch(flat, reg)
            for k, (tot, part) in enumerate(((th["T"], th["between"]), (dg["G"], dg["G_nb"]))):
                tot_a, part_a = np.asarray(tot, float), np.asarray(part, float)
                share = np.divide(part_a, tot_a, out=np.zeros_like(tot_a), where=tot_a > 0)
                res[nonneg, 3 + k] = share.reshape(-1, T).mean(axis=1) >= setup.between_share_large
    out[ok] = res
    return out


# -- workflow entry points ----------------------------------------------------------------------
def claim_setup_from_config(
    index: pd.MultiIndex,
    units: pd.DataFrame,
    *,
    window: Mapping[str, Any],
    regions: Mapping[str, Any],
    claims: Mapping[str, Any] | None = None,
) -> ClaimSetup:
    """:class:`ClaimSetup` from the ``window``, ``regions`` and ``claims`` config sections.

    Reads ``regions.scheme`` (a column of the units table), ``claims.region_labels`` (role ->
    label, default the role names), ``claims.growth`` (``absolute``) and
    ``claims.between_share_large`` (0.5), the keys of :func:`greenindex.analysis.claims.check_claims`."""
    from greenindex.index.pipeline import with_defaults

    regions = with_defaults("regions", regions)
    scheme = str(regions["scheme"])
    if scheme not in units.columns:
        raise ConfigError(
            "regions.scheme",
            f"the units table has no column '{scheme}'",
            f"use one of {[c for c in units.columns if c not in ('unit', 'name_en', 'name_zh')]}.",
        )
    table = units.set_index("unit")[scheme].astype(str)
    u = index.get_level_values("unit").astype(str)
    reg = table.reindex(u).fillna("").to_numpy(dtype=str)
    cl = with_defaults("claims", claims)
    roles = {"east": "east", "central": "central", "west": "west", "northeast": "northeast"}
    roles.update({str(k): str(v) for k, v in (cl.get("region_labels") or {}).items()})
    return ClaimSetup(
        region=reg,
        year=index.get_level_values("year").to_numpy(dtype=np.int64),
        unit=np.asarray(u, dtype=str),
        window=(int(window["start"]), int(window["end"])),
        roles=roles,
        growth=str(cl["growth"]),
        between_share_large=float(cl["between_share_large"]),
    )
