"""Second, focused reading of numbers that page OCR may have cut short.

Sparse-text OCR (psm 11) finds isolated numbers well but sometimes drops part of
them: a typewriter ``38.2`` comes back as ``38``, an underlined ``23.20`` as ``20``.
The dropped glyphs are still ink on the page right next to the word box, covered by
no word. So: for every short number without decimals, follow the ink sideways from
its box (small gaps only, never into a neighbouring word); where there is uncovered
ink, crop it, stack all such crops of a page into one small image (one per line,
white between) and read it once with a digit whitelist. A reading replaces the word
only when it is a strict extension of it (:func:`accept_reread`).

The decision and the geometry are pure functions; Tesseract is called once per page
through :mod:`stratigraphy.ocr.tesseract`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from label_studio_ml.errors import OcrEngineError
from stratigraphy.geometry import BBox
from stratigraphy.ocr import tesseract

log = logging.getLogger(__name__)

MAX_REREADS = 80  # crops per page: one Tesseract run stays well under a second
MIN_REREAD_CONF = 60.0
WHITELIST = "0123456789.,-"
REACH = 3.0  # at most this many word heights of ink are followed on each side
MAX_GAP = 0.8  # a blank run wider than this (in word heights) ends a number
MIN_EXTRA_INK = 0.3  # uncovered ink narrower than this (in word heights) is not worth a reading
MAX_ADDED_CHARS = 3

_CANDIDATE = re.compile(r"^[-+]?\d{1,4}[.,]?$")
_DECIMAL = re.compile(r"^[-+]?\d{1,4}[.,]\d{1,3}$")


def is_candidate(text: str) -> bool:
    """A short number without decimal digits (``38``, ``104``, ``0.``, ``-2``): maybe cut short."""
    return bool(_CANDIDATE.match(text))


def accept_reread(
    old: str, new: str, conf: float, *, min_conf: float = MIN_REREAD_CONF
) -> str | None:
    """The re-read ``new`` when it completes ``old`` with the decimals OCR dropped, else None.

    Accepted only when ``new`` is a decimal number (``38.2``, ``23,20``), ``old`` had no
    decimal digits, ``old`` (without a trailing separator) is a part of ``new`` (digits
    were added, none changed), at most a few characters were added, and Tesseract is
    reasonably sure. Anything else (a different number, a date, a code) keeps ``old``.
    """
    new = new.strip()
    if conf < min_conf or not is_candidate(old) or not _DECIMAL.match(new):
        return None
    core = old.rstrip(".,")
    if core not in new or len(new) - len(old) > MAX_ADDED_CHARS or len(new) <= len(old):
        return None
    if old[-1] in ".," and not new.startswith(old):  # '0.' may only gain decimals: '0.4'
        return None
    return new


def ink_run(
    ink: np.ndarray, start: int, end: int, lo: int, hi: int, max_gap: int
) -> tuple[int, int]:
    """Columns ``[a, b)`` of the ink around the word columns ``[start, end)``, within ``[lo, hi)``.

    ``ink`` is a boolean per column. The run grows sideways over inked columns and
    across blank gaps of at most ``max_gap`` columns; it never leaves ``[lo, hi)``.
    """
    a, b = start, end
    x, blank = start - 1, 0
    while x >= lo:
        if ink[x]:
            a, blank = x, 0
        else:
            blank += 1
            if blank > max_gap:
                break
        x -= 1
    x, blank = end, 0
    while x < hi:
        if ink[x]:
            b, blank = x + 1, 0
        else:
            blank += 1
            if blank > max_gap:
                break
        x += 1
    return a, b


@dataclass(frozen=True, slots=True)
class Crop:
    """The pixel box to read again for word ``index``."""

    index: int
    box: BBox


def plan_crops(
    gray: np.ndarray, texts: Sequence[str], boxes: Sequence[BBox], *, limit: int = MAX_REREADS
) -> list[Crop]:
    """Crops of the candidate numbers that have uncovered ink beside them (at most ``limit``).

    ``boxes`` are pixel boxes in ``gray``; every box is an obstacle for the others, so a
    crop never takes in a neighbouring word.
    """
    rows, cols = gray.shape
    crops: list[Crop] = []
    if not boxes:
        return crops
    all_x0, all_y0, all_x1, all_y1 = (
        np.array(v, dtype=float)
        for v in zip(*((b.x0, b.y0, b.x1, b.y1) for b in boxes), strict=True)
    )
    for i, (text, box) in enumerate(zip(texts, boxes, strict=True)):
        if not is_candidate(text) or box.height < 4:
            continue
        h = box.height
        overlap = np.minimum(all_y1, box.y1) - np.maximum(all_y0, box.y0)
        same_line = overlap >= 0.3 * np.minimum(h, all_y1 - all_y0)
        same_line[i] = False
        left = all_x1[same_line & (all_x1 <= box.x0 + 1)]
        right = all_x0[same_line & (all_x0 >= box.x1 - 1) & (all_x1 > box.x0 + 1)]
        lo = max([box.x0 - REACH * h, *(left + 1)])
        hi = min([box.x1 + REACH * h, *(right - 1)])
        y0, y1 = max(0, int(box.y0)), min(rows, round(box.y1))
        lo_i, hi_i = max(0, int(lo)), min(cols, int(hi))
        x0, x1 = max(lo_i, int(box.x0)), min(hi_i, round(box.x1))
        if y1 - y0 < 3 or x1 <= x0:
            continue
        band = gray[y0:y1, :] < 128
        ink = band.sum(axis=0) >= max(1, int(0.08 * (y1 - y0)))
        a, b = ink_run(ink, x0, x1, lo_i, hi_i, max(2, int(MAX_GAP * h)))
        if (x0 - a) + (b - x1) < MIN_EXTRA_INK * h:
            continue
        pad_y = 0.25 * h
        crops.append(
            Crop(
                i,
                BBox(
                    float(a), max(0.0, box.y0 - pad_y), float(b), min(float(rows), box.y1 + pad_y)
                ),
            )
        )
        if len(crops) >= limit:
            break
    return crops


def stack_crops(
    gray: np.ndarray, crops: Sequence[Crop]
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """One white sheet with the crops one below the other; the rows ``[top, bottom)`` of each."""
    parts = [gray[int(c.box.y0) : round(c.box.y1), int(c.box.x0) : round(c.box.x1)] for c in crops]
    gap = max(10, max(p.shape[0] for p in parts) // 2)
    sheet = np.full(
        (sum(p.shape[0] + gap for p in parts) + gap, max(p.shape[1] for p in parts) + 2 * gap),
        255,
        dtype=np.uint8,
    )
    slots: list[tuple[int, int]] = []
    y = gap
    for part in parts:
        sheet[y : y + part.shape[0], gap : gap + part.shape[1]] = part
        slots.append((y, y + part.shape[0]))
        y += part.shape[0] + gap
    return sheet, slots


def reread_numbers(
    gray: np.ndarray,
    texts: Sequence[str],
    boxes: Sequence[BBox],
    *,
    timeout: float = 30.0,
    psm: int = 6,
) -> dict[int, tuple[str, BBox]]:
    """New texts and boxes of the words (by index) whose numbers a focused second reading completes.

    The new box spans the word and the ink it was completed with. One Tesseract run per
    call; an OCR failure loses nothing (no changes).
    """
    crops = plan_crops(gray, texts, boxes)
    if not crops:
        return {}
    sheet, slots = stack_crops(gray, crops)
    try:
        found = tesseract.image_to_words(
            Image.fromarray(sheet),
            languages="eng",
            psm=psm,
            timeout=timeout,
            extra_config=f"-c tessedit_char_whitelist={WHITELIST}",
        )
    except OcrEngineError as exc:
        log.warning("second reading of numbers failed: %s", exc.message)
        return {}
    readings: dict[int, list[tesseract.OcrWord]] = {}
    for w in found:
        for k, (top, bottom) in enumerate(slots):
            if top <= w.bbox.cy < bottom:
                readings.setdefault(k, []).append(w)
                break
    changes: dict[int, tuple[str, BBox]] = {}
    for k, words in readings.items():
        words.sort(key=lambda w: w.bbox.x0)
        new = "".join(w.text for w in words)
        index = crops[k].index
        accepted = accept_reread(texts[index], new, min(w.conf for w in words))
        if accepted is not None:
            box, span = boxes[index], crops[k].box
            changes[index] = (
                accepted,
                BBox(min(box.x0, span.x0), box.y0, max(box.x1, span.x1), box.y1),
            )
    return changes
