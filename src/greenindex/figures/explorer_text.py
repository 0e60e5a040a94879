"""Interface text of the weight explorer page (:mod:`greenindex.figures.explorer`), per
language: the page's strings, region names and method names."""

from __future__ import annotations

#: Interface text of the page, per language.
TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Weight explorer: green-manufacturing index",
        "zh": "权重探索器：制造业绿色发展指数",
    },
    "intro": {
        "en": "Move a weight and the index, the ranks, the region gradient, the map and the claim "
        "checks are recomputed in this page at once. The export button gives the configuration "
        "that makes the workflow produce exactly these numbers.",
        "zh": "调整权重后，本页即时重新计算指数、排名、区域梯度、地图和结论检验。"
        "“导出配置”给出可使工作流得到完全相同结果的配置片段。",
    },
    "controls": {"en": "Weights and method", "zh": "权重与方法"},
    "weights_help": {
        "en": "Each slider multiplies the method's weight of a node within its parent "
        "(1 = the method's weight); the weights of siblings are then rescaled to sum to 100 %.",
        "zh": "每个滑块是该节点在其上级中方法权重的乘数（1 = 方法权重）；同级权重随后重新归一为 100%。",
    },
    "dimensions": {"en": "Dimensions", "zh": "维度"},
    "indicators_of": {"en": "Indicators", "zh": "指标"},
    "multiplier_of": {"en": "multiplier of", "zh": "乘数："},
    "share_line": {"en": "share {s} (start {s0})", "zh": "占比 {s}（初始 {s0}）"},
    "dim_multiplier": {"en": "Weight multiplier of the dimension", "zh": "维度权重乘数"},
    "aggregation": {"en": "Aggregation", "zh": "合成方法"},
    "arithmetic": {"en": "arithmetic mean", "zh": "算术平均"},
    "geometric": {"en": "geometric mean", "zh": "几何平均"},
    "year": {"en": "Year", "zh": "年份"},
    "reset": {"en": "Reset to the method's weights", "zh": "恢复方法权重"},
    "export": {"en": "Export configuration", "zh": "导出配置"},
    "copy": {"en": "Copy", "zh": "复制"},
    "copied": {"en": "copied", "zh": "已复制"},
    "snippet_help": {
        "en": "Paste these sections into config/config.yaml in place of the sections of the same "
        "name, then run the workflow: results/aggregate/{variant}/scores.csv holds the numbers "
        "of this page.",
        "zh": "将以下各节替换 config/config.yaml 中的同名各节并运行工作流，"
        "results/aggregate/{variant}/scores.csv 即为本页的数值。",
    },
    "claims": {"en": "Claims (window {s}-{e})", "zh": "结论检验（{s}-{e} 年）"},
    "holds": {"en": "holds", "zh": "成立"},
    "fails": {"en": "does not hold", "zh": "不成立"},
    "na": {"en": "cannot be checked", "zh": "无法检验"},
    "claims_note": {
        "en": "Same statistics as the workflow's claim check (results/claims/claims.csv), without its "
        "bootstrap over provinces; C4 counts a between-region share of at least {lim} as large.",
        "zh": "统计量与工作流的结论检验（results/claims/claims.csv）相同，但不含省份自助抽样；"
        "C4 以区域间贡献率不低于 {lim} 为“较大”。",
    },
    "regions": {"en": "Region means, {y}", "zh": "区域均值（{y} 年）"},
    "region": {"en": "Region", "zh": "区域"},
    "mean": {"en": "Mean", "zh": "均值"},
    "start_mean": {"en": "Start", "zh": "初始"},
    "gradient": {"en": "east > central > west in {y}: {v}", "zh": "{y} 年东部 > 中部 > 西部：{v}"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "map": {"en": "Index by province, {y}", "zh": "{y} 年各省指数"},
    "map_scale": {
        "en": "Colour scale fixed over all years ({lo} to {hi}) under the current weights",
        "zh": "当前权重下各年统一的色阶（{lo} 至 {hi}）",
    },
    "no_data": {"en": "no data", "zh": "无数据"},
    "ranks": {"en": "Ranks, {y}", "zh": "{y} 年排名"},
    "rank": {"en": "Rank", "zh": "排名"},
    "change": {"en": "Change", "zh": "变化"},
    "change_help": {
        "en": "rank change against the starting weights (+ = up)",
        "zh": "相对初始权重的排名变化（+ 为上升）",
    },
    "unit": {"en": "Province", "zh": "省份"},
    "index": {"en": "Index", "zh": "指数"},
    "rows_cut": {
        "en": "First {k} of {n} units by rank.",
        "zh": "按排名显示前 {k} 个（共 {n} 个）。",
    },
    "timing": {"en": "recomputed in {ms} ms", "zh": "重新计算用时 {ms} 毫秒"},
    "data": {"en": "Data and honesty notes", "zh": "数据说明"},
    "data_years": {
        "en": "Panel {p0}-{p1}; claims over the window {w0}-{w1}; {n} units; main variant '{v}' "
        "({norm} normalisation, {method} weights).",
        "zh": "面板 {p0}-{p1} 年；结论检验期 {w0}-{w1} 年；{n} 个单位；主方案“{v}”（{norm}标准化，{method}赋权）。",
    },
    "flags_line": {
        "en": "Of {total} indicator values, {interp} are interpolated, {carried} carried from the "
        "nearest year, {group} filled from group means, {subst} derived from a substituted series "
        "and {missing} missing (aggregates then use the weights of the indicators present). "
        "Marked † in the rank table; details per cell in results/treat/flags.csv.",
        "zh": "{total} 个指标值中，{interp} 个为线性插值，{carried} 个为就近年份延用，"
        "{group} 个为组均值填补，{subst} 个由替代序列计算，{missing} 个缺失（合成时按现有指标的权重计算）。"
        "排名表中以 † 标注；逐格明细见 results/treat/flags.csv。",
    },
    "flag_mark": {"en": "values imputed this year", "zh": "本年有插补值"},
    "data_driven": {
        "en": "The starting weights are the {method} weights of the shipped data. Data-driven "
        "weights (entropy, PCA, CRITIC) are recomputed only by the workflow: this page keeps "
        "them fixed and multiplies them.",
        "zh": "初始权重为现有数据的{method}权重。数据驱动的权重（熵值法、主成分、CRITIC）"
        "只由工作流重新计算：本页保持其不变，仅乘以乘数。",
    },
    "fixed_weights": {
        "en": "The starting weights are the '{method}' weights of the configuration.",
        "zh": "初始权重为配置中的“{method}”权重。",
    },
    "not_page_method": {
        "en": "The workflow's main variant aggregates with '{m}', which this page does not compute; "
        "the page starts from the arithmetic mean.",
        "zh": "工作流主方案使用“{m}”合成，本页不计算该方法，从算术平均开始。",
    },
    "geo_rescaled": {
        "en": "The geometric mean needs values > 0: with it the normalised indicators are "
        "rescaled to [1, {hi}] (the snippet sets normalise.range accordingly).",
        "zh": "几何平均要求取值大于 0：选用时标准化指标重新缩放到 [1, {hi}]（配置片段相应设置 normalise.range）。",
    },
    "geo_unavailable": {
        "en": "The geometric mean is not available: the normalised panel has values <= 0 and is not "
        "min-max normalised.",
        "zh": "几何平均不可用：标准化面板含有小于等于 0 的值且不是极差标准化。",
    },
    "zero_weights": {
        "en": "The weights under '{p}' are all zero; give at least one a weight above 0.",
        "zh": "“{p}”下的权重全部为 0，请至少给一个大于 0 的权重。",
    },
    "per_year": {
        "en": "The method's weights differ by year (weights.scope: year): the multipliers apply to "
        "each year's weights, so index values are not comparable over time.",
        "zh": "方法权重逐年不同（weights.scope: year）：乘数作用于各年权重，指数跨年不可比。",
    },
    "variant_override": {
        "en": "variants.{v} sets {keys}, which takes precedence over these sections: delete {keys} "
        "there, or the workflow will not give the page's numbers.",
        "zh": "variants.{v} 设置了 {keys}，其优先于以下各节：请在该处删除 {keys}，否则工作流结果与本页不同。",
    },
    "other_variants": {
        "en": "These sections also apply to the other variants where they do not override them "
        "(e.g. the same multipliers under PCA or CRITIC weights).",
        "zh": "以下各节同样作用于未覆盖它们的其他方案（例如主成分或 CRITIC 赋权下使用相同乘数）。",
    },
    "offline": {
        "en": "This page works offline: its data, script and map are embedded.",
        "zh": "本页可离线使用：数据、脚本和地图均已嵌入。",
    },
}


#: Display names of the regions of the shipped schemes (others are shown by their label).
REGION_NAMES: dict[str, dict[str, str]] = {
    "east": {"en": "East", "zh": "东部"},
    "central": {"en": "Central", "zh": "中部"},
    "west": {"en": "West", "zh": "西部"},
    "northeast": {"en": "Northeast", "zh": "东北"},
    "national": {"en": "National", "zh": "全国"},
}


#: Display names of the weighting and normalisation methods (the config value otherwise).
METHOD_NAMES: dict[str, dict[str, str]] = {
    "entropy": {"en": "entropy", "zh": "熵值法"},
    "pca": {"en": "PCA", "zh": "主成分分析"},
    "critic": {"en": "CRITIC", "zh": "CRITIC"},
    "equal": {"en": "equal", "zh": "等权"},
    "framework": {"en": "framework", "zh": "框架"},
    "user": {"en": "user", "zh": "用户"},
    "minmax": {"en": "min-max", "zh": "极差"},
    "zscore": {"en": "z-score", "zh": "Z 分数"},
    "rank": {"en": "rank", "zh": "排序"},
    "percentile": {"en": "percentile", "zh": "百分位"},
    "distance": {"en": "distance-to-reference", "zh": "距参照值"},
}
