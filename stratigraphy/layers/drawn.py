"""Logs whose boundaries are only drawn lines against a depth scale.

Some logs (CAD-plotted ones above all) print no depth at a boundary: the boundary is a rule
drawn across the description column, and its depth is read off the page's depth scale
(whole-metre labels ``0 1 2 3``, often with tick marks). The scale is calibrated from its
labels, each snapped to its tick mark when one is drawn beside it; every rule across the
descriptions then has a depth, and the text between two rules is a layer.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from stratigraphy.depths import parse_depth_value
from stratigraphy.layers.build import _END_OF_HOLE, DraftLayer, Line, end_of_hole
from stratigraphy.layers.descriptions import is_description_run, material_score
from stratigraphy.layers.runs import Run, rows_of
from stratigraphy.model import PageContent, Segment


@dataclass(frozen=True, slots=True)
class DepthScale:
    """``y = top + per_metre * depth`` from a scale's labels; ``residual`` in points."""

    top: float
    per_metre: float
    residual: float
    x1: float  # right edge of the labels
    first: float
    last: float  # deepest label

    def depth(self, y: float) -> float:
        return (y - self.top) / self.per_metre

    def y(self, depth: float) -> float:
        return self.top + self.per_metre * depth


def _label_value(run: Run) -> float | None:
    if len(run.words) != 1:
        return None
    # a label glued to its tick mark reads with a dash before it ('—4'); French scales print
    # depths below the surface as negative numbers ('-4')
    text = run.words[0].text.lstrip("-\u2010\u2011\u2012\u2013\u2014\u2212_~")
    if not text.isdigit() or len(text) > 3:
        return None
    return parse_depth_value(text)


def _snap(run: Run, segments: list[Segment]) -> float:
    """A label's height: the tick mark drawn level with it, else its centre."""
    box = run.bbox
    h = box.height
    ticks = [
        (s.y0 + s.y1) / 2
        for s in segments
        if s.is_horizontal
        and s.length <= 8 * h
        and abs((s.y0 + s.y1) / 2 - box.cy) <= 0.6 * h
        and min(abs(min(s.x0, s.x1) - box.x1), abs(max(s.x0, s.x1) - box.x0)) <= 4 * h
    ]
    return min(ticks, key=lambda t: abs(t - box.cy)) if ticks else box.cy


def depth_scale(runs: list[Run], segments: list[Segment]) -> DepthScale | None:
    """The page's depth scale: the longest stack of whole numbers 0, 1, 2 ... (step 1) at
    even heights, aligned on the right, growing downwards."""
    labels = [(r, v) for r in runs if (v := _label_value(r)) is not None]
    best: DepthScale | None = None
    best_n = 0
    for anchor, _ in labels:
        h = anchor.bbox.height
        stack = sorted(
            ((r, v) for r, v in labels if abs(r.bbox.x1 - anchor.bbox.x1) <= 0.6 * h),
            key=lambda rv: rv[0].bbox.cy,
        )
        values = [v for _, v in stack]
        if len(stack) < 4 or any(b - a != 1 for a, b in itertools.pairwise(values)):
            continue
        if len(stack) <= best_n:
            continue
        ys = [_snap(r, segments) for r, _ in stack]
        n = len(ys)
        mx, my = sum(values) / n, sum(ys) / n
        sxx = sum((x - mx) ** 2 for x in values)
        slope = sum((x - mx) * (y - my) for x, y in zip(values, ys, strict=True)) / sxx
        if slope <= 2 * h:
            continue
        top = my - slope * mx
        residual = max(abs(top + slope * x - y) for x, y in zip(values, ys, strict=True))
        if residual > 0.1 * slope:
            continue
        best = DepthScale(top, slope, residual, anchor.bbox.x1, values[0], values[-1])
        best_n = n
    return best


_THICKNESS = re.compile(r"^(\d{1,4})\s?(mm|cm)\b", re.IGNORECASE)


def _surface_layer(
    runs: list[Run], scale: DepthScale, h: float, x0: float, x1: float
) -> tuple[float, Line] | None:
    """A thin surface layer given by its thickness over the top of the log ('50mm ASPHALT',
    '15 cm Humus'): too thin to draw, so it is named above the first rule."""
    top = scale.y(0.0)
    for run in runs:
        r = run.bbox
        if not (top - 2.5 * h <= r.cy < top and r.x1 > x0 and r.x0 < x1):
            continue
        match = _THICKNESS.match(run.text)
        if match is None or not material_score(run.text):
            continue
        size = float(match.group(1)) / (1000.0 if match.group(2).lower() == "mm" else 100.0)
        if 0 < size < 1.0:
            return round(size, 3), Line(run.words)
    return None


def drawn_layers(page: PageContent, runs: list[Run]) -> list[DraftLayer]:
    """The layers of a page whose boundaries are rules across the descriptions, read against
    its depth scale; empty when the page has no such log."""
    segments = list(page.segments)
    scale = depth_scale(runs, segments)
    if scale is None:
        return []
    lo, hi = scale.y(min(scale.first, 0.0)) - 5, scale.y(scale.last) + 5  # the log starts at 0
    text = [
        r for r in runs if r.bbox.x0 > scale.x1 and lo <= r.bbox.cy <= hi and is_description_run(r)
    ]
    if not text:
        return []
    h = sorted(r.bbox.height for r in text)[len(text) // 2]
    # the description column: the left edge shared by the runs naming most materials
    starts: dict[int, list[Run]] = {}
    for r in text:
        starts.setdefault(round(r.bbox.x0 / (1.5 * h)), []).append(r)
    key = max(
        starts, key=lambda k: (sum(material_score(r.text) for r in starts[k]), len(starts[k]))
    )
    column = [r for r in text if abs(round(r.bbox.x0 / (1.5 * h)) - key) <= 1]
    if sum(material_score(r.text) for r in column) < 2:
        return []
    x0 = min(r.bbox.x0 for r in column)
    x1 = max(r.bbox.x1 for r in column)
    rules = sorted(
        {
            (s.y0 + s.y1) / 2
            for s in segments
            if s.is_horizontal
            and min(s.x0, s.x1) <= x0 + h
            and max(s.x0, s.x1) >= x0 + 0.6 * (x1 - x0)
            and lo <= (s.y0 + s.y1) / 2 <= hi
        }
    )
    lines = [Line(tuple(w for run in row for w in run.words)) for row in rows_of(column)]
    bounds: list[float] = []
    for y in rules:
        if not bounds or y - bounds[-1] > 0.5 * h:
            bounds.append(y)
    if not bounds or scale.depth(bounds[0]) > 0.05:
        bounds.insert(0, scale.y(0.0))
    layers: list[DraftLayer] = []
    for a, b in itertools.pairwise(bounds):
        group = [ln for ln in lines if a < ln.bbox.cy < b and not _END_OF_HOLE.search(ln.text)]
        if not group:
            continue
        start, end = round(max(scale.depth(a), 0.0), 2), round(scale.depth(b), 2)
        layers.append(DraftLayer(start, end, group, page.number, []))
    if not layers:
        return []
    surface = _surface_layer(runs, scale, h, x0, x1)
    if surface is not None and layers[0].start == 0.0 and (layers[0].end or 0) > surface[0]:
        thickness, line = surface
        layers[0].start = thickness
        layers.insert(0, DraftLayer(0.0, thickness, [line], page.number, []))
    below = [ln for ln in lines if ln.bbox.cy > bounds[-1]]
    printed = end_of_hole(below, layers[-1].end or 0.0, h)
    if printed is not None and abs(printed[0] - (layers[-1].end or 0.0)) <= 0.05:
        layers[-1].end = printed[0]  # the printed final depth is more precise than the drawing
    return layers
