"""The better source word by word: a scanned page's OCR text layer against a fresh OCR (pure).

Both readings are words in one frame. Words of the two sources that overlap on the page
are compared as groups (one layer word may be two OCR words and the other way round):

- the fresh reading replaces the layer's words only where Tesseract is sure of it
  (confidence at least :data:`SURE`) and it reads better: more of its words are known
  geology or function words (:func:`text_extractor.cleanup.is_known`), or its character
  classes are more plausible (letters of the four languages, sane case, no digits glued
  to letters);
- words only the fresh reading has are added when it is sure of them and they look like
  words (the layer lost them); words only the layer has are kept.

A good layer therefore survives a worse OCR word for word, and a poor one is repaired where
the fresh reading is surer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from text_extractor.cleanup import text_quality
from text_extractor.words import Word, group_lines

SURE = 80.0  # Tesseract confidence from which a fresh word may replace a layer word
SURE_NEW = 88.0  # ... and from which a word the layer lacks is added


@dataclass(frozen=True, slots=True)
class Merged:
    lines: list[list[Word]]
    replaced: int  # groups where the fresh reading won
    added: int  # fresh words the layer lacked


def _overlap(a: Word, b: Word) -> bool:
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.y1, b.y1) - max(a.y0, b.y0)
    return dx > 0.3 * min(a.width, b.width) and dy > 0.4 * min(a.height, b.height)


def _score(words: Sequence[Word]) -> float:
    q = text_quality(" ".join(w.text for w in words))
    return q.score + q.known


def merge(layer: Sequence[Word], fresh: Sequence[Word]) -> Merged:
    """Layer words with the fresh reading's surer words in their place (see the module doc)."""
    n = len(layer)
    items = list(layer) + list(fresh)
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(n, len(items)):
            if _overlap(items[i], items[j]):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    chosen: list[Word] = []
    replaced = added = 0
    for members in groups.values():
        ours = [items[i] for i in members if i < n]
        theirs = [items[i] for i in members if i >= n]
        if not theirs:
            chosen.extend(ours)
            continue
        conf = min(w.conf for w in theirs)
        if not ours:
            q = text_quality(" ".join(w.text for w in theirs))
            if conf >= SURE_NEW and q.score >= 1.0:
                chosen.extend(theirs)
                added += len(theirs)
            continue
        if conf >= SURE and _score(theirs) > _score(ours) + 0.01:
            chosen.extend(theirs)
            replaced += 1
        else:
            chosen.extend(ours)
    return Merged(group_lines(chosen), replaced, added)
