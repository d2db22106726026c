"""Pixel size of a page image as the browser displays it (EXIF orientation applied)."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from label_studio_ml.errors import InputDocumentError
from stratigraphy_ml_backend.ls_format import ImageSize

_EXIF_ORIENTATION = 0x0112
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}  # transpose / rotate 90 or 270


def displayed_size(data: bytes) -> ImageSize:
    """Width and height in pixels after EXIF orientation, as ``ImageOps.exif_transpose`` gives.

    Reads the header (and, for PNG without an early eXIf chunk, the image) with
    Pillow; InputDocumentError when the bytes are not an image.
    """
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            orientation = img.getexif().get(_EXIF_ORIENTATION, 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputDocumentError("the task image is not a readable image", detail=str(exc)) from exc
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    return ImageSize(width, height)
