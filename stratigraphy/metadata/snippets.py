"""Phrases of a page: words grouped into rows and split at wide gaps, with char-to-box mapping.

Header facts are printed as ``label value`` pairs whose parts are often separate
PDF lines (a label column and a value column on the same row). Phrases are the
unit the metadata parsers look at, alone or joined with their right or lower
neighbour.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from stratigraphy.geometry import BBox, union_all
from stratigraphy.model import PageContent, Word


@dataclass(frozen=True, slots=True)
class Snippet:
    """Words read left to right as one string; ``offsets[i]``: word i's (start, end) in ``text``."""

    words: tuple[Word, ...]
    text: str = field(init=False)
    offsets: tuple[tuple[int, int], ...] = field(init=False)
    bbox: BBox = field(init=False)

    def __post_init__(self) -> None:
        parts: list[str] = []
        offsets: list[tuple[int, int]] = []
        pos = 0
        for w in self.words:
            if parts:
                pos += 1
            offsets.append((pos, pos + len(w.text)))
            parts.append(w.text)
            pos += len(w.text)
        object.__setattr__(self, "text", " ".join(parts))
        object.__setattr__(self, "offsets", tuple(offsets))
        object.__setattr__(self, "bbox", union_all(w.bbox for w in self.words))

    @property
    def page(self) -> int:
        return self.words[0].page

    def span_bbox(self, start: int, end: int) -> BBox:
        """Box of the words that overlap characters ``start:end``."""
        hit = [
            w.bbox
            for w, (a, b) in zip(self.words, self.offsets, strict=True)
            if a < end and b > start
        ]
        return union_all(hit) if hit else self.bbox

    def join(self, other: Snippet) -> Snippet:
        return Snippet(self.words + other.words)


def _rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into rows by vertical overlap, each row sorted left to right."""
    rows: list[list[Word]] = []
    boxes: list[BBox] = []
    for w in sorted(words, key=lambda w: (w.bbox.cy, w.bbox.x0)):
        h = max(w.bbox.height, 1.0)
        for i in range(len(rows) - 1, max(-1, len(rows) - 60), -1):
            box = boxes[i]
            if (
                w.bbox.vertical_overlap(box) >= 0.5 * min(h, max(box.height, 1.0))
                and abs(w.bbox.cy - box.cy) < 0.6 * h
            ):
                rows[i].append(w)
                boxes[i] = box.union(w.bbox)
                break
        else:
            rows.append([w])
            boxes.append(w.bbox)
    for row in rows:
        row.sort(key=lambda w: w.bbox.x0)
    return rows


def page_phrases(page: PageContent) -> list[Snippet]:
    """Phrases of one page, top to bottom, left to right."""
    if not page.words:
        return []
    heights = [w.bbox.height for w in page.words if w.bbox.height > 0]
    typical = statistics.median(heights) if heights else 10.0
    out: list[Snippet] = []
    for row in _rows(page.words):
        current: list[Word] = [row[0]]
        for w in row[1:]:
            gap = w.bbox.x0 - current[-1].bbox.x1
            if gap > 1.6 * max(typical, min(w.bbox.height, current[-1].bbox.height)):
                out.append(Snippet(tuple(current)))
                current = [w]
            else:
                current.append(w)
        out.append(Snippet(tuple(current)))
    return out


def right_neighbour(
    phrase: Snippet, phrases: Sequence[Snippet], max_gap: float = 200.0
) -> Snippet | None:
    """The nearest phrase on the same row to the right (within ``max_gap`` points)."""
    box = phrase.bbox
    best: tuple[float, Snippet] | None = None
    for other in phrases:
        if other is phrase or other.page != phrase.page:
            continue
        ob = other.bbox
        if ob.x0 < box.x1 - 1 or ob.vertical_overlap(box) < 0.4 * min(box.height, ob.height):
            continue
        gap = ob.x0 - box.x1
        if gap <= max_gap and (best is None or gap < best[0]):
            best = (gap, other)
    return best[1] if best else None


def below_neighbour(
    phrase: Snippet, phrases: Sequence[Snippet], max_gap: float | None = None
) -> Snippet | None:
    """The nearest phrase right below, overlapping horizontally."""
    box = phrase.bbox
    limit = max_gap if max_gap is not None else 2.5 * max(box.height, 6.0)
    best: tuple[float, Snippet] | None = None
    for other in phrases:
        if other is phrase or other.page != phrase.page:
            continue
        ob = other.bbox
        if ob.y0 < box.y1 - 1 or ob.horizontal_overlap(box) <= 0:
            continue
        gap = ob.y0 - box.y1
        if gap <= limit and (best is None or gap < best[0]):
            best = (gap, other)
    return best[1] if best else None


def above_neighbour(phrase: Snippet, phrases: Sequence[Snippet]) -> Snippet | None:
    """The nearest phrase right above, overlapping horizontally."""
    box = phrase.bbox
    limit = 2.5 * max(box.height, 6.0)
    best: tuple[float, Snippet] | None = None
    for other in phrases:
        if other is phrase or other.page != phrase.page:
            continue
        ob = other.bbox
        if ob.y1 > box.y0 + 1 or ob.horizontal_overlap(box) <= 0:
            continue
        gap = box.y0 - ob.y1
        if gap <= limit and (best is None or gap < best[0]):
            best = (gap, other)
    return best[1] if best else None
