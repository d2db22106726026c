"""At LOG_LEVEL=DEBUG no credential reaches the log, and no request can forge a log line.

The stratigraphy backend runs under real gunicorn on S3 storage (moto over HTTP);
botocore and urllib3 log their requests at DEBUG, which is where AWS access key
ids and presigned signatures used to leak.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import fitz
import pytest
import requests
from process_helpers import free_port, stop, wait_http
from s3_helpers import s3_test_client

REPO = Path(__file__).resolve().parents[2]
ACCESS_KEY_ID = "AKIAHARDENTESTKEY001"
SIGNATURE = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e7"
PROXY_SECRET = "proxy-secret-value-123"
AUTH_TOKEN = "x-auth-token-value-456"

pytestmark = pytest.mark.slow


def _pdf() -> bytes:
    doc = fitz.open()
    doc.new_page().insert_text((72, 100), "0.00 - 1.20 m Kies", fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


def test_debug_logs_hold_no_credentials_and_no_forged_lines(tmp_path, s3_bucket):
    endpoint, bucket = s3_bucket
    s3_test_client(endpoint).put_object(Bucket=bucket, Key="pdf/5/doc.pdf", Body=_pdf())
    port = free_port()
    env = dict(
        os.environ,
        STORAGE="s3",
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID=ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY="harden-secret-access-key",
        MODEL_DIR=str(tmp_path / "models"),
        LOG_LEVEL="DEBUG",
        PYTHONPATH=str(REPO),
    )
    log = tmp_path / "backend.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(REPO / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket",
         "stratigraphy_ml_backend.wsgi:app"],
        cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/health", 120, proc, log)
        signed = (
            f"{endpoint}/{bucket}/pdf/5/gone.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Credential={ACCESS_KEY_ID}%2F20261124%2Fus-east-1%2Fs3%2Faws4_request"
            f"&X-Amz-Signature={SIGNATURE}"
        )
        tasks = [
            {"id": 1, "data": {"pdf": f"s3://{bucket}/pdf/5/doc.pdf", "page": 0}},
            {"id": "2\nINFO forged line", "data": {"pdf": signed, "page": 0}},
            {"id": 3, "data": {"pdf": "pdf/5/" + "k" * 5000 + ".pdf", "page": 0}},
        ]
        reply = requests.post(
            f"{url}/predict",
            json={"tasks": tasks, "project": "5.1", "params": {"context": None}},
            headers={"Proxy-Authorization": f"Basic {PROXY_SECRET}", "X-Auth-Token": AUTH_TOKEN},
            timeout=120,
        )
        assert reply.status_code == 200, reply.text
        assert len(reply.json()["results"]) == 3
    finally:
        stop(proc)
    text = log.read_text(errors="replace")
    assert "botocore" in text  # DEBUG logging of the S3 client was on
    for secret in (ACCESS_KEY_ID, SIGNATURE, PROXY_SECRET, AUTH_TOKEN, "harden-secret-access"):
        assert secret not in text, f"{secret} leaked into the log"
    assert not any(line.startswith("INFO forged") for line in text.splitlines())
    assert max(len(line) for line in text.splitlines()) < 6000
