"""Result tables for Excel and Stata: one workbook, .dta panels, CSVs with names and a BOM
(thin glue around greenindex.report.tables)."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)

from pathlib import Path

import pandas as pd

from greenindex.glossary import region_label
from greenindex.logs import step_logging
from greenindex.report.tables import (
    scores_table,
    variant_frame,
    write_csv_bom,
    write_dta,
    write_workbook,
)

with step_logging(snakemake.log[0], "tables") as log:  # noqa: F821
    sm = snakemake  # noqa: F821
    inp, out = sm.input, sm.output
    regions = sm.params.regions
    labels = regions.get("labels") or {}
    units = pd.read_csv(inp.units, dtype=str, keep_default_na=False)
    scores = scores_table(
        pd.read_csv(inp.scores, dtype={"unit": str}),
        units,
        scheme=regions["scheme"],
        region_labels=labels,
    )
    by_variant = variant_frame(
        dict(zip(sm.params.variants, inp.variant_scores, strict=True)),
        units,
        main=sm.params.main,
        scheme=regions["scheme"],
        names=sm.params.variant_names,
    )
    rm = pd.read_csv(inp.region_means)
    rm = rm[rm["node"] == "index"].drop(columns=["node"]) if "node" in rm.columns else rm
    order = list(regions["order"])
    present = list(dict.fromkeys(rm["region"]))
    ordered = [r for r in order if r in present] + sorted(
        r for r in present if r not in order and r != "national"
    )
    ordered += ["national"] if "national" in present else []
    rm["region"] = pd.Categorical(rm["region"], ordered, ordered=True)
    rm = rm.sort_values(["region", "year"]).reset_index(drop=True)
    rm["region"] = rm["region"].astype(str)
    rm.insert(
        0, "region_id", rm["region"].map({r: i + 1 for i, r in enumerate(ordered)}).astype("int32")
    )
    rm.insert(2, "region_zh", [region_label(r, "zh", labels) for r in rm["region"]])
    rm.insert(3, "region_en", [region_label(r, "en", labels) for r in rm["region"]])
    claims = pd.read_csv(inp.claims)
    weights = []
    for v, p in zip(sm.params.variants, inp.weights, strict=True):
        w = pd.read_csv(p, dtype=str, keep_default_na=False)
        w.insert(0, "variant", v)
        weights.append(w)
    weights = pd.concat(weights, ignore_index=True)
    for c in ("weight", "within_parent_share", "effective_weight"):
        weights[c] = pd.to_numeric(weights[c])
    sheets = {
        "scores": scores,
        "index_by_variant": by_variant,
        "region_means": rm,
        "claims": claims,
        "weights": weights,
    }
    if inp.get("rank_intervals"):
        sheets["rank_intervals"] = pd.read_csv(inp.rank_intervals, dtype={"unit": str})
    if inp.get("audit"):
        sheets["audit"] = pd.read_csv(inp.audit)
    write_workbook(sheets, out.xlsx)
    for name in ("scores", "region_means", "claims", "weights"):
        write_csv_bom(sheets[name], getattr(out, f"{name}_csv"))
    write_dta(scores, out.scores_dta, label="greenindex: index by province and year (main variant)")
    write_dta(rm, out.region_means_dta, label="greenindex: regional means by year (main variant)")
    log.info("wrote %s sheets to %s", len(sheets), Path(out.xlsx).name)
