"""Pure geometry: boxes and the unrotated-PDF <-> displayed-page mappings."""

from __future__ import annotations

import fitz
import pytest

from stratigraphy.geometry import (
    BBox,
    pdf_bbox_to_percent,
    pdf_bbox_to_pixels,
    percent_to_pdf_bbox,
    pixels_to_pdf_bbox,
    rotate_bbox,
    union_all,
)


def test_bbox_rejects_inverted_boxes():
    with pytest.raises(ValueError):
        BBox(10, 0, 5, 1)
    assert BBox.from_points(10, 4, 5, 1) == BBox(5, 1, 10, 4)


def test_bbox_set_operations():
    a, b = BBox(0, 0, 10, 10), BBox(5, 5, 15, 15)
    assert a.intersection(b) == BBox(5, 5, 10, 10)
    assert a.iou(b) == pytest.approx(25 / 175)
    assert a.intersection(BBox(20, 20, 30, 30)) is None
    assert union_all([a, b]) == BBox(0, 0, 15, 15)
    assert a.clip(8, 20) == BBox(0, 0, 8, 10)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotation_matches_pymupdf(rotation):
    """Our pure mapping agrees with PyMuPDF's own rotation matrix."""
    doc = fitz.open()
    page = doc.new_page(width=300, height=200)
    page.set_rotation(rotation)
    box = BBox(20, 30, 80, 45)
    expected = fitz.Rect(box.x0, box.y0, box.x1, box.y1) * page.rotation_matrix
    got = rotate_bbox(box, 300, 200, rotation)
    assert got.as_list() == pytest.approx([expected.x0, expected.y0, expected.x1, expected.y1])


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("dpi", [72, 150, 200])
def test_pixels_round_trip(rotation, dpi):
    box = BBox(20, 30, 80, 45)
    px = pdf_bbox_to_pixels(box, 300, 200, rotation, dpi)
    back = pixels_to_pdf_bbox(px, 300, 200, rotation, dpi)
    assert back.as_list(6) == pytest.approx(box.as_list(6))


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_percent_round_trip_and_text_position(rotation):
    """A word's percent box points at the same word on the rendered page."""
    doc = fitz.open()
    page = doc.new_page(width=300, height=200)
    page.insert_text((40, 60), "Kies", fontsize=20)
    page.set_rotation(rotation)
    x0, y0, x1, y1, *_ = page.get_text("words")[0]
    box = BBox(x0, y0, x1, y1)
    pct = pdf_bbox_to_percent(box, 300, 200, rotation)
    assert percent_to_pdf_bbox(*pct, 300, 200, rotation).as_list(6) == pytest.approx(box.as_list(6))
    # the rendered page has dark pixels inside the mapped box
    pix = page.get_pixmap(dpi=72)
    x, y, w, h = pct
    cx = int((x + w / 2) / 100 * pix.width)
    cy = int((y + h / 2) / 100 * pix.height)
    dark = 0
    for dx in range(-6, 7):
        for dy in range(-6, 7):
            px, py = min(max(cx + dx, 0), pix.width - 1), min(max(cy + dy, 0), pix.height - 1)
            if sum(pix.pixel(px, py)) < 300:
                dark += 1
    assert dark > 0
