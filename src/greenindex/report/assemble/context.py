"""What every report section reads: the :class:`ReportContext` (language, records, tables,
figure paths) and the small helpers the section builders share (rounding, orders, data notes)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from greenindex.analysis.composition import data_note, dynamics_text
from greenindex.glossary import region_label, term, variant_label
from greenindex.report.captions import CaptionContext
from greenindex.report.html import Figure, Table, fmt_number, markdown_html


@dataclass
class ReportContext:
    """Everything a section builder may use: language, records, tables and figure paths.

    ``files`` maps input names (as in ``workflow/rules/common.smk: report_inputs``) to paths;
    ``figures`` maps figure names to PNG paths. Tables are read on first use.
    """

    language: str
    record: Mapping[str, Any]
    files: Mapping[str, str]
    figures: Mapping[str, str]
    regions: Mapping[str, Any]
    variant_names: Mapping[str, str] = field(default_factory=dict)
    captions: CaptionContext | None = None
    #: the report rule's params (audit settings, variant labels, window), for the audit section
    params: Any = None
    used_terms: list[str] = field(default_factory=list)
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self, name: str, **kw: Any) -> pd.DataFrame | None:
        if name not in self.files:
            return None
        if name not in self._cache:
            self._cache[name] = pd.read_csv(self.files[name], **kw)
        return self._cache[name]

    def t(self, key: str, **fmt: Any) -> str:
        """Glossary text (and remember the term for the report's glossary)."""
        self.used_terms.append(key)
        return term(key, self.language, **fmt)

    def term_table(self, caption: str, frame: pd.DataFrame, formats: Mapping[str, Any]) -> Table:
        """A table of ``frame`` headed by the glossary terms of its columns (:meth:`t`)."""
        return Table(
            caption,
            frame,
            formats=formats,
            labels={c: self.t(c) for c in frame.columns},
            language=self.language,
        )

    @property
    def zh(self) -> bool:
        return self.language == "zh"

    @property
    def window(self) -> tuple[int, int]:
        return int(self.record["window"]["start"]), int(self.record["window"]["end"])

    @property
    def main(self) -> str:
        return str(self.record["main_variant"])

    def region(self, r: str) -> str:
        self.used_terms.append(r)
        return region_label(r, self.language, self.regions.get("labels"))

    def variant(self, v: str) -> str:
        self.used_terms.append(v)
        return variant_label(v, self.language, self.variant_names)

    def region_order(self, present: Sequence[str]) -> list[str]:
        order = [r for r in self.regions.get("order", []) if r in present]
        rest = sorted(r for r in present if r not in order and r != "national")
        return order + rest + (["national"] if "national" in present else [])

    def figs(self, captions: Mapping[str, str]) -> list[Figure]:
        """The figures made among the keys of ``captions`` (figure names), in that order, each
        captioned by its value (a caption key)."""
        return [
            Figure(self.figures[name], caption)
            for name, caption in captions.items()
            if name in self.figures
        ]

    def name_col(self) -> str:
        return "name_zh" if self.zh else "name_en"


def _pct(x: float, digits: int = 0) -> str:
    return fmt_number(100 * float(x), f"{{:.{digits}f}}") + "%"


def _variant_order(ctx: ReportContext, variants: Sequence[str]) -> list[str]:
    vs = list(dict.fromkeys(variants))
    return ([ctx.main] if ctx.main in vs else []) + [v for v in vs if v != ctx.main]


def _claim_order(claims: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(claims["claim"].astype(str)))


def _root(ctx: ReportContext) -> str:
    w = ctx.table("weights")
    if w is not None and (w["type"] == "index").any():
        return str(w.loc[w["type"] == "index", "node"].iloc[0])
    return "index"


def _data_note(ctx: ReportContext, years: Sequence[int]) -> str:
    """The carried / imputed data behind ``years`` (empty when all observed)."""
    d = ctx.table("data_years", keep_default_na=False)
    return data_note(d, years, ctx.language) if d is not None else ""


def _dynamics_html(ctx: ReportContext, *, with_note: bool = False) -> str:
    """What the panel analyses (trends, convergence, densities, Theil/Dagum over time) rest on:
    the composition-stable basis of ``dynamics.basis`` and, with ``with_note``, its data years."""
    if "dynamics" not in ctx.files:
        return ""
    dyn = load_json(ctx.files["dynamics"])
    w = ctx.table("weights")
    names = (
        {}
        if w is None
        else dict(zip(w["node"], w[f"name_{ctx.language}"].fillna(w["node"]), strict=True))
    )
    text = dynamics_text(dyn, names, ctx.language)
    d = ctx.table("dynamics_data_years", keep_default_na=False)
    if with_note and d is not None:
        note = data_note(d, dyn["years"], ctx.language)
        text = f"{text}\n\n{note}" if note else text
    return markdown_html(text)


def _node_names(ctx: ReportContext, weights: pd.DataFrame | None) -> dict[str, str]:
    if weights is None:
        return {}
    col = weights[ctx.name_col()].where(weights[ctx.name_col()].astype(str) != "", weights["node"])
    return dict(
        zip(weights["node"].astype(str), col.fillna(weights["node"]).astype(str), strict=True)
    )


def load_json(path: str | Path | None) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
