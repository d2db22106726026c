"""A stratigraphy backend on local storage, as in tests/stratigraphy_backend."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stratigraphy_backend"))

from strat_backend_helpers import Backend  # type: ignore[import-not-found]

from label_studio_ml.storage.settings import StorageSettings


@pytest.fixture()
def local_backend(tmp_path: Path) -> Iterator[Backend]:
    data = tmp_path / "data"
    data.mkdir()
    yield Backend(
        StorageSettings(storage="local", data_dir=data), tmp_path / "models", lambda key: key
    )
