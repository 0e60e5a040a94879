"""The validated inputs (:class:`Inputs`), :func:`load_inputs` and :func:`validate_inputs`
(everything the ``validate`` stage checks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from greenindex.data.ingest.checks import (
    check_indicator_data,
    check_not_constant,
    check_units_observed,
    check_years_observed,
)
from greenindex.data.ingest.observations import read_observations, to_wide
from greenindex.data.ingest.tables import (
    ZERO_MISSING,
    _closest,
    read_codebook,
    read_framework,
    read_sources,
    read_units,
)
from greenindex.data.io import ROW, read_table
from greenindex.data.units import UnitMatcher
from greenindex.errors import InputError
from greenindex.index.framework import Framework


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


def _plausibility(
    inputs: Inputs, paths: Mapping[str, str | Path | None], validate: Mapping[str, object]
) -> pd.DataFrame:
    """The plausibility findings of :func:`validate_inputs` (with the zeros read as missing as
    notes); raises :class:`InputError` for the findings of severity ``error``."""
    from greenindex.data.plausibility import check_plausibility, from_config

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
    return findings


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
    findings = _plausibility(inputs, paths, validate)
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
