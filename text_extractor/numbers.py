"""A second look at short numbers in depth boxes whose decimal point OCR lost.

At 150 dpi the decimal point of small print is one or two pixels: Tesseract reads ``4.2``
as ``42``. In a box labelled as a depth interval, every word that is a bare 2-3 digit
number is read again on its own: the word's crop, upscaled three times, as one text line
with a digit whitelist. The new reading replaces the word only when it keeps exactly the
same digits and adds one decimal separator inside them (``42`` -> ``4.2``), with
Tesseract reasonably sure; anything else keeps the word as read.
"""

from __future__ import annotations

import logging
import re

import cv2
import numpy as np
from PIL import Image

from label_studio_ml.errors import OcrEngineError
from stratigraphy.ocr.tesseract import image_to_words
from text_extractor.settings import TextExtractorSettings
from text_extractor.words import Word

log = logging.getLogger(__name__)

SCALE = 3.0
MIN_CONF = 50.0
_SHORT = re.compile(r"^\d{2,3}$")
_DECIMAL = re.compile(r"^(\d{1,3})[.,](\d{1,2})$")


def accept(old: str, new: str, conf: float) -> str | None:
    """``new`` when it is ``old`` with one decimal separator inserted (and sure enough)."""
    cleaned = new.strip().rstrip(".,-:;")
    match = _DECIMAL.match(cleaned)
    if conf < MIN_CONF or not _SHORT.match(old) or match is None:
        return None
    return cleaned if match.group(1) + match.group(2) == old else None


def reread(word: Word, gray: np.ndarray, settings: TextExtractorSettings) -> Word:
    """``word`` (page pixels) with its lost decimal point restored, or unchanged."""
    if not _SHORT.match(word.text):
        return word
    pad = 0.25 * word.height
    height, width = gray.shape[:2]
    x0, y0 = max(0, int(word.x0 - pad)), max(0, int(word.y0 - pad))
    x1, y1 = min(width, int(word.x1 + pad) + 1), min(height, int(word.y1 + pad) + 1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return word
    crop = cv2.resize(gray[y0:y1, x0:x1], None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_CUBIC)
    crop = cv2.copyMakeBorder(crop, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
    try:
        found = image_to_words(
            Image.fromarray(crop),
            languages="eng",
            psm=7,
            timeout=settings.ocr_timeout,
            extra_config="-c tessedit_char_whitelist=0123456789.,-",
        )
    except OcrEngineError as exc:
        log.warning("number re-read failed (%s)", exc.message)
        return word
    if len(found) != 1:
        return word
    better = accept(word.text, found[0].text, found[0].conf)
    if better is None:
        return word
    log.info("depth %r read again as %r", word.text, better)
    return Word(better, word.x0, word.y0, word.x1, word.y1, found[0].conf, word.source)
