"""The text of a drawn box: the words it holds, from the better source, in reading order.

Best first:

1. a born-digital page's text layer: its words that lie mostly inside the box
   (:func:`text_extractor.words.select`), exact, a few milliseconds;
2. a scanned page's text layer (someone's OCR) when it reads as plausible words
   (:func:`text_extractor.cleanup.text_quality`: shape score at least
   ``text_layer_min_quality`` and at least ``text_layer_min_known`` of its words in the
   lexicon);
3. a doubtful scanned layer is compared word by word with a fresh OCR reading
   (:mod:`text_extractor.merge`): the fresh words replace the layer's only where
   Tesseract is sure and they read better;
4. no text layer (or none in the box): the OCR words of the page around the box
   (:mod:`text_extractor.page_ocr`, one cached reading serving the page's boxes),
   selected by the same geometry.

A rotated box over an image is read as its straightened crop (:func:`ocr_region`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

import fitz
import numpy as np

from stratigraphy.geometry import BBox, rotate_bbox, rotated_size
from text_extractor.cleanup import _token_plausible, clean_ocr_text, normalise_chars, text_quality
from text_extractor.merge import merge
from text_extractor.numbers import reread
from text_extractor.ocr import ocr_gray
from text_extractor.page_ocr import ReadingCache, words_around
from text_extractor.pdf_text import PageWords, read_page_words
from text_extractor.regions import Region, crop_region
from text_extractor.settings import TextExtractorSettings
from text_extractor.words import Box, Word, lines_text, select

log = logging.getLogger(__name__)

_DROP_BELOW_CONF = 30.0  # OCR words this unsure are noise (drawings, hatching, specks)
_DOUBT_BELOW_CONF = 60.0  # ... and below this, kept only when they look like words
_NOISE_LINE_CONF = 55.0  # a line read this unsure (median) beside surer lines is a drawing


class Source(StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    MIXED = "text_layer+ocr"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Transcription:
    text: str
    source: Source
    quality: float  # plausibility of the text's shape, 0..1
    known: float = 0.0  # share of lexicon words, 0..1


GrayImage = np.ndarray | Callable[[], np.ndarray | None] | None


def frame_box(region: Region, width: float, height: float) -> Box:
    """The drawn box in a page frame of this size (Label Studio rotates in that frame)."""
    return Box(
        region.x / 100 * width,
        region.y / 100 * height,
        region.width / 100 * width,
        region.height / 100 * height,
        region.rotation,
    )


@lru_cache(maxsize=32)
def layer_words(page: PageWords) -> tuple[Word, ...]:
    """The text layer's words in the displayed frame (points); kept for the page's next boxes."""
    words: list[Word] = []
    for x0, y0, x1, y1, text, _block, _line in page.words:
        if x1 <= x0 or y1 <= y0 or not str(text).strip():
            continue
        b = rotate_bbox(BBox(x0, y0, x1, y1), page.width, page.height, page.rotation)
        words.append(Word(normalise_chars(str(text)), b.x0, b.y0, b.x1, b.y1, 100.0, "layer"))
    return tuple(words)


def _keep(word: Word) -> bool:
    if word.conf < _DROP_BELOW_CONF:
        return False
    return word.conf >= _DOUBT_BELOW_CONF or _token_plausible(word.text)


def _flat(lines: Sequence[Sequence[Word]]) -> list[Word]:
    return [w for line in lines for w in line]


def _as_transcription(text: str, source: Source) -> Transcription:
    if not text:
        return Transcription("", Source.NONE, 0.0)
    q = text_quality(text)
    return Transcription(text, source, q.score, q.known)


def ocr_region(
    gray: np.ndarray | None, region: Region, settings: TextExtractorSettings, *, context: str = ""
) -> Transcription:
    """OCR of the straightened crop of the box (rotated boxes; empty when nothing to read)."""
    if gray is None:
        return Transcription("", Source.NONE, 0.0)
    crop = crop_region(gray, region, settings.ocr_crop_pad)
    if crop.size == 0:
        log.warning("the box lies outside the image, nothing to read%s", context)
        return Transcription("", Source.NONE, 0.0)
    return _as_transcription(ocr_gray(crop, settings, context=context).text, Source.OCR)


def ocr_lines(
    gray: np.ndarray,
    region: Region,
    settings: TextExtractorSettings,
    readings: ReadingCache | None,
    *,
    image_id: str | None = None,
    depth_numbers: bool = False,
    context: str = "",
) -> list[list[Word]]:
    """OCR words of the page that the box holds, in its own frame (pixels).

    ``depth_numbers``: bare 2-3 digit numbers are read again for a lost decimal point
    (:mod:`text_extractor.numbers`; boxes of depth values).
    """
    height, width = gray.shape[:2]
    box = frame_box(region, width, height)
    x0, y0, x1, y1 = box.bounds()
    if x1 <= 0 or y1 <= 0 or x0 >= width or y0 >= height:
        log.warning("the box lies outside the image, nothing to read%s", context)
        return []
    bounds = (max(0.0, x0), max(0.0, y0), min(float(width), x1), min(float(height), y1))
    words = words_around(gray, bounds, settings, readings, key=image_id, context=context)
    lines = select([w for w in words if _keep(w)], box)
    sure = [line for line in lines if _median_conf(line) >= _NOISE_LINE_CONF] or lines
    if depth_numbers and abs(box.rotation) % 360 < 0.01:
        dx, dy = box.x, box.y
        sure = [
            [_shift(reread(_shift(w, dx, dy), gray, settings), -dx, -dy) for w in line]
            for line in sure
        ]
    return sure


def _shift(word: Word, dx: float, dy: float) -> Word:
    return replace(word, x0=word.x0 + dx, x1=word.x1 + dx, y0=word.y0 + dy, y1=word.y1 + dy)


def _median_conf(line: Sequence[Word]) -> float:
    confs = sorted(w.conf for w in line)
    return confs[len(confs) // 2] if confs else 0.0


def transcribe(
    region: Region,
    settings: TextExtractorSettings,
    *,
    page: PageWords | fitz.Page | None = None,
    gray: GrayImage = None,
    readings: ReadingCache | None = None,
    image_id: str | None = None,
    depth_numbers: bool = False,
    context: str = "",
) -> Transcription:
    """The best available text for ``region`` (see the module docstring for the order).

    ``page`` is the PDF page (or its cached :class:`PageWords`); ``gray`` is the page image
    or a function loading it, called only when OCR is needed; ``readings`` keeps the OCR
    readings of page images for the boxes that follow (``image_id`` names the image);
    ``depth_numbers``: the box holds depth values (see :func:`ocr_lines`).
    """

    def image() -> np.ndarray | None:
        return gray() if callable(gray) else gray

    rotated = abs(region.rotation) % 360 >= 0.01
    if isinstance(page, fitz.Page):
        page = read_page_words(page)
    if page is not None and settings.use_text_layer and page.words:
        words = layer_words(page)
        dw, dh = rotated_size(page.width, page.height, page.rotation)
        lines = select(words, frame_box(region, dw, dh))
        text = " ".join(lines_text(lines).split())
        if text:
            mine = _as_transcription(text, Source.TEXT_LAYER)
            trusted = (
                mine.quality >= settings.text_layer_min_quality
                and mine.known >= settings.text_layer_min_known
            )
            if not page.scanned or trusted:
                return mine
            picture = image()
            if picture is None:
                return mine
            if rotated:
                fresh_text = ocr_region(picture, region, settings, context=context)
                better = fresh_text.quality + fresh_text.known > mine.quality + mine.known + 0.05
                return fresh_text if better else mine
            fresh = ocr_lines(
                picture,
                region,
                settings,
                readings,
                image_id=image_id,
                depth_numbers=depth_numbers,
                context=context,
            )
            if not fresh:
                return mine
            height, width = picture.shape[:2]
            scaled = [w.scaled(width / dw, height / dh) for w in words]
            ours = _flat(select(scaled, frame_box(region, width, height)))
            merged = merge(ours, _flat(fresh))
            if not (merged.replaced or merged.added):
                return mine
            log.info(
                "text layer repaired by a fresh OCR: %d words replaced, %d added%s",
                merged.replaced,
                merged.added,
                context,
            )
            text = clean_ocr_text(lines_text(merged.lines), repair=False)
            return _as_transcription(text, Source.MIXED)
    picture = image()
    if picture is None:
        return Transcription("", Source.NONE, 0.0)
    if rotated:
        return ocr_region(picture, region, settings, context=context)
    lines = ocr_lines(
        picture,
        region,
        settings,
        readings,
        image_id=image_id,
        depth_numbers=depth_numbers,
        context=context,
    )
    text = clean_ocr_text(lines_text(lines), repair=False)
    if not text:
        log.warning("OCR found no text in the box%s", context)
    return _as_transcription(text, Source.OCR)
