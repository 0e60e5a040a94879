"""The model, run plan and settings from the workflow's tables and config sections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from greenindex.analysis.claims import ClaimSetup
from greenindex.analysis.regional import region_of, role_labels
from greenindex.analysis.uncertainty.engine import UncertaintyModel
from greenindex.analysis.uncertainty.runs import RunPlan
from greenindex.analysis.uncertainty.spec import settings_from_config, spec_from_config
from greenindex.errors import ConfigError
from greenindex.index.framework import Framework


def model_from_tables(
    *,
    treated: pd.DataFrame,
    framework: Framework,
    units: pd.DataFrame,
    uncertainty: Mapping[str, Any] | None,
    methods: Mapping[str, Any],
    window: Mapping[str, Any],
    regions: Mapping[str, Any],
    claims: Mapping[str, Any] | None = None,
    untreated: pd.DataFrame | None = None,
) -> tuple[UncertaintyModel, RunPlan, dict[str, Any]]:
    """Model, run plan and settings from the workflow's tables and config sections.

    ``framework`` is the tree (``Framework.from_frame`` of ``results/validate/framework.csv``).

    ``methods`` holds the nominal ``treat``, ``normalise``, ``weights`` and ``aggregate``
    sections (the main variant). ``untreated`` (the denominated panel) is used instead of
    ``treated`` when a choice varies the treatment."""
    fw = framework
    spec = spec_from_config(uncertainty, methods)
    settings = settings_from_config(uncertainty)
    treat_varies = any(c.stage == "treat" for c in spec.choices)
    if treat_varies and untreated is None:
        raise ConfigError(
            "uncertainty.choices", "a treatment choice needs the untreated (denominated) panel"
        )
    panel = untreated if treat_varies else treated
    fw = fw.subset([i for i in fw.indicators if i in panel.columns])
    groups = None
    if treat_varies:
        from greenindex.index.pipeline import with_defaults

        grp_col = with_defaults("treat", methods.get("treat"))["impute"]["group"]
        if grp_col in units.columns:  # else a group method stops naming treat.impute.group
            groups = units.set_index("unit")[grp_col]
    setup = claim_setup_from_config(
        panel.index, units, window=window, regions=regions, claims=claims
    )
    model = UncertaintyModel(panel, fw, spec, claims=setup, groups=groups)
    plan = RunPlan(
        n=settings["n"],
        seed=settings["seed"],
        factor_columns=model.factor_columns,
        sobol_n_base=settings["sobol_n_base"],
    )
    return model, plan, settings


def model_from_files(inputs: Any, params: Any) -> tuple[UncertaintyModel, RunPlan, dict[str, Any]]:
    """:func:`model_from_tables` from a workflow job's named ``inputs`` (``treated``,
    ``denominated``, ``framework``, ``units``: the files of ``results/treat/`` and
    ``results/validate/``) and ``params`` (``uncertainty, methods, window, regions, claims``),
    both read by attribute as Snakemake provides them."""
    from greenindex.data.io import read_panel

    return model_from_tables(
        treated=read_panel(inputs.treated),
        framework=Framework.from_frame(pd.read_csv(inputs.framework, keep_default_na=False)),
        units=pd.read_csv(inputs.units, dtype=str, keep_default_na=False),
        untreated=read_panel(inputs.denominated),
        **{
            k: getattr(params, k) for k in ("uncertainty", "methods", "window", "regions", "claims")
        },
    )


def claim_setup_from_config(
    index: pd.MultiIndex,
    units: pd.DataFrame,
    *,
    window: Mapping[str, Any],
    regions: Mapping[str, Any],
    claims: Mapping[str, Any] | None = None,
) -> ClaimSetup:
    """:class:`ClaimSetup` from the ``window``, ``regions`` and ``claims`` config sections.

    Reads ``regions.scheme`` (a column of the units table), ``claims.region_labels`` (role ->
    label, default the role names), ``claims.growth`` (``absolute``) and
    ``claims.between_share_large`` (0.5), the keys of :func:`greenindex.analysis.claims.check_claims`."""
    from greenindex.index.pipeline import with_defaults

    regions = with_defaults("regions", regions)
    scheme = str(regions["scheme"])
    u = index.get_level_values("unit").astype(str)
    reg = region_of(units, scheme, pd.unique(np.asarray(u))).reindex(u).to_numpy(dtype=str)
    cl = with_defaults("claims", claims)
    roles = role_labels(cl["region_labels"])
    return ClaimSetup(
        region=reg,
        year=index.get_level_values("year").to_numpy(dtype=np.int64),
        unit=np.asarray(u, dtype=str),
        window=(int(window["start"]), int(window["end"])),
        roles=roles,
        growth=str(cl["growth"]),
        between_share_large=float(cl["between_share_large"]),
    )
