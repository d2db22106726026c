"""One page's prediction: engine result + page image -> Label Studio results and score.

The one function both the backend (``/predict``) and the ingest use, so a page
gets the same regions whichever way it reaches Label Studio.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from label_studio_ml.errors import InputDocumentError
from stratigraphy.model import DocumentResult, PageInfo
from stratigraphy_ml_backend import ls_format
from stratigraphy_ml_backend.imaging import displayed_size, ink_pieces

log = logging.getLogger(__name__)

MERGE_PT = 1.5  # letters closer than this (in PDF points) are one piece of print


@dataclass(frozen=True, slots=True)
class PageResults:
    result: list[dict[str, Any]]
    score: float


def page_results(
    doc: DocumentResult,
    info: PageInfo,
    doc_hash: str,
    engine_version: str,
    size: ls_format.ImageSize,
    names: ls_format.ConfigNames,
    image: bytes | None = None,
) -> PageResults:
    """Regions of page ``info.number`` in Label Studio's shape, fitted to the ink of ``image``.

    Without an image (or an unreadable one) the boxes are the engine's, unfitted.
    """
    regions = ls_format.page_regions(doc, info.number, doc_hash, engine_version)
    ink = None
    if image is not None:
        scale = ls_format.px_per_pt(info, size)
        try:
            ink = ink_pieces(image, merge_px=max(1, round(MERGE_PT * scale)))
        except InputDocumentError as exc:
            log.warning("%s page %d: boxes not fitted to the print: %s", doc.name, info.number, exc)
    result = ls_format.regions_to_results(regions, info, size, names, ink)
    return PageResults(result, ls_format.page_score(doc, info.number))


def page_results_for_png(
    doc: DocumentResult,
    info: PageInfo,
    doc_hash: str,
    engine_version: str,
    png: bytes,
    names: ls_format.ConfigNames,
) -> PageResults:
    """:func:`page_results` for a page image given as bytes (its size read from it)."""
    return page_results(doc, info, doc_hash, engine_version, displayed_size(png), names, png)
