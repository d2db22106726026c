"""Helpers for the stratigraphy backend tests: the real HTTP app on local or S3 storage.

The fixtures ``local_backend`` / ``s3_backend`` (conftest.py) give a :class:`Backend`: a Flask
test client
of ``create_app(StratigraphyModel, services=...)`` with a real storage (a tmp
``DATA_DIR``, or a bucket on the moto S3 server over HTTP), the real engine and
a tmp ``MODEL_DIR``. ``Backend.put_document`` stores a PDF and its page images
the way ingest does (``pdf/<project>/<name>.pdf``, ``png/<project>/<name>_<i>.png``)
and returns Label Studio-shaped tasks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fitz
from flask import Flask
from flask.testing import FlaskClient

from label_studio_ml.app import create_app
from label_studio_ml.settings import SDKSettings
from label_studio_ml.storage.settings import StorageSettings
from stratigraphy_ml_backend.model import StratigraphyModel
from stratigraphy_ml_backend.services import Services
from stratigraphy_ml_backend.settings import BackendSettings

REPO = Path(__file__).resolve().parents[2]
LABEL_CONFIG = (REPO / "data" / "label_config.xml").read_text(encoding="utf-8")
PROJECT = "7.1795363490"  # what Label Studio sends as "project"
_task_ids = itertools.count(1000)


def render_pages(pdf: bytes, dpi: float) -> list[bytes]:
    """PNG of every page as displayed (``/Rotate`` applied), at ``dpi``."""
    with fitz.open(stream=pdf, filetype="pdf") as doc:
        return [page.get_pixmap(dpi=dpi).tobytes("png") for page in doc]


def ls_task(data: dict[str, Any], task_id: int | None = None) -> dict[str, Any]:
    """A task shaped like Label Studio's pre-annotation payload (TaskSimpleSerializer)."""
    return {
        "id": task_id if task_id is not None else next(_task_ids),
        "data": data,
        "meta": {},
        "created_at": "2026-11-22T10:00:00.000000Z",
        "updated_at": "2026-11-22T10:00:00.000000Z",
        "is_labeled": False,
        "overlap": 1,
        "inner_id": 1,
        "total_annotations": 0,
        "cancelled_annotations": 0,
        "total_predictions": 0,
        "comment_count": 0,
        "unresolved_comment_count": 0,
        "last_comment_updated_at": None,
        "project": 7,
        "updated_by": [],
        "file_upload": None,
        "comment_authors": [],
        "annotations": [],
        "predictions": [],
    }


def predict_body(tasks: list[dict[str, Any]], label_config: str = LABEL_CONFIG) -> dict[str, Any]:
    return {
        "tasks": tasks,
        "project": PROJECT,
        "label_config": label_config,
        "params": {"login": None, "password": None, "context": None},
    }


@dataclass
class Backend:
    """A running app (test client) with its storage and directories."""

    storage_settings: StorageSettings
    model_dir: Path
    url_of: Callable[[str], str]  # storage key -> the URL Label Studio would hold in task.data
    overlay_dir: Path | None = None
    services: Services = field(init=False)
    app: Flask = field(init=False)
    client: FlaskClient = field(init=False)

    def __post_init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        """A fresh process: new services (empty cache) and app on the same storage and MODEL_DIR."""
        settings = BackendSettings(
            storage=self.storage_settings,
            model_dir=self.model_dir,
            model_version="stratigraphy-test",
            debug_overlay_dir=self.overlay_dir,
        )
        self.services = Services.build(settings)
        self.app = create_app(
            StratigraphyModel,
            services=self.services,
            settings=SDKSettings(model_dir=self.model_dir),
        )
        self.client = self.app.test_client()

    def put_document(
        self, project: str, name: str, pdf: bytes, dpi: float = 150, with_pdf: bool = True
    ) -> list[dict[str, Any]]:
        """Store the PDF and its page PNGs; return one Label Studio task per page."""
        storage = self.services.storage
        if with_pdf:
            storage.write_bytes(f"pdf/{project}/{name}.pdf", pdf, "application/pdf")
        tasks = []
        for i, png in enumerate(render_pages(pdf, dpi)):
            key = f"png/{project}/{name}_{i}.png"
            storage.write_bytes(key, png, "image/png")
            tasks.append(ls_task({"image": self.url_of(key)}))
        return tasks

    def predict(self, tasks: list[dict[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
        response = self.client.post("/predict", json=predict_body(tasks, **kwargs))
        assert response.status_code == 200, response.get_data(as_text=True)
        results = response.get_json()["results"]
        assert len(results) == len(tasks)
        return results
