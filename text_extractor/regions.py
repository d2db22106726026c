"""Label Studio regions: percent geometry, pixel crops, PDF polygons (pure + numpy).

A Label Studio rectangle is ``x, y, width, height`` in percent of the displayed
(EXIF-corrected) image with ``rotation`` degrees clockwise around its top-left
corner. :func:`crop_region` cuts it out of a page image upright (rotated boxes
are straightened with an affine warp), clamped to the image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from label_studio_ml.errors import BadRequest


@dataclass(frozen=True, slots=True)
class Region:
    """A drawn box in percent of the displayed image."""

    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0

    @classmethod
    def from_value(cls, value: dict[str, object]) -> Region:
        """Parse a Label Studio result ``value`` (BadRequest when the geometry is missing)."""
        try:
            x, y = float(value["x"]), float(value["y"])  # type: ignore[arg-type]
            w, h = float(value["width"]), float(value["height"])  # type: ignore[arg-type]
            rotation = float(value.get("rotation") or 0.0)  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise BadRequest(
                "the region has no usable geometry",
                detail="value needs numeric x, y, width and height in percent",
            ) from exc
        if not all(math.isfinite(v) for v in (x, y, w, h, rotation)):
            raise BadRequest("the region geometry is not finite")
        return clamp_to_image(cls(x, y, w, h, rotation % 360.0))

    def corners(self) -> list[tuple[float, float]]:
        """Corners in percent (top-left, top-right, bottom-right, bottom-left), rotation applied."""
        a = math.radians(self.rotation)
        ca, sa = math.cos(a), math.sin(a)
        pts = [(0.0, 0.0), (self.width, 0.0), (self.width, self.height), (0.0, self.height)]
        return [(self.x + px * ca - py * sa, self.y + px * sa + py * ca) for px, py in pts]

    def pixel_corners(self, image_width: int, image_height: int) -> list[tuple[float, float]]:
        """Corners in pixels of an image of this size.

        Label Studio rotates around the top-left corner in *pixel* space, so the
        rotation is applied after scaling percentages to pixels.
        """
        x, y = self.x / 100 * image_width, self.y / 100 * image_height
        w, h = self.width / 100 * image_width, self.height / 100 * image_height
        a = math.radians(self.rotation)
        ca, sa = math.cos(a), math.sin(a)
        pts = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
        return [(x + px * ca - py * sa, y + px * sa + py * ca) for px, py in pts]


def crop_region(gray: np.ndarray, region: Region, pad_fraction: float = 0.0) -> np.ndarray:
    """The box cut out of ``gray`` upright, padded by ``pad_fraction`` of the image width.

    Parts outside the image are dropped (clamped); a box entirely outside gives
    an empty array.
    """
    img_h, img_w = gray.shape[:2]
    pad = pad_fraction * img_w
    corners = region.pixel_corners(img_w, img_h)
    if abs(region.rotation) % 360 < 0.01:
        x0 = max(0, math.floor(corners[0][0] - pad))
        y0 = max(0, math.floor(corners[0][1] - pad))
        x1 = min(img_w, math.ceil(corners[2][0] + pad))
        y1 = min(img_h, math.ceil(corners[2][1] + pad))
        if x1 <= x0 or y1 <= y0:
            return np.zeros((0, 0), dtype=np.uint8)
        return gray[y0:y1, x0:x1].copy()
    out_w = round(region.width / 100 * img_w + 2 * pad)
    out_h = round(region.height / 100 * img_h + 2 * pad)
    if out_w < 1 or out_h < 1 or not _overlaps(corners, img_w, img_h):
        return np.zeros((0, 0), dtype=np.uint8)
    a = math.radians(region.rotation)
    ca, sa = math.cos(a), math.sin(a)
    ox = corners[0][0] - pad * ca + pad * sa
    oy = corners[0][1] - pad * sa - pad * ca
    src = np.array(
        [[ox, oy], [ox + out_w * ca, oy + out_w * sa], [ox - out_h * sa, oy + out_h * ca]],
        dtype=np.float32,
    )
    dst = np.array([[0, 0], [out_w, 0], [0, out_h]], dtype=np.float32)
    matrix = cv2.getAffineTransform(src, dst)
    return cv2.warpAffine(
        gray,
        matrix,
        (out_w, out_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )


def _overlaps(corners: list[tuple[float, float]], width: int, height: int) -> bool:
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return max(xs) > 0 and min(xs) < width and max(ys) > 0 and min(ys) < height


#: Longest side of a rotated box, in percent of the image side: a box lying inside the
#: image is at most its diagonal long (100 * sqrt(2) for a square page).
MAX_ROTATED_SIDE = 100.0 * math.sqrt(2.0)


def clamp_to_image(region: Region) -> Region:
    """A drawn box limited to the image, so its crop never outgrows the image.

    An upright box is cut to 0..100 percent. A rotated box keeps
    its corner (the rotation origin) within one image size of the image and its sides
    at most :data:`MAX_ROTATED_SIDE` percent: its crop is at most about twice the
    image's pixels (a 1000 % box once cost 1.9 GB).
    """

    def within(value: float, low: float, high: float) -> float:
        return min(high, max(low, value))

    if abs(region.rotation) % 360 < 0.01 or abs(region.rotation) % 360 > 359.99:
        x0, y0 = within(region.x, 0.0, 100.0), within(region.y, 0.0, 100.0)
        x1 = within(region.x + max(region.width, 0.0), 0.0, 100.0)
        y1 = within(region.y + max(region.height, 0.0), 0.0, 100.0)
        return Region(x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0), region.rotation)
    return Region(
        within(region.x, -100.0, 200.0),
        within(region.y, -100.0, 200.0),
        within(region.width, 0.0, MAX_ROTATED_SIDE),
        within(region.height, 0.0, MAX_ROTATED_SIDE),
        region.rotation,
    )


def clamp_region(region: Region) -> Region:
    """The box limited to 0..100 percent (rotation kept)."""
    x0, y0 = max(0.0, region.x), max(0.0, region.y)
    x1 = min(100.0, region.x + max(region.width, 0.0))
    y1 = min(100.0, region.y + max(region.height, 0.0))
    return Region(x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0), region.rotation)
