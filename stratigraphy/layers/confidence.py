"""How sure the engine is of a layer and of a borehole: a pure function over named evidence.

The evidence is what the engine already knows when it builds a layer: whether both depths
were read, how regular the depth column is (its fit to a straight depth scale), how many of
the column's intervals found a description (values left over hint at a wrong column), the
OCR confidences of the depth words and of the description, whether the description names a
material, and whether it reads like the start of a description at all (a text starting with
its own depth, '15.7 m: fragmented.', is a sub-note of another layer).

The weights are a logistic model fitted on ``../shared/benchmark`` (both sets, text and
image-only copies; benchmarks/bench_extraction.py reports its AUROC), then rounded and held
to the sign a geologist would expect; the scale of the depth column (its fit to a straight
line) did not separate right from wrong layers and is kept as evidence only.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

_DEPTH_NOTE = re.compile(
    r"^\(?\s*(at|@|from|ab|dès|bei|à|da)?\s*\d+([.,]\d+)?\s*(-\s*\d+([.,]\d+)?\s*)?(m\b|ft\b|')",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LayerEvidence:
    """What speaks for or against one layer."""

    has_start: bool
    has_end: bool
    contiguous: bool  # starts where the layer above ends (or at the surface)
    material_words: int  # material names in the description
    description_words: int
    note_start: bool  # the description starts with a depth of its own
    depth_ocr: float | None  # lowest OCR confidence 0..1 of the column's depth words
    text_ocr: float | None  # mean OCR confidence 0..1 of the description words
    column_fill: float  # share of the column's intervals that found a description, 0..1
    scale_misfit: float | None  # largest distance from a straight depth scale / spacing
    column_entries: int
    restarts: int = 0  # lines after the first that start a new description (two layers in one)


def restarts(lines: Sequence[str]) -> int:
    """Lines that open a new description: a capital after a line that closed a sentence.

    One layer's text is one description; two of them in one layer mean a boundary was missed.
    """
    count = 0
    for before, line in itertools.pairwise(lines):
        head = line.lstrip("(")
        if before.rstrip().endswith((".", ")")) and head[:1].isupper() and len(head) > 2:
            count += 1
    return count


def looks_like_note(text: str) -> bool:
    """A description that starts with a depth of its own ('15.7 m: fragmented.'): a sub-note
    of a layer, or a layer whose interval was read from its own text."""
    return _DEPTH_NOTE.match(text.lstrip()) is not None


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def layer_confidence(ev: LayerEvidence) -> float:
    """Confidence in [0, 1] that the layer's interval and description are both right."""
    x = 2.6
    x -= 0.0 if ev.has_start else 2.0
    x -= 0.0 if ev.has_end else 1.0
    x -= 0.0 if ev.contiguous else 1.2  # a gap or overlap with the layer above
    x -= 1.5 if ev.note_start else 0.0
    x -= 1.2 * min(ev.restarts, 2)
    x -= 3.0 * (1.0 - ev.column_fill)  # values left over that fit no description
    if ev.depth_ocr is not None or ev.text_ocr is not None:
        x -= 1.6  # read by OCR (depths, or the text of a log drawn against a scale)
    if ev.depth_ocr is not None:  # the worse the reading of the depths, the less sure
        x -= 2.0 * max(0.0, 0.9 - ev.depth_ocr)
    if ev.text_ocr is not None:
        x -= 5.0 * max(0.0, 0.9 - ev.text_ocr)
    x -= 1.0 if ev.column_entries < 3 else 0.0  # two values are a weak depth column
    x += 0.3 * min(ev.material_words, 3)
    x -= 0.8 if ev.description_words < 2 else 0.0
    return round(_logistic(x), 3)


def borehole_confidence(layers: Sequence[float]) -> float | None:
    """A borehole is as sure as its layers, held back by its weakest ones."""
    if not layers:
        return None
    mean = sum(layers) / len(layers)
    weakest = min(layers)
    return round(0.7 * mean + 0.3 * weakest, 3)
