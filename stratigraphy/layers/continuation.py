"""A sheet that prints no boundary of its own continues the layer open on the sheet before.

Logs printed on sheets of a fixed depth range (0-10 m, 10-20 m, ...) leave a thick layer's
middle sheet without any boundary value: its depth column holds only the scale ticks, which go
on from where the sheet before stopped, and perhaps the final depth at the end of the hole. The
layer open at the foot of the sheet before runs through such a sheet; the description lines
flush with that layer's text (the repeated unit name, depth-prefixed notes) belong to it, and
its end is the end of the hole when this sheet prints one.
"""

from __future__ import annotations

import itertools

from stratigraphy.layers.build import DraftLayer, Line, end_of_hole, is_end_of_hole
from stratigraphy.layers.entries import EntryKind, runs_to_entries
from stratigraphy.layers.runs import Run, rows_of


def _scale_top(runs: list[Run], after: float) -> float | None:
    """Where the sheet's depth scale begins (one tick step above its first tick), when its
    whole-number ticks stack in one column, evenly spaced, going on from ``after``."""
    ticks = [
        e
        for e in runs_to_entries(runs)
        if e.kind is EntryKind.VALUE and not e.decimals and not e.rest and e.start is not None
    ]
    for tick in ticks:
        h = tick.bbox.height
        stack = sorted(
            (e for e in ticks if abs(e.bbox.x1 - tick.bbox.x1) <= h), key=lambda e: e.bbox.cy
        )
        values = [e.value for e in stack]
        if len(stack) < 3 or values != sorted(values) or len(set(values)) < len(values):
            continue
        steps = {round(b - a, 3) for a, b in itertools.pairwise(values)}
        gaps = [b.bbox.cy - a.bbox.cy for a, b in itertools.pairwise(stack)]
        if len(steps) == 1 and max(gaps) - min(gaps) <= 0.2 * max(gaps):
            step = steps.pop()
            if after - 1e-6 <= values[0] <= after + step + 1e-6:
                return stack[0].bbox.cy - gaps[0] * (values[0] - after) / step
    return None


def continue_open_layer(tail: DraftLayer, runs: list[Run]) -> bool:
    """Carry ``tail`` (the last layer of the sheet before) through a sheet with no depth column.

    Applies only when the sheet's depth scale goes on from the tail's end. The lines that
    start flush with the tail's description lines join it, down to the end-of-hole line,
    whose depth ends the layer. Returns whether the sheet was read as a continuation.
    """
    top = _scale_top(runs, tail.end) if tail.end is not None and tail.lines else None
    if top is None or tail.end is None:
        return False
    h = sorted(ln.bbox.height for ln in tail.lines)[len(tail.lines) // 2]
    starts = [ln.bbox.x0 for ln in tail.lines]
    flush = [
        r
        for r in runs
        if r.has_letters
        and r.bbox.cy > top - 0.3 * h  # below the heading row, where the scale starts
        and any(abs(r.bbox.x0 - x) <= 0.5 * h for x in starts)
    ]
    lines = [Line(tuple(w for run in row for w in run.words)) for row in rows_of(flush)]
    lines.sort(key=lambda ln: ln.bbox.cy)
    found = None
    kept: list[Line] = []
    for line in lines:
        if is_end_of_hole(line):
            found = end_of_hole([line], tail.end, h)
            break
        kept.append(line)
    tail.lines.extend(ln for ln in kept if ln.text not in tail.text)
    if found is not None:
        tail.end = found[0]
        tail.depth_boxes = [*tail.depth_boxes[:-1], (runs[0].page, found[1])]
    return True
