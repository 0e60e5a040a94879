"""Spatial autocorrelation of the index: contiguity weights, global and local Moran's I.

Global Moran's I (Moran 1950; Cliff and Ord 1981) per year,

.. math:: I = \\frac{n}{S_0} \\frac{\\sum_i \\sum_j w_{ij} z_i z_j}{\\sum_i z_i^2},
   \\quad z = y - \\bar y, \\quad S_0 = \\sum_{ij} w_{ij}, \\quad E[I] = -1/(n-1),

with inference by the normal approximation (variance under normality and under
randomisation) and by a permutation test. Local Moran (Anselin 1995)
:math:`I_i = (n-1) z_i \\sum_j w_{ij} z_j / \\sum_j z_j^2` (esda's scaling) with
conditional-permutation pseudo p-values;
significant units are classed by the quadrant of the Moran scatter plot: HH (high value,
high neighbours), LL, HL, LH, or ``ns`` (not significant).

Weights are queen (or rook) contiguity from the boundary polygons, row-standardised.
Provinces with no land neighbour (Hainan) are linked by an explicit, configurable rule
(default Hainan - Guangdong, the link used in most provincial studies).

The computations are delegated to PySAL (``libpysal`` for weights, ``esda`` for Moran); the
permutations are seeded so the results are reproducible.

References
----------
Anselin L. (1995), Local indicators of spatial association - LISA, *Geographical Analysis*
27(2), 93-115.
Cliff A. D., Ord J. K. (1981), *Spatial Processes: Models and Applications*, Pion.
Moran P. A. P. (1950), Notes on continuous stochastic phenomena, *Biometrika* 37, 17-23.
Rey S. J., Anselin L. (2007), PySAL: a Python library of spatial analytical methods,
*The Review of Regional Studies* 37(1), 5-27.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from esda.moran import Moran, Moran_Local
from libpysal.weights import Queen, Rook, W, fuzzy_contiguity

from greenindex.analysis.regional import as_wide
from greenindex.errors import ConfigError, InputError, MethodError

#: Contiguity kinds accepted by :func:`contiguity_weights`.
KINDS = ("queen", "rook", "fuzzy")

#: Island policies accepted by :func:`contiguity_weights`.
ISLAND_POLICIES = ("raise", "nearest", "keep")

#: esda quadrant codes -> LISA class labels.
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def check_links(links: Mapping[str, Sequence[str]], known: Sequence[str]) -> None:
    """Every unit named in ``spatial.links`` must exist in the boundary table."""
    unknown = sorted(
        {str(u) for a, bs in links.items() for u in [a, *bs]} - {str(k) for k in known}
    )
    if unknown:
        raise ConfigError(
            "spatial.links",
            f"unit(s) {unknown} are not in the boundary table",
            f"use the units' codes (e.g. {sorted(map(str, known))[:6]}) or remove the link.",
        )


def contiguity_weights(
    gdf: gpd.GeoDataFrame,
    unit_col: str = "unit",
    links: Mapping[str, Sequence[str]] | None = None,
    kind: str = "queen",
    islands: str = "raise",
    tolerance: float = 0.005,
    transform: str = "r",
) -> W:
    """Contiguity weights from boundary polygons, with explicit links for islands.

    Parameters
    ----------
    gdf
        One (multi)polygon per unit, with the unit code in ``unit_col``. Subset it to the
        analysed units first (dropping a unit, e.g. Tibet, changes its neighbours' rows).
    unit_col
        Column with the unit codes.
    links
        Extra symmetric links ``{unit: [neighbour, ...]}`` added after contiguity;
        default: the schema default of ``spatial.links`` (``{"HI": ["GD"]}``). Links naming a unit absent from
        ``gdf`` are skipped when *both* ends are absent, and raise otherwise. ``{}`` adds none.
    kind
        ``"queen"`` (shared point), ``"rook"`` (shared edge) or ``"fuzzy"`` (polygons within
        ``tolerance`` of each other, for boundary files with slivers or gaps).
    islands
        What to do with units still without a neighbour: ``"raise"`` (default),
        ``"nearest"`` (link to the unit with the nearest representative point) or ``"keep"``
        (a zero row; such units do not enter the spatial lag).
    tolerance
        Relative buffer of ``kind="fuzzy"`` (see ``libpysal.weights.fuzzy_contiguity``).
    transform
        libpysal transformation: ``"r"`` (row-standardised, default) or ``"b"`` (binary).

    Returns
    -------
    libpysal.weights.W
        Ids are the unit codes, ``id_order`` sorted.
    """
    _check_options(gdf, unit_col, kind, islands)
    frame = _unit_frame(gdf, unit_col)
    ids = [str(u) for u in frame.index]
    base = _contiguity(frame, kind, tolerance)
    neighbours: dict[str, set[str]] = {u: {str(v) for v in base.neighbors[u]} for u in ids}
    if links is None:
        from greenindex.config import schema_default

        links = schema_default("spatial.links")
    _add_links(neighbours, links)
    lonely = [u for u in ids if not neighbours[u]]
    if lonely and islands == "raise":
        raise MethodError(
            f"unit(s) {', '.join(lonely)} have no neighbour in the boundary data. Add a link "
            "(config 'spatial.links', e.g. HI: [GD]) or set 'spatial.islands' to 'nearest'."
        )
    if lonely and islands == "nearest":
        _link_nearest(neighbours, lonely, frame)
    return _weights({u: sorted(neighbours[u]) for u in ids}, ids, transform)


def _check_options(gdf: gpd.GeoDataFrame, unit_col: str, kind: str, islands: str) -> None:
    """Reject a boundary table without ``unit_col``, an unknown contiguity and an unknown
    island policy."""
    if unit_col not in gdf.columns:
        raise InputError(
            f"the boundary table has no column '{unit_col}'",
            column=unit_col,
            fix="pass the GeoDataFrame written by greenindex.figures.boundaries (column 'unit')",
        )
    if kind not in KINDS:
        raise ConfigError(
            "spatial.contiguity", f"unknown contiguity '{kind}'", f"use one of {KINDS}"
        )
    if islands not in ISLAND_POLICIES:
        raise ConfigError(
            "spatial.islands", f"unknown island policy '{islands}'", f"use one of {ISLAND_POLICIES}"
        )


def _unit_frame(gdf: gpd.GeoDataFrame, unit_col: str) -> gpd.GeoDataFrame:
    """The boundary polygons indexed by unit code (as text, sorted); a repeated unit raises."""
    frame = gdf.assign(**{unit_col: gdf[unit_col].astype(str)})
    dup = frame[unit_col][frame[unit_col].duplicated()]
    if len(dup):
        raise InputError(
            f"the boundary table repeats units {', '.join(dup.unique()[:10])}",
            column=unit_col,
            fix="dissolve the polygons to one (multi)polygon per unit",
        )
    return frame.sort_values(unit_col).set_index(unit_col)


def _contiguity(frame: gpd.GeoDataFrame, kind: str, tolerance: float) -> W:
    """libpysal's contiguity of the polygons of ``frame`` (islands left as they are)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; handled by the caller
        if kind == "queen":
            return Queen.from_dataframe(frame, use_index=True, silence_warnings=True)
        if kind == "rook":
            return Rook.from_dataframe(frame, use_index=True, silence_warnings=True)
        return fuzzy_contiguity(frame, tolerance=tolerance, buffering=True)


def _add_links(neighbours: dict[str, set[str]], links: Mapping[str, Sequence[str]]) -> None:
    """Add the explicit links to ``neighbours`` in both directions; a link with one end not
    analysed is skipped with a warning, one with both ends absent silently."""
    for a, targets in links.items():
        for b in targets:
            a_in, b_in = str(a) in neighbours, str(b) in neighbours
            if not a_in and not b_in:
                continue
            if not (a_in and b_in):
                # one end is not analysed (e.g. a subset of provinces without Hainan): the
                # link has nothing to connect. Unknown codes are caught by check_links.
                warnings.warn(
                    f"spatial link {a}-{b} skipped: '{b if a_in else a}' is not analysed",
                    stacklevel=3,  # the caller of contiguity_weights
                )
                continue
            if a != b:
                neighbours[str(a)].add(str(b))
                neighbours[str(b)].add(str(a))


def _link_nearest(
    neighbours: dict[str, set[str]], lonely: Sequence[str], frame: gpd.GeoDataFrame
) -> None:
    """Link each unit of ``lonely`` to the unit with the nearest representative point."""
    ids = [str(u) for u in frame.index]
    pts = frame.geometry.representative_point()
    coords = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
    for u in lonely:
        i = ids.index(u)
        dist = np.hypot(*(coords - coords[i]).T)
        dist[i] = np.inf
        v = ids[int(np.argmin(dist))]
        neighbours[u].add(v)
        neighbours[v].add(u)


def _weights(neighbours: Mapping[str, list[str]], ids: list[str], transform: str) -> W:
    """A libpysal ``W`` of the neighbour lists with ``id_order = ids``, transformed by
    ``transform`` (``"r"`` row-standardised, ``"b"`` binary; island warnings silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = W(dict(neighbours), id_order=ids, silence_warnings=True)
        w.transform = transform
    return w


def neighbours_table(w: W) -> pd.DataFrame:
    """The neighbour pairs of ``w`` as a table ``unit, neighbour`` (one row per direction)."""
    return pd.DataFrame(
        [(u, v) for u in w.id_order for v in w.neighbors[u]], columns=["unit", "neighbour"]
    )


def weights_from_table(table: pd.DataFrame, units: Sequence[str], transform: str = "r") -> W:
    """Spatial weights from a neighbour table (:func:`neighbours_table`) for ``units``.

    Contiguity is computed once from the full boundaries (the ``contiguity`` rule) and read
    back here, so that a change of method or weights does not recompute polygon adjacency.
    A unit without a row has no neighbour (a zero row in the spatial lag).
    """
    ids = sorted(str(u) for u in units)
    nb: dict[str, list[str]] = {u: [] for u in ids}
    for u, v in zip(table["unit"].astype(str), table["neighbour"].astype(str), strict=True):
        if u in nb and v in nb:
            nb[u].append(v)
    return _weights({u: sorted(vs) for u, vs in nb.items()}, ids, transform)


@contextmanager
def _seeded_global_rng(seed: int) -> Iterator[None]:
    """esda.Moran draws from NumPy's global RNG: seed it, and restore the caller's state."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def _aligned(scores: pd.Series | pd.DataFrame, w: W, column: str) -> pd.DataFrame:
    wide = as_wide(scores, column)
    ids = [str(i) for i in w.id_order]
    missing = sorted(set(ids) - set(wide.index))
    extra = sorted(set(wide.index) - set(ids))
    if missing or extra:
        raise InputError(
            "the spatial weights and the scores cover different units"
            + (f"; weights only: {', '.join(missing)}" if missing else "")
            + (f"; scores only: {', '.join(extra)}" if extra else ""),
            column=column,
            fix="build the weights from the boundaries of exactly the analysed units",
        )
    if wide.shape[0] < 3:
        raise MethodError(f"Moran's I needs at least 3 units, got {wide.shape[0]}")
    return wide.loc[ids]


def _cross_sections(wide: pd.DataFrame, what: str) -> Iterator[tuple[Any, np.ndarray]]:
    """``(year, scores)`` of each column of ``wide``; a year whose scores are all equal raises
    (``what`` names the statistic in the message)."""
    for year in wide.columns:
        y = wide[year].to_numpy()
        if np.allclose(y, y[0]):
            raise MethodError(f"{what} is undefined in {year}: all scores are equal")
        yield year, y


def morans_i(
    scores: pd.Series | pd.DataFrame,
    w: W,
    column: str = "index",
    permutations: int = 999,
    seed: int = 12345,
    two_tailed: bool = True,
) -> pd.DataFrame:
    """Global Moran's I per year with analytical and permutation inference.

    Parameters
    ----------
    scores
        Panel of scores of the units of ``w``.
    w
        Spatial weights (e.g. from :func:`contiguity_weights`); row-standardised by esda.
    column
        Node analysed.
    permutations
        Number of random permutations for the pseudo p-value (0 to skip).
    seed
        Seed of the permutations (the same seed is used for every year).
    two_tailed
        Two-sided analytical p-values (esda's default).

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year, n, I, EI, VI_norm, z_norm, p_norm, VI_rand, z_rand, p_rand,
        EI_sim, z_sim, p_sim, permutations``. ``p_sim = (M + 1)/(permutations + 1)`` with M the
        number of permuted I at least as extreme as the observed one in its direction
        (esda's one-sided pseudo p-value); NaN when ``permutations == 0``.
    """
    wide = _aligned(scores, w, column)
    rows = []
    for year, y in _cross_sections(wide, "Moran's I"):
        with _seeded_global_rng(seed), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mi = Moran(y, w, transformation="r", permutations=permutations, two_tailed=two_tailed)
        sim = permutations > 0
        rows.append(
            {
                "year": int(year),
                "n": int(mi.n),
                "I": float(mi.I),
                "EI": float(mi.EI),
                "VI_norm": float(mi.VI_norm),
                "z_norm": float(mi.z_norm),
                "p_norm": float(mi.p_norm),
                "VI_rand": float(mi.VI_rand),
                "z_rand": float(mi.z_rand),
                "p_rand": float(mi.p_rand),
                "EI_sim": float(mi.EI_sim) if sim else np.nan,
                "z_sim": float(mi.z_sim) if sim else np.nan,
                "p_sim": float(mi.p_sim) if sim else np.nan,
                "permutations": int(permutations),
            }
        )
    return pd.DataFrame(rows)


def local_moran(
    scores: pd.Series | pd.DataFrame,
    w: W,
    column: str = "index",
    permutations: int = 999,
    seed: int = 12345,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Local Moran's I (LISA) per year and unit, with cluster classes.

    Parameters
    ----------
    scores, w, column, permutations, seed
        As in :func:`morans_i`; the conditional permutations use ``seed`` (esda's ``seed``).
    alpha
        Units with a pseudo p-value ``p_sim <= alpha`` are classed HH/LL/HL/LH, others
        ``ns``. No multiple-testing correction is applied (state this when reporting).

    Returns
    -------
    pandas.DataFrame
        ``year, unit, value, Ii, z, lag, quadrant, p_sim, cluster`` where ``z`` is the
        standardised value, ``lag`` the spatial lag of ``z`` (row-standardised), ``quadrant``
        the Moran-scatter quadrant (HH/LH/LL/HL regardless of significance) and ``cluster``
        the class (``ns`` when not significant).
    """
    if permutations < 1:
        raise MethodError("local Moran needs permutations >= 1 for its pseudo p-values")
    wide = _aligned(scores, w, column)
    w_r = W(dict(w.neighbors), dict(w.weights), id_order=list(w.id_order), silence_warnings=True)
    w_r.transform = "r"
    frames = []
    for year, y in _cross_sections(wide, "local Moran"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lm = Moran_Local(
                y,
                w,
                transformation="r",
                permutations=permutations,
                seed=seed,
                n_jobs=1,
                keep_simulations=False,
            )
        z = (y - y.mean()) / y.std()
        quadrant = pd.Series(np.asarray(lm.q)).map(QUADRANTS).to_numpy()
        # esda stores pseudo p-values in float32; they are exact multiples of 1/(perm + 1)
        p = np.round(np.asarray(lm.p_sim, dtype=float) * (permutations + 1)) / (permutations + 1)
        frames.append(
            pd.DataFrame(
                {
                    "year": int(year),
                    "unit": wide.index.to_numpy(),
                    "value": y,
                    "Ii": np.asarray(lm.Is, dtype=float),
                    "z": z,
                    "lag": w_r.sparse @ z,
                    "quadrant": quadrant,
                    "p_sim": p,
                    "cluster": np.where(p <= alpha, quadrant, "ns"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
