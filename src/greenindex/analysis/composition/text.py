"""Report content on the dynamics basis (the report's layout lives in greenindex.report;
this returns text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from greenindex.analysis.composition.basis import break_note


def dynamics_text(record: Mapping[str, Any], names: Mapping[str, str], language: str = "en") -> str:
    """What the panel analyses rest on (from ``results/dynamics/method.json``), as Markdown."""
    basis = record["basis"]
    years = record["years"]
    span = f"{years[0]}-{years[-1]}" if years else ""
    excl = ", ".join(names.get(i, i) for i in record.get("excluded", []))
    breaks = pd.DataFrame(record.get("breaks", []), columns=["year", "entered", "left"])
    zh = language == "zh"
    if basis == "panel_consistent" and excl:
        r = record.get("correlation_with_full_index")
        corr = (
            (
                f"与完整指数的相关系数为 {r:.3f}"
                if zh
                else f"its correlation with the full index is {r:.3f}"
            )
            if r is not None
            else ""
        )
        if zh:
            return (
                f"跨年分析（趋势、收敛、核密度、逐年泰尔/Dagum 与 Moran 指数）使用 {span} 年各年均有数据"
                f"的 {len(record['indicators'])} 个指标以相同方法重新计算的面板一致指数，不含 {excl}"
                f"（这些指标并非每年都有数据），因此指标构成的变化不会被误读为指数的变化；{corr}。"
                "各年水平、地图与结论检验使用完整指数。"
            )
        return (
            f"The panel analyses (trends, convergence, kernel densities, Theil/Dagum and Moran over "
            f"time) use a panel-consistent index: the same methods over the "
            f"{len(record['indicators'])} indicators present in every year {span}, without {excl} "
            f"(not available in every year), so that no change of the indicator set is read as a "
            f"change of the index; {corr}. Levels, maps and the finding check use the full index."
        )
    if basis == "full_years":
        return (
            f"跨年分析仅使用全部指标均有数据的年份：{span}。"
            if zh
            else f"The panel analyses use only the years in which every indicator is present: {span}."
        )
    if basis == "mixed" and not breaks.empty:
        return break_note(breaks, names, language)
    return (
        f"{span} 年各年的指标构成相同。"
        if zh
        else f"The indicator set is the same in every year {span}."
    )
