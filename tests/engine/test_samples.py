"""The synthetic samples are reproducible and their truth matches what is printed."""

from __future__ import annotations

import json

import fitz
import pytest

from stratigraphy import samples


def _words_in(page: fitz.Page, rect: list[float]) -> str:
    box = fitz.Rect(rect)
    picked = [
        w
        for w in page.get_text("words")
        if abs(fitz.Rect(w[:4]) & box) > 0.5 * abs(fitz.Rect(w[:4]))
    ]
    return " ".join(w[4] for w in picked)


@pytest.mark.parametrize("sample", samples.all_samples()[:-1], ids=lambda s: s.name)
def test_truth_boxes_hold_the_printed_text(sample: samples.Sample) -> None:
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    for borehole in sample.truth:
        assert borehole["layers"], sample.name
        previous_end = None
        for layer in borehole["layers"]:
            page = doc[layer["page"] - 1]
            text = _words_in(page, layer["material_description_rect"])
            assert text and layer["material_description"].startswith(text)
            for rect, page_no in zip(layer["depth_rects"], layer["depth_rects_pages"], strict=True):
                printed = _words_in(doc[page_no - 1], rect)
                assert any(c.isdigit() for c in printed), printed
            interval = layer["depth_interval"]
            assert interval["start"] < interval["end"]
            if previous_end is not None:
                assert interval["start"] == previous_end
            previous_end = interval["end"]


def test_generation_is_deterministic() -> None:
    a, b = samples.boundary_column(3, "fr"), samples.boundary_column(3, "fr")
    assert a.pdf == b.pdf and a.truth == b.truth
    assert samples.boundary_column(4, "fr").truth != a.truth


@pytest.mark.parametrize("rotation", [90, 270])
def test_rotated_sample_displays_upright(rotation: int) -> None:
    sample = samples.rotated(7, rotation)
    page = fitz.open(stream=sample.pdf, filetype="pdf")[0]
    assert page.rotation == rotation
    assert page.rect.width < page.rect.height  # displayed portrait
    first = page.get_text("words")[0]
    shown = fitz.Rect(first[:4]) * page.rotation_matrix
    assert (
        shown.x0 < 100 and shown.y0 < 100 and shown.width > shown.height
    )  # header top-left, horizontal


def test_scanned_sample_has_no_text_layer() -> None:
    sample = samples.scanned(8)
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    assert doc[0].get_text("words") == []
    assert doc[0].get_images()


def test_cli_writes_pdfs_and_truth(tmp_path) -> None:
    assert samples.main([str(tmp_path)]) == 0
    truth = json.loads((tmp_path / "ground_truth.json").read_text(encoding="utf-8"))
    assert truth and all((tmp_path / name).is_file() for name in truth)
    assert all(b["metadata"]["original_name"] for bhs in truth.values() for b in bhs)
