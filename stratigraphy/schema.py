"""The benchmark schema: one file's boreholes as plain JSON-ready dicts.

The one place where the engine's :class:`~stratigraphy.model.DocumentResult` becomes the
format of ``../shared/benchmark/README.md`` (what ``extract`` writes and ``evaluate`` reads).
"""

from __future__ import annotations

from typing import Any

from stratigraphy.model import Borehole, BoreholeMetadata, DocumentResult, Groundwater, Layer


def _number(value: float | None, ndigits: int = 3) -> float | int | None:
    if value is None:
        return None
    rounded = round(float(value), ndigits)
    return int(rounded) if rounded == int(rounded) else rounded


def layer_to_benchmark(layer: Layer) -> dict[str, Any]:
    return {
        "depth_interval": {"start": _number(layer.depth.start), "end": _number(layer.depth.end)},
        "material_description": layer.description,
        "page": layer.page,
        "material_description_rect": layer.description_bbox.as_list(),
        "depth_rects": [box.as_list() for box in layer.depth_bboxes],
        "depth_rects_pages": list(layer.depth_pages) or [layer.page] * len(layer.depth_bboxes),
        "confidence": _number(layer.confidence),
    }


def metadata_to_benchmark(metadata: BoreholeMetadata) -> dict[str, Any]:
    coords = metadata.coordinates
    return {
        "coordinates": (
            {"E": _number(coords.east, 2), "N": _number(coords.north, 2)} if coords else None
        ),
        "reference_elevation": _number(metadata.elevation.value, 2) if metadata.elevation else None,
        "original_name": metadata.name.text if metadata.name else None,
        "drilling_date": metadata.drilling_date,
        "total_depth": _number(metadata.total_depth),
    }


def groundwater_to_benchmark(reading: Groundwater) -> dict[str, Any]:
    return {
        "depth": _number(reading.depth),
        "date": reading.date,
        "elevation": _number(reading.elevation, 2),
    }


def borehole_to_benchmark(borehole: Borehole) -> dict[str, Any]:
    return {
        "borehole_index": borehole.index,
        "layers": [layer_to_benchmark(layer) for layer in borehole.layers],
        "metadata": metadata_to_benchmark(borehole.metadata),
        "groundwater": [groundwater_to_benchmark(g) for g in borehole.groundwater],
        "confidence": _number(borehole.confidence),
    }


def document_to_benchmark(result: DocumentResult) -> list[dict[str, Any]]:
    """The benchmark entry of one file: a list with one dict per borehole."""
    return [borehole_to_benchmark(b) for b in result.boreholes]
