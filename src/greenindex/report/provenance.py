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


def used_sources(observations: Any, codebook: Any) -> list[str]:
    """Source ids of the values a run actually used.

    A value is used when its series is an indicator of the index (codebook ``role`` =
    ``indicator`` and ``used`` true where that column exists) or the numerator or denominator
    of one. Sources that are listed in the sources table but gave no such value (copies used
    only to cross-check, series outside the panel years, variables no indicator needs) are not
    returned, so a report lists only what its numbers rest on.

    Parameters
    ----------
    observations
        The validated observations (``indicator``, ``source_id``), restricted to the run's
        panel years and units.
    codebook
        The validated codebook (``id``, ``role``, ``numerator``, ``denominator``, optional
        ``used``).

    Returns
    -------
    list of str
        Sorted source ids.
    """
    cb = codebook[codebook["role"] == "indicator"]
    if "used" in cb.columns:
        cb = cb[cb["used"].astype(str).str.lower().isin({"true", "1"})]
    series = set(cb["id"].astype(str))
    for col in ("numerator", "denominator"):
        if col in cb.columns:
            series |= {str(v) for v in cb[col].dropna() if str(v).strip()}
    obs = observations[observations["indicator"].astype(str).isin(series)]
    return sorted({str(s) for s in obs["source_id"].dropna()})
