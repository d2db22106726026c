"""Client faults are 4xx JSON or a clear per-task error, never a 500 (real apps, real engine)."""

from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
for sub in ("sdk", "stratigraphy_backend", "text_extractor_backend"):
    sys.path.insert(0, str(REPO / "tests" / sub))

from sdk_helpers import make_app  # noqa: E402
from te_helpers import interactive, make_client, region  # noqa: E402

from label_studio_ml.storage.settings import StorageSettings  # noqa: E402


@pytest.fixture()
def sdk_client(tmp_path):
    app, _ = make_app(tmp_path)
    return app.test_client()


def _post_raw(client, path: str, raw: bytes):
    return client.post(path, data=raw, content_type="application/json")


def _assert_4xx_json(response) -> dict:
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert set(body) == {"error", "detail", "request_id"}
    return body


@pytest.mark.parametrize("path", ["/predict", "/setup", "/webhook"])
def test_deep_nesting_and_huge_integers_are_400(sdk_client, path):
    deep = b"[" * 100_000 + b"]" * 100_000
    assert (
        "nested" in _assert_4xx_json(_post_raw(sdk_client, path, b'{"a": ' + deep + b"}"))["detail"]
    )
    medium = b'{"tasks": ' + b"[" * 900 + b"]" * 900 + b"}"
    _assert_4xx_json(_post_raw(sdk_client, path, medium))
    huge = b'{"project": ' + b"9" * 5000 + b"}"
    _assert_4xx_json(_post_raw(sdk_client, path, huge))
    surrogate = b'{"tasks": [{"id": 1, "data": {"image": "png/1/x\\ud800_0.png"}}]}'
    _assert_4xx_json(_post_raw(sdk_client, path, surrogate))


def test_deep_body_at_debug_level_is_400_and_logged_briefly(tmp_path, caplog):
    app, _ = make_app(tmp_path, log_level="DEBUG")
    client = app.test_client()
    with caplog.at_level(logging.DEBUG, logger="label_studio_ml"):
        reply = _post_raw(client, "/predict", b'{"tasks": [], "x": ' + b"[" * 60 + b"]" * 60 + b"}")
        assert reply.status_code == 200  # 61 levels: allowed, and redaction does not recurse deep
        reply = _post_raw(client, "/predict", b'{"x": ' + b"[" * 900 + b"]" * 900 + b"}")
        assert reply.status_code == 400
    assert all(len(r.getMessage()) < 5000 for r in caplog.records)


@pytest.fixture()
def strat(local_backend):
    return local_backend


@pytest.mark.parametrize(
    "page", ["²", "٣", "9" * 5000, "12" * 40, 10**30, -1, 1e308, "1e3", " 3 ", True]
)
def test_hostile_page_values_are_4xx_alone_and_per_task_in_a_batch(strat, page):
    from strat_backend_helpers import ls_task
    from strat_backend_helpers import predict_body as strat_body

    good = strat.put_document("5", "doc", _one_page_pdf(), dpi=20)[0]
    bad = ls_task({"pdf": "pdf/5/doc.pdf", "page": page})
    alone = strat.client.post("/predict", json=strat_body([bad]))
    assert alone.status_code < 500, alone.get_data(as_text=True)[:300]
    reply = strat.client.post("/predict", json=strat_body([good, bad]))
    assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
    results = reply.get_json()["results"]
    assert len(results) == 2 and results[1]["result"] == []


def test_webhook_with_an_integer_result_is_not_a_500(strat):
    body = {
        "action": "ANNOTATION_CREATED",
        "project": {"id": 5},
        "annotation": {"id": 1, "task": 3, "result": 7},
        "task": {"id": 3, "data": {}},
    }
    reply = strat.client.post("/webhook", json=body)
    assert reply.status_code == 201, reply.get_data(as_text=True)[:300]
    body["annotation"]["result"] = [{"id": "a", "value": {"x": 10**400, "y": 1, "width": 1}}]
    assert strat.client.post("/webhook", json=body).status_code == 201


def _one_page_pdf() -> bytes:
    import fitz

    doc = fitz.open()
    page = doc.new_page()
    page.insert_text((72, 100), "0.00 - 1.20 m Kies, sandig", fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


# -- text extractor: geometry and images ----------------------------------------------------


@pytest.fixture()
def te(tmp_path):
    data = tmp_path / "data"
    (data / "crops").mkdir(parents=True)
    image = Image.new("L", (400, 300), 255)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    (data / "crops" / "page.png").write_bytes(buffer.getvalue())
    client = make_client(
        StorageSettings(storage="local", data_dir=data),
        tmp_path / "models",
        max_image_pixels=2_000_000,
    )
    return client, data


@pytest.mark.parametrize(
    "geometry",
    [
        {"x": 1e308, "y": -1e308, "width": 1e308, "height": 1e308, "rotation": 0},
        {"x": -1e308, "y": 5, "width": 1e308, "height": 10, "rotation": 30},
        {"x": 10, "y": 10, "width": 1000, "height": 1000, "rotation": 45},
        {"x": 10, "y": 10, "width": 10**400, "height": 5, "rotation": 0},
    ],
)
def test_extreme_boxes_are_clamped_or_refused_never_500(te, geometry):
    client, _ = te
    reply = client.post("/predict", json=interactive("crops/page.png", [region(geometry)]))
    assert reply.status_code in (200, 400), reply.get_data(as_text=True)[:300]


@pytest.mark.parametrize(
    "page", ["²", "٣", "9" * 5000, "12" * 40, 10**30, -1, 1e308, "1e3", True, "\ud800"]
)
def test_hostile_page_values_in_interactive_requests_are_not_500(te, page):
    client, _ = te
    box = region({"x": 10, "y": 10, "width": 20, "height": 20, "rotation": 0})
    body = interactive("crops/page.png", [box], pdf="pdf/1/doc.pdf", page=page)
    raw = json.dumps(body).encode()
    reply = client.post("/predict", data=raw, content_type="application/json")
    assert reply.status_code < 500, reply.get_data(as_text=True)[:300]


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_boxes_are_400(te, bad):
    client, _ = te
    body = json.dumps(interactive("crops/page.png", [region({"x": 1, "y": 1, "width": 5})]))
    body = body.replace('"width": 5', f'"width": {bad}, "height": 5')
    reply = client.post("/predict", data=body, content_type="application/json")
    assert reply.status_code == 400


def test_images_above_the_pixel_cap_are_refused_before_decoding(te):
    client, data = te
    big = Image.new("L", (2000, 1500), 255)  # 3 MP > the 2 MP cap of this client
    buffer = io.BytesIO()
    big.save(buffer, "PNG")
    (data / "crops" / "big.png").write_bytes(buffer.getvalue())
    box = region({"x": 10, "y": 10, "width": 20, "height": 20, "rotation": 0})
    reply = client.post("/predict", json=interactive("crops/big.png", [box]))
    assert reply.status_code == 422
    assert "MAX_IMAGE_PIXELS" in reply.get_json()["detail"]
