"""Publication maps of China's provinces: region gradient, choropleths, change, dimensions, LISA.

Every map follows the rules for maps of China published in China (《地图管理条例》 2015;
《公开地图内容表示规范》 2023): all 34 provincial-level units are drawn, units without a value
(Taiwan, Hong Kong, Macao, a dropped Tibet) are hatched and listed as "no data" in the legend,
never left out; the South China Sea islands and the dashed line are shown in an inset at the
lower right when the main map stops at Hainan (``inset="auto"``); a caption line prints the
map review number (审图号) and the base map. Maps are drawn in the Albers equal-area conic of
:data:`greenindex.figures.boundaries.ALBERS_CHINA`.

Class breaks of the per-year choropleths are computed once over all years pooled, so that a
colour means the same value in every panel (mapclassify, Rey et al. 2021, *pysal/mapclassify*,
doi:10.5281/zenodo.1489998). ``natural_breaks`` (k-means with random starts in mapclassify)
is run with a fixed seed; ``fisher_jenks`` gives the exact Jenks optimum (Fisher 1958, *J. Am.
Stat. Assoc.* 53, 789-798) and is the default.

All functions take plain data (a :class:`~greenindex.figures.boundaries.Boundaries` or a province
GeoDataFrame, pandas objects, keyword options) and return a :class:`matplotlib.figure.Figure`;
call them inside :func:`greenindex.figures.style.style_context` and save with
:func:`greenindex.figures.style.save_figure`.
"""

from __future__ import annotations

from greenindex.figures.maps.change import change_classes, change_map
from greenindex.figures.maps.choropleth import (
    choropleth_small_multiples,
    dimension_maps,
    region_gradient_map,
)
from greenindex.figures.maps.classify import _SEQ_CMAP as _SEQ_CMAP
from greenindex.figures.maps.classify import SCHEMES, class_breaks
from greenindex.figures.maps.frame import map_caption
from greenindex.figures.maps.geometry import _as_boundaries as _as_boundaries
from greenindex.figures.maps.geometry import _layout as _layout
from greenindex.figures.maps.geometry import _wgs84_box as _wgs84_box
from greenindex.figures.maps.lisa import LISA_CODES, lisa_map

__all__ = [
    "LISA_CODES",
    "SCHEMES",
    "change_classes",
    "change_map",
    "choropleth_small_multiples",
    "class_breaks",
    "dimension_maps",
    "lisa_map",
    "map_caption",
    "region_gradient_map",
]

# The private names imported as ``_x as _x`` above are re-exported for
# greenindex.figures.explorer and the tests, which import them from here.
