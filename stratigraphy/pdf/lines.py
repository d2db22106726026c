"""Ruling lines and vector lettering: from PDF drawings, and from page images with OpenCV.

Pure functions over PyMuPDF's drawing dicts (``page.get_drawings()``) and
grayscale numpy images; the reader calls them and converts coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from stratigraphy.geometry import BBox
from stratigraphy.model import Segment

MIN_SEGMENT_PT = 8.0  # shorter strokes are hatching, symbols or glyph parts
THIN_RECT_PT = 2.5  # a filled rect thinner than this is a line


@dataclass(frozen=True, slots=True)
class DrawingScan:
    """What one pass over a page's drawings yields."""

    segments: tuple[Segment, ...]
    glyphs: tuple[BBox, ...]  # filled paths shaped like letters (vector-outline text)


def _point(p: Any) -> tuple[float, float]:
    return float(p.x), float(p.y)


def _is_dark(color: Sequence[float] | None) -> bool:
    return color is not None and len(color) >= 3 and sum(color[:3]) < 1.5


def scan_drawings(drawings: Iterable[dict[str, Any]]) -> DrawingScan:
    """Split drawings into straight segments (ruling/leader lines) and glyph-like fills."""
    segments: list[Segment] = []
    glyphs: list[BBox] = []
    for d in drawings:
        kind = d.get("type") or ""
        items = d.get("items") or []
        rect = d.get("rect")
        stroked = "s" in kind
        filled = "f" in kind
        if filled and not stroked and rect is not None and _is_dark(d.get("fill")):
            w, h = float(rect.width), float(rect.height)
            curvy = sum(1 for it in items if it[0] in ("c", "l")) >= 3
            if 1.5 <= h <= 40 and 0.2 <= w <= 40 and (curvy or (w < 1.5 and h < 1.5)):
                glyphs.append(BBox(float(rect.x0), float(rect.y0), float(rect.x1), float(rect.y1)))
                continue
        for it in items:
            op = it[0]
            if op == "l" and stroked:
                (x0, y0), (x1, y1) = _point(it[1]), _point(it[2])
                _add(segments, x0, y0, x1, y1)
            elif op == "re":
                r = it[1]
                x0, y0, x1, y1 = float(r.x0), float(r.y0), float(r.x1), float(r.y1)
                if min(r.width, r.height) <= THIN_RECT_PT and (filled or stroked):
                    if r.width >= r.height:
                        _add(segments, x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)
                    else:
                        _add(segments, (x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
                elif stroked:
                    _add(segments, x0, y0, x1, y0)
                    _add(segments, x0, y1, x1, y1)
                    _add(segments, x0, y0, x0, y1)
                    _add(segments, x1, y0, x1, y1)
            elif op == "qu" and stroked:
                q = it[1]
                corners = [_point(q.ul), _point(q.ur), _point(q.lr), _point(q.ll)]
                for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
                    _add(segments, *a, *b)
    return DrawingScan(tuple(_dedupe(segments)), tuple(glyphs))


def _add(out: list[Segment], x0: float, y0: float, x1: float, y1: float) -> None:
    if ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 >= MIN_SEGMENT_PT:
        if (x1, y1) < (x0, y0):
            x0, y0, x1, y1 = x1, y1, x0, y0
        out.append(Segment(x0, y0, x1, y1))


def _dedupe(segments: list[Segment]) -> list[Segment]:
    seen: set[tuple[int, int, int, int]] = set()
    out: list[Segment] = []
    for s in segments:
        key = (round(s.x0), round(s.y0), round(s.x1), round(s.y1))
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def group_glyphs(
    glyphs: Sequence[BBox], exclude: Sequence[BBox] = (), min_glyphs: int = 3
) -> list[BBox]:
    """Cluster glyph boxes into text-line regions, dropping glyphs that overlap real words."""
    free = [
        g
        for g in glyphs
        if not any(g.intersection_area(w) > 0.3 * max(g.area, 1e-6) for w in exclude)
    ]
    free.sort(key=lambda b: (b.x0, b.y0))
    clusters: list[list[BBox]] = []
    boxes: list[BBox] = []
    for g in free:
        placed = False
        for i, box in enumerate(boxes):
            tall = max(box.height, g.height, 3.0)
            same_row = g.vertical_overlap(box) >= 0.4 * min(g.height, box.height) or (
                abs(g.cy - box.cy) < 0.5 * tall and min(g.height, box.height) < 1.5
            )
            if same_row and g.x0 <= box.x1 + 1.2 * tall and g.x1 >= box.x0 - 1.2 * tall:
                clusters[i].append(g)
                boxes[i] = box.union(g)
                placed = True
                break
        if not placed:
            clusters.append([g])
            boxes.append(g)
    return [
        b
        for c, b in zip(clusters, boxes, strict=True)
        if len(c) >= min_glyphs and any(g.height >= 3.0 for g in c)
    ]


# --------------------------------------------------------------------------- raster lines


def detect_raster_lines(gray: np.ndarray, min_fraction: float = 0.04) -> list[BBox]:
    """Long horizontal and vertical dark lines of a grayscale page image, as pixel boxes.

    Morphological opening with long thin kernels keeps only runs of ink at least
    ``min_fraction`` of the page's width (horizontal) or height (vertical).
    """
    if gray.ndim != 2 or gray.size == 0:
        return []
    h, w = gray.shape
    binary = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10
    )
    out: list[BBox] = []
    for horizontal in (True, False):
        length = max(8, int((w if horizontal else h) * min_fraction))
        kernel = cv2.getStructuringElement(
            cv2.MORPH_RECT, (length, 1) if horizontal else (1, length)
        )
        mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, _area = (int(v) for v in stats[i])
            long_side, short_side = (bw, bh) if horizontal else (bh, bw)
            if long_side >= length and short_side <= max(6, long_side // 15):
                out.append(BBox(float(x), float(y), float(x + bw), float(y + bh)))
    return out


def box_to_segment(box: BBox) -> Segment:
    """The centre line of a thin box along its long side."""
    if box.width >= box.height:
        return Segment(box.x0, box.cy, box.x1, box.cy)
    return Segment(box.cx, box.y0, box.cx, box.y1)


def erase_raster_lines(
    gray: np.ndarray, min_length_px: int = 60, *, horizontal: bool = True
) -> np.ndarray:
    """A copy of ``gray`` with long horizontal and vertical lines painted white.

    Table rules and log frames make Tesseract slow (many blobs) and produce junk
    words, and text in closed cells is taken for a picture and not read at all;
    letters are much shorter than ``min_length_px`` (5 mm at 300 dpi). With
    ``horizontal=False`` only vertical rules go: that opens the cells but keeps the
    horizontal lines that depth values often sit on.
    """
    if gray.ndim != 2 or gray.size == 0:
        return gray.copy()
    binary = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10
    )
    mask = np.zeros_like(binary)
    sizes = ((min_length_px, 1), (1, min_length_px)) if horizontal else ((1, min_length_px),)
    for size in sizes:
        opened = cv2.morphologyEx(
            binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size)
        )
        mask = np.bitwise_or(mask, opened)
    mask = cv2.dilate(mask, np.ones((3, 3) if horizontal else (1, 3), np.uint8))
    out = gray.copy()
    out[mask > 0] = 255
    return out
