"""Validate the input tables (thin glue around greenindex.ingest)."""

from greenindex.ingest import load_inputs
from greenindex.io import ROW, write_csv, write_panel
from greenindex.logs import step_logging

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
    write_csv(inputs.observations.drop(columns=[ROW]), sm.output.observations)
    write_csv(inputs.codebook.drop(columns=[ROW]), sm.output.codebook)
    write_csv(inputs.units.drop(columns=[ROW]), sm.output.units)
    write_csv(fw.to_frame(), sm.output.framework)
    raw = inputs.raw_panel(range(years[0], years[1] + 1))
    write_panel(raw, sm.output.raw_panel)
    from greenindex.plausibility import check_plausibility

    findings = check_plausibility(raw, inputs.codebook, jump_factor=p.validate["jump_factor"],
                                  range_severity=p.validate["range_check"], observations=inputs.observations,
                                  file=sm.input.observations)
    write_csv(findings, sm.output.plausibility)
