"""Render PDF pages as PNG images, the way a person sees them (``/Rotate`` applied)."""

from __future__ import annotations

from pathlib import Path

import fitz

from label_studio_ml.errors import BadRequest, InputDocumentError
from stratigraphy.pdf.reader import open_pdf

MAX_RENDER_PIXELS = 120_000_000  # guard against absurd page sizes x dpi


def _document(source: str | Path | bytes | fitz.Document) -> tuple[fitz.Document, bool]:
    """The document and whether we opened it (and so must close it)."""
    if isinstance(source, fitz.Document):
        return source, False
    return open_pdf(source), True


def page_count(source: str | Path | bytes | fitz.Document) -> int:
    """Number of pages (InputDocumentError when the PDF cannot be read)."""
    doc, owned = _document(source)
    try:
        return int(doc.page_count)
    finally:
        if owned:
            doc.close()


def render_page_png(
    source: str | Path | bytes | fitz.Document | fitz.Page, page_index: int = 0, dpi: float = 150
) -> bytes:
    """PNG bytes of page ``page_index`` (0-based) at ``dpi``, rotation applied.

    ``source`` may be a path, PDF bytes, an open document or a page (then
    ``page_index`` is ignored). Bad page numbers raise :class:`BadRequest`.
    """
    if not 10 <= dpi <= 1200:
        raise BadRequest(f"dpi must be between 10 and 1200, not {dpi}")
    if isinstance(source, fitz.Page):
        return _png(source, dpi)
    doc, owned = _document(source)
    try:
        if not 0 <= page_index < doc.page_count:
            raise BadRequest(
                f"page {page_index} does not exist",
                detail=f"the document has {doc.page_count} pages (numbered from 0)",
            )
        return _png(doc.load_page(page_index), dpi)
    finally:
        if owned:
            doc.close()


def _png(page: fitz.Page, dpi: float) -> bytes:
    r = page.rect  # rotated (displayed) size in points
    pixels = (r.width * dpi / 72.0) * (r.height * dpi / 72.0)
    if pixels > MAX_RENDER_PIXELS:
        raise InputDocumentError(
            f"page {page.number + 1} is too large to render at {dpi:g} dpi",
            detail=f"{r.width:.0f} x {r.height:.0f} pt",
        )
    try:
        pix = page.get_pixmap(dpi=round(dpi), alpha=False)
        return bytes(pix.tobytes("png"))
    except Exception as exc:
        raise InputDocumentError(
            f"page {page.number + 1} cannot be rendered", detail=str(exc)[:200]
        ) from None
