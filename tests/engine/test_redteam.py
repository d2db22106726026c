"""Red team: the engine on borehole PDFs of layouts and wordings the samples do not use.

The documents come from ``redteam_docs`` (fonts, units, headers and column orders unlike
``stratigraphy.samples``); each must reach layer F1 >= 0.9 and its printed metadata.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from stratigraphy.evaluate import normalize_description, score_file
from stratigraphy.extract import extract_document
from stratigraphy.schema import document_to_benchmark
from stratigraphy.settings import EngineSettings

sys.path.insert(0, str(Path(__file__).parent))
import redteam_docs as rt

SETTINGS = EngineSettings(outline_ocr=False)

TEXT_LAYER = [
    pytest.param(rt.french_table, id="a-french-table-samples-column"),
    pytest.param(rt.german_profile, id="b-german-ruler-and-kinked-leaders"),
    pytest.param(rt.identifier_log, id="c-identifiers-and-depth-table"),
    pytest.param(rt.english_log, id="d-english-spt-rqd"),
    pytest.param(rt.side_by_side, id="e-two-boreholes-side-by-side"),
    pytest.param(rt.two_pages, id="f-two-pages-repeated-header"),
    pytest.param(rt.italian_log, id="g-italian-da-m-a-m"),
    pytest.param(rt.french_inline, id="h-french-inline-end-of-hole-line"),
    pytest.param(lambda: rt.rotated_landscape(270), id="i-rotate-270-landscape"),
    pytest.param(lambda: rt.rotated_landscape(90), id="i-rotate-90-landscape"),
    pytest.param(rt.french_split_table, id="k-french-de-a-columns-sample-depths"),
    pytest.param(rt.english_base_depths, id="l-english-base-depths-levels"),
    pytest.param(rt.german_units_left, id="m-german-values-with-unit-right-of-text"),
    pytest.param(rt.german_bis_rows, id="n-german-bis-rows"),
    pytest.param(rt.stacked_tables, id="o-two-boreholes-stacked"),
    pytest.param(rt.description_left, id="r-french-descriptions-left"),
    pytest.param(rt.summary_table, id="t-one-table-several-boreholes"),
    pytest.param(rt.french_comma_boundaries, id="u-french-comma-boundaries-with-elevations"),
    pytest.param(rt.cluttered_log, id="v-samples-spt-well-construction-columns"),
    pytest.param(rt.report_paragraphs, id="w-french-report-paragraphs"),
    pytest.param(rt.two_profiles_side_by_side, id="x-two-profiles-to-scale-side-by-side"),
    pytest.param(rt.hyphenated, id="z-hyphenated-narrow-column"),
    pytest.param(rt.british_full_log, id="aa-british-sample-intervals-left-base-depths-right"),
    pytest.param(rt.two_column_continuation, id="bb-long-log-in-two-columns-on-one-page"),
    pytest.param(rt.soil_profile_cm, id="cc-soil-pit-in-centimetres"),
    pytest.param(rt.cover_and_log, id="dd-report-cover-with-contents-then-log"),
    pytest.param(rt.deep_core_log, id="ee-deep-core-log-descriptions-left-intervals-right"),
    pytest.param(rt.with_interpretation_column, id="ff-geological-interpretation-column"),
    pytest.param(rt.open_last_row, id="gg-open-last-row-des-5-20"),
    pytest.param(rt.depths_with_elevations, id="hh-depth-with-elevation-in-parentheses"),
]

SCANS = [
    pytest.param(rt.french_table, id="a-french-table"),
    pytest.param(rt.identifier_log, id="c-identifiers"),
    pytest.param(rt.english_log, id="d-english-log"),
    pytest.param(rt.italian_log, id="g-italian-da-m-a-m"),
    pytest.param(rt.french_inline, id="h-french-inline"),
    pytest.param(lambda: rt.rotated_landscape(270), id="i-rotate-270"),
    pytest.param(rt.stacked_tables, id="o-two-boreholes-stacked"),
    pytest.param(rt.french_comma_boundaries, id="u-french-comma-boundaries"),
    pytest.param(rt.cluttered_log, id="v-cluttered-log"),
    pytest.param(rt.two_profiles_side_by_side, id="x-two-profiles-side-by-side"),
    pytest.param(rt.british_full_log, id="aa-british-full-log"),
    pytest.param(
        rt.deep_core_log,
        id="ee-deep-core-log-typewriter",
        marks=pytest.mark.xfail(
            strict=True,
            reason="cut-short typewriter numbers ('38' for '38.2') are now read again and "
            "completed, but page OCR drops one row's whole right-hand interval "
            "('0.4 - 6.5' comes back as '0.4' alone)",
        ),
    ),
]


LOW_RES = [
    pytest.param(rt.french_table, id="a-french-table-150dpi"),
    pytest.param(rt.cluttered_log, id="v-cluttered-log-150dpi"),
    pytest.param(rt.german_units_left, id="m-german-units-150dpi"),
]


@pytest.mark.parametrize("make", LOW_RES)
def test_low_resolution_scan_layers(make) -> None:
    doc = rt.image_only(make(), dpi=150)
    predicted = _run(doc)
    score = score_file(predicted, doc.truth)
    assert score.layers.f1 >= 0.8, _explain(predicted)


SKEWED = [
    pytest.param(lambda: rt.skewed_scan(rt.german_profile(), 1.2), id="b-german-profile-1.2deg"),
    pytest.param(lambda: rt.skewed_scan(rt.english_log(), 1.5), id="d-english-log-1.5deg"),
    pytest.param(lambda: rt.skewed_scan(rt.two_pages(), -1.0), id="f-two-pages-minus-1deg"),
]


def _run(doc: rt.Doc) -> list[dict[str, Any]]:
    return document_to_benchmark(
        extract_document(doc.pdf, name=f"{doc.name}.pdf", settings=SETTINGS)
    )


def _explain(predicted: list[dict[str, Any]]) -> list[list[tuple[Any, str]]]:
    return [
        [(la["depth_interval"], la["material_description"]) for la in b["layers"]]
        for b in predicted
    ]


@pytest.mark.parametrize("make", TEXT_LAYER)
def test_layers(make) -> None:
    doc = make()
    predicted = _run(doc)
    score = score_file(predicted, doc.truth)
    assert score.layers.f1 >= 0.9, _explain(predicted)
    assert len(predicted) == len(doc.truth)


@pytest.mark.parametrize("make", TEXT_LAYER)
def test_metadata(make) -> None:
    doc = make()
    predicted = _run(doc)
    score = score_file(predicted, doc.truth)
    metas = [(b["metadata"], b["groundwater"]) for b in predicted]
    has_coords = sum(1 for b in doc.truth if b["metadata"]["coordinates"])
    has_elevation = sum(1 for b in doc.truth if b["metadata"]["reference_elevation"] is not None)
    assert score.coordinates.correct >= has_coords, metas
    assert score.elevation.correct >= has_elevation, metas
    water = [g["depth"] for b in doc.truth for g in b["groundwater"]]
    if water:
        found = [g["depth"] for b in predicted for g in b["groundwater"]]
        assert all(any(abs(w - f) <= 0.05 for f in found) for w in water), metas
    for pred, true in zip(predicted, doc.truth, strict=False):
        name = true["metadata"]["original_name"]
        if name:
            assert name.replace(" ", "") in (pred["metadata"]["original_name"] or "").replace(
                " ", ""
            ), metas


@pytest.mark.parametrize("make", SCANS)
def test_image_only_layers(make) -> None:
    doc = rt.image_only(make())
    predicted = _run(doc)
    score = score_file(predicted, doc.truth)
    assert score.layers.f1 >= 0.8, _explain(predicted)


@pytest.mark.parametrize("make", SKEWED)
def test_skewed_scan_layers(make) -> None:
    doc = make()
    predicted = _run(doc)
    score = score_file(predicted, doc.truth)
    assert score.layers.f1 >= 0.8, _explain(predicted)


def test_each_borehole_of_a_page_gets_its_own_header() -> None:
    doc = rt.image_only(rt.stacked_tables())
    predicted = _run(doc)
    score = score_file(predicted, doc.truth)
    assert score.coordinates.correct == 2 and score.elevation.correct == 2, [
        b["metadata"] for b in predicted
    ]


OCR_LAYER = [
    pytest.param(rt.german_bis_rows, id="n-bis-rows"),
    pytest.param(rt.description_left, id="r-descriptions-left"),
    pytest.param(rt.report_paragraphs, id="w-report-paragraphs"),
    pytest.param(rt.side_by_side, id="e-side-by-side"),
    pytest.param(rt.two_profiles_side_by_side, id="x-two-profiles"),
    pytest.param(rt.english_log, id="d-english-log"),
    pytest.param(rt.open_last_row, id="gg-open-last-row"),
]


@pytest.mark.parametrize("make", OCR_LAYER)
def test_scan_with_an_ocr_text_layer_and_its_slips(make) -> None:
    """Commas for points and a lost decimal point ('600' for '6.00') in an invisible OCR layer."""
    doc = rt.ocr_text_layer(make())
    predicted = _run(doc)
    score = score_file(predicted, doc.truth)
    assert score.layers.f1 >= 0.9, _explain(predicted)


def test_a_row_cut_by_the_page_break_keeps_its_whole_description() -> None:
    doc = rt.two_pages()
    predicted = _run(doc)
    true_layers = doc.truth[0]["layers"]
    spanning = [la for la in true_layers if la["material_description"].endswith("Schneckenschalen")]
    assert len(spanning) == 1
    found = [
        la for la in predicted[0]["layers"] if la["depth_interval"] == spanning[0]["depth_interval"]
    ]
    assert [normalize_description(la["material_description"]) for la in found] == [
        normalize_description(spanning[0]["material_description"])
    ]


def _sideways_scan(doc: rt.Doc, turn: int) -> rt.Doc:
    """The pages stored turned by ``turn`` without /Rotate, then scanned (no text layer)."""
    import fitz

    src = fitz.open(stream=doc.pdf, filetype="pdf")
    out = fitz.open()
    for page in src:
        new = out.new_page(width=page.rect.height, height=page.rect.width)
        new.show_pdf_page(new.rect, src, page.number, rotate=turn)
    return rt.image_only(rt.Doc(f"{doc.name}_sideways", out.tobytes(), doc.truth))


@pytest.mark.parametrize(
    ("make", "turn"),
    [
        pytest.param(rt.side_by_side, 90, id="e-side-by-side-90"),
        pytest.param(rt.british_full_log, 270, id="aa-british-full-log-270"),
    ],
)
def test_sideways_scan_without_rotate(make, turn: int) -> None:
    doc = _sideways_scan(make(), turn)
    predicted = _run(doc)
    score = score_file(predicted, doc.truth)
    assert score.layers.f1 >= 0.8, _explain(predicted)
