"""Which words a drawn box holds, in reading order (pure geometry).

Words come from the PDF text layer or from an OCR reading, each with a box in one page
frame (points of the displayed page, or pixels of the page image). A box's text is the
words that lie mostly inside it:

- words are grouped into text lines (boxes overlapping vertically by half the smaller
  height);
- a line counts by how much of its height lies inside the box, compared with the line
  the box holds best: a line is in when more than half of it is inside and it is inside
  nearly as fully as that best line (within :data:`LINE_TOLERANCE`). A box drawn around
  whole lines thus leaves out the neighbours its edge grazes, however deep a hurried edge
  reaches into them, while a one-line box drawn a little off keeps its line;
- within a kept line, a word is in when most of its width is inside;
- lines top to bottom, words left to right.

Rotated boxes are handled in the box's own frame: word boxes are turned with the box so
that its lines run along its width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

LINE_TOLERANCE = 0.12
LINE_INSIDE = 0.5
WORD_INSIDE = 0.5


@dataclass(frozen=True, slots=True)
class Word:
    """A word with its box in a page frame, its confidence (0-100) and where it came from."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 100.0
    source: str = "ocr"

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def scaled(self, sx: float, sy: float) -> Word:
        return replace(self, x0=self.x0 * sx, x1=self.x1 * sx, y0=self.y0 * sy, y1=self.y1 * sy)


@dataclass(frozen=True, slots=True)
class Box:
    """A drawn box in a page frame: top-left corner, size, clockwise rotation in degrees."""

    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0

    def to_own_frame(self, word: Word) -> Word:
        """``word`` seen from the box: origin at its top-left corner, axes along its sides."""
        if abs(self.rotation) % 360 < 0.01:
            return replace(
                word,
                x0=word.x0 - self.x,
                x1=word.x1 - self.x,
                y0=word.y0 - self.y,
                y1=word.y1 - self.y,
            )
        a = math.radians(-self.rotation)
        ca, sa = math.cos(a), math.sin(a)
        corners = [(word.x0, word.y0), (word.x1, word.y0), (word.x1, word.y1), (word.x0, word.y1)]
        xs = [(x - self.x) * ca - (y - self.y) * sa for x, y in corners]
        ys = [(x - self.x) * sa + (y - self.y) * ca for x, y in corners]
        return replace(word, x0=min(xs), x1=max(xs), y0=min(ys), y1=max(ys))

    def bounds(self) -> tuple[float, float, float, float]:
        """Axis-aligned bounds of the (possibly rotated) box in the page frame."""
        a = math.radians(self.rotation)
        ca, sa = math.cos(a), math.sin(a)
        pts = [(0.0, 0.0), (self.width, 0.0), (self.width, self.height), (0.0, self.height)]
        xs = [self.x + px * ca - py * sa for px, py in pts]
        ys = [self.y + px * sa + py * ca for px, py in pts]
        return min(xs), min(ys), max(xs), max(ys)


def group_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped into visual lines (top to bottom), each sorted left to right.

    A word joins the line whose middle (median of its words' centres) is nearest to its
    centre, if within half the line's median word height; a tall word (a glyph touching a
    mark) thus joins the line it sits on, not the one its box happens to reach.
    """
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.cy, w.x0)):
        best: tuple[float, int] | None = None
        for i, line in enumerate(lines):
            middle = _median([w.cy for w in line])
            reach = 0.5 * max(_median([w.height for w in line]), 1e-9)
            distance = abs(word.cy - middle)
            if distance <= reach and (best is None or distance < best[0]):
                best = (distance, i)
        if best is None:
            lines.append([word])
        else:
            lines[best[1]].append(word)
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return sorted(lines, key=lambda line: _median([w.cy for w in line]))


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def _line_band(line: Sequence[Word]) -> tuple[float, float]:
    """The line's vertical extent: median top and bottom of its words (robust to odd boxes)."""
    return _median([w.y0 for w in line]), _median([w.y1 for w in line])


def _inside_fraction(low: float, high: float, lo: float, hi: float) -> float:
    if high <= low:
        return 1.0 if lo <= low <= hi else 0.0
    return max(0.0, min(high, hi) - max(low, lo)) / (high - low)


def select(words: Iterable[Word], box: Box) -> list[list[Word]]:
    """The lines of words that ``box`` holds (see the module docstring), in its own frame."""
    x0, y0, x1, y1 = box.bounds()
    near = [w for w in words if w.x1 > x0 and w.x0 < x1 and w.y1 > y0 and w.y0 < y1]
    own = [box.to_own_frame(w) for w in near]
    lines = group_lines(w for w in own if w.x1 > 0 and w.x0 < box.width)
    scored: list[tuple[float, list[Word]]] = []
    for line in lines:
        kept = [w for w in line if _inside_fraction(w.x0, w.x1, 0.0, box.width) >= WORD_INSIDE]
        if not kept:
            continue
        top, bottom = _line_band(line)
        scored.append((_inside_fraction(top, bottom, 0.0, box.height), kept))
    if not scored:
        return []
    best = max(f for f, _ in scored)
    return [line for f, line in scored if f > LINE_INSIDE and f >= best - LINE_TOLERANCE]


def lines_text(lines: Sequence[Sequence[Word]]) -> str:
    """Words joined by one space, lines by one space."""
    return " ".join(" ".join(w.text for w in line) for line in lines if line)
