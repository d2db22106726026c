"""The engine's entry point: one PDF in, its boreholes (layers, metadata, groundwater) out.

``extract_document`` opens the PDF (path or bytes), reads every page (text layer, or OCR
when a page has none; bounded by the page limit and time budget of the settings), detects
the layers of each borehole, and reads each borehole's metadata from its pages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from pathlib import Path

from stratigraphy.layers import DetectedBorehole, detect_boreholes
from stratigraphy.metadata import Region, extract_metadata
from stratigraphy.model import Borehole, DocumentResult, PageContent, PageInfo
from stratigraphy.pdf.reader import open_pdf, read_document
from stratigraphy.settings import EngineSettings

log = logging.getLogger(__name__)


def _name(source: str | Path | bytes, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, (str, Path)):
        return Path(source).name
    return "document.pdf"


def _metadata_region(
    detected: DetectedBorehole, all_found: list[DetectedBorehole]
) -> Region | None:
    """Where to look for a borehole's header: anywhere, unless the document has several.

    With several boreholes, the header of one is the one nearest its log (first page and box).
    """
    if len(all_found) < 2 or not detected.regions:
        return None
    return detected.regions[0]


def extract_pages(
    pages: list[PageContent], *, name: str = "document.pdf", warnings: tuple[str, ...] = ()
) -> DocumentResult:
    """The boreholes of already-read pages (the pure part of :func:`extract_document`)."""
    detected = detect_boreholes(pages)
    boreholes: list[Borehole] = []
    for index, found in enumerate(detected):
        region = _metadata_region(found, detected)
        others = [d.regions[0] for d in detected if d is not found and d.regions] if region else []
        metadata, groundwater = extract_metadata(list(pages), region, others)
        boreholes.append(
            Borehole(index, found.layers, metadata, tuple(groundwater), found.confidence)
        )
    if not boreholes and pages:
        metadata, groundwater = extract_metadata(list(pages), None)
        boreholes.append(Borehole(0, (), metadata, tuple(groundwater)))
    infos = tuple(PageInfo(p.number, p.width, p.height, p.rotation, p.source) for p in pages)
    notes = tuple(f"borehole {i + 1}: {w}" for i, d in enumerate(detected) for w in d.warnings)
    return DocumentResult(name, infos, tuple(boreholes), (*warnings, *notes))


def extract_document(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    settings: EngineSettings | None = None,
    pages: Collection[int] | None = None,
) -> DocumentResult:
    """Extract the boreholes of one PDF (only its 0-based ``pages`` when given).

    Raises :class:`~label_studio_ml.errors.InputDocumentError` for a corrupt, encrypted,
    empty or non-PDF input; a very long document is read up to the page limit and time
    budget of ``settings`` and the result carries a warning.
    """
    settings = settings or EngineSettings()
    label = _name(source, name)
    started = time.monotonic()
    doc = open_pdf(source, max_bytes=settings.max_file_bytes)
    try:
        read = read_document(doc, settings, only=pages)
    finally:
        doc.close()
    result = extract_pages(list(read.pages), name=label, warnings=read.warnings)
    log.debug(
        "extracted %s: %d pages, %d boreholes, %d layers in %.2f s",
        label,
        len(read.pages),
        len(result.boreholes),
        sum(len(b.layers) for b in result.boreholes),
        time.monotonic() - started,
    )
    return result
