"""Run one workflow script alone against existing results (for debugging).

Every script in ``workflow/scripts/`` reads a ``snakemake`` object (input, output, params,
wildcards, log). This tool builds that object for one job of a rule from the workflow itself
(the same Snakefile, config and input functions) and runs the script with it, in the current
process: a debugger, ``breakpoint()`` or a profiler work as usual. The job's inputs must exist
(run the workflow once first); its outputs and log are (re)written where the rule writes them.

From the repository root (or any working directory holding a Snakefile, via ``--directory``)::

    python scripts/mock_snakemake.py disparity variant=entropy
    python scripts/mock_snakemake.py figure_maps lang=en --pdb
    python scripts/mock_snakemake.py treat --config 'treat={impute: {method: none}}'

In Python (a notebook, a test)::

    from mock_snakemake import mock_snakemake, run_script   # with scripts/ on sys.path
    sm = mock_snakemake("regional", variant="pca")          # the job's snakemake object
    run_script("regional", variant="pca")                   # run workflow/scripts/regional.py

The idea is PyPSA-Eur's ``mock_snakemake``; this version is written for Snakemake 9's API.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml


@contextmanager
def _workflow(directory: Path, config: Mapping[str, Any] | None = None):
    from snakemake.api import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        ResourceSettings,
        SnakemakeApi,
        StorageSettings,
    )
    from snakemake.settings.enums import Quietness

    old = Path.cwd()
    os.chdir(directory)
    try:
        with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
            wapi = api.workflow(
                resource_settings=ResourceSettings(),
                config_settings=ConfigSettings(config=dict(config or {})),
                storage_settings=StorageSettings(),
                snakefile=(directory / "Snakefile").resolve(),
                workdir=directory.resolve(),
            )
            wapi.dag(DAGSettings())  # parses the Snakefile and validates the config
            yield wapi._workflow  # the parsed workflow (no public accessor in Snakemake 9)
    finally:
        os.chdir(old)


def _job_object(workflow: Any, rule_name: str, wildcards: Mapping[str, str]) -> tuple[Any, Path]:
    from snakemake.dag import DAG
    from snakemake.jobs import Job
    from snakemake.script import Snakemake

    rule = workflow.get_rule(rule_name)
    if not rule.script:
        raise SystemExit(f"rule '{rule_name}' has no script: directive")
    job = Job(rule, DAG(workflow, rules=[rule]), dict(wildcards))
    missing = [f for f in job.input if not Path(f).exists()]
    if missing:
        raise SystemExit(f"inputs of {rule_name} missing (run the workflow first): {missing[:5]}")
    script = (Path(rule.snakefile).parent / rule.script).resolve()
    sm = Snakemake(
        job.input,
        job.output,
        job.params,
        job.wildcards,
        job.threads,
        job.resources,
        job.log,
        workflow.config,
        rule.name,
        None,
        script.parent,
    )
    for f in [*job.output, *job.log]:
        Path(f).parent.mkdir(parents=True, exist_ok=True)
    return sm, script


def mock_snakemake(
    rule: str,
    directory: str | Path = ".",
    config: Mapping[str, Any] | None = None,
    **wildcards: str,
) -> Any:
    """The ``snakemake`` object of the job of ``rule`` with ``wildcards``."""
    with _workflow(Path(directory), config) as wf:
        return _job_object(wf, rule, wildcards)[0]


def run_script(
    rule: str,
    directory: str | Path = ".",
    config: Mapping[str, Any] | None = None,
    **wildcards: str,
) -> None:
    """Run the script of ``rule`` for the job with ``wildcards`` in this process."""
    directory = Path(directory).resolve()
    with _workflow(directory, config) as wf:
        sm, script = _job_object(wf, rule, wildcards)
    old = Path.cwd()
    os.chdir(directory)
    try:
        runpy.run_path(str(script), init_globals={"snakemake": sm}, run_name="__main__")
    finally:
        os.chdir(old)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rule", help="rule name, e.g. disparity")
    ap.add_argument("wildcards", nargs="*", help="wildcards as name=value, e.g. variant=entropy")
    ap.add_argument("--directory", default=".", help="working directory with the Snakefile")
    ap.add_argument("--config", action="append", default=[], help="key=YAML value, as snakemake")
    ap.add_argument("--pdb", action="store_true", help="post-mortem debugger on an exception")
    a = ap.parse_args(argv)
    wildcards = dict(w.split("=", 1) for w in a.wildcards)
    config = {k: yaml.safe_load(v) for k, v in (c.split("=", 1) for c in a.config)}
    try:
        run_script(a.rule, a.directory, config, **wildcards)
    except Exception:
        if not a.pdb:
            raise
        import pdb  # noqa: T100 - the --pdb option asks for the debugger

        pdb.post_mortem(sys.exc_info()[2])
        return 1
    print(f"ran {a.rule} {' '.join(a.wildcards)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
