"""A coin of one's own through the workflow: the second COINr data set (tests/data/coinr_other:
no Time column, four group columns, a three-level tree, unequal weights, denominators, two cost
indicators) is imported with one command and run through the Snakemake rules up to the index.

The expected scores are computed here from iData/iMeta with numpy only (division by the
denominators, direction, min-max [0, 100], weighted means rescaled over the indicators present,
level by level), and for the raw-TOPSIS variant Hwang and Yoon's TOPSIS on the direction-signed
ratios (vector normalisation over the units present, effective weights of the indicators below
each node, NaN skipped).
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from greenindex.data.importer import main as importer_main
from tests.workflow.helpers import REPO, SNAKEMAKE, copy_repo, edit_config, snakemake

pytestmark = [
    pytest.mark.workflow,
    pytest.mark.skipif(not SNAKEMAKE.exists(), reason=f"snakemake not found at {SNAKEMAKE}"),
]

OTHER = REPO / "tests" / "data" / "coinr_other"
TABLES = ("observations", "codebook", "units", "framework", "sources")


def _coin():
    with (OTHER / "iMeta.csv").open(encoding="utf-8", newline="") as f:
        meta = list(csv.DictReader(f))
    with (OTHER / "iData.csv").open(encoding="utf-8", newline="") as f:
        data = list(csv.DictReader(f))
    ind = [m for m in meta if m["Type"] == "Indicator"]
    units = [r["uCode"] for r in data]

    def col(code):
        return np.array([float(r[code]) if r[code] not in ("", "NA") else np.nan for r in data])

    x = {
        m["iCode"]: col(m["iCode"]) / (col(m["Denominator"]) if m["Denominator"] else 1.0)
        for m in ind
    }
    d = {m["iCode"]: float(m["Direction"]) for m in ind}
    w = {
        m["iCode"]: float(m["Weight"])
        for m in meta
        if m["Type"] in ("Indicator", "Aggregate") and m["Weight"]
    }
    parent = {m["iCode"]: m["Parent"] for m in ind}
    pillars = [m["iCode"] for m in meta if m["Type"] == "Aggregate" and m["Level"] == "2"]
    return units, x, d, w, parent, pillars


def _expected_minmax_amean():
    units, x, d, w, parent, pillars = _coin()
    z = {}
    for k, v in x.items():
        s = v * d[k]
        z[k] = 100 * (s - np.nanmin(s)) / (np.nanmax(s) - np.nanmin(s))
    out = {}
    for p in pillars:
        kids = [k for k in z if parent[k] == p]
        m = np.array([z[k] for k in kids]).T
        wk = np.array([w[k] for k in kids])
        present = ~np.isnan(m)
        out[p] = np.nansum(m * wk, axis=1) / (present * wk).sum(axis=1)
    out["Index"] = sum(w[p] * out[p] for p in pillars) / sum(w[p] for p in pillars)
    return pd.DataFrame(out, index=units)


def _expected_raw_topsis():
    units, x, d, w, parent, pillars = _coin()
    eff = {}
    for p in pillars:
        kids = [k for k in x if parent[k] == p]
        tot = sum(w[k] for k in kids)
        for k in kids:
            eff[k] = w[k] / tot * w[p] / sum(w[q] for q in pillars)

    def topsis(codes, weights):
        s = np.array([x[k] * d[k] for k in codes]).T
        r = s / np.sqrt(np.nansum(s**2, axis=0))
        v = r * (np.asarray(weights) / np.sum(weights))
        dp = np.sqrt(np.nansum((v - np.nanmax(v, axis=0)) ** 2, axis=1))
        dm = np.sqrt(np.nansum((v - np.nanmin(v, axis=0)) ** 2, axis=1))
        return dm / (dp + dm)

    out = {
        p: topsis([k for k in x if parent[k] == p], [w[k] for k in x if parent[k] == p])
        for p in pillars
    }
    out["Index"] = topsis(list(x), [eff[k] for k in x])
    return pd.DataFrame(out, index=units)


def _config(cfg: dict, data: dict) -> None:
    cfg["data"] = {k: str(data[k]) for k in TABLES}
    cfg["data"]["national_totals"] = None
    cfg["panel"] = cfg["window"] = {"start": 2022, "end": 2022}
    cfg["units"] = {"match": "exact", "drop": []}
    cfg["regions"] = {"scheme": "Region", "order": ["East", "North", "South", "West"]}
    cfg["treat"] = {"substitute": [], "denominate": True, "impute": {"method": "none"},
                    "screen": {"unit_threshold": 0.0}, "outliers": {"method": "none"}}  # fmt: skip
    cfg["weights"] = {"method": "framework"}
    cfg["variants"] = {
        "minmax_amean": {"normalise": {"method": "minmax", "range": [0, 100]}, "aggregate": {"method": "arithmetic"}},
        "topsis_raw": {"normalise": {"method": "signed"},
                       "aggregate": {"method": "topsis", "topsis": {"normalisation": "vector"}}},
    }  # fmt: skip
    cfg["main_variant"] = "minmax_amean"


def test_imported_coin_runs_through_the_workflow(tmp_path):
    wd = copy_repo(tmp_path / "wd")
    assert importer_main(["coinr", str(OTHER / "iData.csv"), str(OTHER / "iMeta.csv"), "--out", str(wd / "coin"),
                          "--year", "2022"]) == 0  # fmt: skip
    data = {k: wd / "coin" / f"{k}.csv" for k in TABLES}
    edit_config(wd, lambda c: _config(c, data))
    targets = [f"results/aggregate/{v}/scores.csv" for v in ("minmax_amean", "topsis_raw")]
    r = snakemake(wd, "--cores", "2", *targets)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    for variant, expected in (
        ("minmax_amean", _expected_minmax_amean()),
        ("topsis_raw", _expected_raw_topsis()),
    ):
        got = pd.read_csv(
            wd / f"results/aggregate/{variant}/scores.csv", dtype={"unit": str}
        ).set_index("unit")
        assert (got["year"] == 2022).all()
        for col in ("Economy", "Environment", "Index"):
            np.testing.assert_allclose(
                got.loc[expected.index, col], expected[col], rtol=1e-12, err_msg=f"{variant} {col}"
            )
