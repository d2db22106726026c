"""Page images as the browser displays them (EXIF orientation applied): size, ink."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from label_studio_ml.errors import InputDocumentError
from stratigraphy.geometry import BBox
from stratigraphy_ml_backend.ls_format import ImageSize

_EXIF_ORIENTATION = 0x0112
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}  # transpose / rotate 90 or 270
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def displayed_size(data: bytes) -> ImageSize:
    """Width and height in pixels after EXIF orientation, as ``ImageOps.exif_transpose`` gives.

    Reads only the header with Pillow. A PNG without any ``eXIf`` chunk has no
    orientation, so it is not decoded (Pillow would decode it to look for a late
    chunk). InputDocumentError when the bytes are not an image.
    """
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if data.startswith(_PNG_SIGNATURE) and b"eXIf" not in data:
                orientation = 1
            else:
                orientation = img.getexif().get(_EXIF_ORIENTATION, 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputDocumentError("the task image is not a readable image", detail=str(exc)) from exc
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    return ImageSize(width, height)


def ink_pieces(data: bytes, merge_px: int) -> tuple[BBox, ...]:
    """Boxes (image pixels, as displayed) of the connected dark pixels of a page image.

    Ink is what Otsu's threshold calls dark; letters closer than ``merge_px`` along a
    line are merged into one piece first (a horizontal closing), so pieces are words.
    EXIF orientation is applied as the browser does. InputDocumentError when the
    bytes are not an image.
    """
    import cv2
    import numpy as np

    try:
        with Image.open(io.BytesIO(data)) as img:
            gray = np.asarray(ImageOps.exif_transpose(img).convert("L"))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputDocumentError("the task image is not a readable image", detail=str(exc)) from exc
    _, dark = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if merge_px > 1:
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (int(merge_px), 1))
        dark = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    pieces = []
    for label in range(1, count):  # 0 is the background
        x, y, w, h, _area = (int(v) for v in stats[label])
        pieces.append(BBox(float(x), float(y), float(x + w), float(y + h)))
    return tuple(pieces)
