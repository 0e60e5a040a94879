"""Charts of the main variant in one language: trends, ranks, decompositions, densities, weights."""


import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd

from greenindex.analysis.composition import add_data_note, data_note, mark_breaks
from greenindex.analysis.regional import region_of
from greenindex.figures import charts
from greenindex.figures.style import label, save_figure, style_context
from greenindex.index.describe import short_labels

sm = snakemake  # noqa: F821
logging.basicConfig(filename=sm.log[0], level=logging.INFO, filemode="w", force=True)
logging.captureWarnings(True)
log = logging.getLogger("charts")

lang = sm.wildcards.lang
fig_cfg = sm.params.figures
start, end = int(sm.params.window["start"]), int(sm.params.window["end"])
scheme_col = sm.params.regions["scheme"]
out_dir = Path(sm.output[0]).parent
name_col = "name_zh" if lang == "zh" else "name_en"

scores = pd.read_csv(sm.input.scores, dtype={"unit": str})
units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False).set_index("unit")
analysed = set(scores["unit"])
unit_region = region_of(units.reset_index(), scheme_col, [u for u in units.index if u in analysed])
short = units[name_col].str.replace(
    r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", regex=True
)
window = scores[(scores["year"] >= start) & (scores["year"] <= end)]


# composition breaks of a forced mixed basis (dynamics.basis: mixed), marked on time charts
breaks = pd.read_csv(sm.input.breaks)["year"].tolist()
TIME_CHARTS = {"region_trends", "theil_contributions", "dagum_contributions"}


# what the years each chart shows rest on: the panel-analysis basis for the time charts, the
# full index in the window for the ranks
dyn_years = pd.read_csv(sm.input.dynamics_data_years, keep_default_na=False)
win_years = pd.read_csv(sm.input.data_years, keep_default_na=False)
NOTES = {
    name: data_note(dyn_years, dyn_years["year"].unique(), lang)
    for name in ("region_trends", "theil_contributions", "dagum_contributions", "kernel_density")
}
NOTES["ranks"] = data_note(win_years, range(start, end + 1), lang)


def save(fig, name):
    if breaks and name in TIME_CHARTS:
        mark_breaks(fig, breaks, lang)
    add_data_note(fig, NOTES.get(name, ""))
    save_figure(fig, out_dir / name, formats=fig_cfg["formats"], dpi=fig_cfg["dpi"], close=True)
    log.info("wrote %s", name)


def national_shares(path, mapping):
    """National decomposition shares (disparity.*_by_year tidy tables) as year, component, share."""
    t = pd.read_csv(path)
    t = t[(t["region"] == "national") & t["statistic"].isin(list(mapping))]
    return t.assign(component=t["statistic"].map(mapping)).rename(columns={"value": "share"})[
        ["year", "component", "share"]
    ]


with style_context(lang):
    rm = pd.read_csv(sm.input.region_means)
    if "node" in rm.columns:
        rm = rm[rm["node"] == "index"]
    save(charts.region_trend_chart(rm, language=lang), "region_trends")
    save(
        charts.rank_chart(window, unit_labels=short.to_dict(), region_of=unit_region, language=lang),
        "ranks",
    )
    theil = national_shares(sm.input.theil, {"within_share": "within", "between_share": "between"})
    save(
        charts.decomposition_bars(theil, title=label("theil", lang), language=lang),
        "theil_contributions",
    )
    dagum = national_shares(
        sm.input.dagum, {"share_w": "within", "share_nb": "between", "share_t": "transvariation"}
    )
    save(
        charts.decomposition_bars(dagum, title=label("dagum", lang), language=lang),
        "dagum_contributions",
    )
    kde = pd.read_csv(sm.input.kde)
    if "region" in kde.columns:
        kde = kde[kde["region"] == "national"]
    save(charts.kde_curves(kde, language=lang), "kernel_density")
    frames = []
    for variant, path in zip(sm.params.variants, sm.input.weights, strict=True):
        w = pd.read_csv(path, dtype=str, keep_default_na=False)
        w = w[w["type"] == "indicator"]
        frames.append(
            pd.DataFrame(
                {
                    "indicator": w["node"],
                    "method": variant,
                    "weight": w["effective_weight"].astype(float),
                }
            )
        )
        ind_labels = dict(zip(w["node"], w[name_col], strict=True))
    weights = pd.concat(frames, ignore_index=True)
    save(
        charts.weights_by_method(
            weights,
            indicator_labels=ind_labels,
            method_labels=short_labels(sm.params.variant_names[lang], lang),
            language=lang,
        ),
        "weights_by_method",
    )
