"""Draw Label Studio regions back onto the page image, for people and tests to check.

Used by the backend when ``DEBUG_OVERLAY_DIR`` is set (off by default) and by
the tests that verify boxes sit on the printed text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from PIL import Image, ImageDraw, ImageOps

COLOURS = {
    "Material Description": (46, 125, 50),
    "Depth Interval": (21, 101, 192),
    "Coordinates": (239, 108, 0),
    "Elevation": (106, 27, 154),
    "Groundwater": (0, 131, 143),
    "Borehole Name": (198, 40, 40),
}


def result_pixel_boxes(
    results: Iterable[Mapping[str, Any]], width: int, height: int
) -> list[tuple[str, tuple[float, float, float, float]]]:
    """``(label, (x0, y0, x1, y1))`` in pixels of a ``width`` x ``height`` image, per box."""
    boxes = []
    for item in results:
        value = item.get("value")
        if item.get("type") != "rectanglelabels" or not isinstance(value, Mapping):
            continue
        x0 = value["x"] / 100 * width
        y0 = value["y"] / 100 * height
        x1 = x0 + value["width"] / 100 * width
        y1 = y0 + value["height"] / 100 * height
        boxes.append((str(value["rectanglelabels"][0]), (x0, y0, x1, y1)))
    return boxes


def draw_results(image: bytes, results: Iterable[Mapping[str, Any]]) -> bytes:
    """PNG of ``image`` (EXIF orientation applied) with every labelled box outlined."""
    with Image.open(io.BytesIO(image)) as raw:
        page = ImageOps.exif_transpose(raw).convert("RGB")
    draw = ImageDraw.Draw(page)
    for label, box in result_pixel_boxes(results, page.width, page.height):
        colour = COLOURS.get(label, (255, 0, 0))
        draw.rectangle(box, outline=colour, width=max(1, page.width // 600))
        draw.text((box[0] + 2, box[1] + 1), label, fill=colour)
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()
