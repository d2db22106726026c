"""Fixtures for the stratigraphy backend tests (see strat_backend_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from strat_backend_helpers import Backend  # type: ignore[import-not-found]

from label_studio_ml.storage.settings import StorageSettings


@pytest.fixture()
def local_backend(tmp_path: Path) -> Iterator[Backend]:
    data = tmp_path / "data"
    data.mkdir()
    yield Backend(
        StorageSettings(storage="local", data_dir=data), tmp_path / "models", lambda key: key
    )


@pytest.fixture()
def s3_backend(s3_bucket: tuple[str, str], s3_settings: Any, tmp_path: Path) -> Iterator[Backend]:
    endpoint, bucket = s3_bucket
    settings = s3_settings(endpoint, bucket, prefix="")
    yield Backend(settings, tmp_path / "models", lambda key: f"s3://{bucket}/{key}")
