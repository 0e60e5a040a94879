# greenindex: regional green-manufacturing index for China's provinces.
#
# Run from the repository root:  snakemake            (profile: profiles/default)
# The configuration is config/config.yaml; read config/README.md first.
# Rule modules live in workflow/rules/; the science is the `greenindex` package in src/.

from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/runstate.smk"
include: "workflow/rules/validate.smk"
include: "workflow/rules/treat.smk"
include: "workflow/rules/index.smk"
include: "workflow/rules/regional.smk"
include: "workflow/rules/audit.smk"
include: "workflow/rules/dynamics.smk"
include: "workflow/rules/disparity.smk"
include: "workflow/rules/uncertainty.smk"
include: "workflow/rules/maps.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/explorer.smk"
include: "workflow/rules/tables.smk"


rule all:
    input:
        all_targets(),
    default_target: True
