"""Words of a PDF page's text layer inside a drawn box, and whether to trust them.

The box comes in percent of the displayed page (``/Rotate`` applied); its
corners are mapped to the unrotated PDF frame with
:func:`stratigraphy.geometry.percent_to_pdf_bbox`, and a word belongs to it when
its centre lies inside the (possibly rotated) box. Lines are put in reading
order in the displayed frame, words joined by one space, lines by one space
(hyphenated line breaks stay as printed: ``hell- braun``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import fitz

from stratigraphy.geometry import BBox, percent_to_pdf_bbox, rotate_bbox, rotated_size
from text_extractor.cleanup import normalise_chars
from text_extractor.regions import Region

_SCAN_COVER = 0.5  # a page whose largest image covers this much is a scan


@dataclass(frozen=True, slots=True)
class PageWords:
    """A page's text-layer words (unrotated frame) and what the page is; cheap to cache.

    Reading a page's words costs up to tens of milliseconds on pages full of
    vector drawings, so the model keeps these per page for the boxes that follow.
    """

    width: float  # unrotated size in points
    height: float
    rotation: int
    words: tuple[tuple[float, float, float, float, str, int, int], ...]
    scanned: bool


def read_page_words(page: fitz.Page) -> PageWords:
    """The text layer of ``page`` with its geometry, ready for :func:`layer_text`."""
    width, height = unrotated_size(page)
    words = tuple(
        (float(x0), float(y0), float(x1), float(y1), str(text), int(block), int(line))
        for x0, y0, x1, y1, text, block, line, _wno in page.get_text("words", sort=False)
    )
    return PageWords(width, height, int(page.rotation), words, is_scanned(page) if words else False)


@dataclass(frozen=True, slots=True)
class LayerText:
    """Text-layer words found in a box."""

    text: str
    words: int
    scanned_page: bool  # the page is a scan, so the layer is someone's OCR


def unrotated_size(page: fitz.Page) -> tuple[float, float]:
    """Page size in the unrotated frame (the frame of PyMuPDF word boxes)."""
    r = page.rect
    return (r.height, r.width) if page.rotation in (90, 270) else (r.width, r.height)


def is_scanned(page: fitz.Page) -> bool:
    """True when one image covers most of the page (its text layer, if any, is OCR)."""
    width, height = unrotated_size(page)
    area = width * height
    if area <= 0:
        return False
    try:
        if not page.get_images(full=False):
            return False
        infos = page.get_image_info()
    except Exception:
        return False
    best = 0.0
    for info in infos:
        x0, y0, x1, y1 = info.get("bbox", (0, 0, 0, 0))
        best = max(best, max(0.0, x1 - x0) * max(0.0, y1 - y0))
    return best / area >= _SCAN_COVER


def _inside(polygon: list[tuple[float, float]], x: float, y: float) -> bool:
    """Point in a convex or concave polygon (ray casting)."""
    inside = False
    n = len(polygon)
    for i in range(n):
        ax, ay = polygon[i]
        bx, by = polygon[(i + 1) % n]
        if (ay > y) != (by > y):
            cross = ax + (y - ay) * (bx - ax) / (by - ay)
            if x < cross:
                inside = not inside
    return inside


def region_polygon(page: PageWords, region: Region) -> list[tuple[float, float]]:
    """Corners of the box in unrotated PDF points."""
    width, height = page.width, page.height
    dw, dh = rotated_size(width, height, page.rotation)
    corners: list[tuple[float, float]] = []
    for px, py in region.pixel_corners(round(dw * 1000), round(dh * 1000)):
        pct_x, pct_y = px / (dw * 1000) * 100, py / (dh * 1000) * 100
        box = percent_to_pdf_bbox(pct_x, pct_y, 0.0, 0.0, width, height, page.rotation)
        corners.append((box.x0, box.y0))
    return corners


def words_in_region(page: PageWords, region: Region) -> list[tuple[BBox, str, int]]:
    """Text-layer words whose centre is inside the box: (display-frame box, text, line key)."""
    polygon = region_polygon(page, region)
    width, height = page.width, page.height
    found: list[tuple[BBox, str, int]] = []
    for x0, y0, x1, y1, text, block, line in page.words:
        if x1 <= x0 or y1 <= y0 or not str(text).strip():
            continue
        if not _inside(polygon, (x0 + x1) / 2, (y0 + y1) / 2):
            continue
        shown = rotate_bbox(BBox(x0, y0, x1, y1), width, height, page.rotation)
        found.append((shown, normalise_chars(str(text)), int(block) * 10_000 + int(line)))
    return found


def order_lines(words: list[tuple[BBox, str, int]]) -> list[list[tuple[BBox, str, int]]]:
    """Group words into visual lines (top to bottom), each sorted left to right."""
    lines: list[list[tuple[BBox, str, int]]] = []
    for word in sorted(words, key=lambda w: (w[0].cy, w[0].x0)):
        box = word[0]
        for line in lines:
            ref = line[0][0]
            overlap = min(ref.y1, box.y1) - max(ref.y0, box.y0)
            if overlap > 0.5 * min(ref.height, box.height):
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w[0].x0)
    lines.sort(key=lambda ln: min(w[0].y0 for w in ln))
    return lines


def to_box_frame(box: BBox, rotation: float) -> BBox:
    """A displayed-frame box seen from a box rotated by ``rotation`` degrees (its own axes)."""
    if abs(rotation) % 360 < 0.01:
        return box
    a = math.radians(-rotation)
    ca, sa = math.cos(a), math.sin(a)
    corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    xs = [x * ca - y * sa for x, y in corners]
    ys = [x * sa + y * ca for x, y in corners]
    return BBox(min(xs), min(ys), max(xs), max(ys))


def layer_text(page: PageWords | fitz.Page, region: Region) -> LayerText:
    """The text layer inside the box, in reading order ('' when the box holds no words).

    Reading order is that of the box: for a rotated box, lines run along its width.
    """
    if isinstance(page, fitz.Page):
        page = read_page_words(page)
    words = [
        (to_box_frame(box, region.rotation), text, key)
        for box, text, key in words_in_region(page, region)
    ]
    lines = order_lines(words)
    text = " ".join(" ".join(w[1] for w in line) for line in lines)
    return LayerText(" ".join(text.split()), len(words), page.scanned)
