"""The HTTP contract of the SDK app, with payloads shaped like Label Studio's."""

from __future__ import annotations

import json
import logging

import pytest
from sdk_helpers import (
    RECT_RESULT,
    interactive_body,
    make_app,
    predict_body,
    setup_body,
    task,
)


@pytest.fixture()
def client(tmp_path):
    app, _ = make_app(tmp_path)
    return app.test_client()


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error", "detail", "request_id"}
    assert body["request_id"] == response.headers["X-Request-Id"]
    if code is not None:
        assert body["error"] == code
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text
    return body


def test_health_and_root(client):
    for path in ("/", "/health"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.get_json() == {"status": "UP", "model_class": "EchoModel"}
        assert response.headers["X-Request-Id"]


def test_request_id_taken_from_header_or_generated(client):
    assert (
        client.get("/health", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"]
        == "abc-123"
    )
    generated = client.get("/health", headers={"X-Request-Id": "bad id; <script>"})
    assert generated.headers["X-Request-Id"] != "bad id; <script>"
    assert len(generated.headers["X-Request-Id"]) == 32


def test_setup_returns_model_version_for_id_timestamp_project(client):
    response = client.post("/setup", json=setup_body())
    assert response.status_code == 200
    assert response.get_json() == {"model_version": "echo-1.0"}


@pytest.mark.parametrize("project", ["3.1795363490", "3", 3])
def test_setup_project_forms_share_state(tmp_path, project):
    app, _ = make_app(tmp_path)
    client = app.test_client()
    client.post("/setup", json=setup_body(extra_params={"dpi": 150}, project=project))
    # A predict naming the project as 'id.timestamp' sees the same extra_params.
    response = client.post("/predict", json=predict_body([task(1)]))
    meta = response.get_json()["results"][0]["result"][0]["meta"]
    assert meta["extra_params"] == {"dpi": 150}


def test_setup_extra_params_as_object_and_as_string(client):
    assert client.post("/setup", json=setup_body(extra_params={"lang": "deu"})).status_code == 200
    meta = client.post("/predict", json=predict_body([task(1)])).get_json()["results"][0]
    assert meta["result"][0]["meta"]["extra_params"] == {"lang": "deu"}

    string_form = setup_body(extra_params=json.dumps({"lang": "fra", "dpi": 200}))
    assert client.post("/setup", json=string_form).status_code == 200
    meta = client.post("/predict", json=predict_body([task(1)])).get_json()["results"][0]
    assert meta["result"][0]["meta"]["extra_params"] == {"lang": "fra", "dpi": 200}

    assert client.post("/setup", json=setup_body(extra_params=None)).status_code == 200
    meta = client.post("/predict", json=predict_body([task(1)])).get_json()["results"][0]
    assert meta["result"][0]["meta"]["extra_params"] == {}


@pytest.mark.parametrize(
    "extra_params", ["not json {", "[1, 2]", 42, [1, 2]], ids=["badjson", "jsonlist", "int", "list"]
)
def test_setup_rejects_bad_extra_params(client, extra_params):
    assert_error(client.post("/setup", json=setup_body(extra_params=extra_params)), 400)


@pytest.mark.parametrize("project", [{"id": 3}, True, "../etc", "3 OR 1=1"])
def test_setup_rejects_bad_project(client, project):
    assert_error(client.post("/setup", json=setup_body(project=project)), 400, "bad_request")


def test_setup_and_predict_use_one_model_version(client):
    version = client.post("/setup", json=setup_body()).get_json()["model_version"]
    results = client.post("/predict", json=predict_body([task(1), task(2), task(3)])).get_json()[
        "results"
    ]
    assert [r["model_version"] for r in results] == [version] * 3
    assert client.get("/versions").get_json() == {"versions": [version]}


def test_pre_annotation_batch_one_result_per_task_in_order(client):
    tasks = [task(i) for i in (7, 3, 5)]
    response = client.post("/predict", json=predict_body(tasks, context=None))
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 3
    assert [r["result"][0]["id"] for r in results] == ["t7", "t3", "t5"]
    first = results[0]
    assert first["score"] == 0.5 and first["model_version"] == "echo-1.0"
    item = first["result"][0]
    assert (item["from_name"], item["to_name"], item["type"]) == (
        "transcription",
        "image",
        "textarea",
    )
    assert item["meta"]["image"] == "/data/upload/3/page_7.png"
    assert item["meta"]["context_is_none"] is True
    assert item["meta"]["kwargs"] == ["login", "password"]


def test_interactive_context_reaches_predict(client):
    response = client.post("/predict", json=interactive_body())
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 1
    result = results[0]["result"]
    assert result[0] == RECT_RESULT  # the drawn box comes back so the region keeps its label
    assert result[1]["meta"]["context_is_none"] is False
    assert result[1]["id"] == "t311"


def test_task_that_raises_does_not_sink_the_batch(client, caplog):
    tasks = [task(1), task(2, fail="raise"), task(3), task(4, fail="bad_document")]
    with caplog.at_level(logging.INFO):
        response = client.post("/predict", json=predict_body(tasks))
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 4
    assert results[0]["result"][0]["id"] == "t1"
    assert results[2]["result"][0]["id"] == "t3"
    for failed in (results[1], results[3]):
        assert failed == {"result": [], "score": 0, "model_version": "echo-1.0"}
    assert "secret-internal-detail" not in response.get_data(as_text=True)
    logged = caplog.text
    assert "task 2: prediction failed" in logged
    assert "task 4: prediction failed" in logged


def test_every_task_failing_is_an_error_not_empty_predictions(client):
    response = client.post("/predict", json=predict_body([task(9, fail="bad_document")]))
    body = assert_error(response, 422, "bad_document")
    assert "task 9" in body["detail"]
    crashed = client.post("/predict", json=predict_body([task(9, fail="raise")]))
    body = assert_error(crashed, 500, "internal_error")
    assert "secret-internal-detail" not in crashed.get_data(as_text=True)
    assert body["request_id"] in body["detail"]


def test_predict_without_project_uses_task_project(client):
    client.post("/setup", json=setup_body(extra_params={"k": 1}))
    body = predict_body([task(1)])
    del body["project"]
    del body["params"]
    response = client.post("/predict", json=body)
    assert response.status_code == 200
    assert response.get_json()["results"][0]["result"][0]["meta"]["extra_params"] == {"k": 1}


def test_predict_label_config_from_setup_when_predict_sends_none(client):
    client.post("/setup", json=setup_body())
    body = predict_body([task(1)])
    del body["label_config"]
    results = client.post("/predict", json=body).get_json()["results"]
    assert results[0]["result"][0]["from_name"] == "transcription"


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"project": "3.1"}, "'tasks' is missing"),
        ({"tasks": {"id": 1}}, "'tasks' must be a list"),
        ({"tasks": "1,2"}, "'tasks' must be a list"),
        ({"tasks": [1, 2]}, "every item"),
        ({"tasks": [{"id": 1}], "params": []}, "'params' must be an object"),
        ({"tasks": [{"id": 1}], "params": {"context": "x"}}, "'params.context'"),
        ({"tasks": [{"id": 1}], "label_config": 5}, "'label_config' must be a string"),
    ],
)
def test_predict_bad_requests(client, payload, fragment):
    body = assert_error(client.post("/predict", json=payload), 400, "bad_request")
    assert fragment in body["detail"]


@pytest.mark.parametrize("path", ["/predict", "/setup", "/webhook"])
@pytest.mark.parametrize(
    "data",
    [b"{not json", b"", b"[1, 2, 3]", b'"text"', b"\xff\xfe"],
    ids=["broken", "empty", "list", "string", "binary"],
)
def test_non_json_body_is_400_json(client, path, data):
    response = client.post(path, data=data, content_type="application/json")
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize("path", ["/predict", "/setup", "/webhook"])
@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data", None]
)
def test_post_bodies_must_be_declared_json(client, path, content_type):
    # text/plain JSON would let any web page post across sites without a CORS preflight
    response = client.post(path, data='{"tasks": []}', content_type=content_type)
    assert_error(response, 415, "unsupported_media_type")
    ok = client.post(path, data="{}", content_type="application/json; charset=utf-8")
    assert ok.status_code != 415


def test_unknown_route_and_wrong_method_are_json(client):
    assert_error(client.get("/nope"), 404, "not_found")
    assert_error(client.get("/predict"), 405, "method_not_allowed")
    assert_error(client.delete("/health"), 405)


def test_invalid_label_config_is_400(client):
    body = predict_body([task(1)])
    body["label_config"] = "<View><Image name='image' value='$ocr'>"
    assert_error(client.post("/predict", json=body), 400)


def test_metrics_hook(client):
    assert client.get("/metrics?project=3").get_json() == {"annotation_events": 0}


def test_empty_task_list_gives_empty_results(client):
    response = client.post("/predict", json=predict_body([]))
    assert response.status_code == 200
    assert response.get_json() == {"results": []}


def test_extra_params_keys_become_kwargs_but_reserved_names_do_not(client):
    body = predict_body([task(1)])
    body["params"].update(
        {"tasks": "clash", "self": 1, "custom_flag": True, "not-an-identifier": 2}
    )
    response = client.post("/predict", json=body)
    assert response.status_code == 200
    meta = response.get_json()["results"][0]["result"][0]["meta"]
    assert meta["kwargs"] == ["custom_flag", "login", "password"]


def test_long_batches_log_a_short_task_list(client, caplog):
    with caplog.at_level(logging.INFO, logger="label_studio_ml"):
        client.post("/predict", json=predict_body([task(i) for i in range(1, 31)]))
    line = next(r.getMessage() for r in caplog.records if "POST /predict" in r.getMessage())
    assert "tasks=[1, 2," in line and "+10more" in line


def test_error_code_in_access_log(client, caplog):
    with caplog.at_level(logging.INFO, logger="label_studio_ml"):
        client.post("/predict", json={"tasks": 5})
    assert any(
        "400" in r.getMessage() and "error=bad_request" in r.getMessage() for r in caplog.records
    )


def test_control_characters_in_path_cannot_forge_log_lines(client, caplog):
    with caplog.at_level(logging.INFO, logger="label_studio_ml"):
        client.get("/x%0AINFO%20forged")
    assert all("\n" not in r.getMessage() for r in caplog.records)


def test_a_body_over_the_size_limit_gets_413_json(tmp_path):
    app, _ = make_app(tmp_path, max_request_bytes=2048)
    body = predict_body([task(i, image=f"png/1/doc_{i}.png", note="x" * 200) for i in range(20)])
    reply = app.test_client().post("/predict", json=body)
    assert reply.status_code == 413
    payload = reply.get_json()
    assert payload["error"] == "request_entity_too_large"
    assert set(payload) == {"error", "detail", "request_id"}
    small = app.test_client().post(
        "/predict", json=predict_body([task(1, image="png/1/doc_1.png")])
    )
    assert small.status_code == 200
