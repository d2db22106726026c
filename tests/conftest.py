"""Fixtures shared by the whole test suite (no autouse side effects).

- ``s3_server``: a real S3 endpoint over HTTP (moto's ThreadedMotoServer on a free
  port of 127.0.0.1), with dummy AWS credentials in the environment while it runs.
- ``s3_bucket``: a fresh, uniquely named bucket on that server -> (endpoint, bucket).
- ``s3_settings``: build ``StorageSettings`` for STORAGE=s3 (see tests/s3_helpers.py).
- ``repo_root`` / ``benchmark_dir``: paths; ``benchmark_dir`` skips when ../shared is absent.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "tests"))

from s3_helpers import DUMMY_ENV, s3_test_client  # noqa: E402
from s3_helpers import s3_settings as _s3_settings  # noqa: E402


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def benchmark_dir() -> Path:
    path = REPO_ROOT.parent / "shared" / "benchmark"
    if not path.is_dir():
        pytest.skip("../shared/benchmark is not available")
    return path


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """Start moto's S3 server once per session and yield its endpoint URL."""
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as mp:
        for name, value in DUMMY_ENV.items():
            mp.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            mp.delenv(name, raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture()
def s3_bucket(s3_server: str) -> tuple[str, str]:
    """A new empty bucket on the test server: (endpoint, bucket_name)."""
    bucket = f"test-{uuid.uuid4().hex[:16]}"
    s3_test_client(s3_server).create_bucket(Bucket=bucket)
    return s3_server, bucket


@pytest.fixture()
def s3_settings():  # type: ignore[no-untyped-def]
    """The ``s3_settings(endpoint, bucket, prefix='', **overrides)`` builder."""
    return _s3_settings
