"""Depth Interval boxes that tile the depth column (pure geometry).

A depth interval is printed as one or two values: a table row ("0.30 - 1.60")
or, in a drawn log, a number on each layer boundary shared by the layer above
and the layer below. The box of an interval is first the union of its printed
values; in a drawn log that makes neighbours overlap on every shared number, and
an interval with only one printed value (top not printed, open end) is a box on
that number lying inside its neighbour.

The rule a geologist would state: along the depth column, each interval owns the
span between its boundaries, and a boundary number is shared half and half.

1. An interval whose top (bottom) value is not printed on the page reaches up
   (down) to where its layer's description reaches, if that is farther.
2. Sorted along the column, two neighbours that overlap are cut in the middle of
   the overlap (the shared number); a box lying inside its neighbour ends where the
   inner one starts.
3. The across-column extent of each box stays that of its own printed values.

Works in any frame: the column's axis is the direction in which the intervals'
centres spread more, and "up" is the side of the first interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

from stratigraphy.geometry import BBox, union_all

_EPS = 1e-6


class Axis(Enum):
    X = "x"
    Y = "y"


@dataclass(frozen=True, slots=True)
class DepthCell:
    """One depth interval of a column, in depth order.

    ``boxes``: its printed values on this page; ``top_missing`` / ``bottom_missing``:
    the start / end value is not printed here (unknown, or on another page);
    ``guide``: where its layer's description lies on this page, if it does.
    """

    boxes: tuple[BBox, ...]
    top_missing: bool = False
    bottom_missing: bool = False
    guide: BBox | None = None

    def __post_init__(self) -> None:
        if not self.boxes:
            raise ValueError("a depth cell needs at least one printed value box")

    @property
    def raw(self) -> BBox:
        return union_all(self.boxes)


def _span(box: BBox, axis: Axis) -> tuple[float, float]:
    return (box.y0, box.y1) if axis is Axis.Y else (box.x0, box.x1)


def _with_span(box: BBox, axis: Axis, lo: float, hi: float) -> BBox:
    if axis is Axis.Y:
        return BBox(box.x0, lo, box.x1, hi)
    return BBox(lo, box.y0, hi, box.y1)


def column_axis(boxes: Sequence[BBox]) -> Axis:
    """The axis along which the box centres spread more (Y on a tie or for one box)."""
    if len(boxes) < 2:
        return Axis.Y
    xs = [b.cx for b in boxes]
    ys = [b.cy for b in boxes]
    return Axis.X if max(xs) - min(xs) > max(ys) - min(ys) else Axis.Y


def _downwards(spans: Sequence[tuple[float, float]]) -> int:
    """+1 when depth order runs towards larger coordinates, -1 otherwise."""
    centres = [(lo + hi) / 2 for lo, hi in spans]
    n = len(centres)
    mean_i = (n - 1) / 2
    mean_c = sum(centres) / n
    slope = sum((i - mean_i) * (c - mean_c) for i, c in enumerate(centres))
    return -1 if slope < 0 else 1


def _extend(
    span: tuple[float, float], cell: DepthCell, axis: Axis, down: int
) -> tuple[float, float]:
    lo, hi = span
    if cell.guide is None:
        return lo, hi
    g_lo, g_hi = _span(cell.guide, axis)
    if cell.top_missing:  # reach up to the description's top
        if down > 0:
            lo = min(lo, g_lo)
        else:
            hi = max(hi, g_hi)
    if cell.bottom_missing:
        if down > 0:
            hi = max(hi, g_hi)
        else:
            lo = min(lo, g_lo)
    return lo, hi


def _cut(p: tuple[float, float], q: tuple[float, float]) -> float:
    """Where ``p`` (earlier along the axis) ends and ``q`` starts when they overlap."""
    lo_p, hi_p = p
    lo_q, hi_q = q
    cut = (lo_q + hi_p) / 2 if hi_p <= hi_q else lo_q  # shared part, or q inside p
    if cut <= lo_p + _EPS:  # p would vanish (p inside q, or both the same)
        cut = (lo_p + min(hi_p, hi_q)) / 2 if lo_q <= lo_p else (lo_q + hi_p) / 2
    return min(max(cut, lo_p + _EPS), hi_q - _EPS)


def tile_column(cells: Sequence[DepthCell]) -> list[BBox]:
    """One box per cell (same order) such that neighbours along the column do not overlap."""
    raws = [cell.raw for cell in cells]
    if len(cells) < 2:
        return raws
    axis = column_axis(raws)
    down = _downwards([_span(b, axis) for b in raws])
    spans = [_extend(_span(b, axis), c, axis, down) for b, c in zip(raws, cells, strict=True)]
    order = sorted(range(len(cells)), key=lambda i: (spans[i][0] + spans[i][1]) / 2)
    for a, b in pairwise(order):
        (lo_p, hi_p), (lo_q, hi_q) = spans[a], spans[b]
        if hi_p > lo_q + _EPS:
            cut = _cut((lo_p, hi_p), (lo_q, hi_q))
            spans[a] = (lo_p, min(hi_p, cut))
            spans[b] = (max(lo_q, cut), hi_q)
    previous_hi = None
    for i in order:  # a box reaching past its neighbour's neighbour is trimmed as well
        lo, hi = spans[i]
        if previous_hi is not None and lo < previous_hi:
            lo = min(previous_hi, hi - _EPS)
        spans[i] = (lo, hi)
        previous_hi = hi
    return [_with_span(raw, axis, lo, hi) for raw, (lo, hi) in zip(raws, spans, strict=True)]
