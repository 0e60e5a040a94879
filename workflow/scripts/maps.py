"""Maps of the main variant in one language: gradient, per-year choropleths, change, dimensions, LISA."""


import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd

from greenindex.analysis.composition import add_data_note, data_note
from greenindex.analysis.regional import region_of
from greenindex.figures import maps
from greenindex.figures.boundaries import read_prepared
from greenindex.figures.style import save_figure, style_context
from greenindex.index.framework import Framework

sm = snakemake  # noqa: F821
logging.basicConfig(filename=sm.log[0], level=logging.INFO, filemode="w", force=True)
logging.captureWarnings(True)
log = logging.getLogger("maps")

lang = sm.wildcards.lang
m, fig_cfg = sm.params.maps, sm.params.figures
start, end = int(sm.params.window["start"]), int(sm.params.window["end"])
scheme_col = sm.params.regions["scheme"]
out_dir = Path(sm.output[0]).parent

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


def save(fig, name):
    add_data_note(fig, data_note(data_table, MAP_YEARS.get(name, [end]), lang))
    save_figure(fig, out_dir / name, formats=fig_cfg["formats"], dpi=fig_cfg["dpi"], close=True)
    log.info("wrote %s", name)


with style_context(lang):
    rm = pd.read_csv(sm.input.region_means)
    rm = (
        rm[(rm["node"] == root) & (rm["year"] == end)]
        if "node" in rm.columns
        else rm[rm["year"] == end]
    )
    analysed = set(scores["unit"])
    unit_region = region_of(units.reset_index(), scheme_col, [u for u in units.index if u in analysed])
    save(
        maps.region_gradient_map(
            b, unit_region, rm.set_index("region")["mean"], language=lang, **caption
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
            legend_title=f"{fw.loc[root, name_col] if root in fw.index and fw.loc[root, name_col] else ''}"
            or None,
            **caption,
        ),
        "index_by_year",
    )
    save(
        maps.change_map(b, scores, start=start, end=end, column=root, language=lang, **caption),
        "index_change",
    )
    dims = [d for d in framework.dimensions if d in scores.columns]
    titles = {d: fw.loc[d, name_col] or d for d in dims if d in fw.index}
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
        maps.lisa_map(b, lisa.set_index("unit")["cluster"], language=lang, **caption),
        "lisa_clusters",
    )
