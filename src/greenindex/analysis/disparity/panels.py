"""The inequality statistics per year of a panel of scores, as tidy tables
``year, region, statistic, value`` (``region == "national"`` for whole-sample statistics)."""

from __future__ import annotations

import pandas as pd

from greenindex.analysis.disparity.dagum_decomposition import dagum_gini
from greenindex.analysis.disparity.theil_index import theil
from greenindex.analysis.disparity.variation import cv
from greenindex.analysis.regional import NATIONAL, align_regions, as_wide


def _long(rows: list[dict[str, object]], keys: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*keys, "statistic", "value"])
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    return frame


def _panel(
    scores: pd.Series | pd.DataFrame, regions: pd.Series | None, column: str
) -> tuple[pd.DataFrame, pd.Series]:
    wide = as_wide(scores, column)
    return wide, align_regions(wide.index, regions)


def theil_by_year(
    scores: pd.Series | pd.DataFrame, regions: pd.Series | None, column: str = "index"
) -> pd.DataFrame:
    """Theil T decomposition per year, as a tidy table.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, region, statistic, value``. ``region == "national"``: statistics
        ``T``, ``within``, ``between``, ``within_share``, ``between_share``; one block per
        region: ``n``, ``mean``, ``income_share``, ``T_k``, ``contribution``.
    """
    wide, reg = _panel(scores, regions, column)
    rows: list[dict[str, object]] = []
    for year in wide.columns:
        r = theil(wide[year].to_numpy(), reg.to_numpy())
        for stat in ("T", "within", "between", "within_share", "between_share"):
            rows.append(
                {"year": year, "region": NATIONAL, "statistic": stat, "value": getattr(r, stat)}
            )
        for region, g in r.groups.iterrows():
            for stat in ("n", "mean", "income_share", "T_k", "contribution"):
                rows.append({"year": year, "region": region, "statistic": stat, "value": g[stat]})
    return _long(rows, ["year", "region"])


def dagum_by_year(
    scores: pd.Series | pd.DataFrame, regions: pd.Series, column: str = "index"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dagum Gini decomposition per year, as two tidy tables.

    Returns
    -------
    totals : pandas.DataFrame
        ``year, region, statistic, value``; ``region == "national"``: ``G``, ``G_w``,
        ``G_nb``, ``G_t``, ``share_w``, ``share_nb``, ``share_t``; per region: ``n``,
        ``mean``, ``G_jj``, ``contribution``.
    pairs : pandas.DataFrame
        ``year, region_j, region_h, statistic, value`` with ``region_j`` the higher-mean
        group of the year; statistics ``G_jh``, ``d_jh``, ``p_jh``, ``D_jh``, ``weight``,
        ``G_nb_jh``, ``G_t_jh``.
    """
    wide, reg = _panel(scores, regions, column)
    rows: list[dict[str, object]] = []
    pair_rows: list[dict[str, object]] = []
    for year in wide.columns:
        r = dagum_gini(wide[year].to_numpy(), reg.to_numpy())
        for stat in ("G", "G_w", "G_nb", "G_t", "share_w", "share_nb", "share_t"):
            rows.append(
                {"year": year, "region": NATIONAL, "statistic": stat, "value": getattr(r, stat)}
            )
        for region, g in r.groups.iterrows():
            for stat in ("n", "mean", "G_jj", "contribution"):
                rows.append({"year": year, "region": region, "statistic": stat, "value": g[stat]})
        for _, p in r.pairs.iterrows():
            for stat in ("G_jh", "d_jh", "p_jh", "D_jh", "weight", "G_nb_jh", "G_t_jh"):
                pair_rows.append(
                    {
                        "year": year,
                        "region_j": p["region_j"],
                        "region_h": p["region_h"],
                        "statistic": stat,
                        "value": p[stat],
                    }
                )
    return _long(rows, ["year", "region"]), _long(pair_rows, ["year", "region_j", "region_h"])


def cv_by_year(
    scores: pd.Series | pd.DataFrame,
    regions: pd.Series | None,
    column: str = "index",
    ddof: int = 0,
) -> pd.DataFrame:
    """Mean, standard deviation and coefficient of variation per year, national and per region.

    Returns
    -------
    pandas.DataFrame
        ``year, region, statistic, value`` with statistics ``n``, ``mean``, ``sd``, ``cv``.
    """
    wide, reg = _panel(scores, regions, column)
    rows: list[dict[str, object]] = []
    blocks = [(NATIONAL, wide)] + [
        (region, wide.loc[reg.index[reg == region]]) for region in sorted(reg.unique())
    ]
    for region, block in blocks:
        for year in wide.columns:
            values = block[year].to_numpy()
            sd = values.std(ddof=ddof) if values.size > ddof else 0.0
            rows.append({"year": year, "region": region, "statistic": "n", "value": values.size})
            rows.append(
                {"year": year, "region": region, "statistic": "mean", "value": values.mean()}
            )
            rows.append({"year": year, "region": region, "statistic": "sd", "value": sd})
            rows.append(
                {"year": year, "region": region, "statistic": "cv", "value": cv(values, ddof)}
            )
    out = _long(rows, ["year", "region"])
    return out.sort_values(["region", "year", "statistic"], kind="stable").reset_index(drop=True)
