"""Caption phrases built from the method record: unit names, year spans, the method of a
variant in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from greenindex.glossary import term


def unit_names(codes: Sequence[str], language: str) -> str:
    """Province names of unit codes (short Chinese names, English names), joined.

    >>> unit_names(["XZ"], "zh"), unit_names(["XZ", "TW"], "en")
    ('西藏', 'Tibet, Taiwan')
    """
    from greenindex.data.units import province_table

    t = province_table().set_index("code")
    col = "name_zh_short" if language == "zh" else "name_en"
    names = [str(t.loc[c, col]) if c in t.index else c for c in codes]
    return ("、" if language == "zh" else ", ").join(names)


def _sep(language: str) -> tuple[str, str]:
    """Sentence end and clause separator of a language."""
    return ("。", "；") if language == "zh" else (". ", "; ")


def years_text(a: int, b: int | None, language: str) -> str:
    """``2016–2020`` / ``2016—2020 年``; one year when ``b`` is ``None`` or equal."""
    if b is None or b == a:
        return term("year_one", language, a=a)
    return term("years", language, a=a, b=b)


def method_phrase(record: Mapping[str, Any], language: str, variant: str | None = None) -> str:
    """The index method of ``variant`` (default the main variant) in words.

    >>> rec = {"main_variant": "e", "variants": {"e": {"normalise": {"method": "minmax", "range": [0, 100],
    ...        "scope": "pooled"}, "weights": {"method": "entropy", "level": "global", "scope": "pooled",
    ...        "entropy": {"variant": "zero_log_zero"}}, "aggregate": {"method": "arithmetic"}}}}
    >>> method_phrase(rec, "en")
    'min-max normalisation to [0, 100] (bounds pooled over all years), Entropy weights (one vector over all indicators), arithmetic mean'
    >>> method_phrase(rec, "zh")
    '极差标准化至 [0, 100]（全部年份混合），熵权法赋权（全部指标统一赋权），算术加权平均'
    """
    v = record["variants"][variant or record["main_variant"]]
    n, w, a = v["normalise"], v["weights"], v["aggregate"]
    nm = n.get("method")
    rng = f" [{n['range'][0]:g}, {n['range'][1]:g}]" if nm == "minmax" and n.get("range") else ""
    scope = term("pooled" if n.get("scope", "pooled") == "pooled" else "by_year", language)
    level = term(w.get("level", "global"), language)
    agg = a.get("method")
    agg_t = (
        term("topsis_agg", language)
        if agg == "topsis"
        else term(agg, language)
        if isinstance(agg, str)
        else str(agg)
    )
    scheme = term(w.get("method"), language)
    if language == "zh":
        norm = f"{term(nm, language)}" + (f"至{rng}" if rng else "") + f"（{scope}）"
        return f"{norm}，{scheme}赋权（{level}），{agg_t}"
    norm = (
        f"{term(nm, language)} normalisation" + (f" to{rng}" if rng else "") + f" (bounds {scope})"
    )
    return f"{norm}, {scheme} weights ({level}), {agg_t}"
