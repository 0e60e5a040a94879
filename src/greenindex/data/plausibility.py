"""Plausibility checks run at validation: value ranges, signs, year-on-year jumps, national sums.

Four checks, each returning tidy *findings* (:data:`FINDING_COLUMNS`) with a severity:

* **Ranges** (:func:`range_findings`): a value below the codebook's ``min_value`` or above its
  ``max_value`` is impossible (a negative count, a share above 100 %): severity ``error`` by
  default. The bounds of a derived indicator apply to the derived values.
* **Signs** (:func:`sign_findings`): a ``0`` in a series whose other values are all positive
  (often a missing value typed as zero; the jump check cannot see it), and a negative value in
  a series whose other values are mostly positive while the codebook leaves ``min_value``
  blank (a sign error the range check cannot see). Severity ``warning`` by default
  (``validate.suspicious_values: error`` stops the run); every cell is named. Series whose
  codebook ``min_value`` is negative are signed by declaration and not checked.
* **Jumps** (:func:`jump_findings`): between consecutive years a positive series changes by the
  ratio :math:`r = x_{t} / x_{t-1}`; :math:`r > f` or :math:`r < 1/f` (jump factor *f*,
  default 3) is a ``warning``: often a unit error (万元 entered as 亿元) or a definition
  change, sometimes real. Series that can be zero or negative (growth rates) are not
  ratio-checked.
* **National sums** (:func:`national_sum_findings`): the sum over provinces
  :math:`S = \\sum_i x_i` against the published national total *N*; a relative gap
  :math:`|S - N| / |N|` above the tolerance (default 5 %) is a ``warning``. Provincial sums
  differ from national totals by design for some series (GDP: provincial accounts sum to more
  than the national accounts; population: the census total includes 2 million active
  military personnel not allocated to provinces), so the tolerance is configurable.

The material shipped in ``data/raw/`` carries one national total (the 2020 census resident
population, ``data/raw/national_totals.csv``); the importer returns the ``全国`` /
``National Total`` rows of any table a researcher adds, which can be appended there.

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, step 3 (checking data
quality before imputation and normalisation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

FINDING_COLUMNS = [
    "check",
    "severity",
    "indicator",
    "unit",
    "year",
    "value",
    "file",
    "row",
    "message",
]
SEVERITIES = ("error", "warning")


def _tidy(data: pd.DataFrame) -> pd.DataFrame:
    """``unit, year, indicator, value`` (+ ``row`` if known) from tidy or wide input."""
    if {"unit", "year", "indicator", "value"} <= set(data.columns):
        cols = ["unit", "year", "indicator", "value"]
        t = data[cols].copy()
        for rc in ("_row", "row"):
            if rc in data.columns:
                t["row"] = pd.to_numeric(data[rc], errors="coerce")
                break
        else:
            t["row"] = np.nan
    elif isinstance(data.index, pd.MultiIndex) and list(data.index.names) == ["unit", "year"]:
        t = data.stack(future_stack=True).rename("value").reset_index()
        t = t.rename(columns={t.columns[2]: "indicator"})
        t["row"] = np.nan
    else:
        raise ValueError(
            "expected tidy observations (unit, year, indicator, value) or a wide panel indexed by (unit, year)"
        )
    t["unit"] = t["unit"].astype(str)
    t["indicator"] = t["indicator"].astype(str)
    t["year"] = t["year"].astype(int)
    t["value"] = pd.to_numeric(t["value"], errors="coerce").astype(float)
    return t[t["value"].notna()].reset_index(drop=True)


def _findings(rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    if len(out):
        out = out.sort_values(["check", "indicator", "unit", "year"], kind="stable").reset_index(
            drop=True
        )
    return out


def _cell_finding(
    r: pd.Series, check: str, severity: str, file: str, message: str
) -> dict[str, Any]:
    """A finding about the cell ``r`` of a :func:`_tidy` table."""
    return {
        "check": check,
        "severity": severity,
        "indicator": r["indicator"],
        "unit": r["unit"],
        "year": int(r["year"]),
        "value": float(r["value"]),
        "file": file,
        "row": None if pd.isna(r["row"]) else int(r["row"]),
        "message": message,
    }


def _bounds(
    bounds: pd.DataFrame | Mapping[str, tuple[float, float]], severity: str
) -> dict[str, tuple[float, float]]:
    """``{id: (min, max)}`` from the codebook or as given; ``severity`` must be known."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}")
    return bounds_from_codebook(bounds) if isinstance(bounds, pd.DataFrame) else dict(bounds)


def bounds_from_codebook(codebook: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """``{id: (min_value, max_value)}`` with NaN/empty bounds as -inf/+inf."""
    out: dict[str, tuple[float, float]] = {}
    for _, r in codebook.iterrows():
        lo = pd.to_numeric(pd.Series([r.get("min_value")]), errors="coerce").iloc[0]
        hi = pd.to_numeric(pd.Series([r.get("max_value")]), errors="coerce").iloc[0]
        out[str(r["id"])] = (
            -np.inf if pd.isna(lo) else float(lo),
            np.inf if pd.isna(hi) else float(hi),
        )
    return out


def range_findings(
    data: pd.DataFrame,
    bounds: pd.DataFrame | Mapping[str, tuple[float, float]],
    *,
    severity: str = "error",
    file: str = "",
    units_of: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Values outside ``[min, max]`` of their series.

    Parameters
    ----------
    data
        Tidy observations (a ``_row``/``row`` column gives the file line) or a wide panel.
    bounds
        The codebook (``id, min_value, max_value``) or ``{id: (min, max)}``.
    severity
        ``"error"`` (default: the value is impossible) or ``"warning"``.
    file
        Named in the findings (e.g. ``data/raw/observations.csv`` or ``derived indicators``).
    units_of
        Unit text per series id, for the message.

    Examples
    --------
    >>> obs = pd.DataFrame({"unit": ["BJ", "TJ"], "year": [2018, 2018],
    ...                     "indicator": ["share", "share"], "value": [40.0, 140.0]})
    >>> range_findings(obs, {"share": (0.0, 100.0)})[["unit", "severity"]].values.tolist()
    [['TJ', 'error']]
    """
    b = _bounds(bounds, severity)
    t = _tidy(data)
    t = t[t["indicator"].isin(b)]
    lo = t["indicator"].map(lambda i: b[i][0]).astype(float)
    hi = t["indicator"].map(lambda i: b[i][1]).astype(float)
    bad = t[(t["value"] < lo) | (t["value"] > hi)]
    rows = []
    for k, r in bad.iterrows():
        low = r["value"] < lo[k]
        unit_txt = (
            f" {units_of[r['indicator']]}" if units_of and units_of.get(r["indicator"]) else ""
        )
        msg = (
            f"{r['indicator']} = {r['value']:g}{unit_txt} for {r['unit']} {int(r['year'])} is "
            + (f"below the minimum {lo[k]:g}" if low else f"above the maximum {hi[k]:g}")
            + " allowed by the codebook; check the unit and the transcription"
        )
        rows.append(_cell_finding(r, "range", severity, file, msg))
    return _findings(rows)


def sign_findings(
    data: pd.DataFrame,
    bounds: pd.DataFrame | Mapping[str, tuple[float, float]],
    *,
    severity: str = "warning",
    file: str = "",
) -> pd.DataFrame:
    """Zeros and negatives that do not fit the rest of their (positive) series.

    For series *j* with values :math:`x_{ij}` (missing values left out):

    * ``zero``: :math:`x_{ij} = 0` while every non-zero value of *j* is positive;
    * ``negative``: :math:`x_{ij} < 0` while more than half of the values of *j* are positive
      and the codebook's ``min_value`` of *j* is blank.

    Series with a negative ``min_value`` (declared signed, e.g. growth rates) are skipped.

    Examples
    --------
    >>> obs = pd.DataFrame({"unit": ["BJ", "TJ", "HE", "SX", "NM"], "year": [2018] * 5,
    ...                     "indicator": ["gdp"] * 5, "value": [30.0, 0.0, -2.0, 25.0, 20.0]})
    >>> sign_findings(obs, {})[["check", "unit"]].values.tolist()
    [['negative', 'HE']]
    >>> sign_findings(obs[obs["unit"] != "HE"], {})[["check", "unit"]].values.tolist()
    [['zero', 'TJ']]
    """
    b = _bounds(bounds, severity)
    t = _tidy(data)
    rows = []
    for ind, s in t.groupby("indicator", sort=True):
        lo = b.get(str(ind), (-np.inf, np.inf))[0]
        if lo < 0 and np.isfinite(lo):
            continue  # signed by declaration
        v = s["value"]
        pos, neg, zero = v > 0, v < 0, v == 0
        if zero.any() and not neg.any() and pos.any():
            hits, kind = s[zero], "zero"
        elif neg.any() and not np.isfinite(lo) and pos.sum() > len(v) / 2:
            hits, kind = s[neg], "negative"
        else:
            continue
        for _, r in hits.iterrows():
            where = f"{r['indicator']} = {r['value']:g} for {r['unit']} {int(r['year'])}"
            if kind == "zero":
                msg = (
                    f"{where}, in a series whose other values are all positive: a missing value typed "
                    "as 0? Leave the cell empty (or NA) if it is missing, or declare "
                    "'zero_means_missing: yes' for the series in the codebook"
                )
            else:
                msg = (
                    f"{where}, negative in a series whose other values are mostly positive and whose "
                    "codebook min_value is blank: check the sign; if negative values are real, give "
                    "the series a negative min_value in the codebook"
                )
            rows.append(_cell_finding(r, kind, severity, file, msg))
    return _findings(rows)


def jump_findings(
    data: pd.DataFrame,
    *,
    factor: float = 3.0,
    indicators: Sequence[str] | None = None,
    file: str = "",
) -> pd.DataFrame:
    """Year-on-year changes by more than ``factor`` (up or down) in positive series.

    Only consecutive years are compared (a gap year breaks the pair), and only pairs of
    positive values; findings have severity ``warning`` and name the later year's row.

    Examples
    --------
    >>> obs = pd.DataFrame({"unit": ["BJ"] * 3, "year": [2016, 2017, 2018],
    ...                     "indicator": ["gdp"] * 3, "value": [100.0, 110.0, 1100.0]})
    >>> jump_findings(obs, factor=3)[["year", "value"]].values.tolist()
    [[2018.0, 1100.0]]
    """
    if not factor > 1:
        raise ValueError("the jump factor must be greater than 1")
    t = _tidy(data)
    if indicators is not None:
        t = t[t["indicator"].isin([str(i) for i in indicators])]
    t = t.sort_values(["indicator", "unit", "year"], kind="stable").reset_index(drop=True)
    g = t.groupby(["indicator", "unit"], sort=False)
    prev_v = g["value"].shift(1)
    prev_y = g["year"].shift(1)
    ok = (t["year"] - prev_y == 1) & (t["value"] > 0) & (prev_v > 0)
    ratio = t["value"] / prev_v
    hit = ok & ((ratio > factor) | (ratio < 1.0 / factor))
    rows = []
    for k in np.flatnonzero(hit.to_numpy()):
        r = t.iloc[k]
        msg = (
            f"{r['indicator']} for {r['unit']} changes by a factor {ratio.iloc[k]:.3g} from "
            f"{int(prev_y.iloc[k])} ({prev_v.iloc[k]:g}) to {int(r['year'])} ({r['value']:g}), "
            f"beyond the jump factor {factor:g}; check for a unit or definition change"
        )
        rows.append(_cell_finding(r, "jump", "warning", file, msg))
    return _findings(rows)


def national_sums(data: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Sum over provinces next to the national total, for every total given.

    ``totals`` has ``indicator, year, value`` (as returned by the importer with
    ``return_totals=True`` or read from ``data/raw/national_totals.csv``).

    Returns
    -------
    pandas.DataFrame
        ``indicator, year, national, provincial_sum, n_units, relative_gap`` with
        ``relative_gap = (sum - national) / |national|``.
    """
    t = _tidy(data)
    sums = t.groupby(["indicator", "year"])["value"].agg(["sum", "count"])
    rows = []
    for _, r in totals.iterrows():
        key = (str(r["indicator"]), int(r["year"]))
        s, n = (
            (float(sums.loc[key, "sum"]), int(sums.loc[key, "count"]))
            if key in sums.index
            else (np.nan, 0)
        )
        nat = float(r["value"])
        rows.append(
            {
                "indicator": key[0],
                "year": key[1],
                "national": nat,
                "provincial_sum": s,
                "n_units": n,
                "relative_gap": (s - nat) / abs(nat) if nat != 0 and n else np.nan,
            }
        )
    return pd.DataFrame(
        rows, columns=["indicator", "year", "national", "provincial_sum", "n_units", "relative_gap"]
    )


def national_sum_findings(
    data: pd.DataFrame,
    totals: pd.DataFrame | None,
    *,
    tolerance: float = 0.05,
    file: str = "",
) -> pd.DataFrame:
    """Provincial sums that differ from the national total by more than ``tolerance``.

    Returns no findings when ``totals`` is ``None`` or empty (the material has no national
    total for that series).

    Examples
    --------
    The 2020 census: 31 provinces sum to 1,409,778,724 persons against the national
    1,411,778,724 (which includes 2,000,000 active military personnel), a gap of -0.14 %:

    >>> obs = pd.DataFrame({"unit": ["all"], "year": [2020], "indicator": ["pop"],
    ...                     "value": [1409778724.0]})
    >>> tot = pd.DataFrame({"indicator": ["pop"], "year": [2020], "value": [1411778724.0]})
    >>> len(national_sum_findings(obs, tot, tolerance=0.001))
    1
    """
    if totals is None or len(totals) == 0:
        return _findings([])
    cmp = national_sums(data, totals)
    rows = []
    for _, r in cmp.iterrows():
        if r["n_units"] == 0 or not abs(r["relative_gap"]) > tolerance:
            continue
        rows.append(
            {
                "check": "national_sum",
                "severity": "warning",
                "indicator": r["indicator"],
                "unit": "",
                "year": int(r["year"]),
                "value": float(r["provincial_sum"]),
                "file": file,
                "row": None,
                "message": (
                    f"the {int(r['n_units'])} provinces of {r['indicator']} {int(r['year'])} sum to "
                    f"{r['provincial_sum']:,.6g}, {100 * r['relative_gap']:+.2f} % from the national "
                    f"total {r['national']:,.6g} (tolerance {100 * tolerance:g} %)"
                ),
            }
        )
    return _findings(rows)


def check_plausibility(
    observations: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    derived: pd.DataFrame | None = None,
    totals: pd.DataFrame | None = None,
    jump_factor: float = 3.0,
    range_severity: str = "error",
    sum_tolerance: float = 0.05,
    suspicious_severity: str = "warning",
    observations_file: str = "observations.csv",
    derived_label: str = "derived indicators",
) -> pd.DataFrame:
    """All plausibility checks: ranges and jumps of the observations (and of the derived
    indicators, when given), signs (zeros, negatives) and national sums of the observations.

    Jumps are checked for every series whose codebook ``min_value`` is not negative (signed
    series such as growth rates are skipped).

    Returns
    -------
    pandas.DataFrame
        Findings (:data:`FINDING_COLUMNS`), errors first.
    """
    bounds = bounds_from_codebook(codebook)
    units_of = {str(r["id"]): str(r.get("unit", "") or "") for _, r in codebook.iterrows()}
    ratio_ok = [i for i, (lo, _) in bounds.items() if not lo < 0]
    parts = [
        range_findings(
            observations, bounds, severity=range_severity, file=observations_file, units_of=units_of
        ),
        sign_findings(observations, bounds, severity=suspicious_severity, file=observations_file),
        jump_findings(
            observations, factor=jump_factor, indicators=ratio_ok, file=observations_file
        ),
        national_sum_findings(
            observations, totals, tolerance=sum_tolerance, file=observations_file
        ),
    ]
    if derived is not None:
        parts.append(
            range_findings(
                derived, bounds, severity=range_severity, file=derived_label, units_of=units_of
            )
        )
        parts.append(
            jump_findings(derived, factor=jump_factor, indicators=ratio_ok, file=derived_label)
        )
    parts = [p for p in parts if len(p)]
    if not parts:
        return _findings([])
    out = pd.concat(parts, ignore_index=True)
    out["_sev"] = out["severity"].map({"error": 0, "warning": 1})
    return (
        out.sort_values(["_sev", "check", "indicator", "unit", "year"], kind="stable")
        .drop(columns="_sev")
        .reset_index(drop=True)
    )


def from_config(section: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of :func:`check_plausibility` from the config's ``validate`` section."""
    return {
        "jump_factor": float(section.get("jump_factor", 3.0)),
        "range_severity": str(section.get("range_check", "error")),
        "sum_tolerance": float(section.get("sum_tolerance", 0.05)),
        "suspicious_severity": str(section.get("suspicious_values", "warning")),
    }
