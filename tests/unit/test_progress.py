"""Progress lines for a person watching a long step (figures, Monte Carlo chunks)."""

from __future__ import annotations

import io
import logging

from greenindex.logs import Progress


def test_progress_counts_estimates_and_writes_to_log_and_stream(caplog):
    ticks = iter([100.0, 103.0, 109.0, 112.0])
    out = io.StringIO()
    p = Progress(3, "maps (zh)", stream=out, clock=lambda: next(ticks))
    with caplog.at_level(logging.INFO, logger="greenindex"):
        first = p.advance(1, "region_gradient")
        second = p.advance(1, "index_by_year")
        last = p.advance(5, "index_change")  # never beyond the total
    assert first == "maps (zh): 1/3 (33 %) region_gradient; 3 s elapsed, about 6 s left"
    assert second == "maps (zh): 2/3 (67 %) index_by_year; 9 s elapsed, about 4 s left"
    assert last.startswith("maps (zh): 3/3 (100 %)") and last.endswith("about 0 s left")
    assert out.getvalue().count("[greenindex] maps (zh):") == 3
    assert [r.getMessage() for r in caplog.records] == [first, second, last]
