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
- a ``belongs_to`` relation from each description to its depth interval.

Region ids are a hash of the document content hash, the engine version, page,
borehole, layer index and label, so the same document and engine give the
same ids on every call (and annotations that keep a region keep its id).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stratigraphy.geometry import BBox, pdf_bbox_to_percent, union_all
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

MATERIAL_DESCRIPTION = "Material Description"
DEPTH_INTERVAL = "Depth Interval"
COORDINATES = "Coordinates"
ELEVATION = "Elevation"
GROUNDWATER = "Groundwater"
BOREHOLE_NAME = "Borehole Name"
LABELS = (MATERIAL_DESCRIPTION, DEPTH_INTERVAL, COORDINATES, ELEVATION, GROUNDWATER, BOREHOLE_NAME)
RELATION_LABEL = "belongs_to"


@dataclass(frozen=True, slots=True)
class ConfigNames:
    """Names of the labeling-config tags the results refer to."""

    label: str = "label"  # RectangleLabels name
    text: str | None = "transcription"  # per-region TextArea name (None: no transcription)
    image: str = "image"  # Image name (to_name)
    relation: str | None = RELATION_LABEL  # Relation value (None: unlabelled relations)
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
    """One labelled box on a page, in unrotated PDF points, with its transcription."""

    id: str
    label: str
    bbox: BBox
    text: str
    relates_to: str | None = None  # id of the region this one belongs to


def region_id(
    doc_hash: str, engine_version: str, page: int, borehole: int, index: int, label: str
) -> str:
    """Stable id of a region: same document content + engine version -> same id."""
    key = f"{doc_hash}|{engine_version}|{page}|{borehole}|{index}|{label}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _layer_regions(
    borehole: Borehole, index: int, layer: Layer, page: int, doc_hash: str, version: str
) -> list[Region]:
    regions: list[Region] = []
    depth_boxes = [
        box
        for i, box in enumerate(layer.depth_bboxes)
        if (layer.depth_pages[i] if i < len(layer.depth_pages) else layer.page) == page
    ]
    depth_id = None
    if depth_boxes:
        depth_id = region_id(doc_hash, version, page, borehole.index, index, DEPTH_INTERVAL)
    if layer.page == page and layer.description.strip():
        desc_id = region_id(doc_hash, version, page, borehole.index, index, MATERIAL_DESCRIPTION)
        regions.append(
            Region(
                desc_id, MATERIAL_DESCRIPTION, layer.description_bbox, layer.description, depth_id
            )
        )
    if depth_id is not None:
        regions.append(
            Region(depth_id, DEPTH_INTERVAL, union_all(depth_boxes), depth_text(layer.depth))
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
    """Every region the engine found on ``page`` (1-based), layers first, top to bottom per borehole."""
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


def percent_box(box: BBox, info: PageInfo) -> dict[str, float] | None:
    """``{x, y, width, height, rotation}`` in percent of the displayed page, clamped to 0..100.

    None when nothing of the box lies on the page.
    """
    x, y, w, h = pdf_bbox_to_percent(box, info.width, info.height, info.rotation)
    x0, y0 = _clamp(x), _clamp(y)
    x1, y1 = _clamp(x + w), _clamp(y + h)
    if x1 <= x0 or y1 <= y0:
        return None
    return {
        "x": round(x0, 4),
        "y": round(y0, 4),
        "width": round(x1 - x0, 4),
        "height": round(y1 - y0, 4),
        "rotation": 0,
    }


def regions_to_results(
    regions: Sequence[Region], info: PageInfo, image: ImageSize, names: ConfigNames = ConfigNames()
) -> list[dict[str, object]]:
    """Label Studio ``result`` items for ``regions`` on the page described by ``info``.

    Regions whose label the config does not offer, or whose box lies off the
    page, are left out; relations are written only between regions present.
    """
    results: list[dict[str, object]] = []
    written: set[str] = set()
    common = {"original_width": image.width, "original_height": image.height, "image_rotation": 0}
    for region in regions:
        if region.label not in names.labels:
            continue
        geometry = percent_box(region.bbox, info)
        if geometry is None:
            continue
        results.append(
            {
                "id": region.id,
                "from_name": names.label,
                "to_name": names.image,
                "type": "rectanglelabels",
                **common,
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
    """Heuristic confidence 0..1 of the page's pre-annotation (the engine gives no probabilities).

    Mean over the layers described on the page of a completeness score: 0.5 for
    a description with a box, +0.25 for each known depth bound. Pages read by
    OCR are scaled by 0.9 (OCR text is less certain). A page without layers
    scores 0.
    """
    layers: Iterable[Layer] = (
        layer for borehole in result.boreholes for layer in borehole.layers if layer.page == page
    )
    scores = [
        0.5 + 0.25 * (layer.depth.start is not None) + 0.25 * (layer.depth.end is not None)
        for layer in layers
    ]
    if not scores:
        return 0.0
    score = sum(scores) / len(scores)
    try:
        if page_info(result, page).source == "ocr":
            score *= 0.9
    except ValueError:
        pass
    return round(score, 4)
