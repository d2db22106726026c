"""``LabelStudioMLBase``: the class a backend subclasses.

The app builds one instance per request (``MyModel(project_id, label_config,
state=..., services=...)``), so the constructor only reads state and calls the
cheap ``setup()``. Heavy resources (OCR engines, storage clients) belong in
``services``, the process-level object given to ``create_app``.

Per-project state lives in a :class:`~label_studio_ml.state.StateStore`; the
SDK itself keeps ``label_config``, ``model_version`` and ``extra_params`` there.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from label_studio_ml import deadline
from label_studio_ml.errors import BackendError, BadRequest, DeadlineExceeded, RetryableError
from label_studio_ml.label_interface import LabelInterface
from label_studio_ml.response import ModelResponse, PredictionValue
from label_studio_ml.settings import SDKSettings
from label_studio_ml.state import StateStore, project_key

logger = logging.getLogger(__name__)

LABEL_CONFIG_KEY = "label_config"
MODEL_VERSION_KEY = "model_version"
EXTRA_PARAMS_KEY = "extra_params"

Task = dict[str, Any]
Prediction = dict[str, Any]


@functools.lru_cache(maxsize=8)
def _state_at(path: str, namespace: str) -> StateStore:
    return StateStore(path, namespace=namespace)


def default_state(namespace: str = "") -> StateStore:
    """The store under ``MODEL_DIR`` from the environment (for use outside the app)."""
    return _state_at(str(SDKSettings.from_env().state_path), namespace)


def serialize_extra_params(value: Any) -> str:
    """``extra_params`` as sent to ``/setup`` (object, JSON string or null) -> stored JSON text."""
    if value is None or value == "":
        return "{}"
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise BadRequest("extra_params is a string but not valid JSON") from exc
        if value is None:
            return "{}"
    if not isinstance(value, dict):
        raise BadRequest(
            f"extra_params must be a JSON object (or a string holding one), "
            f"got {type(value).__name__}"
        )
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def empty_prediction(model_version: str) -> Prediction:
    """The prediction given to a task whose prediction failed."""
    return {"result": [], "score": 0, "model_version": model_version}


class LabelStudioMLBase:
    """Base class of a Label Studio ML backend model; override ``setup/predict/fit``."""

    #: Version reported when nothing was stored with :meth:`set_model_version`.
    MODEL_VERSION: str = "0.0.1"

    def __init__(
        self,
        project_id: str | int | None = None,
        label_config: str | None = None,
        *,
        state: StateStore | None = None,
        services: object | None = None,
    ) -> None:
        self._state = state if state is not None else default_state(type(self).__name__)
        self.project_id: str | None = project_key(project_id) or None
        self.services = services
        self._label_config = label_config
        self._label_interface: LabelInterface | None = None
        if label_config is not None and label_config != self.get(LABEL_CONFIG_KEY):
            self.set(LABEL_CONFIG_KEY, label_config)
        self.setup()

    # -- hooks for subclasses -------------------------------------------------------------

    def setup(self) -> None:
        """Called by the constructor on every request; keep it cheap (state reads only)."""

    def predict(
        self, tasks: list[Task], context: dict[str, Any] | None = None, **kwargs: Any
    ) -> ModelResponse | list[Any] | None:
        """Predict ``tasks``; return one entry per task, in order.

        ``context`` is ``None`` for pre-annotation and ``{"result": [...]}`` for
        interactive requests. ``kwargs`` carries the other ``params`` Label
        Studio sends (``login``, ``password``). An entry may be an exception
        instance to report that one task failed.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement predict()")

    def fit(self, event: str, data: dict[str, Any], **kwargs: Any) -> Any:
        """Handle a webhook ``event`` (``ANNOTATION_CREATED``, ``START_TRAINING``...)."""
        logger.debug("%s ignores event %s", type(self).__name__, event)
        return None

    def metrics(self) -> dict[str, Any]:
        """Whatever the backend wants to expose on ``GET /metrics`` (JSON-able)."""
        return {}

    # -- per-project state ------------------------------------------------------------------

    def get(self, key: str, default: str | None = None) -> str | None:
        """The stored string for ``key`` in this project."""
        return self._state.get(self.project_id, key, default)

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` for this project; non-strings are stored as JSON text."""
        if not isinstance(value, str):
            value = json.dumps(value, sort_keys=True, ensure_ascii=False)
        self._state.set(self.project_id, key, value)

    def has(self, key: str) -> bool:
        """True when ``key`` is set for this project."""
        return self._state.has(self.project_id, key)

    def get_json(self, key: str, default: Any = None) -> Any:
        """The value of ``key`` decoded from JSON (``default`` if unset or not JSON)."""
        raw = self.get(key)
        if raw is None:
            return default
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return default

    # -- label config -------------------------------------------------------------------

    @property
    def label_config(self) -> str | None:
        """The project's labeling config XML (from the request, else the stored one)."""
        if self._label_config is None:
            self._label_config = self.get(LABEL_CONFIG_KEY)
        return self._label_config

    @property
    def label_interface(self) -> LabelInterface:
        """Controls, objects and labels of :attr:`label_config` (parsed once per instance)."""
        if self._label_interface is None:
            self._label_interface = LabelInterface(self.label_config)
        return self._label_interface

    @property
    def parsed_label_config(self) -> dict[str, dict[str, Any]]:
        """The config as Label Studio's ``parsed_label_config`` dict."""
        return self.label_interface.parsed_config()

    def get_first_tag_occurence(
        self,
        control_type: str | Sequence[str],
        object_type: str | Sequence[str],
        name_filter: Callable[[str], bool] | None = None,
        to_name_filter: Callable[[str], bool] | None = None,
    ) -> tuple[str, str, str]:
        """``(from_name, to_name, value_key)``; see ``LabelInterface.get_first_tag_occurence``."""
        return self.label_interface.get_first_tag_occurence(
            control_type, object_type, name_filter, to_name_filter
        )

    # -- model version and extra params ---------------------------------------------------

    @property
    def model_version(self) -> str:
        """The project's model version: the stored one, else ``MODEL_VERSION``. Never None."""
        return self.get(MODEL_VERSION_KEY) or str(self.MODEL_VERSION)

    def set_model_version(self, version: str) -> None:
        """Persist ``version`` for this project (written only when it changes)."""
        version = str(version).strip()
        if not version:
            raise ValueError("model_version must not be empty")
        if self.get(MODEL_VERSION_KEY) != version:
            self.set(MODEL_VERSION_KEY, version)

    def bump_model_version(self) -> str:
        """Increase the last number of the version (``1.2.3`` -> ``1.2.4``), store and return it."""
        current = self.model_version
        match = re.search(r"(\d+)(?!.*\d)", current)
        if match:
            new = f"{current[: match.start()]}{int(match.group(1)) + 1}{current[match.end() :]}"
        else:
            new = f"{current}.1"
        self.set_model_version(new)
        return new

    @property
    def extra_params(self) -> dict[str, Any]:
        """The ``extra_params`` last sent to ``/setup`` (``{}`` if none)."""
        value = self.get_json(EXTRA_PARAMS_KEY, {})
        return value if isinstance(value, dict) else {}

    def set_extra_params(self, value: dict[str, Any] | str | None) -> None:
        """Store ``extra_params`` given as a dict, a JSON string or ``None``."""
        text = serialize_extra_params(value)
        if self.get(EXTRA_PARAMS_KEY) != text:
            self.set(EXTRA_PARAMS_KEY, text)

    # -- batch prediction used by the app -------------------------------------------------

    def predict_tasks(
        self, tasks: list[Task], context: dict[str, Any] | None = None, **kwargs: Any
    ) -> list[Prediction | list[Prediction]]:
        """Predict ``tasks`` and return exactly one entry per task, in order.

        ``predict()`` gets the whole batch first. If it raises or returns the
        wrong number of entries, each task is predicted alone. A task that
        still fails gets :func:`empty_prediction` and its error is logged with
        the task id. If *every* task fails, the first error is raised so the
        request fails and Label Studio stores nothing (and can retry).
        Every prediction carries this project's :attr:`model_version`.
        """
        version = self.model_version
        if not tasks:
            return []
        try:
            results = self._predict_all(tasks, context, kwargs, version)
            if len(tasks) > 1:
                deadline.check()  # a model that does not check: late answers are not sent
            return results
        except DeadlineExceeded as exc:
            if len(tasks) == 1:
                raise
            # Label Studio answers exactly one result for a many-task request by sending
            # every task again on its own (protocol doc 4.3 and 7.10): nothing is cut
            # silently, and what this request computed stays in the backend's caches.
            logger.warning(
                "%s; answering one result so Label Studio re-sends the %d tasks one by one",
                exc.message,
                len(tasks),
            )
            return [empty_prediction(version)]

    def _predict_all(
        self,
        tasks: list[Task],
        context: dict[str, Any] | None,
        kwargs: dict[str, Any],
        version: str,
    ) -> list[Prediction | list[Prediction]]:
        entries: list[Any]
        try:
            entries = self._entries(self.predict(tasks, context=context, **kwargs), len(tasks))
        except RetryableError:
            raise
        except Exception as exc:
            if len(tasks) == 1:
                entries = [exc]
            else:
                logger.warning(
                    "batch prediction of %d tasks failed (%s); predicting each task alone",
                    len(tasks),
                    _describe(exc),
                )
                entries = []
                for task in tasks:
                    deadline.check()
                    entries.append(self._predict_one(task, context, kwargs))

        results: list[Prediction | list[Prediction]] = []
        failures: list[tuple[Any, BaseException]] = []
        for task, entry in zip(tasks, entries, strict=True):
            if isinstance(entry, RetryableError):
                raise entry  # a passing fault: fail the request (503) so it is retried
            try:
                results.append(_normalise(entry, version))
            except Exception as exc:
                failures.append((_task_id(task), exc))
                results.append(empty_prediction(version))
        if failures and len(failures) == len(tasks):
            for task_id, error in failures[1:]:
                _log_task_failure(task_id, error)
            raise failures[0][1]
        for task_id, error in failures:
            _log_task_failure(task_id, error)
        return results

    def _predict_one(self, task: Task, context: Any, kwargs: dict[str, Any]) -> Any:
        try:
            return self._entries(self.predict([task], context=context, **kwargs), 1)[0]
        except RetryableError:
            raise
        except Exception as exc:
            return exc

    @staticmethod
    def _entries(raw: Any, expected: int) -> list[Any]:
        if raw is None:
            entries: list[Any] = []
        elif isinstance(raw, ModelResponse):
            entries = raw.to_dict()["predictions"]
        elif isinstance(raw, (list, tuple)):
            entries = list(raw)
        else:
            raise TypeError(
                f"predict() must return a ModelResponse or a list, got {type(raw).__name__}"
            )
        if not entries:
            return [[] for _ in range(expected)]
        if len(entries) != expected:
            raise ValueError(f"predict() returned {len(entries)} entries for {expected} tasks")
        return entries


def _normalise(entry: Any, version: str) -> Prediction | list[Prediction]:
    """Check one task's entry and set its model version; raise for a failed task."""
    if isinstance(entry, BaseException):
        raise entry
    if isinstance(entry, list):
        if not entry:
            return empty_prediction(version)
        return [_normalise_one(e, version) for e in entry]
    return _normalise_one(entry, version)


def _normalise_one(entry: Any, version: str) -> Prediction:
    if isinstance(entry, BaseException):
        raise entry
    if isinstance(entry, PredictionValue):
        entry = entry.to_dict()
    if not isinstance(entry, dict) or not isinstance(entry.get("result"), list):
        raise TypeError("a prediction must be a dict with a 'result' list")
    if not all(isinstance(item, dict) for item in entry["result"]):
        raise TypeError("every item of a prediction's 'result' must be a dict")
    prediction = dict(entry)
    score = prediction.get("score")
    if score is None:
        prediction["score"] = 0.0
    elif isinstance(score, bool) or not isinstance(score, (int, float)):
        raise TypeError(f"prediction score must be a number, got {type(score).__name__}")
    if prediction.get("model_version") not in (None, version):
        logger.debug(
            "prediction model_version %r replaced by the project's %r",
            prediction["model_version"],
            version,
        )
    prediction["model_version"] = version
    return prediction


def _task_id(task: Any) -> Any:
    return task.get("id") if isinstance(task, dict) else None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BackendError):
        return f"{exc.code}: {exc.message}"
    return type(exc).__name__


def _log_task_failure(task_id: Any, exc: BaseException) -> None:
    if isinstance(exc, BackendError):
        logger.warning("task %s: prediction failed (%s)", task_id, _describe(exc))
    else:
        logger.error("task %s: prediction failed", task_id, exc_info=exc)


__all__ = [
    "LabelStudioMLBase",
    "default_state",
    "empty_prediction",
    "serialize_extra_params",
]
