"""Validate the input tables (thin glue around greenindex.data.ingest.validate_inputs)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

from greenindex.data.ingest import validate_inputs
from greenindex.data.io import ROW, write_csv, write_panel
from greenindex.logs import step_logging

with step_logging(snakemake.log[0], "validate") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    p = sm.params
    inputs, findings = validate_inputs(
        dict(sm.input.items()),
        panel=p.panel,
        units=p.units,
        indicators=p.indicators,
        validate=p.validate,
    )
    fw = inputs.framework()
    log.info(
        "%d observations, %d units, %d indicators in %d levels",
        len(inputs.observations),
        len(inputs.units),
        len(inputs.indicators),
        len(fw.levels),
    )
    for m in findings.loc[findings["severity"] == "warning", "message"]:
        log.warning(m)
    write_csv(findings, sm.output.plausibility)
    write_csv(inputs.observations.drop(columns=[ROW]), sm.output.observations)
    write_csv(inputs.codebook.drop(columns=[ROW]), sm.output.codebook)
    write_csv(inputs.units.drop(columns=[ROW]), sm.output.units)
    write_csv(fw.to_frame(), sm.output.framework)
    years = range(p.panel["start"], p.panel["end"] + 1)
    write_panel(inputs.raw_panel(years), sm.output.raw_panel)
