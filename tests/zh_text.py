"""Is a Chinese text wholly Chinese? English words outside an allow-list of codes, units,
symbols and proper names (tests of the zh report and the zh figures)."""

from __future__ import annotations

import re

#: Latin-script tokens a Chinese text may keep: acronyms and symbols are matched by rule
#: (all capitals, single letters, symbols with "_"), this list holds the proper names and
#: lower-case technical names that Chinese papers print as they are.
ALLOWED = {
    # people and named methods (Chinese papers keep the Latin name)
    "Dagum",
    "Sobol",
    "Albers",
    "Fisher",
    "Jenks",
    "Caspall",
    "Silverman",
    "Moran",
    "Theil",
    "Cronbach",
    "Paruolo",
    "Saisana",
    "Saltelli",
    # authors cited in the short source form (author-year)
    "Shan",
    "Guan",
    # data products and licences
    "CEADs",
    "cnmaps",
    "data",
    "MIT",
    "Excel",
    "Stata",
    # software in the method section's version line
    "greenindex",
    "python",
    "numpy",
    "pandas",
    "scipy",
    "scikit",
    "learn",
    "matplotlib",
    "geopandas",
    "mapclassify",
    "libpysal",
    "esda",
    "inequality",
    "snakemake",
    # units and symbols
    "km",
    "ln",
    "queen",
}

_PATH = re.compile(r"\S*[/\\]\S*|\S+\.(csv|json|xlsx|dta|png|pdf|svg|html)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-']*")


def english_words(text: str, allowed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Latin-script words of ``text`` that are not codes, units, symbols or allowed names.

    >>> english_words("指数 GDP 与 R&D 经费；G_nb 为净差异；n = 30；见 results/tables/")
    []
    >>> english_words("方法 Method：entropy 赋权")
    ['Method', 'entropy']
    """
    text = _PATH.sub(" ", text)
    out = []
    for w in _WORD.findall(text):
        core = w.strip("-'")
        parts = [p for p in re.split(r"[-_]", core) if p]
        if not parts:
            continue
        if "_" in core:  # a symbol such as G_nb
            continue
        if all(
            p.isupper()
            or p[:-1].isupper()
            and p[-1].isdigit()
            or len(p) == 1
            or p.isdigit()
            or re.fullmatch(r"[A-Z]+[0-9]+[a-z]?|[A-Z]{2,}s|[0-9a-f]{8,}", p)
            or p in ALLOWED
            or p in allowed
            for p in parts
        ):
            continue
        out.append(w)
    return out
