"""CITATION.cff is valid Citation File Format 1.2.0 (schema vendored in tests/data/cff with its
origin) and agrees with the package metadata; the README says how to cite."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

import greenindex

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (REPO / "tests" / "data" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8")
)


def _validator() -> Draft7Validator:
    assert SCHEMA["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    return Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)


def _cff() -> dict:
    # CFF is YAML 1.2; read every scalar as text where the schema wants strings (version, dates)
    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_validates_against_cff_1_2_0():
    cff = _cff()
    errors = sorted(_validator().iter_errors(cff), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert cff["cff-version"] == "1.2.0"


def test_the_validator_rejects_broken_files():
    v = _validator()
    cff = _cff()
    assert list(v.iter_errors({k: x for k, x in cff.items() if k != "authors"}))  # authors required
    assert list(v.iter_errors({**cff, "doi": "not a doi"}))
    assert list(v.iter_errors({**cff, "licence": "MIT"}))  # misspelt key


def test_matches_package_metadata():
    cff = _cff()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert str(cff["version"]) == project["version"] == greenindex.__version__
    assert cff["license"] == project["license"]["text"]


def test_readme_says_how_to_cite_software_and_data():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## How to cite" in text
    section = text.split("## How to cite", 1)[1].split("\n## ", 1)[0]
    assert "CITATION.cff" in section and "sources.csv" in section
