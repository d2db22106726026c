"""Boxes read as words: geometry decides, real Tesseract on real page renders.

Pages are built with PyMuPDF (or taken from :mod:`stratigraphy.samples`), rendered at
150 dpi and served by the app from local storage, with their PDF (text layer) and without
it (image only, OCR).
"""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import fitz
import pytest
from te_helpers import ask, page_png, region

from label_studio_ml.app import create_app
from label_studio_ml.settings import SDKSettings
from label_studio_ml.storage.settings import StorageSettings
from stratigraphy import samples
from stratigraphy.geometry import BBox
from stratigraphy.model import (
    Borehole,
    BoreholeMetadata,
    Coordinates,
    CoordinateSystem,
    DepthInterval,
    DocumentResult,
    Elevation,
    Groundwater,
    Layer,
    PageInfo,
    TextSource,
)
from stratigraphy_ml_backend import ls_format
from text_extractor.labels import apply_label
from text_extractor.model import TextExtractorModel
from text_extractor.services import Services
from text_extractor.settings import TextExtractorSettings
from text_extractor.words import Box, Word, select

PAGE_W, PAGE_H = 420.0, 300.0
FONT = 11.0
PITCH = 13.0  # line pitch in points: word boxes of neighbouring lines nearly touch
LINES = (
    "Oberboden dunkelbraun humos",
    "Kies sandig hellgrau locker",
    "Sand siltig beige feucht",
    "Mergel grau fest trocken",
)


def _lines_page() -> tuple[bytes, list[BBox]]:
    """A page with four text lines; the union box of each line's words (points)."""
    doc = fitz.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    for i, line in enumerate(LINES):
        page.insert_text((40, 80 + i * PITCH), line, fontsize=FONT, fontname="helv")
    words = page.get_text("words")
    boxes = []
    for i, line in enumerate(LINES):
        mine = [w for w in words if w[4] in line.split() and abs(w[3] - (80 + i * PITCH)) < 5]
        boxes.append(
            BBox(
                min(w[0] for w in mine),
                min(w[1] for w in mine),
                max(w[2] for w in mine),
                max(w[3] for w in mine),
            )
        )
    pdf = doc.tobytes()
    doc.close()
    return pdf, boxes


def _percent(box: BBox) -> dict[str, float]:
    return {
        "x": box.x0 / PAGE_W * 100,
        "y": box.y0 / PAGE_H * 100,
        "width": box.width / PAGE_W * 100,
        "height": box.height / PAGE_H * 100,
        "rotation": 0,
    }


def _app(tmp_path: Path, pdf: bytes, name: str = "lines") -> tuple[Any, Services]:
    data = tmp_path / "data"
    for project in ("layer", "image"):
        (data / "png" / project).mkdir(parents=True, exist_ok=True)
        (data / "png" / project / f"{name}_0.png").write_bytes(page_png(pdf))
    (data / "pdf" / "layer").mkdir(parents=True, exist_ok=True)
    (data / "pdf" / "layer" / f"{name}.pdf").write_bytes(pdf)
    services = Services.build(
        TextExtractorSettings(), StorageSettings(storage="local", data_dir=data)
    )
    app = create_app(
        TextExtractorModel, services=services, settings=SDKSettings(model_dir=tmp_path / "m")
    )
    return app.test_client(), services


@pytest.fixture(scope="module")
def lines_page() -> tuple[bytes, list[BBox]]:
    return _lines_page()


@pytest.mark.parametrize("project", ["layer", "image"])
def test_box_cut_through_neighbouring_lines_returns_only_the_inside_words(
    tmp_path: Path, lines_page: tuple[bytes, list[BBox]], project: str
) -> None:
    pdf, boxes = lines_page
    client, _ = _app(tmp_path, pdf)
    middle = boxes[1].union(boxes[2])
    lh = PITCH  # the line height: reach 0.6 of it into the lines above and below
    hurried = BBox(middle.x0 - 3, middle.y0 - 0.6 * lh, middle.x1 + 3, middle.y1 + 0.6 * lh)
    assert hurried.y0 < boxes[0].y1 and hurried.y1 > boxes[3].y0  # it does cut both neighbours
    text = ask(client, f"png/{project}/lines_0.png", [region(_percent(hurried))])
    assert text == f"{LINES[1]} {LINES[2]}"


@pytest.mark.parametrize("project", ["layer", "image"])
def test_box_over_one_line_cut_in_half_keeps_the_line_that_is_mostly_inside(
    tmp_path: Path, lines_page: tuple[bytes, list[BBox]], project: str
) -> None:
    pdf, boxes = lines_page
    client, _ = _app(tmp_path, pdf)
    line = boxes[2]
    # drawn a little low: 70 % of line 3 inside, 30 % of line 4
    off = BBox(line.x0 - 4, line.y0 + 0.3 * line.height, line.x1 + 4, line.y1 + 0.3 * line.height)
    assert ask(client, f"png/{project}/lines_0.png", [region(_percent(off))]) == LINES[2]


def test_one_word_box_gives_that_word(tmp_path: Path) -> None:
    doc = fitz.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_text((40, 100), "harte Sandsteinbank mit Kalkadern", fontsize=FONT)
    page.insert_text((40, 100 + PITCH), "Mergel grau, weich, feucht", fontsize=FONT)
    word = next(w for w in page.get_text("words") if w[4] == "Sandsteinbank")
    pdf = doc.tobytes()
    doc.close()
    client, _ = _app(tmp_path, pdf, "word")
    box = BBox(*word[:4]).expand(2)
    for project in ("layer", "image"):
        assert ask(client, f"png/{project}/word_0.png", [region(_percent(box))]) == "Sandsteinbank"


def test_one_ocr_reading_serves_two_boxes_on_a_page(
    tmp_path: Path, lines_page: tuple[bytes, list[BBox]]
) -> None:
    pdf, boxes = lines_page
    client, services = _app(tmp_path, pdf)
    assert services.readings.tesseract_runs == 0
    first = ask(client, "png/image/lines_0.png", [region(_percent(boxes[1].expand(2)))])
    second = ask(client, "png/image/lines_0.png", [region(_percent(boxes[2].expand(2)))])
    assert (first, second) == (LINES[1], LINES[2])
    assert services.readings.tesseract_runs == 1


def test_sample_profile_descriptions_read_by_ocr_with_loose_boxes(tmp_path: Path) -> None:
    sample = samples.interval_text(5, "de")
    client, services = _app(tmp_path, sample.pdf, "sample")
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    page = doc[0]
    width, height = page.rect.width, page.rect.height
    doc.close()
    for layer in sample.truth[0]["layers"][:4]:
        b = BBox(*layer["material_description_rect"])
        loose = BBox(b.x0 - 12, b.y0 - 3, b.x1 + 12, b.y1 + 3)
        geometry = {
            "x": loose.x0 / width * 100,
            "y": loose.y0 / height * 100,
            "width": loose.width / width * 100,
            "height": loose.height / height * 100,
            "rotation": 0,
        }
        text = ask(client, "png/image/sample_0.png", [region(geometry)])
        truth = layer["material_description"]
        assert SequenceMatcher(None, text, truth).ratio() >= 0.95, (text, truth)
    assert services.readings.tesseract_runs >= 1


def test_select_is_pure_geometry() -> None:
    words = [
        Word("oben", 0, 0, 30, 10),
        Word("links", 0, 12, 30, 22),
        Word("rechts", 40, 12, 80, 22),
        Word("halb", 85, 12, 120, 22),  # 5 of 35 wide inside: out
        Word("unten", 0, 24, 30, 34),
    ]
    lines = select(words, Box(-2, 7, 92, 20))  # 3 of oben's 10 inside, 10 of 'unten' none
    assert [[w.text for w in line] for line in lines] == [["links", "rechts"]]
    assert select(words, Box(200, 200, 10, 10)) == []


# -- the format of each label is the pre-annotation's ---------------------------------------

PRINTED = {
    "Depth Interval": ("0,25 0,60", "4.80 5.50", "-0.30 -1.60", "0950 10.00", "4.80"),
    "Elevation": ("Kote 668,99 m ü.M.", "399.78 m", "m.ü.M.:628.06"),
    "Coordinates": ("Koord. 607'562 / 187'087.5", "2'615'790 / 1'157'500"),
    "Groundwater": ("GW 3.0 m le 11.07.2013", "Grundwasser 2.65 m (20.06.2013)"),
}
VALUES: dict[str, tuple[object, ...]] = {
    "Depth Interval": (
        DepthInterval(0.25, 0.6),
        DepthInterval(4.8, 5.5),
        DepthInterval(0.3, 1.6),
        DepthInterval(9.5, 10.0),
        DepthInterval(4.8, None),
    ),
    "Elevation": (668.99, 399.78, 628.06),
    "Coordinates": ((607562.0, 187087.5, "LV03"), (2615790.0, 1157500.0, "LV95")),
    "Groundwater": (Groundwater(3.0, "2013-07-11"), Groundwater(2.65, "2013-06-20")),
}


def _preannotation(label: str, value: object) -> str:
    """The text the stratigraphy backend writes for ``value`` (through its page regions)."""
    box = BBox(10, 10, 60, 20)
    layers: tuple[Layer, ...] = ()
    meta = BoreholeMetadata()
    water: tuple[Groundwater, ...] = ()
    if label == "Depth Interval":
        assert isinstance(value, DepthInterval)
        layers = (Layer(value, "Kies", 1, BBox(80, 10, 200, 20), (box,), (1,)),)
    elif label == "Elevation":
        assert isinstance(value, float)
        meta = BoreholeMetadata(elevation=Elevation(value, page=1, bbox=box))
    elif label == "Coordinates":
        east, north, system = value  # type: ignore[misc]
        meta = BoreholeMetadata(
            coordinates=Coordinates(east, north, CoordinateSystem(system), page=1, bbox=box)
        )
    else:
        assert isinstance(value, Groundwater)
        water = (Groundwater(value.depth, value.date, value.elevation, page=1, bbox=box),)
    result = DocumentResult(
        "doc.pdf",
        (PageInfo(1, 300, 200, 0, TextSource.TEXT_LAYER),),
        (Borehole(0, layers, meta, water),),
    )
    texts = [r.text for r in ls_format.page_regions(result, 1, "hash", "v1") if r.label == label]
    assert len(texts) == 1
    return texts[0]


@pytest.mark.parametrize("label", sorted(PRINTED))
def test_label_formats_are_identical_to_the_stratigraphy_backend(label: str) -> None:
    for printed, value in zip(PRINTED[label], VALUES[label], strict=True):
        assert apply_label(label, printed) == _preannotation(label, value), printed


def test_label_formats_through_the_app_by_ocr(tmp_path: Path) -> None:
    doc = fitz.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    rows = [
        ("Depth Interval", "0,25    0,60", DepthInterval(0.25, 0.6)),
        ("Elevation", "Kote 668,99 m ü.M.", 668.99),
        ("Coordinates", "Koord. 607'562 / 187'087.5", (607562.0, 187087.5, "LV03")),
        ("Groundwater", "GW 3.0 m am 11.07.2013", Groundwater(3.0, "2013-07-11")),
    ]
    for i, (_, printed, _) in enumerate(rows):
        page.insert_text((40, 60 + 40 * i), printed, fontsize=12)
    boxes = []
    for i in range(len(rows)):
        ws = [w for w in page.get_text("words") if abs(w[3] - (60 + 40 * i)) < 6]
        boxes.append(
            BBox(
                min(w[0] for w in ws),
                min(w[1] for w in ws),
                max(w[2] for w in ws),
                max(w[3] for w in ws),
            ).expand(3)
        )
    pdf = doc.tobytes()
    doc.close()
    client, _ = _app(tmp_path, pdf, "values")
    for (label, _, value), box in zip(rows, boxes, strict=True):
        expected = _preannotation(label, value)
        for project in ("layer", "image"):
            got = ask(client, f"png/{project}/values_0.png", [region(_percent(box), label=label)])
            assert got == expected, (project, label)


def test_concurrent_boxes_on_one_page_share_one_reading(
    lines_page: tuple[bytes, list[BBox]],
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from te_helpers import render_gray

    from text_extractor.page_ocr import ReadingCache, words_around

    pdf, boxes = lines_page
    doc = fitz.open(stream=pdf, filetype="pdf")
    gray = render_gray(doc[0])
    doc.close()
    scale = gray.shape[1] / PAGE_W
    cache = ReadingCache()
    settings = TextExtractorSettings()

    def read(box: BBox) -> list[str]:
        bounds = (box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale)
        return [w.text for w in words_around(gray, bounds, settings, cache)]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(read, [boxes[1], boxes[2], boxes[1], boxes[2]]))
    assert cache.tesseract_runs == 1
    assert all(r == results[0] for r in results) and "hellgrau" in results[0]
