"""The report leads with the finding; captions come from the method record; numbers are
rounded for reading; the assembly is extensible."""

from __future__ import annotations

import pandas as pd
import pytest

from greenindex.report import assemble
from greenindex.report.assemble import (
    ReportContext,
    headline_html,
    register_section,
    unregister_section,
)
from greenindex.report.captions import (
    CaptionContext,
    figure_caption,
    short_sources,
    sources_used,
    year_notes,
)
from greenindex.report.html import Section, Table, fmt_number, table_html

METHODS = {
    "normalise": {"method": "minmax", "range": [0, 100], "scope": "pooled"},
    "weights": {
        "scheme": "entropy",
        "level": "global",
        "scope": "pooled",
        "entropy": {"variant": "zero_log_zero"},
    },
    "aggregate": {"method": "arithmetic"},
}
RECORD = {
    "main_variant": "entropy",
    "variants": {
        "critic": {**METHODS, "weights": {**METHODS["weights"], "scheme": "critic"}},
        "entropy": METHODS,
    },
    "window": {"start": 2016, "end": 2020},
    "panel": {"start": 2011, "end": 2020},
    "units": {"drop": ["XZ"]},
    "regions": {"scheme": "nbs4", "order": ["east", "central", "west", "northeast"]},
}
DISPARITY = {
    "years": list(range(2011, 2021)),
    "kde": {"bandwidth": "silverman_rot", "support": [0.0, 100.0]},
    "spatial": {"links": {"HI": ["GD"]}, "permutations": 999, "lisa_alpha": 0.05},
}


def _ctx(tmp_path, lang):
    claims = pd.DataFrame(
        {
            "claim": ["C1", "C1", "C3", "C3"],
            "variant": ["critic", "entropy", "critic", "entropy"],
            "holds": [True, True, True, False],
            "applicable": [True] * 4,
            "bootstrap_share": [0.94, 0.985, 0.33, 0.465],
            "bootstrap_b": [1000] * 4,
            "details": ["d"] * 4,
            "details_zh": ["说明"] * 4,
        }
    )
    claims.to_csv(tmp_path / "claims.csv", index=False)
    pd.DataFrame(
        {
            "claim": ["C1", "C3"],
            "nominal_holds": [True, False],
            "share_holds": [0.948, 0.245],
            "n_defined": [1000, 1000],
            "n_replications": [1000, 1000],
        }
    ).to_csv(tmp_path / "mc.csv", index=False)
    means = pd.DataFrame(
        {
            "node": "index",
            "year": [2016] * 5 + [2020] * 5,
            "region": ["west", "east", "national", "central", "northeast"] * 2,
            "mean": [10, 30, 20, 15, 12, 11, 33, 22, 14, 12.5],
            "n": [12, 10, 30, 6, 3] * 2,
        }
    )
    means.to_csv(tmp_path / "means.csv", index=False)
    files = {
        "claims": str(tmp_path / "claims.csv"),
        "claim_robustness": str(tmp_path / "mc.csv"),
        "means": str(tmp_path / "means.csv"),
    }
    cap = CaptionContext(
        record=RECORD,
        language=lang,
        sources=["NBS, China Statistical Yearbook"],
        disparity=DISPARITY,
        maps={"scheme": "fisher_jenks", "k": 5},
        map_note="Base map: x",
    )
    return ReportContext(
        language=lang,
        record=RECORD,
        files=files,
        figures={},
        regions=RECORD["regions"],
        # display names in the report's language (the workflow derives them from the settings)
        variant_names={"entropy": "Entropy (pooled)" if lang == "en" else "熵权法（混合）"},
        captions=cap,
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headline_puts_main_variant_first_and_marks_it(tmp_path, lang):
    h = headline_html(_ctx(tmp_path, lang))
    heads = h.split("<thead>")[1].split("</thead>")[0]
    first_variant = heads.split("</th>")[1]
    assert (
        "Entropy (pooled)" if lang == "en" else "熵权法（混合）"
    ) in first_variant and "★" in first_variant
    assert h.index("C1") < h.index("C3")  # claim order kept (not alphabetical by variant)
    assert ("95%" in h) and (
        "24%" in h
    )  # Monte Carlo shares, rounded (0.245 is 0.24499... as a float)
    assert ("does not hold" if lang == "en" else "不成立") in h
    para = h.split('<p class="lead">')[1]
    assert ("23.4" not in para) and ("20.0" in para and "22.0" in para)  # national means, rounded
    # region means listed from the highest
    assert para.index("33.0") < para.index("14.0")


def test_numbers_are_rounded_and_text_left_aligned():
    assert fmt_number(-0.0004, "{:.3f}") == "0.000" and fmt_number(-0.04, "{:.1f}") == "0.0"
    t = table_html(
        Table(
            "", pd.DataFrame({"name": ["北京"], "score": [-0.00001]}), formats={"score": "{:.2f}"}
        )
    )
    assert '<td class="t">北京</td>' in t and "<td>0.00</td>" in t and "-0.00" not in t


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_captions_come_from_the_method_record(lang):
    ctx = CaptionContext(
        record=RECORD,
        language=lang,
        sources=["S1", "S2"],
        disparity=DISPARITY,
        maps={"scheme": "fisher_jenks", "k": 5},
        map_note="NOTE",
    )
    c = figure_caption("index_by_year", 2, ctx, notes=["carried"])
    if lang == "en":
        assert c.startswith("Figure 2. The index by province and year")
        for part in (
            "2016–2020",
            "Fisher-Jenks natural breaks, k = 5",
            "Albers equal-area conic",
            "Tibet",
            "Sources: S1; S2",
            "Note: carried",
            "NOTE",
            "min-max normalisation to [0, 100]",
        ):
            assert part in c, part
    else:
        assert c.startswith("图 2")
        for part in (
            "2016—2020 年",
            "Fisher-Jenks 自然断点法，5 级",
            "Albers 等积圆锥投影",
            "西藏",
            "来源：S1；S2",
            "注：carried",
        ):
            assert part in c, part
    lisa = figure_caption("lisa_clusters", 5, ctx)
    assert ("999" in lisa) and ("HI–GD" in lisa) and ("0.05" in lisa) and ("2020" in lisa)
    kde = figure_caption("kernel_density", 6, ctx)
    assert ("2011" in kde) and ("[0, 100]" in kde)


def test_sources_used_and_short_forms():
    codebook = pd.DataFrame(
        {
            "id": ["x", "num", "den", "alt", "unused"],
            "role": ["indicator", "variable", "variable", "variable", "indicator"],
            "used": ["True", "False", "False", "False", "False"],
            "numerator": ["num", "", "", "", ""],
            "denominator": ["den", "", "", "", ""],
            "source_id": ["A|B", "A", "C", "D", "E"],
        }
    )
    ids = sources_used(codebook, [{"target": "den", "source": "alt"}])
    assert ids == ["A", "B", "C", "D"]  # E (an unused indicator) is not cited
    sources = pd.DataFrame(
        {
            "source_id": ["A", "B", "C", "D"],
            "publication": ["p"] * 4,
            "citation": [
                "National Bureau of Statistics of China. China Statistical Yearbook 2020, table 'GDP'.",
                "National Bureau of Statistics of China. China Statistical Yearbook 2021, table 'GDP'.",
                "National Bureau of Statistics of China and Ministry of Science and Technology. China Statistical Yearbook on Science and Technology (2012-2021 editions).",
                "Some Agency: A Report; 2020",
            ],
        }
    )
    sources.loc[3, "publication"] = "Some Agency: A Report"
    assert short_sources(sources, ids, "zh") == [
        "《中国统计年鉴》",
        "《中国科技统计年鉴》",
        "Some Agency",
    ]


def test_year_notes_slot():
    t = pd.DataFrame(
        {
            "year": [2020],
            "dimension": ["energy_carbon"],
            "data_year": [2019],
            "status": ["carried"],
            "note_en": ["energy and carbon: 2019 data carried to 2020"],
            "note_zh": ["能源与碳排放：沿用 2019 年数据"],
        }
    )
    assert year_notes(t, [2019], "en") == []
    ctx = CaptionContext(record=RECORD, language="en", notes_table=t)
    assert "Note: energy and carbon: 2019 data carried to 2020" in figure_caption(
        "index_by_year", 1, ctx
    )


def test_sections_can_be_registered(tmp_path):
    register_section(
        "audit", lambda ctx: Section("Audit", "audit", paragraphs=["checked"]), after="data"
    )
    try:
        names = [n for n, _ in assemble.BUILDERS]
        assert names.index("audit") == names.index("data") + 1
    finally:
        unregister_section("audit")
    assert "audit" not in [n for n, _ in assemble.BUILDERS]
