"""Pixel size of a page image as the browser displays it (EXIF orientation applied)."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from label_studio_ml.errors import InputDocumentError
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
