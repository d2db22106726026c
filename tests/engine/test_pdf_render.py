"""Page rendering with rotation applied, and the engine settings."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageStat

from label_studio_ml.errors import BadRequest, ConfigError, InputDocumentError
from stratigraphy import samples
from stratigraphy.pdf.render import page_count, render_page_png
from stratigraphy.settings import EngineSettings


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def test_render_applies_rotation_and_dpi(tmp_path) -> None:
    upright = samples.boundary_column(7).pdf
    rotated = samples.rotated(7, 270).pdf
    assert _size(render_page_png(upright, 0, 72)) == (595, 842)
    assert _size(render_page_png(rotated, 0, 72)) == (595, 842)  # shown portrait
    assert _size(render_page_png(rotated, 0, 144)) == (1190, 1684)
    path = tmp_path / "r.pdf"
    path.write_bytes(rotated)
    # the same image whichever way the page was stored
    a = Image.open(io.BytesIO(render_page_png(path, 0, 50))).convert("L")
    b = Image.open(io.BytesIO(render_page_png(upright, 0, 50))).convert("L")
    diff = ImageChops.difference(a, b)
    assert ImageStat.Stat(diff).mean[0] < 3.0


def test_page_count_and_bad_pages() -> None:
    pdf = samples.several_boreholes(5).pdf
    assert page_count(pdf) == 3
    with pytest.raises(BadRequest):
        render_page_png(pdf, 3, 72)
    with pytest.raises(BadRequest):
        render_page_png(pdf, 0, 5000)
    with pytest.raises(InputDocumentError):
        page_count(b"not a pdf")


def test_settings_from_env() -> None:
    s = EngineSettings.from_env(
        {
            "ENGINE_OCR_DPI": "200",
            "ENGINE_OCR": "no",
            "ENGINE_MAX_SECONDS": "12.5",
            "ENGINE_OCR_LANGUAGES": "deu+fra",
        }
    )
    assert (s.ocr_dpi, s.ocr_enabled, s.max_seconds, s.ocr_languages) == (
        200,
        False,
        12.5,
        "deu+fra",
    )
    assert EngineSettings.from_env({}) == EngineSettings()
    for env in (
        {"ENGINE_OCR_DPI": "lots"},
        {"ENGINE_OCR_DPI": "5000"},
        {"ENGINE_OCR": "maybe"},
        {"ENGINE_MAX_PAGES": "0"},
        {"ENGINE_OCR_LANGUAGES": "deu; rm -rf"},
        {"ENGINE_OCR_PSM": "2"},
    ):
        with pytest.raises(ConfigError):
            EngineSettings.from_env(env)
