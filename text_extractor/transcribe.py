"""Pick the best text for a drawn box: the PDF text layer or a fresh OCR of the crop.

Best first:

1. a born-digital page's text layer inside the box (exact, a few milliseconds);
2. a scanned page's text layer (someone's OCR) when it reads as plausible
   words (:func:`text_extractor.cleanup.text_quality`: shape score at least
   ``text_layer_min_quality`` and at least ``text_layer_min_known`` of its
   words in the lexicon);
3. otherwise a fresh OCR of the crop (:mod:`text_extractor.ocr`); when a
   doubtful text layer exists too, the more plausible of the two wins, and a
   text layer that misses much of what the OCR reads loses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import fitz
import numpy as np

from text_extractor.cleanup import text_quality
from text_extractor.ocr import ocr_gray
from text_extractor.pdf_text import PageWords, layer_text
from text_extractor.regions import Region, crop_region
from text_extractor.settings import TextExtractorSettings

log = logging.getLogger(__name__)

_QUALITY_MARGIN = 0.05  # OCR must beat a doubtful text layer by this much (of 0..2)
_MISSING_TEXT_RATIO = 1.3  # OCR reading this much more text means the layer lost words


class Source(StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Transcription:
    text: str
    source: Source
    quality: float  # plausibility of the text's shape, 0..1
    known: float = 0.0  # share of lexicon words, 0..1


def ocr_region(
    gray: np.ndarray | None, region: Region, settings: TextExtractorSettings, *, context: str = ""
) -> Transcription:
    """OCR of the box on the page image (empty transcription when there is no image or ink)."""
    if gray is None:
        return Transcription("", Source.NONE, 0.0)
    crop = crop_region(gray, region, settings.ocr_crop_pad)
    if crop.size == 0:
        log.warning("the box lies outside the image, nothing to read%s", context)
        return Transcription("", Source.NONE, 0.0)
    result = ocr_gray(crop, settings, context=context)
    if not result.text:
        return Transcription("", Source.NONE, 0.0)
    quality = text_quality(result.text)
    return Transcription(result.text, Source.OCR, quality.score, quality.known)


GrayImage = np.ndarray | Callable[[], np.ndarray | None] | None


def transcribe(
    region: Region,
    settings: TextExtractorSettings,
    *,
    page: PageWords | fitz.Page | None = None,
    gray: GrayImage = None,
    context: str = "",
) -> Transcription:
    """The best available text for ``region`` (see the module docstring for the order).

    ``page`` is the PDF page (or its cached :class:`PageWords`); ``gray`` is the page
    image or a function loading it, called only when OCR is needed.
    """
    layer = layer_text(page, region) if (page is not None and settings.use_text_layer) else None
    if layer is not None and layer.text:
        q = text_quality(layer.text)
        mine = Transcription(layer.text, Source.TEXT_LAYER, q.score, q.known)
        trusted = (
            q.score >= settings.text_layer_min_quality and q.known >= settings.text_layer_min_known
        )
        if not layer.scanned_page or trusted:
            return mine
        image = gray() if callable(gray) else gray
        if image is None:
            return mine
        ocr = ocr_region(image, region, settings, context=context)
        if not ocr.text:
            return mine
        ours, theirs = ocr.quality + ocr.known, q.score + q.known
        missing = len(ocr.text) > _MISSING_TEXT_RATIO * len(layer.text)
        if ours > theirs + _QUALITY_MARGIN or (missing and ours >= theirs - _QUALITY_MARGIN):
            log.info(
                "text layer judged worse than a fresh OCR (%.2f vs %.2f)%s", theirs, ours, context
            )
            return ocr
        return mine
    return ocr_region(gray() if callable(gray) else gray, region, settings, context=context)
