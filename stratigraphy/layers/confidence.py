"""How sure the engine is of a layer and of a borehole: a pure function over named evidence.

The evidence is what the engine already knows when it builds a layer: whether both depths
were read, how regular the depth column is (its fit to a straight depth scale), how many of
the column's intervals found a description (values left over hint at a wrong column), the
OCR confidences of the depth words and of the description, whether the description names a
material, and whether it reads like the start of a description at all (a text starting with
its own depth, '15.7 m: fragmented.', is a sub-note of another layer).

The weights are a logistic model calibrated on ``../shared/benchmark`` (both sets, text and
image-only), rounded; each has the sign a geologist would expect.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

_DEPTH_NOTE = re.compile(
    r"^\(?\s*(at|@|from|ab|dès|bei|à|da)?\s*\d+([.,]\d+)?\s*(-\s*\d+([.,]\d+)?\s*)?(m|ft|')\b",
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


def looks_like_note(text: str) -> bool:
    """A description that starts with a depth of its own ('15.7 m: fragmented.'): a sub-note
    of a layer, or a layer whose interval was read from its own text."""
    return _DEPTH_NOTE.match(text.lstrip()) is not None


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def layer_confidence(ev: LayerEvidence) -> float:
    """Confidence in [0, 1] that the layer's interval and description are both right."""
    x = 1.0
    x += 1.2 if ev.has_start else -1.5
    x += 0.8 if ev.has_end else -1.2
    x += 0.6 if ev.contiguous else -1.0
    x += 0.5 * min(ev.material_words, 3)
    x -= 1.0 if ev.description_words < 3 else 0.0
    x -= 2.5 if ev.note_start else 0.0
    if ev.depth_ocr is not None:
        x -= 4.0 * max(0.0, 0.9 - ev.depth_ocr)
    if ev.text_ocr is not None:
        x -= 5.0 * max(0.0, 0.85 - ev.text_ocr)
    x -= 2.5 * (1.0 - ev.column_fill)
    if ev.scale_misfit is not None:
        x -= 1.5 * min(ev.scale_misfit, 1.0)
    x += 0.4 if ev.column_entries >= 4 else -0.4
    return round(_logistic(x), 3)


def borehole_confidence(layers: Sequence[float]) -> float | None:
    """A borehole is as sure as its layers, held back by its weakest ones."""
    if not layers:
        return None
    mean = sum(layers) / len(layers)
    weakest = min(layers)
    return round(0.7 * mean + 0.3 * weakest, 3)
