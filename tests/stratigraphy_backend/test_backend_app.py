"""The stratigraphy backend through its HTTP app: real engine, real storage, LS payload shapes."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import fitz
import pytest
from label_studio_sdk.label_interface import LabelInterface
from PIL import Image
from strat_backend_helpers import LABEL_CONFIG, PROJECT, Backend, ls_task, render_pages  # type: ignore[import-not-found]

from stratigraphy import samples
from stratigraphy_ml_backend.overlay import draw_results, result_pixel_boxes

INTERFACE = LabelInterface(LABEL_CONFIG)


# --------------------------------------------------------------------------- checks


def assert_valid(prediction: dict[str, Any], model_version: str = "stratigraphy-test") -> None:
    """Shape Label Studio stores, and validation against data/label_config.xml."""
    assert prediction["model_version"] == model_version
    assert isinstance(prediction["score"], (int, float)) and 0 <= prediction["score"] <= 1
    errors = INTERFACE.validate_prediction(prediction, return_errors=True)
    assert not errors, errors
    ids = {r["id"] for r in prediction["result"] if r["type"] != "relation"}
    for item in prediction["result"]:
        if item["type"] == "relation":
            assert item["from_id"] in ids and item["to_id"] in ids
            continue
        value = item["value"]
        assert 0 <= value["x"] <= 100 and 0 <= value["y"] <= 100
        assert value["x"] + value["width"] <= 100.0001 and value["y"] + value["height"] <= 100.0001


def descriptions(prediction: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(text, rectanglelabels value) of every Material Description region."""
    texts = {
        r["id"]: r["value"]["text"][0] for r in prediction["result"] if r["type"] == "textarea"
    }
    return [
        (texts.get(r["id"], ""), r["value"])
        for r in prediction["result"]
        if r["type"] == "rectanglelabels"
        and r["value"]["rectanglelabels"] == ["Material Description"]
    ]


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def truth_pixel_boxes(
    pdf: bytes, truth: list[dict[str, Any]], page_index: int, png_size: tuple[int, int]
) -> list[tuple[str, tuple[float, ...]]]:
    """Truth description boxes of one page mapped to pixels of the displayed page by PyMuPDF."""
    with fitz.open(stream=pdf, filetype="pdf") as doc:
        page = doc[page_index]
        scale_x = png_size[0] / page.rect.width
        scale_y = png_size[1] / page.rect.height
        out = []
        for borehole in truth:
            for layer in borehole["layers"]:
                if layer["page"] != page_index + 1:
                    continue
                r = fitz.Rect(layer["material_description_rect"]) * page.rotation_matrix
                r.normalize()
                out.append(
                    (
                        layer["material_description"],
                        (r.x0 * scale_x, r.y0 * scale_y, r.x1 * scale_x, r.y1 * scale_y),
                    )
                )
        return out


def assert_on_truth(
    prediction: dict[str, Any],
    png: bytes,
    pdf: bytes,
    truth: list[dict[str, Any]],
    page_index: int,
    min_iou: float = 0.5,
) -> None:
    """Every true layer of the page has a predicted description box on it (IoU >= min_iou),
    drawn back on the rendered page, and the box covers printed ink."""
    image = Image.open(io.BytesIO(png)).convert("L")
    assert prediction["result"][0]["original_width"] == image.width
    assert prediction["result"][0]["original_height"] == image.height
    predicted = [
        box
        for label, box in result_pixel_boxes(prediction["result"], image.width, image.height)
        if label == "Material Description"
    ]
    for text, true_box in truth_pixel_boxes(pdf, truth, page_index, image.size):
        best = max((_iou(true_box, p) for p in predicted), default=0.0)
        assert best >= min_iou, f"layer {text!r}: best IoU {best:.2f} < {min_iou}"
    for box in predicted:
        crop = image.crop(tuple(round(v) for v in box))
        assert crop.getextrema()[0] < 128, f"no printed text under box {box}"
    draw_results(png, prediction["result"])  # the overlay renders without error


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("backend_fixture", ["local_backend", "s3_backend"])
def test_batch_of_pages_from_generated_pdfs(
    backend_fixture: str, request: pytest.FixtureRequest
) -> None:
    backend: Backend = request.getfixturevalue(backend_fixture)
    several = samples.several_boreholes()
    column = samples.boundary_column()
    tasks = backend.put_document("7", "several", several.pdf) + backend.put_document(
        "7", "column", column.pdf
    )
    setup = backend.client.post(
        "/setup",
        json={
            "project": PROJECT,
            "schema": LABEL_CONFIG,
            "hostname": "http://localhost:8080",
            "access_token": "x",
            "extra_params": None,
        },
    )
    assert setup.status_code == 200
    version = setup.get_json()["model_version"]
    assert version == "stratigraphy-test"

    results = backend.predict(tasks)
    assert backend.services.extractions.extractions == 2  # one engine run per PDF, not per page
    pages = [(several, i) for i in range(3)] + [(column, 0)]
    for prediction, _task, (sample, page_index) in zip(results, tasks, pages, strict=True):
        assert_valid(prediction, version)
        png = render_pages(sample.pdf, 150)[page_index]
        assert_on_truth(prediction, png, sample.pdf, sample.truth, page_index)
        labels = {
            r["value"]["rectanglelabels"][0]
            for r in prediction["result"]
            if r["type"] == "rectanglelabels"
        }
        assert {"Material Description", "Depth Interval"} <= labels
        assert any(r["type"] == "relation" for r in prediction["result"])
    # stable ids: the same batch again gives the same regions
    assert backend.predict(tasks) == results


def test_depth_interval_text_and_metadata(local_backend: Backend) -> None:
    sample = samples.interval_text(2, "de")
    (task,) = local_backend.put_document("7", "interval", sample.pdf)
    (prediction,) = local_backend.predict([task])
    texts = {}
    for r in prediction["result"]:
        if r["type"] == "rectanglelabels":
            texts.setdefault(r["value"]["rectanglelabels"][0], [])
    by_id = {
        r["id"]: r["value"]["rectanglelabels"][0]
        for r in prediction["result"]
        if r["type"] == "rectanglelabels"
    }
    for r in prediction["result"]:
        if r["type"] == "textarea":
            texts[by_id[r["id"]]].append(r["value"]["text"][0])
    truth = sample.truth[0]
    expected_depths = {
        f"start: {layer['depth_interval']['start']:g} end: {layer['depth_interval']['end']:g}"
        for layer in truth["layers"]
        if layer["depth_interval"]["start"] is not None
        and layer["depth_interval"]["end"] is not None
    }
    assert expected_depths <= set(texts["Depth Interval"])
    coords = truth["metadata"]["coordinates"]
    if coords is not None and "Coordinates" in texts:
        east, north = (float(v) for v in texts["Coordinates"][0].split(" / "))
        assert abs(east - coords["E"]) <= 1 and abs(north - coords["N"]) <= 1


def test_pdf_and_page_given_in_task_data(local_backend: Backend) -> None:
    sample = samples.several_boreholes()
    storage = local_backend.services.storage
    storage.write_bytes("reports/site-b.pdf", sample.pdf)
    pngs = render_pages(sample.pdf, 150)
    storage.write_bytes("uploads/any-name.png", pngs[1])
    task = ls_task({"image": "uploads/any-name.png", "pdf": "reports/site-b.pdf", "page": 1})
    (prediction,) = local_backend.predict([task])
    assert_valid(prediction)
    assert_on_truth(prediction, pngs[1], sample.pdf, sample.truth, 1)


def test_rotated_page(local_backend: Backend) -> None:
    sample = samples.rotated(7, 90)
    with fitz.open(stream=sample.pdf, filetype="pdf") as doc:
        assert doc[0].rotation == 90
    tasks = local_backend.put_document("7", "rotated", sample.pdf)
    (prediction,) = local_backend.predict(tasks)
    assert_valid(prediction)
    png = render_pages(sample.pdf, 150)[0]
    image = Image.open(io.BytesIO(png))
    assert image.height > image.width  # shown upright (portrait)
    assert_on_truth(prediction, png, sample.pdf, sample.truth, 0)


def test_image_dpi_does_not_change_percentages(local_backend: Backend) -> None:
    sample = samples.boundary_column()
    (low,) = local_backend.put_document("7", "low", sample.pdf, dpi=96)
    (high,) = local_backend.put_document("7", "high", sample.pdf, dpi=200)
    pred_low, pred_high = local_backend.predict([low, high])
    assert local_backend.services.extractions.extractions == 1  # same bytes, same cache entry
    for dpi, pred in ((96, pred_low), (200, pred_high)):
        width, height = Image.open(io.BytesIO(render_pages(sample.pdf, dpi)[0])).size
        assert abs(width - 595 * dpi / 72) <= 1
        assert (pred["result"][0]["original_width"], pred["result"][0]["original_height"]) == (
            width,
            height,
        )
    boxes_low = [r["value"] for r in pred_low["result"] if r["type"] != "relation"]
    boxes_high = [r["value"] for r in pred_high["result"] if r["type"] != "relation"]
    assert len(boxes_low) == len(boxes_high)
    # boxes are fitted to the ink of the image: equal up to two pixels of the 96 dpi page
    tolerance = 2 / (595 * 96 / 72) * 100
    for a, b in zip(boxes_low, boxes_high, strict=True):
        geometry = ("x", "y", "width", "height")
        assert {k: v for k, v in a.items() if k not in geometry} == {
            k: v for k, v in b.items() if k not in geometry
        }
        for key in geometry:
            assert a[key] == pytest.approx(b[key], abs=tolerance), (key, a, b)
    for dpi, pred in ((96, pred_low), (200, pred_high)):
        assert_on_truth(pred, render_pages(sample.pdf, dpi)[0], sample.pdf, sample.truth, 0)


def test_missing_pdf_in_the_middle_of_a_batch(
    local_backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    good = samples.boundary_column()
    first = local_backend.put_document("7", "good", good.pdf)
    missing = local_backend.put_document("7", "orphan", good.pdf, with_pdf=False)
    broken_pdf = local_backend.put_document("7", "broken", good.pdf)
    local_backend.services.storage.write_bytes("pdf/7/broken.pdf", b"this is not a PDF")
    last = local_backend.put_document("7", "good2", samples.interval_text().pdf)
    tasks = first + missing + broken_pdf + last
    with caplog.at_level("ERROR"):
        results = local_backend.predict(tasks)
    assert results[0]["result"] and results[3]["result"]
    assert results[1]["result"] == [] and results[2]["result"] == []
    for prediction in results:
        assert_valid(prediction)
    logged = caplog.text
    assert f"task {tasks[1]['id']}" in logged and f"task {tasks[2]['id']}" in logged


def test_bad_requests_get_json_errors(local_backend: Backend) -> None:
    response = local_backend.client.post(
        "/predict", data="not json", content_type="application/json"
    )
    assert response.status_code == 400
    body = response.get_json()
    assert set(body) == {"error", "detail", "request_id"}
    response = local_backend.client.post("/predict", json={"tasks": "nope"})
    assert response.status_code == 400


def test_task_without_pdf_convention_gets_empty_prediction(local_backend: Backend) -> None:
    local_backend.services.storage.write_bytes(
        "photos/x.png", render_pages(samples.boundary_column().pdf, 50)[0]
    )
    (prediction,) = local_backend.predict([ls_task({"image": "photos/x.png"})])
    assert prediction["result"] == []


def test_fit_and_metrics_survive_a_restart(local_backend: Backend) -> None:
    sample = samples.interval_text(2, "de")
    (task,) = local_backend.put_document("7", "fit", sample.pdf)
    (prediction,) = local_backend.predict([task])
    result = prediction["result"]
    desc_ids = [
        r["id"]
        for r in result
        if r["type"] == "rectanglelabels"
        and r["value"]["rectanglelabels"] == ["Material Description"]
    ]
    assert len(desc_ids) >= 3
    # the annotator: keeps the first layer, moves the second, deletes the third, edits a text,
    # and draws one new layer
    submitted = []
    for item in result:
        if item.get("id") == desc_ids[2] or item.get("from_id") == desc_ids[2]:
            continue
        item = json.loads(json.dumps(item))
        if item.get("id") == desc_ids[1] and "value" in item:
            item["value"]["y"] += item["value"]["height"] * 0.5
        if item.get("id") == desc_ids[0] and item["type"] == "textarea":
            item["value"]["text"] = [item["value"]["text"][0] + " (edited)"]
        submitted.append(item)
    new_box = {"x": 5, "y": 95, "width": 20, "height": 3, "rotation": 0}
    submitted += [
        {
            "id": "new1",
            "type": "rectanglelabels",
            "from_name": "label",
            "to_name": "image",
            "original_width": 1240,
            "original_height": 1754,
            "image_rotation": 0,
            "value": {**new_box, "rectanglelabels": ["Material Description"]},
        },
        {
            "id": "new1",
            "type": "textarea",
            "from_name": "transcription",
            "to_name": "image",
            "value": {**new_box, "text": ["Fels"]},
        },
    ]
    project = {"id": 7, "title": "boreholes", "label_config": LABEL_CONFIG}
    event = {
        "action": "ANNOTATION_CREATED",
        "project": project,
        "annotation": {
            "id": 501,
            "result": submitted,
            "was_cancelled": False,
            "task": task["id"],
            "project": 7,
            "completed_by": 1,
        },
        "task": {"id": task["id"], "data": task["data"], "project": 7},
    }
    response = local_backend.client.post("/webhook", json=event)
    assert response.status_code == 201, response.get_data(as_text=True)

    # a task this process never predicted: the pre-annotation is rebuilt for the comparison
    (other,) = local_backend.put_document("7", "fit2", samples.boundary_column().pdf)
    local_backend.restart()
    (other_prediction,) = local_backend.predict([other])
    with sqlite3.connect(local_backend.services.feedback.path) as conn:  # predicted "elsewhere"
        conn.execute("DELETE FROM predictions WHERE task_id=?", (str(other["id"]),))
    event2 = {
        "action": "ANNOTATION_UPDATED",
        "project": project,
        "annotation": {
            "id": 502,
            "result": other_prediction["result"],
            "was_cancelled": False,
            "task": other["id"],
        },
        "task": {"id": other["id"], "data": other["data"]},
    }
    assert local_backend.client.post("/webhook", json=event2).status_code == 201

    def metrics() -> dict[str, Any]:
        response = local_backend.client.get("/metrics")
        assert response.status_code == 200
        return response.get_json()["projects"]["7"]

    m = metrics()
    n_other = len(descriptions(other_prediction))
    assert m["annotations"] == 2 and m["compared"] == 2
    assert m["layers_kept"] == len(desc_ids) - 2 + n_other
    assert m["layers_moved"] == 1
    assert m["layers_deleted"] == 1
    assert m["layers_added"] == 1
    assert m["text_edits"] == len(" (edited)")
    assert 0 < m["text_edit_rate"] < 0.1

    local_backend.restart()  # a new process on the same MODEL_DIR
    assert metrics() == m
    # a deleted annotation stops counting
    gone = {"action": "ANNOTATIONS_DELETED", "project": project, "annotations": [{"id": 502}]}
    assert local_backend.client.post("/webhook", json=gone).status_code == 201
    assert metrics()["annotations"] == 1


def test_setup_is_cheap_and_versions_agree(local_backend: Backend) -> None:
    import time

    body = {
        "project": PROJECT,
        "schema": LABEL_CONFIG,
        "hostname": "http://localhost:8080",
        "access_token": "x",
        "extra_params": {"a": 1},
    }
    started = time.perf_counter()
    response = local_backend.client.post("/setup", json=body)
    assert time.perf_counter() - started < 1.0
    assert response.get_json() == {"model_version": "stratigraphy-test"}
    assert local_backend.client.get("/versions").get_json() == {"versions": ["stratigraphy-test"]}


def test_interactive_context_is_not_answered_with_page_regions(local_backend: Backend) -> None:
    (task,) = local_backend.put_document("7", "inter", samples.boundary_column().pdf)
    body = {
        "tasks": [task],
        "project": PROJECT,
        "label_config": LABEL_CONFIG,
        "params": {
            "login": None,
            "password": None,
            "context": {
                "result": [
                    {
                        "id": "a",
                        "type": "rectanglelabels",
                        "from_name": "label",
                        "to_name": "image",
                        "value": {
                            "x": 1,
                            "y": 1,
                            "width": 2,
                            "height": 2,
                            "rectanglelabels": ["Elevation"],
                        },
                    }
                ]
            },
        },
    }
    response = local_backend.client.post("/predict", json=body)
    assert response.status_code == 200
    assert response.get_json()["results"][0]["result"] == []


def test_benchmark_layers_sit_on_their_truth_boxes(
    local_backend: Backend, benchmark_dir: Path
) -> None:
    truth_all = json.loads((benchmark_dir / "ground_truth.json").read_text(encoding="utf-8"))
    tasks, docs = [], []
    for pdf_path in sorted((benchmark_dir / "pdfs").glob("*.pdf")):
        pdf = pdf_path.read_bytes()
        page_tasks = local_backend.put_document("bench", pdf_path.stem, pdf)
        tasks += page_tasks
        docs += [(pdf, truth_all[pdf_path.name], i) for i in range(len(page_tasks))]
    results = local_backend.predict(tasks)
    for prediction, (pdf, truth, page_index) in zip(results, docs, strict=True):
        assert_valid(prediction)
        png = render_pages(pdf, 150)[page_index]
        image = Image.open(io.BytesIO(png)).convert("L")
        predicted = [
            box
            for label, box in result_pixel_boxes(prediction["result"], image.width, image.height)
            if label == "Material Description"
        ]
        for text, true_box in truth_pixel_boxes(pdf, truth, page_index, image.size):
            best = max((_iou(true_box, p) for p in predicted), default=0.0)
            assert best >= 0.5, f"{text[:40]!r}: best IoU {best:.2f}"


def test_debug_overlay_written_when_configured(local_backend: Backend, tmp_path: Path) -> None:
    local_backend.overlay_dir = tmp_path / "overlays"
    local_backend.restart()
    sample = samples.boundary_column()
    (task,) = local_backend.put_document("7", "drawn", sample.pdf)
    (prediction,) = local_backend.predict([task])
    overlay = tmp_path / "overlays" / "drawn_0.png"
    assert overlay.is_file() and prediction["result"]
    drawn = Image.open(overlay).convert("RGB")
    plain = Image.open(io.BytesIO(render_pages(sample.pdf, 150)[0])).convert("RGB")
    assert drawn.size == plain.size
    # the description colour appears only where boxes were drawn
    x0, y0, _x1, y1 = (
        round(v)
        for v in next(
            box
            for label, box in result_pixel_boxes(prediction["result"], *drawn.size)
            if label == "Material Description"
        )
    )
    assert drawn.getpixel((x0, (y0 + y1) // 2)) == (46, 125, 50)


def test_bulk_annotations_created_and_skipped_annotation(local_backend: Backend) -> None:
    tasks = local_backend.put_document("7", "bulk", samples.several_boreholes().pdf)
    predictions = local_backend.predict(tasks)
    project = {"id": 7, "label_config": LABEL_CONFIG}
    annotations = [
        {"id": 900 + i, "task": task["id"], "result": prediction["result"], "was_cancelled": False}
        for i, (task, prediction) in enumerate(zip(tasks[:2], predictions[:2], strict=True))
    ]
    annotations.append({"id": 999, "task": tasks[2]["id"], "result": [], "was_cancelled": True})
    event = {
        "action": "ANNOTATIONS_CREATED",
        "project": project,
        "annotation": annotations,
        "task": [{"id": t["id"], "data": t["data"]} for t in tasks],
    }
    response = local_backend.client.post("/webhook", json=event)
    assert response.status_code == 201
    assert response.get_json()["result"]["stored"] == 2
    m = local_backend.client.get("/metrics?project=7").get_json()["projects"]["7"]
    kept = sum(len(descriptions(p)) for p in predictions[:2])
    assert (
        m["annotations"],
        m["layers_kept"],
        m["layers_moved"],
        m["layers_added"],
        m["layers_deleted"],
    ) == (2, kept, 0, 0, 0)
    assert m["text_edit_rate"] == 0.0
    assert local_backend.client.get("/metrics?project=8").get_json()["projects"] == {}
