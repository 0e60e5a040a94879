"""Both reports of the shipped-data default run, as a reader sees them in headless Chromium:
every image loads, the headline table is in the first screen, no console errors; the zh
report and the zh figures have no English word outside the allow-list; tables for Excel and
Stata are written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from tests.browser import browser_page
from tests.workflow.helpers import SNAKEMAKE, copy_repo, snakemake
from tests.zh_text import english_words

pytestmark = pytest.mark.skipif(
    os.environ.get("GREENINDEX_SKIP_FULL") == "1" or not SNAKEMAKE.exists(),
    reason="GREENINDEX_SKIP_FULL=1 or no snakemake",
)

#: The visible text of the page, without elements marked as another language (lang="en":
#: the English column of the zh glossary).
VISIBLE_TEXT_JS = """() => {
  const b = document.body.cloneNode(true);
  b.querySelectorAll('[lang=en]').forEach(e => e.remove());
  document.documentElement.appendChild(b);
  const t = b.innerText;
  b.remove();
  return t;
}"""


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    """The default configuration on the shipped data, in a temporary copy."""
    wd = copy_repo(tmp_path_factory.mktemp("default"))
    r = snakemake(wd, "--cores", "2")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    return wd


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_in_a_browser(default_run, lang, tmp_path):
    path = default_run / f"results/report/report_{lang}.html"
    with browser_page(1280, 800) as (page, errors):
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt.slice(0, 40)])"
        )
        assert len(images) >= 15  # 5 maps, 6 charts, 3 robustness figures, the coverage heatmap
        broken = [alt for ok, width, alt in images if not ok or width == 0]
        assert not broken, broken
        box = page.locator("#headline-table").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 800, box
        page.screenshot(path=str(tmp_path / f"first_screen_{lang}.png"))
        text = page.evaluate("document.body.innerText")
        assert not errors, errors
    assert not re.findall(r"-0\.0*(?![0-9])", text)  # no "-0.000": a rounded zero has no sign
    assert text.count("★") >= 2  # the main variant marked in the headline table and the claims


def test_zh_report_is_wholly_chinese(default_run):
    with browser_page(1280, 800) as (page, _errors):
        page.goto((default_run / "results/report/report_zh.html").resolve().as_uri())
        text = page.evaluate(VISIBLE_TEXT_JS)
    assert len(text) > 5000
    assert english_words(text) == []
    for heading in ("主要结论", "数据覆盖：观测、插补与缺失", "Sobol", "研究方法", "南海诸岛"):
        assert heading in text, heading


def test_zh_figures_are_wholly_chinese(default_run):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed: run scripts/install_fonts.sh")
    res = default_run / "results"
    pdfs = sorted((res / "figures/zh").rglob("*.pdf")) + sorted(
        (res / "figures/uncertainty").glob("*_zh.pdf")
    )
    pdfs += sorted((res / "coverage").glob("*_zh.pdf"))
    assert len(pdfs) == 15
    bad = {}
    for pdf in pdfs:
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert text.strip(), pdf.name  # text is extractable (embedded fonts with a ToUnicode map)
        words = english_words(text)
        if words:
            bad[pdf.name] = words
    assert not bad, bad


def test_tables_for_excel_and_stata(default_run):
    res = default_run / "results/tables"
    sheets = pd.read_excel(res / "greenindex_tables.xlsx", sheet_name=None)
    assert {
        "README",
        "scores",
        "index_by_variant",
        "region_means",
        "claims",
        "weights",
        "rank_intervals",
    } <= set(sheets)
    s = sheets["scores"]
    assert {"name_zh", "name_en", "region_zh", "rank"} <= set(s.columns) and len(s) == 30 * 10
    raw = (res / "scores.csv").read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf" and "北京市".encode() in raw
    dta = pd.read_stata(res / "scores.dta")
    scores = pd.read_csv(default_run / "results/aggregate/entropy/scores.csv")
    assert dta["index"].to_numpy() == pytest.approx(scores["index"].to_numpy(), abs=0, nan_ok=True)
    assert Path(res / "region_means.dta").stat().st_size > 0
