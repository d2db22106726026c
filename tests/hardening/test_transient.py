"""Passing faults fail the request with 503 + Retry-After (Label Studio retries);
permanent ones (missing, corrupt) stay clear per-task empty predictions."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))

from fake_http import LEGACY_TOKEN, FakeServer
from process_helpers import free_port
from strat_backend_helpers import Backend, ls_task, predict_body

from label_studio_ml.storage.settings import StorageSettings


def test_unreachable_storage_is_503_with_retry_after(tmp_path, s3_server):
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = StorageSettings(storage="s3", s3_bucket="b", s3_endpoint_url=closed)
    backend = Backend(settings, tmp_path / "models", lambda key: key)
    tasks = [ls_task({"pdf": "pdf/5/a.pdf", "page": 0}), ls_task({"pdf": "pdf/5/b.pdf", "page": 0})]
    reply = backend.client.post("/predict", json=predict_body(tasks))
    assert reply.status_code == 503, reply.get_data(as_text=True)[:300]
    assert reply.get_json()["error"] == "storage_unavailable"
    assert int(reply.headers["Retry-After"]) > 0


def test_label_studio_refusing_or_failing_is_503_missing_files_are_per_task(tmp_path):
    ls = FakeServer().start()
    try:
        data = tmp_path / "data"
        data.mkdir()
        settings = StorageSettings(
            data_dir=data, label_studio_url=ls.url, label_studio_api_key=LEGACY_TOKEN
        )
        backend = Backend(settings, tmp_path / "models", lambda key: key)
        ls.require_auth = True  # the fake knows the token: a missing upload is a 404
        missing = ls_task({"pdf": "/data/upload/5/missing.pdf", "page": 0})
        reply = backend.client.post("/predict", json=predict_body([missing, missing]))
        assert reply.status_code == 200
        assert [r["result"] for r in reply.get_json()["results"]] == [[], []]
        # Label Studio answers 401 (token revoked, or LS restarting behind a proxy)
        settings = StorageSettings(
            data_dir=data, label_studio_url=ls.url, label_studio_api_key="f" * 40
        )
        backend = Backend(settings, tmp_path / "models", lambda key: key)
        reply = backend.client.post("/predict", json=predict_body([missing]))
        assert reply.status_code == 503
        assert "Retry-After" in reply.headers
    finally:
        ls.stop()
