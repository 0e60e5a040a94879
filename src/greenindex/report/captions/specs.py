"""The figures the report captions: each one's title and which method facts its caption
states (:class:`FigureSpec`, :data:`FIGURES`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureSpec:
    """What a figure's caption needs: its title and which method facts apply."""

    title: dict[str, str]
    kind: str = "chart"  # chart | map | lisa | kde | coverage | robustness | weights
    years: str = "window"  # window | end | panel | disparity


FIGURES: dict[str, FigureSpec] = {
    "region_gradient": FigureSpec(
        {
            "en": "Regional means of the index and the east-central-west steps",
            "zh": "四大区域指数均值及东中西梯度",
        },
        "map",
        "end",
    ),
    "index_by_year": FigureSpec(
        {
            "en": "The index by province and year (classes fixed across years)",
            "zh": "各省份逐年指数（各年分级一致）",
        },
        "map",
        "window",
    ),
    "index_change": FigureSpec(
        {"en": "Change of the index over the window", "zh": "考察期内指数变化"}, "map", "window"
    ),
    "dimensions": FigureSpec({"en": "Dimension sub-indices", "zh": "分维度指数"}, "map", "end"),
    "lisa_clusters": FigureSpec(
        {"en": "Local Moran (LISA) clusters of the index", "zh": "指数的局部莫兰（LISA）集聚"},
        "lisa",
        "end",
    ),
    "region_trends": FigureSpec(
        {"en": "Regional means with the range of their provinces", "zh": "区域均值及省际范围"},
        "chart",
        "panel",
    ),
    "ranks": FigureSpec(
        {
            "en": "Provincial ranks and their Monte Carlo rank intervals",
            "zh": "省份排名及其蒙特卡洛排名区间",
        },
        "chart",
        "window",
    ),
    "theil_contributions": FigureSpec(
        {
            "en": "Theil T: levels and within/between-region shares",
            "zh": "泰尔指数：水平及区域内、区域间贡献率",
        },
        "chart",
        "disparity",
    ),
    "dagum_contributions": FigureSpec(
        {
            "en": "Dagum Gini decomposition: levels and shares",
            "zh": "Dagum 基尼系数分解：水平与贡献率",
        },
        "chart",
        "disparity",
    ),
    "kernel_density": FigureSpec(
        {"en": "Kernel density of the provincial index", "zh": "省域指数的核密度"},
        "kde",
        "disparity",
    ),
    "weights_by_method": FigureSpec(
        {
            "en": "Indicator weights in the index under each weighting method",
            "zh": "不同赋权方法下各指标在指数中的权重",
        },
        "weights",
        "window",
    ),
    "coverage_heatmap": FigureSpec(
        {
            "en": "Data coverage: observed, imputed and missing cells",
            "zh": "数据覆盖：观测、插补与缺失",
        },
        "coverage",
        "panel",
    ),
    "claim_robustness": FigureSpec(
        {
            "en": "Share of Monte Carlo replications in which each claim holds",
            "zh": "各结论在蒙特卡洛模拟中成立的比例",
        },
        "robustness",
        "window",
    ),
    "rank_intervals": FigureSpec(
        {
            "en": "Rank intervals (5–95 %) under the Monte Carlo over method choices",
            "zh": "方法选择蒙特卡洛下的排名区间（5%—95%）",
        },
        "robustness",
        "end",
    ),
    "sobol": FigureSpec(
        {
            "en": "Sobol sensitivity of the rank shift to each method choice",
            "zh": "排名变动对各方法选择的 Sobol 敏感度",
        },
        "robustness",
        "window",
    ),
}
