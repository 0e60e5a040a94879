"""The claim-by-claim check of the seed articles' regional findings.

The seed articles report, for the analysis window (13th Five-Year Plan, 2016-2020): the
index rose overall; it falls in steps from east to central to west; the northeast progressed
slowly; regional gaps are large. :func:`check_claims` states, for each claim and each method
variant (one scores table per variant), the statistic, its value and whether it holds, and
:func:`summarise_claims` writes the result as plain sentences in English or Chinese. Nothing
is assumed to hold: every verdict is computed from the data.

Claims and their statistics (region means are unweighted means over the region's units;
``t0``/``t1`` are the first and last year of the window):

- **C1** national mean rose: :math:`\\bar y_{t1} - \\bar y_{t0} > 0` (details: in how many
  year-on-year steps it rose).
- **C2** stepwise gradient: :math:`\\min_t \\min(\\bar y_{E,t} - \\bar y_{C,t},
  \\bar y_{C,t} - \\bar y_{W,t}) > 0`, i.e. east > central > west in every window year.
- **C3** slow northeast: :math:`g_{NE} - \\min_{k \\ne NE} g_k < 0` where
  :math:`g_k = \\bar y_{k,t1} - \\bar y_{k,t0}` (or the relative change); details give the
  northeast's rank in the level at both ends.
- **C4a / C4b** large between-region inequality: the window mean of the between-region
  share of the Theil T decomposition (C4a) and of the Dagum net between-region contribution
  :math:`G_{nb}/G` (C4b) is at least ``between_share_large``; details say whether it grew or
  shrank between ``t0`` and ``t1``, give the levels beside the shares (Theil T and its
  between-region term, Gini G and :math:`G_{nb}` at both ends, so a falling share with rising
  total inequality is visible) and say why the two measures differ (:data:`WHY_DIFFER`:
  Theil's between term compares region means only; Dagum's net term is built from all
  cross-region pairs of provinces, net of transvariation, so with four regions its share is
  larger by construction). Both measures need a positive index (Theil takes logarithms).

Confidence: a stratified bootstrap over units within regions (each unit's whole time path is
resampled, with replacement, inside its region, so region sizes stay fixed); the share of
``B`` resamples in which the claim holds is reported (Efron and Tibshirani 1993, ch. 6).
Resampling duplicates units, which slightly lowers within-region spread; with three
northeastern provinces the northeast's resample distribution is coarse. Read the share as a
measure of how much a verdict rests on particular provinces, not as a p-value.

References
----------
Efron B., Tibshirani R. J. (1993), *An Introduction to the Bootstrap*, Chapman & Hall.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from greenindex.analysis.disparity import align_regions, as_wide, dagum_gini_batch, theil_batch
from greenindex.analysis.regional import role_labels
from greenindex.errors import ConfigError, InputError, MethodError

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


@dataclass(frozen=True)
class _Design:
    """A variant's window panel with units grouped by region (codes sorted)."""

    y: NDArray[np.float64]  # (n, T), units ordered by region code
    codes: NDArray[np.intp]  # (n,)
    labels: list[str]  # region labels, index = code
    years: list[int]
    units: list[str]


def _design(
    scores: pd.Series | pd.DataFrame,
    regions: pd.Series,
    window: tuple[int, int],
    column: str,
    variant: str,
) -> _Design:
    wide = as_wide(scores, column)
    years = [y for y in wide.columns if window[0] <= y <= window[1]]
    expected = list(range(window[0], window[1] + 1))
    absent = sorted(set(expected) - set(years))
    if absent:
        raise InputError(
            f"variant '{variant}': the scores have no year(s) {', '.join(map(str, absent))} of "
            f"the window {window[0]}-{window[1]}",
            column=column,
            fix="set config 'window' to years the panel covers",
        )
    wide = wide[years]
    reg = align_regions(wide.index, regions)
    labels = sorted(reg.unique())
    code_of = {lab: i for i, lab in enumerate(labels)}
    codes = reg.map(code_of).to_numpy(dtype=np.intp)
    order = np.argsort(codes, kind="stable")
    return _Design(
        y=wide.to_numpy()[order],
        codes=codes[order],
        labels=labels,
        years=years,
        units=[str(u) for u in wide.index[order]],
    )


def _resample_index(codes: NDArray[np.intp], b: int, seed: int) -> NDArray[np.intp]:
    """(b, n) row positions: within-region resampling with replacement, codes kept in place."""
    rng = np.random.default_rng(seed)
    idx = np.empty((b, codes.size), dtype=np.intp)
    for k in np.unique(codes):
        members = np.flatnonzero(codes == k)
        idx[:, members] = members[rng.integers(0, members.size, size=(b, members.size))]
    return idx


def _region_means(y: NDArray[np.float64], codes: NDArray[np.intp], k: int) -> NDArray[np.float64]:
    """(R, n, T) -> (R, K, T)."""
    m = np.zeros((codes.size, k))
    m[np.arange(codes.size), codes] = 1.0
    m /= m.sum(axis=0)
    return np.einsum("rnt,nk->rkt", y, m)


def _gain(means: NDArray[np.float64], growth: str) -> NDArray[np.float64]:
    """Change of region means between the window's ends, (R, K, T) -> (R, K)."""
    change = means[..., -1] - means[..., 0]
    return change / means[..., 0] if growth == "relative" else change


def _c1(y: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    nat = y.mean(axis=1)
    value = nat[:, -1] - nat[:, 0]
    return value, value > 0


def _c2(
    means: NDArray[np.float64], e: int, c: int, w: int
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    margin = np.minimum(means[:, e] - means[:, c], means[:, c] - means[:, w]).min(axis=-1)
    return margin, margin > 0


def _c3(
    means: NDArray[np.float64], ne: int, growth: str
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    gain = _gain(means, growth)
    others = np.delete(gain, ne, axis=1)
    value = gain[:, ne] - others.min(axis=1)
    return value, value < 0


def _between_shares(
    y: NDArray[np.float64], codes: NDArray[np.intp], which: str
) -> NDArray[np.float64]:
    """Between-region share per replicate and year, (R, n, T) -> (R, T)."""
    r, n, t = y.shape
    flat = np.moveaxis(y, 1, 2).reshape(r * t, n)
    if which == "theil":
        out = theil_batch(flat, codes)
        total, part = out["T"], out["between"]
    else:
        out = dagum_gini_batch(flat, codes)
        total, part = out["G"], out["G_nb"]
    share = np.divide(part, total, out=np.zeros_like(total), where=total > 0)
    return share.reshape(r, t)


def _fmt(x: float, digits: int = 4) -> str:
    return f"{x:+.{digits}g}" if abs(x) < 1e-3 or abs(x) >= 1e4 else f"{x:+.{digits}f}"


def _row(claim: str, variant: str, statistic: str, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "claim": claim,
        "variant": variant,
        "statement": STATEMENTS[claim]["en"],
        "statistic": statistic,
        "value": np.nan,
        "holds": pd.NA,
        "applicable": True,
        "details": "",
        "details_zh": "",
        "start_value": np.nan,
        "end_value": np.nan,
        "threshold": np.nan,
        "bootstrap_share": np.nan,
        "bootstrap_b": 0,
    }
    row.update(kw)
    return row


def _not_applicable(claim: str, variant: str, statistic: str, why: str) -> dict[str, object]:
    return _row(
        claim,
        variant,
        statistic,
        applicable=False,
        details=f"not applicable: {why}",
        details_zh=f"不适用：{why}",
    )


#: Why the Theil and Dagum between-region measures differ (claim texts of C4a / C4b).
WHY_DIFFER: dict[str, dict[str, str]] = {
    "theil": {
        "en": "Theil's between-region term is the inequality of the region means alone (every "
        "province replaced by its region's mean), so its share is large only when region means "
        "differ much relative to the spread inside regions; Dagum's net between-region term "
        "(C4b) is built from the gaps between pairs of provinces in different regions and is not "
        "on the same footing",
        "zh": "泰尔指数的区域间项只反映区域均值之间的差异（把每个省份替换为其所在区域的均值），只有区域"
        "均值差距相对区域内部离散较大时其贡献率才高；Dagum 的区域间净差异（C4b）由分属不同区域的省份"
        "两两差距构成，二者口径不同",
    },
    "dagum": {
        "en": "Dagum's net between-region term sums the gaps between provinces of different "
        "regions, net of transvariation (pairs in which the province of the lower-mean region "
        "is ahead); with four regions most pairs of provinces lie in different regions, so the "
        "within term (same-region pairs only) is small by construction and the between share "
        "comes out larger than Theil's between-region share (C4a) on the same data",
        "zh": "Dagum 的区域间净差异是分属不同区域的省份两两差距之和，并扣除了超变密度（低均值区域的省份"
        "反而更高的那些省份对）；四大区域下大多数省份对分属不同区域，仅由同一区域内省份对构成的区域内差异"
        "天然较小，因此同一数据下其区域间贡献率高于泰尔指数的区域间贡献率（C4a）",
    },
}


def _levels_text(d: _Design, which: str) -> tuple[str, str]:
    """The levels beside the shares: total inequality and the between-region part at the
    window's ends, in English and Chinese."""
    t0, t1 = d.years[0], d.years[-1]
    if which == "theil":
        out = theil_batch(d.y.T, d.codes)
        total, part = out["T"], out["between"]
        name, pname, name_zh, pname_zh = (
            "Theil T",
            "between-region part",
            "泰尔指数 T",
            "区域间部分",
        )
    else:
        out = dagum_gini_batch(d.y.T, d.codes)
        total, part = out["G"], out["G_nb"]
        name, pname = "Gini G", "net between-region part G_nb"
        name_zh, pname_zh = "基尼系数 G", "区域间净差异 G_nb"
    rel = total[-1] / total[0] - 1 if total[0] > 0 else np.nan
    word = "rose" if total[-1] > total[0] else "fell" if total[-1] < total[0] else "did not change"
    word_zh = "上升" if total[-1] > total[0] else "下降" if total[-1] < total[0] else "不变"
    en = (
        f"Levels: {name} {total[0]:.4f} in {t0}, {total[-1]:.4f} in {t1} (total inequality "
        f"{word}, {rel:+.1%}); {pname} {part[0]:.4f} in {t0}, {part[-1]:.4f} in {t1}"
    )
    zh = (
        f"水平：{name_zh} {t0} 年 {total[0]:.4f}，{t1} 年 {total[-1]:.4f}（总体差异{word_zh} "
        f"{rel:+.1%}）；{pname_zh} {t0} 年 {part[0]:.4f}，{t1} 年 {part[-1]:.4f}"
    )
    return en, zh


def _check_variant(
    variant: str,
    d: _Design,
    roles: Mapping[str, str],
    growth: str,
    threshold: float,
    bootstrap: int,
    seed: int,
) -> list[dict[str, object]]:
    k = len(d.labels)
    y0 = d.y[None]
    means = _region_means(y0, d.codes, k)
    t0, t1 = d.years[0], d.years[-1]
    boot = bootstrap > 0
    yb = d.y[_resample_index(d.codes, bootstrap, seed)] if boot else None
    means_b = _region_means(yb, d.codes, k) if boot else None
    code = {lab: i for i, lab in enumerate(d.labels)}
    rows: list[dict[str, object]] = []

    def share(holds_b: NDArray[np.bool_]) -> dict[str, object]:
        return {"bootstrap_share": float(holds_b.mean()), "bootstrap_b": bootstrap} if boot else {}

    # C1
    value, holds = _c1(y0)
    nat = d.y.mean(axis=0)
    rose = int((np.diff(nat) > 0).sum())
    rel = value[0] / nat[0] if nat[0] != 0 else np.nan
    rows.append(
        _row(
            "C1",
            variant,
            f"national mean {t1} - {t0}",
            value=float(value[0]),
            holds=bool(holds[0]),
            details=f"mean {nat[0]:.4f} in {t0}, {nat[-1]:.4f} in {t1} (relative change "
            f"{rel:+.1%}); rose in {rose} of {len(nat) - 1} year-on-year steps",
            details_zh=f"{t0} 年均值 {nat[0]:.4f}，{t1} 年 {nat[-1]:.4f}（相对变化 {rel:+.1%}）；"
            f"{len(nat) - 1} 个年际变化中有 {rose} 个上升",
            start_value=float(nat[0]),
            end_value=float(nat[-1]),
            **(share(_c1(yb)[1]) if boot else {}),
        )
    )

    # C2
    need = [roles[r] for r in ("east", "central", "west")]
    absent = [lab for lab in need if lab not in code]
    if absent:
        rows.append(
            _not_applicable(
                "C2", variant, "smallest gradient margin", f"no region labelled {', '.join(absent)}"
            )
        )
    else:
        e, c, w = (code[lab] for lab in need)
        value, holds = _c2(means, e, c, w)
        ec = means[0, e] - means[0, c]
        cw = means[0, c] - means[0, w]
        ok_years = int(((ec > 0) & (cw > 0)).sum())
        margins = "; ".join(
            f"{yr}: E-C {ec[i]:+.4f}, C-W {cw[i]:+.4f}" for i, yr in enumerate(d.years)
        )
        rows.append(
            _row(
                "C2",
                variant,
                "min over years of min(east - central, central - west)",
                value=float(value[0]),
                holds=bool(holds[0]),
                details=f"gradient in {ok_years} of {len(d.years)} years; margins {margins}",
                details_zh=f"{len(d.years)} 年中有 {ok_years} 年呈东>中>西；差值 "
                + "；".join(
                    f"{yr}：东-中 {ec[i]:+.4f}，中-西 {cw[i]:+.4f}" for i, yr in enumerate(d.years)
                ),
                **(share(_c2(means_b, e, c, w)[1]) if boot else {}),
            )
        )

    # C3
    ne_label = roles["northeast"]
    if ne_label not in code or k < 2:
        rows.append(
            _not_applicable(
                "C3",
                variant,
                "northeast gain - smallest other gain",
                f"no region labelled '{ne_label}' (or only one region) in the scheme",
            )
        )
    else:
        ne = code[ne_label]
        value, holds = _c3(means, ne, growth)
        gain = _gain(means, growth)[0]
        gain_rank = int((gain > gain[ne]).sum()) + 1
        lvl0 = int((means[0, :, 0] > means[0, ne, 0]).sum()) + 1
        lvl1 = int((means[0, :, -1] > means[0, ne, -1]).sum()) + 1
        gains = ", ".join(
            f"{d.labels[j]} {_fmt(gain[j])}" for j in np.argsort(-gain, kind="stable")
        )
        rows.append(
            _row(
                "C3",
                variant,
                f"{growth} gain {t0}-{t1}: northeast - smallest other region",
                value=float(value[0]),
                holds=bool(holds[0]),
                details=f"{growth} gains: {gains}; the northeast ranks {gain_rank} of {k} in "
                f"gain, {lvl0} of {k} in level in {t0} and {lvl1} of {k} in {t1} (1 = highest)",
                details_zh=("绝对" if growth == "absolute" else "相对")
                + "增幅："
                + "，".join(
                    f"{_REGION_ZH.get(d.labels[j], d.labels[j])} {_fmt(gain[j])}"
                    for j in np.argsort(-gain, kind="stable")
                )
                + f"；东北增幅居 {k} 个区域第 {gain_rank} 位，水平在 {t0} 年居第 {lvl0} 位、"
                f"{t1} 年居第 {lvl1} 位（1 = 最高）",
                start_value=float(means[0, ne, 0]),
                end_value=float(means[0, ne, -1]),
                **(share(_c3(means_b, ne, growth)[1]) if boot else {}),
            )
        )

    # C4
    for claim, which, name in (("C4a", "theil", "Theil"), ("C4b", "dagum", "Dagum")):
        statistic = (
            "window mean of Theil between-region share"
            if which == "theil"
            else "window mean of Dagum net between-region share G_nb/G"
        )
        if k < 2:
            rows.append(
                _not_applicable(claim, variant, statistic, "the scheme has a single region")
            )
            continue
        try:
            shares = _between_shares(y0, d.codes, which)[0]
        except MethodError as err:
            rows.append(_not_applicable(claim, variant, statistic, str(err)))
            continue
        mean_share = float(shares.mean())
        change = shares[-1] - shares[0]
        trend = "grew" if change > 0 else "shrank" if change < 0 else "did not change"
        extra = extra_zh = ""
        levels, levels_zh = _levels_text(d, which)
        if which == "dagum":
            out = dagum_gini_batch(d.y.T, d.codes)
            parts = np.stack([out["G_w"], out["G_nb"], out["G_t"]])
            n_largest = int((parts.argmax(axis=0) == 1).sum())
            extra = (
                f"; the net between-region term is the largest of the three Dagum "
                f"components in {n_largest} of {len(d.years)} years"
            )
            extra_zh = f"；{len(d.years)} 年中有 {n_largest} 年区域间净差异是三项中最大的来源"
        extra += f". {levels}. {WHY_DIFFER[which]['en']}"
        extra_zh += f"。{levels_zh}。{WHY_DIFFER[which]['zh']}"
        boot_kw: dict[str, object] = {}
        if boot:
            sb = _between_shares(yb, d.codes, which).mean(axis=1)
            boot_kw = share(sb >= threshold)
        rows.append(
            _row(
                claim,
                variant,
                statistic,
                value=mean_share,
                holds=bool(mean_share >= threshold),
                details=f"{name} between-region share {shares[0]:.1%} in {t0}, "
                f"{shares[-1]:.1%} in {t1} ({trend}, {change * 100:+.1f} points); "
                f"window range {shares.min():.1%}-{shares.max():.1%}; "
                f"'large' means at least {threshold:.0%}{extra}",
                details_zh=f"{ {'Theil': '泰尔指数', 'Dagum': 'Dagum 基尼系数'}[name] }区域间贡献率 {t0} 年 {shares[0]:.1%}，{t1} 年 {shares[-1]:.1%}"
                f"（{'上升' if change > 0 else '下降' if change < 0 else '不变'}"
                f" {change * 100:+.1f} 个百分点）；期内范围 {shares.min():.1%}-{shares.max():.1%}；"
                f"“较大”定义为不低于 {threshold:.0%}{extra_zh}",
                start_value=float(shares[0]),
                end_value=float(shares[-1]),
                threshold=threshold,
                **boot_kw,
            )
        )
    for r in rows:
        r["statement"] = STATEMENTS[r["claim"]]["en"]
    return rows


def check_claims(
    scores_by_variant: Mapping[str, pd.Series | pd.DataFrame],
    regions: pd.Series,
    window: Sequence[int] = (2016, 2020),
    column: str = "index",
    region_labels: Mapping[str, str] | None = None,
    growth: str = "absolute",
    between_share_large: float = 0.5,
    bootstrap: int = 1000,
    seed: int = 20160101,
) -> pd.DataFrame:
    """Check each seed-article claim under each method variant.

    Parameters
    ----------
    scores_by_variant
        ``{variant: scores}``: one scores panel per method variant (e.g. pooled entropy,
        PCA, CRITIC, equal weights, entropy-TOPSIS), indexed by ``(unit, year)`` or with
        ``unit``/``year`` columns.
    regions
        Series ``unit -> region label``.
    window
        ``(first year, last year)`` of the analysis window; every year must be present.
    column
        Node analysed (the root ``index``).
    region_labels
        Labels of the roles ``east``, ``central``, ``west``, ``northeast`` in the scheme
        (default: the labels themselves). A claim whose regions are absent from the scheme
        gets a row with ``applicable == False``.
    growth
        ``"absolute"`` (default) or ``"relative"`` change of region means for C3.
    between_share_large
        Threshold of C4: the between-region share is "large" if its window mean is at least
        this value (default 0.5: the between-region part is at least half the total).
    bootstrap
        Number ``B`` of within-region bootstrap resamples (0 to skip).
    seed
        Seed of the resampling (the same resamples are used for every variant).

    Returns
    -------
    pandas.DataFrame
        One row per (claim, variant) with the columns :data:`COLUMNS`; ``holds`` is a nullable
        boolean (NA when not applicable).
    """
    if not scores_by_variant:
        raise ConfigError("claims.variants", "no method variant was given", "list at least one")
    if len(window) != 2 or int(window[0]) > int(window[1]):
        raise ConfigError("window", f"invalid window {window}", "give start <= end")
    if int(window[0]) == int(window[1]):
        raise ConfigError(
            "window",
            "the window has a single year; claims compare its ends",
            "set window.end after window.start",
        )
    if growth not in _GROWTH:
        raise ConfigError("claims.growth", f"unknown growth '{growth}'", f"use one of {_GROWTH}")
    if not 0 <= between_share_large <= 1:
        raise ConfigError(
            "claims.between_share_large",
            f"{between_share_large} is not a share",
            "give a number between 0 and 1",
        )
    if bootstrap < 0:
        raise ConfigError(
            "claims.bootstrap", "the number of resamples is negative", "use 0 or more"
        )
    roles = {**DEFAULT_REGION_LABELS, **(region_labels or {})}
    win = (int(window[0]), int(window[1]))
    rows: list[dict[str, object]] = []
    for variant, scores in scores_by_variant.items():
        d = _design(scores, regions, win, column, str(variant))
        rows += _check_variant(
            str(variant), d, roles, growth, float(between_share_large), int(bootstrap), seed
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["holds"] = table["holds"].astype("boolean")
    table["applicable"] = table["applicable"].astype(bool)
    table["bootstrap_b"] = table["bootstrap_b"].astype(int)
    order = {c: i for i, c in enumerate(STATEMENTS)}
    vorder = {str(v): i for i, v in enumerate(scores_by_variant)}
    table = table.sort_values(
        ["claim", "variant"], key=lambda s: s.map(order if s.name == "claim" else vorder)
    )
    return table.reset_index(drop=True)


# -- summary --------------------------------------------------------------------------------
_WORDS = {
    "en": {
        "title": "Check of the seed articles' regional findings",
        "holds": "holds",
        "fails": "does NOT hold: the data do not support this claim",
        "na": "cannot be checked",
        "value": "value",
        "boot": "holds in {p:.0%} of {b} bootstrap resamples of provinces within regions",
        "verdict": "Verdict: supported under {k} of {m} method variants",
        "none": "Verdict: not supported under any method variant",
        "all": "Verdict: supported under all {m} method variants",
        "notunder": "; not under {names}",
        "sep": "; ",
        "end": ".",
        "open": " (",
        "close": ")",
    },
    "zh": {
        "title": "种子文献区域结论的逐条检验",
        "holds": "成立",
        "fails": "不成立：数据不支持该结论",
        "na": "无法检验",
        "value": "统计量",
        "boot": "在 {b} 次区域内省份自助抽样中有 {p:.0%} 成立",
        "verdict": "结论：{m} 种方法中有 {k} 种支持",
        "none": "结论：所有方法均不支持",
        "all": "结论：全部 {m} 种方法均支持",
        "notunder": "；{names} 不支持",
        "sep": "；",
        "end": "。",
        "open": "（",
        "close": "）",
    },
}


def summarise_claims(
    table: pd.DataFrame,
    language: str = "en",
    variant_names: Mapping[str, str] | None = None,
) -> str:
    """Plain-language (Markdown) summary of a claim table from :func:`check_claims`.

    Parameters
    ----------
    table
        The claim table.
    language
        ``"en"`` or ``"zh"``.
    variant_names
        Display names of the variants (default: the variant ids).

    Returns
    -------
    str
        A Markdown section: per claim its statement, one bullet per variant saying plainly
        whether it holds (with the statistic, details and bootstrap share), and a verdict line
        counting the variants under which the claim holds.
    """
    if language not in _WORDS:
        raise ConfigError("figures.language", f"unknown language '{language}'", "use 'en' or 'zh'")
    w = _WORDS[language]
    names = dict(variant_names or {})
    lines = [f"## {w['title']}", ""]
    for claim in [c for c in STATEMENTS if c in set(table["claim"])]:
        sub = table[table["claim"] == claim]
        lines.append(f"**{claim}**: {STATEMENTS[claim][language]}")
        lines.append("")
        for _, r in sub.iterrows():
            name = names.get(r["variant"], r["variant"])
            details = r["details_zh"] if language == "zh" else r["details"]
            if not r["applicable"] or pd.isna(r["holds"]):
                lines.append(f"- {name}: {w['na']} ({details})")
                continue
            verdict = w["holds"] if bool(r["holds"]) else w["fails"]
            statistic = _STATISTIC_ZH[claim] if language == "zh" else r["statistic"]
            parts = [f"{statistic} = {_fmt(float(r['value']))}", str(details)]
            if r["bootstrap_b"] > 0 and not pd.isna(r["bootstrap_share"]):
                parts.append(w["boot"].format(p=r["bootstrap_share"], b=int(r["bootstrap_b"])))
            lines.append(
                f"- {name}: {verdict}{w['open']}{w['sep'].join(parts)}{w['close']}{w['end']}"
            )
        ok = sub[sub["applicable"]]
        k, m = int(ok["holds"].fillna(False).sum()), len(ok)
        if m:
            if k == m:
                verdict_line = w["all"].format(m=m)
            elif k == 0:
                verdict_line = w["none"]
            else:
                failing = ", ".join(
                    names.get(v, v)
                    for v in ok.loc[~ok["holds"].fillna(False).astype(bool), "variant"]
                )
                verdict_line = w["verdict"].format(k=k, m=m) + w["notunder"].format(names=failing)
            lines += ["", verdict_line + w["end"]]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- the claims for a batch of score panels (the Monte Carlo) ----------------------------------
#: The claims :func:`claims_batch` evaluates, in the order of its columns.
CLAIMS = ("C1", "C2", "C3", "C4a", "C4b")


@dataclass(frozen=True)
class ClaimSetup:
    """What :func:`claims_batch` needs besides the scores.

    Attributes
    ----------
    region
        Region label of each row of the panel.
    year
        Year of each row.
    unit
        Unit of each row.
    window
        ``(start, end)`` years of the analysis window.
    roles
        Labels of the roles ``east``, ``central``, ``west``, ``northeast`` in the scheme
        (:func:`greenindex.analysis.regional.role_labels`).
    growth
        C3: ``absolute`` or ``relative`` change of region means.
    between_share_large
        C4a/C4b: minimum window mean of the between-region share.
    """

    region: np.ndarray
    year: np.ndarray
    unit: np.ndarray
    window: tuple[int, int]
    roles: Mapping[str, str] = field(default_factory=role_labels)
    growth: str = "absolute"
    between_share_large: float = 0.5


def _window_cube(S: np.ndarray, setup: ClaimSetup) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Scores ``(R, rows)`` -> ``(R, n_units, T)`` over the window; region code per unit."""
    start, end = setup.window
    years = list(range(start, end + 1))
    have = {int(y) for y in setup.year}
    absent = [y for y in years if y not in have]
    if absent:
        raise InputError(
            f"the panel has no year(s) {absent} of the analysis window {start}-{end}",
            fix="set window.start and window.end to years in the panel.",
        )
    sel = np.flatnonzero(np.isin(setup.year, years) & (setup.region != ""))
    units = sorted({str(u) for u in setup.unit[sel]})
    labels = sorted({str(g) for g in setup.region[sel]})
    ui = {u: k for k, u in enumerate(units)}
    pos = np.full((len(units), len(years)), -1)
    reg = np.zeros(len(units), dtype=np.intp)
    for r in sel:
        k = ui[str(setup.unit[r])]
        pos[k, years.index(int(setup.year[r]))] = r
        reg[k] = labels.index(str(setup.region[r]))
    cube = np.where(pos >= 0, S[:, np.maximum(pos, 0)], np.nan)
    return cube, reg, labels


def claims_batch(scores: np.ndarray, setup: ClaimSetup) -> np.ndarray:
    """The claims for each of ``R`` score panels, ``(R, 5)`` in :data:`CLAIMS` order (1 = holds,
    0 = fails, NaN = undefined or not applicable).

    The statistics are those of :func:`check_claims`, computed by the same functions
    (:func:`_c1`, :func:`_c2`, :func:`_c3` on the region means, :func:`_between_shares` for
    C4a/C4b), so the Monte Carlo and the finding check share one implementation. A replication
    with a missing score in the window gets NaN for every claim; one with a negative score gets
    NaN for C4a/C4b (the inequality measures need values >= 0).
    """
    cube, codes, labels = _window_cube(np.asarray(scores, dtype=float), setup)
    R, n, _ = cube.shape
    out = np.full((R, len(CLAIMS)), np.nan)
    ok = np.isfinite(cube).all(axis=(1, 2))
    if not ok.any() or n == 0:
        return out
    y = cube[ok]
    means = _region_means(y, codes, len(labels))
    code = {g: k for k, g in enumerate(labels)}
    res = np.full((len(y), len(CLAIMS)), np.nan)
    res[:, 0] = _c1(y)[1]
    e, c, w = (code.get(setup.roles[r]) for r in ("east", "central", "west"))
    if None not in (e, c, w):
        res[:, 1] = _c2(means, e, c, w)[1]  # type: ignore[arg-type]
    ne = code.get(setup.roles["northeast"])
    if ne is not None and len(labels) >= 2:
        res[:, 2] = _c3(means, ne, setup.growth)[1]
    if len(labels) >= 2:
        nonneg = (y >= 0).all(axis=(1, 2)) & (y.sum(axis=1) > 0).all(axis=1)
        if nonneg.any():
            for k, which in enumerate(("theil", "dagum")):
                share = _between_shares(y[nonneg], codes, which)
                res[nonneg, 3 + k] = share.mean(axis=1) >= setup.between_share_large
    out[ok] = res
    return out
