"""OCR of one crop: preprocessing, page segmentation by shape, cleanup.

Built on :mod:`stratigraphy.ocr.tesseract` (the only module that runs
Tesseract). Steps:

1. grayscale; measure the text lines from the row profile of the ink;
2. poor scans: speckle removed (non-local means) when the paper is noisy, and
   the contrast stretched so that yellowed paper becomes white and faded ink
   dark; crops whose lines are lower than ``ocr_target_line_height`` pixels are
   upscaled (cubic), so Tesseract sees ~36 px lines; a white border is added
   because Tesseract misreads glyphs that touch the image edge;
3. page segmentation from the shape: one line -> ``--psm 7``, several lines ->
   ``--psm 6`` (uniform block); a block read with very low confidence is
   re-read as sparse text (``--psm 11``) and the more confident reading wins;
4. words joined in reading order, lines joined by one space (hyphenated line
   breaks kept as printed), OCR confusions repaired with the lexicon
   (:mod:`text_extractor.cleanup`) on words Tesseract was not sure about.

Binarisation is deliberately not applied: on anti-aliased renders and clean
scans Tesseract's own thresholding reads better than a global Otsu threshold
(measured: mean CER 0.9% with Otsu against 0.3% without on the benchmark boxes).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from label_studio_ml.errors import OcrEngineError
from stratigraphy.ocr.tesseract import OcrWord, image_to_words
from text_extractor.cleanup import clean_ocr_text, normalise_chars, repair_word
from text_extractor.settings import TextExtractorSettings

log = logging.getLogger(__name__)

_BORDER = 12  # white pixels around the crop
_REPAIR_BELOW_CONF = 95.0  # only words Tesseract was unsure about are repaired
_SPARSE_RETRY_CONF = 45.0
NOISE_LIMIT = 8.0  # paper std above which a crop is denoised
DENOISE_STRENGTH = 10.0


@dataclass(frozen=True, slots=True)
class LineStats:
    """Text lines seen in a crop's row profile (heights in pixels)."""

    count: int
    median_height: float


@dataclass(frozen=True, slots=True)
class OcrText:
    """The transcription of a crop."""

    text: str
    confidence: float  # mean word confidence 0-100 (0 when empty)
    psm: int
    scale: float


def measure_lines(gray: np.ndarray) -> LineStats:
    """Count text lines and their median height from the rows that contain ink."""
    if gray.size == 0:
        return LineStats(0, 0.0)
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() > 0.5:  # dark background or nothing but noise
        return LineStats(0, 0.0)
    rows = ink.sum(axis=1) > max(1, int(0.002 * gray.shape[1]))
    heights: list[int] = []
    start: int | None = None
    for i, on in enumerate(rows):
        if on and start is None:
            start = i
        elif not on and start is not None:
            heights.append(i - start)
            start = None
    if start is not None:
        heights.append(len(rows) - start)
    heights = [h for h in heights if h >= 3]  # specks and rulings
    if not heights:
        return LineStats(0, 0.0)
    return LineStats(len(heights), float(np.median(heights)))


def is_blank(gray: np.ndarray) -> bool:
    """True when the crop holds no ink worth reading (uniform or nearly so)."""
    if gray.size == 0 or min(gray.shape[:2]) < 4:
        return True
    return float(gray.max()) - float(gray.min()) < 40 or float(gray.std()) < 4


def normalise_contrast(gray: np.ndarray) -> np.ndarray:
    """Stretch so that the paper is white and the ink dark (yellowed paper, faded ink).

    The paper level is a high percentile of the crop, the ink level a low one;
    crops that are already black on white are left as they are.
    """
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper_pixels = gray[gray > threshold]
    paper = float(np.median(paper_pixels)) if paper_pixels.size else 255.0
    ink = float(np.percentile(gray, 1))
    if paper - ink < 30 or (paper >= 250 and ink <= 30):
        return gray
    scaled = (gray.astype(np.float32) - ink) * (255.0 / max(paper - ink, 1.0))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def noise_level(gray: np.ndarray) -> float:
    """Standard deviation of the paper pixels (speckle of a poor scan)."""
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = gray[gray > threshold]
    return float(paper.std()) if paper.size else 0.0


def denoise(gray: np.ndarray) -> np.ndarray:
    """Remove scanner speckle while keeping stroke edges (non-local means)."""
    return cv2.fastNlMeansDenoising(
        gray, None, h=DENOISE_STRENGTH, templateWindowSize=7, searchWindowSize=15
    )


def prepare(
    gray: np.ndarray, settings: TextExtractorSettings
) -> tuple[np.ndarray, LineStats, float]:
    """Cleaned, upscaled grayscale crop (no border yet), its line stats and the scale."""
    if noise_level(gray) > NOISE_LIMIT:
        gray = denoise(gray)
    gray = normalise_contrast(gray)
    stats = measure_lines(gray)
    height = stats.median_height or float(gray.shape[0])
    scale = 1.0
    if height < settings.ocr_target_line_height:
        scale = min(settings.ocr_max_upscale, settings.ocr_target_line_height / max(height, 1.0))
    if scale > 1.05:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    else:
        scale = 1.0
    return gray, stats, scale


def add_border(gray: np.ndarray) -> np.ndarray:
    """A white margin: Tesseract misreads glyphs that touch the image edge."""
    return cv2.copyMakeBorder(
        gray, _BORDER, _BORDER, _BORDER, _BORDER, cv2.BORDER_CONSTANT, value=255
    )


def choose_psm(stats: LineStats, width: int, height: int) -> int:
    """Tesseract page segmentation for a crop of this shape."""
    if stats.count <= 1 and width >= height:
        return 7  # a single text line
    return 6  # a uniform block of text


def words_to_text(words: list[OcrWord], *, repair: bool) -> str:
    """Words in reading order -> one line of text, unsure words repaired."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        text = normalise_chars(word.text)
        if repair and word.conf < _REPAIR_BELOW_CONF:
            text = _repair_token(text)
        lines.setdefault(word.line_key, []).append(text)
    joined = " ".join(" ".join(tokens) for tokens in lines.values())
    return clean_ocr_text(joined, repair=False)


def _repair_token(token: str) -> str:
    lead = len(token) - len(token.lstrip(",.;:()[]\"'"))
    trail = len(token) - len(token.rstrip(",.;:()[]\"'"))
    core = token[lead : len(token) - trail]
    if not core:
        return token
    fixed = "-".join(repair_word(part) if part else part for part in core.split("-"))
    return token[:lead] + fixed + token[len(token) - trail :]


def _mean_conf(words: list[OcrWord]) -> float:
    return float(np.mean([w.conf for w in words])) if words else 0.0


def _read(image: np.ndarray, psm: int, settings: TextExtractorSettings) -> list[OcrWord]:
    return image_to_words(
        Image.fromarray(image),
        languages=settings.ocr_languages,
        psm=psm,
        timeout=settings.ocr_timeout,
    )


def ocr_gray(gray: np.ndarray, settings: TextExtractorSettings, *, context: str = "") -> OcrText:
    """Transcribe a grayscale crop; '' (and a logged warning) when it is empty or unreadable.

    Readings, cheapest first, stopping at the first that finds words: the
    bordered crop with the page segmentation of its shape; the same as a block;
    the crop without border; for one line, the raw line without layout
    analysis (on noisy scans Tesseract's layout analysis sometimes drops a
    perfectly readable line). A block read with very low
    confidence is also read as sparse text and the more confident one is kept.
    """
    if is_blank(gray):
        log.warning("empty crop, nothing to read%s", context)
        return OcrText("", 0.0, 0, 1.0)
    prepared, stats, scale = prepare(gray, settings)
    bordered = add_border(prepared)
    psm = choose_psm(stats, gray.shape[1], gray.shape[0])
    attempts = [(bordered, psm)] + ([(bordered, 6)] if psm != 6 else []) + [(prepared, psm)]
    if stats.count <= 1:
        attempts.append((bordered, 13))  # raw line, no layout analysis
    words: list[OcrWord] = []
    try:
        for image, psm in attempts:
            words = _read(image, psm, settings)
            if words:
                break
        if words and psm == 6 and _mean_conf(words) < _SPARSE_RETRY_CONF:
            sparse = _read(bordered, 11, settings)
            if _mean_conf(sparse) > _mean_conf(words):
                words, psm = sparse, 11
    except OcrEngineError as exc:
        log.warning("OCR of a crop failed (%s: %s)%s", exc.message, exc.detail or "", context)
        return OcrText("", 0.0, psm, scale)
    text = words_to_text(words, repair=settings.ocr_repair)
    if not text:
        log.warning("OCR found no text in the crop%s", context)
    return OcrText(text, _mean_conf(words), psm, scale)


def to_gray(image: Image.Image) -> np.ndarray:
    """PIL image (any mode, transparency flattened on white) -> 8-bit grayscale array."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return np.asarray(image.convert("L"))


def ocr_image(image: Image.Image, settings: TextExtractorSettings, *, context: str = "") -> OcrText:
    """Transcribe a PIL image (a crop or a whole cropped-layer picture)."""
    return ocr_gray(to_gray(image), settings, context=context)
