"""Write the method record (thin glue around greenindex.report.provenance)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

from greenindex.logs import step_logging
from greenindex.report.provenance import method_record, write_record

with step_logging(snakemake.log[0], "method_record"):  # noqa: F821
    sm = snakemake  # noqa: F821
    inputs = dict(sm.input.items())
    write_record(method_record(sm.params.config, inputs, sm.params.variants), sm.output[0])
