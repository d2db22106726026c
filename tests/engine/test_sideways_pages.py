"""Integration: pages whose text runs sideways without a /Rotate telling the viewer to turn them."""

from __future__ import annotations

import fitz
import pytest

from stratigraphy import samples
from stratigraphy.evaluate import score_file
from stratigraphy.extract import extract_document
from stratigraphy.geometry import BBox
from stratigraphy.schema import document_to_benchmark
from stratigraphy.settings import EngineSettings

SETTINGS = EngineSettings(outline_ocr=False)


def _without_rotate(pdf: bytes) -> bytes:
    doc = fitz.open(stream=pdf, filetype="pdf")
    for page in doc:
        page.set_rotation(0)  # stored sideways, nothing tells the viewer to turn it
    return doc.tobytes()


def _check(pdf: bytes, truth: list[dict], min_f1: float) -> None:
    result = extract_document(pdf, name="sideways.pdf", settings=SETTINGS)
    predicted = document_to_benchmark(result)
    score = score_file(predicted, truth)
    assert score.layers.f1 >= min_f1, [
        [(la["depth_interval"], la["material_description"]) for la in b["layers"]]
        for b in predicted
    ]
    # boxes stay in the stored (unrotated) frame, where the truth has them
    true_rects = [BBox(*la["material_description_rect"]) for b in truth for la in b["layers"]]
    for bh in predicted:
        for layer in bh["layers"]:
            box = BBox(*layer["material_description_rect"])
            assert max(box.intersection_area(t) for t in true_rects) >= 0.5 * box.area


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_scan_without_rotate_gives_its_layers(turn: int) -> None:
    sample = samples.rotated(7, turn)
    scan = _without_rotate(samples.image_only(sample.pdf, dpi=200))
    _check(scan, sample.truth, 0.8)


def test_sideways_text_layer_without_rotate_gives_its_layers() -> None:
    sample = samples.rotated(17, 270, samples.interval_text)
    _check(_without_rotate(sample.pdf), sample.truth, 1.0)
