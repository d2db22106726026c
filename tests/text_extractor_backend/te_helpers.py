"""Helpers of the text-extractor tests: app factory, documents in storage, LS payloads."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import fitz
import numpy as np
from PIL import Image

from label_studio_ml.app import create_app
from label_studio_ml.settings import SDKSettings
from label_studio_ml.storage.settings import StorageSettings
from stratigraphy.geometry import BBox, pdf_bbox_to_percent
from stratigraphy.pdf.render import render_page_png
from text_extractor.model import TextExtractorModel
from text_extractor.services import Services
from text_extractor.settings import TextExtractorSettings

REPO_ROOT = Path(__file__).resolve().parents[2]
LABEL_CONFIG = (REPO_ROOT / "data" / "label_config.xml").read_text("utf-8")
DPI = 150


def make_client(storage: StorageSettings, model_dir: Path, **settings: Any):
    services = Services.build(TextExtractorSettings(**settings), storage)
    sdk = SDKSettings(model_dir=model_dir)
    app = create_app(TextExtractorModel, services=services, settings=sdk)
    return app.test_client()


def page_png(pdf: bytes, page_index: int = 0) -> bytes:
    return render_page_png(pdf, page_index, DPI)


def png_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


def percent_of(
    pdf: bytes, rect: list[float], page_index: int = 0, pad: float = 1.0
) -> dict[str, float]:
    """Label Studio percent geometry of a PDF-point rect (unrotated frame), padded by ``pad`` pt."""
    doc = fitz.open(stream=pdf, filetype="pdf")
    page = doc[page_index]
    r = page.rect
    width, height = (r.height, r.width) if page.rotation in (90, 270) else (r.width, r.height)
    x, y, w, h = pdf_bbox_to_percent(BBox(*rect).expand(pad), width, height, page.rotation)
    doc.close()
    return {"x": x, "y": y, "width": w, "height": h, "rotation": 0}


def region(
    geometry: dict[str, float],
    label: str = "Material Description",
    size: tuple[int, int] | None = None,
    region_id: str = "r1xYz",
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": region_id,
        "from_name": "label",
        "to_name": "image",
        "type": "rectanglelabels",
        "origin": "manual",
        "image_rotation": 0,
        "value": {**geometry, "rectanglelabels": [label]},
    }
    if size is not None:
        item["original_width"], item["original_height"] = size
    return item


def predict_body(
    image: str, context: dict[str, Any] | None, task_id: int = 7, **data: Any
) -> dict[str, Any]:
    """A /predict body shaped like Label Studio 1.23's (interactive when ``context`` is given)."""
    task = {
        "id": task_id,
        "data": {"image": image, **data},
        "meta": {},
        "annotations": [],
        "drafts": [],
        "predictions": [],
        "project": 1,
        "inner_id": task_id,
        "total_annotations": 0,
        "cancelled_annotations": 0,
        "total_predictions": 0,
        "updated_by": None,
    }
    return {
        "tasks": [task],
        "project": "1.1795363490",
        "label_config": LABEL_CONFIG,
        "params": {"login": None, "password": None, "context": context},
    }


def interactive(image: str, regions: list[dict[str, Any]], **data: Any) -> dict[str, Any]:
    return predict_body(image, {"result": regions}, **data)


def transcription(response: Any) -> str:
    """The text of the textarea result of an interactive answer (asserting its shape)."""
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert len(results) == 1
    result = results[0]["result"]
    assert [r["type"] for r in result] == ["textarea", "rectanglelabels"]
    text = result[0]["value"]["text"]
    assert isinstance(text, list) and len(text) == 1
    return str(text[0])


def assert_valid_prediction(prediction: dict[str, Any]) -> None:
    """Label Studio's own validator (label-studio-sdk) accepts the prediction for our config."""
    from label_studio_sdk.label_interface import LabelInterface

    errors = LabelInterface(LABEL_CONFIG).validate_prediction(prediction, return_errors=True)
    assert errors == [], errors


def ask(client: Any, image: str, regions: list[dict[str, Any]]) -> str:
    """POST an interactive /predict for ``regions`` on ``image`` and return the transcription."""
    return transcription(client.post("/predict", json=interactive(image, regions)))


def render_gray(page: fitz.Page, dpi: int = DPI) -> np.ndarray:
    """A page rendered as an 8-bit grayscale array."""
    pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY, alpha=False)
    rows = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    return rows[:, : pix.width].copy()


def degrade(gray: np.ndarray, level: float, seed: int = 0) -> np.ndarray:
    """A poor scan of a clean render: faded ink, grey paper, blur, speckle, JPEG artefacts."""
    import cv2

    if level <= 0:
        return gray
    rng = np.random.default_rng(seed)
    g = gray.astype(np.float32)
    g = 255 - (255 - g) * 0.75
    g = g * 0.85 + 20
    g = cv2.GaussianBlur(g, (0, 0), 0.8 * level)
    g = np.clip(g + rng.normal(0, 12 * level, g.shape), 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, 55])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE) if ok else g
