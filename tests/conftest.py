"""Shared fixtures: a small, hand-made dataset in the project's input format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# 12 provinces covering the four NBS regions, in varied spellings as users send them.
PROVINCES = [
    ("BJ", "北京市", "east"),
    ("SH", "Shanghai", "east"),
    ("JS", "江苏", "east"),
    ("GD", "440000", "east"),
    ("SX", "山西省", "central"),
    ("HB", "Hubei", "central"),
    ("HN", "湖南", "central"),
    ("NM", "Inner Mongolia", "west"),
    ("SC", "四川省", "west"),
    ("GS", "Gansu", "west"),
    ("LN", "辽宁省", "northeast"),
    ("HL", "Heilongjiang", "northeast"),
]


def small_dataset(
    dest: Path, years=(2016, 2017, 2018, 2019, 2020), seed: int = 7
) -> dict[str, Path]:
    """Write a small dataset (observations, codebook, units, framework, sources) to ``dest``."""
    rng = np.random.default_rng(seed)
    dest.mkdir(parents=True, exist_ok=True)
    rows = []
    for k, (code, name, region) in enumerate(PROVINCES):
        level = {"east": 3.0, "central": 2.0, "west": 1.2, "northeast": 1.6}[region]
        for t, y in enumerate(years):
            gdp = 1000 * level * (1 + 0.06 * t) * (1 + 0.1 * rng.random())
            rows += [
                (name, y, "gdp", round(gdp, 1)),
                (
                    name,
                    y,
                    "rd",
                    round(gdp * 0.01 * level * (1 + 0.03 * t) * (0.8 + 0.4 * rng.random()), 2),
                ),
                (
                    name,
                    y,
                    "co2",
                    round(gdp * 0.05 / level * (1 - 0.02 * t) * (0.8 + 0.4 * rng.random()), 2),
                ),
                (name, y, "patents", round(100 * level * (1 + 0.05 * t) * (0.5 + rng.random()))),
                (
                    name,
                    y,
                    "hightech_share",
                    round(10 * level * (1 + 0.02 * t) + 3 * rng.random(), 2),
                ),
            ]
    obs = pd.DataFrame(rows, columns=["unit", "year", "indicator", "value"])
    obs["source_id"] = "TOY"
    paths = {
        k: dest / f"{k}.csv" for k in ("observations", "codebook", "units", "framework", "sources")
    }
    obs.to_csv(paths["observations"], index=False)
    cb = pd.DataFrame(
        [
            (
                "rd_intensity",
                "indicator",
                "研发强度",
                "R&D intensity",
                "%",
                "innovation",
                1,
                "",
                "rd",
                "gdp",
                100,
            ),
            (
                "co2_intensity",
                "indicator",
                "碳强度",
                "CO2 intensity",
                "t/万元",
                "carbon",
                -1,
                "",
                "co2",
                "gdp",
                1,
            ),
            ("patents", "indicator", "专利", "Patents", "件", "innovation", 1, "", "", "", 1),
            (
                "hightech_share",
                "indicator",
                "高技术占比",
                "High-tech share",
                "%",
                "structure",
                1,
                "",
                "",
                "",
                1,
            ),
            ("gdp", "variable", "GDP", "GDP", "亿元", "", "", "", "", "", 1),
            ("rd", "variable", "研发经费", "R&D expenditure", "亿元", "", "", "", "", "", 1),
            ("co2", "variable", "CO2", "CO2", "Mt", "", "", "", "", "", 1),
        ],
        columns=[
            "id",
            "role",
            "name_zh",
            "name_en",
            "unit",
            "dimension",
            "direction",
            "weight",
            "numerator",
            "denominator",
            "scale",
        ],
    )
    cb["source_id"] = "TOY"
    cb.to_csv(paths["codebook"], index=False)
    pd.DataFrame(
        [
            (name, name, name, region, {"northeast": "central"}.get(region, region))
            for _, name, region in PROVINCES
        ],
        columns=["unit", "name_zh", "name_en", "nbs4", "belt3"],
    ).to_csv(paths["units"], index=False)
    pd.DataFrame(
        [
            ("index", "", "指数", "Index", ""),
            ("innovation", "index", "创新", "Innovation", 1),
            ("carbon", "index", "碳", "Carbon", 1),
            ("structure", "index", "结构", "Structure", 1),
        ],
        columns=["id", "parent", "name_zh", "name_en", "weight"],
    ).to_csv(paths["framework"], index=False)
    pd.DataFrame(
        [("TOY", "Made-up test data", "none", "none", "not for citation")],
        columns=["source_id", "publication", "obtained_from", "licence_terms", "citation"],
    ).to_csv(paths["sources"], index=False)
    return paths


@pytest.fixture
def toy_data(tmp_path: Path) -> dict[str, Path]:
    return small_dataset(tmp_path / "raw")
