"""Speed of the batched uncertainty analysis (prints a table).

Rows:
1. COINr's ASEM example (51 units x 49 indicators, 4 levels), N = 1,000 replications with the
   three uncertain choices of COINr's replay: normalisation (min-max [1, 100] or z-score
   10 +- 2), aggregation (arithmetic or geometric) and pillar/sub-index weights perturbed by
   +-25 %. COINr 1.1.14 took 70.9 s on this machine kind (recorded, not measured by this
   script: tests/data/coinr_asem/README.md, "Peer timings").
2. The default provincial panel (data/raw, all panel years, config/config.yaml) with the default
   uncertain choices (the schema default of uncertainty.choices), N = 1,000 / 3,000 / 10,000: total
   time and time per replication.
3. The same with the default Sobol design added (n_base Saltelli rows x (k + 2)).

Run from the repository root:  python benchmarks/bench_uncertainty.py
The ASEM row reads the vendored COINr example in tests/data/coinr_asem. Times are wall-clock,
best of ``--repeat`` runs, and include building the model (normalisation, weights).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from greenindex.analysis import uncertainty as ua
from greenindex.data.ingest import load_inputs
from greenindex.index.framework import Framework
from greenindex.index.pipeline import treat_steps_from_config
from greenindex.index.treat import denominate

REPO = Path(__file__).resolve().parents[1]
ASEM = REPO / "tests" / "data" / "coinr_asem"


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def asem_inputs() -> dict:
    """COINr's ASEM example as the input tables (read from the vendored files)."""
    sys.path.insert(0, str(REPO))
    from tests.conformance.asem import asem_tables

    return asem_tables(ASEM, denominate=False)


def asem_model(tables: dict | None = None) -> ua.UncertaintyModel:
    """The Monte Carlo model of COINr's replay, built from the tables (read them first with
    :func:`asem_inputs` to keep file reading out of a timing)."""
    from tests.conformance.asem import wide_panel

    t = tables if tables is not None else asem_inputs()
    cb = t["codebook"][t["codebook"]["role"] == "indicator"]
    fw = Framework.from_tables(cb, t["framework"])
    panel = wide_panel(t["observations"])[list(fw.indicators)]
    spec = ua.spec_from_config(
        {
            "choices": [
                {
                    "name": "normalisation",
                    "options": [
                        {"method": "minmax", "range": [1, 100]},
                        {"method": "zscore", "mean": 10, "sd": 2},
                    ],
                },
                {"name": "aggregation", "options": ["arithmetic", "geometric"]},
            ],
            "weight_perturbation": {"fraction": 0.25, "levels": [2, 3]},
            "drop_indicator": False,
        },
        {
            "normalise": {"method": "minmax", "range": [1, 100]},
            "weights": {"method": "framework"},
            "aggregate": {"method": "arithmetic"},
        },
    )
    return ua.UncertaintyModel(panel, fw, spec)


def provincial_model(p: dict) -> ua.UncertaintyModel:
    """The Monte Carlo model of the provincial panel ``p`` (from :func:`provincial`), built
    from the tables as the workflow's uncertainty rules build it."""
    cfg = p["cfg"]
    m, _, _ = ua.model_from_tables(
        treated=p["treated"],
        framework=p["framework"],
        units=p["units"],
        uncertainty=dict(cfg.get("uncertainty") or {}),
        methods=p["methods"],
        window=cfg["window"],
        regions=cfg["regions"],
        claims=cfg.get("claims"),
    )
    return m


def provincial() -> tuple[dict, object]:
    cfg = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    d = cfg["data"]
    years = range(int(cfg["panel"]["start"]), int(cfg["panel"]["end"]) + 1)
    inp = load_inputs(
        observations=REPO / d["observations"],
        codebook=REPO / d["codebook"],
        units=REPO / d["units"],
        framework=REPO / d["framework"],
        years=(years[0], years[-1]),
        drop_units=cfg["units"]["drop"],
    )
    cb = inp.codebook[(inp.codebook["role"] == "indicator") & inp.codebook["used"]]
    raw = inp.raw_panel(years)
    t = cfg["treat"]
    data, _ = denominate(raw, cb) if t["denominate"] else (raw[list(cb["id"])], None)
    treated = treat_steps_from_config(data, t)[2]
    fw = inp.framework().subset(treated.columns)
    methods = {s: cfg[s] for s in ("treat", "normalise", "weights", "aggregate")}
    return {
        "treated": treated,
        "framework": fw,
        "units": inp.units,
        "methods": methods,
        "cfg": cfg,
    }, None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []

    tables = asem_inputs()

    def job():
        ua.run(asem_model(tables), n=1000, sobol_n_base=0)

    rows.append(("ASEM (COINr example), 3 choices", 1000, best_of(job, args.repeat), "70.9 s"))
    p, _ = provincial()
    section = dict(p["cfg"].get("uncertainty") or {})

    def model():
        return provincial_model(p)

    shape = f"{p['treated'].shape[0]} unit-years x {p['treated'].shape[1]} indicators"
    for n in (1000, 3000, 10000):
        rows.append(
            (
                f"provincial panel ({shape}), default choices",
                n,
                best_of(lambda n=n: ua.run(model(), n=n, sobol_n_base=0), args.repeat),
                "-",
            )
        )
    settings = ua.settings_from_config(section)
    m = model()
    nb = settings["sobol_n_base"]
    sob_rows = nb * (len(m.factor_columns) + 2)
    rows.append(
        (
            f"  + default Sobol design (n_base {nb}: {sob_rows} rows, bootstrap {settings['bootstrap']})",
            10000,
            best_of(
                lambda: ua.run(model(), n=10000, sobol_n_base=nb, bootstrap=settings["bootstrap"]),
                args.repeat,
            ),
            "",
        )
    )
    print(f"{'job':<78} {'N':>7} {'seconds':>9} {'ms/replication':>15} {'COINr (recorded)':>17}")
    for name, n, sec, coinr in rows:
        print(f"{name:<78} {n:>7,} {sec:>9.3f} {1000 * sec / n:>15.4f} {coinr:>17}")


if __name__ == "__main__":
    main()
