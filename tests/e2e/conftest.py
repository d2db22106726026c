"""The whole product as plain processes: Label Studio, S3 (moto), Redis, both backends.

Label Studio comes from its own virtual environment (``scripts/install_label_studio.sh``,
default ``.venv-ls``; ``LS_VENV`` overrides; ``make test`` installs it). Without it the
e2e tests are skipped loudly on a developer machine (a warning and a ``NOT RUN`` reason)
and fail under CI (``CI`` set): see tests/missing_parts.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from missing_parts import missing_part
from process_helpers import free_port, redis_server, stop, wait_http
from s3_helpers import DUMMY_ENV, s3_test_client

REPO = Path(__file__).resolve().parents[2]
LS_TOKEN = "e2e0legacy0token0for0tests0only000000000"  # 40 chars, as Label Studio stores
LS_USER = "geologist@example.com"
LS_PASSWORD = "e2e-password-123"
LS_START_TIMEOUT = 300.0


def ls_venv() -> Path:
    return Path(os.environ.get("LS_VENV") or REPO / ".venv-ls")


@dataclass
class Stack:
    """URLs and handles of the running processes."""

    ls_url: str
    s3_endpoint: str
    bucket: str
    redis_url: str
    backend_url: str
    extractor_url: str
    workdir: Path
    env: dict[str, str]
    timings: dict[str, float] = field(default_factory=dict)
    api_token: str = LS_TOKEN
    username: str = LS_USER
    password: str = LS_PASSWORD

    def api(self, method: str, path: str, **kwargs) -> requests.Response:  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Token {LS_TOKEN}", **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.ls_url}{path}", headers=headers, timeout=120, **kwargs
        )

    def s3(self):  # type: ignore[no-untyped-def]
        return s3_test_client(self.s3_endpoint)


def _label_studio_env(data_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "AWS_"))}
    env.pop("VIRTUAL_ENV", None)
    env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
            "LABEL_STUDIO_USERNAME": LS_USER,
            "LABEL_STUDIO_PASSWORD": LS_PASSWORD,
            "LABEL_STUDIO_USER_TOKEN": LS_TOKEN,
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "ML_BLOCK_LOCAL_IP": "false",
            "SSRF_PROTECTION_ENABLED": "false",
            "LOCAL_FILES_SERVING_ENABLED": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
            "SENTRY_DSN": "",
            "FRONTEND_SENTRY_DSN": "",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


@pytest.fixture(scope="module")
def stack(s3_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    venv = ls_venv()
    if not (venv / "bin" / "label-studio").exists():
        missing_part(f"Label Studio is not installed in {venv} (scripts/install_label_studio.sh)")

    workdir = tmp_path_factory.mktemp("e2e")
    bucket = "boreholes"
    s3_test_client(s3_server).create_bucket(Bucket=bucket)
    procs: list[subprocess.Popen] = []
    timings: dict[str, float] = {}
    with redis_server(workdir / "redis") as redis_url:
        try:
            ls_port = free_port()
            ls_url = f"http://127.0.0.1:{ls_port}"
            ls_log = workdir / "label-studio.log"
            started = time.monotonic()
            procs.append(
                subprocess.Popen(
                    [
                        str(venv / "bin" / "label-studio"),
                        "start",
                        "--no-browser",
                        "--internal-host",
                        "127.0.0.1",
                        "--port",
                        str(ls_port),
                        "--host",
                        ls_url,
                        "--data-dir",
                        str(workdir / "ls-data"),
                    ],
                    env=_label_studio_env(workdir / "ls-data", ls_port),
                    cwd=workdir,
                    stdout=ls_log.open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )
            ls_proc = procs[-1]

            env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
            env.update(DUMMY_ENV)
            env.update(
                {
                    "STORAGE": "s3",
                    "S3_BUCKET": bucket,
                    "S3_ENDPOINT_URL": s3_server,
                    "LABEL_STUDIO_URL": ls_url,
                    "LABEL_STUDIO_API_KEY": LS_TOKEN,
                    "LOG_LEVEL": "INFO",
                    "PYTHONUNBUFFERED": "1",
                }
            )
            urls = {}
            for name, module in (
                ("backend", "stratigraphy_ml_backend.wsgi:app"),
                ("extractor", "text_extractor.wsgi:app"),
            ):
                port = free_port()
                log = workdir / f"{name}.log"
                model_dir = workdir / f"{name}-models"
                model_dir.mkdir()
                procs.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "gunicorn",
                            "--bind",
                            f"127.0.0.1:{port}",
                            "--workers",
                            "1",
                            "--threads",
                            "4",
                            "--timeout",
                            "300",
                            module,
                        ],
                        env={**env, "MODEL_DIR": str(model_dir)},
                        cwd=REPO,
                        stdout=log.open("wb"),
                        stderr=subprocess.STDOUT,
                    )
                )
                urls[name] = f"http://127.0.0.1:{port}"
                timings[f"{name}_start_s"] = wait_http(f"{urls[name]}/health", 120, procs[-1], log)
            wait_http(f"{ls_url}/health", LS_START_TIMEOUT, ls_proc, ls_log)
            timings["label_studio_start_s"] = time.monotonic() - started
            yield Stack(
                ls_url,
                s3_server,
                bucket,
                redis_url,
                urls["backend"],
                urls["extractor"],
                workdir,
                env,
                timings,
            )
        finally:
            for proc in reversed(procs):
                stop(proc)
