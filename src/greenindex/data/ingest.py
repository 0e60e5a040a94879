"""The input contract: read and validate observations, codebook, units, framework, sources.

Input tables (see ``data/raw/README.md``):

observations
    long table ``unit, year, indicator, value, source_id`` (CSV or XLSX). ``value`` empty or
    ``NA`` is a missing observation; anything else must be a number.
codebook
    one row per series: ``id, role, name_zh, name_en, unit, dimension, direction, weight,
    numerator, denominator, scale, source_id, min_value, max_value, rationale``. ``role`` is
    ``indicator`` (enters the index), ``variable`` (raw series used as a numerator or
    denominator) or ``recommended`` (recommended but absent: no data yet). Optional column
    ``zero_means_missing`` (``yes``/``no``, empty = no): ``yes`` declares that a ``0`` in
    this series is a missing value typed as zero; such zeros are read as missing (then
    imputed and flagged like any gap) and listed in the plausibility table.
units
    ``unit, name_zh, name_en`` and one column per grouping scheme (e.g. ``nbs4``, ``belt3``).
framework (optional)
    ``id, parent, name_zh, name_en, weight``: the aggregate levels above the indicators.
sources (optional)
    ``source_id, publication, ...``: every observation's ``source_id`` must be listed.

Every check raises :class:`~greenindex.errors.InputError` naming the file, the row(s) and the
fix. Inputs are never modified: the validated, canonical tables are written by the workflow
under ``results/validate/``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from greenindex.data.io import ROW, read_table
from greenindex.data.units import UnitMatcher
from greenindex.errors import InputError
from greenindex.index.framework import Framework

ROLES = ("indicator", "variable", "recommended")
NA_TOKENS = {"", "na", "nan", "n/a", "null", "none"}
YES_TOKENS = {"yes", "y", "true", "1"}
NO_TOKENS = {"", "no", "n", "false", "0"}
#: Optional codebook column: ``yes`` = a 0 in this series means "missing".
ZERO_MISSING = "zero_means_missing"

CODEBOOK_COLUMNS = (
    "id", "role", "name_zh", "name_en", "unit", "dimension", "direction", "weight",
    "numerator", "denominator", "scale", "source_id", "min_value", "max_value", "rationale",
)  # fmt: skip


@dataclass
class Inputs:
    """Validated inputs in canonical form."""

    observations: pd.DataFrame  # unit, year, indicator, value, source_id
    codebook: pd.DataFrame  # typed; column `used` marks indicators entering the index
    units: pd.DataFrame
    framework_table: pd.DataFrame | None
    sources: pd.DataFrame | None
    #: observation rows (``unit, year, indicator, _row``) whose 0 was read as missing because
    #: the codebook declares ``zero_means_missing: yes`` for the series
    zeros_as_missing: pd.DataFrame | None = None

    @property
    def indicators(self) -> list[str]:
        cb = self.codebook
        return list(cb.loc[(cb["role"] == "indicator") & cb["used"], "id"])

    def framework(self) -> Framework:
        cb = self.codebook
        return Framework.from_tables(
            cb[(cb["role"] == "indicator") & cb["used"]], self.framework_table
        )

    def raw_panel(self, years: Sequence[int]) -> pd.DataFrame:
        """Wide panel of every observed series on the full unit x year grid (NaN = missing)."""
        return to_wide(self.observations, units=list(self.units["unit"]), years=years)


def _num(s: str) -> float | None:
    t = s.strip()
    if t.lower() in NA_TOKENS:
        return None
    return float(t)


def read_codebook(path: str | Path) -> pd.DataFrame:
    """Read and check the codebook (see module docstring)."""
    f = str(path)
    cb = read_table(path, required=("id", "name_en", "dimension", "direction"), what="codebook")
    for c in CODEBOOK_COLUMNS:
        if c not in cb.columns:
            cb[c] = ""
    cb.loc[cb["role"] == "", "role"] = "indicator"
    bad = cb[~cb["role"].isin(ROLES)]
    if len(bad):
        r = bad.iloc[0]
        raise InputError(
            f"unknown role '{r['role']}' for '{r['id']}'",
            file=f,
            row=list(bad[ROW]),
            column="role",
            fix=f"use one of {list(ROLES)}.",
        )
    empty = cb[cb["id"] == ""]
    if len(empty):
        raise InputError(
            "empty indicator id",
            file=f,
            row=list(empty[ROW]),
            column="id",
            fix="give every row an id.",
        )
    dup = cb[cb["id"].duplicated(keep=False)]
    if len(dup):
        raise InputError(
            f"duplicate id(s) {sorted(set(dup['id']))}",
            file=f,
            row=list(dup[ROW]),
            column="id",
            fix="each series must appear once in the codebook.",
        )
    ind = cb["role"] == "indicator"
    dirs = []
    for _, r in cb.iterrows():
        d = r["direction"].strip()
        if r["role"] != "indicator" and d == "":
            dirs.append(np.nan)
            continue
        try:
            v = float(d)
        except ValueError:
            v = np.nan
        if v not in (1.0, -1.0):
            raise InputError(
                f"direction of '{r['id']}' is '{d}', not +1 or -1",
                file=f,
                row=int(r[ROW]),
                column="direction",
                fix="write 1 for a benefit indicator (higher is better) or -1 for a cost indicator (lower is better).",
            )
        dirs.append(v)
    cb["direction"] = dirs
    nodim = cb[ind & (cb["dimension"] == "")]
    if len(nodim):
        raise InputError(
            f"indicator(s) {list(nodim['id'])} have no dimension",
            file=f,
            row=list(nodim[ROW]),
            column="dimension",
            fix="name the dimension (pillar) each indicator belongs to.",
        )
    for col, default, lo in (
        ("weight", 1.0, 0.0),
        ("scale", 1.0, None),
        ("min_value", np.nan, None),
        ("max_value", np.nan, None),
    ):
        vals = []
        for _, r in cb.iterrows():
            try:
                v = _num(r[col])
            except ValueError:
                raise InputError(
                    f"'{r[col]}' is not a number",
                    file=f,
                    row=int(r[ROW]),
                    column=col,
                    fix="write a plain number (decimal point, no thousands separator) or leave it empty.",
                ) from None
            v = default if v is None else v
            if lo is not None and v < lo:
                raise InputError(
                    f"negative {col} {v} for '{r['id']}'",
                    file=f,
                    row=int(r[ROW]),
                    column=col,
                    fix="weights must be >= 0.",
                )
            if col == "scale" and v == 0:
                raise InputError(
                    f"scale 0 for '{r['id']}'",
                    file=f,
                    row=int(r[ROW]),
                    column=col,
                    fix="use a non-zero scale factor.",
                )
            vals.append(v)
        cb[col] = vals
    ids = set(cb["id"])
    for col in ("numerator", "denominator"):
        bad = cb[(cb[col] != "") & ~cb[col].isin(ids)]
        if len(bad):
            r = bad.iloc[0]
            raise InputError(
                f"{col} '{r[col]}' of '{r['id']}' is not an id in the codebook{_closest(r[col], ids)}",
                file=f,
                row=list(bad[ROW]),
                column=col,
                fix=f"add a row with role 'variable' for '{r[col]}' or correct the id.",
            )
    if ZERO_MISSING in cb.columns:
        flags = cb[ZERO_MISSING].str.strip().str.lower()
        bad = cb[~flags.isin(YES_TOKENS | NO_TOKENS)]
        if len(bad):
            r = bad.iloc[0]
            raise InputError(
                f"'{r[ZERO_MISSING]}' is neither yes nor no",
                file=f,
                row=list(bad[ROW]),
                column=ZERO_MISSING,
                fix="write 'yes' when a 0 in this series means a missing value, "
                "'no' or nothing otherwise.",
            )
        cb[ZERO_MISSING] = flags.isin(YES_TOKENS)
    cb["used"] = ind
    return cb


def read_units(path: str | Path, *, match: str = "china_provinces") -> pd.DataFrame:
    """Read the units table; with ``match='china_provinces'`` unit spellings become ISO codes."""
    f = str(path)
    u = read_table(path, required=("unit",), what="units table")
    if match == "china_provinces":
        u["unit"] = UnitMatcher.china_provinces().match(
            u["unit"], file=f, column="unit", rows=list(u[ROW])
        )
    elif match != "exact":
        raise ValueError(f"unknown unit matching mode {match!r}")
    dup = u[u["unit"].duplicated(keep=False)]
    if len(dup):
        raise InputError(
            f"unit(s) {sorted(set(dup['unit']))} listed more than once",
            file=f,
            row=list(dup[ROW]),
            column="unit",
            fix="list each unit once (different spellings of one province count as the same unit).",
        )
    return u


def read_framework(path: str | Path | None) -> pd.DataFrame | None:
    """Read the optional framework table (aggregate levels)."""
    if path is None or str(path) == "":
        return None
    fw = read_table(path, required=("id", "parent"), what="framework table")
    for c in ("name_zh", "name_en", "weight"):
        if c not in fw.columns:
            fw[c] = ""
    dup = fw[fw["id"].duplicated(keep=False)]
    if len(dup):
        raise InputError(
            f"duplicate node id(s) {sorted(set(dup['id']))}",
            file=str(path),
            row=list(dup[ROW]),
            column="id",
        )
    for _, r in fw.iterrows():
        if r["weight"] != "":
            try:
                w = float(r["weight"])
            except ValueError:
                raise InputError(
                    f"weight '{r['weight']}' is not a number",
                    file=str(path),
                    row=int(r[ROW]),
                    column="weight",
                ) from None
            if w < 0:
                raise InputError(
                    f"negative weight {w}",
                    file=str(path),
                    row=int(r[ROW]),
                    column="weight",
                    fix="weights must be >= 0.",
                )
    return fw


def read_sources(path: str | Path | None) -> pd.DataFrame | None:
    """Read the optional sources table."""
    if path is None or str(path) == "":
        return None
    s = read_table(path, required=("source_id",), what="sources table")
    dup = s[s["source_id"].duplicated(keep=False)]
    if len(dup):
        raise InputError(
            f"duplicate source id(s) {sorted(set(dup['source_id']))}",
            file=str(path),
            row=list(dup[ROW]),
            column="source_id",
        )
    return s


def read_observations(
    path: str | Path,
    *,
    codebook: pd.DataFrame,
    units: pd.DataFrame,
    match: str = "china_provinces",
    years: tuple[int, int] | None = None,
    outside_years: str = "error",
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Read and check the observations; returns ``unit, year, indicator, value, source_id``.

    Checks, each with the offending rows named: numeric years, numeric values, known units
    (any spelling of a province), units present in the units table, indicators present in the
    codebook, no duplicate (unit, year, indicator), years inside the configured panel (or
    dropped with ``outside_years='drop'``), source ids present in the sources table.
    """
    f = str(path)
    ob = read_table(
        path,
        required=("unit", "year", "indicator", "value", "source_id"),
        what="observations table",
    )
    rows = list(ob[ROW])
    # units
    matcher = (
        UnitMatcher.china_provinces()
        if match == "china_provinces"
        else UnitMatcher.from_table(units)
    )
    ob["unit"] = matcher.match(ob["unit"], file=f, column="unit", rows=rows)
    known_units = set(units["unit"])
    notin = ob[~ob["unit"].isin(known_units)]
    if len(notin):
        raise InputError(
            f"unit(s) {sorted(set(notin['unit']))} are not in the units table",
            file=f,
            row=list(notin[ROW]),
            column="unit",
            fix="add them to the units table (with their region) or remove their rows.",
        )
    # years
    yr = pd.to_numeric(ob["year"], errors="coerce")
    bad = ob[yr.isna() | (yr != yr.round())]
    if len(bad):
        raise InputError(
            f"year '{bad.iloc[0]['year']}' is not a whole number",
            file=f,
            row=list(bad[ROW]),
            column="year",
            fix="write the year as four digits, e.g. 2018.",
        )
    ob["year"] = yr.astype(int)
    # values
    vals = []
    bad_rows: list[int] = []
    bad_vals: list[str] = []
    for v, r in zip(ob["value"], ob[ROW], strict=True):
        try:
            x = _num(v)
            vals.append(np.nan if x is None else x)
        except ValueError:
            vals.append(np.nan)
            bad_rows.append(int(r))
            bad_vals.append(v)
    if bad_rows:
        hint = " (remove thousands separators)" if any("," in v for v in bad_vals) else ""
        raise InputError(
            f"non-numeric value(s) {bad_vals[:5]}{hint}",
            file=f,
            row=bad_rows,
            column="value",
            fix="write numbers with a decimal point; leave the cell empty (or NA) for a missing value.",
        )
    ob["value"] = np.asarray(vals, dtype=float)
    if np.isinf(ob["value"]).any():
        raise InputError(
            "infinite value", file=f, row=list(ob.loc[np.isinf(ob["value"]), ROW]), column="value"
        )
    # indicators
    ids = set(codebook["id"])
    unk = ob[~ob["indicator"].isin(ids)]
    if len(unk):
        names = sorted(set(unk["indicator"]))
        raise InputError(
            f"indicator(s) not in the codebook: {names[:10]}{_closest(names[0], ids)}",
            file=f,
            row=list(unk[ROW]),
            column="indicator",
            fix="add them to the codebook (role 'indicator' or 'variable') or correct the id.",
        )
    # years window
    if years is not None:
        lo, hi = years
        out = ob[(ob["year"] < lo) | (ob["year"] > hi)]
        if len(out):
            if outside_years == "drop":
                ob = ob[(ob["year"] >= lo) & (ob["year"] <= hi)]
            else:
                raise InputError(
                    f"year(s) {sorted(set(out['year']))} outside the configured panel {lo}-{hi}",
                    file=f,
                    row=list(out[ROW]),
                    column="year",
                    fix="widen 'panel.start'/'panel.end' in the config, remove the rows, or set "
                    "'validate.outside_years: drop' to ignore them.",
                )
    # duplicates
    dup = ob[ob.duplicated(["unit", "year", "indicator"], keep=False)]
    if len(dup):
        first = dup.sort_values(ROW).iloc[0]
        raise InputError(
            f"duplicate observation(s): {dup.groupby(['unit', 'year', 'indicator']).ngroups} (unit, year, indicator) "
            f"combination(s) appear more than once, e.g. ({first['unit']}, {first['year']}, {first['indicator']})",
            file=f,
            row=sorted(int(r) for r in dup[ROW]),
            fix="keep one row per unit, year and indicator (different spellings of a province count as the same unit).",
        )
    # sources
    if sources is not None:
        known = set(sources["source_id"])
        nos = ob[~ob["source_id"].isin(known)]
        if len(nos):
            raise InputError(
                f"source id(s) {sorted(set(nos['source_id']))[:5]} not in the sources table",
                file=f,
                row=list(nos[ROW]),
                column="source_id",
                fix="add a row to the sources table for every source id (publication, table, citation).",
            )
    return ob[["unit", "year", "indicator", "value", "source_id", ROW]].reset_index(drop=True)


def check_indicator_data(obs: pd.DataFrame, codebook: pd.DataFrame, *, codebook_file: str) -> None:
    """Every indicator used must have data: its own series, or its numerator and denominator."""
    have = set(obs.loc[obs["value"].notna(), "indicator"])
    cb = codebook[(codebook["role"] == "indicator") & codebook["used"]]
    problems = []
    rows = []
    for _, r in cb.iterrows():
        needed = [r["numerator"] or r["id"]] + ([r["denominator"]] if r["denominator"] else [])
        missing = [s for s in needed if s not in have]
        if missing:
            problems.append(f"'{r['id']}' (no observations of {missing})")
            rows.append(int(r[ROW]))
    if problems:
        raise InputError(
            "codebook indicator(s) with no data: " + "; ".join(problems),
            file=codebook_file,
            row=rows,
            fix="add observations, set the role to 'recommended' until you have them, or list the indicator "
            "under 'indicators.exclude' in the config.",
        )


def load_inputs(
    *,
    observations: str | Path,
    codebook: str | Path,
    units: str | Path,
    framework: str | Path | None = None,
    sources: str | Path | None = None,
    match: str = "china_provinces",
    years: tuple[int, int] | None = None,
    outside_years: str = "error",
    exclude_indicators: Sequence[str] = (),
    drop_units: Sequence[str] = (),
) -> Inputs:
    """Read and validate all input tables; apply the configured exclusions."""
    cb = read_codebook(codebook)
    unknown = [i for i in exclude_indicators if i not in set(cb["id"])]
    if unknown:
        raise InputError(
            f"indicators.exclude names unknown id(s) {unknown}{_closest(unknown[0], set(cb['id']))}",
            file=str(codebook),
            fix="correct the id in config 'indicators.exclude'.",
        )
    cb.loc[cb["id"].isin(exclude_indicators), "used"] = False
    un = read_units(units, match=match)
    fw = read_framework(framework)
    src = read_sources(sources)
    ob = read_observations(
        observations,
        codebook=cb,
        units=un,
        match=match,
        years=years,
        outside_years=outside_years,
        sources=src,
    )
    if drop_units:
        matcher = (
            UnitMatcher.china_provinces()
            if match == "china_provinces"
            else UnitMatcher.from_table(un)
        )
        codes = matcher.match(drop_units, file="config", column="units.drop")
        un = un[~un["unit"].isin(codes)].reset_index(drop=True)
        ob = ob[~ob["unit"].isin(codes)].reset_index(drop=True)
    zeros = None
    if ZERO_MISSING in cb.columns:
        declared = set(cb.loc[cb[ZERO_MISSING].astype(bool), "id"])
        hit = ob["indicator"].isin(declared) & (ob["value"] == 0)
        zeros = ob.loc[hit, ["unit", "year", "indicator", ROW]].reset_index(drop=True)
        ob.loc[hit, "value"] = np.nan
    check_indicator_data(ob, cb, codebook_file=str(codebook))
    if not cb["used"].any() or not ((cb["role"] == "indicator") & cb["used"]).any():
        raise InputError(
            "no indicator is left to build the index",
            file=str(codebook),
            fix="check 'role' in the codebook and 'indicators.exclude' in the config.",
        )
    return Inputs(
        observations=ob,
        codebook=cb,
        units=un,
        framework_table=fw,
        sources=src,
        zeros_as_missing=zeros,
    )


def check_units_observed(inputs: Inputs, *, units_file: str, observations_file: str) -> None:
    """Every unit of the units table (after ``units.drop``) must have at least one value.

    The units table and the observations must match one to one: an observed unit missing from
    the units table is caught when the observations are read; a listed unit without any value
    is caught here. When another unit with a similar name has rows, the message asks whether
    the rows were written under that name (Shanxi 山西 SX and Shaanxi 陕西 SN differ by a letter:
    Shanxi's rows typed as "Shaanxi" while Shaanxi's own rows are absent would otherwise give
    Shaanxi Shanxi's data silently).
    """
    obs = inputs.observations
    have = set(obs.loc[obs["value"].notna(), "unit"])
    un = inputs.units
    missing = un[~un["unit"].isin(have)]
    if not len(missing):
        return
    label = _unit_labels(un)
    others = {label[o]: o for o in have if o in label}
    hints = []
    for u in missing["unit"]:
        close = difflib.get_close_matches(label.get(u, u), sorted(others), n=1, cutoff=0.8)
        if close:
            hints.append(
                f"{label.get(u, u)} ({u}) has no rows while {close[0]} ({others[close[0]]}) has: "
                f"were {label.get(u, u)}'s rows written as {close[0]}?"
            )
    hint = (" " + " ".join(hints)) if hints else ""
    raise InputError(
        f"unit(s) {[f'{label.get(u, u)} ({u})' for u in missing['unit']]} of the units table have no "
        f"observation in {observations_file}.{hint}",
        file=units_file,
        row=[int(r) for r in missing[ROW]],
        column="unit",
        fix="add their observations (check the spelling of the unit names in the observations), or list "
        "them under 'units.drop' in the config to leave them out of the whole analysis.",
    )


def _unit_labels(units: pd.DataFrame) -> dict[str, str]:
    """Unit code -> English name (the province table's, else the units table's ``name_en``)."""
    from greenindex.data.units import province_table

    label = {str(r["code"]): str(r["name_en"]) for _, r in province_table().iterrows()}
    if "name_en" in units.columns:
        for u, n in zip(units["unit"], units["name_en"], strict=True):
            if str(n).strip() and u not in label:
                label[str(u)] = str(n)
    return label


def check_years_observed(
    obs: pd.DataFrame, years: Sequence[int], *, observations_file: str
) -> None:
    """Every panel year must have at least one value (of any series, any unit).

    A year with no data at all is named as such, before any treatment step could fail on it
    with a message about one series.
    """
    have = set(obs.loc[obs["value"].notna(), "year"].astype(int))
    empty = [int(y) for y in years if int(y) not in have]
    if empty:
        lo, hi = min(years), max(years)
        raise InputError(
            f"no data at all for year(s) {empty} of the configured panel {lo}-{hi}: not one value of any "
            "series for any unit",
            file=observations_file,
            column="year",
            fix=f"add the observations of {empty}, or shorten the panel ('panel.start'/'panel.end' in the "
            "config; keep 'window' inside it).",
        )


def to_wide(
    obs: pd.DataFrame, *, units: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """Tidy observations to a wide panel indexed by (unit, year) on the full grid."""
    wide = obs.pivot(index=["unit", "year"], columns="indicator", values="value")
    wide.columns.name = None
    if units is not None or years is not None:
        u = list(units) if units is not None else sorted(obs["unit"].unique())
        y = list(years) if years is not None else sorted(obs["year"].unique())
        grid = pd.MultiIndex.from_product(
            [sorted(u), sorted(int(v) for v in y)], names=["unit", "year"]
        )
        wide = wide.reindex(grid)
    wide = wide.sort_index()
    return wide[sorted(wide.columns)].astype(float)


def _closest(name: str, known: set[str]) -> str:
    hits = difflib.get_close_matches(str(name), sorted(known), n=3, cutoff=0.5)
    return f" (closest known: {', '.join(hits)})" if hits else ""


def check_not_constant(data: pd.DataFrame, *, codebook_file: str = "codebook") -> None:
    """Stop when an indicator has one value for every unit-year (or no value at all).

    Such an indicator carries no information, cannot be min-max normalised (max = min) and
    makes entropy and CRITIC weights undefined.
    """
    problems = []
    for col in data.columns:
        x = data[col].dropna()
        if x.empty:
            problems.append(f"'{col}' has no value after denomination")
        elif x.nunique() == 1:
            problems.append(f"'{col}' is constant ({float(x.iloc[0])!r} in every unit-year)")
    if problems:
        raise InputError(
            "; ".join(problems),
            file=codebook_file,
            fix="check the data of these indicators, or list them under 'indicators.exclude' in the config.",
        )


def validate_inputs(
    paths: Mapping[str, str | Path | None],
    *,
    panel: Mapping[str, int],
    units: Mapping[str, object],
    indicators: Mapping[str, object],
    validate: Mapping[str, object],
    treat: Mapping[str, object] | None = None,
) -> tuple[Inputs, pd.DataFrame]:
    """Everything the ``validate`` stage checks, from the config sections of the same names.

    ``paths`` holds ``observations``, ``codebook``, ``units`` and optionally ``framework``,
    ``sources`` and ``national_totals``. Returns the validated inputs and the plausibility
    findings (warnings); raises :class:`InputError` for any error, including implausible
    values when ``validate.range_check`` is ``error``. With the ``treat`` config section,
    the indicators are also derived (substitution, denomination) and checked not to be
    constant, so that this error too is found before the workflow runs any job.
    """
    from greenindex.data.plausibility import check_plausibility, from_config

    years = (int(panel["start"]), int(panel["end"]))
    inputs = load_inputs(
        observations=paths["observations"],
        codebook=paths["codebook"],
        units=paths["units"],
        framework=paths.get("framework"),
        sources=paths.get("sources"),
        match=str(units["match"]),
        years=years,
        outside_years=str(validate["outside_years"]),
        exclude_indicators=list(indicators["exclude"]),  # type: ignore[call-overload]
        drop_units=list(units["drop"]),  # type: ignore[call-overload]
    )
    check_years_observed(
        inputs.observations,
        range(years[0], years[1] + 1),
        observations_file=str(paths["observations"]),
    )
    check_units_observed(
        inputs, units_file=str(paths["units"]), observations_file=str(paths["observations"])
    )
    totals = None
    if paths.get("national_totals"):
        totals = read_table(
            paths["national_totals"],
            required=("indicator", "year", "value"),
            what="national totals",
        )
        totals["year"] = pd.to_numeric(totals["year"])
        totals["value"] = pd.to_numeric(totals["value"])
    cfg = from_config(validate)
    findings = check_plausibility(
        inputs.observations,
        inputs.codebook,
        totals=totals,
        observations_file=str(paths["observations"]),
        **cfg,
    )
    errors = findings[findings["severity"] == "error"]
    if len(errors):
        shown = "\n  ".join(errors["message"].head(10))
        keys = []
        if (errors["check"] == "range").any():
            keys.append("'validate.range_check: warning'")
        if errors["check"].isin(["zero", "negative"]).any():
            keys.append("'validate.suspicious_values: warning'")
        raise InputError(
            f"{len(errors)} implausible value(s):\n  {shown}",
            file=str(paths["observations"]),
            row=[int(r) for r in errors["row"].dropna()],
            fix="correct the values (often a unit mix-up or a missing value typed as 0), widen "
            "min_value/max_value in the codebook if they are real, or set "
            + " / ".join(keys)
            + ".",
        )
    if inputs.zeros_as_missing is not None and len(inputs.zeros_as_missing):
        z = inputs.zeros_as_missing
        notes = pd.DataFrame(
            {
                "check": "zero_as_missing",
                "severity": "note",
                "indicator": z["indicator"],
                "unit": z["unit"],
                "year": z["year"].astype(int),
                "value": 0.0,
                "file": str(paths["observations"]),
                "row": z[ROW].astype(int),
                "message": [
                    f"{i} = 0 for {u} {y} read as missing (codebook: zero_means_missing = yes)"
                    for i, u, y in zip(z["indicator"], z["unit"], z["year"], strict=True)
                ],
            }
        )
        findings = pd.concat([findings, notes], ignore_index=True) if len(findings) else notes
    if treat is not None:
        from greenindex.index.treat import denominate, substitute

        cb = inputs.codebook[(inputs.codebook["role"] == "indicator") & inputs.codebook["used"]]
        raw, _ = substitute(
            inputs.raw_panel(range(years[0], years[1] + 1)), treat.get("substitute") or []
        )  # type: ignore[arg-type]
        derived = (
            denominate(raw, cb, codebook_file=str(paths["codebook"]))[0]
            if treat.get("denominate", True)
            else raw[list(cb["id"])]
        )
        check_not_constant(derived, codebook_file=str(paths["codebook"]))
    return inputs, findings
