"""Charts of the main variant in one language: trends, ranks, decompositions, densities, weights."""

from greenindex.warm import delegate

delegate(snakemake)  # noqa: F821  (runs the job in the warm worker when it is up)


import matplotlib

matplotlib.use("Agg")
import pandas as pd

from greenindex.analysis.composition import add_data_note, data_note, mark_breaks
from greenindex.analysis.convergence import index_support
from greenindex.analysis.regional import region_of
from greenindex.figures import charts
from greenindex.figures.saving import JobFigures
from greenindex.figures.style import label, style_context
from greenindex.glossary import region_label
from greenindex.index.describe import short_labels
from greenindex.logs import Progress, figure_logging

sm = snakemake  # noqa: F821
log = figure_logging(sm.log[0], "charts")

lang = sm.wildcards.lang
fig_cfg = sm.params.figures
start, end = int(sm.params.window["start"]), int(sm.params.window["end"])
scheme_col = sm.params.regions["scheme"]
order = list(sm.params.regions["order"])
region_names = {r: region_label(r, lang, sm.params.regions.get("labels")) for r in order}
name_col = "name_zh" if lang == "zh" else "name_en"

scores = pd.read_csv(sm.input.scores, dtype={"unit": str})
units = pd.read_csv(sm.input.units, dtype=str, keep_default_na=False).set_index("unit")
analysed = set(scores["unit"])
unit_region = region_of(units.reset_index(), scheme_col, [u for u in units.index if u in analysed])
for r in unit_region.unique():
    region_names[r] = region_label(r, lang, sm.params.regions.get("labels"))
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
progress = Progress(len(sm.params.names), f"charts ({lang})", logger=log)
out = JobFigures(sm.output, fig_cfg, progress)


def save(fig, name):
    if breaks and name in TIME_CHARTS:
        mark_breaks(fig, breaks, lang)
    add_data_note(fig, NOTES.get(name, ""))
    out.save(fig, name)


with style_context(lang, column_mm=fig_cfg["column_mm"], svg_text=fig_cfg["svg_text"]):
    rm = pd.read_csv(sm.input.region_means)
    if "node" in rm.columns:
        rm = rm[rm["node"] == "index"]
    save(
        charts.region_trend_chart(rm, language=lang, order=order, region_labels=region_names),
        "region_trends",
    )
    intervals = None
    if list(sm.input.rank_intervals):
        ri = pd.read_csv(next(iter(sm.input.rank_intervals)), dtype={"unit": str})
        intervals = charts.rank_interval_frame(ri, end)
    save(
        charts.rank_chart(
            window,
            unit_labels=short.to_dict(),
            region_of=unit_region,
            language=lang,
            order=order,
            region_labels=region_names,
            intervals=intervals,
        ),
        "ranks",
    )
    # disparity over the years the disparity stage analysed (disparity.period)
    national = charts.national_components
    theil_t, dagum_t = pd.read_csv(sm.input.theil), pd.read_csv(sm.input.dagum)
    theil = national(theil_t, {"within_share": "within", "between_share": "between"}, "share")
    theil_lv = national(theil_t, {"T": "total", "within": "within", "between": "between"}, "level")
    save(
        charts.decomposition_bars(
            theil,
            title=label("theil", lang),
            language=lang,
            levels=theil_lv,
            level_labels={"total": label("T", lang)},
        ),
        "theil_contributions",
    )
    dmap = {"share_w": "within", "share_nb": "between", "share_t": "transvariation"}
    dagum = national(dagum_t, dmap, "share")
    dagum_lv = national(
        dagum_t,
        {"G": "total", "G_w": "within", "G_nb": "between", "G_t": "transvariation"},
        "level",
    )
    dagum_names = {
        "within": label("G_w", lang),
        "between": label("net_between", lang),
        "transvariation": label("transvariation", lang),
    }
    save(
        charts.decomposition_bars(
            dagum,
            title=label("dagum", lang),
            language=lang,
            component_labels=dagum_names,
            levels=dagum_lv,
            level_labels={"total": label("G", lang)},
        ),
        "dagum_contributions",
    )
    kde = pd.read_csv(sm.input.kde)
    if "region" in kde.columns:
        kde = kde[kde["region"] == "national"]
    p0 = int(sm.params.panel["start"])
    years = sm.params.kde_years or sorted({y for y in (p0, start, end) if y in set(kde["year"])})
    dis = sm.params.disparity
    support = index_support(sm.params.methods, dis["kde_boundary"], dis["kde_support"])
    save(charts.kde_curves(kde, years=years, language=lang, support=support), "kernel_density")
    wt = {
        v: pd.read_csv(p, dtype=str, keep_default_na=False)
        for v, p in zip(sm.params.variants, sm.input.weights, strict=True)
    }
    weights = charts.indicator_weights(wt)
    last = wt[sm.params.variants[-1]]
    ind_labels = dict(zip(last["node"], last[name_col], strict=True))
    save(
        charts.weights_by_method(
            weights,
            indicator_labels=ind_labels,
            method_labels=short_labels(sm.params.variant_names[lang], lang),
            language=lang,
            main=sm.params.main,
        ),
        "weights_by_method",
    )
