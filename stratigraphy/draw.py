"""Visual check of an extraction: the pages as rendered, with the detected boxes drawn on them.

Layer descriptions (blue, labelled with the borehole, layer and depth interval),
depth values (red), coordinates (green), elevation (orange), name (purple) and
groundwater (cyan). Used by ``extract --draw DIR``; off the main path.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from stratigraphy.geometry import BBox, pdf_bbox_to_pixels
from stratigraphy.model import DocumentResult, PageInfo
from stratigraphy.pdf.reader import open_pdf
from stratigraphy.pdf.render import render_page_png

COLOURS = {
    "description": (30, 90, 220),
    "depth": (220, 30, 30),
    "coordinates": (0, 150, 60),
    "elevation": (240, 140, 0),
    "name": (150, 40, 170),
    "groundwater": (0, 170, 200),
}
DEFAULT_DPI = 100

_Mark = tuple[str, BBox, str]  # kind, box (unrotated PDF points), label


def _marks(result: DocumentResult) -> dict[int, list[_Mark]]:
    marks: dict[int, list[_Mark]] = defaultdict(list)
    several = len(result.boreholes) > 1
    for bh in result.boreholes:
        prefix = f"B{bh.index + 1} " if several else ""
        for i, layer in enumerate(bh.layers, start=1):
            d = layer.depth
            interval = f"{_m(d.start)}-{_m(d.end)}"
            marks[layer.page].append(
                ("description", layer.description_bbox, f"{prefix}L{i} {interval}")
            )
            pages = layer.depth_pages or (layer.page,) * len(layer.depth_bboxes)
            for box, page in zip(layer.depth_bboxes, pages, strict=False):
                marks[page].append(("depth", box, ""))
        meta = bh.metadata
        c = meta.coordinates
        if c and c.bbox and c.page:
            marks[c.page].append(
                ("coordinates", c.bbox, f"{prefix}{c.system.value} {c.east:.0f}/{c.north:.0f}")
            )
        e = meta.elevation
        if e and e.bbox and e.page:
            marks[e.page].append(("elevation", e.bbox, f"{prefix}{e.value:g} m a.s.l."))
        if meta.name and meta.name.bbox and meta.name.page:
            marks[meta.name.page].append(("name", meta.name.bbox, f"{prefix}{meta.name.text}"))
        for g in bh.groundwater:
            if g.bbox and g.page:
                marks[g.page].append(("groundwater", g.bbox, f"{prefix}GW {_m(g.depth)}"))
    return marks


def _m(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def draw_overlay(
    pdf: str | Path | bytes, result: DocumentResult, out_dir: str | Path, dpi: int = DEFAULT_DPI
) -> list[Path]:
    """Write ``<name>_p<page>.png`` for every page of ``result``; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(result.name).stem or "document"
    marks = _marks(result)
    font = ImageFont.load_default()
    written: list[Path] = []
    doc = open_pdf(pdf)
    try:
        for info in result.pages:
            image = Image.open(io.BytesIO(render_page_png(doc, info.number - 1, dpi))).convert(
                "RGB"
            )
            draw = ImageDraw.Draw(image)
            for kind, box, label in marks.get(info.number, []):
                _draw_box(draw, info, box, dpi, COLOURS[kind], label, font)
            path = out / f"{stem}_p{info.number}.png"
            image.save(path)
            written.append(path)
    finally:
        doc.close()
    return written


def _draw_box(
    draw: ImageDraw.ImageDraw,
    info: PageInfo,
    box: BBox,
    dpi: int,
    colour: tuple[int, int, int],
    label: str,
    font: ImageFont.ImageFont | ImageFont.FreeTypeFont,
) -> None:
    px = pdf_bbox_to_pixels(box, info.width, info.height, info.rotation, dpi)
    draw.rectangle((px.x0, px.y0, px.x1, px.y1), outline=colour, width=2)
    if label:  # right of the box, where it hides the least of the page
        draw.text((px.x1 + 3, px.y0), label, fill=colour, font=font)


def draw_document(
    pdf: str | Path | bytes, result: DocumentResult, out_dir: str | Path, dpi: int = DEFAULT_DPI
) -> list[Path]:
    """Alias of :func:`draw_overlay` (the name the extract command uses)."""
    return draw_overlay(pdf, result, out_dir, dpi)
