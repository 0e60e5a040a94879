"""Data treatment before normalisation: denomination, missing values, screening, outliers.

Every step takes a wide panel (index ``("unit", "year")``, one float column per series) and
returns the treated panel together with a :class:`Report`: ``cells`` lists every changed cell
(``unit, year, indicator, step, method, old, new``) and ``summary`` one row per indicator or
unit with what the step decided. Imputed cells are therefore always flagged.

The outlier rule is the one of the OECD/JRC handbook as implemented by COINr
(``Treat()`` with its defaults): an indicator passes when ``|skew| < 2`` or ``kurtosis < 3.5``
(sample skewness and excess kurtosis of type 2, as e1071 / Excel ``SKEW``/``KURT``); otherwise
the extreme value on the skewed side is winsorised one step at a time, at most five times, and
if the indicator still fails the *original* column is log-transformed instead.

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, sections 1.4 and 3.
Becker W. et al. (2022), COINr: an R package for developing composite indicators, JOSS 7(78);
functions ``Denominate``, ``Impute`` (``i_mean_grp``), ``Screen``, ``Treat``, ``winsorise``,
``log_CT``.
Joanes D.N., Gill C.A. (1998), Comparing measures of sample skewness and kurtosis,
The Statistician 47(1) (types 1-3 of the moment estimators).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, InputError, MethodError

CELL_COLUMNS = ["unit", "year", "indicator", "step", "method", "old", "new"]


@dataclass
class Report:
    """What a treatment step changed.

    Attributes
    ----------
    cells
        One row per changed cell: ``unit, year, indicator, step, method, old, new``
        (``old`` is NaN for an imputed cell).
    summary
        One row per indicator (or unit) with the decision taken and the statistics behind it.
    """

    cells: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CELL_COLUMNS))
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)

    @staticmethod
    def concat(reports: Mapping[str, Report]) -> Report:
        """Stack the reports of several steps; ``summary`` gets a ``step`` column."""
        cells = [r.cells for r in reports.values() if len(r.cells)]
        summ = []
        for step, r in reports.items():
            if len(r.summary):
                s = r.summary.copy()
                s.insert(0, "step", step)
                summ.append(s)
        return Report(
            cells=pd.concat(cells, ignore_index=True) if cells else _empty_cells(),
            summary=pd.concat(summ, ignore_index=True) if summ else pd.DataFrame(),
        )


def _empty_cells() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": pd.Series(dtype=str),
            "year": pd.Series(dtype="int64"),
            "indicator": pd.Series(dtype=str),
            "step": pd.Series(dtype=str),
            "method": pd.Series(dtype=str),
            "old": pd.Series(dtype=float),
            "new": pd.Series(dtype=float),
        }
    )


def _cells(
    before: pd.DataFrame, after: pd.DataFrame, step: str, method: str | pd.Series
) -> pd.DataFrame:
    """Tidy list of the cells that differ between two aligned panels (NaN == NaN)."""
    a = before.to_numpy(dtype=float)
    b = after.to_numpy(dtype=float)
    changed = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    r, c = np.nonzero(changed)
    if len(r) == 0:
        return _empty_cells()
    idx = before.index
    cols = np.asarray(before.columns, dtype=object)
    out = pd.DataFrame(
        {
            "unit": idx.get_level_values("unit").to_numpy()[r],
            "year": idx.get_level_values("year").to_numpy()[r],
            "indicator": cols[c],
            "step": step,
            "method": method if isinstance(method, str) else method.reindex(cols[c]).to_numpy(),
            "old": a[r, c],
            "new": b[r, c],
        }
    )
    return out


def _check_panel(data: pd.DataFrame, what: str = "data") -> None:
    if not isinstance(data.index, pd.MultiIndex) or list(data.index.names) != ["unit", "year"]:
        raise InputError(
            f"{what} must be a wide panel indexed by ('unit', 'year'); got index names "
            f"{list(data.index.names)}",
            fix="pivot the observations to one row per unit-year, e.g. "
            "df.set_index(['unit', 'year']).",
        )


# ---------------------------------------------------------------------------------------------
# Denomination
# ---------------------------------------------------------------------------------------------
def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return ""
    return str(v).strip()


def substitute(
    raw: pd.DataFrame, rules: Sequence[Mapping[str, object]]
) -> tuple[pd.DataFrame, Report]:
    """Fill gaps of one observed series from another real series, before denomination.

    Each rule is ``{target, source, scale=1, years=None}``: where ``target`` is missing (in
    ``years``, or any year when ``None``) and ``source`` is present,
    :math:`x_{target} = scale \\cdot x_{source}`. The shipped data use it for the 2020
    year-end population, which the yearbook series lacks, from the 2020 census resident
    population (persons x 0.0001 = 10,000 persons). Unlike imputation, the filled values are
    observations of a closely related series; every filled cell is flagged
    (``step = "substitute"``).

    Raises
    ------
    ConfigError
        A rule names a series that is not observed.
    """
    out = raw.copy()
    cells = []
    for k, rule in enumerate(rules):
        target, source = str(rule.get("target", "")), str(rule.get("source", ""))
        for key, sid in (("target", target), ("source", source)):
            if sid not in raw.columns:
                raise ConfigError(
                    f"treat.substitute[{k}].{key}",
                    f"'{sid}' is not an observed series",
                    f"use ids of the codebook with observations, e.g. {sorted(raw.columns)[:5]}.",
                )
        scale = float(rule.get("scale", 1.0) or 1.0)  # type: ignore[arg-type]
        years = rule.get("years")
        before = out[[target]].copy()
        fill = raw[source] * scale
        mask = out[target].isna() & fill.notna()
        if years is not None:
            mask &= out.index.get_level_values("year").isin([int(y) for y in years])  # type: ignore[union-attr]
        out.loc[mask, target] = fill[mask]
        cells.append(_cells(before, out[[target]], "substitute", f"{source} x {scale:g}"))
    cells = [c for c in cells if len(c)]
    return out, Report(cells=pd.concat(cells, ignore_index=True) if cells else _empty_cells())


def denominate(
    raw: pd.DataFrame, codebook: pd.DataFrame, *, codebook_file: str = "codebook"
) -> tuple[pd.DataFrame, Report]:
    """Turn observed series into indicators: ``value = numerator / denominator * scale``.

    Parameters
    ----------
    raw
        Wide panel with one column per observed series (indicators and variables).
    codebook
        Rows with ``role == "indicator"`` (all rows when there is no ``role`` column) define the
        indicators: ``id``; optional ``numerator`` (id of an observed series; empty = the
        indicator's own series ``id``), ``denominator`` (id of an observed series; empty = no
        division) and ``scale`` (default 1).
    codebook_file
        Name of the codebook file, used in error messages.

    Returns
    -------
    data, report
        ``data`` has one column per indicator in codebook order; ``report.summary`` one row per
        indicator (numerator, denominator, scale, number of values, missing after division).

    Raises
    ------
    InputError
        A series named in the codebook is not observed, or a denominator is zero for a
        unit-year whose numerator is present (the unit and year are named).

    Notes
    -----
    COINr's ``Denominate`` divides by the series named in ``iMeta$Denominator`` with scale 1.
    """
    _check_panel(raw, "raw")
    cb = codebook
    if "role" in cb.columns:
        cb = cb[cb["role"].astype(str).str.strip().str.lower() == "indicator"]
    cols: dict[str, np.ndarray] = {}
    rows = []
    for pos, r in cb.iterrows():
        line = int(codebook.index.get_loc(pos)) + 2 if pos in codebook.index else None
        iid = _text(r["id"])
        num = _text(r.get("numerator")) or iid
        den = _text(r.get("denominator"))
        sc = _text(r.get("scale"))
        try:
            scale = float(sc) if sc else 1.0
        except ValueError:
            raise InputError(
                f"scale '{sc}' of indicator '{iid}' is not a number",
                file=codebook_file,
                row=line,
                column="scale",
                fix="give a positive number or leave the cell empty (= 1).",
            ) from None
        for col, sid in (("numerator", num), ("denominator", den)):
            if sid and sid not in raw.columns:
                raise InputError(
                    f"{col} series '{sid}' of indicator '{iid}' is not among the observations",
                    file=codebook_file,
                    row=line,
                    column=col if col == "denominator" or _text(r.get("numerator")) else "id",
                    fix=f"add observations of '{sid}' or correct the codebook.",
                )
        x = raw[num].to_numpy(dtype=float)
        if den:
            d = raw[den].to_numpy(dtype=float)
            bad = (d == 0) & ~np.isnan(x)
            if bad.any():
                where = [f"{u} {y}" for u, y in raw.index[bad][:5]]
                raise InputError(
                    f"denominator '{den}' of indicator '{iid}' is zero for {', '.join(where)}"
                    + (f" and {int(bad.sum()) - 5} more unit-years" if bad.sum() > 5 else ""),
                    file=codebook_file,
                    row=line,
                    column="denominator",
                    fix=f"correct the observations of '{den}' or remove those unit-years.",
                )
            v = x / d * scale
        else:
            v = x * scale
        cols[iid] = v
        rows.append(
            {
                "indicator": iid,
                "numerator": num,
                "denominator": den,
                "scale": scale,
                "n_values": int(np.isfinite(v).sum()),
                "n_missing": int(np.isnan(v).sum()),
            }
        )
    out = pd.DataFrame(cols, index=raw.index)
    return out, Report(cells=_empty_cells(), summary=pd.DataFrame(rows))


# ---------------------------------------------------------------------------------------------
# Missing values
# ---------------------------------------------------------------------------------------------
IMPUTE_METHODS = ("linear", "group_mean", "none")
EDGE_METHODS = ("nearest", "group_year_mean", "none")


def _groups_for(data: pd.DataFrame, groups: pd.Series | None, key: str) -> np.ndarray:
    if groups is None:
        raise ConfigError(
            key,
            "this imputation needs the group of every unit, but no groups were given",
            fix="pass groups= (a Series unit -> group, e.g. the units table's region column).",
        )
    units = data.index.get_level_values("unit")
    g = pd.Series(groups).reindex(units)
    missing = sorted(set(units[g.isna().to_numpy()]))
    if missing:
        raise InputError(
            f"units without a group: {missing[:10]}",
            file="units",
            column=str(getattr(groups, "name", None) or "group"),
            fix="give every unit a group in the units table.",
        )
    return g.to_numpy()


def group_mean(data: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Fill missing cells with the mean of the unit's group in the same year, per indicator.

    .. math:: \\hat x_{ijt} = \\frac{1}{|G_i^{obs}|}\\sum_{k \\in G(i), x_{kjt}\\,obs} x_{kjt}

    This is COINr's ``i_mean_grp`` applied column-wise within each year. A cell stays missing
    when no unit of its group has a value that year.
    """
    g = _groups_for(data, groups, "treat.impute.group")
    years = data.index.get_level_values("year").to_numpy()
    keys = [pd.Series(g, index=data.index), pd.Series(years, index=data.index)]
    means = data.groupby(keys, sort=False).transform("mean")
    return data.fillna(means)


def _interpolate_inside(data: pd.DataFrame) -> pd.DataFrame:
    """Linear interpolation over years within each unit, interior gaps only (vectorised).

    .. math:: x_t = x_a + (x_b - x_a) (t - a) / (b - a)

    with ``a`` and ``b`` the unit's nearest observed years before and after ``t``.
    """
    yrs = data.index.get_level_values("year").to_numpy(dtype=float)
    ygrid = pd.DataFrame(
        np.repeat(yrs[:, None], data.shape[1], axis=1), index=data.index, columns=data.columns
    )
    yobs = ygrid.where(data.notna())
    g_val = data.groupby(level="unit", sort=False)
    g_yr = yobs.groupby(level="unit", sort=False)
    x0, x1 = g_val.ffill(), g_val.bfill()
    t0, t1 = g_yr.ffill(), g_yr.bfill()
    frac = (ygrid - t0) / (t1 - t0)
    return x0 + (x1 - x0) * frac


def impute(
    data: pd.DataFrame,
    method: str = "linear",
    *,
    edge: str = "nearest",
    groups: pd.Series | None = None,
    edge_max_years: int | None = None,
) -> tuple[pd.DataFrame, Report]:
    """Fill missing values; every filled cell is flagged in the report.

    Parameters
    ----------
    data
        Wide panel.
    method
        ``"linear"``: linear interpolation within a unit over the years (interior gaps,
        weighted by the year distance), then ``edge`` for gaps at the start or end of a unit's
        series; ``"group_mean"``: the mean of the unit's group in the same year (COINr
        ``i_mean_grp``); ``"none"``: leave missing values as they are.
    edge
        For ``"linear"``: ``"nearest"`` (the unit's nearest observed year), ``"group_year_mean"``
        (mean of the unit's group in that year) or ``"none"`` (leave missing).
    groups
        Series unit -> group (a column of the units table); needed by the group methods.
    edge_max_years
        For ``edge="nearest"``: carry the nearest observed value at most this many years
        (``None`` = no limit). A series that starts in 2016 is then not back-filled to 2011.

    Returns
    -------
    data, report
        ``report.cells`` has ``step = "impute"`` and ``method`` = the rule that filled the
        cell (``linear``, ``nearest``, ``group_year_mean``, ``group_mean``);
        ``report.summary`` one row per indicator with the numbers filled and still missing.
    """
    _check_panel(data)
    if method not in IMPUTE_METHODS:
        raise ConfigError(
            "treat.impute.method", f"unknown method '{method}'", f"use one of {IMPUTE_METHODS}."
        )
    if edge not in EDGE_METHODS:
        raise ConfigError(
            "treat.impute.edge", f"unknown edge rule '{edge}'", f"use one of {EDGE_METHODS}."
        )
    data = data.sort_index()
    if method == "none":
        out = data
        cells = _empty_cells()
    elif method == "group_mean":
        out = group_mean(data, groups)  # type: ignore[arg-type]
        cells = _cells(data, out, "impute", "group_mean")
    else:
        lin = _interpolate_inside(data)
        stage = data.fillna(lin)
        how = pd.DataFrame("linear", index=data.index, columns=data.columns)
        if edge == "nearest":
            # interior gaps are already filled, so what is left are leading / trailing runs
            g = stage.groupby(level="unit", sort=False)
            ff, bf = g.ffill(), g.bfill()
            if edge_max_years is not None:
                yrs = data.index.get_level_values("year").to_numpy(dtype=float)
                ygrid = pd.DataFrame(np.repeat(yrs[:, None], data.shape[1], axis=1),
                                     index=data.index, columns=data.columns)
                gy = ygrid.where(stage.notna()).groupby(level="unit", sort=False)
                ff = ff.where(ygrid - gy.ffill() <= edge_max_years)
                bf = bf.where(gy.bfill() - ygrid <= edge_max_years)
            after = stage.fillna(ff).fillna(bf)
        elif edge == "group_year_mean":
            _groups_for(data, groups, "treat.impute.edge")
            after = stage.fillna(group_mean(stage, groups))  # type: ignore[arg-type]
        else:
            after = stage
        edge_filled = stage.isna() & after.notna()
        how = how.mask(edge_filled, edge)
        out = after
        a = data.to_numpy(dtype=float)
        b = out.to_numpy(dtype=float)
        r, c = np.nonzero(np.isnan(a) & ~np.isnan(b))
        cells = pd.DataFrame(
            {
                "unit": data.index.get_level_values("unit").to_numpy()[r],
                "year": data.index.get_level_values("year").to_numpy()[r],
                "indicator": np.asarray(data.columns, dtype=object)[c],
                "step": "impute",
                "method": how.to_numpy()[r, c],
                "old": np.nan,
                "new": b[r, c],
            }
        )
    summary = pd.DataFrame(
        {
            "indicator": list(data.columns),
            "method": method,
            "n_missing_before": data.isna().sum().to_numpy(),
            "n_imputed": (data.isna() & out.notna()).sum().to_numpy(),
            "n_missing_after": out.isna().sum().to_numpy(),
        }
    )
    return out, Report(cells=cells if len(cells) else _empty_cells(), summary=summary)


# ---------------------------------------------------------------------------------------------
# Availability screen
# ---------------------------------------------------------------------------------------------
def screen(
    data: pd.DataFrame,
    *,
    unit_threshold: float = 0.0,
    indicator_threshold: float = 0.0,
) -> tuple[pd.DataFrame, Report]:
    """Drop units and indicators with too little data.

    Data availability of a unit is the share of its non-missing cells over all its years and
    indicators; of an indicator, the share of non-missing cells over all unit-years. Units are
    screened first, then indicators on the remaining units. A unit or indicator is kept when
    its availability is ``>= threshold`` (COINr ``Screen(dat_thresh=...)``).

    Returns
    -------
    data, report
        ``report.summary`` has one row per unit and indicator: ``kind`` (unit|indicator),
        ``id``, ``availability``, ``threshold``, ``kept``.
    """
    _check_panel(data)
    for key, t in (
        ("unit_threshold", unit_threshold),
        ("indicator_threshold", indicator_threshold),
    ):
        if not 0.0 <= float(t) <= 1.0:
            raise ConfigError(f"treat.screen.{key}", f"{t} is not a share between 0 and 1")
    present = data.notna()
    ua = present.groupby(level="unit", sort=False).sum().sum(axis=1) / (
        present.groupby(level="unit", sort=False).size() * data.shape[1]
    )
    keep_u = ua[ua >= unit_threshold].index
    d1 = data[data.index.get_level_values("unit").isin(keep_u)]
    ia = d1.notna().mean(axis=0) if len(d1) else pd.Series(0.0, index=data.columns)
    keep_i = [c for c in data.columns if ia[c] >= indicator_threshold]
    out = d1[keep_i]
    summary = pd.concat(
        [
            pd.DataFrame(
                {
                    "kind": "unit",
                    "id": ua.index.astype(str),
                    "availability": ua.to_numpy(),
                    "threshold": float(unit_threshold),
                    "kept": ua.to_numpy() >= unit_threshold,
                }
            ),
            pd.DataFrame(
                {
                    "kind": "indicator",
                    "id": [str(c) for c in ia.index],
                    "availability": ia.to_numpy(),
                    "threshold": float(indicator_threshold),
                    "kept": ia.to_numpy() >= indicator_threshold,
                }
            ),
        ],
        ignore_index=True,
    )
    if out.shape[0] == 0 or out.shape[1] == 0:
        raise MethodError(
            f"the availability screen (units >= {unit_threshold}, indicators >= "
            f"{indicator_threshold}) leaves no data: {out.shape[0]} unit-years, {out.shape[1]} indicators"
        )
    return out, Report(cells=_empty_cells(), summary=summary)


# ---------------------------------------------------------------------------------------------
# Outliers
# ---------------------------------------------------------------------------------------------
def skew_kurt(x: np.ndarray) -> tuple[float, float]:
    """Sample skewness and excess kurtosis of type 2 (e1071 ``type = 2``, Excel SKEW/KURT).

    .. math::
        G_1 = g_1 \\frac{\\sqrt{n(n-1)}}{n-2}, \\quad
        G_2 = \\frac{n-1}{(n-2)(n-3)}\\left((n+1) g_2 + 6\\right),

    with :math:`g_1 = m_3/m_2^{3/2}`, :math:`g_2 = m_4/m_2^2 - 3` and :math:`m_r` the central
    moments (divisor n). Missing values are ignored. Needs n >= 4 and a non-constant column;
    otherwise both are NaN (and the column is never treated).
    """
    v = x[~np.isnan(x)]
    n = v.size
    if n < 4:
        return float("nan"), float("nan")
    d = v - v.mean()
    m2 = np.mean(d**2)
    if m2 == 0:
        return float("nan"), float("nan")
    g1 = np.mean(d**3) / m2**1.5
    g2 = np.mean(d**4) / m2**2 - 3.0
    G1 = g1 * np.sqrt(n * (n - 1)) / (n - 2)
    G2 = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6.0)
    return float(G1), float(G2)


def _passes(sk: float, ku: float, skew_threshold: float, kurt_threshold: float) -> bool:
    # NaN statistics (constant or tiny columns) are never treated.
    if np.isnan(sk) or np.isnan(ku):
        return True
    return bool(abs(sk) < skew_threshold or ku < kurt_threshold)


def winsorise_log_column(
    x: np.ndarray,
    *,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    max_points: int = 5,
    log_fallback: bool = True,
) -> tuple[np.ndarray, dict[str, object]]:
    """Treat one column by the JRC/COINr rule; returns the new column and what was done.

    1. If ``|skew| < skew_threshold`` or ``kurt < kurt_threshold`` the column passes untouched.
    2. Otherwise, repeatedly (at most ``max_points`` times): on the side of the skew (the
       maximum if skew > 0, else the minimum) replace the extreme value -- all cells equal to
       it when tied -- by the next value inwards (the most extreme of the remaining cells),
       recompute skew and kurtosis, stop as soon as the column passes. ``n_steps`` counts
       these steps, ``n_winsorised`` the cells that differ from the original column.
    3. If it still fails and ``log_fallback``: discard the winsorisation and transform the
       *original* column, :math:`\\ln(x - \\min x + 0.01(\\max x - \\min x))` (COINr
       ``log_CT``). The log result is kept even if it still fails (reported as such).
    """
    sk0, ku0 = skew_kurt(x)
    info: dict[str, object] = {
        "skew_before": sk0,
        "kurt_before": ku0,
        "action": "none",
        "n_steps": 0,
        "n_winsorised": 0,
        "skew_after": sk0,
        "kurt_after": ku0,
        "passes": True,
    }
    if _passes(sk0, ku0, skew_threshold, kurt_threshold):
        return x, info
    y = x.copy()
    finite = ~np.isnan(y)
    steps = 0
    sk, ku = sk0, ku0
    for _ in range(int(max_points)):
        vals = y[finite]
        if sk > 0:
            ext = vals.max()
            hit = finite & (y == ext)
            rest = y[finite & ~hit]
            if rest.size == 0:
                break
            y[hit] = rest.max()
        else:
            ext = vals.min()
            hit = finite & (y == ext)
            rest = y[finite & ~hit]
            if rest.size == 0:
                break
            y[hit] = rest.min()
        steps += 1
        sk, ku = skew_kurt(y)
        if _passes(sk, ku, skew_threshold, kurt_threshold):
            n_done = int(np.sum(finite & (y != x)))
            info.update(
                action="winsorised",
                n_steps=steps,
                n_winsorised=n_done,
                skew_after=sk,
                kurt_after=ku,
                passes=True,
            )
            return y, info
    if not log_fallback:
        n_done = int(np.sum(finite & (y != x)))
        info.update(
            action="winsorised",
            n_steps=steps,
            n_winsorised=n_done,
            skew_after=sk,
            kurt_after=ku,
            passes=False,
        )
        return y, info
    lo, hi = np.nanmin(x), np.nanmax(x)
    z = np.log(x - lo + 0.01 * (hi - lo))
    sk, ku = skew_kurt(z)
    info.update(
        action="log",
        n_steps=steps,
        n_winsorised=0,
        skew_after=sk,
        kurt_after=ku,
        passes=_passes(sk, ku, skew_threshold, kurt_threshold),
    )
    return z, info


OUTLIER_METHODS = ("winsorise_log", "none")


def treat_outliers(
    data: pd.DataFrame,
    method: str = "winsorise_log",
    *,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    max_points: int = 5,
    log_fallback: bool = True,
    scope: str = "pooled",
) -> tuple[pd.DataFrame, Report]:
    """Apply the skew/kurtosis outlier rule to every indicator (see :func:`winsorise_log_column`).

    Parameters
    ----------
    method
        ``"winsorise_log"`` (the JRC/COINr rule) or ``"none"``.
    scope
        ``"pooled"``: the statistics and the winsorised points are taken over all unit-years of
        an indicator (default, keeps years comparable); ``"year"``: each year separately.

    Returns
    -------
    data, report
        ``report.cells``: every changed cell (``method`` = ``winsorise`` or ``log``);
        ``report.summary``: per indicator (and year when ``scope="year"``) skew and kurtosis
        before and after, the action (none|winsorised|log), points winsorised, whether it passes.
    """
    _check_panel(data)
    if method not in OUTLIER_METHODS:
        raise ConfigError(
            "treat.outliers.method", f"unknown method '{method}'", f"use one of {OUTLIER_METHODS}."
        )
    if scope not in ("pooled", "year"):
        raise ConfigError(
            "treat.outliers.scope", f"unknown scope '{scope}'", "use 'pooled' or 'year'."
        )
    if method == "none":
        return data, Report(cells=_empty_cells(), summary=pd.DataFrame())
    arr = data.to_numpy(dtype=float).copy()
    if scope == "pooled":
        blocks = [("all", np.arange(len(data)))]
    else:
        yrs = data.index.get_level_values("year").to_numpy()
        blocks = [(int(y), np.flatnonzero(yrs == y)) for y in np.unique(yrs)]
    rows = []
    actions = {}
    for j, col in enumerate(data.columns):
        for label, ix in blocks:
            new, info = winsorise_log_column(
                arr[ix, j],
                skew_threshold=skew_threshold,
                kurt_threshold=kurt_threshold,
                max_points=max_points,
                log_fallback=log_fallback,
            )
            arr[ix, j] = new
            actions[col] = "log" if info["action"] == "log" else "winsorise"
            rows.append({"indicator": col, "year": label, **info})
    out = pd.DataFrame(arr, index=data.index, columns=data.columns)
    cells = _cells(data, out, "outliers", pd.Series(actions))
    summary = pd.DataFrame(rows)
    if scope == "pooled":
        summary = summary.drop(columns="year")
    return out, Report(cells=cells, summary=summary)


# ---------------------------------------------------------------------------------------------
# The whole treatment
# ---------------------------------------------------------------------------------------------
def treat(
    data: pd.DataFrame,
    *,
    groups: pd.Series | None = None,
    impute_method: str = "linear",
    impute_edge: str = "nearest",
    impute_edge_max_years: int | None = None,
    unit_threshold: float = 0.0,
    indicator_threshold: float = 0.0,
    outlier_method: str = "winsorise_log",
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    max_points: int = 5,
    log_fallback: bool = True,
    outlier_scope: str = "pooled",
) -> tuple[dict[str, pd.DataFrame], Report]:
    """Impute, screen and treat outliers in that order (COINr's example build order).

    Returns
    -------
    stages, report
        ``stages`` maps ``"imputed"``, ``"screened"``, ``"treated"`` to the panel after each
        step; ``report`` stacks the step reports (``step`` column).
    """
    imputed, r1 = impute(data, impute_method, edge=impute_edge, groups=groups,
                         edge_max_years=impute_edge_max_years)
    screened, r2 = screen(
        imputed, unit_threshold=unit_threshold, indicator_threshold=indicator_threshold
    )
    treated, r3 = treat_outliers(
        screened,
        outlier_method,
        skew_threshold=skew_threshold,
        kurt_threshold=kurt_threshold,
        max_points=max_points,
        log_fallback=log_fallback,
        scope=outlier_scope,
    )
    return (
        {"imputed": imputed, "screened": screened, "treated": treated},
        Report.concat({"impute": r1, "screen": r2, "outliers": r3}),
    )
