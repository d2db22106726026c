"""Settings of the ingest worker, read from the environment once at start-up.

Storage and Label Studio access reuse :class:`StorageSettings` (``STORAGE``,
``DATA_DIR``, ``S3_*``, ``LABEL_STUDIO_URL``, ``LABEL_STUDIO_API_KEY``,
``LOCAL_FILES_DOCUMENT_ROOT``); the model version comes from the backend's own
settings (``MODEL_VERSION``) so imported predictions carry the same version the
backend's ``/setup`` reports (Label Studio would otherwise predict them again).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from label_studio_ml.envvars import env_bool, env_float, env_int
from label_studio_ml.errors import ConfigError
from label_studio_ml.storage.settings import StorageSettings
from stratigraphy_ml_backend.settings import BackendSettings

DEFAULT_DPI = 150
DEFAULT_POLL_SECONDS = 30.0
DEFAULT_QUEUE = "ingest"
DEFAULT_JOB_TIMEOUT = 1800
DEFAULT_EVENTS_KEY = "minio:pdf-events"
TASK_URL_FORMS = ("auto", "s3", "local-files")


def parse_project_map(raw: str) -> dict[str, int]:
    """``"boreholes=3, archive=7"`` -> ``{"boreholes": 3, "archive": 7}``."""
    mapping: dict[str, int] = {}
    for item in raw.replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        folder, sep, project = item.partition("=")
        folder, project = folder.strip(), project.strip()
        if not sep or not folder or not project.isdigit():
            raise ConfigError(
                f"LABEL_STUDIO_PROJECT_MAP must look like 'folder=3,other=4', not {raw!r}"
            )
        mapping[folder] = int(project)
    return mapping


@dataclass(frozen=True)
class IngestSettings:
    """Everything the ingest worker needs.

    - ``dpi``: ``INGEST_DPI`` (default 150), resolution of the page images.
    - ``poll_seconds``: ``INGEST_POLL_SECONDS`` (default 30), bucket scan interval of ``--watch``.
    - ``predict``: ``INGEST_PREDICT`` (default true), attach the stratigraphy predictions.
    - ``task_urls``: ``INGEST_TASK_URLS`` = auto | s3 | local-files, how task data names files
      (auto: ``s3://`` URIs with STORAGE=s3, ``/data/local-files/?d=`` otherwise).
    - ``project_id`` / ``project_map``: ``LABEL_STUDIO_PROJECT_ID`` (all folders) and
      ``LABEL_STUDIO_PROJECT_MAP`` (``folder=id,...``, wins). No project: images only.
    - ``redis_url``: ``REDIS_URL``; set -> one RQ job per PDF on queue ``INGEST_QUEUE``.
    - ``job_timeout``: ``INGEST_JOB_TIMEOUT`` seconds (default 1800) per PDF job.
    - ``events_key``: ``INGEST_EVENTS_KEY``, the Redis list MinIO pushes bucket events to
      (default ``minio:pdf-events``).
    """

    backend: BackendSettings
    dpi: int = DEFAULT_DPI
    poll_seconds: float = DEFAULT_POLL_SECONDS
    predict: bool = True
    task_urls: str = "auto"
    project_id: int | None = None
    project_map: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    redis_url: str | None = field(default=None, repr=False)
    queue: str = DEFAULT_QUEUE
    job_timeout: int = DEFAULT_JOB_TIMEOUT
    events_key: str = DEFAULT_EVENTS_KEY

    def __post_init__(self) -> None:
        if self.task_urls not in TASK_URL_FORMS:
            raise ConfigError(f"INGEST_TASK_URLS must be one of {', '.join(TASK_URL_FORMS)}")
        if (self.project_id is not None or self.project_map) and not self.storage.label_studio_url:
            raise ConfigError(
                "a Label Studio project is configured but LABEL_STUDIO_URL is not set"
            )
        if (
            self.storage.label_studio_url
            and not self.storage.label_studio_api_key
            and (self.project_id is not None or self.project_map)
        ):
            raise ConfigError("LABEL_STUDIO_API_KEY is needed to create tasks in Label Studio")

    @property
    def storage(self) -> StorageSettings:
        return self.backend.storage

    @property
    def url_form(self) -> str:
        """``s3`` or ``local-files``: how task data refers to images and PDFs."""
        if self.task_urls != "auto":
            return self.task_urls
        return "s3" if self.storage.storage == "s3" else "local-files"

    def project_for(self, folder: str) -> int | None:
        """The Label Studio project that receives the pages of ``pdf/<folder>/``."""
        return self.project_map.get(folder, self.project_id)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> IngestSettings:
        project = environ.get("LABEL_STUDIO_PROJECT_ID", "").strip()
        if project and not project.isdigit():
            raise ConfigError(f"LABEL_STUDIO_PROJECT_ID must be a number, not {project!r}")
        return cls(
            backend=BackendSettings.from_env(environ),
            dpi=env_int(environ, "INGEST_DPI", DEFAULT_DPI, low=36, high=600),
            poll_seconds=env_float(environ, "INGEST_POLL_SECONDS", DEFAULT_POLL_SECONDS, low=0.1),
            predict=env_bool(environ, "INGEST_PREDICT", True),
            task_urls=(environ.get("INGEST_TASK_URLS", "").strip().lower() or "auto"),
            project_id=int(project) if project else None,
            project_map=MappingProxyType(
                parse_project_map(environ.get("LABEL_STUDIO_PROJECT_MAP", ""))
            ),
            redis_url=environ.get("REDIS_URL", "").strip() or None,
            queue=environ.get("INGEST_QUEUE", "").strip() or DEFAULT_QUEUE,
            job_timeout=env_int(
                environ, "INGEST_JOB_TIMEOUT", DEFAULT_JOB_TIMEOUT, low=10, high=86400
            ),
            events_key=environ.get("INGEST_EVENTS_KEY", "").strip() or DEFAULT_EVENTS_KEY,
        )
