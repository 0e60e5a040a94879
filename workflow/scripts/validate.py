"""Validate the input tables (thin glue around greenindex.ingest and greenindex.plausibility)."""

from greenindex.errors import InputError
from greenindex.ingest import load_inputs
from greenindex.io import ROW, write_csv, write_panel
from greenindex.logs import step_logging
from greenindex.plausibility import check_plausibility, from_config

with step_logging(snakemake.log[0], "validate") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    p = sm.params
    years = (p.panel["start"], p.panel["end"])
    inputs = load_inputs(
        observations=sm.input.observations,
        codebook=sm.input.codebook,
        units=sm.input.units,
        framework=sm.input.get("framework"),
        sources=sm.input.get("sources"),
        match=p.units["match"],
        years=years,
        outside_years=p.validate["outside_years"],
        exclude_indicators=p.indicators["exclude"],
        drop_units=p.units["drop"],
    )
    fw = inputs.framework()
    log.info("%d observations, %d units, %d indicators in %d levels", len(inputs.observations),
             len(inputs.units), len(inputs.indicators), len(fw.levels))
    totals = None
    if sm.input.get("national_totals"):
        import pandas as pd

        totals = pd.read_csv(sm.input.national_totals)
    findings = check_plausibility(inputs.observations, inputs.codebook, totals=totals,
                                  observations_file=str(sm.input.observations), **from_config(p.validate))
    errors = findings[findings["severity"] == "error"]
    for m in findings.loc[findings["severity"] == "warning", "message"]:
        log.warning(m)
    if len(errors):
        shown = "\n  ".join(errors["message"].head(10))
        raise InputError(
            f"{len(errors)} implausible value(s):\n  {shown}",
            file=str(sm.input.observations),
            row=[int(r) for r in errors["row"].dropna()],
            fix="correct the values (often a unit mix-up), widen min_value/max_value in the codebook if "
            "they are real, or set 'validate.range_check: warning'.",
        )
    write_csv(findings, sm.output.plausibility)
    write_csv(inputs.observations.drop(columns=[ROW]), sm.output.observations)
    write_csv(inputs.codebook.drop(columns=[ROW]), sm.output.codebook)
    write_csv(inputs.units.drop(columns=[ROW]), sm.output.units)
    write_csv(fw.to_frame(), sm.output.framework)
    write_panel(inputs.raw_panel(range(years[0], years[1] + 1)), sm.output.raw_panel)
