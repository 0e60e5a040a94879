"""No absolute path of any machine in the repository (code, docstrings, comments, data, docs).

A path such as a working folder or a temporary file of the machine the project was developed on
means nothing on a reader's machine. Operating-system locations (the ``/usr/share/fonts`` and
``C:/Windows/Fonts`` font paths, ``#!/usr/bin/env``) are not machine-specific and are allowed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# built from parts so that this file does not match itself
_ROOTS = "|".join(
    ["tm" + "p", "wo" + "rk", "ho" + "me", "Use" + "rs", "ro" + "ot", "mn" + "t", "scra" + "tch"]
)
#: A root folder of a Unix machine not preceded by a word character, dot or slash (so URL paths
#: such as ``example.org/home/`` do not count), or a Windows drive path.
MACHINE_PATH = re.compile(rf"(?<![\w.:/~-])/(?:{_ROOTS})/|\b[A-Z]:[\\/]+(?!Windows\b)[A-Za-z]")
SKIP_SUFFIXES = {
    ".png",
    ".pdf",
    ".svg",
    ".xlsx",
    ".dta",
    ".ttc",
    ".ttf",
    ".woff",
    ".woff2",
    ".gz",
    ".zip",
}


def _files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, text=True
        ).stdout
        names = [n for n in out.split("\0") if n]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        skip = {".git", ".venv", "results", "logs", ".snakemake", "__pycache__"}
        names = [
            str(p.relative_to(REPO))
            for p in REPO.rglob("*")
            if p.is_file() and not (set(p.relative_to(REPO).parts) & skip)
        ]
    return [REPO / n for n in names if Path(n).suffix.lower() not in SKIP_SUFFIXES]


def test_pattern_catches_machine_paths() -> None:
    bad = [
        "see /" + "tmp/panel/x.csv",
        "(/" + "work/shared/data)",
        "C" + ":\\Users\\me",
        "D" + ":/data/x.csv",
        "/" + "home/u/a.py",
    ]
    good = [
        "https://example.org/" + "home/index.html",
        "/usr/share/fonts/x.ttc",
        "C:/Windows/Fonts/simhei.ttf",
        "a/" + "tmp/b",
        "../shared/data",
    ]
    assert all(MACHINE_PATH.search(s) for s in bad)
    assert not any(MACHINE_PATH.search(s) for s in good)


def test_no_absolute_machine_paths_in_repository() -> None:
    files = _files()
    assert len(files) > 50
    hits = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        for n, line in enumerate(text.splitlines(), 1):
            m = MACHINE_PATH.search(line)
            if m:
                hits.append(f"{f.relative_to(REPO)}:{n}: {line.strip()[:120]}")
    assert not hits, "absolute machine paths:\n" + "\n".join(hits)
