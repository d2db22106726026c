"""Page image preparation before OCR: pure functions over 8-bit grayscale numpy arrays.

Scanned borehole logs arrive grey, slightly skewed, unevenly lit, noisy and JPEG-compressed.
The prepared copy of a page (:func:`prepare_page`) answers the defects that measurably cost
words on the scan benchmark (``benchmarks/bench_scans.py``; figures in the commit messages):

- :func:`flatten_background`: uneven lighting divided out (background estimated by a large
  morphological closing, which removes the dark ink), so one threshold suits the whole page;
- :func:`remove_rules`: long horizontal and vertical runs of ink (table rules, the underlines
  depth values sit on) painted white, so they do not glue to digits.

Binarisation is left to Tesseract, with its adaptive (Sauvola) method: on the flattened page
that beat Otsu here, which broke the thin strokes of blurred 150 dpi scans. A median filter
against noise and deskewing (1-1.2 deg, measured from projection profiles) were measured too
and cost words or time without a gain, so they are not steps.

OpenCV does the pixel work; nothing here reads files or calls Tesseract.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]


def ink_mask(gray: Gray, block: int = 31, offset: int = 15) -> Gray:
    """255 where a pixel is clearly darker than its neighbourhood (ink), else 0."""
    block = max(3, block | 1)
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, offset
    ).astype(np.uint8)


def flatten_background(gray: Gray, dpi: float) -> Gray:
    """``gray`` divided by its estimated paper brightness: uneven lighting becomes white.

    The background is the page closed (grey dilation) with a disc wider than any stroke
    (~3 mm), done at ~50 dpi and smoothed, so ink disappears from it and only lighting stays.
    """
    factor = min(1.0, 50.0 / max(dpi, 1.0))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    size = max(3, round(dpi * factor * 3.0 / 25.4) | 1)  # ~3 mm
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), size)
    background = cv2.resize(
        background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR
    )
    out = cv2.divide(gray, np.maximum(background, 1), scale=255)
    return out.astype(np.uint8)


def remove_rules(gray: Gray, dpi: float, *, horizontal: bool = True) -> Gray:
    """A copy of a page with long straight runs of ink (rules) painted white.

    A rule is at least ~5 mm of ink in one pixel row or column, far longer than any letter
    stroke; only its own pixels go (no dilation), so a digit that sits on an underline loses
    the rule's thickness at most, and the rule no longer joins the digits into one blob.
    """
    ink = ink_mask(gray, max(15, int(dpi / 10)), 12)
    length = max(20, int(dpi * 5 / 25.4))
    mask = np.zeros_like(ink)
    kernels = [(1, length)] + ([(length, 1)] if horizontal else [])
    for size in kernels:
        opened = cv2.morphologyEx(
            ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size)
        )
        mask = np.maximum(mask, opened.astype(np.uint8))
    out = gray.copy()
    out[mask > 0] = 255
    return out.astype(np.uint8)


TESSERACT_CONFIG = "-c thresholding_method=2"  # Sauvola: adaptive, suits what flattening left


def prepare_page(gray: Gray, dpi: float) -> Gray:
    """The prepared copy of a rendered page: lighting flattened, rules removed."""
    if gray.ndim != 2 or min(gray.shape) < 8:
        return gray.copy()
    return remove_rules(flatten_background(gray, dpi), dpi)
