"""OCR words of a page image around a drawn box, read once and kept for the page's next boxes.

A box is never read as a bare crop: the box plus a generous margin (whole lines above,
below and beside it) is read, so that a line the box edge cuts is read whole (and then
left out by geometry, :mod:`text_extractor.words`) instead of coming back as junk. Every
word keeps its box in page-image pixels and its Tesseract confidence.

Readings are cached per page image (:class:`ReadingCache`, keyed by the content hash of
the decoded image and the OCR languages): a later box that lies inside an earlier reading
of the page is answered from it without running Tesseract again. Reading a whole 150 dpi
page costs 5-40 s on a small machine, far more than an annotator waits for the first box,
so the page is read region by region as boxes are drawn.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from PIL import Image

from label_studio_ml.errors import OcrEngineError
from stratigraphy.ocr.tesseract import image_to_words
from text_extractor.cleanup import normalise_chars
from text_extractor.ocr import _BORDER, _repair_token, add_border, is_blank, prepare
from text_extractor.settings import TextExtractorSettings
from text_extractor.words import Word

log = logging.getLogger(__name__)

# Read around a box: at least its own width / height again (half the width on each side,
# its height above and below), and at least this share of the page; several text lines
# and the neighbouring columns, so that the page's next boxes are usually read already.
MARGIN_X = 0.05  # of the image width, left and right
MARGIN_Y = 0.08  # of the image height, above and below
INNER = 0.012  # a cached reading serves a box that lies this far (of the page) inside it
_REPAIR_BELOW_CONF = 95.0
_RULING = set("|_[]{}—-=~")
_RULING_RUN = re.compile(r"_{3,}|-{4,}|={3,}|~{3,}")  # a ruling read as part of a word
READINGS_PER_PAGE = 32


@dataclass(frozen=True, slots=True)
class Reading:
    """Words read in one rectangle of a page image (pixels, end exclusive)."""

    x0: int
    y0: int
    x1: int
    y1: int
    words: tuple[Word, ...]

    def covers(self, bounds: tuple[float, float, float, float], width: int, height: int) -> bool:
        """True when the rectangle holds ``bounds`` with a margin (none at the image edge)."""
        bx0, by0, bx1, by1 = bounds
        mx, my = INNER * width, INNER * height
        return (
            (self.x0 <= 0 or self.x0 <= bx0 - mx)
            and (self.y0 <= 0 or self.y0 <= by0 - my)
            and (self.x1 >= width or self.x1 >= bx1 + mx)
            and (self.y1 >= height or self.y1 >= by1 + my)
        )


class PageReadings:
    """The readings made so far on one page image (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._readings: list[Reading] = []
        # one reading at a time per page: a box drawn while its region is being read waits
        # for that reading instead of running Tesseract over the same pixels again
        self.reading = threading.Lock()

    def find(
        self, bounds: tuple[float, float, float, float], width: int, height: int
    ) -> Reading | None:
        with self._lock:
            for reading in reversed(self._readings):
                if reading.covers(bounds, width, height):
                    return reading
        return None

    def add(self, reading: Reading) -> None:
        with self._lock:
            self._readings.append(reading)
            del self._readings[:-READINGS_PER_PAGE]

    def __len__(self) -> int:
        with self._lock:
            return len(self._readings)


class ReadingCache:
    """Bounded LRU of :class:`PageReadings` by page image content and OCR languages."""

    def __init__(self, pages: int = 16) -> None:
        self.pages = pages
        self._items: OrderedDict[str, PageReadings] = OrderedDict()
        self._lock = threading.Lock()
        self.tesseract_runs = 0  # how many regions were read (for tests and logs)

    def page(self, key: str) -> PageReadings:
        with self._lock:
            readings = self._items.get(key)
            if readings is None:
                readings = self._items[key] = PageReadings()
            self._items.move_to_end(key)
            while len(self._items) > self.pages:
                self._items.popitem(last=False)
            return readings

    def count_run(self) -> None:
        with self._lock:
            self.tesseract_runs += 1


def image_key(gray: np.ndarray) -> str:
    """Identity of a decoded page image: its size and a hash of its pixels."""
    digest = hashlib.blake2b(np.ascontiguousarray(gray).data, digest_size=16).hexdigest()
    return f"{gray.shape[1]}x{gray.shape[0]}:{digest}"


def read_rect(
    gray: np.ndarray,
    rect: tuple[int, int, int, int],
    settings: TextExtractorSettings,
    *,
    context: str = "",
) -> Reading:
    """OCR words of ``gray[y0:y1, x0:x1]`` with boxes in page pixels (no words on failure)."""
    x0, y0, x1, y1 = rect
    crop = gray[y0:y1, x0:x1]
    if is_blank(crop):
        return Reading(x0, y0, x1, y1, ())
    prepared, _stats, scale = prepare(crop, settings)
    bordered = add_border(prepared)
    try:
        raw = image_to_words(
            Image.fromarray(bordered),
            languages=settings.ocr_languages,
            psm=settings.ocr_region_psm,
            timeout=settings.ocr_timeout,
        )
    except OcrEngineError as exc:
        log.warning("OCR of a region failed (%s: %s)%s", exc.message, exc.detail or "", context)
        return Reading(x0, y0, x1, y1, ())
    words: list[Word] = []
    for w in raw:
        text = _RULING_RUN.sub("", normalise_chars(w.text)).strip()
        if not text or set(text) <= _RULING:
            continue
        if settings.ocr_repair and w.conf < _REPAIR_BELOW_CONF:
            text = _repair_token(text)
        words.append(
            Word(
                text,
                (w.bbox.x0 - _BORDER) / scale + x0,
                (w.bbox.y0 - _BORDER) / scale + y0,
                (w.bbox.x1 - _BORDER) / scale + x0,
                (w.bbox.y1 - _BORDER) / scale + y0,
                conf=max(0.0, w.conf),
                source="ocr",
            )
        )
    return Reading(x0, y0, x1, y1, tuple(without_doubles(words)))


def without_doubles(words: list[Word]) -> list[Word]:
    """Words minus those read twice at one place (the less confident reading goes)."""
    ordered = sorted(words, key=lambda w: w.x0)
    dropped: set[int] = set()
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            if b.x0 >= a.x1:
                break
            dx = min(a.x1, b.x1) - b.x0
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > 0.5 * min(a.width, b.width) and dy > 0.5 * min(a.height, b.height):
                dropped.add(j if b.conf <= a.conf else i)
    return [w for k, w in enumerate(ordered) if k not in dropped]


def region_rect(
    bounds: tuple[float, float, float, float], width: int, height: int
) -> tuple[int, int, int, int] | None:
    """The rectangle to read for a box: its bounds plus the margins, clamped to the image."""
    bx0, by0, bx1, by1 = bounds
    mx = max(0.5 * (bx1 - bx0), MARGIN_X * width)
    my = max(by1 - by0, MARGIN_Y * height)
    x0 = max(0, int(bx0 - mx))
    y0 = max(0, int(by0 - my))
    x1 = min(width, int(bx1 + mx) + 1)
    y1 = min(height, int(by1 + my) + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    return x0, y0, x1, y1


def words_around(
    gray: np.ndarray,
    bounds: tuple[float, float, float, float],
    settings: TextExtractorSettings,
    cache: ReadingCache | None,
    *,
    key: str | None = None,
    context: str = "",
) -> tuple[Word, ...]:
    """OCR words of the page around ``bounds`` (pixels), from the page's cache when it has them."""
    height, width = gray.shape[:2]
    rect = region_rect(bounds, width, height)
    if rect is None:
        return ()
    if cache is None:
        return read_rect(gray, rect, settings, context=context).words
    page_key = f"{key or image_key(gray)}:{settings.ocr_languages}:{settings.ocr_region_psm}"
    page = cache.page(page_key)
    found = page.find(bounds, width, height)
    if found is not None:
        return found.words
    with page.reading:
        found = page.find(bounds, width, height)  # read meanwhile by another request?
        if found is not None:
            return found.words
        reading = read_rect(gray, rect, settings, context=context)
        cache.count_run()
        page.add(reading)
    return reading.words
