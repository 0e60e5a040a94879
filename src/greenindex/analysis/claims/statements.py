"""The claims' statements, the claim table's columns, Chinese labels of statistics and regions,
number formatting of the claim texts."""

from __future__ import annotations

from greenindex.analysis.regional import role_labels

#: Default mapping of claim roles to region labels (the ``nbs4`` scheme).
DEFAULT_REGION_LABELS: dict[str, str] = role_labels()

#: Claim statements in English and Chinese.
STATEMENTS: dict[str, dict[str, str]] = {
    "C1": {
        "en": "The national mean index is higher at the end of the window than at its start.",
        "zh": "全国平均指数期末高于期初（总体上升）。",
    },
    "C2": {
        "en": "Region means fall in steps east > central > west in every year of the window.",
        "zh": "各年区域均值均呈东部 > 中部 > 西部的阶梯状分布。",
    },
    "C3": {
        "en": "The northeast's gain over the window is the smallest of all regions.",
        "zh": "东北地区在分析期内的增幅是各区域中最小的（进展缓慢）。",
    },
    "C4a": {
        "en": "The between-region part of inequality is large (Theil T between-region share).",
        "zh": "区域间差异较大（泰尔指数中区域间差异的贡献率）。",
    },
    "C4b": {
        "en": "The between-region part of inequality is large (Dagum Gini net between-region "
        "contribution share).",
        "zh": "区域间差异较大（Dagum 基尼系数中区域间净差异的贡献率）。",
    },
}

#: Columns of the claim table, in order.
COLUMNS = [
    "claim",
    "variant",
    "statement",
    "statistic",
    "value",
    "holds",
    "applicable",
    "details",
    "details_zh",
    "start_value",
    "end_value",
    "threshold",
    "bootstrap_share",
    "bootstrap_b",
]

_GROWTH = ("absolute", "relative")

#: Chinese labels of each claim's statistic (for the Chinese summary).
_STATISTIC_ZH = {
    "C1": "期末与期初全国均值之差",
    "C2": "各年“东部-中部”“中部-西部”差值的最小值",
    "C3": "东北增幅减其他区域最小增幅",
    "C4a": "泰尔指数区域间贡献率的期内均值",
    "C4b": "Dagum 区域间净差异贡献率的期内均值",
}

_REGION_ZH = {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"}


def _fmt(x: float, digits: int = 4) -> str:
    return f"{x:+.{digits}g}" if abs(x) < 1e-3 or abs(x) >= 1e4 else f"{x:+.{digits}f}"
