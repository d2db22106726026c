"""Layer and borehole confidence: a pure function of named evidence, in [0, 1]."""

from __future__ import annotations

from dataclasses import replace

from stratigraphy.layers.confidence import (
    LayerEvidence,
    borehole_confidence,
    layer_confidence,
    looks_like_note,
    restarts,
)

PLAIN = LayerEvidence(
    has_start=True,
    has_end=True,
    contiguous=True,
    material_words=2,
    description_words=8,
    note_start=False,
    depth_ocr=None,
    text_ocr=None,
    column_fill=1.0,
    scale_misfit=0.02,
    column_entries=8,
)


def test_a_plain_text_layer_layer_is_confident() -> None:
    assert layer_confidence(PLAIN) > 0.9


def test_each_doubt_lowers_the_confidence() -> None:
    plain = layer_confidence(PLAIN)
    doubts = [
        replace(PLAIN, has_end=False),
        replace(PLAIN, has_start=False),
        replace(PLAIN, contiguous=False),
        replace(PLAIN, note_start=True),
        replace(PLAIN, restarts=1),
        replace(PLAIN, column_fill=0.5),
        replace(PLAIN, depth_ocr=0.95, text_ocr=0.95),
        replace(PLAIN, column_entries=2),
        replace(PLAIN, material_words=0),
    ]
    for doubt in doubts:
        assert layer_confidence(doubt) < plain, doubt
    # OCR'd text alone (a drawn log on a scan) is doubt too
    assert layer_confidence(replace(PLAIN, text_ocr=0.95)) < plain
    # a poor OCR reading is worse than a good one
    good = layer_confidence(replace(PLAIN, depth_ocr=0.95, text_ocr=0.95))
    assert layer_confidence(replace(PLAIN, depth_ocr=0.5, text_ocr=0.6)) < good
    # a sub-note read as a layer, with values left over, is below 0.8
    assert layer_confidence(replace(PLAIN, note_start=True, column_fill=0.4)) < 0.8


def test_confidence_stays_in_the_unit_interval() -> None:
    worst = replace(
        PLAIN,
        has_start=False,
        has_end=False,
        contiguous=False,
        note_start=True,
        restarts=5,
        column_fill=0.0,
        depth_ocr=0.0,
        text_ocr=0.0,
        column_entries=0,
        material_words=0,
        description_words=0,
    )
    assert 0.0 <= layer_confidence(worst) < 0.05
    assert layer_confidence(replace(PLAIN, material_words=50)) <= 1.0


def test_notes_and_restarts_are_recognised() -> None:
    assert looks_like_note("3 m: hard.")
    assert looks_like_note("12-12.15 m: highly fractured")
    assert looks_like_note("At 13.0' becoming dense")
    assert looks_like_note("bei 4.5 m: nass")
    assert not looks_like_note("Kies, sandig, grau")
    assert not looks_like_note("lehmige Erde")
    assert restarts(["SILT: brown, moist.", "CLAY, grey, stiff"]) == 1
    assert restarts(["Kies, sandig, grau,", "Steine und Blöcke"]) == 0


def test_borehole_confidence_is_held_back_by_its_weakest_layer() -> None:
    assert borehole_confidence([]) is None
    assert borehole_confidence([0.9, 0.9]) == 0.9
    assert borehole_confidence([0.9, 0.9, 0.2]) < 0.7
