"""COINr agreement through the workflow itself: ASEM's 51 countries are imported from COINr's own
format by the package's importer (``python -m greenindex.data.importer coinr iData iMeta``:
units that are countries, COINr's hierarchy, groups and denominators), go through the Snakemake
rules, and the files the workflow writes match COINr's results to 1e-9."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenindex.data.importer import main as importer_main
from tests.workflow.helpers import SNAKEMAKE, copy_repo, edit_config, snakemake

from . import asem
from .test_coinr import assert_frame_matches

pytestmark = [
    pytest.mark.workflow,
    pytest.mark.skipif(not SNAKEMAKE.exists(), reason=f"snakemake not found at {SNAKEMAKE}"),
]

VARIANTS = {
    "minmax_amean": {
        "normalise": {"method": "minmax", "range": [0, 100]},
        "aggregate": {"method": "arithmetic"},
    },
    "zscore_amean": {
        "normalise": {"method": "zscore", "mean": 0, "sd": 1},
        "aggregate": {"method": "arithmetic"},
    },
    "minmax1_100_gmean": {
        "normalise": {"method": "minmax", "range": [1, 100]},
        "aggregate": {"method": "geometric"},
    },
    "minmax_amean_customw": {
        "normalise": {"method": "minmax", "range": [0, 100]},
        "aggregate": {"method": "arithmetic"},
    },
}


def _asem_config(cfg: dict, data: dict, *, full: bool) -> None:
    cfg["data"] = {
        k: str(data[k]) for k in ("observations", "codebook", "units", "framework", "sources")
    }
    cfg["data"]["national_totals"] = None
    cfg["panel"] = cfg["window"] = {"start": 2018, "end": 2018}
    cfg["units"] = {"match": "exact", "drop": []}
    cfg["regions"] = {"scheme": "EurAsia_group", "order": ["Asia", "Europe"]}
    cfg["treat"] = {
        "substitute": [],
        "denominate": full,
        "impute": {"method": "group_mean", "group": "EurAsia_group"}
        if full
        else {"method": "none"},
        "screen": {"unit_threshold": 0.9 if full else 0.0},
        "outliers": {"method": "winsorise_log"} if full else {"method": "none"},
    }
    cfg["weights"] = {"method": "framework"}
    ref_w = asem.reference("minmax_amean_customw_weights.csv").set_index("iCode")
    custom = {k: float(v) for k, v in ref_w["Weight"].items() if k != "Index"}
    variants = {k: dict(v) for k, v in VARIANTS.items()}
    variants["minmax_amean_customw"]["weights"] = {"method": "user", "user": custom}
    cfg["variants"] = variants if not full else {"example_full": VARIANTS["minmax_amean"]}
    cfg["main_variant"] = next(iter(cfg["variants"]))


@pytest.fixture(scope="module", params=["variants", "example_full"])
def asem_run(request, tmp_path_factory):
    full = request.param == "example_full"
    wd = copy_repo(tmp_path_factory.mktemp(f"asem_{request.param}"))
    ref = asem.reference_dir()
    rc = importer_main(
        [
            "coinr",
            str(ref / "ASEM_iData.csv"),
            str(ref / "ASEM_iMeta.csv"),
            "--out",
            str(wd / "asem"),
        ]
    )
    assert rc == 0
    data = {
        k: wd / "asem" / f"{k}.csv"
        for k in ("observations", "codebook", "units", "framework", "sources")
    }
    edit_config(wd, lambda c: _asem_config(c, data, full=full))
    names = ["example_full"] if full else list(VARIANTS)
    targets = [
        f"results/{stage}/{v}/{f}"
        for v in names
        for stage, f in (
            ("normalise", "normalised.csv"),
            ("weights", "effective_weights.csv"),
            ("aggregate", "scores.csv"),
            ("aggregate", "ranks.csv"),
        )
    ]
    targets += ["results/treat/imputed.csv", "results/treat/screened.csv"]
    r = snakemake(wd, "--cores", "2", *targets)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    return request.param, wd


def _panel(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"unit": str}).set_index(["unit", "year"])


def test_workflow_files_match_coinr(asem_run):
    kind, wd = asem_run
    res = wd / "results"
    if kind == "example_full":
        for f, ref in (
            ("denominated", "example_denominated"),
            ("imputed", "example_imputed"),
            ("screened", "example_screened"),
            ("treated", "example_treated"),
        ):
            assert_frame_matches(_panel(res / f"treat/{f}.csv"), asem.reference(f"{ref}.csv"))
        pairs = {"example_full": "example_full"}
    else:
        pairs = {v: v for v in VARIANTS}
    for variant, prefix in pairs.items():
        assert_frame_matches(
            _panel(res / f"normalise/{variant}/normalised.csv"),
            asem.reference(f"{prefix}_normalised.csv"),
        )
        assert_frame_matches(
            _panel(res / f"aggregate/{variant}/scores.csv"),
            asem.reference(f"{prefix}_aggregated.csv"),
        )
        idx = asem.reference(f"{prefix}_index.csv")
        ranks = _panel(res / f"aggregate/{variant}/ranks.csv")["Index"].droplevel("year")
        np.testing.assert_array_equal(ranks.loc[idx.index].to_numpy(), idx["Rank"].to_numpy())
        eff = pd.read_csv(res / f"weights/{variant}/effective_weights.csv").set_index("node")
        ref_w = asem.reference(f"{prefix}_weights.csv").set_index("iCode")
        np.testing.assert_allclose(
            eff.loc[ref_w.index, "effective_weight"], ref_w["EffWeight"], rtol=1e-9, atol=1e-12
        )
