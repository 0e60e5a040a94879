"""Start-up checks (greenindex.data.preflight, ingest), suspicious values, atomic writes, run state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from greenindex.config import load_schema, validate_config
from greenindex.data.io import TMP_INFIX, atomic_path, read_table, write_csv
from greenindex.data.plausibility import sign_findings
from greenindex.data.preflight import check_run, region_requirements
from greenindex.errors import ConfigError, InputError
from greenindex.runstate import (
    RunLockedError,
    acquire_run_lock,
    clear_leftovers,
    is_non_executing,
    record_failure,
    record_start,
    record_success,
    recover_interrupted,
)

REPO = Path(__file__).resolve().parents[2]


def _config(**over) -> dict:
    cfg = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    cfg["units"]["drop"] = []
    cfg["treat"]["substitute"] = []
    cfg["panel"] = {"start": 2016, "end": 2020}
    for k, v in over.items():
        sec, _, key = k.partition("__")
        if key:
            cfg[sec][key] = v
        else:
            cfg[sec] = v
    return validate_config(cfg, load_schema())


def _paths(toy: dict[str, Path]) -> dict[str, str]:
    return {k: str(v) for k, v in toy.items()}


def _edit(path: Path, fn) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = fn(df)
    df.to_csv(path, index=False)


def test_toy_passes(toy_data):
    inputs, findings = check_run(_config(), _paths(toy_data))
    assert len(inputs.units) == 12
    assert not findings["check"].isin(["zero", "negative"]).any()


# -- units and years ---------------------------------------------------------------------------
def test_unit_without_observations(toy_data):
    _edit(toy_data["observations"], lambda d: d[d["unit"] != "Gansu"])
    with pytest.raises(
        InputError,
        match=r"row 11, column 'unit': unit\(s\) \['Gansu \(GS\)'\] of the units table have no observation",
    ) as e:
        check_run(_config(), _paths(toy_data))
    assert "units.drop" in str(e.value)


def test_shanxi_written_as_shaanxi(toy_data):
    _edit(toy_data["observations"], lambda d: d.assign(unit=d["unit"].replace("山西省", "Shaanxi")))
    _edit(
        toy_data["units"],
        lambda d: pd.concat(
            [d, pd.DataFrame([["陕西", "陕西", "Shaanxi", "west", "west"]], columns=d.columns)]
        ),
    )
    with pytest.raises(InputError, match="were Shanxi's rows written as Shaanxi"):
        check_run(_config(), _paths(toy_data))


def test_year_without_any_data_is_named(toy_data):
    _edit(toy_data["observations"], lambda d: d[d["year"] != "2018"])
    with pytest.raises(
        InputError, match=r"no data at all for year\(s\) \[2018\] of the configured panel 2016-2020"
    ):
        check_run(_config(), _paths(toy_data))


def test_data_path_is_a_directory(toy_data, tmp_path):
    paths = _paths(toy_data)
    paths["observations"] = str(tmp_path)
    with pytest.raises(InputError, match="is a directory, not a file"):
        check_run(_config(), paths)


# -- regions -------------------------------------------------------------------------------------
def test_region_scheme_column_missing(toy_data):
    with pytest.raises(
        ConfigError, match="key 'regions.scheme': 'nbs5' is not a column.*did you mean 'nbs4'"
    ):
        check_run(_config(regions__scheme="nbs5"), _paths(toy_data))


def test_unit_without_region(toy_data):
    _edit(toy_data["units"], lambda d: d.assign(nbs4=d["nbs4"].where(d["unit"] != "Hubei", "")))
    with pytest.raises(
        InputError, match=r"row 7, column 'nbs4': unit\(s\) \['HB'\] have no region"
    ):
        check_run(_config(), _paths(toy_data))


def test_region_label_case_offers_did_you_mean(toy_data):
    _edit(
        toy_data["units"], lambda d: d.assign(nbs4=d["nbs4"].where(d["unit"] != "Hubei", "Central"))
    )
    with pytest.raises(
        InputError, match=r"row 7, column 'nbs4'.*\['Central'\].*did you mean 'central'\?"
    ):
        check_run(_config(), _paths(toy_data))


def test_region_with_one_unit(toy_data):
    _edit(
        toy_data["units"], lambda d: d.assign(nbs4=d["nbs4"].where(d["unit"] != "辽宁省", "east"))
    )
    with pytest.raises(
        InputError,
        match=r"row 13, column 'nbs4': region\(s\) too small for the kernel densities.*'northeast' has 1",
    ):
        check_run(_config(), _paths(toy_data))


def test_region_requirements_follow_the_config():
    assert (
        "beta-convergence per region (disparity.beta_method: cross_section)",
        3,
    ) in region_requirements(_config(disparity={"beta_method": "cross_section"}))
    # pooled over 5 years: 1 unit gives 4 year pairs, enough for an OLS
    assert [n for a, n in region_requirements(_config()) if "pooled" in a] == [1]
    assert region_requirements(_config(disparity={"kde_bandwidth": 0.5}))[0][1] == 1


# -- framework, weights, methods ----------------------------------------------------------------
def test_exclude_empties_a_dimension(toy_data):
    with pytest.raises(
        ConfigError,
        match=r"key 'indicators.exclude'.*'carbon' loses all its indicators \['co2_intensity'\]",
    ):
        check_run(_config(indicators={"exclude": ["co2_intensity"]}), _paths(toy_data))


def test_user_weight_unknown_node(toy_data):
    cfg = _config()
    cfg["weights"]["user"] = {"strcture": 2}
    with pytest.raises(ConfigError, match="key 'weights.user.strcture'.*did you mean 'structure'"):
        check_run(cfg, _paths(toy_data))


def test_user_weight_unknown_node_in_a_variant(toy_data):
    cfg = _config()
    cfg["variants"]["pca"] = {"weights": {"method": "pca", "user": {"pattents": 2}}}
    with pytest.raises(
        ConfigError, match="key 'variants.pca.weights.user.pattents'.*did you mean 'patents'"
    ):
        check_run(cfg, _paths(toy_data))


def test_user_weights_all_zero_in_a_sibling_group(toy_data):
    cfg = _config()
    cfg["weights"]["user"] = {"innovation": 0, "carbon": 0, "structure": 0}
    with pytest.raises(ConfigError, match="every child of 'index' has user weight 0"):
        check_run(cfg, _paths(toy_data))
    cfg["weights"]["user"] = {"innovation": 0, "carbon": 0}  # structure keeps its weight
    check_run(cfg, _paths(toy_data))


def test_zscore_main_variant_refused(toy_data):
    with pytest.raises(
        ConfigError,
        match=r"key 'normalise.method'.*main variant 'entropy' can give negative index values",
    ):
        check_run(_config(normalise={"method": "zscore"}), _paths(toy_data))
    cfg = _config()
    cfg["variants"]["entropy"] = {"normalise": {"method": "minmax", "range": [-1, 1]}}
    with pytest.raises(ConfigError, match=r"variants.entropy.normalise.range"):
        check_run(cfg, _paths(toy_data))
    # a z-scored TOPSIS is fine (closeness in [0, 1]); so is a z-scored non-main variant
    cfg = _config(main_variant="topsis")
    cfg["variants"]["topsis"] = {
        "aggregate": {"method": "topsis"},
        "normalise": {"method": "zscore"},
    }
    check_run(cfg, _paths(toy_data))


def test_impute_group_column_missing(toy_data):
    cfg = _config()
    cfg["treat"]["impute"].update({"method": "group_mean", "group": "nbs3"})
    with pytest.raises(ConfigError, match="key 'treat.impute.group'.*did you mean 'nbs4'"):
        check_run(cfg, _paths(toy_data))


# -- suspicious values -------------------------------------------------------------------------
def test_zero_and_negative_flagged_with_the_cell(toy_data):
    obs = pd.read_csv(toy_data["observations"])
    pat = obs.index[obs["indicator"] == "patents"]
    obs.loc[pat[3], "value"] = 0
    obs.loc[pat[7], "value"] = -5
    obs.to_csv(toy_data["observations"], index=False)
    f = check_run(_config(), _paths(toy_data))[1]
    sus = f[f["check"].isin(["zero", "negative"])]
    # the series has a negative value, so its zero is not "in an otherwise positive series"
    assert sus[["check", "severity", "row"]].values.tolist() == [
        ["negative", "warning", pat[7] + 2]
    ]
    obs.loc[pat[7], "value"] = 5
    obs.to_csv(toy_data["observations"], index=False)
    f = check_run(_config(), _paths(toy_data))[1]
    z = f[f["check"] == "zero"]
    assert z[["unit", "year", "row"]].values.tolist() == [["BJ", 2019, pat[3] + 2]]
    assert "zero_means_missing" in z["message"].iloc[0]
    with pytest.raises(
        InputError,
        match=rf"(?s)row {pat[3] + 2}: 1 implausible value.*patents = 0 for BJ 2019.*validate.suspicious_values: warning",
    ):
        check_run(_config(validate={"suspicious_values": "error"}), _paths(toy_data))


def test_signed_series_not_flagged():
    obs = pd.DataFrame(
        {"unit": list("ABC"), "year": [2018] * 3, "indicator": ["g"] * 3, "value": [3.0, -1.0, 2.0]}
    )
    assert len(sign_findings(obs, {"g": (-100.0, float("inf"))})) == 0
    assert sign_findings(obs, {})["check"].tolist() == ["negative"]
    # mostly negative: a signed series by nature, not flagged
    obs["value"] = [-3.0, -1.0, 2.0]
    assert len(sign_findings(obs, {})) == 0


def test_codebook_declares_zero_means_missing(toy_data):
    obs = pd.read_csv(toy_data["observations"])
    k = obs.index[obs["indicator"] == "patents"][3]
    obs.loc[k, "value"] = 0
    obs.to_csv(toy_data["observations"], index=False)
    _edit(
        toy_data["codebook"],
        lambda d: d.assign(zero_means_missing=(d["id"] == "patents").map({True: "yes", False: ""})),
    )
    inputs, f = check_run(_config(), _paths(toy_data))
    assert (
        inputs.observations.loc[k, "value"] != inputs.observations.loc[k, "value"]
    )  # NaN: missing
    assert f.loc[f["check"] == "zero_as_missing", ["severity", "row"]].values.tolist() == [
        ["note", k + 2]
    ]
    assert not f["check"].isin(["zero"]).any()
    _edit(toy_data["codebook"], lambda d: d.assign(zero_means_missing="maybe"))
    with pytest.raises(
        InputError, match="column 'zero_means_missing': 'maybe' is neither yes nor no"
    ):
        check_run(_config(), _paths(toy_data))


# -- atomic writes -------------------------------------------------------------------------------
def test_atomic_write_keeps_the_old_file_on_failure(tmp_path):
    p = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"a": [1]}), p)
    before = p.read_bytes()
    with pytest.raises(RuntimeError), atomic_path(p) as tmp:
        tmp.write_text("half a fi", encoding="utf-8")
        raise RuntimeError("killed")
    assert p.read_bytes() == before
    assert [q.name for q in tmp_path.iterdir()] == ["t.csv"]
    with pytest.raises(IsADirectoryError), atomic_path(tmp_path):
        pass


def test_read_table_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_table(tmp_path, what="observations table")


# -- run lock and run state -----------------------------------------------------------------------
def test_non_executing_commands():
    assert (
        is_non_executing(["-n"])
        and is_non_executing(["-np", "--cores", "2"])
        and is_non_executing(["--lint"])
    )
    assert not is_non_executing(["--cores", "2"]) and not is_non_executing(
        ["--cores", "2", "--notemp"]
    )


def test_second_run_is_refused_while_the_first_holds_the_lock(tmp_path):
    code = (
        "import sys, time; from greenindex.runstate import acquire_run_lock; "
        "f = acquire_run_lock(sys.argv[1], argv=['--cores', '2']); print('locked', flush=True); time.sleep(60)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    first = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert first.stdout.readline().strip() == "locked"
        with pytest.raises(
            RunLockedError, match=rf"process {first.pid}, started .*: snakemake --cores 2"
        ) as e:
            acquire_run_lock(tmp_path, argv=["--cores", "2"])
        assert "--cleanup-metadata while the other run is active" in str(e.value)
        assert acquire_run_lock(tmp_path, argv=["-n"]) is None  # a dry run may look
    finally:
        first.kill()
        first.wait()
    f = acquire_run_lock(tmp_path, argv=["--cores", "2"])  # released when the process died
    assert (
        json.loads((tmp_path / ".snakemake/greenindex/run.lock").read_text())["pid"] == os.getpid()
    )
    f.close()


def test_leftovers_of_an_interrupted_run_are_removed(tmp_path):
    (tmp_path / ".snakemake/locks").mkdir(parents=True)
    (tmp_path / ".snakemake/locks/0.output.lock").write_text("x")
    part = tmp_path / "results/figures" / f".map{TMP_INFIX}123.png"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\x89PNG trunc")
    keep = tmp_path / "results/figures/map.png"
    keep.write_bytes(b"ok")
    assert len(clear_leftovers(tmp_path)) == 2
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["map.png"]


def test_failed_run_is_rolled_back_to_the_last_complete_run(tmp_path):
    res = tmp_path / "results"
    (res / "aggregate").mkdir(parents=True)
    (res / "report").mkdir()
    (res / "aggregate/scores.csv").write_text("old scores")
    (res / "report/report.html").write_text("old report")
    (tmp_path / ".snakemake/metadata").mkdir(parents=True)
    (tmp_path / ".snakemake/metadata/key").write_text("old record")
    mtime = (res / "aggregate/scores.csv").stat().st_mtime_ns
    assert record_success(tmp_path) == 2
    record_start(tmp_path)
    assert (res / "RUN_STATUS.txt").read_text().startswith("IN PROGRESS")
    # the failed run: Snakemake removed the report before its job, scores rewritten, a new file
    (res / "report/report.html").unlink()
    (res / "aggregate/scores.csv").unlink()
    (res / "aggregate/scores.csv").write_text("new scores")
    (res / "aggregate/extra.csv").write_text("new")
    (tmp_path / ".snakemake/metadata/key").write_text("new record")
    (res / "logs").mkdir()
    (res / "logs/x.log").write_text("why it failed")
    state = record_failure(tmp_path)
    assert state == {
        "rolled_back": True,
        "rewritten": ["results/aggregate/scores.csv"],
        "added": ["results/aggregate/extra.csv"],
        "removed": ["results/report/report.html"],
    }
    assert (res / "aggregate/scores.csv").read_text() == "old scores"
    assert (res / "aggregate/scores.csv").stat().st_mtime_ns == mtime
    assert (res / "report/report.html").read_text() == "old report"
    assert not (res / "aggregate/extra.csv").exists()
    assert (tmp_path / ".snakemake/metadata/key").read_text() == "old record"
    assert (res / "logs/x.log").exists()
    assert "results/ holds the last complete run" in (res / "RUN_STATUS.txt").read_text()
    record_success(tmp_path)
    assert not (res / "RUN_STATUS.txt").exists()


def test_ctrl_c_while_the_complete_run_is_recorded_is_held_off(tmp_path, monkeypatch, capsys):
    """Every job has ended: an interrupt during the bookkeeping neither leaves a half snapshot
    nor a run without its note; a killed run's half snapshot is cleared the next time."""
    import signal

    import greenindex.runstate as rs

    res = tmp_path / "results"
    res.mkdir()
    (res / "a.csv").write_text("one")
    (res / "b.csv").write_text("two")
    (res / "RUN_STATUS.txt").write_text("IN PROGRESS")
    stale = tmp_path / f".snakemake/greenindex/last_good{TMP_INFIX}1"
    (stale / "files").mkdir(parents=True)
    calls = []
    real = rs._link_or_copy

    def interrupted(src, dst):
        if not calls:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C now
        calls.append(src)
        real(src, dst)

    monkeypatch.setattr(rs, "_link_or_copy", interrupted)
    assert record_success(tmp_path) == 2  # no KeyboardInterrupt
    assert "the run is complete and recorded" in capsys.readouterr().err
    assert not (res / "RUN_STATUS.txt").exists() and not stale.exists()
    manifest = json.loads((tmp_path / ".snakemake/greenindex/last_good/manifest.json").read_text())
    assert manifest["files"] == ["results/a.csv", "results/b.csv"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_killed_run_is_rolled_back_at_the_next_start(tmp_path):
    res = tmp_path / "results"
    res.mkdir()
    (res / "a.csv").write_text("good")
    record_success(tmp_path)
    assert recover_interrupted(tmp_path) is None  # nothing to recover
    record_start(tmp_path)
    (res / "a.csv").unlink()
    (res / "a.csv").write_text("trunc")
    state = recover_interrupted(tmp_path)
    assert state is not None and state["rewritten"] == ["results/a.csv"]
    assert (res / "a.csv").read_text() == "good"
    assert "was interrupted" in (res / "RUN_STATUS.txt").read_text()


def test_failure_without_a_complete_run_says_so(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results/a.csv").write_text("partial")
    assert record_failure(tmp_path)["rolled_back"] is False
    assert "no run has completed" in (tmp_path / "results/RUN_STATUS.txt").read_text()
    assert (tmp_path / "results/a.csv").read_text() == "partial"


def test_geometric_mean_of_minmax_from_zero_refused(toy_data):
    cfg = _config()
    cfg["variants"]["geo"] = {"aggregate": {"method": "geometric"}}
    with pytest.raises(
        ConfigError,
        match=r"key 'variants.geo.aggregate.method': variant 'geo' takes a geometric mean.*'normalise.range: \[0, 100\]'",
    ):
        check_run(cfg, _paths(toy_data))
    cfg["variants"]["geo"]["normalise"] = {"range": [1, 100]}
    check_run(cfg, _paths(toy_data))


def test_unlock_is_refused_while_a_run_is_active():
    assert not is_non_executing(["--unlock"]) and not is_non_executing(
        ["--cleanup-metadata", "results/x.csv"]
    )
