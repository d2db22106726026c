"""Open PDFs safely and read every page into words and ruling lines.

A page's words come from its text layer when it has a usable one; otherwise the
page is rendered and read by Tesseract, and the pixel boxes are mapped back to
the unrotated PDF frame, so the rest of the engine cannot tell the difference.
On text-layer pages, small regions of lettering drawn as vector outlines (no
text behind them) are OCR'd too, so labels like ``436.6 m ü.M.`` are not lost.

PyMuPDF documents are not thread-safe: open one per call, never share it.
"""

from __future__ import annotations

import logging
import math
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import fitz
import numpy as np
from PIL import Image

from label_studio_ml.errors import InputDocumentError, OcrEngineError
from stratigraphy.geometry import BBox, pixels_to_pdf_bbox, rotate_bbox, rotated_size, union_all
from stratigraphy.model import PageContent, Segment, TextSource, Word
from stratigraphy.ocr import merge, numbers, prepare, tesseract
from stratigraphy.ocr.language import guess_languages
from stratigraphy.ocr.prepare import Gray
from stratigraphy.pdf.lines import (
    box_to_segment,
    detect_raster_lines,
    erase_raster_lines,
    group_glyphs,
    scan_drawings,
)
from stratigraphy.settings import EngineSettings

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
MIN_OCR_CONF = 20.0  # Tesseract words below this are mostly noise from lines and hatching
MAX_GLYPHS_FOR_REGIONS = 6000
SPARSE_OCR_WORDS = 40  # fewer sure words than this: check whether the scan lies sideways
MIN_ORIENTATION_CONF = 2.0
PREPARED_BLOCK = 100_000  # block numbers of words read from the prepared page start here


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Pages read from a document and what went wrong on the way (human-readable)."""

    pages: tuple[PageContent, ...]
    warnings: tuple[str, ...] = ()
    page_count: int = 0  # pages in the document (may exceed len(pages))


# --------------------------------------------------------------------------- opening


def open_pdf(source: str | Path | bytes, *, max_bytes: int | None = None) -> fitz.Document:
    """Open a PDF from a path or bytes; :class:`InputDocumentError` if it cannot be read.

    Refuses files that are not PDFs (even those PyMuPDF could open, like images or
    EPUB), encrypted PDFs that need a password, damaged files PyMuPDF cannot
    repair, and documents without pages.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        label = "document"
    else:
        path = Path(source)
        label = path.name
        try:
            size = path.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise InputDocumentError(
                    f"{label} is too large", detail=f"{size} bytes, limit {max_bytes}"
                )
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputDocumentError(f"{label} does not exist") from None
        except IsADirectoryError:
            raise InputDocumentError(f"{label} is a directory, not a PDF") from None
        except OSError as exc:
            raise InputDocumentError(f"{label} cannot be read", detail=exc.strerror) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise InputDocumentError(
            f"{label} is too large", detail=f"{len(data)} bytes, limit {max_bytes}"
        )
    if not data:
        raise InputDocumentError(f"{label} is empty")
    if PDF_MAGIC not in data[:1024]:
        raise InputDocumentError(
            f"{label} is not a PDF", detail="no %PDF- header in the first 1024 bytes"
        )
    try:
        doc = fitz.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises FileDataError, RuntimeError, ValueError...
        raise InputDocumentError(
            f"{label} is damaged and cannot be opened", detail=str(exc)[:200]
        ) from None
    if not doc.is_pdf:
        doc.close()
        raise InputDocumentError(f"{label} is not a PDF")
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise InputDocumentError(f"{label} is encrypted", detail="a password is needed to open it")
    try:
        count = doc.page_count
    except Exception:
        count = 0
    if count < 1:
        doc.close()
        raise InputDocumentError(f"{label} has no pages")
    return doc


# --------------------------------------------------------------------------- reading


def read_pages(doc: fitz.Document, settings: EngineSettings | None = None) -> list[PageContent]:
    """Words and segments of every page (see :func:`read_document` for warnings)."""
    return list(read_document(doc, settings).pages)


def read_document(
    doc: fitz.Document, settings: EngineSettings | None = None, only: Iterable[int] | None = None
) -> ReadResult:
    """Read the pages of ``doc`` within the page limit and time budget of ``settings``.

    ``only``: the 0-based pages to read (indices outside the document are ignored).
    A page that fails to load is skipped with a warning; pages past the time
    budget are read from their text layer only.
    """
    settings = settings or EngineSettings()
    started = time.monotonic()
    warnings: list[str] = []
    total = doc.page_count
    limit = min(total, settings.max_pages)
    if total > limit:
        warnings.append(
            f"document has {total} pages; only the first {limit} were read (ENGINE_MAX_PAGES)"
        )
    pages: list[PageContent] = []
    budget_warned = False
    if only is not None:  # the pages asked for: the page limit's warning does not apply
        warnings = []
    indices = range(limit) if only is None else sorted({i for i in only if 0 <= i < total})
    for index in indices[: settings.max_pages]:
        over_budget = time.monotonic() - started > settings.max_seconds
        if over_budget and not budget_warned:
            warnings.append(
                f"time budget of {settings.max_seconds:.0f} s spent at page {index + 1}; "
                "later pages were not OCR'd (ENGINE_MAX_SECONDS)"
            )
            budget_warned = True
        try:
            page = doc.load_page(index)
            content, page_warnings = read_page(page, settings, allow_ocr=not over_budget)
        except OcrEngineError:
            raise
        except Exception as exc:
            log.warning("page %d unreadable: %s", index + 1, exc)
            warnings.append(f"page {index + 1} could not be read: {str(exc)[:120]}")
            continue
        pages.append(content)
        warnings.extend(page_warnings)
    return ReadResult(tuple(pages), tuple(warnings), total)


def unrotated_size(page: fitz.Page) -> tuple[float, float]:
    """Width and height of the page in its unrotated frame (the frame of word boxes)."""
    r = page.rect
    return (r.height, r.width) if page.rotation in (90, 270) else (r.width, r.height)


def read_page(
    page: fitz.Page, settings: EngineSettings, *, allow_ocr: bool = True
) -> tuple[PageContent, list[str]]:
    """Read one page: text layer words (or OCR), outline lettering, ruling lines."""
    number = page.number + 1
    width, height = unrotated_size(page)
    rotation = page.rotation
    warnings: list[str] = []
    words = text_layer_words(page, number)
    scan = scan_drawings(page.get_drawings())
    segments = list(scan.segments)
    image_cover = _image_coverage(page, width * height)
    needs_ocr = not is_text_layer_usable(words, image_cover, len(scan.glyphs), settings)
    source = TextSource.TEXT_LAYER
    text_rotation = 0
    gray: Gray | None = None
    ocr_dpi: float | None = None
    if needs_ocr and (image_cover > 0.0 or scan.glyphs or segments or words):
        if not (settings.ocr_enabled and allow_ocr):
            warnings.append(f"page {number} has no usable text layer and was not OCR'd")
        else:
            limit = min(settings.ocr_max_pixels, settings.max_render_pixels)
            dpi = ocr_dpi = fit_dpi(width, height, settings.ocr_dpi, limit)
            gray = _render_gray(page, dpi)
            page_settings = settings
            languages = probe_languages(gray, dpi, settings)
            if languages != settings.ocr_languages:
                log.info(
                    "page %d: read in %s (quick reading found no other language)", number, languages
                )
                page_settings = settings.with_changes(ocr_languages=languages)
            try:
                ocr_words = ocr_image(gray, number, width, height, rotation, dpi, page_settings)
            except OcrEngineError as exc:
                tesseract.probe()  # Tesseract missing or broken: that sinks every page, so raise
                log.warning("page %d: OCR failed: %s (%s)", number, exc.message, exc.detail)
                warnings.append(f"page {number}: OCR failed ({exc.message}); the page has no words")
                ocr_words = []
            # no sure word at all counts too: a sideways page read upright is all unsure, and
            # the merge with the prepared reading drops unsure words
            if settings.ocr_orientation and _readable_count(ocr_words) < SPARSE_OCR_WORDS:
                turned = _turned_reading(
                    gray, ocr_words, number, width, height, rotation, dpi, page_settings
                )
                if turned is not None:
                    ocr_words, text_rotation = turned
                    warnings.append(
                        f"page {number} is a sideways scan; read turned by {text_rotation}°"
                    )
            if ocr_words or not words:
                words, source = ocr_words, TextSource.OCR
    elif settings.outline_ocr and allow_ocr and settings.ocr_enabled and scan.glyphs:
        words = words + outline_words(page, scan.glyphs, words, settings)
    if not any(s.length > 0.2 * min(width, height) for s in segments) and image_cover > 0.3:
        segments.extend(raster_segments(page, settings, gray, ocr_dpi))
    if source is TextSource.TEXT_LAYER and words:
        text_rotation = text_layer_turn(page, words)
        if text_rotation:
            warnings.append(
                f"page {number}: its text runs sideways; read turned by {text_rotation}°"
            )
    content = PageContent(
        number, width, height, rotation, tuple(words), tuple(segments), source, text_rotation
    )
    return content, warnings


def text_layer_words(page: fitz.Page, number: int) -> list[Word]:
    """Words of the text layer, in the unrotated frame, without empty, off-page or garbage words."""
    raw = page.get_text("words", sort=False)
    width, height = unrotated_size(page)
    area = BBox(0.0, 0.0, width, height).expand(2.0)
    words: list[Word] = []
    for x0, y0, x1, y1, text, block, line, _wno in raw:
        text = _clean(text)
        if not text or x1 <= x0 or y1 <= y0:
            continue
        box = BBox(float(x0), float(y0), float(x1), float(y1))
        if not area.contains_point(box.cx, box.cy):
            continue
        words.append(Word(text, box, number, int(block) * 1000 + int(line)))
    return _drop_scattered_letters(words)


def _drop_scattered_letters(words: list[Word]) -> list[Word]:
    """Drop text lines made of single letters spread apart (``W L Q a i a ...``).

    Fonts without a usable character map give such lines: each glyph becomes a
    one-letter word, and the letters do not spell what is printed.
    """
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    bad: set[int] = set()
    for key, members in lines.items():
        if len(members) < 8:
            continue
        singles = [w for w in members if len(w.text) == 1 and w.text.isalpha()]
        if len(singles) >= 0.8 * len(members):
            bad.add(key)
    return [w for w in words if w.line not in bad] if bad else words


def _clean(text: str) -> str:
    """Strip control, private-use and replacement characters; '' when nothing readable is left."""
    return "".join(
        ch
        for ch in text
        if ch != "\ufffd" and unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Zs")
    )


_DIR_TURN = {(1, 0): 0, (0, -1): 90, (-1, 0): 180, (0, 1): 270}


def text_layer_turn(page: fitz.Page, words: list[Word]) -> int:
    """Extra clockwise turn the displayed page needs for its text to run left to right.

    0 for ordinary pages. Only when most longer words stand upright in the displayed
    frame (text set sideways without /Rotate) are the text lines' directions consulted.
    """
    width, height = unrotated_size(page)
    longer = [w for w in words if len(w.text) >= 3]
    if len(longer) < 5:
        return 0
    shown = [rotate_bbox(w.bbox, width, height, page.rotation) for w in longer]
    if sum(1 for b in shown if b.height > 1.2 * b.width) < 0.6 * len(shown):
        return 0
    votes: dict[int, int] = {}
    for block in page.get_text("dict").get("blocks", []):
        for line in block.get("lines", []):
            dx, dy = line.get("dir", (1.0, 0.0))
            turn = _DIR_TURN.get((round(dx), round(dy)))
            if turn is not None:
                votes[turn] = votes.get(turn, 0) + len(line.get("spans", []))
    if not votes:
        return 0
    total = max(votes, key=lambda t: votes[t])
    return (total - int(page.rotation)) % 360


def is_text_layer_usable(
    words: list[Word], image_cover: float, glyph_count: int, settings: EngineSettings
) -> bool:
    """Judge whether the words are the page's text, or OCR is needed.

    Unusable: too few words; mostly unreadable words; a page-filling scan with
    only a handful of words (a stamp or page number); lettering drawn as
    outlines that far outnumbers the words.
    """
    readable = [w for w in words if sum(ch.isalnum() for ch in w.text) >= max(1, len(w.text) // 2)]
    if len(readable) < settings.min_text_words:
        return False
    if len(readable) < 0.5 * len(words):
        return False
    if image_cover >= 0.5 and len(readable) < 4 * settings.min_text_words:
        return False
    return not (glyph_count > 400 and glyph_count > 20 * len(readable))


def _image_coverage(page: fitz.Page, page_area: float) -> float:
    """Fraction of the page covered by its largest image (0 when none)."""
    best = 0.0
    try:
        infos = page.get_image_info()
    except Exception:
        return 0.0
    for info in infos:
        x0, y0, x1, y1 = info.get("bbox", (0, 0, 0, 0))
        best = max(best, max(0.0, x1 - x0) * max(0.0, y1 - y0))
    return min(1.0, best / page_area) if page_area > 0 else 0.0


# --------------------------------------------------------------------------- OCR


def fit_dpi(width: float, height: float, dpi: int, max_pixels: int) -> int:
    """``dpi``, lowered so a ``width`` x ``height`` pt page renders to at most ``max_pixels``."""
    pixels = (width * dpi / 72.0) * (height * dpi / 72.0)
    if pixels <= max_pixels:
        return dpi
    return max(36, int(dpi * math.sqrt(max_pixels / pixels)))


def _render_gray(page: fitz.Page, dpi: int, clip: fitz.Rect | None = None) -> Gray:
    """Render with /Rotate applied, as an 8-bit grayscale array."""
    pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False, clip=clip)
    return (
        np.frombuffer(pix.samples, dtype=np.uint8)
        .reshape(pix.height, pix.stride)[:, : pix.width]
        .copy()
    )


def ocr_image(
    gray: Gray,
    number: int,
    width: float,
    height: float,
    rotation: int,
    dpi: float,
    settings: EngineSettings,
    psm: int | None = None,
    offset: tuple[float, float] = (0.0, 0.0),
) -> list[Word]:
    """Tesseract words of a rendered page (or part of it) as words in unrotated PDF points.

    ``offset`` is the pixel position of ``gray``'s top-left corner in the full rendered page.
    Large images are cut into overlapping horizontal bands read in parallel; a word
    belongs to the band that holds its centre, so none is lost or doubled at a seam.
    """
    lined = gray
    if settings.ocr_erase_lines != "none":
        lined = erase_raster_lines(
            gray, max(20, int(dpi / 5)), horizontal=settings.ocr_erase_lines == "all"
        )
    bands = _bands(gray.shape[0], gray.shape[1], settings)
    psm = psm or settings.ocr_psm

    def run(band: tuple[int, int, int, int]) -> list[tuple[tesseract.OcrWord, int]]:
        top, bottom, keep_from, keep_to = band
        found = tesseract.image_to_words(
            Image.fromarray(lined[top:bottom]),
            languages=settings.ocr_languages,
            psm=psm,
            timeout=settings.ocr_timeout,
            extra_config=_extra_config(settings),
        )
        if settings.ocr_prepare_unsure < 1.0 and merge.reading_is_poor(
            found, settings.ocr_prepare_unsure
        ):
            found = _read_prepared(gray[top:bottom], found, dpi, psm, settings)
        return [(w, top) for w in found if keep_from <= w.bbox.cy + top < keep_to]

    if len(bands) == 1:
        results = [run(bands[0])]
    else:
        with ThreadPoolExecutor(max_workers=min(len(bands), settings.ocr_workers)) as pool:
            results = list(pool.map(run, bands))
    ox, oy = offset
    rereads = _reread_numbers(lined, results, settings)
    words: list[Word] = []
    for band_index, found in enumerate(results):
        for w, top in found:
            w = rereads.get(id(w), w)
            text = _clean(w.text)
            if not text or (w.conf < MIN_OCR_CONF and not any(ch.isdigit() for ch in text)):
                continue
            if not any(ch.isalnum() for ch in text) and w.conf < 60:
                continue
            pixel_box = BBox(
                w.bbox.x0 + ox, w.bbox.y0 + oy + top, w.bbox.x1 + ox, w.bbox.y1 + oy + top
            )
            box = pixels_to_pdf_bbox(pixel_box, width, height, rotation, dpi)
            line = band_index * 1_000_000 + w.block * 10000 + w.par * 100 + w.line
            if w.block >= PREPARED_BLOCK:  # the prepared reading's lines are its own
                line = -line
            words.append(Word(text, box, number, line, w.conf))
    return words


def _read_prepared(
    gray: Gray,
    first: list[tesseract.OcrWord],
    dpi: float,
    psm: int,
    settings: EngineSettings,
) -> list[tesseract.OcrWord]:
    """A poor reading merged with a reading of the prepared image, the surer word kept.

    The prepared words' block numbers are moved past PREPARED_BLOCK so that their text lines
    stay apart from the first reading's. A failed second reading leaves the first one.
    """
    started = time.perf_counter()
    try:
        second = tesseract.image_to_words(
            Image.fromarray(prepare.prepare_page(gray, dpi)),
            languages=settings.ocr_languages,
            psm=psm,
            timeout=settings.ocr_timeout,
            extra_config=f"{_extra_config(settings)} {prepare.TESSERACT_CONFIG}".strip(),
        )
    except OcrEngineError as exc:
        log.warning("OCR of the prepared page failed: %s", exc.message)
        return first
    second = [replace(w, block=w.block + PREPARED_BLOCK) for w in second]
    merged = merge.merge_readings(first, second)
    quality = merge.reading_quality(first)
    log.info(
        "%d of %d OCR words unsure; prepared copy read in %.1f s, %d of %d words from it",
        quality.unsure,
        quality.words,
        time.perf_counter() - started,
        sum(1 for w in merged if w.block >= PREPARED_BLOCK),
        len(merged),
    )
    return merged


def _reread_numbers(
    gray: Gray, results: list[list[tuple[tesseract.OcrWord, int]]], settings: EngineSettings
) -> dict[int, tesseract.OcrWord]:
    """Cut-short numbers completed by a focused second reading, by ``id`` of the page OCR word.

    The completed words keep their band-relative box convention (``top`` is added later).
    """
    if not settings.ocr_reread_numbers:
        return {}
    found = [(w, top) for band in results for w, top in band]
    boxes = [BBox(w.bbox.x0, w.bbox.y0 + top, w.bbox.x1, w.bbox.y1 + top) for w, top in found]
    changes = numbers.reread_numbers(
        gray, [_clean(w.text) for w, _ in found], boxes, timeout=settings.ocr_timeout
    )
    out: dict[int, tesseract.OcrWord] = {}
    for index, (text, box) in changes.items():
        w, top = found[index]
        log.debug("number %r read again as %r", w.text, text)
        out[id(w)] = replace(w, text=text, bbox=BBox(box.x0, box.y0 - top, box.x1, box.y1 - top))
    return out


def _extra_config(settings: EngineSettings) -> str:
    return "" if settings.ocr_invert else "-c tessedit_do_invert=0"


def probe_languages(gray: Gray, dpi: float, settings: EngineSettings) -> str:
    """The languages to OCR a rendered page in: ENGINE_OCR_LANGUAGES, narrowed on large pages.

    A large page is first read quickly (ENGINE_OCR_PROBE_DPI, one small model, only the
    words it is sure of, top and bottom half in parallel); the languages those words belong
    to are kept (see :func:`~stratigraphy.ocr.language.guess_languages`). When the quick
    reading cannot tell or fails, all configured languages are used.
    """
    configured = settings.ocr_languages
    if (
        "+" not in configured
        or not settings.ocr_probe_pixels
        or gray.size <= settings.ocr_probe_pixels
    ):
        return configured
    import cv2

    factor = min(1.0, settings.ocr_probe_dpi / dpi)
    small = (
        cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        if factor < 1
        else gray
    )
    model = "eng" if "eng" in configured.split("+") else configured.split("+")[0]
    middle, overlap = small.shape[0] // 2, max(8, int(settings.ocr_probe_dpi / 6))
    halves = (
        [small[: middle + overlap], small[middle - overlap :]]
        if settings.ocr_workers > 1
        else [small]
    )

    def read(part: Gray) -> list[str]:
        found = tesseract.image_to_words(
            Image.fromarray(part),
            languages=model,
            psm=settings.ocr_psm,
            timeout=settings.ocr_timeout,
            extra_config=_extra_config(settings),
            min_conf=60,
        )
        return [w.text for w in found]

    try:
        with ThreadPoolExecutor(max_workers=len(halves)) as pool:
            texts = [t for part in pool.map(read, halves) for t in part]
    except OcrEngineError as exc:
        log.warning("quick language reading failed: %s", exc.message)
        return configured
    return guess_languages(texts, configured)


def _bands(rows: int, cols: int, settings: EngineSettings) -> list[tuple[int, int, int, int]]:
    """(top, bottom, keep_from, keep_to) pixel rows of the bands an image is OCR'd in."""
    count = max(1, math.ceil(rows * cols / settings.ocr_band_pixels))
    if count == 1 or settings.ocr_workers < 2:
        return [(0, rows, 0, rows)]
    overlap = 150
    step = math.ceil(rows / count)
    bands = []
    for i in range(count):
        keep_from, keep_to = i * step, min(rows, (i + 1) * step)
        bands.append(
            (
                max(0, keep_from - overlap),
                min(rows, keep_to + overlap),
                keep_from if i else -overlap,
                keep_to if i < count - 1 else rows + overlap,
            )
        )
    return bands


def _readable_count(words: list[Word]) -> int:
    """Words OCR is sure of: confident and at least three letters or digits long."""
    return sum(1 for w in words if (w.conf or 0) >= 70 and sum(ch.isalnum() for ch in w.text) >= 3)


def _turned_reading(
    gray: Gray,
    words: list[Word],
    number: int,
    width: float,
    height: float,
    rotation: int,
    dpi: float,
    settings: EngineSettings,
) -> tuple[list[Word], int] | None:
    """Read a sparse-looking OCR page again turned upright, when Tesseract says it lies sideways.

    The image turned clockwise by ``turn`` is the page shown with ``rotation + turn``, so the
    boxes map back to the unrotated frame through that rotation.
    """
    try:  # full resolution: at half of 300 dpi the confidence falls from ~14 to ~1
        found = tesseract.detect_orientation(Image.fromarray(gray), timeout=settings.ocr_timeout)
    except OcrEngineError as exc:
        log.warning("page %d: orientation check failed: %s", number, exc.message)
        return None
    if found is None or found[0] == 0 or found[1] < MIN_ORIENTATION_CONF:
        return None
    turn = found[0]
    turned = np.ascontiguousarray(np.rot90(gray, k=-(turn // 90)))
    try:
        again = ocr_image(turned, number, width, height, (rotation + turn) % 360, dpi, settings)
    except OcrEngineError as exc:
        log.warning("page %d: OCR of the turned page failed: %s", number, exc.message)
        return None
    if _readable_count(again) <= _readable_count(words):
        return None
    return again, turn


def outline_words(
    page: fitz.Page, glyphs: tuple[BBox, ...], words: list[Word], settings: EngineSettings
) -> list[Word]:
    """OCR of text-line regions drawn as vector outlines that have no text-layer words.

    All regions go through one Tesseract run: the page is rendered once, everything
    outside the regions is whitened, and the crop around them is read.
    """
    if len(glyphs) > MAX_GLYPHS_FOR_REGIONS:
        return []
    regions = group_glyphs(glyphs, [w.bbox for w in words])
    if not regions:
        return []
    if len(regions) > settings.max_outline_regions:
        regions = sorted(regions, key=lambda b: -b.area)[: settings.max_outline_regions]
    number = page.number + 1
    width, height = unrotated_size(page)
    rotation, dpi = page.rotation, settings.ocr_dpi
    scale = dpi / 72.0
    # the regions in the displayed frame (points); render only the part of the page around them
    shown = [rotate_bbox(r.expand(2.0), width, height, rotation) for r in regions]
    view_w, view_h = rotated_size(width, height, rotation)
    span = union_all(shown).expand(6.0).clip(view_w, view_h)
    if span is None:
        return []
    gray = _render_gray(page, dpi, clip=fitz.Rect(span.x0, span.y0, span.x1, span.y1))
    ox, oy = span.x0 * scale, span.y0 * scale
    # stack the regions' crops into one small image: one Tesseract run over little white space
    crops: list[tuple[Gray, float, float]] = []
    for box in shown:
        x0, y0 = max(0, int(box.x0 * scale - ox)), max(0, int(box.y0 * scale - oy))
        x1 = min(gray.shape[1], int(box.x1 * scale - ox) + 1)
        y1 = min(gray.shape[0], int(box.y1 * scale - oy) + 1)
        if x1 > x0 and y1 > y0:
            crops.append((gray[y0:y1, x0:x1], x0 + ox, y0 + oy))
    if not crops:
        return []
    pad = 20
    sheet = np.full(
        (
            sum(c.shape[0] + pad for c, _, _ in crops) + pad,
            max(c.shape[1] for c, _, _ in crops) + 2 * pad,
        ),
        255,
        dtype=np.uint8,
    )
    slots: list[tuple[int, int, float, float]] = []  # sheet rows top..bottom -> page pixel origin
    y = pad
    for crop, px, py in crops:
        sheet[y : y + crop.shape[0], pad : pad + crop.shape[1]] = crop
        slots.append((y, y + crop.shape[0], px - pad, py - y))
        y += crop.shape[0] + pad
    try:
        found = tesseract.image_to_words(
            Image.fromarray(sheet),
            languages=settings.outline_languages,
            psm=11,
            timeout=settings.ocr_timeout,
        )
    except OcrEngineError as exc:
        log.warning("page %d: OCR of outline lettering failed: %s", number, exc.message)
        return []
    ocr_words: list[Word] = []
    for w in found:
        text = _clean(w.text)
        slot = next((s for s in slots if s[0] - pad / 2 <= w.bbox.cy < s[1] + pad / 2), None)
        if (
            slot is None
            or not text
            or (w.conf < MIN_OCR_CONF and not any(ch.isdigit() for ch in text))
        ):
            continue
        if not any(ch.isalnum() for ch in text) and w.conf < 60:
            continue
        _, _, dx, dy = slot
        pixel_box = BBox(w.bbox.x0 + dx, w.bbox.y0 + dy, w.bbox.x1 + dx, w.bbox.y1 + dy)
        box = pixels_to_pdf_bbox(pixel_box, width, height, rotation, dpi)
        ocr_words.append(
            Word(text, box, number, 900_000 + slots.index(slot) * 100 + w.line, w.conf)
        )
    found_words = ocr_words
    # keep OCR words only where there were outlines, not where the text layer already is
    existing = [w.bbox for w in words]
    return [
        w
        for w in found_words
        if not any(w.bbox.intersection_area(b) > 0.3 * w.bbox.area for b in existing)
    ]


def raster_segments(
    page: fitz.Page,
    settings: EngineSettings,
    gray: Gray | None = None,
    gray_dpi: float | None = None,
) -> list[Segment]:
    """Ruling lines of a scanned page, found with OpenCV, in unrotated PDF points."""
    width, height = unrotated_size(page)
    if gray is None:
        dpi: float = settings.lines_dpi
        dpi = fit_dpi(width, height, settings.lines_dpi, settings.max_render_pixels)
        gray = _render_gray(page, dpi)
    else:
        dpi = gray_dpi or settings.ocr_dpi
        factor = settings.lines_dpi / dpi
        if factor < 1.0:
            import cv2

            small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
            gray = small.astype(np.uint8)
            dpi = settings.lines_dpi
    out: list[Segment] = []
    for box in detect_raster_lines(gray):
        pdf_box = pixels_to_pdf_bbox(box, width, height, page.rotation, dpi)
        out.append(box_to_segment(pdf_box))
    return out
