"""Basic auth on every Label Studio route; the shared header on /webhook."""

from __future__ import annotations

import logging

import pytest
from sdk_helpers import (
    PASSWORD,
    SECRET,
    SECRET_HEADER,
    USER,
    basic,
    interactive_body,
    make_app,
    predict_body,
    setup_body,
    task,
    webhook,
)

from label_studio_ml.settings import SDKSettings

ROUTES = [
    ("get", "/", None),
    ("get", "/health", None),
    ("post", "/setup", setup_body()),
    ("post", "/predict", predict_body([task(1)])),
    ("post", "/webhook", webhook("ANNOTATION_CREATED")),
    ("get", "/metrics", None),
    ("get", "/versions", None),
]


def call(client, method, path, body, headers=None):
    return getattr(client, method)(path, json=body, headers=headers or {})


def assert_401(response):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    body = response.get_json()
    assert body["error"] == "unauthorized" and body["request_id"]
    assert PASSWORD not in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_auth_off_everything_open(tmp_path, method, path, body):
    client = make_app(tmp_path)[0].test_client()
    assert call(client, method, path, body).status_code in (200, 201)


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_auth_on_every_route_needs_credentials(tmp_path, method, path, body):
    client = make_app(tmp_path, basic_auth_user=USER, basic_auth_pass=PASSWORD)[0].test_client()
    assert_401(call(client, method, path, body))
    assert_401(call(client, method, path, body, basic(USER, "wrong")))
    assert_401(call(client, method, path, body, basic("other", PASSWORD)))
    assert_401(call(client, method, path, body, {"Authorization": "Basic !!notbase64"}))
    assert_401(call(client, method, path, body, {"Authorization": f"Bearer {PASSWORD}"}))
    assert call(client, method, path, body, basic()).status_code in (200, 201)


def test_auth_on_unknown_route_is_401_before_404(tmp_path):
    client = make_app(tmp_path, basic_auth_user=USER, basic_auth_pass=PASSWORD)[0].test_client()
    assert_401(client.get("/admin"))
    assert client.get("/admin", headers=basic()).status_code == 404


def test_only_user_set_means_auth_off(tmp_path):
    client = make_app(tmp_path, basic_auth_user=USER)[0].test_client()
    assert client.get("/health").status_code == 200


def test_webhook_shared_header_with_auth_on(tmp_path):
    app, _ = make_app(
        tmp_path,
        basic_auth_user=USER,
        basic_auth_pass=PASSWORD,
        webhook_secret=SECRET,
        webhook_secret_header=SECRET_HEADER,
    )
    client = app.test_client()
    body = webhook("ANNOTATION_CREATED")
    # LS's auto-created webhook carries no credentials: the shared header lets it in
    assert client.post("/webhook", json=body, headers={SECRET_HEADER: SECRET}).status_code == 201
    # START_TRAINING comes through MLApi with Basic auth: also accepted
    assert (
        client.post("/webhook", json=webhook("PROJECT_UPDATED"), headers=basic()).status_code == 200
    )
    assert_401(client.post("/webhook", json=body))
    assert_401(client.post("/webhook", json=body, headers={SECRET_HEADER: "wrong"}))
    # the header opens /webhook only, not the other routes
    assert_401(
        client.post("/predict", json=predict_body([task(1)]), headers={SECRET_HEADER: SECRET})
    )


def test_webhook_secret_without_basic_auth(tmp_path):
    app, _ = make_app(tmp_path, webhook_secret=SECRET, webhook_secret_header="X-LS-Hook")
    client = app.test_client()
    body = webhook("ANNOTATION_CREATED")
    assert_401(client.post("/webhook", json=body))
    assert client.post("/webhook", json=body, headers={"X-LS-Hook": SECRET}).status_code == 201
    assert client.post("/predict", json=predict_body([task(1)])).status_code == 200


def test_auth_on_without_secret_webhook_needs_basic_auth(tmp_path):
    client = make_app(tmp_path, basic_auth_user=USER, basic_auth_pass=PASSWORD)[0].test_client()
    body = webhook("ANNOTATION_CREATED")
    assert_401(client.post("/webhook", json=body, headers={SECRET_HEADER: ""}))
    assert client.post("/webhook", json=body, headers=basic()).status_code == 201


def test_settings_from_env():
    settings = SDKSettings.from_env(
        {
            "BASIC_AUTH_USER": USER,
            "BASIC_AUTH_PASS": PASSWORD,
            "WEBHOOK_SECRET": SECRET,
            "MODEL_DIR": "/srv/models",
            "LOG_LEVEL": "debug",
        }
    )
    assert settings.auth_enabled and settings.log_level == "DEBUG"
    assert settings.webhook_secret_header == "X-Webhook-Secret"
    assert str(settings.state_path) == "/srv/models/state.db"
    assert PASSWORD not in repr(settings) and SECRET not in repr(settings)
    defaults = SDKSettings.from_env({"BASIC_AUTH_USER": " ", "LOG_LEVEL": ""})
    assert not defaults.auth_enabled and defaults.basic_auth_user is None
    assert str(defaults.model_dir) == "data/models"


def test_bad_log_level_is_config_error():
    from label_studio_ml.errors import ConfigError

    with pytest.raises(ConfigError):
        SDKSettings.from_env({"LOG_LEVEL": "LOUD"})


def test_logs_one_line_per_request_and_no_secrets(tmp_path, caplog):
    app, _ = make_app(tmp_path, basic_auth_user=USER, basic_auth_pass=PASSWORD, log_level="DEBUG")
    client = app.test_client()
    body = interactive_body(311)
    body["params"]["login"] = "data-login-user"
    body["params"]["password"] = "data-secret-pw"
    with caplog.at_level(logging.DEBUG, logger="label_studio_ml"):
        response = client.post("/predict", json=body, headers=basic() | {"X-Request-Id": "req-42"})
    assert response.status_code == 200
    text = caplog.text
    assert (
        '"password": "***"' in text and "'Authorization': '***'" in text
    )  # DEBUG logged, redacted
    assert "data-secret-pw" not in text and "data-login-user" not in text
    assert PASSWORD not in text and basic()["Authorization"].split()[1] not in text
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert lines == [lines[0]] and "POST /predict 200" in lines[0]
    assert "request_id=req-42" in lines[0] and "tasks=[311]" in lines[0]


def test_info_logs_have_no_bodies(tmp_path, caplog):
    client = make_app(tmp_path)[0].test_client()
    body = predict_body([task(1, ocr="/data/upload/3/very-private-name.png")])
    with caplog.at_level(logging.INFO, logger="label_studio_ml"):
        client.post("/predict", json=body)
    assert "very-private-name" not in caplog.text
