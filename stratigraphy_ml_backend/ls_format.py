"""The one place that turns an engine result into Label Studio prediction results.

Pure functions over the frozen domain types of :mod:`stratigraphy.model`:
:func:`page_regions` picks what the engine found on one page as
:class:`Region` values (label, box in unrotated PDF points, text), and
:func:`regions_to_results` writes them in Label Studio's JSON shape:

- one ``rectanglelabels`` result and one per-region ``textarea`` result that
  share an ``id`` (so the editor shows one region with its transcription);
- boxes in percent of the page *as displayed* (PDF ``/Rotate`` applied), which
  does not depend on the DPI the page image was rendered at;
- ``original_width``/``original_height`` = pixel size of the image shown
  (after EXIF orientation), ``image_rotation`` 0;
- a relation from each description to its depth interval, without a label (Label
  Studio draws a relation's labels as a tag on the page; without one it draws only
  the thin arrow);
- Depth Interval boxes that tile the depth column (:mod:`region_layout`) and, when
  the page's ink is given, boxes fitted to the print (:mod:`region_fit`);
- a ``score`` on layer regions from the engine's confidence, when it has one.

Region ids are a hash of the document content hash, the engine version, page,
borehole, layer index and label, so the same document and engine give the
same ids on every call (and annotations that keep a region keep its id).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from stratigraphy.geometry import BBox, pdf_bbox_to_percent, rotated_size
from stratigraphy.model import Borehole, DocumentResult, Layer, PageInfo
from stratigraphy.transcription import (
    coordinates_text,
    depth_text,
    elevation_text,
    groundwater_text,
)
from stratigraphy.transcription import (
    format_number as format_number,  # re-exported: callers use ls_format.format_number
)
from stratigraphy_ml_backend.region_fit import InkLimits, fit_all
from stratigraphy_ml_backend.region_layout import DepthCell, tile_column

MATERIAL_DESCRIPTION = "Material Description"
DEPTH_INTERVAL = "Depth Interval"
COORDINATES = "Coordinates"
ELEVATION = "Elevation"
GROUNDWATER = "Groundwater"
BOREHOLE_NAME = "Borehole Name"
LABELS = (MATERIAL_DESCRIPTION, DEPTH_INTERVAL, COORDINATES, ELEVATION, GROUNDWATER, BOREHOLE_NAME)
RELATION_LABEL = "belongs_to"  # offered to configs that want labelled relations; not sent


@dataclass(frozen=True, slots=True)
class ConfigNames:
    """Names of the labeling-config tags the results refer to."""

    label: str = "label"  # RectangleLabels name
    text: str | None = "transcription"  # per-region TextArea name (None: no transcription)
    image: str = "image"  # Image name (to_name)
    relation: str | None = None  # Relation value put on relations (None: unlabelled, no tag)
    labels: frozenset[str] = frozenset(LABELS)  # label values the config offers


@dataclass(frozen=True, slots=True)
class ImageSize:
    """Pixel size of the page image as the browser shows it (EXIF orientation applied)."""

    width: int
    height: int

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"image size must be positive, not {self.width}x{self.height}")


@dataclass(frozen=True, slots=True)
class Region:
    """One labelled box on a page, in unrotated PDF points, with its transcription.

    A Depth Interval carries its ``cell`` (printed values, what is missing) and the
    ``column`` (borehole) it tiles; ``score`` is the engine's confidence, if any.
    """

    id: str
    label: str
    bbox: BBox
    text: str
    relates_to: str | None = None  # id of the region this one belongs to
    score: float | None = None
    cell: DepthCell | None = None
    column: int = 0


def region_id(
    doc_hash: str, engine_version: str, page: int, borehole: int, index: int, label: str
) -> str:
    """Stable id of a region: same document content + engine version -> same id."""
    key = f"{doc_hash}|{engine_version}|{page}|{borehole}|{index}|{label}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _depth_cell(layer: Layer, page: int) -> DepthCell | None:
    """The printed values of ``layer``'s interval on ``page`` and which bound is not among them."""
    pages = [
        layer.depth_pages[i] if i < len(layer.depth_pages) else layer.page
        for i in range(len(layer.depth_bboxes))
    ]
    boxes = tuple(box for box, p in zip(layer.depth_bboxes, pages, strict=True) if p == page)
    if not boxes:
        return None
    start, end = layer.depth.start, layer.depth.end
    if len(layer.depth_bboxes) >= 2:  # start value first, end value last
        top_missing = start is None or pages[0] != page
        bottom_missing = end is None or pages[-1] != page
    else:
        top_missing, bottom_missing = start is None, end is None
    guide = layer.description_bbox if layer.page == page else None
    return DepthCell(boxes, top_missing, bottom_missing, guide)


def _layer_regions(
    borehole: Borehole, index: int, layer: Layer, page: int, doc_hash: str, version: str
) -> list[Region]:
    regions: list[Region] = []
    cell = _depth_cell(layer, page)
    depth_id = None
    if cell is not None:
        depth_id = region_id(doc_hash, version, page, borehole.index, index, DEPTH_INTERVAL)
    score = layer.confidence
    if layer.page == page and layer.description.strip():
        desc_id = region_id(doc_hash, version, page, borehole.index, index, MATERIAL_DESCRIPTION)
        regions.append(
            Region(
                desc_id,
                MATERIAL_DESCRIPTION,
                layer.description_bbox,
                layer.description,
                depth_id,
                score=score,
            )
        )
    if depth_id is not None and cell is not None:
        regions.append(
            Region(
                depth_id,
                DEPTH_INTERVAL,
                cell.raw,
                depth_text(layer.depth),
                score=score,
                cell=cell,
                column=borehole.index,
            )
        )
    return regions


def _metadata_regions(borehole: Borehole, page: int, doc_hash: str, version: str) -> list[Region]:
    meta = borehole.metadata
    found: list[tuple[str, int, BBox | None, int | None, str]] = []
    if meta.name is not None:
        found.append((BOREHOLE_NAME, 0, meta.name.bbox, meta.name.page, meta.name.text))
    if meta.coordinates is not None:
        c = meta.coordinates
        found.append((COORDINATES, 0, c.bbox, c.page, coordinates_text(c.east, c.north)))
    if meta.elevation is not None:
        e = meta.elevation
        found.append((ELEVATION, 0, e.bbox, e.page, elevation_text(e.value)))
    for i, water in enumerate(borehole.groundwater):
        found.append((GROUNDWATER, i, water.bbox, water.page, groundwater_text(water)))
    return [
        Region(
            region_id(doc_hash, version, page, borehole.index, 10_000 + i, label), label, box, text
        )
        for label, i, box, on_page, text in found
        if box is not None and on_page == page
    ]


def page_regions(
    result: DocumentResult, page: int, doc_hash: str, engine_version: str
) -> list[Region]:
    """Every region the engine found on ``page`` (1-based), layers first, per borehole."""
    regions: list[Region] = []
    for borehole in result.boreholes:
        for index, layer in enumerate(borehole.layers):
            regions.extend(_layer_regions(borehole, index, layer, page, doc_hash, engine_version))
        regions.extend(_metadata_regions(borehole, page, doc_hash, engine_version))
    return regions


def page_info(result: DocumentResult, page: int) -> PageInfo:
    """The :class:`PageInfo` of ``page`` (1-based); ValueError if the document has no such page."""
    for info in result.pages:
        if info.number == page:
            return info
    raise ValueError(f"{result.name} has no page {page} (it has {len(result.pages)})")


def _clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return min(high, max(low, value))


def px_per_pt(info: PageInfo, image: ImageSize) -> float:
    """Pixels of the page image per PDF point."""
    width, _ = rotated_size(info.width, info.height, info.rotation)
    return image.width / max(width, 1e-6)


def _displayed_px(box: BBox, info: PageInfo, image: ImageSize) -> BBox:
    """A box in unrotated PDF points -> pixels of the page image as displayed (not clamped)."""
    x, y, w, h = pdf_bbox_to_percent(box, info.width, info.height, info.rotation)
    sx, sy = image.width / 100, image.height / 100
    return BBox(x * sx, y * sy, (x + w) * sx, (y + h) * sy)


def _percent_of_px(box: BBox, image: ImageSize) -> dict[str, float] | None:
    """Pixels of the displayed image -> ``{x, y, width, height, rotation}`` in percent, clamped."""
    x0 = _clamp(box.x0 / image.width * 100)
    y0 = _clamp(box.y0 / image.height * 100)
    x1 = _clamp(box.x1 / image.width * 100)
    y1 = _clamp(box.y1 / image.height * 100)
    if x1 <= x0 or y1 <= y0:
        return None
    return {
        "x": round(x0, 4),
        "y": round(y0, 4),
        "width": round(x1 - x0, 4),
        "height": round(y1 - y0, 4),
        "rotation": 0,
    }


def _px_cell(cell: DepthCell, info: PageInfo, image: ImageSize) -> DepthCell:
    return DepthCell(
        tuple(_displayed_px(b, info, image) for b in cell.boxes),
        cell.top_missing,
        cell.bottom_missing,
        None if cell.guide is None else _displayed_px(cell.guide, info, image),
    )


def place_regions(
    regions: Sequence[Region],
    info: PageInfo,
    image: ImageSize,
    ink: Sequence[BBox] | None = None,
) -> list[tuple[Region, dict[str, float]]]:
    """Each region with its final box in percent of the displayed page (off-page ones left out).

    In pixels of the displayed image: text boxes and printed depth values are
    fitted to ``ink`` (pieces of print, :func:`imaging.ink_pieces`) when given;
    then each borehole's Depth Interval boxes tile its depth column.
    """
    boxes = [_displayed_px(r.bbox, info, image) for r in regions]
    cells = {i: _px_cell(r.cell, info, image) for i, r in enumerate(regions) if r.cell is not None}
    if ink:
        limits = InkLimits.for_scale(px_per_pt(info, image))
        text_ids = [i for i in range(len(regions)) if i not in cells]
        values = list(dict.fromkeys(b for cell in cells.values() for b in cell.boxes))
        running = [regions[i].label == MATERIAL_DESCRIPTION for i in text_ids]
        fitted = fit_all(
            [boxes[i] for i in text_ids] + values, ink, limits, running + [False] * len(values)
        )
        for i, box in zip(text_ids, fitted, strict=False):
            boxes[i] = box
        moved = dict(zip(values, fitted[len(text_ids) :], strict=True))
        for i, cell in cells.items():
            cell = DepthCell(
                tuple(moved[b] for b in cell.boxes),
                cell.top_missing,
                cell.bottom_missing,
                cell.guide,
            )
            cells[i] = cell
            boxes[i] = cell.raw
    for column in sorted({r.column for r in regions if r.cell is not None}):
        members = [i for i in cells if regions[i].column == column]
        for i, box in zip(members, tile_column([cells[i] for i in members]), strict=True):
            boxes[i] = box
    placed: list[tuple[Region, dict[str, float]]] = []
    for region, box in zip(regions, boxes, strict=True):
        geometry = _percent_of_px(box, image)
        if geometry is not None:
            placed.append((region, geometry))
    return placed


def regions_to_results(
    regions: Sequence[Region],
    info: PageInfo,
    image: ImageSize,
    names: ConfigNames = ConfigNames(),
    ink: Sequence[BBox] | None = None,
) -> list[dict[str, object]]:
    """Label Studio ``result`` items for ``regions`` on the page described by ``info``.

    Regions whose label the config does not offer, or whose box lies off the
    page, are left out; relations are written only between regions present.
    ``ink``: pieces of print of the page image, to fit the boxes to (see :func:`place_regions`).
    """
    results: list[dict[str, object]] = []
    written: set[str] = set()
    common = {"original_width": image.width, "original_height": image.height, "image_rotation": 0}
    offered = [r for r in regions if r.label in names.labels]
    for region, geometry in place_regions(offered, info, image, ink):
        scored = {} if region.score is None else {"score": round(region.score, 4)}
        results.append(
            {
                "id": region.id,
                "from_name": names.label,
                "to_name": names.image,
                "type": "rectanglelabels",
                **common,
                **scored,
                "value": {**geometry, "rectanglelabels": [region.label]},
            }
        )
        if names.text is not None:
            results.append(
                {
                    "id": region.id,
                    "from_name": names.text,
                    "to_name": names.image,
                    "type": "textarea",
                    **common,
                    **scored,
                    "value": {**geometry, "text": [region.text]},
                }
            )
        written.add(region.id)
    for region in regions:
        if region.relates_to and region.id in written and region.relates_to in written:
            relation: dict[str, object] = {
                "type": "relation",
                "from_id": region.id,
                "to_id": region.relates_to,
                "direction": "right",
            }
            if names.relation:
                relation["labels"] = [names.relation]
            results.append(relation)
    return results


def page_score(result: DocumentResult, page: int) -> float:
    """Confidence 0..1 of the page's pre-annotation, from the engine.

    Over the layers described on the page, 0.7 x the mean plus 0.3 x the weakest of
    the layers' confidences (a layer's borehole's when the layer has none), the same
    blend the engine uses for a borehole: one doubtful layer pulls the page down, so
    sorting by score puts the pages to check first. Layers the engine did not judge
    are left out. When the engine judged none of them, the documented fallback is a
    completeness score: 0.5 for a description, +0.25 for each known depth bound,
    x 0.9 on pages read by OCR. A page without layers scores 0.
    """
    judged: list[float] = []
    complete: list[float] = []
    for borehole in result.boreholes:
        for layer in borehole.layers:
            if layer.page != page:
                continue
            confidence = layer.confidence if layer.confidence is not None else borehole.confidence
            if confidence is not None:
                judged.append(min(1.0, max(0.0, confidence)))
            complete.append(
                0.5 + 0.25 * (layer.depth.start is not None) + 0.25 * (layer.depth.end is not None)
            )
    if judged:
        return round(0.7 * sum(judged) / len(judged) + 0.3 * min(judged), 4)
    if not complete:
        return 0.0
    score = sum(complete) / len(complete)
    try:
        if page_info(result, page).source == "ocr":
            score *= 0.9
    except ValueError:
        pass
    return round(score, 4)
