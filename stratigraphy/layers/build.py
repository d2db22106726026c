"""Layers of one depth column: which description lines belong to which depth interval.

Three readings of a column, all by y position of the lines:

- boundary column (``a above b``): each value is a boundary; a line belongs to the interval
  between the values above and below its centre. Lines above the first value form a first
  layer starting at the surface (0.0) when the log's top is the surface;
- inline top depths: each value starts its layer's first row; the layer ends at the next value;
  a last value without description (or with an end-of-hole note) only closes the log. When
  every row has a description and the first value is not 0, the values are bottom depths;
- interval entries (``a - b`` or from/to columns): each row gives its own interval.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from stratigraphy.depths import parse_depth_value
from stratigraphy.geometry import BBox
from stratigraphy.layers.columns import DepthColumn
from stratigraphy.layers.descriptions import join_lines, material_score
from stratigraphy.layers.entries import Entry, EntryKind
from stratigraphy.layers.runs import Run, WordGroup, rows_of
from stratigraphy.model import Segment

_END_OF_HOLE = re.compile(
    r"\b(fin du forage|fin de forage|fin du sondage|endtiefe|ende der bohrung|bohrende|"
    r"end of (bore)?hole|eoh|fine del sondaggio|fine sondaggio|fondo foro|fin du puits|"
    r"fin de la fouille|(bore|borehole|hole|boring|drilling) (discontinued|terminated))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Line(WordGroup):
    """One text line of a description column."""


@dataclass(slots=True)
class DraftLayer:
    """A layer under construction (mutable until the borehole is complete)."""

    start: float | None
    end: float | None
    lines: list[Line]
    page: int
    depth_boxes: list[tuple[int, BBox]]
    source: ColumnLayers | None = None  # the column that gave the layer (its evidence)

    @property
    def text(self) -> str:
        return join_lines([list(line.words) for line in self.lines])


@dataclass(slots=True)
class ColumnLayers:
    """What one depth column yields: its layers, and the lines above its first entry."""

    column: DepthColumn
    layers: list[DraftLayer]
    lines_above: list[Line]
    mode: str


def _lines(column: DepthColumn, runs: list[Run], with_rest: bool = True) -> list[Line]:
    rest = [Run(e.rest) for e in column.entries if e.rest] if with_rest else []
    lines: list[Line] = []
    for row in rows_of(runs + rest):
        words = tuple(w for run in row for w in run.words)
        lines.append(Line(words))
    return lines


def _is_inline(column: DepthColumn, lines: list[Line]) -> bool:
    if column.kind is EntryKind.INTERVAL:
        return True
    if drawn_to_scale(column):
        return False  # values at the heights of their depths mark boundaries, not row tops
    with_text = sum(
        1 for e in column.entries if any(len(w.text) >= 3 and w.text[0].isalpha() for w in e.rest)
    )
    if with_text >= max(2, 0.5 * len(column.entries)):
        return True
    h = column.line_height
    aligned = sum(
        1 for e in column.entries if any(abs(line.bbox.cy - e.bbox.cy) <= 0.5 * h for line in lines)
    )
    first = column.entries[0].bbox
    above = [
        ln for ln in lines if ln.bbox.cy < first.cy - 0.5 * h and first.y0 - ln.bbox.y1 <= 3 * h
    ]
    return aligned >= max(2, 0.6 * len(column.entries)) and not above


def _chain(lines: list[Line], anchor: float, h: float, upward: bool) -> list[Line]:
    """Lines following ``anchor`` (downward or upward) without a gap wider than ~3 lines."""
    ordered = sorted(lines, key=lambda ln: ln.bbox.cy, reverse=upward)
    out: list[Line] = []
    edge = anchor
    for line in ordered:
        gap = (edge - line.bbox.y1) if upward else (line.bbox.y0 - edge)
        if gap > 3 * h:
            break
        out.append(line)
        edge = line.bbox.y0 if upward else line.bbox.y1
    return out


def _before_end_of_hole(group: list[Line]) -> list[Line]:
    """The lines of a last layer above its end-of-hole line (none after it belong to it)."""
    out: list[Line] = []
    for line in group:
        if _END_OF_HOLE.search(line.text):
            break
        out.append(line)
    return out


def is_end_of_hole(line: Line) -> bool:
    """Whether a line names the end of the hole ('Endtiefe', 'Bore discontinued at 20.0m')."""
    return _END_OF_HOLE.search(line.text) is not None


def end_of_hole(lines: list[Line], after: float, h: float) -> tuple[float, BBox] | None:
    """The final depth an end-of-hole line prints ('Fin du sondage à -8.50 m', 'EOH 12.40 m').

    Only a line naming the end of the hole counts, and only a depth deeper than ``after``
    (the last top depth), within a few lines of the log's last text.
    """
    ordered = sorted(lines, key=lambda ln: ln.bbox.cy)
    if not ordered:
        return None
    limit = ordered[0].bbox.y0
    for line in ordered:
        if line.bbox.y0 - limit > 4 * h:
            break
        limit = line.bbox.y1
        match = _END_OF_HOLE.search(line.text)
        if match is None:
            continue
        for word in line.words:
            value = parse_depth_value(word.text)
            if value is not None and value > after and any(c in word.text for c in ".,"):
                return value, word.bbox
    return None


@dataclass(frozen=True, slots=True)
class ScaleFit:
    """Least-squares line ``y = intercept + slope * depth`` through a column's entries."""

    slope: float  # points per metre (> 0 when depths grow downwards)
    intercept: float  # y of depth 0
    residual: float  # largest distance of an entry from the line, in points
    spacing: float  # mean vertical gap between consecutive entries


def fit_depth_scale(column: DepthColumn) -> ScaleFit | None:
    """How well the entries' heights follow their values (None: < 3 entries or all equal)."""
    entries = column.entries
    if len(entries) < 3:
        return None
    xs = [e.value for e in entries]
    ys = [e.bbox.cy for e in entries]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx <= 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    residual = max(abs(intercept + slope * x - y) for x, y in zip(xs, ys, strict=True))
    return ScaleFit(slope, intercept, residual, (ys[-1] - ys[0]) / (n - 1))


def drawn_to_scale(column: DepthColumn) -> bool:
    """At least four values whose heights follow their depths on one straight scale, within
    a line height: a log drawn to scale."""
    fit = fit_depth_scale(column)
    if fit is None or len(column.entries) < 4 or fit.slope <= 0:
        return False
    # rows of text stand at even steps whatever their depths; a drawing to scale does not
    ys = [e.bbox.cy for e in column.entries]
    gaps = [b - a for a, b in itertools.pairwise(ys)]
    if max(gaps) < 1.5 * max(min(gaps), 1e-6):
        return False
    return fit.residual <= column.line_height and fit.residual <= 0.25 * fit.spacing


def surface_y(column: DepthColumn) -> float | None:
    """The y of depth 0 when the values sit on a linear depth scale, else None."""
    fit = fit_depth_scale(column)
    if fit is None or fit.slope <= 0:
        return None
    if fit.residual > max(0.6 * fit.spacing, 3 * column.line_height):
        return None
    return fit.intercept


def _boxes(*entries: Entry | None) -> list[tuple[int, BBox]]:
    return [(e.page, box) for e in entries if e is not None for box in e.boxes]


def _row_tops(
    column: DepthColumn, lines: list[Line], segments: tuple[Segment, ...] | list[Segment]
) -> list[float]:
    """Top of each entry's row: the ruling line above it in a ruled table, else its first line."""
    entries = column.entries
    h = column.line_height
    tops = [e.bbox.y0 - 0.3 * h for e in entries]
    if not segments or not lines:
        return tops
    x0 = min(ln.bbox.x0 for ln in lines)
    x1 = max(ln.bbox.x1 for ln in lines)
    rules = sorted(
        (s.y0 + s.y1) / 2
        for s in segments
        if s.is_horizontal
        and min(max(s.x0, s.x1), x1) - max(min(s.x0, s.x1), x0) >= 0.5 * (x1 - x0)
    )
    if len(rules) < 2:
        return tops
    for i, e in enumerate(entries):
        floor = entries[i - 1].bbox.y1 if i else float("-inf")
        above = [y for y in rules if floor - 0.1 * h < y <= e.bbox.y0 + 0.3 * h]
        if above:
            tops[i] = above[-1]
    return tops


def _rest_lines(column: DepthColumn) -> list[Line]:
    """Text printed on a boundary value's own row ('4.0 Core Loss.'): description, not unit."""
    return [
        Line(e.rest)
        for e in column.entries
        if e.rest and any(sum(c.isalpha() for c in w.text) >= 3 for w in e.rest)
    ]


def _description_rules(
    lines: list[Line], segments: tuple[Segment, ...] | list[Segment]
) -> list[float]:
    """Heights of the horizontal rules drawn across most of the description column."""
    if not segments or not lines:
        return []
    x0 = min(ln.bbox.x0 for ln in lines)
    x1 = max(ln.bbox.x1 for ln in lines)
    return sorted(
        (s.y0 + s.y1) / 2
        for s in segments
        if s.is_horizontal
        and min(max(s.x0, s.x1), x1) - max(min(s.x0, s.x1), x0) >= 0.5 * (x1 - x0)
    )


_DEPTH_NOTE = re.compile(r"^(at|@|from|ab|dès|bei|à)?\s*\d+([.,]\d+)?\s*(m|ft|')\b", re.IGNORECASE)


def _continues(line: Line) -> bool:
    """A line that goes on with the text above it: it starts in lower case or with a note of
    its own depth ('at 1 m: geofabric.')."""
    text = line.text.lstrip("(")
    return bool(text) and (text[0].islower() or _DEPTH_NOTE.match(text) is not None)


def _boundary_slots(
    lines: list[Line], bounds: list[float], rules: list[float], h: float
) -> list[tuple[Line, int]]:
    """The interval (0 = above the first value) of every line of a boundary column.

    A line lies between the values above and below its centre. Where rules separate the
    descriptions into blocks, a line level with a value (the value printed on the text row
    of a crowded log) goes with its block: with the lines above it in the block, or, as the
    block's first line, with the interval the block starts in.
    """
    out: list[tuple[Line, int]] = []
    if len(rules) < 2:
        return [(ln, sum(1 for b in bounds if ln.bbox.cy >= b)) for ln in lines]
    prev: tuple[Line, int, int] | None = None  # line, its slot, its slot by height alone
    for line in sorted(lines, key=lambda ln: ln.bbox.cy):
        cy = line.bbox.cy
        by_height = k = sum(1 for b in bounds if cy >= b)
        level = any(abs(cy - b) <= 0.3 * h for b in bounds)
        same_block = (
            prev is not None
            and not any(prev[0].bbox.cy < r < cy for r in rules)
            and line.bbox.y0 - prev[0].bbox.y1 <= 1.5 * h
        )
        if prev is not None and same_block and (prev[1] < prev[2] or (level and _continues(line))):
            # a value splits a block only where it stands clearly between two lines
            low, high = prev[0].bbox.cy + 0.3 * h, cy - 0.3 * h
            k = prev[1] + sum(1 for b in bounds if low < b < high)
        elif not same_block and any(abs(cy - b) <= 0.5 * h for b in bounds):
            # on the block's first row: a value anywhere within the row's height is on it
            above = [r for r in rules if r < line.bbox.y0 + 0.2 * h]
            if above and cy - above[-1] <= 2 * h:
                # the block starts at its rule: a value printed on the rule opens it, one
                # below the rule (pushed there by crowding) closes it
                top = above[-1] + 0.2 * h
                k = sum(1 for b in bounds if top >= b)
        out.append((line, k))
        prev = (line, k, by_height)
    return out


def column_to_layers(
    column: DepthColumn, runs: list[Run], segments: tuple[Segment, ...] | list[Segment] = ()
) -> ColumnLayers:
    """Assign the description lines beside a depth column to its depth intervals.

    ``segments`` are the page's ruling lines: in a ruled table a row starts at its ruling
    line, wherever the depth sits inside the row.
    """
    entries = column.entries
    h = column.line_height
    page = column.page
    inline = _is_inline(column, _lines(column, runs, with_rest=False))
    lines = _lines(column, runs, with_rest=inline)
    if inline:
        tops = _row_tops(column, lines, segments)
        groups: list[list[Line]] = [[] for _ in entries]
        for line in lines:
            cy = line.bbox.cy
            for i in range(len(entries) - 1, -1, -1):
                if cy >= tops[i]:
                    if i < len(entries) - 1 or line in _chain(
                        [ln for ln in lines if ln.bbox.cy >= tops[i]], entries[i].bbox.y0, h, False
                    ):
                        groups[i].append(line)
                    break
        above = [ln for ln in lines if ln.bbox.cy < tops[0]]
        layers: list[DraftLayer] = []
        last_text = " ".join(ln.text for ln in groups[-1])
        if (
            column.kind is EntryKind.VALUE
            and entries[0].value > 0
            and len(entries) >= 2
            and all(groups)
            and not _END_OF_HOLE.search(last_text)
        ):
            # every row, the last included, has a description and the first value is not the
            # surface: the values are the rows' bottom depths ('Tiefe bis', 'jusqu'à')
            for i, entry in enumerate(entries):
                prev = entries[i - 1] if i else None
                group = sorted(groups[i], key=lambda ln: ln.bbox.cy)
                layers.append(
                    DraftLayer(
                        prev.value if prev else 0.0, entry.value, group, page, _boxes(prev, entry)
                    )
                )
            return ColumnLayers(column, layers, _chain(above, tops[0], h, True), "inline-bottom")
        for i, entry in enumerate(entries):
            group = sorted(groups[i], key=lambda ln: ln.bbox.cy)
            if entry.kind is EntryKind.INTERVAL:
                if group:
                    layers.append(DraftLayer(entry.start, entry.end, group, page, _boxes(entry)))
                continue
            nxt = entries[i + 1] if i + 1 < len(entries) else None
            if nxt is None:
                body = _before_end_of_hole(group)
                if body:
                    # 'Fin du sondage à -8.50 m' under the last row gives its bottom
                    end = end_of_hole([ln for ln in lines if ln.bbox.cy >= tops[i]], entry.value, h)
                    layers.append(
                        DraftLayer(
                            entry.value,
                            end[0] if end else None,
                            body,
                            page,
                            _boxes(entry) + ([(page, end[1])] if end else []),
                        )
                    )
                break
            if group:
                layers.append(
                    DraftLayer(
                        entry.value, nxt.value if nxt else None, group, page, _boxes(entry, nxt)
                    )
                )
        return ColumnLayers(column, layers, _chain(above, tops[0], h, True), "inline")

    lines += _rest_lines(column)
    bounds = [e.bbox.cy for e in entries]
    surface = surface_y(column)
    groups = [[] for _ in range(len(entries) + 1)]
    for line, k in _boundary_slots(lines, bounds, _description_rules(lines, segments), h):
        groups[k].append(line)
    # above the first value: bounded by the depth scale when there is one, else by spacing
    above = groups[0]
    if surface is not None and entries[0].value > 0:
        above = [ln for ln in above if ln.bbox.cy >= surface - 0.5 * h]
    else:
        above = _chain(above, entries[0].bbox.y0, h, True)
    below = _chain(groups[-1], entries[-1].bbox.y1, h, False)
    if not material_score(" ".join(ln.text for ln in below)):
        below = []  # a footer or remark under the last boundary, not a layer
    layers = []
    for i in range(len(entries) - 1):
        group = sorted(groups[i + 1], key=lambda ln: ln.bbox.cy)
        if group:
            layers.append(
                DraftLayer(
                    entries[i].value,
                    entries[i + 1].value,
                    group,
                    page,
                    _boxes(entries[i], entries[i + 1]),
                )
            )
    if below:
        end = end_of_hole(groups[-1], entries[-1].value, h)
        body = _before_end_of_hole(sorted(below, key=lambda ln: ln.bbox.cy))
        if body:
            layers.append(
                DraftLayer(
                    entries[-1].value,
                    end[0] if end else None,
                    sorted(body, key=lambda ln: ln.bbox.cy),
                    page,
                    _boxes(entries[-1]) + ([(page, end[1])] if end else []),
                )
            )
    return ColumnLayers(column, layers, sorted(above, key=lambda ln: ln.bbox.cy), "boundary")
