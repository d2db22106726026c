"""StratigraphyModel: Label Studio pre-annotation of borehole profile pages.

For each task of a ``/predict`` batch, in order: find the page image and its
PDF (``png/<project>/<name>_<page>.png`` -> ``pdf/<project>/<name>.pdf``, or
``data.pdf`` + ``data.page``), read both through the storage layer, run the
engine on the PDF once per content hash (shared cache of the worker), and turn
that page's layers and metadata into Label Studio regions (:mod:`ls_format`).
A task whose files are missing or broken gets an empty prediction and a logged
error; the rest of the batch is answered.

``fit()`` stores what annotators submitted and how it differs from the
pre-annotation (:mod:`feedback`); ``metrics()`` reports it per project.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fitz

from label_studio_ml import deadline
from label_studio_ml.errors import BackendError, BadRequest, NotFound, RetryableError
from label_studio_ml.model import LabelStudioMLBase
from label_studio_ml.response import ModelResponse, PredictionValue
from label_studio_ml.state import project_key
from label_studio_ml.storage.pages import locate_page
from stratigraphy.geometry import POINTS_PER_INCH, rotated_size
from stratigraphy_ml_backend import ls_format
from stratigraphy_ml_backend.extraction_cache import content_hash
from stratigraphy_ml_backend.feedback import compare, results_to_regions
from stratigraphy_ml_backend.imaging import displayed_size
from stratigraphy_ml_backend.overlay import draw_results
from stratigraphy_ml_backend.prediction import page_results
from stratigraphy_ml_backend.services import Services
from stratigraphy_ml_backend.settings import engine_version

log = logging.getLogger(__name__)

ANNOTATION_EVENTS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED")

_default_services: Services | None = None
_default_lock = threading.Lock()


def default_services() -> Services:
    """Services built from the environment, once per process (when the app was given none)."""
    global _default_services
    with _default_lock:
        if _default_services is None:
            _default_services = Services.from_env()
        return _default_services


@dataclass(frozen=True, slots=True)
class PagePrediction:
    """The regions predicted for one task and the file they came from."""

    result: list[dict[str, Any]]
    score: float
    source: str  # PDF reference, for logs


def config_names(label_config: str | None, interface: Any) -> tuple[ls_format.ConfigNames, str]:
    """Tag names from the project's labeling config, and the task-data key of the image.

    Falls back to the names of ``data/label_config.xml`` when the config has no
    RectangleLabels on an Image (Label Studio then drops unknown names anyway).
    """
    defaults = ls_format.ConfigNames()
    try:
        label, image, value_key = interface.get_first_tag_occurence("RectangleLabels", "Image")
    except (ValueError, AttributeError):
        return defaults, "image"
    try:
        text, _, _ = interface.get_first_tag_occurence(
            "TextArea", "Image", to_name_filter=lambda name: name == image
        )
    except ValueError:
        text = None
    control = interface.get_control(label)
    # Relations are sent without a label even when the config offers one: Label Studio
    # draws a relation's label as a tag over the page, the arrow alone says enough.
    names = ls_format.ConfigNames(
        label=label, text=text, image=image, labels=frozenset(control.labels) or defaults.labels
    )
    return names, value_key


def page_window(pdf: bytes, page_index: int, whole_up_to: int) -> tuple[int, ...] | None:
    """The 0-based pages to extract for ``page_index``: None (all) for a short document,
    else the page and its neighbours (a layer may continue from or onto them).

    Only the page count is read here (PyMuPDF opens a document lazily); a document
    that cannot be opened gives None so the engine reports the error.
    """
    try:
        with fitz.open(stream=pdf, filetype="pdf") as doc:
            count = doc.page_count
    except Exception:
        return None
    if count <= whole_up_to:
        return None
    return tuple(i for i in (page_index - 1, page_index, page_index + 1) if 0 <= i < count)


class StratigraphyModel(LabelStudioMLBase):
    """Pre-annotates borehole pages with layers, depth intervals and header metadata."""

    MODEL_VERSION = f"stratigraphy-{engine_version()}"

    # ------------------------------------------------------------------ set-up

    @property
    def resources(self) -> Services:
        services = self.services
        return services if isinstance(services, Services) else default_services()

    def setup(self) -> None:
        """Cheap: only the model version (the engine and storage live in :class:`Services`)."""
        self.set_model_version(self.resources.settings.model_version)

    @property
    def version(self) -> str:
        return self.resources.settings.model_version

    # ------------------------------------------------------------------ predict

    def predict(
        self,
        tasks: Sequence[Mapping[str, Any]],
        context: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> ModelResponse:
        """One prediction per task, in order; empty (score 0) for a task that fails."""
        version = self.version
        if context and context.get("result"):
            # Interactive requests are the text extractor's job (port 9095).
            log.info("interactive request ignored by the stratigraphy backend")
            return ModelResponse(
                predictions=[PredictionValue([], 0.0, version) for _ in tasks],
                model_version=version,
            )
        names, value_key = config_names(self.label_config, self.label_interface)
        predictions: list[PredictionValue] = []
        recorded: list[tuple[str, list[dict[str, Any]]]] = []
        pdfs: dict[str, tuple[bytes, str, str]] = {}  # one read per PDF per batch
        for task in tasks:
            deadline.check()  # past the deadline: the SDK answers so LS re-sends one by one
            task_id = task.get("id") if isinstance(task, Mapping) else None
            started = time.perf_counter()
            try:
                page = self.predict_task(task, names, value_key, pdfs)
            except RetryableError:
                raise  # storage unreachable, deadline: the request fails with 503, LS retries
            except BackendError as exc:
                log.error(
                    "task %s: no prediction: %s%s",
                    task_id,
                    exc.message,
                    f" ({exc.detail})" if exc.detail else "",
                )
                predictions.append(PredictionValue([], 0.0, version))
                continue
            except Exception:
                log.exception("task %s: no prediction: unexpected error", task_id)
                predictions.append(PredictionValue([], 0.0, version))
                continue
            regions = sum(1 for r in page.result if r.get("type") == "rectanglelabels")
            log.info(
                "task %s: %d regions from %s in %.0f ms",
                task_id,
                regions,
                page.source,
                (time.perf_counter() - started) * 1000,
            )
            predictions.append(PredictionValue(page.result, page.score, version))
            if task_id is not None:
                recorded.append((str(task_id), page.result))
        if recorded:
            try:
                self.resources.feedback.record_predictions(
                    project_key(self.project_id), recorded, version
                )
            except Exception:  # feedback is best effort, never fails a prediction
                log.exception("could not record predictions for metrics")
        return ModelResponse(predictions=predictions, model_version=version)

    def predict_task(
        self,
        task: Mapping[str, Any],
        names: ls_format.ConfigNames,
        value_key: str = "image",
        pdfs: dict[str, tuple[bytes, str, str]] | None = None,
    ) -> PagePrediction:
        """Regions of one task's page; raises a :class:`BackendError` when files are missing/bad.

        ``pdfs`` memoises ``reference -> (bytes, sha256, file name)`` across the tasks of a batch.
        """
        if not isinstance(task, Mapping) or not isinstance(task.get("data"), dict):
            raise BadRequest("task has no 'data' object")
        services = self.resources
        task_id = task.get("id")
        ref = locate_page(task["data"], image_key=value_key)
        if ref.pdf is None:
            raise BadRequest("cannot tell which PDF the task's page belongs to")
        image = (
            services.resolver.read_bytes(ref.image_url, task_id=task_id) if ref.image_url else None
        )
        pdfs = {} if pdfs is None else pdfs
        if ref.pdf not in pdfs:
            fetched = services.resolver.fetch(ref.pdf, task_id=task_id)
            name = f"{ref.name}.pdf" if ref.name else fetched.name
            pdfs[ref.pdf] = (fetched.data, content_hash(fetched.data), name)
        data, doc_hash, name = pdfs[ref.pdf]
        window = page_window(data, ref.page_index, services.settings.whole_document_pages)
        doc = services.extractions.get(data, name, doc_hash, window)
        page = ref.page_index + 1
        try:
            info = ls_format.page_info(doc, page)
        except ValueError as exc:
            raise NotFound(
                f"page {ref.page_index} (0-based) is not in {name}", detail=str(exc)
            ) from None
        if image is not None:
            size = displayed_size(image)
        else:  # no image in the task: assume the page rendered at 72 dpi
            w, h = rotated_size(info.width, info.height, info.rotation)
            size = ls_format.ImageSize(
                max(1, round(w * 72 / POINTS_PER_INCH)), max(1, round(h * 72 / POINTS_PER_INCH))
            )
        page_out = page_results(
            doc, info, doc_hash, services.settings.engine_version, size, names, image
        )
        if services.settings.debug_overlay_dir is not None and image is not None:
            self._write_overlay(
                services.settings.debug_overlay_dir, name, ref.page_index, image, page_out.result
            )
        return PagePrediction(page_out.result, page_out.score, ref.pdf)

    @staticmethod
    def _write_overlay(
        directory: Path, name: str, page_index: int, image: bytes, result: list[dict[str, Any]]
    ) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            stem = Path(name).stem.replace("/", "_")
            (directory / f"{stem}_{page_index}.png").write_bytes(draw_results(image, result))
        except Exception:
            log.exception("could not write the debug overlay of %s page %d", name, page_index)

    # ------------------------------------------------------------------ fit / metrics

    def fit(
        self, event: str, data: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Store submitted annotations and compare them with the pre-annotations.

        Handles ANNOTATION_CREATED/UPDATED (one annotation), ANNOTATIONS_CREATED
        (lists) and ANNOTATIONS_DELETED; the engine is rule based, so there is
        nothing to train on START_TRAINING.
        """
        data = data or {}
        project = project_key(self.project_id or _project_of(data))
        if event in ANNOTATION_EVENTS or event == "ANNOTATIONS_CREATED":
            annotations = _as_list(data.get("annotation"))
            tasks = {
                str(t.get("id")): t for t in _as_list(data.get("task")) if isinstance(t, Mapping)
            }
            stored = [
                self._store_annotation(project, ann, tasks)
                for ann in annotations
                if isinstance(ann, Mapping)
            ]
            return {"event": event, "project": project, "stored": sum(1 for s in stored if s)}
        if event in ("ANNOTATIONS_DELETED", "ANNOTATION_DELETED"):
            gone = _as_list(data.get("annotations")) + _as_list(data.get("annotation"))
            ids = [str(a.get("id")) for a in gone if isinstance(a, Mapping)]
            deleted = self.resources.feedback.delete_annotations(project, ids)
            return {"event": event, "project": project, "deleted": deleted}
        return {
            "event": event,
            "project": project,
            "trained": False,
            "detail": "rule-based engine: nothing to train",
        }

    def _store_annotation(
        self, project: str, annotation: Mapping[str, Any], tasks: Mapping[str, Mapping[str, Any]]
    ) -> bool:
        task_ref = annotation.get("task")
        task_id = str(task_ref.get("id") if isinstance(task_ref, Mapping) else task_ref)
        annotation_id = str(annotation.get("id"))
        if annotation.get("was_cancelled"):
            log.info(
                "project %s task %s: annotation %s was skipped; not stored",
                project,
                task_id,
                annotation_id,
            )
            return False
        raw = annotation.get("result")
        result = [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []
        feedback = self.resources.feedback
        predicted = feedback.prediction(project, task_id)
        if predicted is None and task_id in tasks:
            predicted = self._repredict(tasks[task_id])
        comparison = None
        version = None
        if predicted is not None:
            version, predicted_result = predicted
            comparison = compare(results_to_regions(predicted_result), results_to_regions(result))
        feedback.record_annotation(project, task_id, annotation_id, result, comparison, version)
        log.info(
            "project %s task %s: annotation %s stored (%s)",
            project,
            task_id,
            annotation_id,
            "compared" if comparison else "no pre-annotation to compare",
        )
        return True

    def _repredict(self, task: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]] | None:
        """The pre-annotation of a task predicted before the feedback store knew it."""
        names, value_key = config_names(self.label_config, self.label_interface)
        try:
            return self.version, self.predict_task(task, names, value_key).result
        except Exception as exc:  # comparison is optional; the annotation is stored anyway
            log.warning("task %s: cannot rebuild its pre-annotation: %s", task.get("id"), exc)
            return None

    def metrics(self) -> dict[str, Any]:
        """Per project: how pre-annotations compared with what annotators submitted."""
        projects = self.resources.feedback.metrics(self.project_id)
        return {"model_version": self.version, "projects": projects}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _project_of(data: Mapping[str, Any]) -> str | None:
    project = data.get("project")
    if isinstance(project, Mapping):
        project = project.get("id")
    return None if project is None else str(project)
