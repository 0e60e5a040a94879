"""The claim table of single runs: :func:`check_claims` (one scores table per variant)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from greenindex.analysis.claims.statements import (
    _GROWTH,
    _REGION_ZH,
    COLUMNS,
    DEFAULT_REGION_LABELS,
    STATEMENTS,
    _fmt,
)
from greenindex.analysis.claims.statistics import (
    _between_shares,
    _c1,
    _c2,
    _c3,
    _Design,
    _design,
    _gain,
    _region_means,
    _resample_index,
)
from greenindex.analysis.disparity import dagum_gini_batch, theil_batch
from greenindex.errors import ConfigError, MethodError


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


@dataclass(frozen=True)
class _Run:
    """One variant's panel with what every claim of :func:`_check_variant` reads: region means
    (``(1, k, T)``) and, with ``bootstrap > 0``, the resampled panel and its region means."""

    variant: str
    d: _Design
    means: NDArray[np.float64]
    yb: NDArray[np.float64] | None
    means_b: NDArray[np.float64] | None
    bootstrap: int

    @property
    def boot(self) -> bool:
        return self.bootstrap > 0

    @property
    def code(self) -> dict[str, int]:
        return {lab: i for i, lab in enumerate(self.d.labels)}

    def share(self, holds_b: NDArray[np.bool_]) -> dict[str, object]:
        if not self.boot:
            return {}
        return {"bootstrap_share": float(holds_b.mean()), "bootstrap_b": self.bootstrap}

    def claim_row(
        self,
        claim: str,
        statistic: str,
        observed: tuple[NDArray[np.float64], NDArray[np.bool_]],
        resampled: Callable[[], tuple[NDArray[np.float64], NDArray[np.bool_]]],
        **kw: object,
    ) -> dict[str, object]:
        """The row of a claim whose statistic gives ``(values, holds)`` per replication:
        ``observed`` on the panel itself (one replication), ``resampled`` on the bootstrap
        resamples (called only with ``bootstrap > 0``), ``kw`` the other columns."""
        value, holds = observed
        return _row(
            claim,
            self.variant,
            statistic,
            value=float(value[0]),
            holds=bool(holds[0]),
            **kw,
            **(self.share(resampled()[1]) if self.boot else {}),
        )


def _claim_c1(r: _Run) -> dict[str, object]:
    """C1: the national mean at the window's end against its start."""
    d = r.d
    t0, t1 = d.years[0], d.years[-1]
    observed = _c1(d.y[None])
    nat = d.y.mean(axis=0)
    rose = int((np.diff(nat) > 0).sum())
    rel = observed[0][0] / nat[0] if nat[0] != 0 else np.nan
    return r.claim_row(
        "C1",
        f"national mean {t1} - {t0}",
        observed,
        lambda: _c1(r.yb),
        details=f"mean {nat[0]:.4f} in {t0}, {nat[-1]:.4f} in {t1} (relative change "
        f"{rel:+.1%}); rose in {rose} of {len(nat) - 1} year-on-year steps",
        details_zh=f"{t0} 年均值 {nat[0]:.4f}，{t1} 年 {nat[-1]:.4f}（相对变化 {rel:+.1%}）；"
        f"{len(nat) - 1} 个年际变化中有 {rose} 个上升",
        start_value=float(nat[0]),
        end_value=float(nat[-1]),
    )


def _claim_c2(r: _Run, roles: Mapping[str, str]) -> dict[str, object]:
    """C2: the east > central > west gradient in every year."""
    d, means, code = r.d, r.means, r.code
    need = [roles[role] for role in ("east", "central", "west")]
    absent = [lab for lab in need if lab not in code]
    if absent:
        return _not_applicable(
            "C2", r.variant, "smallest gradient margin", f"no region labelled {', '.join(absent)}"
        )
    e, c, w = (code[lab] for lab in need)
    ec = means[0, e] - means[0, c]
    cw = means[0, c] - means[0, w]
    ok_years = int(((ec > 0) & (cw > 0)).sum())
    margins = "; ".join(f"{yr}: E-C {ec[i]:+.4f}, C-W {cw[i]:+.4f}" for i, yr in enumerate(d.years))
    return r.claim_row(
        "C2",
        "min over years of min(east - central, central - west)",
        _c2(means, e, c, w),
        lambda: _c2(r.means_b, e, c, w),
        details=f"gradient in {ok_years} of {len(d.years)} years; margins {margins}",
        details_zh=f"{len(d.years)} 年中有 {ok_years} 年呈东>中>西；差值 "
        + "；".join(
            f"{yr}：东-中 {ec[i]:+.4f}，中-西 {cw[i]:+.4f}" for i, yr in enumerate(d.years)
        ),
    )


def _claim_c3(r: _Run, roles: Mapping[str, str], growth: str) -> dict[str, object]:
    """C3: the northeast's gain against the smallest gain of the other regions."""
    d, means, code = r.d, r.means, r.code
    t0, t1 = d.years[0], d.years[-1]
    k = len(d.labels)
    ne_label = roles["northeast"]
    if ne_label not in code or k < 2:
        return _not_applicable(
            "C3",
            r.variant,
            "northeast gain - smallest other gain",
            f"no region labelled '{ne_label}' (or only one region) in the scheme",
        )
    ne = code[ne_label]
    gain = _gain(means, growth)[0]
    gain_rank = int((gain > gain[ne]).sum()) + 1
    lvl0 = int((means[0, :, 0] > means[0, ne, 0]).sum()) + 1
    lvl1 = int((means[0, :, -1] > means[0, ne, -1]).sum()) + 1
    gains = ", ".join(f"{d.labels[j]} {_fmt(gain[j])}" for j in np.argsort(-gain, kind="stable"))
    return r.claim_row(
        "C3",
        f"{growth} gain {t0}-{t1}: northeast - smallest other region",
        _c3(means, ne, growth),
        lambda: _c3(r.means_b, ne, growth),
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
    )


def _claim_c4(r: _Run, claim: str, which: str, name: str, threshold: float) -> dict[str, object]:
    """C4a / C4b: the window mean of the Theil or Dagum between-region share against
    ``threshold``."""
    variant, d, yb, boot, share = r.variant, r.d, r.yb, r.boot, r.share
    t0, t1 = d.years[0], d.years[-1]
    k = len(d.labels)
    y0 = d.y[None]
    statistic = (
        "window mean of Theil between-region share"
        if which == "theil"
        else "window mean of Dagum net between-region share G_nb/G"
    )
    if k < 2:
        return _not_applicable(claim, variant, statistic, "the scheme has a single region")
    try:
        shares = _between_shares(y0, d.codes, which)[0]
    except MethodError as err:
        return _not_applicable(claim, variant, statistic, str(err))
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
    return _row(
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
    boot = bootstrap > 0
    yb = d.y[_resample_index(d.codes, bootstrap, seed)] if boot else None
    r = _Run(
        variant,
        d,
        _region_means(d.y[None], d.codes, k),
        yb,
        _region_means(yb, d.codes, k) if boot else None,
        bootstrap,
    )
    rows = [_claim_c1(r), _claim_c2(r, roles), _claim_c3(r, roles, growth)]
    for claim, which, name in (("C4a", "theil", "Theil"), ("C4b", "dagum", "Dagum")):
        rows.append(_claim_c4(r, claim, which, name, threshold))
    for row in rows:
        row["statement"] = STATEMENTS[row["claim"]]["en"]
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
    _check_settings(window, growth, between_share_large, bootstrap)
    roles = {**DEFAULT_REGION_LABELS, **(region_labels or {})}
    win = (int(window[0]), int(window[1]))
    rows: list[dict[str, object]] = []
    for variant, scores in scores_by_variant.items():
        d = _design(scores, regions, win, column, str(variant))
        rows += _check_variant(
            str(variant), d, roles, growth, float(between_share_large), int(bootstrap), seed
        )
    return _claim_table(rows, [str(v) for v in scores_by_variant])


def _check_settings(
    window: Sequence[int], growth: str, between_share_large: float, bootstrap: int
) -> None:
    """Reject a window that is not two ordered, distinct years, an unknown growth, a threshold
    outside [0, 1] and a negative number of resamples."""
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


def _claim_table(rows: list[dict[str, object]], variants: Sequence[str]) -> pd.DataFrame:
    """The claim rows as a table of the columns :data:`COLUMNS` with their dtypes, sorted by
    claim (in the order of :data:`STATEMENTS`) and by variant (in the order of ``variants``)."""
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["holds"] = table["holds"].astype("boolean")
    table["applicable"] = table["applicable"].astype(bool)
    table["bootstrap_b"] = table["bootstrap_b"].astype(int)
    order = {c: i for i, c in enumerate(STATEMENTS)}
    vorder = {v: i for i, v in enumerate(variants)}
    table = table.sort_values(
        ["claim", "variant"], key=lambda s: s.map(order if s.name == "claim" else vorder)
    )
    return table.reset_index(drop=True)
