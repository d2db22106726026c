"""Integration: the engine on generated borehole PDFs of every layout family, with known truth."""

from __future__ import annotations

from typing import Any

import fitz
import pytest

from label_studio_ml.errors import InputDocumentError
from stratigraphy import samples
from stratigraphy.evaluate import score_file
from stratigraphy.extract import extract_document
from stratigraphy.geometry import BBox
from stratigraphy.schema import document_to_benchmark
from stratigraphy.settings import EngineSettings

SETTINGS = EngineSettings(outline_ocr=False)

TEXT_LAYER_SAMPLES = [
    pytest.param(lambda: samples.boundary_column(1, "de"), id="boundary-column-de"),
    pytest.param(lambda: samples.boundary_column(11, "fr"), id="boundary-column-fr"),
    pytest.param(
        lambda: samples.boundary_column(29, "it", n_layers=8), id="boundary-column-equal-steps"
    ),
    pytest.param(lambda: samples.interval_text(2, "de"), id="interval-text-de"),
    pytest.param(lambda: samples.interval_text(12, "en", comma=True), id="interval-text-commas"),
    pytest.param(lambda: samples.inline_french(3), id="inline-negative-french"),
    pytest.param(lambda: samples.ruled_table(4, "it"), id="ruled-table-it"),
    pytest.param(lambda: samples.ruled_table(14, "en"), id="ruled-table-en"),
    pytest.param(lambda: samples.several_boreholes(5), id="several-boreholes"),
    pytest.param(lambda: samples.page_break(6), id="page-break-continuation"),
    pytest.param(lambda: samples.rotated(7, 90), id="rotated-90"),
    pytest.param(lambda: samples.rotated(17, 270, samples.interval_text), id="rotated-270"),
]


def _score(predicted: list[dict[str, Any]], truth: list[dict[str, Any]]):
    return score_file(predicted, truth)


@pytest.mark.parametrize("make", TEXT_LAYER_SAMPLES)
def test_layers_match_the_known_truth(make) -> None:
    sample = make()
    result = extract_document(sample.pdf, name=f"{sample.name}.pdf", settings=SETTINGS)
    predicted = document_to_benchmark(result)
    score = _score(predicted, sample.truth)
    assert len(predicted) == len(sample.truth)
    assert score.layers.f1 == 1.0, [
        [(lay["depth_interval"], lay["material_description"]) for lay in b["layers"]]
        for b in predicted
    ]


@pytest.mark.parametrize("make", TEXT_LAYER_SAMPLES)
def test_boxes_land_on_the_printed_text(make) -> None:
    """Description and depth boxes are in the unrotated page frame, where the truth has them."""
    sample = make()
    predicted = document_to_benchmark(extract_document(sample.pdf, settings=SETTINGS))
    assert len(predicted) == len(sample.truth)
    pairs = [
        (layer, truth)
        for pred_bh, true_bh in zip(predicted, sample.truth, strict=True)
        for layer, truth in zip(pred_bh["layers"], true_bh["layers"], strict=True)
    ]
    for layer, truth in pairs:
        assert layer["material_description"] == truth["material_description"]
        assert layer["page"] == truth["page"]
        got, want = (
            BBox(*layer["material_description_rect"]),
            BBox(*truth["material_description_rect"]),
        )
        assert got.iou(want) > 0.6, (layer["material_description"], got, want)
        for rect in truth["depth_rects"]:
            want_depth = BBox(*rect)
            assert any(BBox(*r).iou(want_depth) > 0.5 for r in layer["depth_rects"]), layer


@pytest.mark.slow
def test_image_only_page_is_read_by_ocr() -> None:
    sample = samples.scanned(8)
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    assert not doc[0].get_text("words")  # really no text layer
    result = extract_document(sample.pdf, settings=EngineSettings(ocr_dpi=200))
    assert result.pages[0].source == "ocr"
    score = _score(document_to_benchmark(result), sample.truth)
    assert score.layers.f1 >= 0.8


def test_page_without_a_borehole_gives_one_empty_borehole() -> None:
    doc = fitz.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Bericht über die geologischen Verhältnisse im Projektgebiet")
    result = extract_document(doc.tobytes(), settings=SETTINGS)
    assert len(result.boreholes) == 1 and result.boreholes[0].layers == ()


@pytest.mark.parametrize(
    "data",
    [b"", b"not a pdf at all", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer <<>>\n%%EOF"],
    ids=["empty", "not-pdf", "corrupt"],
)
def test_bad_input_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(InputDocumentError):
        extract_document(data, settings=SETTINGS)


def test_encrypted_pdf_is_a_clear_error() -> None:
    doc = fitz.open()
    doc.new_page().insert_text((72, 72), "Kies, sandig")
    data = doc.tobytes(encryption=fitz.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="secret")
    with pytest.raises(InputDocumentError):
        extract_document(data, settings=SETTINGS)


def test_long_document_is_bounded_by_the_page_limit() -> None:
    doc = fitz.open()
    for _ in range(300):
        doc.new_page().insert_text((72, 72), "Bericht über die geologischen Verhältnisse, Seite")
    settings = EngineSettings(max_pages=20, outline_ocr=False, ocr_enabled=False)
    result = extract_document(doc.tobytes(), settings=settings)
    assert len(result.pages) == 20
    assert any("300 pages" in w for w in result.warnings)
