"""Text runs: words chained left to right on one row with no column gap between them.

PDF text lines (and OCR lines) often merge neighbouring table columns; runs split them
again at gaps wider than about one line height, so a depth value standing in its own
column becomes a run of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stratigraphy.geometry import BBox, union_all
from stratigraphy.model import Word

#: A gap wider than this many word heights starts a new run.
GAP_FACTOR = 1.3

_LETTER = re.compile(r"[^\W\d_]{2,}")
_ALNUM = re.compile(r"[^\W_]")


@dataclass(frozen=True, slots=True)
class WordGroup:
    """Words read left to right: a text line, or a run of one row."""

    words: tuple[Word, ...]

    @property
    def bbox(self) -> BBox:
        return union_all(w.bbox for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True, slots=True)
class Run(WordGroup):
    """Words of one row, left to right, with no column gap between them."""

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def height(self) -> float:
        heights = sorted(w.bbox.height for w in self.words)
        return heights[len(heights) // 2]

    @property
    def has_letters(self) -> bool:
        return any(_LETTER.search(w.text) for w in self.words)


def is_horizontal(word: Word) -> bool:
    """False for words of vertical text (tall narrow boxes with several characters)."""
    box = word.bbox
    return not (len(word.text) >= 3 and box.height > 1.5 * box.width)


def _same_row(a: BBox, b: BBox) -> bool:
    overlap = a.vertical_overlap(b)
    return overlap >= 0.5 * min(a.height, b.height)


def words_to_runs(words: list[Word] | tuple[Word, ...]) -> list[Run]:
    """Chain the horizontal words of one page into runs (sorted top to bottom, left to right)."""
    chains: list[list[Word]] = []
    for word in sorted(
        (w for w in words if is_horizontal(w) and w.text.strip()), key=lambda w: w.bbox.x0
    ):
        best: list[Word] | None = None
        best_gap = 0.0
        for chain in chains:
            last = chain[-1]
            if not _same_row(last.bbox, word.bbox):
                continue
            lo, hi = sorted((last.bbox.height, word.bbox.height))
            if hi > 2 * lo and _ALNUM.search(last.text) and _ALNUM.search(word.text):
                # OCR noise from hatching is much taller or flatter than text (dashes are flat)
                continue
            gap = word.bbox.x0 - last.bbox.x1
            limit = GAP_FACTOR * hi
            # OCR sometimes stretches a word's box over its neighbours on the same line
            stretched = (
                gap < -0.5 * word.bbox.height
                and word.conf is not None
                and word.line == last.line
                and last.bbox.x0 < word.bbox.x0
            )
            if (-0.5 * word.bbox.height <= gap <= limit or stretched) and (
                best is None or gap < best_gap
            ):
                best, best_gap = chain, gap
        if best is None:
            chains.append([word])
        else:
            best.append(word)
    runs = [Run(tuple(chain)) for chain in chains]
    runs.sort(key=lambda r: (round(r.bbox.cy, 1), r.bbox.x0))
    return runs


def rows_of(runs: list[Run]) -> list[list[Run]]:
    """Group runs whose boxes share a row, top to bottom (each row left to right)."""
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: r.bbox.cy):
        if rows and _same_row(rows[-1][-1].bbox, run.bbox):
            rows[-1].append(run)
        else:
            rows.append([run])
    return [sorted(row, key=lambda r: r.bbox.x0) for row in rows]
