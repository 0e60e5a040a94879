"""Maps of the main variant in one language: gradient, per-year choropleths, change, dimensions, LISA."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)


import matplotlib

matplotlib.use("Agg")
import pandas as pd

from greenindex.analysis.composition import add_data_note, data_note
from greenindex.analysis.regional import region_of
from greenindex.figures import maps
from greenindex.figures.boundaries import read_prepared
from greenindex.figures.saving import JobFigures
from greenindex.figures.style import label, style_context
from greenindex.glossary import region_label
from greenindex.index.framework import Framework
from greenindex.logs import Progress, figure_logging

sm = snakemake  # noqa: F821
log = figure_logging(sm.log[0], "maps")

lang = sm.wildcards.lang
m, fig_cfg = sm.params.maps, sm.params.figures
start, end = int(sm.params.window["start"]), int(sm.params.window["end"])
scheme_col = sm.params.regions["scheme"]

b = read_prepared(sm.input.boundaries)
scores = pd.read_csv(sm.input.scores, dtype={"unit": str})
window = scores[(scores["year"] >= start) & (scores["year"] <= end)]
units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False).set_index("unit")
framework = Framework.from_frame(
    pd.read_csv(sm.input.framework, dtype={"node": str, "parent": str})
)
fw = pd.read_csv(sm.input.framework, dtype=str, keep_default_na=False).set_index("node")
name_col = "name_zh" if lang == "zh" else "name_en"
root = framework.root
caption = {
    "review_number": m["review_number"],
    "source_note": m["source_note"],
    "inset": m["inset"],
}
if not m["review_number"]:
    log.warning(
        "maps.review_number is empty: the maps say 'no map review number' and may not be published in China as they are"
    )


# what each map's years rest on (results/treat/data_years.csv), printed on the map
data_table = pd.read_csv(sm.input.data_years, keep_default_na=False)
MAP_YEARS = {"index_by_year": range(start, end + 1), "index_change": [start, end]}


progress = Progress(len(sm.params.names), f"maps ({lang})", logger=log)
out = JobFigures(sm.output, fig_cfg, progress)


def save(fig, name):
    add_data_note(fig, data_note(data_table, MAP_YEARS.get(name, [end]), lang))
    out.save(fig, name)


with style_context(lang, column_mm=fig_cfg["column_mm"], svg_text=fig_cfg["svg_text"]):
    rm = pd.read_csv(sm.input.region_means)
    rm = (
        rm[(rm["node"] == root) & (rm["year"] == end)]
        if "node" in rm.columns
        else rm[rm["year"] == end]
    )
    analysed = set(scores["unit"])
    unit_region = region_of(
        units.reset_index(), scheme_col, [u for u in units.index if u in analysed]
    )
    labels = sm.params.regions.get("labels") or {}
    region_names = {r: region_label(r, lang, labels) for r in unit_region.unique()}
    index_name = (
        fw.loc[root, name_col]
        if root in fw.index and fw.loc[root, name_col]
        else label("index", lang)
    )
    save(
        maps.region_gradient_map(
            b,
            unit_region,
            rm[rm["region"].isin(set(unit_region))].set_index("region")["mean"],
            language=lang,
            region_labels=region_names,
            legend_title=f"{label('region_mean', lang)} {end}" + (" 年" if lang == "zh" else ""),
            **caption,
        ),
        "region_gradient",
    )
    save(
        maps.choropleth_small_multiples(
            b,
            window,
            column=root,
            scheme=m["scheme"],
            k=int(m["k"]),
            language=lang,
            legend_title=index_name,
            **caption,
        ),
        "index_by_year",
    )
    save(
        maps.change_map(b, scores, start=start, end=end, column=root, language=lang, **caption),
        "index_change",
    )
    dims = [d for d in framework.dimensions if d in scores.columns]
    titles = {
        d: (fw.loc[d, name_col] or d) + (f"（{end} 年）" if lang == "zh" else f" ({end})")
        for d in dims
        if d in fw.index
    }
    save(
        maps.dimension_maps(b, scores, dims, year=end, titles=titles, language=lang, **caption),
        "dimensions",
    )
    lisa = pd.read_csv(sm.input.lisa, dtype={"unit": str})
    lisa = (
        lisa[lisa["year"] == lisa["year"].max()]
        if end not in set(lisa["year"])
        else lisa[lisa["year"] == end]
    )
    save(
        maps.lisa_map(
            b,
            lisa.set_index("unit")["cluster"],
            language=lang,
            legend_title=f"{label('lisa', lang)} {int(lisa['year'].iloc[0])}",
            **caption,
        ),
        "lisa_clusters",
    )
