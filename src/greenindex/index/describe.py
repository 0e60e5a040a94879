"""Labels of a method variant derived from its effective settings (never from its name).

A variant's display label is built from the merged ``normalise``, ``weights`` and
``aggregate`` sections that produced its numbers, so that a label cannot outlive a change of
the base config: after ``weights.method: critic`` in the base, a variant with no overrides is
labelled "CRITIC ..." whatever its key. A name given in ``claims.variant_names`` is shown in
front of the derived description, never instead of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_SCHEME = {
    "en": {
        "entropy": "Entropy",
        "pca": "PCA",
        "critic": "CRITIC",
        "equal": "Equal weights",
        "framework": "Framework weights",
        "user": "Framework weights",
    },
    "zh": {
        "entropy": "熵权",
        "pca": "主成分",
        "critic": "CRITIC",
        "equal": "等权",
        "framework": "框架权重",
        "user": "框架权重",
    },
}
_LEVEL = {
    "en": {"global": "global", "within_parent": "within dimensions"},
    "zh": {"global": "全局", "within_parent": "维度内"},
}
_NORM = {
    "en": {
        "minmax": "min-max",
        "zscore": "z-score",
        "rank": "rank",
        "percentile": "percentile rank",
        "distance": "distance to reference",
    },
    "zh": {
        "minmax": "极差标准化",
        "zscore": "Z 分数",
        "rank": "排序",
        "percentile": "百分位",
        "distance": "距参照值",
    },
}
_AGG = {
    "en": {
        "arithmetic": "arithmetic mean",
        "geometric": "geometric mean",
        "harmonic": "harmonic mean",
        "topsis": "TOPSIS",
    },
    "zh": {
        "arithmetic": "算术平均",
        "geometric": "几何平均",
        "harmonic": "调和平均",
        "topsis": "TOPSIS",
    },
}
_WORDS = {
    "en": {"per_year": "per-year", "sep": ", ", "part": "; ", "open": " (", "close": ")"},
    "zh": {"per_year": "逐年", "sep": "，", "part": "；", "open": "（", "close": "）"},
}


def _num(x: object) -> str:
    return f"{float(x):g}"  # type: ignore[arg-type]


def describe_weights(weights: Mapping[str, Any], language: str = "en") -> str:
    """The weighting part of a label, e.g. ``"Entropy (global)"`` or
    ``"CRITIC (within dimensions, structure x2)"``."""
    w = _WORDS[language]
    scheme = str(weights.get("method", "entropy"))
    name = _SCHEME[language].get(scheme, scheme)
    bits: list[str] = []
    if scheme in ("entropy", "pca", "critic", "equal"):
        bits.append(_LEVEL[language].get(str(weights.get("level", "global")), ""))
    if scheme == "entropy":
        variant = str((weights.get("entropy") or {}).get("variant", "zero_log_zero"))
        if variant != "zero_log_zero":
            bits.append(variant.replace("_", " "))
    if scheme == "pca":
        bits.append(str((weights.get("pca") or {}).get("convention", "variance_loadings")))
    if str(weights.get("scope", "pooled")) == "year" and scheme not in ("framework", "user"):
        bits.append(w["per_year"])
    comb = weights.get("combine") or {}
    if comb.get("with"):
        other = _SCHEME[language].get(str(comb["with"]), str(comb["with"]))
        bits.append(f"+ {other} {comb.get('how', 'linear')} {_num(comb.get('alpha', 0.5))}")
    user = weights.get("user") or {}
    bits += [f"{k} x{_num(v)}" for k, v in sorted(user.items())]
    bits = [b for b in bits if b]
    return name + (w["open"] + w["sep"].join(bits) + w["close"] if bits else "")


def describe_methods(methods: Mapping[str, Any], language: str = "en") -> str:
    """Label of a variant from its merged method sections.

    Parameters
    ----------
    methods
        ``{"normalise": ..., "weights": ..., "aggregate": ...}`` as returned by
        :func:`greenindex.config.variant_config` (the base config with the variant's
        overrides).
    language
        ``"en"`` or ``"zh"``.

    Examples
    --------
    >>> describe_methods({"normalise": {"method": "minmax", "range": [0, 100]},
    ...                   "weights": {"method": "critic", "level": "within_parent"},
    ...                   "aggregate": {"method": "arithmetic"}})
    'CRITIC (within dimensions); min-max [0, 100]; arithmetic mean'
    """
    w = _WORDS[language]
    norm = dict(methods.get("normalise") or {})
    nm = str(norm.get("method", "minmax"))
    ntext = _NORM[language].get(nm, nm)
    if nm == "minmax":
        lo, hi = norm.get("range", [0, 100])
        ntext += f" [{_num(lo)}, {_num(hi)}]"
    if str(norm.get("scope", "pooled")) == "year":
        ntext += f" {w['per_year']}"
    agg = (methods.get("aggregate") or {}).get("method", "arithmetic")
    if isinstance(agg, Mapping):
        atext = w["sep"].join(
            f"{k}: {_AGG[language].get(str(v), str(v))}" for k, v in sorted(agg.items())
        )
    else:
        atext = _AGG[language].get(str(agg), str(agg))
    parts = [describe_weights(methods.get("weights") or {}, language), ntext, atext]
    if (methods.get("aggregate") or {}).get("cells", "all") == "observed":
        parts.append("observed cells only" if language == "en" else "仅实际观测值")
    return w["part"].join(parts)


def variant_label(methods: Mapping[str, Any], language: str = "en", name: str | None = None) -> str:
    """Display label of a variant: the derived description, after ``name`` when one is given
    (``claims.variant_names``)."""
    text = describe_methods(methods, language)
    if not name:
        return text
    w = _WORDS[language]
    return f"{name}{w['open']}{text}{w['close']}"


def short_labels(labels: Mapping[str, str], language: str = "en") -> dict[str, str]:
    """Labels without the parts every variant shares (for chart legends), e.g. the common
    "min-max [0, 100]" is dropped and "Entropy (within dimensions); TOPSIS" kept."""
    sep = _WORDS[language]["part"]
    parts = {v: str(t).split(sep) for v, t in labels.items()}
    if len(parts) < 2:
        return dict(labels)
    common = set.intersection(*(set(p) for p in parts.values()))
    out = {}
    for v, p in parts.items():
        kept = [x for x in p if x not in common]
        out[v] = sep.join(kept) if kept else str(labels[v])
    return out
