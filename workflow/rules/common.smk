# Shared helpers: config validation, variant configs, target lists, input functions.

import hashlib
import json
import os
import sys
from pathlib import Path

from greenindex.config import load_schema, validate_config, variant_config
from greenindex.data.preflight import check_run, startup_warnings
from greenindex.runstate import RunLockedError, acquire_run_lock, recover_interrupted

# One run per directory: a second run stops here with one message (see greenindex.runstate);
# the lock is held until this process ends. A run killed earlier is rolled back first.
if workflow.is_main_process:
    try:
        RUN_LOCK = acquire_run_lock()
    except RunLockedError as err:
        sys.exit(str(err))
    if RUN_LOCK is not None and recover_interrupted():
        print("An earlier run was interrupted: results/ was restored to the last complete run "
              "(results/RUN_STATUS.txt); this run re-makes what is out of date.", file=sys.stderr)



def hand_script_jobs_to_the_warm_worker():
    """Let this Snakemake process give `script:` jobs straight to the warm worker.

    Every script job would start a Python process whose first act is to hand the job to the
    worker (greenindex.warm.delegate); Python plus Snakemake's script preamble cost about
    0.1 s of CPU per job. Here Snakemake's step that starts that process
    (`PythonScript.execute_script`, run in a thread of this process for each job) sends the
    same script, with the environment the job would have had (thread variables, TMPDIR), to
    the worker instead and raises as a failed command would. Whenever the worker does not take
    the job (none up yet, stale, switched off, a cluster node) or the job uses conda, a
    container, environment modules, a shadow directory or a benchmark, Snakemake's own step
    runs. Checked on Snakemake 9.27 (requirements.lock); other versions keep their own step.
    """
    import subprocess

    import snakemake
    from snakemake.script import PythonScript

    from greenindex import warm

    step = PythonScript.execute_script
    if not snakemake.__version__.startswith("9.") or getattr(step, "greenindex_warm", False):
        return

    def execute_script(self, fname, edit=False):
        if (
            edit
            or self.conda_env is not None
            or self.container_img is not None
            or self.env_modules is not None
            or self.shadow_dir is not None
            or self.bench_record is not None
        ):
            return step(self, fname, edit)
        env = dict(os.environ)  # as snakemake.shell gives a job
        for var in ("OMP", "GOTO", "OPENBLAS", "MKL", "NUMEXPR"):
            env[f"{var}_NUM_THREADS"] = str(self.threads)
        env["VECLIB_MAXIMUM_THREADS"] = str(self.threads)
        tmpdir = self.resources.get("tmpdir", None)
        if tmpdir:
            env.update(TMPDIR=tmpdir, TMP=tmpdir, TEMPDIR=tmpdir, TEMP=tmpdir)
        status = warm.run_script_file(fname, env, self.rulename)
        if status is None:
            return step(self, fname, edit)
        if status:
            raise subprocess.CalledProcessError(status, f"{sys.executable} {fname}")

    execute_script.greenindex_warm = True
    PythonScript.execute_script = execute_script


hand_script_jobs_to_the_warm_worker()

SCHEMA = load_schema()  # the schema shipped in the package (greenindex/schema/)
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
        "results/audit/comparison.csv",
        "results/disparity/theil.csv",
        expand("results/report/report_{lang}.html", lang=LANGS),
        expand("results/explorer/explorer_{lang}.html", lang=LANGS),
    ]
    targets += uncertainty_targets()
    targets += figure_targets()
    targets.append("results/tables/greenindex_tables.xlsx")
    return targets


def preflight():
    """Check the inputs and the config together before any job runs (greenindex.data.preflight).

    A bad input or setting then stops the run at start-up with a message naming the file, row
    or key, and no job (and so no deletion of a job's earlier outputs) happens: results of the
    last good run stay as they were. Suspicious values (zeros, negatives) are printed as
    warnings. The check is skipped, and its warnings re-printed, when the same inputs and
    config already passed.
    """
    paths = data_inputs()
    h = hashlib.sha256(json.dumps([paths, config], sort_keys=True, default=str).encode())
    for k in sorted(paths):
        p = Path(paths[k])
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    stamp = Path(".snakemake") / "greenindex-preflight" / h.hexdigest()
    if not stamp.exists():
        warnings = startup_warnings(check_run(config, paths)[1])
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(warnings, encoding="utf-8")
    text = stamp.read_text(encoding="utf-8")
    if text and workflow.is_main_process:
        print(text, file=sys.stderr, end="")



# --- disparity and claims ---------------------------------------------------------------

def claim_variants():
    """The method variants the claim check compares (default: every configured variant)."""
    return list(config["claims"]["variants"] or VARIANTS)


def variant_labels():
    """{lang: {variant: label}}: labels derived from each variant's effective method settings
    (greenindex.index.describe), after the name in claims.variant_names when one is given."""
    from greenindex.index.describe import variant_label

    names = config["claims"]["variant_names"]
    return {
        lang: {v: variant_label(variant_config(config, v), lang, names.get(v)) for v in VARIANTS}
        for lang in ("en", "zh")
    }


def dynamics_years():
    """The years of the panel analyses (disparity.period)."""
    span = config["window"] if config["disparity"]["period"] == "window" else config["panel"]
    return list(range(int(span["start"]), int(span["end"]) + 1))


def claim_scores(wildcards):
    """Input function: one scores table per compared variant, keyed by variant id."""
    return {v: f"results/aggregate/{v}/scores.csv" for v in claim_variants()}


# --- uncertainty ----------------------------------------------------------------------------

UNCERTAINTY_CHUNKS = list(range(int(config["uncertainty"]["chunks"])))


wildcard_constraints:
    chunk=r"\d+",


def uncertainty_methods():
    """The nominal method sections: the workflow's `treat` (used when a choice varies the
    treatment, so that it means what it means in the treat rule, groups included) and the
    main variant's normalise / weights / aggregate."""
    return {"treat": config["treat"], **variant_config(config, MAIN)}


def uncertainty_targets():
    """Outputs of the analysis (empty when uncertainty.enabled is false)."""
    if not config["uncertainty"]["enabled"]:
        return []
    return [
        "results/uncertainty/rank_intervals.csv",
        "results/uncertainty/claim_robustness.csv",
        "results/uncertainty/sobol.csv",
        "results/uncertainty/replications.csv",
    ] + uncertainty_figure_targets()


UA_FIGURES = ["rank_intervals", "claim_robustness", "sobol"]


def uncertainty_figure_targets(formats=None):
    """The uncertainty analysis's figure files in ``formats`` (default: all configured)."""
    return expand(
        "results/figures/uncertainty/{fig}_{lang}.{ext}",
        fig=UA_FIGURES,
        lang=LANGS,
        ext=config["figures"]["formats"] if formats is None else formats,
    )


# --- maps and figures -----------------------------------------------------------------------

MAP_NAMES = ["region_gradient", "index_by_year", "index_change", "dimensions", "lisa_clusters"]
CHART_NAMES = [
    "region_trends",
    "ranks",
    "theil_contributions",
    "dagum_contributions",
    "kernel_density",
    "weights_by_method",
]


def section_keys(section, *keys):
    """Only the keys of a config section that a rule reads (its `params`), so that changing
    another key of the section re-runs no job that does not read it."""
    return {k: config[section][k] for k in keys}


def maps_config():
    """The `maps` config section (defaults filled in by the schema)."""
    return dict(config["maps"])


#: Formats drawn first, in jobs of their own: what the report embeds (PNG). The print formats
#: (PDF, SVG) are drawn by `*_print` jobs of lower priority, so that after a change the report
#: and the map PNGs are updated before the print files are redrawn.
SCREEN_FORMATS = [f for f in config["figures"]["formats"] if f == "png"]
PRINT_FORMATS = [f for f in config["figures"]["formats"] if f != "png"]


def figure_config(formats=None):
    """Formats (default: all configured), resolution, column widths and SVG text mode."""
    f = config["figures"]
    return {
        "formats": list(f["formats"] if formats is None else formats),
        "dpi": int(f["dpi"]),
        "column_mm": dict(f["column_mm"]),
        "svg_text": f["svg_text"],
    }


def figure_targets():
    """All map and chart files, for `rule all`."""
    fmts = figure_config()["formats"]
    return expand(
        "results/figures/{lang}/maps/{name}.{ext}", lang=LANGS, name=MAP_NAMES, ext=fmts
    ) + expand("results/figures/{lang}/charts/{name}.{ext}", lang=LANGS, name=CHART_NAMES, ext=fmts)


def boundary_source(wildcards):
    """The user's base map (and dashed-line file) when configured, so edits re-run the rule."""
    m = maps_config()
    return [p for p in (m["boundaries"], m["dash_line"]) if p]


# --- report -----------------------------------------------------------------------------------

def report_inputs(wildcards):
    """Tables and figures (this language's PNGs) that the report embeds."""
    lang = wildcards.lang
    d = {
        "record": rules.method_record.output[0],
        "claims": rules.claims.output.table,
        "summary": f"results/claims/claims_summary_{lang}.md",
        "means": f"results/regional/{MAIN}/region_means.csv",
        "growth": f"results/regional/{MAIN}/region_growth.csv",
        "ranks": f"results/regional/{MAIN}/unit_ranks.csv",
        "weights": f"results/weights/{MAIN}/effective_weights.csv",
        "coverage": rules.coverage.output.table,
        "theil": rules.disparity.output.theil,
        "dagum": rules.disparity.output.dagum,
        "beta": rules.disparity.output.beta,
        "moran": rules.disparity.output.moran,
        "units": rules.validate.output.units,
        "data_years": "results/treat/data_years.csv",
        "imputed_shares": "results/treat/imputed_shares.csv",
        "dynamics": "results/dynamics/method.json",
        "dynamics_data_years": "results/dynamics/data_years.csv",
        "audit_comparison": "results/audit/comparison.csv",
        "audit_importance": f"results/audit/{MAIN}/importance.csv",
        "audit_consistency": f"results/audit/{MAIN}/consistency.csv",
        **{f"audit_flags_{v}": f"results/audit/{v}/flags.csv" for v in VARIANTS},
        "codebook": rules.validate.output.codebook,
        "disparity_method": rules.disparity.output.method,
    }
    # per-year data disclosure notes for the captions, once the treatment stage writes them
    if "data_years" in rules.treat.output.keys():
        d["data_years"] = rules.treat.output.data_years
    if config["data"].get("sources"):
        d["sources"] = config["data"]["sources"]
    if "png" in config["figures"]["formats"]:
        d["coverage_fig"] = f"results/coverage/coverage_heatmap_{lang}.png"
        # the report's copies of the PNGs, written by the PNG jobs beside the 300 dpi files
        for name in MAP_NAMES:
            d[f"map_{name}"] = f"results/report/figures/{lang}/maps/{name}.png"
        for name in CHART_NAMES:
            d[f"chart_{name}"] = f"results/report/figures/{lang}/charts/{name}.png"
    if config["uncertainty"]["enabled"]:
        d["rank_intervals"] = "results/uncertainty/rank_intervals.csv"
        d["claim_robustness"] = "results/uncertainty/claim_robustness.csv"
        d["sobol"] = "results/uncertainty/sobol.csv"
        if "png" in config["figures"]["formats"]:
            for fig in ("claim_robustness", "rank_intervals", "sobol"):
                d[f"ua_{fig}"] = f"results/report/figures/uncertainty/{fig}_{lang}.png"
    return d


def check_user_weights():
    """Start-up check of every variant's `weights.user` against the framework: an unknown node
    or an all-zero sibling group stops the run before any job, naming the key."""
    import pandas as pd

    from greenindex.index.framework import Framework
    from greenindex.index.weights import check_user_multipliers

    if not any(variant_config(config, v)["weights"]["user"] for v in VARIANTS):
        return
    cb = pd.read_csv(config["data"]["codebook"], dtype=str, keep_default_na=False)
    cb = cb[cb["role"].str.strip().str.lower() == "indicator"]
    cb = cb[~cb["id"].isin(config["indicators"]["exclude"])]
    fw_path = config["data"].get("framework")
    fw_table = pd.read_csv(fw_path, dtype=str, keep_default_na=False) if fw_path else None
    fw = Framework.from_tables(cb, fw_table)
    for v in VARIANTS:
        check_user_multipliers(fw, variant_config(config, v)["weights"]["user"])


# --- result tables (Excel, Stata, CSV) ----------------------------------------------------------

def table_inputs(wildcards):
    """Tables gathered into the workbook (the audit sheet once a rule writes one)."""
    d = {
        "units": rules.validate.output.units,
        "scores": f"results/aggregate/{MAIN}/scores.csv",
        "variant_scores": expand("results/aggregate/{variant}/scores.csv", variant=VARIANTS),
        "region_means": f"results/regional/{MAIN}/region_means.csv",
        "claims": rules.claims.output.table,
        "weights": expand("results/weights/{variant}/effective_weights.csv", variant=VARIANTS),
    }
    if config["uncertainty"]["enabled"]:
        d["rank_intervals"] = "results/uncertainty/rank_intervals.csv"
    try:  # the audit stage (research-integrity issue) adds its table when its rule exists
        d["audit"] = rules.audit.output.table
    except Exception:  # no such rule in this workflow
        pass
    return d


preflight()
check_user_weights()


# --- weight explorer ---------------------------------------------------------------------------

def explorer_config():
    """The config the explorer page needs: the main variant's method sections, regions, window,
    claim settings and map caption (so a change to any of them re-runs the rule)."""
    return {
        "main_variant": MAIN,
        "variants": {MAIN: config["variants"][MAIN] or {}},
        **{s: config[s] for s in ("normalise", "weights", "aggregate")},
        "regions": config["regions"],
        "window": config["window"],
        "claims": {k: config["claims"][k] for k in ("region_labels", "growth")},
        "maps": {k: config["maps"][k] for k in ("inset", "review_number", "source_note")},
    }
