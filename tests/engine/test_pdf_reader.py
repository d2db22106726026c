"""The PDF reader on generated documents: text layers, OCR fallback, rotation, bad input."""

from __future__ import annotations

import fitz
import pytest

from label_studio_ml.errors import InputDocumentError
from stratigraphy import samples
from stratigraphy.geometry import BBox
from stratigraphy.model import PageContent, TextSource
from stratigraphy.pdf.reader import fit_dpi, open_pdf, read_document, read_pages
from stratigraphy.settings import EngineSettings

SETTINGS = EngineSettings()


def _text_in(page: PageContent, rect: list[float], pad: float = 3.0) -> str:
    box = BBox(*rect).expand(pad)
    return " ".join(w.text for w in page.words if box.contains_point(w.bbox.cx, w.bbox.cy))


def _assert_truth_readable(
    pages: list[PageContent], truth: list[dict], min_share: float = 1.0
) -> None:
    good = total = 0
    for borehole in truth:
        for layer in borehole["layers"]:
            total += 1
            page = pages[layer["page"] - 1]
            text = _text_in(page, layer["material_description_rect"])
            good += text == layer["material_description"]
            for rect, page_no in zip(layer["depth_rects"], layer["depth_rects_pages"], strict=True):
                assert any(ch.isdigit() for ch in _text_in(pages[page_no - 1], rect)), (layer, rect)
    assert good >= min_share * total, f"{good}/{total} descriptions read exactly"


def test_text_layer_page_gives_words_lines_and_segments() -> None:
    sample = samples.ruled_table(4, "it")
    pages = read_pages(open_pdf(sample.pdf), SETTINGS)
    assert len(pages) == 1
    page = pages[0]
    assert page.source is TextSource.TEXT_LAYER and page.rotation == 0
    assert (page.width, page.height) == (595.0, 842.0)
    _assert_truth_readable(pages, sample.truth)
    horizontal = [s for s in page.segments if s.is_horizontal and s.length > 300]
    vertical = [s for s in page.segments if s.is_vertical and s.length > 100]
    assert len(horizontal) >= 7 and len(vertical) >= 4  # one rule per row, four column rules
    lines = {w.line for w in page.words}
    assert len(lines) > 10


@pytest.mark.parametrize("rotation", [90, 270])
def test_rotated_text_layer_boxes_are_in_the_unrotated_frame(rotation: int) -> None:
    sample = samples.rotated(7, rotation)
    pages = read_pages(open_pdf(sample.pdf), SETTINGS)
    assert (pages[0].width, pages[0].height, pages[0].rotation) == (842.0, 595.0, rotation)
    _assert_truth_readable(pages, sample.truth)


@pytest.mark.parametrize("rotation", [0, 270])
def test_image_only_page_is_ocrd_into_words_at_the_printed_positions(rotation: int) -> None:
    base = samples.boundary_column(7) if rotation == 0 else samples.rotated(7, rotation)
    scan = samples.image_only(base.pdf, dpi=200)
    result = read_document(open_pdf(scan), SETTINGS)
    page = result.pages[0]
    assert page.source is TextSource.OCR and page.rotation == rotation
    assert all(w.conf is not None for w in page.words)
    _assert_truth_readable(list(result.pages), base.truth, min_share=0.8)
    # ruling lines come back from the image (no vector drawings in a scan)
    assert sum(1 for s in page.segments if s.length > 300) >= 6
    # the result matches the text-layer reading word for word where both agree
    digital = read_pages(open_pdf(base.pdf), SETTINGS)[0]
    by_text = {w.text: w.bbox for w in digital.words}
    matched = [(w.bbox, by_text[w.text]) for w in page.words if w.text in by_text]
    assert len(matched) > 40
    near = sum(1 for a, b in matched if abs(a.cx - b.cx) < 4 and abs(a.cy - b.cy) < 4)
    assert near > 0.8 * len(matched)


def test_ocr_can_be_switched_off_with_a_warning() -> None:
    scan = samples.image_only(samples.interval_text(2).pdf)
    result = read_document(open_pdf(scan), SETTINGS.with_changes(ocr_enabled=False))
    assert result.pages[0].words == ()
    assert any("not OCR'd" in w for w in result.warnings)


def test_outline_lettering_is_ocrd_on_a_text_layer_page() -> None:
    doc = fitz.open()
    page = doc.new_page()
    for i in range(8):
        page.insert_text((60, 80 + 14 * i), f"Kies sandig Zeile {i}", fontsize=10)
    # the kind of label test_profile.pdf draws as outlines: lettering as paths, no text
    _draw_as_outlines(page, "Kote 436.6 m", (300, 400))
    data = doc.tobytes()
    assert "436" not in fitz.open(stream=data, filetype="pdf")[0].get_text()
    words = read_pages(open_pdf(data), SETTINGS)[0].words
    texts = [w.text for w in words]
    assert "436.6" in texts
    found = next(w for w in words if w.text == "436.6")
    assert 300 < found.bbox.x0 < 420 and 380 < found.bbox.cy < 405


def _draw_as_outlines(page: fitz.Page, text: str, origin: tuple[float, float]) -> None:
    """Draw ``text`` as filled glyph paths (no text layer), like PDFs that outline their fonts."""
    tmp = fitz.open()
    src = tmp.new_page(width=300, height=60)
    src.insert_text((5, 40), text, fontsize=16)
    svg = src.get_svg_image(text_as_path=True)
    vector = fitz.open(stream=svg.encode(), filetype="svg")
    pdf = fitz.open(stream=vector.convert_to_pdf(), filetype="pdf")
    x, y = origin
    page.show_pdf_page(fitz.Rect(x, y - 40, x + 300, y + 20), pdf, 0)


# --------------------------------------------------------------------------- bad input


def _encrypted(user_pw: str) -> bytes:
    doc = fitz.open(stream=samples.interval_text(2).pdf, filetype="pdf")
    return doc.tobytes(
        encryption=fitz.PDF_ENCRYPT_AES_256, owner_pw="owner-secret", user_pw=user_pw
    )


ZERO_PAGES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"hello, this is plain text and not a PDF at all", "not a PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a PDF"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 20, "damaged"),
        (ZERO_PAGES, "no pages"),
    ],
    ids=["empty", "text", "png", "garbage", "zero-pages"],
)
def test_bad_documents_raise_input_document_error(data: bytes, message: str) -> None:
    with pytest.raises(InputDocumentError) as err:
        open_pdf(data)
    assert err.value.status == 422
    assert message in err.value.message


def test_real_image_that_pymupdf_could_open_is_refused() -> None:
    png = (
        fitz.open(stream=samples.boundary_column(1).pdf, filetype="pdf")[0]
        .get_pixmap(dpi=20)
        .tobytes("png")
    )
    with pytest.raises(InputDocumentError, match="not a PDF"):
        open_pdf(png)


def test_encrypted_pdf_needing_a_password_is_refused() -> None:
    with pytest.raises(InputDocumentError, match="encrypted"):
        open_pdf(_encrypted("user-secret"))


def test_encrypted_pdf_with_empty_user_password_opens() -> None:
    doc = open_pdf(_encrypted(""))
    assert read_pages(doc, SETTINGS)[0].words


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(InputDocumentError, match="does not exist"):
        open_pdf(tmp_path / "nope.pdf")
    with pytest.raises(InputDocumentError, match="directory"):
        open_pdf(tmp_path)


def test_size_limit(tmp_path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(samples.boundary_column(1).pdf)
    with pytest.raises(InputDocumentError, match="too large"):
        open_pdf(path, max_bytes=100)


def test_huge_page_count_is_bounded_with_a_warning() -> None:
    doc = fitz.open()
    for i in range(300):
        doc.new_page().insert_text((50, 50), f"Seite {i + 1} Kies Sand Silt Ton Lehm", fontsize=9)
    result = read_document(open_pdf(doc.tobytes()), SETTINGS.with_changes(max_pages=25))
    assert len(result.pages) == 25 and result.page_count == 300
    assert any("300 pages" in w for w in result.warnings)


def test_time_budget_stops_ocr_but_not_reading() -> None:
    scan = samples.image_only(samples.several_boreholes(5).pdf, dpi=100)
    result = read_document(open_pdf(scan), SETTINGS.with_changes(max_seconds=0.001))
    assert len(result.pages) == 3
    assert any("time budget" in w for w in result.warnings)
    assert sum(len(p.words) for p in result.pages) <= len(result.pages[0].words)


def test_large_page_read_in_bands_loses_and_doubles_nothing() -> None:
    scan = samples.image_only(samples.interval_text(2).pdf, dpi=200)
    whole = read_pages(open_pdf(scan), SETTINGS)[0].words
    banded = read_pages(open_pdf(scan), SETTINGS.with_changes(ocr_band_pixels=3_000_000))[0].words
    texts_whole = sorted(w.text for w in whole)
    texts_banded = sorted(w.text for w in banded)
    common = len(set(texts_whole) & set(texts_banded))
    assert common >= 0.95 * len(set(texts_whole))
    assert abs(len(banded) - len(whole)) <= 0.05 * len(whole)
    assert len({w.line // 1_000_000 for w in banded}) >= 2  # really read in several bands


def test_scanned_ruled_table_is_read_cell_by_cell() -> None:
    # text boxed in closed table cells is taken for a picture by Tesseract unless the rules go
    sample = samples.ruled_table(14, "en")
    scan = samples.image_only(sample.pdf, dpi=200)
    pages = read_pages(open_pdf(scan), SETTINGS)
    _assert_truth_readable(pages, sample.truth, min_share=0.8)
    plain = SETTINGS.with_changes(ocr_erase_lines="none", ocr_prepare_unsure=1.0)
    none = read_pages(open_pdf(scan), plain)
    assert len(none[0].words) < len(pages[0].words)
    # the prepared second reading (rules removed) recovers the cells on its own
    prepared = read_pages(
        open_pdf(scan), SETTINGS.with_changes(ocr_erase_lines="none", ocr_prepare_unsure=0.1)
    )
    assert len(prepared[0].words) > len(none[0].words)


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_scan_without_rotate_is_read_turned(turn: int) -> None:
    sample = samples.rotated(7, turn)
    doc = fitz.open(stream=samples.image_only(sample.pdf, dpi=200), filetype="pdf")
    doc[0].set_rotation(0)  # stored sideways, nothing tells the viewer to turn it
    result = read_document(open_pdf(doc.tobytes()), SETTINGS)
    page = result.pages[0]
    assert page.rotation == 0 and page.text_rotation == turn
    assert any("sideways" in w for w in result.warnings)
    _assert_truth_readable(list(result.pages), sample.truth, min_share=0.8)


def test_huge_scanned_page_is_rendered_within_the_pixel_limit() -> None:
    doc = fitz.open()
    page = doc.new_page(width=5000, height=5000)  # 1.76 m square: 2.3 billion pixels at 300 dpi
    page.insert_image(
        fitz.Rect(0, 0, 5000, 5000),
        stream=fitz.open(
            stream=samples.image_only(samples.interval_text(2).pdf, dpi=50), filetype="pdf"
        )[0]
        .get_pixmap(dpi=50)
        .tobytes("png"),
    )
    result = read_document(open_pdf(doc.tobytes()), SETTINGS.with_changes(ocr_enabled=False))
    assert result.pages[0].width == 5000  # read (lines found at a lowered dpi), no memory blow-up
    dpi = fit_dpi(5000, 5000, 300, SETTINGS.max_render_pixels)
    assert 36 <= dpi < 300 and (5000 * dpi / 72) ** 2 <= SETTINGS.max_render_pixels
    assert fit_dpi(595, 842, 300, SETTINGS.max_render_pixels) == 300


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_text_layer_without_rotate_gets_a_text_rotation(turn: int) -> None:
    sample = samples.rotated(7, turn)
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    upright = read_pages(open_pdf(sample.pdf), SETTINGS)[0]
    assert upright.text_rotation == 0
    doc[0].set_rotation(0)
    page = read_pages(open_pdf(doc.tobytes()), SETTINGS)[0]
    assert (page.rotation, page.text_rotation) == (0, turn)
    assert page.words == upright.words  # same words and boxes: only the reading frame differs


def test_lines_of_scattered_single_letters_are_dropped() -> None:
    doc = fitz.open()
    page = doc.new_page()
    page.insert_text(
        (50, 100), "W L Q a i a i e r n w s e u e w", fontsize=10
    )  # a font without a char map
    for i in range(6):
        page.insert_text((50, 140 + 14 * i), f"Kies, sandig, grau {i}.50 m", fontsize=10)
    words = read_pages(open_pdf(doc.tobytes()), SETTINGS)[0].words
    assert "Q" not in {w.text for w in words}
    assert sum(1 for w in words if w.text == "Kies,") == 6


def test_ocr_timeout_on_a_page_is_a_warning_not_a_failure() -> None:
    scan = samples.image_only(samples.interval_text(2).pdf, dpi=200)
    result = read_document(open_pdf(scan), SETTINGS.with_changes(ocr_timeout=0.01))
    assert len(result.pages) == 1 and result.pages[0].words == ()
    assert any("OCR failed" in w for w in result.warnings)
