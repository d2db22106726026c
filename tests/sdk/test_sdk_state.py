"""Per-project state: SQLite store, project-key normalisation, several workers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sdk_helpers import LS_PROJECT, ls_project, predict_body, setup_body, task

from label_studio_ml.errors import BadRequest
from label_studio_ml.state import NO_PROJECT, StateStore, project_key

REPO = Path(__file__).resolve().parents[2]
SAMPLE_BACKEND = Path(__file__).resolve().parent / "sdk_sample_backend"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("3.1795363490", "3"),
        ("3", "3"),
        (3, "3"),
        ("003", "3"),
        (" 12.5 ", "12"),
        (None, NO_PROJECT),
        ("", NO_PROJECT),
        ("demo-project", "demo-project"),
    ],
)
def test_project_key(given, expected):
    assert project_key(given) == expected


@pytest.mark.parametrize("given", [True, {"id": 3}, [3], "../3", "a b", "x" * 65])
def test_project_key_rejects(given):
    with pytest.raises(BadRequest):
        project_key(given)


def test_store_roundtrip_and_scoping(tmp_path):
    store = StateStore(tmp_path / "deep" / "state.db")
    assert store.get(3, "k") is None and store.get(3, "k", "dflt") == "dflt"
    assert not store.has(3, "k")
    store.set("3.111", "k", "v1")
    assert store.get(3, "k") == "v1" and store.has("3", "k")
    assert store.get(4, "k") is None
    store.set(3, "k", "v2")
    assert store.items(3) == {"k": "v2"}
    store.delete(3, "k")
    assert not store.has(3, "k")
    with pytest.raises(TypeError):
        store.set(3, "k", 5)  # type: ignore[arg-type]


def test_store_is_wal_and_seen_by_a_second_instance(tmp_path):
    first = StateStore(tmp_path / "state.db")
    second = StateStore(tmp_path / "state.db")
    second.get(1, "k")  # a read before the write must not be cached
    first.set(1, "k", "new")
    assert second.get(1, "k") == "new"
    import sqlite3

    with sqlite3.connect(tmp_path / "state.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _writer(path: str, worker: int, count: int) -> None:
    store = StateStore(path)
    for i in range(count):
        store.set(worker, f"key{i}", f"{worker}-{i}")
        store.set("shared", "last", f"{worker}-{i}")


def test_concurrent_processes_do_not_lose_writes(tmp_path):
    path = str(tmp_path / "state.db")
    StateStore(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    store = StateStore(path)
    for w in range(4):
        assert len(store.items(w)) == 40
        assert store.get(w, "key39") == f"{w}-39"
    assert store.get("shared", "last").endswith("-39")


# -- several gunicorn workers -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def gunicorn_backend(tmp_path):
    """The sample backend under real gunicorn (3 sync workers), started by our CLI."""
    port = _free_port()
    env = dict(os.environ, MODEL_DIR=str(tmp_path / "models"), LOG_LEVEL="INFO")
    env.pop("BASIC_AUTH_USER", None)
    env.pop("BASIC_AUTH_PASS", None)
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 (open while the server runs)
    proc = subprocess.Popen(
        [sys.executable, "-m", "label_studio_ml.cli", "start", str(SAMPLE_BACKEND),
         "-p", str(port), "--host", "127.0.0.1", "--workers", "3", "--threads", "1"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                if requests.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:  # refused or slow while the workers boot
                pass
            assert time.monotonic() < deadline, "gunicorn did not come up"
            time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


def _predict_once(base: str) -> tuple[int, str, str]:
    body = predict_body([task(1, sleep=0.3)])
    response = requests.post(
        f"{base}/predict", json=body, timeout=30, headers={"Connection": "close"}
    )
    assert response.status_code == 200, response.text
    prediction = response.json()["results"][0]
    item = prediction["result"][0]
    return item["meta"]["pid"], item["value"]["text"][0], prediction["model_version"]


def _spread(base: str, n: int = 12, rounds: int = 5) -> list[tuple[int, str, str]]:
    """Concurrent predictions until at least two workers have answered (or ``rounds``)."""
    answers: list[tuple[int, str, str]] = []
    with ThreadPoolExecutor(max_workers=n) as pool:
        for _ in range(rounds):
            answers += pool.map(lambda _: _predict_once(base), range(n))
            if len({pid for pid, _, _ in answers}) >= 2:
                break
    return answers


@pytest.mark.slow
def test_state_written_by_one_worker_is_seen_by_all(gunicorn_backend):
    base = gunicorn_backend
    assert requests.post(f"{base}/setup", json=setup_body(), timeout=10).json() == {
        "model_version": "echo-1.0"
    }
    before = _spread(base)
    assert len({pid for pid, _, _ in before}) >= 2, before  # several workers answered
    assert {(text, version) for _, text, version in before} == {("untrained", "echo-1.0")}

    title = f"trained-{uuid.uuid4().hex[:8]}"
    response = requests.post(
        f"{base}/webhook",
        json={"action": "START_TRAINING", "project": ls_project(title)},
        timeout=10,
    )
    assert response.status_code == 201

    deadline = time.monotonic() + 15
    while (
        requests.post(f"{base}/setup", json=setup_body(), timeout=10).json()["model_version"]
        != "echo-1.1"
    ):
        assert time.monotonic() < deadline, "training never finished"
        time.sleep(0.1)

    after = _spread(base) + _spread(base)
    pids = {pid for pid, _, _ in after}
    assert len(pids) >= 2, after
    assert {(text, version) for _, text, version in after} == {(title, "echo-1.1")}
    versions = {
        requests.post(f"{base}/setup", json=setup_body(project=LS_PROJECT), timeout=10,
                      headers={"Connection": "close"}).json()["model_version"]
        for _ in range(12)
    }  # fmt: skip
    assert versions == {"echo-1.1"}


def test_namespaces_keep_backends_apart_in_one_file(tmp_path):
    """Two backends sharing MODEL_DIR (as `make run` starts them) keep their own state."""
    path = tmp_path / "state.db"
    first, second = StateStore(path, namespace="A"), StateStore(path, namespace="B")
    first.set("3.1795363490", "model_version", "a-1")
    second.set(3, "model_version", "b-7")
    assert first.get(3, "model_version") == "a-1"
    assert second.get("3", "model_version") == "b-7"
    assert first.items(3) == {"model_version": "a-1"}


def test_two_apps_on_one_model_dir_report_their_own_versions(tmp_path):
    from label_studio_ml import LabelStudioMLBase, SDKSettings, create_app

    class OtherModel(LabelStudioMLBase):
        def setup(self) -> None:  # like the real backends: the version is stored per project
            self.set_model_version("other-2.0")

    settings = SDKSettings(model_dir=tmp_path / "models")
    from sdk_sample_backend.model import EchoModel

    echo = create_app(EchoModel, settings=settings).test_client()
    other = create_app(OtherModel, settings=settings).test_client()
    for client, version in ((echo, "echo-1.0"), (other, "other-2.0"), (echo, "echo-1.0")):
        reply = client.post("/setup", json=setup_body())
        assert reply.status_code == 200
        assert reply.get_json()["model_version"] == version
