"""Scanner-degraded, image-only pages read by real Tesseract: layers come out right.

Generated borehole PDFs are degraded here as an office scanner does (grey, a slight skew,
uneven lighting, blur, sensor noise, JPEG), seeded, so every run sees the same pages.
"""

from __future__ import annotations

import io
import random
from typing import Any

import fitz
import numpy as np
import pytest
from PIL import Image, ImageFilter

from stratigraphy import samples
from stratigraphy.evaluate import normalize_description, score_file
from stratigraphy.extract import extract_document
from stratigraphy.geometry import BBox
from stratigraphy.model import TextSource
from stratigraphy.pdf.reader import open_pdf, read_document
from stratigraphy.schema import document_to_benchmark
from stratigraphy.settings import EngineSettings

# preparation is off by default (it costs CPU on clean pages): these tests turn it on
SETTINGS = EngineSettings(outline_ocr=False, ocr_prepare_unsure=0.1)
UNPREPARED = SETTINGS.with_changes(ocr_prepare_unsure=1.0)


def degrade(
    pdf: bytes, seed: int, *, dpi: int, skew: float, quality: int, shadow: float = 30.0
) -> bytes:
    """An image-only copy of ``pdf`` as a poor scanner makes it (deterministic for ``seed``)."""
    rng = np.random.default_rng(seed)
    src = fitz.open(stream=pdf, filetype="pdf")
    out = fitz.open()
    for index, page in enumerate(src):
        pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY)
        img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
        angle = skew if index % 2 == 0 else -skew
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        a = np.asarray(img, dtype=np.float32)
        h, w = a.shape
        light = np.linspace(0.0, shadow, w)[None, :] + np.linspace(0.0, shadow / 2, h)[:, None]
        a = a - light * (a > 128) + rng.normal(0.0, 9.0, a.shape)
        buf = io.BytesIO()
        Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=quality)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=buf.getvalue())
    return bytes(out.tobytes(deflate=True))


def _layers(predicted: list[dict[str, Any]]) -> list[list[tuple[Any, str]]]:
    return [
        [(layer["depth_interval"], layer["material_description"]) for layer in b["layers"]]
        for b in predicted
    ]


HEAVY = {"dpi": 150, "skew": 1.2, "quality": 35}
LIGHT = {"dpi": 200, "skew": 0.8, "quality": 60}


def _seed(name: str) -> int:
    return random.Random(name).randrange(2**31)


@pytest.mark.parametrize(
    ("make", "level"),
    [
        pytest.param(lambda: samples.boundary_column(1, "de"), HEAVY, id="boundary-column-heavy"),
        pytest.param(lambda: samples.interval_text(2, "de"), LIGHT, id="interval-text-light"),
    ],
)
def test_degraded_scans_read_right(make, level) -> None:
    sample = make()
    pdf = degrade(sample.pdf, _seed(sample.name), **level)
    result = extract_document(pdf, name=f"{sample.name}.pdf", settings=SETTINGS)
    assert result.pages and all(p.source is TextSource.OCR for p in result.pages)
    predicted = document_to_benchmark(result)
    assert score_file(predicted, sample.truth).layers.f1 == 1.0, _layers(predicted)


@pytest.fixture(scope="module")
def shadowed_table() -> tuple[samples.Sample, bytes]:
    """A ruled English table scanned badly, its right side in the shadow of the binding."""
    sample = samples.ruled_table(14, "en")
    return sample, degrade(sample.pdf, _seed(sample.name), **HEAVY, shadow=90.0)


def test_a_shadowed_scan_reads_right_only_when_the_page_is_prepared(shadowed_table) -> None:
    sample, pdf = shadowed_table
    prepared = document_to_benchmark(extract_document(pdf, settings=SETTINGS))
    assert score_file(prepared, sample.truth).layers.f1 >= 0.8, _layers(prepared)
    plain = document_to_benchmark(extract_document(pdf, settings=UNPREPARED))
    assert score_file(plain, sample.truth).layers.f1 < 0.5  # Tesseract alone loses the shadow


def test_merged_words_come_back_in_page_coordinates(shadowed_table) -> None:
    """Words of both readings land where the truth has the printed text (unrotated points)."""
    sample, pdf = shadowed_table
    pages = read_document(open_pdf(pdf), SETTINGS).pages
    words = pages[0].words
    assert any(w.line < 0 for w in words) and any(w.line >= 0 for w in words)  # both readings
    slack = 0.021 * pages[0].width  # the 1.2 deg skew moves text up to this far vertically
    for layer in sample.truth[0]["layers"]:
        box = BBox(*layer["material_description_rect"])
        box = BBox(box.x0 - 3, box.y0 - slack, box.x1 + 3, box.y1 + slack)
        got = normalize_description(
            " ".join(w.text for w in words if box.contains_point(w.bbox.cx, w.bbox.cy))
        ).split()
        want = normalize_description(layer["material_description"]).split()
        assert sum(1 for t in want if t in got) >= 0.9 * len(want), (got, want)
