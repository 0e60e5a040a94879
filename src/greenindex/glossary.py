"""One glossary of display terms in Chinese and English, used by every figure, table and report.

A term has one key and one text per language, so the index is called the same thing in
every figure and table (制造业绿色发展指数, the framework's own name), a method is named the
same way in a chart legend and in the report, and the Chinese edition needs no English word
beyond codes, units and symbols. :func:`term` looks a key up; unknown keys pass through
unchanged so that data labels (province names, indicator names from the codebook) can be
handed to it as they are.

Keys are grouped by what they name: report headings, table headers, statistics, method
names (the config values of :mod:`greenindex.index.weights` and friends), regions, claims,
Monte Carlo choices (the ``name`` of ``uncertainty.choices`` items) and figure texts.
Translations follow the terms of the Chinese literature on provincial green-manufacturing
indices (熵权法, 主成分分析, 泰尔指数, Dagum 基尼系数, 核密度估计, 局部莫兰指数).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["GLOSSARY", "LANGUAGES", "region_label", "term", "terms_used", "variant_label"]

LANGUAGES = ("zh", "en")

_T = dict[str, dict[str, str]]

#: Report headings and running text fragments.
_REPORT: _T = {
    "title": {
        "en": "Green manufacturing index of China's provinces",
        "zh": "中国省域制造业绿色发展指数报告",
    },
    "headline": {"en": "Headline finding", "zh": "主要结论"},
    "finding_detail": {"en": "The claims in detail", "zh": "结论逐条说明"},
    "index_regions": {"en": "Index and regions", "zh": "指数与区域"},
    "maps": {"en": "Maps", "zh": "地图"},
    "disparity": {"en": "Regional disparity", "zh": "区域差异"},
    "robustness": {"en": "Robustness", "zh": "稳健性"},
    "weights_section": {"en": "Weights", "zh": "权重"},
    "data_section": {"en": "Data and coverage", "zh": "数据与覆盖"},
    "method_section": {"en": "Methods", "zh": "研究方法"},
    "glossary_section": {"en": "Terms", "zh": "术语对照"},
    "sources_section": {"en": "Sources", "zh": "数据来源"},
    "main_variant": {"en": "main variant", "zh": "主方案"},
    "main_mark": {"en": "★ main", "zh": "★ 主方案"},
    "holds": {"en": "holds", "zh": "成立"},
    "fails": {"en": "does not hold", "zh": "不成立"},
    "not_applicable": {"en": "not applicable", "zh": "不适用"},
    "mc_share": {"en": "Monte Carlo share", "zh": "蒙特卡洛成立比例"},
    "bootstrap_share": {"en": "bootstrap share", "zh": "自助抽样成立比例"},
    "figure": {"en": "Figure", "zh": "图"},
    "table": {"en": "Table", "zh": "表"},
    "method_label": {"en": "Method", "zh": "方法"},
    "data_label": {"en": "Data", "zh": "数据"},
    "sources_label": {"en": "Sources", "zh": "来源"},
    "note_label": {"en": "Note", "zh": "注"},
    "classification": {"en": "Classes", "zh": "分级"},
    "projection": {"en": "Projection", "zh": "投影"},
    "albers": {
        "en": "Albers equal-area conic (standard parallels 25°N and 47°N, central meridian 105°E)",
        "zh": "Albers 等积圆锥投影（标准纬线 25°N、47°N，中央经线 105°E）",
    },
    "no_data_note": {
        "en": "Hatched: no data (Taiwan, Hong Kong and Macao are outside the statistical system of the source yearbooks{dropped}).",
        "zh": "斜线：无数据（台湾、香港、澳门不在所用统计年鉴的统计范围内{dropped}）。",
    },
    "dropped_note": {"en": "; {units} left out of the analysis", "zh": "；{units}未纳入分析"},
    "lisa_spec": {
        "en": "Local Moran's I of the index in {year}; queen contiguity{links}, row-standardised; {perm} permutations; pseudo p < {alpha}",
        "zh": "{year} 年指数的局部莫兰指数；后共边（queen）邻接{links}，行标准化；{perm} 次置换；伪 p < {alpha}",
    },
    "lisa_links": {"en": " with the added link(s) {links}", "zh": "，另加连接 {links}"},
    "first_screen_hint": {
        "en": "Full-precision tables: results/tables/ (CSV, Excel, Stata).",
        "zh": "全精度数据见 results/tables/（CSV、Excel、Stata 格式）。",
    },
    "years": {"en": "{a}–{b}", "zh": "{a}—{b} 年"},
    "year_one": {"en": "{a}", "zh": "{a} 年"},
    "window": {"en": "window", "zh": "考察期"},
    "panel": {"en": "panel", "zh": "面板期"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "rows_cut": {
        "en": "First {n} of {total} rows; the full table is in results/.",
        "zh": "仅显示前 {n} 行（共 {total} 行），完整表格见 results/。",
    },
}

#: Table headers (column names of the results tables).
_HEADERS: _T = {
    "claim": {"en": "Claim", "zh": "结论"},
    "statement": {"en": "Statement", "zh": "表述"},
    "variant": {"en": "Variant", "zh": "方案"},
    "statistic": {"en": "Statistic", "zh": "统计量"},
    "value": {"en": "Value", "zh": "数值"},
    "verdict": {"en": "Verdict", "zh": "判断"},
    "details": {"en": "Details", "zh": "说明"},
    "year": {"en": "Year", "zh": "年份"},
    "region": {"en": "Region", "zh": "区域"},
    "unit": {"en": "Code", "zh": "代码"},
    "name": {"en": "Province", "zh": "省份"},
    "name_en": {"en": "Province (English)", "zh": "省份（英文）"},
    "name_zh": {"en": "Province (Chinese)", "zh": "省份（中文）"},
    "score": {"en": "Index", "zh": "指数"},
    "rank": {"en": "Rank", "zh": "排名"},
    "mean": {"en": "Mean", "zh": "均值"},
    "median": {"en": "Median", "zh": "中位数"},
    "min": {"en": "Min", "zh": "最小值"},
    "max": {"en": "Max", "zh": "最大值"},
    "n": {"en": "n", "zh": "n"},
    "start": {"en": "Start", "zh": "期初"},
    "end": {"en": "End", "zh": "期末"},
    "abs_change": {"en": "Change", "zh": "变化量"},
    "rel_change": {"en": "Change (%)", "zh": "变化率（%）"},
    "start_year": {"en": "From", "zh": "起始年"},
    "end_year": {"en": "To", "zh": "终止年"},
    "node": {"en": "Node", "zh": "节点"},
    "indicator": {"en": "Indicator", "zh": "指标"},
    "dimension": {"en": "Dimension", "zh": "维度"},
    "direction": {"en": "Direction", "zh": "方向"},
    "weight": {"en": "Weight", "zh": "权重"},
    "effective_weight": {"en": "Weight in the index", "zh": "指数中的权重"},
    "within_parent_share": {"en": "Share within dimension", "zh": "维度内占比"},
    "n_units": {"en": "Provinces", "zh": "省份数"},
    "n_obs": {"en": "Observations", "zh": "观测数"},
    "n_observed": {"en": "Observed", "zh": "观测"},
    "n_imputed": {"en": "Imputed", "zh": "插补"},
    "n_missing": {"en": "Missing", "zh": "缺失"},
    "share_observed": {"en": "Observed (%)", "zh": "观测占比（%）"},
    "passes": {"en": "Meets coverage rule", "zh": "满足覆盖规则"},
    "source_id": {"en": "Source id", "zh": "来源编号"},
    "short": {"en": "Source", "zh": "来源"},
    "nominal_rank": {"en": "Rank (main variant)", "zh": "排名（主方案）"},
    "median_rank": {"en": "Median rank", "zh": "排名中位数"},
    "rank_interval": {"en": "Rank interval (5–95 %)", "zh": "排名区间（5%—95%）"},
    "factor": {"en": "Method choice", "zh": "方法选择"},
    "S1": {"en": "First-order index", "zh": "一阶敏感度指数"},
    "ST": {"en": "Total index", "zh": "总效应指数"},
    "I": {"en": "Moran's I", "zh": "莫兰指数 I"},
    "EI": {"en": "E[I]", "zh": "E[I]"},
    "z_norm": {"en": "z", "zh": "z"},
    "p_norm": {"en": "p (normal)", "zh": "p（正态近似）"},
    "p_sim": {"en": "p (permutation)", "zh": "p（置换检验）"},
    "beta": {"en": "β", "zh": "β"},
    "se": {"en": "SE", "zh": "标准误"},
    "p": {"en": "p", "zh": "p"},
    "r2": {"en": "R²", "zh": "R²"},
    "speed": {"en": "Speed", "zh": "收敛速度"},
    "half_life": {"en": "Half-life (years)", "zh": "半衰期（年）"},
    "converges": {"en": "Converges", "zh": "收敛"},
    "method": {"en": "Method", "zh": "方法"},
    # statistical audit and data disclosure (report tables)
    "weight_share": {"en": "Share of the weight (%)", "zh": "权重占比（%）"},
    "importance_share": {"en": "Share of the importance (%)", "zh": "重要性占比（%）"},
    "r_index": {"en": "Correlation with the index", "zh": "与指数的相关系数"},
    "audit_flag": {"en": "Flag", "zh": "警示"},
    "n_children": {"en": "Indicators", "zh": "指标数"},
    "cronbach_alpha": {"en": "Cronbach's α", "zh": "Cronbach α 系数"},
    "pc1_share": {"en": "First PC variance share", "zh": "第一主成分方差份额"},
    "data_year": {"en": "Data year used", "zh": "实际使用的数据年份"},
    "status": {"en": "Data", "zh": "数据状态"},
    "note": {"en": "Note", "zh": "说明"},
    "observed": {"en": "observed", "zh": "观测"},
    "interpolated": {"en": "interpolated", "zh": "插值"},
    "carried": {"en": "carried from an earlier year", "zh": "沿用前一年"},
    "imputed": {"en": "imputed", "zh": "插补"},
    "absent": {"en": "absent", "zh": "缺失"},
    "mixed": {"en": "partly imputed", "zh": "部分插补"},
    "share_index": {"en": "Index (%)", "zh": "指数（%）"},
    "audit_table_importance": {
        "en": "Effective weight and importance (main variant)",
        "zh": "有效权重与重要性（主方案）",
    },
    "audit_table_consistency": {
        "en": "Internal consistency of the dimensions",
        "zh": "维度内部一致性",
    },
    "data_years_table": {
        "en": "Data year actually used (dimension-years not fully observed)",
        "zh": "实际使用的数据年份（非全部观测的维度-年份）",
    },
    "imputed_share_table": {
        "en": "Share of the index's effective weight on interpolated, carried or imputed cells (mean over provinces)",
        "zh": "指数有效权重中来自插值、沿用或插补数据的份额（各省平均）",
    },
    "term_en": {"en": "English", "zh": "英文"},
    "term_zh": {"en": "Chinese", "zh": "中文"},
    "setting": {"en": "Setting", "zh": "设置"},
    "choice": {"en": "Choice", "zh": "选择"},
}

#: Inequality statistics (the ``statistic`` values of the disparity tables).
_STATISTICS: _T = {
    "T": {"en": "Theil T", "zh": "泰尔指数 T"},
    "within": {"en": "Within regions", "zh": "区域内"},
    "between": {"en": "Between regions", "zh": "区域间"},
    "within_share": {"en": "Within-region share", "zh": "区域内贡献率"},
    "between_share": {"en": "Between-region share", "zh": "区域间贡献率"},
    "G": {"en": "Gini G", "zh": "总体基尼系数 G"},
    "G_w": {"en": "Within (G_w)", "zh": "区域内差异 G_w"},
    "G_nb": {"en": "Net between (G_nb)", "zh": "区域间净差异 G_nb"},
    "G_t": {"en": "Transvariation (G_t)", "zh": "超变密度 G_t"},
    "share_w": {"en": "Within share", "zh": "区域内贡献率"},
    "share_nb": {"en": "Net between share", "zh": "区域间净差异贡献率"},
    "share_t": {"en": "Transvariation share", "zh": "超变密度贡献率"},
    "net_between": {"en": "Net between regions (G_nb)", "zh": "区域间净差异（G_nb）"},
    "transvariation": {"en": "Transvariation (G_t)", "zh": "超变密度（G_t）"},
    "theil": {"en": "Theil T", "zh": "泰尔指数"},
    "dagum": {"en": "Dagum Gini", "zh": "Dagum 基尼系数"},
    "beta_convergence": {"en": "β-convergence", "zh": "β 收敛"},
    "moran": {"en": "Global Moran's I", "zh": "全局莫兰指数"},
    "level": {"en": "Level", "zh": "水平"},
    "share": {"en": "Share (%)", "zh": "贡献率（%）"},
}

#: Method names (config values) and method-record settings.
_METHODS: _T = {
    "minmax": {"en": "min-max", "zh": "极差标准化"},
    "zscore": {"en": "z-score", "zh": "Z 分数标准化"},
    "rank": {"en": "rank", "zh": "排序"},
    "percentile": {"en": "percentile", "zh": "百分位"},
    "distance": {"en": "distance to reference", "zh": "参照距离"},
    "entropy": {"en": "Entropy", "zh": "熵权法"},
    "pca": {"en": "PCA", "zh": "主成分分析法"},
    "critic": {"en": "CRITIC", "zh": "CRITIC 法"},
    "equal": {"en": "Equal weights", "zh": "等权法"},
    "framework": {"en": "Framework weights", "zh": "框架权重"},
    "user": {"en": "User weights", "zh": "自定义权重"},
    "topsis": {"en": "Entropy-TOPSIS", "zh": "熵权 TOPSIS 法"},
    "arithmetic": {"en": "arithmetic mean", "zh": "算术加权平均"},
    "geometric": {"en": "geometric mean", "zh": "几何加权平均"},
    "harmonic": {"en": "harmonic mean", "zh": "调和加权平均"},
    "topsis_agg": {"en": "TOPSIS", "zh": "TOPSIS 法"},
    "pooled": {"en": "pooled over all years", "zh": "全部年份混合"},
    "by_year": {"en": "year by year", "zh": "逐年"},
    "global": {"en": "one vector over all indicators", "zh": "全部指标统一赋权"},
    "within_parent": {"en": "within each dimension", "zh": "维度内赋权"},
    "zero_log_zero": {"en": "0·ln 0 = 0", "zh": "0·ln 0 = 0"},
    "shift": {"en": "shifted shares", "zh": "平移处理"},
    "compress": {"en": "compressed shares", "zh": "压缩处理"},
    "raw_share": {"en": "raw shares", "zh": "原始比重"},
    "linear": {"en": "linear interpolation", "zh": "线性插值"},
    "group_mean": {"en": "group mean", "zh": "组均值"},
    "nearest": {"en": "nearest value carried", "zh": "就近值延用"},
    "none": {"en": "none", "zh": "无"},
    "fisher_jenks": {"en": "Fisher-Jenks natural breaks", "zh": "Fisher-Jenks 自然断点法"},
    "natural_breaks": {"en": "natural breaks", "zh": "自然断点法"},
    "quantiles": {"en": "quantiles", "zh": "分位数法"},
    "equal_interval": {"en": "equal intervals", "zh": "等间距法"},
    "jenks_caspall": {"en": "Jenks-Caspall", "zh": "Jenks-Caspall 法"},
    "maximum_breaks": {"en": "maximum breaks", "zh": "最大断点法"},
    "queen": {"en": "queen", "zh": "后共边"},
    "rook": {"en": "rook", "zh": "车共边"},
    "silverman_rot": {"en": "Silverman's rule of thumb", "zh": "Silverman 经验带宽"},
    "reflection": {"en": "reflection at the bounds", "zh": "边界反射修正"},
}

#: Regions of the shipped schemes (a user-defined region gets its names from ``regions.labels``).
_REGIONS: _T = {
    "east": {"en": "East", "zh": "东部"},
    "central": {"en": "Central", "zh": "中部"},
    "west": {"en": "West", "zh": "西部"},
    "northeast": {"en": "Northeast", "zh": "东北"},
    "national": {"en": "National", "zh": "全国"},
    "nbs4": {"en": "NBS four regions", "zh": "国家统计局四大区域"},
    "belt3": {"en": "three economic belts", "zh": "三大地带"},
    "eastern": {"en": "Eastern belt", "zh": "东部地带"},
    "middle": {"en": "Central belt", "zh": "中部地带"},
    "western": {"en": "Western belt", "zh": "西部地带"},
}

#: Short statements of the claims checked (greenindex.analysis.claims).
_CLAIMS: _T = {
    "C1": {"en": "C1 The national mean rose over the window", "zh": "C1 全国均值期内上升"},
    "C2": {"en": "C2 East > central > west in every year", "zh": "C2 各年均呈东部>中部>西部"},
    "C3": {"en": "C3 The northeast gained least", "zh": "C3 东北增幅最小"},
    "C4a": {
        "en": "C4a Between-region inequality is large (Theil)",
        "zh": "C4a 区域间差异较大（泰尔指数）",
    },
    "C4b": {
        "en": "C4b Between-region inequality is large (Dagum)",
        "zh": "C4b 区域间差异较大（Dagum 基尼系数）",
    },
}

#: Monte Carlo choices (``uncertainty.choices[].name`` and the built-in factors).
_CHOICES: _T = {
    "normalisation": {"en": "Normalisation", "zh": "标准化方法"},
    "weighting": {"en": "Weighting", "zh": "赋权方法"},
    "entropy_variant": {"en": "Entropy variant", "zh": "熵权变体"},
    "aggregation": {"en": "Aggregation", "zh": "合成方法"},
    "weight_perturbation": {"en": "Weight perturbation", "zh": "权重扰动"},
    "drop_indicator": {"en": "Leave one indicator out", "zh": "剔除单一指标"},
    "first": {"en": "First order", "zh": "一阶"},
    "total": {"en": "Total", "zh": "总效应"},
}

#: Figure texts (axes, legends, map furniture).
_FIGURE: _T = {
    "no_data": {"zh": "无数据", "en": "No data"},
    "index": {"zh": "制造业绿色发展指数", "en": "Green manufacturing index"},
    "year": {"zh": "年份", "en": "Year"},
    "rank": {"zh": "排名", "en": "Rank"},
    "rank_best": {"zh": "排名（1 = 最高）", "en": "Rank (1 = highest)"},
    "density": {"zh": "核密度", "en": "Density"},
    "weight": {"zh": "权重", "en": "Weight"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "change": {"zh": "指数变化", "en": "Change in index"},
    "contribution": {"zh": "贡献率（%）", "en": "Contribution (%)"},
    "region_mean": {"zh": "区域均值", "en": "Regional mean"},
    "province_range": {"zh": "省际范围", "en": "Range of provinces"},
    "province_iqr": {"zh": "省际四分位距", "en": "Interquartile range of provinces"},
    "lisa": {"zh": "LISA 集聚", "en": "LISA clusters"},
    "review_number": {"zh": "审图号：", "en": "Map review No.: "},
    "base_map": {"zh": "底图：", "en": "Base map: "},
    "no_review_number": {"zh": "；无审图号", "en": "; no map review number"},
    "north": {"zh": "北", "en": "N"},
    "km": {"zh": "千米", "en": "km"},
    "south_china_sea": {"zh": "南海诸岛", "en": "South China Sea Islands"},
    "HH": {"zh": "高-高", "en": "High-High"},
    "LL": {"zh": "低-低", "en": "Low-Low"},
    "HL": {"zh": "高-低", "en": "High-Low"},
    "LH": {"zh": "低-高", "en": "Low-High"},
    "ns": {"zh": "不显著", "en": "Not significant"},
    "nominal": {"zh": "主方案", "en": "Main variant"},
    "mc_interval": {"zh": "蒙特卡洛 5%—95% 区间", "en": "Monte Carlo 5–95 % interval"},
    "mc_median": {"zh": "蒙特卡洛中位数", "en": "Monte Carlo median"},
    "share_holds": {
        "zh": "结论成立的模拟比例",
        "en": "Share of replications in which the claim holds",
    },
    "sobol": {"zh": "平均排名变动的 Sobol 指数", "en": "Sobol index of the mean rank shift"},
    "observed": {"zh": "观测", "en": "Observed"},
    "imputed": {"zh": "插补", "en": "Imputed"},
    "missing": {"zh": "缺失", "en": "Missing"},
    "coverage_years": {
        "zh": "每个指标块内各列依次为 {a}—{b} 年",
        "en": "Columns within each indicator block: years {a}–{b}",
    },
    "coverage_title": {
        "zh": "数据覆盖：观测、插补与缺失",
        "en": "Data coverage: observed, imputed and missing cells",
    },
    "same_as": {"zh": "同{other}", "en": "same as {other}"},
}

#: Every term, one key per term (figure texts first, so a key shared with a table header,
#: such as ``year``, reads the same in both).
GLOSSARY: _T = {}
for _group in (_HEADERS, _REPORT, _STATISTICS, _METHODS, _REGIONS, _CLAIMS, _CHOICES, _FIGURE):
    GLOSSARY.update(_group)


def _check(language: str) -> None:
    if language not in LANGUAGES:
        from greenindex.errors import ConfigError

        raise ConfigError(
            "figures.language",
            f"unknown language '{language}'",
            f"use one of {', '.join(LANGUAGES)}",
        )


def term(key: str, language: str, **fmt: object) -> str:
    """The display text of ``key`` in ``language`` (unknown keys are returned unchanged).

    Keyword arguments fill ``{placeholders}`` of the text.

    >>> term("entropy", "zh"), term("G_nb", "en"), term("Anhui", "zh")
    ('熵权法', 'Net between (G_nb)', 'Anhui')
    """
    _check(language)
    entry = GLOSSARY.get(key)
    text = entry[language] if entry else key
    return text.format(**fmt) if fmt else text


def region_label(
    region: str, language: str, labels: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """Display name of a region: ``regions.labels`` first (user-defined regions), then the glossary.

    >>> region_label("south", "zh", {"south": {"zh": "南方", "en": "South"}})
    '南方'
    >>> region_label("east", "zh")
    '东部'
    """
    _check(language)
    own = (labels or {}).get(region)
    if own and own.get(language):
        return str(own[language])
    return term(region, language)


def variant_label(variant: str, language: str, names: Mapping[str, str] | None = None) -> str:
    """Display name of a method variant: ``names`` first (in the workflow, labels derived from
    each variant's effective settings in this language, :func:`greenindex.index.describe.variant_label`),
    else the glossary (variant ids of the shipped config are method names).

    >>> variant_label("topsis", "zh"), variant_label("entropy", "en", {"entropy": "Entropy (pooled)"})
    ('熵权 TOPSIS 法', 'Entropy (pooled)')
    """
    if names and variant in names:
        return str(names[variant])
    return term(variant, language)


def terms_used(keys: list[str] | tuple[str, ...]) -> list[tuple[str, str, str]]:
    """``(key, zh, en)`` for the known keys among ``keys`` (the report's glossary table)."""
    seen = dict.fromkeys(k for k in keys if k in GLOSSARY)
    return [(k, GLOSSARY[k]["zh"], GLOSSARY[k]["en"]) for k in seen]
