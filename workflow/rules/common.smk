# Shared helpers: config validation, variant configs, target lists, input functions.

import hashlib
import json
from pathlib import Path

from greenindex.config import load_schema, validate_config, variant_config
from greenindex.ingest import validate_inputs

SCHEMA = load_schema(Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml")
# Validate at start-up and fill defaults: a typo stops the run before any job, naming the key.
config.update(validate_config(config, SCHEMA))

VARIANTS = sorted(config["variants"])
MAIN = config["main_variant"]
LANGS = config["figures"]["language"]


wildcard_constraints:
    variant="|".join(VARIANTS),
    lang="zh|en",


def variant_section(section):
    """Input/params function: one method section of the job's variant (merged with the base)."""

    def _get(wildcards):
        return variant_config(config, wildcards.variant)[section]

    _get.__name__ = f"variant_{section}"
    return _get


def data_inputs():
    """The input tables named in the config (optional ones only when set)."""
    d = config["data"]
    out = {k: d[k] for k in ("observations", "codebook", "units")}
    for k in ("framework", "sources", "national_totals"):
        if d.get(k):
            out[k] = d[k]
    return out


def all_targets():
    targets = [
        "results/provenance/method_record.json",
        "results/coverage/coverage.csv",
        expand("results/aggregate/{variant}/scores.csv", variant=VARIANTS),
        expand("results/regional/{variant}/region_means.csv", variant=VARIANTS),
        "results/claims/claims.csv",
        "results/disparity/theil.csv",
        expand("results/report/report_{lang}.html", lang=LANGS),
    ]
    targets += uncertainty_targets()
    targets += figure_targets()
    return targets


def preflight():
    """Check the input tables before any job runs.

    A bad input then stops the run at start-up with the validation message, and no job (and
    so no deletion of a job's earlier outputs) happens: results of the last good run stay as
    they were. The check is skipped when the same inputs and settings already passed.
    """
    paths = data_inputs()
    settings = {s: config[s] for s in ("panel", "units", "indicators", "validate")}
    h = hashlib.sha256(json.dumps([paths, settings], sort_keys=True).encode())
    for k in sorted(paths):
        p = Path(paths[k])
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    stamp = Path(".snakemake") / "greenindex-preflight" / h.hexdigest()
    if stamp.exists():
        return
    validate_inputs(paths, **settings)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()


preflight()
