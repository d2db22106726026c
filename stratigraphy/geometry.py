"""Pure geometry: boxes in PDF points and the mapping to rendered page pixels.

All boxes of the engine live in the *unrotated* PDF page frame (PyMuPDF word
coordinates: origin top-left of the mediabox, y grows downwards, unit = point).
Label Studio shows the page *as rendered*, i.e. with ``/Rotate`` applied, so
:func:`pdf_bbox_to_pixels` and :func:`pixels_to_pdf_bbox` convert between the
two frames for any DPI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

POINTS_PER_INCH = 72.0


@dataclass(frozen=True, slots=True)
class BBox:
    """Axis-aligned box ``(x0, y0)``-``(x1, y1)`` with ``x0 <= x1`` and ``y0 <= y1``."""

    x0: float
    y0: float
    x1: float
    y1: float

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"inverted box: {self.as_list()}")

    @classmethod
    def from_points(cls, x0: float, y0: float, x1: float, y1: float) -> BBox:
        """Build a box from two corners given in any order."""
        return cls(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def as_list(self, ndigits: int | None = 2) -> list[float]:
        values = [self.x0, self.y0, self.x1, self.y1]
        return [round(v, ndigits) for v in values] if ndigits is not None else values

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def intersection(self, other: BBox) -> BBox | None:
        x0, y0 = max(self.x0, other.x0), max(self.y0, other.y0)
        x1, y1 = min(self.x1, other.x1), min(self.y1, other.y1)
        if x1 <= x0 or y1 <= y0:
            return None
        return BBox(x0, y0, x1, y1)

    def intersection_area(self, other: BBox) -> float:
        inter = self.intersection(other)
        return inter.area if inter else 0.0

    def iou(self, other: BBox) -> float:
        inter = self.intersection_area(other)
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def expand(self, dx: float, dy: float | None = None) -> BBox:
        dy = dx if dy is None else dy
        return BBox(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def clip(self, width: float, height: float) -> BBox | None:
        """The part of the box inside ``[0, width] x [0, height]`` (None if empty)."""
        return self.intersection(BBox(0.0, 0.0, width, height))

    def vertical_overlap(self, other: BBox) -> float:
        return max(0.0, min(self.y1, other.y1) - max(self.y0, other.y0))

    def horizontal_overlap(self, other: BBox) -> float:
        return max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))


def union_all(boxes: Iterable[BBox]) -> BBox:
    """The smallest box containing every box (ValueError if there is none)."""
    it = iter(boxes)
    try:
        acc = next(it)
    except StopIteration:
        raise ValueError("union_all() of no boxes") from None
    for box in it:
        acc = acc.union(box)
    return acc


def _rotate_point(
    x: float, y: float, width: float, height: float, rotation: int
) -> tuple[float, float]:
    """Map a point of the unrotated page (``width`` x ``height`` points) to the rotated page."""
    if rotation == 0:
        return x, y
    if rotation == 90:
        return height - y, x
    if rotation == 180:
        return width - x, height - y
    if rotation == 270:
        return y, width - x
    raise ValueError(f"page rotation must be 0, 90, 180 or 270, not {rotation}")


def _unrotate_point(
    x: float, y: float, width: float, height: float, rotation: int
) -> tuple[float, float]:
    """Inverse of :func:`_rotate_point` (``width``/``height`` of the *unrotated* page)."""
    if rotation == 0:
        return x, y
    if rotation == 90:
        return y, height - x
    if rotation == 180:
        return width - x, height - y
    if rotation == 270:
        return width - y, x
    raise ValueError(f"page rotation must be 0, 90, 180 or 270, not {rotation}")


def rotated_size(width: float, height: float, rotation: int) -> tuple[float, float]:
    """Size of the page as displayed, given its unrotated size and ``/Rotate``."""
    return (height, width) if rotation in (90, 270) else (width, height)


def rotate_bbox(box: BBox, width: float, height: float, rotation: int) -> BBox:
    """Unrotated-frame box -> displayed-frame box (both in points)."""
    ax, ay = _rotate_point(box.x0, box.y0, width, height, rotation)
    bx, by = _rotate_point(box.x1, box.y1, width, height, rotation)
    return BBox.from_points(ax, ay, bx, by)


def unrotate_bbox(box: BBox, width: float, height: float, rotation: int) -> BBox:
    """Displayed-frame box -> unrotated-frame box (both in points)."""
    ax, ay = _unrotate_point(box.x0, box.y0, width, height, rotation)
    bx, by = _unrotate_point(box.x1, box.y1, width, height, rotation)
    return BBox.from_points(ax, ay, bx, by)


def pdf_bbox_to_pixels(
    box: BBox, page_width: float, page_height: float, rotation: int, dpi: float
) -> BBox:
    """Box in unrotated PDF points -> pixel box of the page rendered at ``dpi`` (rotated)."""
    scale = dpi / POINTS_PER_INCH
    r = rotate_bbox(box, page_width, page_height, rotation)
    return BBox(r.x0 * scale, r.y0 * scale, r.x1 * scale, r.y1 * scale)


def pixels_to_pdf_bbox(
    box: BBox, page_width: float, page_height: float, rotation: int, dpi: float
) -> BBox:
    """Pixel box of the rendered page -> box in unrotated PDF points."""
    scale = POINTS_PER_INCH / dpi
    r = BBox(box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale)
    return unrotate_bbox(r, page_width, page_height, rotation)


def percent_to_pdf_bbox(
    x: float,
    y: float,
    w: float,
    h: float,
    page_width: float,
    page_height: float,
    rotation: int,
) -> BBox:
    """Label Studio percentages of the displayed page -> box in unrotated PDF points.

    Percentages do not depend on the DPI the page image was rendered at.
    """
    dw, dh = rotated_size(page_width, page_height, rotation)
    disp = BBox.from_points(x / 100 * dw, y / 100 * dh, (x + w) / 100 * dw, (y + h) / 100 * dh)
    return unrotate_bbox(disp, page_width, page_height, rotation)


def pdf_bbox_to_percent(
    box: BBox, page_width: float, page_height: float, rotation: int
) -> tuple[float, float, float, float]:
    """Box in unrotated PDF points -> ``(x, y, width, height)`` in percent of the displayed page."""
    dw, dh = rotated_size(page_width, page_height, rotation)
    r = rotate_bbox(box, page_width, page_height, rotation)
    return (r.x0 / dw * 100, r.y0 / dh * 100, r.width / dw * 100, r.height / dh * 100)
