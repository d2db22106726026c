"""Serving limits under real gunicorn (the repo's gunicorn.conf.py): slow clients,
request bodies, deadlines, concurrency.

The sample backend of the SDK tests (``tests/sdk/sdk_sample_backend``) sleeps for
``data.sleep`` seconds per task, which makes deadlines observable.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from process_helpers import free_port, stop, wait_http

REPO = Path(__file__).resolve().parents[2]
SDK_TESTS = REPO / "tests" / "sdk"
sys.path.insert(0, str(SDK_TESTS))
from sdk_helpers import predict_body  # noqa: E402

pytestmark = pytest.mark.slow


def start_backend(tmp_path: Path, **env_overrides: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, MODEL_DIR=str(tmp_path / "models"), LOG_LEVEL="INFO")
    env.pop("BASIC_AUTH_USER", None)
    env.pop("BASIC_AUTH_PASS", None)
    env["PYTHONPATH"] = os.pathsep.join([str(SDK_TESTS), str(REPO)])
    env.update(env_overrides)
    log = tmp_path / "gunicorn.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(REPO / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket",
         "sdk_sample_backend.wsgi:app"],
        cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/health", 60, proc, log)
    except BaseException:
        stop(proc)
        raise
    return proc, url


@pytest.fixture()
def backend(tmp_path: Path) -> Iterator[str]:
    proc, url = start_backend(
        tmp_path,
        BODY_READ_SECONDS="4",
        MAX_REQUEST_BYTES="4096",
        PREDICT_DEADLINE_SECONDS="3",
        MAX_TASKS_PER_REQUEST="50",
    )
    try:
        yield url
    finally:
        stop(proc)


def _stalling_client(url: str) -> socket.socket:
    """A client that sends its headers and half its body, then nothing."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    body = b'{"tasks": [], "padding": "' + b"x" * 100
    sock.sendall(
        b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n" + body
    )
    return sock


def test_health_answers_while_clients_stall_their_bodies(backend):
    stalled = [_stalling_client(backend) for _ in range(9)]
    try:
        time.sleep(0.5)  # let the worker take them all
        started = time.monotonic()
        reply = requests.get(f"{backend}/health", timeout=10)
        took = time.monotonic() - started
        assert reply.status_code == 200
        assert took < 2.0, f"/health took {took:.1f} s with 9 stalling clients"
        # each stalling client is answered 408 once BODY_READ_SECONDS (4 s) are spent
        answer = b""
        while b'"request_timeout"' not in answer:  # headers and body may come apart
            chunk = stalled[0].recv(4096)
            if not chunk:
                break
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b'"request_timeout"' in answer
        # the unread rest of the body is never taken for a next request: the server hangs up
        stalled[0].settimeout(20)
        while chunk := stalled[0].recv(4096):
            assert b"HTTP/1.1" not in chunk
    finally:
        for sock in stalled:
            sock.close()


def _chunked(data: bytes, size: int = 1000) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def test_a_chunked_body_over_the_limit_is_413_never_cut(backend):
    body = json.dumps(predict_body([])).encode()
    assert len(body) < 4096
    oversized = body + b" " * 5000 + b"garbage"  # valid JSON up to the limit, then more
    reply = requests.post(
        f"{backend}/predict",
        data=_chunked(oversized),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 413, reply.text
    assert reply.json()["error"] == "request_entity_too_large"
    ok = requests.post(
        f"{backend}/predict",
        data=_chunked(body),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"results": []}


def _task(i: int, sleep: float = 0.0) -> dict:
    data: dict = {"image": f"png/1/doc_{i}.png"}
    if sleep:
        data["sleep"] = sleep
    return {"id": i, "data": data}


def test_a_batch_past_the_deadline_asks_label_studio_for_one_task_per_request(backend):
    tasks = [_task(i, sleep=1.2) for i in range(1, 6)]  # 6 s of work, deadline 3 s
    started = time.monotonic()
    reply = requests.post(f"{backend}/predict", json=predict_body(tasks), timeout=60)
    took = time.monotonic() - started
    assert reply.status_code == 200, reply.text
    assert len(reply.json()["results"]) == 1  # LS re-sends each task alone (protocol 4.3)
    assert took < 5.5, f"the batch ran {took:.1f} s past a 3 s deadline"
    # one task alone is answered even when slow (LS would re-send it forever otherwise)
    single = requests.post(f"{backend}/predict", json=predict_body([_task(1, 3.5)]), timeout=60)
    assert single.status_code == 200 and len(single.json()["results"]) == 1
    fine = requests.post(f"{backend}/predict", json=predict_body([_task(1), _task(2)]), timeout=30)
    assert fine.status_code == 200 and len(fine.json()["results"]) == 2


def test_too_many_tasks_and_non_json_bodies_are_4xx(backend):
    small_tasks = [{"id": i, "data": {}} for i in range(51)]
    reply = requests.post(f"{backend}/predict", json={"tasks": small_tasks}, timeout=30)
    assert reply.status_code == 413
    assert "MAX_TASKS_PER_REQUEST" in reply.json()["detail"]
    reply = requests.post(
        f"{backend}/webhook",
        data=json.dumps({"action": "ANNOTATION_CREATED"}),
        headers={"Content-Type": "text/plain"},
        timeout=30,
    )
    assert reply.status_code == 415
