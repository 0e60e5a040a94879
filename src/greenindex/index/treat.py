"""Data treatment before normalisation: the report of every step, substitution, denomination
and the availability screen. Missing values are in :mod:`greenindex.index.impute`, outliers in
:mod:`greenindex.index.outliers`; :func:`greenindex.index.pipeline.treat_from_config` runs the
steps in order.

Every step takes a wide panel (index ``("unit", "year")``, one float column per series) and
returns the treated panel together with a :class:`Report`: ``cells`` lists every changed cell
(``unit, year, indicator, step, method, old, new``) and ``summary`` one row per indicator or
unit with what the step decided. Imputed cells are therefore always flagged.

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
from typing import TypeVar

import numpy as np
import pandas as pd

from greenindex.errors import ConfigError, InputError, MethodError

CELL_COLUMNS = ["unit", "year", "indicator", "step", "method", "old", "new"]
#: A treatment step's method (:func:`_method_named`).
M = TypeVar("M")


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


def _method_named(methods: Mapping[str, M], method: str, key: str) -> M:
    """``methods[method]`` of a treatment step; an unknown name is a :class:`ConfigError` at
    the config ``key``, listing the names."""
    if method not in methods:
        raise ConfigError(key, f"unknown method '{method}'", f"use one of {tuple(methods)}.")
    return methods[method]


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
        scale = _scale(_text(r.get("scale")), iid, codebook_file, line)
        for col, sid in (("numerator", num), ("denominator", den)):
            if sid and sid not in raw.columns:
                raise InputError(
                    f"{col} series '{sid}' of indicator '{iid}' is not among the observations",
                    file=codebook_file,
                    row=line,
                    column=col if col == "denominator" or _text(r.get("numerator")) else "id",
                    fix=f"add observations of '{sid}' or correct the codebook.",
                )
        v = _ratio(raw, num, den, scale, iid, codebook_file, line)
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


def _scale(sc: str, iid: str, codebook_file: str, line: int | None) -> float:
    """The codebook's ``scale`` of indicator ``iid`` (1 when empty)."""
    try:
        return float(sc) if sc else 1.0
    except ValueError:
        raise InputError(
            f"scale '{sc}' of indicator '{iid}' is not a number",
            file=codebook_file,
            row=line,
            column="scale",
            fix="give a positive number or leave the cell empty (= 1).",
        ) from None


def _ratio(
    raw: pd.DataFrame,
    num: str,
    den: str,
    scale: float,
    iid: str,
    codebook_file: str,
    line: int | None,
) -> np.ndarray:
    """``num / den * scale`` (``num * scale`` without a denominator); a zero denominator
    under a present numerator is an error naming the unit-years."""
    x = raw[num].to_numpy(dtype=float)
    if not den:
        return x * scale
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
    return x / d * scale


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
