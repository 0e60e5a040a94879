"""The report lists only the sources a run used (greenindex.report.provenance.used_sources)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from greenindex.report.provenance import used_sources

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def test_only_sources_of_indicators_and_their_parts() -> None:
    cb = pd.DataFrame(
        {
            "id": ["ratio", "plain", "num", "den", "spare"],
            "role": ["indicator", "indicator", "variable", "variable", "variable"],
            "numerator": ["num", None, None, None, None],
            "denominator": ["den", None, None, None, None],
        }
    )
    obs = pd.DataFrame(
        {
            "indicator": ["num", "den", "plain", "spare", "num"],
            "source_id": ["S_NUM", "S_DEN", "S_PLAIN", "S_SPARE", "S_NUM2"],
        }
    )
    assert used_sources(obs, cb) == ["S_DEN", "S_NUM", "S_NUM2", "S_PLAIN"]
    # an indicator the run does not use (validated codebook: used = False) brings no source
    cb["used"] = [True, False, False, False, False]
    assert used_sources(obs, cb) == ["S_DEN", "S_NUM", "S_NUM2"]


def test_default_data_uses_nine_of_the_listed_sources() -> None:
    obs = pd.read_csv(RAW / "observations.csv")
    cb = pd.read_csv(RAW / "codebook.csv")
    listed = set(pd.read_csv(RAW / "sources.csv")["source_id"])
    used = used_sources(obs, cb)
    assert used == [
        "CEADS_OPENCLIMATE", "GDP_NBS_A", "GDP_NBS_C", "POP_GCAM_CSY", "TECHME_IndustryOperation",
        "TECHME_IndustryRD", "TECHME_RDIntense", "TECHME_RDPatentAccept", "TECHME_RDPatentAuthority",
    ]  # fmt: skip
    assert set(used) < listed and len(listed) == 29  # cross-check copies and unused series left out
