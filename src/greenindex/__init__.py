"""greenindex: a regional green-manufacturing composite index for China's provinces.

The package holds the science (input contract, treatment, normalisation, weighting,
aggregation, regional disparity, maps); the Snakemake workflow in ``workflow/`` only calls it.
"""

__version__ = "0.1.0"
