"""The data sources a caption cites: the sources the index actually used, in short
(author, year) form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

_PUBLICATIONS: tuple[tuple[str, dict[str, str]], ...] = (
    (
        r"Statistical Yearbook on Science and Technology",
        {
            "en": "NBS & MOST, China Statistical Yearbook on Science and Technology",
            "zh": "《中国科技统计年鉴》",
        },
    ),
    (
        r"China Statistical Yearbook",
        {"en": "NBS, China Statistical Yearbook", "zh": "《中国统计年鉴》"},
    ),
    (
        r"Population Census",
        {
            "en": "NBS, Communiqué of the Seventh National Population Census",
            "zh": "《第七次全国人口普查公报》",
        },
    ),
    (
        r"能耗降低率",
        {
            "en": "NBS, NDRC & NEA, communiqués on energy intensity by province",
            "zh": "《分省（区、市）万元地区生产总值能耗降低率等指标公报》",
        },
    ),
)


def _author_years(citation: str, language: str) -> str | None:
    """Journal articles cited as "Surname X. et al. (year)": author-year short form.

    >>> _author_years("Shan Y. et al. (2016) A. J 1; Shan Y. et al. (2018) B. J 2; Guan Y. et al. (2021) C.", "zh")
    'Shan 等（2016, 2018）；Guan 等（2021）'
    """
    found = re.findall(r"([A-Z][A-Za-z\-]+) (?:[A-Z]\. ?)+et al\. \((\d{4})\)", citation)
    if not found:
        return None
    years: dict[str, list[str]] = {}
    for author, year in found:
        years.setdefault(author, []).append(year)
    if language == "zh":
        return "；".join(f"{a} 等（{', '.join(ys)}）" for a, ys in years.items())
    return "; ".join(f"{a} et al. ({', '.join(ys)})" for a, ys in years.items())


def short_sources(sources: pd.DataFrame, ids: Iterable[str], language: str) -> list[str]:
    """Short citations of the source ids ``ids`` (duplicates merged, order of first use).

    The publication is recognised from the ``citation`` (or ``publication``) text of
    ``data/raw/sources.csv``; an unknown one is cited by its publication field.
    """
    table = sources.set_index("source_id")
    out: list[str] = []
    for sid in ids:
        if sid not in table.index:
            continue
        text = f"{table.loc[sid].get('citation', '')} {table.loc[sid].get('publication', '')}"
        short = _author_years(str(table.loc[sid].get("citation", "")), language)
        short = short or next(
            (names[language] for pat, names in _PUBLICATIONS if re.search(pat, text)), None
        )
        if short is None:
            pub = str(table.loc[sid].get("publication") or sid)
            short = pub.split(";")[0].split(":")[0].strip()
        if short not in out:
            out.append(short)
    return out


def sources_used(codebook: pd.DataFrame, substitute: Sequence[Mapping[str, Any]] = ()) -> list[str]:
    """Source ids behind the index: those of the used indicators, of the series they are
    built from (numerator, denominator) and of series substituted into those (``treat.substitute``).
    """
    cb = codebook.set_index("id")
    used = [
        i
        for i, r in cb.iterrows()
        if r.get("role") == "indicator" and str(r.get("used")).lower() == "true"
    ]
    series = list(used)
    for i in used:
        for col in ("numerator", "denominator"):
            v = str(cb.loc[i].get(col) or "")
            if v and v in cb.index:
                series.append(v)
    for sub in substitute:
        if sub.get("target") in series and sub.get("source") in cb.index:
            series.append(str(sub["source"]))
    ids: list[str] = []
    for s in series:
        for sid in str(cb.loc[s].get("source_id") or "").split("|"):
            if sid and sid not in ids:
                ids.append(sid)
    return ids
