"""The uncertainty specification: the uncertain choices, weight noise, dropped indicators,
read from the ``uncertainty`` config section (defaults from the schema)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from greenindex.errors import ConfigError

STAGES = ("treat", "normalise", "weights", "aggregate")
#: Stage of the choices known by name (a choice may also name its stage explicitly).
KNOWN_CHOICES = {
    "normalisation": "normalise",
    "normalise": "normalise",
    "weighting": "weights",
    "weights": "weights",
    "entropy_variant": "weights",
    "pca_convention": "weights",
    "aggregation": "aggregate",
    "aggregate": "aggregate",
    "imputation": "treat",
    "impute": "treat",
    "outliers": "treat",
}
#: How a plain string option is read for each known choice (default: ``{"method": s}``).
_STRING_OPTION: dict[str, Callable[[str], dict[str, Any]]] = {
    "entropy_variant": lambda s: {"entropy": {"variant": s}},
    "pca_convention": lambda s: {"pca": {"convention": s}},
    "imputation": lambda s: {"impute": {"method": s}},
    "impute": lambda s: {"impute": {"method": s}},
    "outliers": lambda s: {"outliers": {"method": s}},
}
#: Aggregations evaluated for a whole batch at once; others (TOPSIS) run once per replication.


# -- the uncertainty specification -------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    """One uncertain modelling choice.

    Attributes
    ----------
    name
        Name shown in the outputs (e.g. ``normalisation``).
    stage
        Stage the options override: one of :data:`STAGES`.
    options
        Each option is a partial config section of that stage, deep-merged over the nominal
        section (e.g. ``{"method": "zscore", "mean": 10, "sd": 2}`` for ``normalise``).
    labels
        Short label of each option.
    """

    name: str
    stage: str
    options: tuple[Mapping[str, Any], ...]
    labels: tuple[str, ...]

    @classmethod
    def from_config(cls, item: Mapping[str, Any], key: str = "uncertainty.choices") -> Choice:
        """Build a choice from ``{name, stage?, options, labels?}``; plain-string options are
        read as ``{method: s}`` (``entropy_variant``: ``{entropy: {variant: s}}``)."""
        if not isinstance(item, Mapping) or "name" not in item or "options" not in item:
            raise ConfigError(key, f"each choice needs 'name' and 'options', got {item!r}")
        name = str(item["name"])
        stage = str(item.get("stage") or KNOWN_CHOICES.get(name, ""))
        if stage not in STAGES:
            raise ConfigError(
                f"{key}.{name}.stage",
                f"choice '{name}' has no known stage (got '{stage}')",
                f"add 'stage:' with one of {STAGES}, or use a known name {sorted(KNOWN_CHOICES)}.",
            )
        raw = list(item["options"])
        if len(raw) < 2:
            raise ConfigError(
                f"{key}.{name}.options", "an uncertain choice needs at least two options"
            )
        to_dict = _STRING_OPTION.get(name, lambda s: {"method": s})
        opts = tuple(dict(o) if isinstance(o, Mapping) else to_dict(str(o)) for o in raw)
        labels = item.get("labels")
        if labels is None:
            labels = [o if isinstance(o, str) else _label(o) for o in raw]
        if len(labels) != len(opts):
            raise ConfigError(f"{key}.{name}.labels", "needs one label per option")
        return cls(name=name, stage=stage, options=opts, labels=tuple(str(s) for s in labels))


def _label(option: Mapping[str, Any]) -> str:
    flat = _flatten(option)
    return ",".join(
        f"{v}" if k.endswith(("method", "variant")) else f"{k}={v}" for k, v in flat.items()
    )


def _flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, Mapping):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


@dataclass(frozen=True)
class WeightNoise:
    """Weights multiplied by a uniform factor in ``[1 - fraction, 1 + fraction]``.

    ``levels`` are framework levels (1 = indicators, 2 = dimensions, ...); every non-root node
    of those levels gets its own independent factor.
    """

    fraction: float = 0.25
    levels: tuple[int, ...] = (2,)

    def __post_init__(self) -> None:
        if not 0 <= self.fraction < 1:
            raise ConfigError(
                "uncertainty.weight_perturbation.fraction",
                f"must lie in [0, 1), got {self.fraction}",
                "give e.g. 0.25 for +-25 %.",
            )


@dataclass(frozen=True)
class UncertaintySpec:
    """What varies, and how the nominal index is built.

    Attributes
    ----------
    nominal
        Config section of each stage for the nominal build (``treat`` may be ``None``: the
        data are used as given).
    choices
        The uncertain choices.
    weight_noise
        Weight perturbation, or ``None``.
    drop_indicator
        Whether one indicator at a time may be left out.
    seed
        Seed of the whole analysis.
    """

    nominal: Mapping[str, Mapping[str, Any] | None]
    choices: tuple[Choice, ...] = ()
    weight_noise: WeightNoise | None = None
    drop_indicator: bool = False
    seed: int = 1

    def factor_names(self) -> list[str]:
        """Names of the Sobol factors: the choices, then ``weights_noise``, ``drop_indicator``."""
        names = [c.name for c in self.choices]
        if self.weight_noise is not None and self.weight_noise.fraction > 0:
            names.append("weight_perturbation")
        if self.drop_indicator:
            names.append("drop_indicator")
        return names


# -- config --------------------------------------------------------------------------------------
def _with_defaults(section: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ``uncertainty`` section with the schema's defaults (the only place they live)."""
    from greenindex.index.pipeline import with_defaults

    return with_defaults("uncertainty", section)


def spec_from_config(
    section: Mapping[str, Any] | None, config: Mapping[str, Any]
) -> UncertaintySpec:
    """The :class:`UncertaintySpec` from the ``uncertainty`` section and the nominal method
    sections (``treat``, ``normalise``, ``weights``, ``aggregate``) of the whole config.

    The nominal ``treat`` section is applied only when a choice varies the treatment (the
    workflow passes treated data otherwise)."""
    sec = _with_defaults(section)
    choices = tuple(Choice.from_config(c) for c in (sec.get("choices") or []))
    names = [c.name for c in choices]
    if len(set(names)) != len(names):
        raise ConfigError(
            "uncertainty.choices",
            f"choice names repeat: {names}",
            "give each choice a unique name.",
        )
    wp = sec["weight_perturbation"]
    noise = None
    if wp:
        noise = WeightNoise(
            fraction=float(wp["fraction"]), levels=tuple(int(v) for v in wp["levels"])
        )
    treat_varies = any(c.stage == "treat" for c in choices)
    nominal = {
        "treat": dict(config.get("treat", {}) or {}) if treat_varies else None,
        "normalise": dict(config.get("normalise", {}) or {}),
        "weights": dict(config.get("weights", {}) or {}),
        "aggregate": dict(config.get("aggregate", {}) or {}),
    }
    return UncertaintySpec(
        nominal=nominal,
        choices=choices,
        weight_noise=noise,
        drop_indicator=bool(sec["drop_indicator"]),
        seed=int(sec["seed"]),
    )


def settings_from_config(section: Mapping[str, Any] | None) -> dict[str, Any]:
    """The run settings (``n``, ``chunks``, ``sobol``, ...) with defaults filled in."""
    sec = _with_defaults(section)
    n = int(sec["n"])
    if n < 0:
        raise ConfigError("uncertainty.n", f"must be >= 0, got {n}")
    chunks = int(sec["chunks"])
    if chunks < 1:
        raise ConfigError("uncertainty.chunks", f"must be >= 1, got {chunks}")
    sob = sec["sobol"]
    q = tuple(float(v) for v in sec["quantiles"])
    if len(q) != 2 or not 0 <= q[0] < q[1] <= 1:
        raise ConfigError(
            "uncertainty.quantiles", f"need two increasing shares in [0, 1], got {list(q)}"
        )
    return {
        "enabled": bool(sec["enabled"]),
        "n": n,
        "seed": int(sec["seed"]),
        "chunks": chunks,
        "batch_size": int(sec["batch_size"]),
        "quantiles": q,
        "sobol_n_base": int(sob["n_base"]) if sob["enabled"] else 0,
        "bootstrap": int(sob["bootstrap"]),
        "confidence": float(sob["confidence"]),
    }
