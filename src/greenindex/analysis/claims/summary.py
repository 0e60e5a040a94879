"""The claim table as plain sentences in English or Chinese (:func:`summarise_claims`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from greenindex.analysis.claims.statements import (
    _STATISTIC_ZH,
    STATEMENTS,
    _fmt,
)
from greenindex.errors import ConfigError

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
