"""Webhook events: fit() per event, START_TRAINING in the background."""

from __future__ import annotations

import time

import pytest
from sdk_helpers import make_app, predict_body, released_services, setup_body, task, webhook

from label_studio_ml.app import app_context


@pytest.fixture()
def app(tmp_path):
    app, _ = make_app(tmp_path)
    return app


def metrics(client) -> int:
    return client.get("/metrics?project=3").get_json()["annotation_events"]


@pytest.mark.parametrize(
    ("action", "seen"),
    [
        ("ANNOTATION_CREATED", 1),
        ("ANNOTATION_UPDATED", 1),
        ("ANNOTATIONS_CREATED", 2),
        ("ANNOTATIONS_DELETED", 3),
    ],
)
def test_annotation_events_call_fit(app, action, seen):
    client = app.test_client()
    response = client.post("/webhook", json=webhook(action))
    assert response.status_code == 201
    assert response.get_json() == {"status": "ok", "result": {"seen": seen}}
    assert metrics(client) == seen
    state = app_context(app).state
    assert state.get(3, "last_event") == action
    # the webhook's int project id and the 'id.timestamp' of /setup share one state
    assert state.get("3.1795363490", "last_event") == action


def test_annotations_created_lists_accumulate(app):
    client = app.test_client()
    client.post("/webhook", json=webhook("ANNOTATIONS_CREATED"))
    client.post("/webhook", json=webhook("ANNOTATION_CREATED"))
    assert metrics(client) == 3


@pytest.mark.parametrize("action", ["TASKS_CREATED", "PROJECT_UPDATED", "LABEL_LINK_CREATED"])
def test_unknown_events_are_ignored_with_200(app, action):
    client = app.test_client()
    response = client.post("/webhook", json=webhook(action))
    assert response.status_code == 200
    assert response.get_json() == {"status": "Unknown event"}
    assert app_context(app).state.get(3, "last_event") is None


@pytest.mark.parametrize(
    "body", [{"project": {"id": 3}}, {"action": None}, {"action": 5}, {"action": ""}]
)
def test_missing_action_is_400_json(app, body):
    response = app.test_client().post("/webhook", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"
    assert "action" in response.get_json()["detail"]


def test_handled_event_without_project_is_400(app):
    response = app.test_client().post("/webhook", json={"action": "ANNOTATION_CREATED"})
    assert response.status_code == 400
    assert "project.id" in response.get_json()["detail"]


def test_start_training_answers_at_once_and_fits_in_background(tmp_path):
    services = released_services()
    app, _ = make_app(tmp_path, services=services)
    client = app.test_client()
    ctx = app_context(app)
    assert client.post("/setup", json=setup_body()).get_json() == {"model_version": "echo-1.0"}

    started = time.perf_counter()
    response = client.post(
        "/webhook",
        json={
            "action": "START_TRAINING",
            "project": webhook("X")["project"] | {"title": "v2-data"},
        },
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 201
    assert response.get_json()["status"] == "ok"
    assert "job" not in response.get_json()  # LS would then poll /job_status, which we do not serve
    assert elapsed < 2.0
    # fit() is blocked on the event: the response came back while training runs
    assert ctx.training.active == 1
    deadline = time.monotonic() + 10
    while ctx.state.get(3, "last_event") != "START_TRAINING" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ctx.state.get(3, "last_event") == "START_TRAINING"
    assert ctx.training.active == 1
    assert ctx.state.get(3, "trained_value") is None

    services.release.set()
    assert ctx.training.wait(timeout=10)
    assert ctx.state.get(3, "trained_value") == "v2-data"
    # the new version is the same in /setup and in every prediction
    version = client.post("/setup", json=setup_body()).get_json()["model_version"]
    assert version == "echo-1.1"
    results = client.post("/predict", json=predict_body([task(1), task(2)])).get_json()["results"]
    assert {r["model_version"] for r in results} == {"echo-1.1"}
    assert results[0]["result"][0]["value"]["text"] == ["v2-data"]


def test_failing_background_training_is_logged_not_raised(tmp_path, caplog):
    app, _ = make_app(tmp_path)
    client = app.test_client()
    response = client.post("/webhook", json={"action": "START_TRAINING", "project": {"id": 3}})
    assert response.status_code == 201  # title missing -> fit fails later, in the thread
    assert app_context(app).training.wait(timeout=10)
    assert app_context(app).state.get(3, "trained_value") is None
    assert "training failed project=3" in caplog.text
    assert "KeyError" in caplog.text  # the stack trace goes to the log
    # the app keeps serving
    assert client.get("/health").status_code == 200
