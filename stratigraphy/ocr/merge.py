"""Judge an OCR reading by Tesseract's confidences, and merge two readings of one page.

A page is read once as rendered. Only when that reading is poor (:func:`reading_is_poor`)
is a prepared copy of the page read too (see :mod:`stratigraphy.ocr.prepare`); the two
readings are then merged word by word, keeping in every place the reading Tesseract is
surer of (:func:`merge_readings`). Pure functions over :class:`OcrWord` lists whose boxes are
in the pixels of one and the same image.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from stratigraphy.ocr.tesseract import OcrWord

UNSURE_CONF = 60.0  # Tesseract word confidence below which a reading is doubtful
MARGIN = 5.0  # the second reading must be this much surer to replace the first
NEW_WORD_CONF = 85.0  # a word only the prepared reading found must be this sure (see below)


@dataclass(frozen=True, slots=True)
class ReadingQuality:
    """How sure Tesseract was of the text-like words of a reading."""

    words: int  # words with at least two letters or digits
    unsure: int  # of those, words below UNSURE_CONF
    mean_conf: float

    @property
    def unsure_share(self) -> float:
        return self.unsure / self.words if self.words else 1.0


def _text_like(word: OcrWord) -> bool:
    return sum(ch.isalnum() for ch in word.text) >= 2


def _lettered(word: OcrWord) -> bool:
    return sum(ch.isalpha() for ch in word.text) >= 3


def reading_quality(words: Sequence[OcrWord]) -> ReadingQuality:
    """Counts and mean confidence over the words that look like text (not hatching specks)."""
    texty = [w for w in words if _text_like(w)]
    if not texty:
        return ReadingQuality(0, 0, 0.0)
    unsure = sum(1 for w in texty if w.conf < UNSURE_CONF)
    return ReadingQuality(len(texty), unsure, sum(w.conf for w in texty) / len(texty))


def reading_is_poor(words: Sequence[OcrWord], max_unsure_share: float) -> bool:
    """True when more than ``max_unsure_share`` of the text-like words are unsure.

    A page without any text-like word is poor too (a prepared copy may still hold some).
    """
    quality = reading_quality(words)
    return quality.words == 0 or quality.unsure_share > max_unsure_share


def _overlap(a: OcrWord, b: OcrWord) -> bool:
    """The boxes share at least half of the smaller one (the same ink, read twice)."""
    inter = a.bbox.intersection_area(b.bbox)
    return inter > 0.5 * max(1e-6, min(a.bbox.area, b.bbox.area))


def _weight(word: OcrWord) -> float:
    return float(max(1, sum(ch.isalnum() for ch in word.text)))


def _mean_conf(words: Sequence[OcrWord]) -> float:
    total = sum(_weight(w) for w in words)
    return sum(w.conf * _weight(w) for w in words) / total


def _text(words: Sequence[OcrWord]) -> str:
    return "".join(w.text for w in words)


_DECIMAL = re.compile(r"\d[.,]\d")


def _keeps_decimal_point(sure: Sequence[OcrWord], other: Sequence[OcrWord]) -> bool:
    """``sure`` reads the same digits as ``other`` and a decimal separator ``other`` lost.

    Tesseract drops the faint point of ``1.7`` on poor scans (and is still confident of
    ``17``); it does not put a point between two digits where the paper has none.
    """
    a, b = _text(sure), _text(other)
    digits_a = "".join(ch for ch in a if ch.isdigit())
    return (
        len(digits_a) >= 2
        and digits_a == "".join(ch for ch in b if ch.isdigit())
        and _DECIMAL.search(a) is not None
        and _DECIMAL.search(b) is None
    )


def merge_readings(
    first: Sequence[OcrWord],
    second: Sequence[OcrWord],
    *,
    margin: float = MARGIN,
    min_lone_conf: float = UNSURE_CONF,
    min_new_conf: float = NEW_WORD_CONF,
) -> list[OcrWord]:
    """The words of two readings of one image, the surer reading kept wherever they overlap.

    Overlapping words form groups (one word may be split in two by the other reading). In
    each group the first reading stays when both read the same text, or unless the second
    is ``margin`` points surer (mean confidence per letter); a number keeps the decimal point
    one reading saw and the other lost, whatever the confidences. A word only one reading
    found is kept when that reading is sure of it (``min_lone_conf``): unsure lone words are
    mostly speckle, hatching or shadow in which the other reading saw no text. A word only the
    second reading found that is not a word of three letters must reach ``min_new_conf``:
    removing rules breaks hatching into blobs Tesseract reads as short numbers ('277' at 81).
    The result lists the first reading's kept words in their order, then the second's.
    """
    parent = list(range(len(first) + len(second)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    n = len(first)
    order = sorted(range(n), key=lambda i: first[i].bbox.y0)
    tops = [first[i].bbox.y0 for i in order]
    tallest = max((w.bbox.height for w in first), default=0.0)
    for j, b in enumerate(second):  # only first words whose top lies near b's rows can overlap
        lo = bisect.bisect_left(tops, b.bbox.y0 - tallest)
        hi = bisect.bisect_right(tops, b.bbox.y1)
        for i in order[lo:hi]:
            if _overlap(first[i], b):
                parent[find(n + j)] = find(i)
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(n):
        groups.setdefault(find(i), ([], []))[0].append(i)
    for j in range(len(second)):
        groups.setdefault(find(n + j), ([], []))[1].append(j)
    keep_first: set[int] = set()
    keep_second: set[int] = set()
    for ones, twos in groups.values():
        if not twos:
            keep_first.update(i for i in ones if first[i].conf >= min_lone_conf)
        elif not ones:
            keep_second.update(
                j
                for j in twos
                if second[j].conf >= (min_lone_conf if _lettered(second[j]) else min_new_conf)
                and _text_like(second[j])
            )
        else:
            old, new = [first[i] for i in ones], [second[j] for j in twos]
            if len(old) == len(new) and _text(old) == _text(new):  # the same words: keep boxes
                keep_first.update(ones)
            elif _keeps_decimal_point(new, old) or (
                not _keeps_decimal_point(old, new) and _mean_conf(new) > _mean_conf(old) + margin
            ):
                keep_second.update(twos)
            else:
                keep_first.update(ones)
    return [w for i, w in enumerate(first) if i in keep_first] + [
        w for j, w in enumerate(second) if j in keep_second
    ]
