"""The method record: what was run, on which inputs, with which choices.

Every run writes ``results/provenance/method_record.json`` beside its results: the package
and key library versions, the checksum of each input table, the validated configuration
(method choices of every variant) and the effective methods per variant. The report shows
it, so a published number can be traced to the exact inputs and choices that made it.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from greenindex import __version__
from greenindex.data.io import sha256, write_json

LIBRARIES = (
    "numpy",
    "pandas",
    "scipy",
    "scikit-learn",
    "matplotlib",
    "geopandas",
    "mapclassify",
    "libpysal",
    "esda",
    "inequality",
    "snakemake",
)


def library_versions() -> dict[str, str]:
    out = {"greenindex": __version__, "python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = "not installed"
    return out


def method_record(
    config: Mapping[str, Any],
    inputs: Mapping[str, str | Path | None],
    variants: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Assemble the method record (a JSON-serialisable dict, deterministic for fixed inputs)."""
    files = {}
    for name, path in sorted(inputs.items()):
        if path:
            files[name] = {"path": str(path), "sha256": sha256(path)}
    return {
        "versions": library_versions(),
        "inputs": files,
        "panel": dict(config["panel"]),
        "window": dict(config["window"]),
        "units": dict(config["units"]),
        "indicators": dict(config["indicators"]),
        "regions": dict(config["regions"]),
        "main_variant": config["main_variant"],
        "variants": {k: dict(v) for k, v in sorted(variants.items())},
    }


def write_record(record: Mapping[str, Any], path: str | Path) -> None:
    write_json(record, path)
