"""The overlay drawing writes one PNG per page with the boxes in the right place."""

from __future__ import annotations

from PIL import Image

from stratigraphy import samples
from stratigraphy.draw import COLOURS, draw_overlay
from stratigraphy.geometry import BBox, pdf_bbox_to_pixels
from stratigraphy.model import (
    Borehole,
    BoreholeMetadata,
    DepthInterval,
    DocumentResult,
    Elevation,
    Layer,
    PageInfo,
    TextSource,
)


def test_overlay_on_a_rotated_page(tmp_path) -> None:
    sample = samples.rotated(7, 90)
    layer = sample.truth[0]["layers"][0]
    box = BBox(*layer["material_description_rect"])
    result = DocumentResult(
        name="rotated.pdf",
        pages=(PageInfo(1, 842.0, 595.0, 90, TextSource.TEXT_LAYER),),
        boreholes=(
            Borehole(
                0,
                (
                    Layer(
                        DepthInterval(0.0, 1.35),
                        layer["material_description"],
                        1,
                        box,
                        (BBox(*layer["depth_rects"][0]),),
                        (1,),
                    ),
                ),
                BoreholeMetadata(elevation=Elevation(456.2, 1, BBox(700, 60, 720, 120))),
            ),
        ),
    )
    (path,) = draw_overlay(sample.pdf, result, tmp_path, dpi=72)
    assert path.name == "rotated_p1.png"
    image = Image.open(path).convert("RGB")
    assert image.size == (595, 842)  # displayed portrait
    px = pdf_bbox_to_pixels(box, 842.0, 595.0, 90, 72)
    edge = image.getpixel((int((px.x0 + px.x1) / 2), int(px.y0)))
    assert edge == COLOURS["description"]
    elevation = pdf_bbox_to_pixels(BBox(700, 60, 720, 120), 842.0, 595.0, 90, 72)
    assert image.getpixel((int(elevation.x0), int(elevation.cy))) == COLOURS["elevation"]
