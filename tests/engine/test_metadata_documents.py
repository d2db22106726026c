"""extract_metadata on generated documents of every layout family, and on the benchmark files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stratigraphy import samples
from stratigraphy.extract import extract_document
from stratigraphy.geometry import BBox, union_all
from stratigraphy.metadata import extract_metadata
from stratigraphy.pdf.reader import open_pdf, read_pages
from stratigraphy.schema import document_to_benchmark
from stratigraphy.settings import EngineSettings

BENCHMARK = Path(__file__).resolve().parents[2].parent / "shared" / "benchmark"
SETTINGS = EngineSettings()


def _region(borehole: dict) -> tuple[int, BBox]:
    layers = borehole["layers"]
    page = layers[0]["page"]
    return page, union_all(
        BBox(*layer["material_description_rect"]) for layer in layers if layer["page"] == page
    )


def _check(pages, borehole: dict, region=None) -> None:
    meta, water = extract_metadata(pages, region)
    truth = borehole["metadata"]
    if truth["coordinates"] is None:
        assert meta.coordinates is None
    else:
        assert meta.coordinates is not None
        assert (meta.coordinates.east, meta.coordinates.north) == (
            pytest.approx(truth["coordinates"]["E"], abs=1),
            pytest.approx(truth["coordinates"]["N"], abs=1),
        )
        assert meta.coordinates.bbox is not None and meta.coordinates.page is not None
    if truth["reference_elevation"] is None:
        assert meta.elevation is None
    else:
        assert meta.elevation is not None
        assert meta.elevation.value == pytest.approx(truth["reference_elevation"], abs=0.05)
    assert meta.drilling_date == truth["drilling_date"]
    assert meta.total_depth == truth["total_depth"]
    assert meta.name is not None and meta.name.text == truth["original_name"]
    assert [(g.depth, g.date) for g in water] == [
        (g["depth"], g["date"]) for g in borehole["groundwater"]
    ]


@pytest.mark.parametrize("sample", samples.all_samples(), ids=lambda s: s.name)
def test_sample_metadata(sample: samples.Sample) -> None:
    pages = read_pages(open_pdf(sample.pdf), SETTINGS)
    several = len(sample.truth) > 1
    for borehole in sample.truth:
        _check(pages, borehole, _region(borehole) if several else None)


def test_boxes_point_at_the_printed_values_on_a_rotated_page() -> None:
    sample = samples.rotated(17, 270, samples.interval_text)
    pages = read_pages(open_pdf(sample.pdf), SETTINGS)
    meta, water = extract_metadata(pages)
    page = pages[0]
    for box, expected in ((meta.elevation.bbox, "m"), (meta.coordinates.bbox, "/")):
        inside = [w.text for w in page.words if box.expand(1).contains_point(w.bbox.cx, w.bbox.cy)]
        assert inside, expected
    elevation_words = [
        w.text
        for w in page.words
        if meta.elevation.bbox.expand(1).contains_point(w.bbox.cx, w.bbox.cy)
    ]
    assert f"{sample.truth[0]['metadata']['reference_elevation']:.2f}" in elevation_words
    assert water and water[0].bbox is not None


def test_no_metadata_on_a_page_without_header() -> None:
    doc_pages = read_pages(open_pdf(samples.page_break(6).pdf), SETTINGS)
    meta, water = extract_metadata(doc_pages, (2, BBox(150, 60, 470, 700)))
    assert meta.coordinates is None and meta.elevation is None and water == ()


@pytest.mark.skipif(not BENCHMARK.is_dir(), reason="../shared/benchmark is absent")
@pytest.mark.parametrize("name", ["A7367.pdf", "example_borehole_profile.pdf", "test_profile.pdf"])
def test_benchmark_coordinates_and_elevation(name: str) -> None:
    truth = json.loads((BENCHMARK / "ground_truth.json").read_text(encoding="utf-8"))[name][0]
    pages = read_pages(open_pdf(BENCHMARK / "pdfs" / name), SETTINGS)
    meta, water = extract_metadata(pages)
    want = truth["metadata"]
    if want["coordinates"] is None:
        assert meta.coordinates is None
    else:
        assert meta.coordinates is not None
        assert abs(meta.coordinates.east - want["coordinates"]["E"]) <= 1
        assert abs(meta.coordinates.north - want["coordinates"]["N"]) <= 1
    assert (
        meta.elevation is not None
        and abs(meta.elevation.value - want["reference_elevation"]) <= 0.05
    )
    assert meta.drilling_date == want["drilling_date"]
    assert len(water) == len(truth["groundwater"])


def test_rotate_flag_on_a_page_whose_text_is_upright_in_the_stored_frame() -> None:
    import fitz

    sample = samples.boundary_column(1)
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    doc[0].set_rotation(90)  # a wrong /Rotate: the text is upright without it
    pages = read_pages(open_pdf(doc.tobytes()), SETTINGS)
    assert (pages[0].rotation, pages[0].text_rotation) == (90, 270)
    _check(pages, sample.truth[0])


@pytest.mark.parametrize(("seed", "lang"), [(81, "fr"), (82, "de"), (83, "it"), (84, "en")])
def test_water_levels_per_shift_under_a_stacked_heading(seed: int, lang: str) -> None:
    """A drilling record lists the water level at the start and end of each shift down a
    column headed on three short lines ("Niveau" / "d'eau" / "(m)"): every reading is found,
    with its day, printed once on the day's first row."""
    sample = samples.shift_water_levels(seed, lang)
    [borehole] = document_to_benchmark(extract_document(sample.pdf, name=sample.name))
    truth = sample.truth[0]["groundwater"]
    got = borehole["groundwater"]
    assert sorted((g["depth"], g["date"]) for g in got) == sorted(
        (t["depth"], t["date"]) for t in truth
    )
