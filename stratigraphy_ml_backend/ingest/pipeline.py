"""Ingest one PDF: render its pages, create pre-annotated Label Studio tasks, mark it done.

Safe to run twice and to resume after a crash:

- a page image already in ``png/`` is not rendered again;
- pages that already have a task in the Label Studio project (same ``data.pdf``
  and ``data.page``) get no second task;
- the done marker is written last, so a crash anywhere before it means the
  next run redoes only what is missing.

A PDF that cannot be opened gets a ``ingest/failed/<key>.json`` marker with the
reason and is skipped by later scans; the PDF itself is never touched.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from label_studio_ml.errors import BackendError, ConfigError, InputDocumentError
from label_studio_ml.label_interface import LabelInterface
from label_studio_ml.storage import make_storage
from label_studio_ml.storage.base import Storage, join_key
from label_studio_ml.storage.pages import page_image_key
from stratigraphy.model import DocumentResult
from stratigraphy_ml_backend import ls_format
from stratigraphy_ml_backend.ingest import state
from stratigraphy_ml_backend.ingest.label_studio import LabelStudioClient
from stratigraphy_ml_backend.ingest.settings import IngestSettings
from stratigraphy_ml_backend.prediction import page_results_for_png

log = logging.getLogger(__name__)

Extractor = Callable[[bytes, str], DocumentResult]


def engine_extractor() -> Extractor:
    """The real engine, imported on first use (workers import it before forking)."""

    def extract(data: bytes, name: str) -> DocumentResult:
        from stratigraphy.extract import extract_document

        return extract_document(data, name=name)

    return extract


@dataclass
class IngestContext:
    """Process-level resources of an ingest worker (built once per process)."""

    settings: IngestSettings
    storage: Storage
    label_studio: LabelStudioClient | None = None
    extractor: Extractor | None = None
    _projects: dict[int, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: IngestSettings, extractor: Extractor | None = None) -> IngestContext:
        client = None
        if settings.storage.label_studio_url and settings.storage.label_studio_api_key:
            client = LabelStudioClient(
                settings.storage.label_studio_url, settings.storage.label_studio_api_key
            )
        return cls(
            settings,
            make_storage(settings.storage),
            client,
            extractor or (engine_extractor() if settings.predict else None),
        )

    def project(self, project_id: int) -> dict[str, Any]:
        """The Label Studio project (label config), fetched once per worker process."""
        if project_id not in self._projects:
            assert self.label_studio is not None
            self._projects[project_id] = self.label_studio.project(project_id)
        return self._projects[project_id]


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one PDF."""

    key: str
    status: str  # "done", "skipped" (already done), "failed"
    pages: int = 0
    rendered: int = 0
    tasks_created: int = 0
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status,
            "pages": self.pages,
            "rendered": self.rendered,
            "tasks_created": self.tasks_created,
            "reason": self.reason,
        }


# ------------------------------------------------------------------ task data


def file_url(settings: IngestSettings, key: str) -> str:
    """How Label Studio task data names a storage key (``s3://`` or local-files URL)."""
    storage = settings.storage
    if settings.url_form == "s3":
        if not storage.s3_bucket:
            raise ConfigError("INGEST_TASK_URLS=s3 needs S3_BUCKET")
        return f"s3://{storage.s3_bucket}/{join_key(storage.s3_prefix, key)}"
    root = storage.local_files_document_root or storage.data_dir
    path = storage.data_dir / key
    try:
        relative = Path(path).relative_to(root)
    except ValueError:
        raise ConfigError(
            f"DATA_DIR ({storage.data_dir}) must lie inside LOCAL_FILES_DOCUMENT_ROOT ({root})"
        ) from None
    return f"/data/local-files/?d={relative.as_posix()}"


def image_value_key(label_config: str | None) -> str:
    """The task-data key of the config's Image (``$image`` -> ``image``)."""
    try:
        interface = LabelInterface(label_config)
        _, _, value = interface.get_first_tag_occurence("RectangleLabels", "Image")
        return value or "image"
    except (BackendError, ValueError, AttributeError):
        return "image"


def page_predictions(
    result: DocumentResult,
    doc_hash: str,
    images: list[bytes],
    label_config: str | None,
    settings: IngestSettings,
) -> list[dict[str, Any] | None]:
    """One Label Studio prediction per page, as the backend would return it (None if none)."""
    from stratigraphy_ml_backend.model import config_names

    names, _ = config_names(label_config, LabelInterface(label_config))
    version = settings.backend.model_version
    out: list[dict[str, Any] | None] = []
    for index, png in enumerate(images):
        page = index + 1
        try:
            info = ls_format.page_info(result, page)
        except ValueError:
            out.append(None)
            continue
        page_out = page_results_for_png(
            result, info, doc_hash, settings.backend.engine_version, png, names
        )
        out.append({"model_version": version, "score": page_out.score, "result": page_out.result})
    return out


# ------------------------------------------------------------------ the job


def ingest_pdf(ctx: IngestContext, key: str) -> IngestOutcome:
    """Render, pre-annotate and register one ``pdf/<project>/<name>.pdf`` (idempotent)."""
    from stratigraphy.pdf.reader import open_pdf
    from stratigraphy.pdf.render import render_page_png

    parsed = state.parse_pdf_key(key)
    if parsed is None:
        raise ValueError(f"{key!r} is not a drop-zone PDF key (pdf/<project>/<name>.pdf)")
    storage, settings = ctx.storage, ctx.settings
    started = time.perf_counter()
    data = storage.read_bytes(key)
    sha = hashlib.sha256(data).hexdigest()

    done = state.read_marker(storage, state.done_key(key))
    if done is not None and done.get("sha256") == sha:
        log.info("%s: already ingested (pages %s)", key, done.get("pages"))
        return IngestOutcome(key, "skipped", pages=int(done.get("pages") or 0))
    # a PDF replaced by different bytes gets fresh page images
    replaced = done is not None
    if replaced:
        log.warning("%s: changed since it was ingested; rendering its pages again", key)

    try:
        doc = open_pdf(data)
        pages = doc.page_count
    except InputDocumentError as exc:
        return _fail(storage, key, sha, exc.message + (f": {exc.detail}" if exc.detail else ""))

    images: list[bytes] = []
    image_keys: list[str] = []
    rendered = 0
    try:
        for index in range(pages):
            image_key = page_image_key(parsed.project, parsed.name, index)
            image_keys.append(image_key)
            if not replaced and storage.exists(image_key):
                images.append(storage.read_bytes(image_key))
                continue
            png = render_page_png(doc, index, settings.dpi)
            storage.write_bytes(image_key, png, content_type="image/png")
            images.append(png)
            rendered += 1
    except InputDocumentError as exc:
        return _fail(storage, key, sha, f"page {len(images)} cannot be rendered: {exc.message}")
    finally:
        doc.close()
    log.info("%s: %d pages, %d rendered at %d dpi", key, pages, rendered, settings.dpi)

    marker: dict[str, Any] = {
        "pdf": key,
        "sha256": sha,
        "pages": pages,
        "images": image_keys,
        "dpi": settings.dpi,
    }
    created = 0
    project_id = settings.project_for(parsed.project)
    if project_id is not None and ctx.label_studio is not None:
        task_ids, created, warning = _create_tasks(
            ctx, project_id, key, data, sha, image_keys, images
        )
        marker["label_studio"] = {"project": project_id, "task_ids": task_ids}
        if warning:
            marker["warning"] = warning
    marker["finished_at"] = state.now_iso()
    marker["seconds"] = round(time.perf_counter() - started, 2)
    state.write_marker(storage, state.done_key(key), marker)
    log.info("%s: done in %.1f s (%d tasks created)", key, marker["seconds"], created)
    return IngestOutcome(key, "done", pages=pages, rendered=rendered, tasks_created=created)


def _fail(storage: Storage, key: str, sha: str, reason: str) -> IngestOutcome:
    log.error("%s: cannot ingest: %s", key, reason)
    state.write_marker(
        storage,
        state.failed_key(key),
        {
            "pdf": key,
            "sha256": sha,
            "reason": reason,
            "failed_at": state.now_iso(),
        },
    )
    return IngestOutcome(key, "failed", reason=reason)


def _create_tasks(
    ctx: IngestContext,
    project_id: int,
    key: str,
    data: bytes,
    sha: str,
    image_keys: list[str],
    images: list[bytes],
) -> tuple[list[int], int, str | None]:
    """Create the missing page tasks of one PDF; returns (all task ids, created, warning)."""
    assert ctx.label_studio is not None
    settings = ctx.settings
    project = ctx.project(project_id)
    label_config = project.get("label_config")
    value_key = image_value_key(label_config)
    pdf_url = file_url(settings, key)

    existing: dict[int, int] = {}
    for task in ctx.label_studio.tasks_with_data(project_id, "pdf", pdf_url):
        page = (task.get("data") or {}).get("page")
        if isinstance(page, int):
            existing[page] = int(task["id"])
    missing = [i for i in range(len(image_keys)) if i not in existing]
    if not missing:
        log.info(
            "%s: all %d pages already have tasks in project %d", key, len(image_keys), project_id
        )
        return [existing[i] for i in sorted(existing)], 0, None

    predictions: list[dict[str, Any] | None] = [None] * len(images)
    warning = None
    if settings.predict and ctx.extractor is not None:
        try:
            name = key.rsplit("/", 1)[-1]
            result = ctx.extractor(data, name)
            predictions = page_predictions(result, sha, images, label_config, settings)
        except InputDocumentError as exc:
            warning = f"no predictions: {exc.message}"
            log.warning("%s: %s", key, warning)
        except Exception as exc:  # an engine bug must not keep the pages from the geologist
            warning = f"no predictions: engine error {type(exc).__name__}"
            log.exception("%s: %s; creating the tasks without predictions", key, warning)

    tasks = []
    for index in missing:
        new_task: dict[str, Any] = {
            "data": {
                value_key: file_url(settings, image_keys[index]),
                "pdf": pdf_url,
                "page": index,
            }
        }
        if predictions[index] is not None:
            new_task["predictions"] = [predictions[index]]
        tasks.append(new_task)
    new_ids = ctx.label_studio.import_tasks(project_id, tasks)
    log.info(
        "%s: created %d tasks in project %d (%d pages already had one)",
        key,
        len(new_ids),
        project_id,
        len(existing),
    )
    ids = dict(existing)
    ids.update(zip(missing, new_ids, strict=False))
    return [ids[i] for i in sorted(ids)], len(new_ids), warning
