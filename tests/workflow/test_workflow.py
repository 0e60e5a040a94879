"""The real workflow, run end to end on a small dataset in a temporary directory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from greenindex import warm
from tests.conftest import small_dataset
from tests.workflow.helpers import (
    REPO,
    SNAKEMAKE,
    copy_repo,
    edit_config,
    job_counts,
    small_config,
    snakemake,
)

pytestmark = pytest.mark.workflow

if not SNAKEMAKE.exists():  # pragma: no cover
    pytest.skip(
        f"snakemake not found next to the Python interpreter {SNAKEMAKE}", allow_module_level=True
    )


def _digest(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted((root / "results").rglob("*")):
        if p.is_file() and "logs" not in p.parts and p.suffix != ".npz":
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
    """One complete run on the toy data; returns the working directory."""
    wd = copy_repo(tmp_path_factory.mktemp("wf"))
    data = small_dataset(wd / "toy")
    edit_config(wd, lambda c: small_config(c, data))
    r = snakemake(wd, "--cores", "2")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    return wd


def test_dry_run_from_repository_root():
    r = snakemake(REPO, "-n", "--quiet")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]


def test_lint_is_clean():
    r = snakemake(REPO, "--lint")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "Lints for" not in r.stdout + r.stderr


def test_end_to_end_outputs(toy_run):
    res = toy_run / "results"
    scores = pd.read_csv(res / "aggregate/entropy/scores.csv")
    assert len(scores) == 12 * 5 and {"index", "innovation", "carbon", "structure"} <= set(
        scores.columns
    )
    assert scores["index"].between(0, 100).all()
    means = pd.read_csv(res / "regional/entropy/region_means.csv")
    assert set(means["region"]) == {"east", "central", "west", "northeast", "national"}
    # the toy data are built with east > northeast > central > west levels
    m = means[(means["node"] == "index") & (means["year"] == 2020)].set_index("region")["mean"]
    assert m["east"] > m["central"] > m["west"]
    claims = pd.read_csv(res / "claims/claims.csv")
    assert set(claims["claim"]) >= {"C1", "C2", "C3"}
    for f in (
        "provenance/method_record.json",
        "report/report_en.html",
        "coverage/coverage.csv",
        "weights/entropy/effective_weights.csv",
        "uncertainty/rank_intervals.csv",
    ):
        assert (res / f).is_file(), f
    html = (res / "report/report_en.html").read_text(encoding="utf-8")
    assert (
        html.count('<img src="data:image/png;base64,') >= 14
    )  # 5 maps, 6 charts, 3 robustness, coverage
    for text in ("Headline finding", "C1", "Methods", "no map review number", "SHA-256", "Sobol"):
        assert text in html, text


def test_method_record_has_checksums(toy_run):
    import json

    rec = json.loads(
        (toy_run / "results/provenance/method_record.json").read_text(encoding="utf-8")
    )
    assert set(rec["inputs"]) >= {"observations", "codebook", "units"}
    obs = rec["inputs"]["observations"]
    assert obs["sha256"] == hashlib.sha256(Path(obs["path"]).read_bytes()).hexdigest()
    assert rec["variants"]["pca"]["weights"]["method"] == "pca"


def test_rerun_is_byte_identical(toy_run, tmp_path):
    """A second run in a fresh copy gives the same bytes. The first run's jobs ran in the warm
    worker (greenindex.warm), the second's each in its own process, so this is also the test
    that the worker changes nothing."""
    log = warm.paths(toy_run)["log"].read_text()
    assert " ended with status 0 " in log
    # the first jobs start the worker from their own processes; later ones Snakemake hands over
    assert "(handed over by Snakemake)" in log
    before = _digest(toy_run)
    wd = copy_repo(tmp_path / "again")
    (wd / "config/config.yaml").write_text(
        (toy_run / "config/config.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    r = snakemake(wd, "--cores", "2", env={"GREENINDEX_WARM": "0"})
    assert not warm.paths(wd)["lock"].exists()
    assert r.returncode == 0, r.stdout[-3000:]
    after = _digest(wd)
    assert before.keys() == after.keys()
    different = [k for k in before if before[k] != after[k]]
    assert not different


def test_nothing_to_do_after_complete_run(toy_run):
    r = snakemake(toy_run, "-n")
    assert r.returncode == 0
    assert "Nothing to be done" in r.stdout + r.stderr


def test_one_weight_change_reruns_only_downstream(toy_run):
    edit_config(toy_run, lambda c: c["weights"]["user"].update({"structure": 2.0}))
    r = snakemake(toy_run, "-n")
    assert r.returncode == 0, r.stdout[-3000:]
    counts = job_counts(r.stdout)
    assert counts, r.stdout[-3000:]
    assert {"validate", "treat", "normalise", "coverage"}.isdisjoint(counts), counts
    assert counts.get("weights", 0) >= 1 and counts.get("aggregate", 0) >= 1
    assert counts.get("report", 0) == 1
    edit_config(toy_run, lambda c: c["weights"]["user"].pop("structure"))


@pytest.mark.parametrize(
    ("mutate", "planned", "not_planned"),
    [
        # the number of map classes is read by the maps alone
        (
            lambda c: c["maps"].update({"k": 4}),
            {"figure_maps"},
            {"prepare_boundaries", "contiguity", "disparity", "uncertainty_chunk"},
        ),
        # display names of the variants: summaries and charts, not the Monte Carlo
        (
            lambda c: c["claims"]["variant_names"].update({"pca": "PCA weights"}),
            {"claims", "figure_charts"},
            {"uncertainty_chunk", "uncertainty_merge", "disparity"},
        ),
    ],
)
def test_each_rule_gets_only_the_keys_it_reads(toy_run, mutate, planned, not_planned):
    cfg_path = toy_run / "config/config.yaml"
    original = cfg_path.read_text(encoding="utf-8")
    try:
        edit_config(toy_run, mutate)
        r = snakemake(toy_run, "-n")
        assert r.returncode == 0, r.stdout[-3000:]
        counts = job_counts(r.stdout)
        assert planned <= set(counts), counts
        assert not_planned.isdisjoint(counts), counts
    finally:
        cfg_path.write_text(original, encoding="utf-8")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda c: c["weights"].update({"method": "entrophy"}),
            "Config error at key 'weights.method': 'entrophy' is not a valid choice; did you mean 'entropy'?",
        ),
        (
            lambda c: c["weights"]["user"].update({"structure": -1}),
            "Config error at key 'weights.user.structure': value -1 violates minimum 0",
        ),
        (
            lambda c: c["weights"]["user"].update({"structur": 2}),
            "Config error at key 'weights.user.structur'",
        ),
        (
            lambda c: c["normalise"].update({"rnage": [0, 1]}),
            "Config error at key 'normalise.rnage': unknown key; did you mean 'range'?",
        ),
        (
            lambda c: c["variants"].update({"x": {"aggregate": {"method": "median"}}}),
            "Config error at key 'variants.x.aggregate.method'",
        ),
    ],
)
def test_config_rejected_with_key_named(toy_run, mutate, expected):
    cfg_path = toy_run / "config/config.yaml"
    original = cfg_path.read_text(encoding="utf-8")
    try:
        edit_config(toy_run, mutate)
        r = snakemake(toy_run, "-n")
        assert r.returncode != 0
        assert expected in r.stdout + r.stderr
    finally:
        cfg_path.write_text(original, encoding="utf-8")


def test_bad_input_stops_before_any_job_and_keeps_results(toy_run):
    obs = toy_run / "toy/observations.csv"
    original = obs.read_bytes()
    before = _digest(toy_run)
    try:
        text = original.decode("utf-8").splitlines()
        parts = text[9].split(",")
        parts[3] = "12o.5"
        text[9] = ",".join(parts)
        obs.write_text("\n".join(text) + "\n", encoding="utf-8")
        r = snakemake(toy_run, "--cores", "2")
        assert r.returncode != 0
        out = r.stdout + r.stderr
        assert "observations.csv, row 10, column 'value': non-numeric value(s) ['12o.5']" in out
        assert "What to do" in out
        assert _digest(toy_run) == before  # nothing produced earlier was touched
    finally:
        obs.write_bytes(original)
    assert obs.read_bytes() == original


def test_scripts_are_thin_glue():
    """Workflow scripts hold no science: each stays short and imports greenindex."""
    for script in sorted((REPO / "workflow/scripts").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        assert "greenindex" in text, script.name
        assert len(text.splitlines()) < 160, f"{script.name} is long: move logic into the package"
        # the job goes to the warm worker before anything heavy is imported (greenindex.warm)
        code = [ln for ln in text.splitlines() if ln and not ln.startswith(("#", '"""', " "))]
        first = [ln for ln in code if ln.startswith(("import", "from", "delegate("))][:2]
        assert first == [
            "from greenindex.warm import delegate",
            "delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)",
        ], script.name


@pytest.mark.skipif(os.environ.get("GREENINDEX_SKIP_FULL") == "1", reason="GREENINDEX_SKIP_FULL=1")
def test_shipped_data_full_run(tmp_path):
    """The README's workflow command on the shipped data (results in a temporary copy)."""
    wd = copy_repo(tmp_path / "full")
    r = snakemake(wd, "--cores", "2")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    claims = pd.read_csv(wd / "results/claims/claims.csv")
    assert len(claims) >= 4 * 5
    for lang in ("en", "zh"):
        assert (wd / f"results/report/report_{lang}.html").stat().st_size > 100_000
        assert 100_000 < (wd / f"results/explorer/explorer_{lang}.html").stat().st_size < 2_000_000


def test_notebook_entry_point_gives_the_workflow_numbers(toy_run):
    """greenindex.index.pipeline.build_from_config reproduces the workflow's scores exactly."""
    from greenindex.index.pipeline import build_from_config

    for variant in ("entropy", "pca", "topsis"):
        res = build_from_config(toy_run / "config/config.yaml", variant)
        wf = pd.read_csv(toy_run / f"results/aggregate/{variant}/scores.csv").set_index(
            ["unit", "year"]
        )
        pd.testing.assert_frame_equal(
            res.scores[wf.columns], wf, check_exact=True, check_names=False
        )


def test_explorer_page_of_the_run(toy_run):
    """The run writes the explorer page, the report links to it, and in Chromium the page's
    starting index equals the workflow's scores.csv of the main variant to 1e-9."""
    from tests.browser import browser_page

    report = (toy_run / "results/report/report_en.html").read_text(encoding="utf-8")
    assert 'href="../explorer/explorer_en.html"' in report
    page_path = toy_run / "results/explorer/explorer_en.html"
    wf = pd.read_csv(toy_run / "results/aggregate/entropy/scores.csv", dtype={"unit": str})
    with browser_page() as (page, errors):
        page.goto(page_path.as_uri())
        page.wait_for_selector("#rank-table tbody tr")
        for year in (2016, 2020):
            page.select_option("#year", str(year))
            shown = page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll(
                '#rank-table tbody tr')).map(tr => [tr.dataset.unit,
                Number(tr.querySelector('td[data-node="index"]').dataset.value)]))""")
            want = wf[wf["year"] == year].set_index("unit")["index"]
            assert sorted(shown) == sorted(want.index)
            assert max(abs(shown[u] - want[u]) for u in want.index) < 1e-9
        assert errors == []


def test_partial_config_gives_the_workflow_numbers(toy_run, tmp_path):
    """A config that only names what differs from the schema defaults (a dict, or a file
    outside any repository) gives the workflow's numbers for the same settings."""
    import shutil

    import yaml

    from greenindex.index.pipeline import build_from_config

    cfg = yaml.safe_load((toy_run / "config/config.yaml").read_text(encoding="utf-8"))
    partial = {
        "data": cfg["data"],
        "panel": cfg["panel"],
        "units": {"drop": []},
        "weights": {"method": "pca"},
    }
    wf = pd.read_csv(toy_run / "results/aggregate/pca/scores.csv").set_index(["unit", "year"])
    res = build_from_config(partial)
    pd.testing.assert_frame_equal(res.scores[wf.columns], wf, check_exact=True, check_names=False)
    elsewhere = tmp_path / "my.yaml"
    shutil.copy(toy_run / "config/config.yaml", elsewhere)
    res = build_from_config(elsewhere, "pca")
    pd.testing.assert_frame_equal(res.scores[wf.columns], wf, check_exact=True, check_names=False)


def test_one_script_runs_alone_on_existing_results(toy_run):
    """scripts/mock_snakemake.py runs a rule's script outside Snakemake, as the workflow would."""
    import subprocess
    import sys

    out = toy_run / "results/regional/pca/region_means.csv"
    before = out.read_bytes()
    out.unlink()
    r = subprocess.run(
        [sys.executable, str(REPO / "scripts/mock_snakemake.py"), "regional", "variant=pca"],
        cwd=toy_run,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert out.read_bytes() == before


def test_constant_indicator_stops_at_start_up(toy_run):
    """A constant indicator is named before any job runs; earlier results stay as they were."""
    obs = toy_run / "toy/observations.csv"
    original = obs.read_bytes()
    before = _digest(toy_run)
    try:
        df = pd.read_csv(obs)
        df.loc[df["indicator"] == "hightech_share", "value"] = 12.5
        df.to_csv(obs, index=False)
        r = snakemake(toy_run, "--cores", "2")
        assert r.returncode != 0
        out = r.stdout + r.stderr
        assert (
            "'hightech_share' is constant (12.5 in every unit-year)" in out
            and "indicators.exclude" in out
        )
        assert _digest(toy_run) == before
    finally:
        obs.write_bytes(original)
