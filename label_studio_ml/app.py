"""The Flask app factory serving the Label Studio ML-backend protocol.

Routes: ``GET /`` and ``/health``, ``POST /setup``, ``POST /predict``,
``POST /webhook``, ``GET /metrics``, ``GET /versions``. Every error is a JSON
``{error, detail, request_id}`` with the status of the
:class:`~label_studio_ml.errors.BackendError` raised (4xx for bad requests);
anything unexpected is a 500 with a generic message and a logged traceback.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from label_studio_ml import deadline
from label_studio_ml.auth import request_allowed
from label_studio_ml.body import check_json_content_type, parse_json_object, read_body
from label_studio_ml.errors import (
    BackendError,
    BadRequest,
    RequestTooLarge,
    RetryableError,
    Unauthorized,
)
from label_studio_ml.logs import configure_logging, preview, redact, redact_headers
from label_studio_ml.model import EXTRA_PARAMS_KEY, LabelStudioMLBase, serialize_extra_params
from label_studio_ml.settings import SDKSettings
from label_studio_ml.state import StateStore, project_key
from label_studio_ml.training import TrainingRunner

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

EXTENSION = "label_studio_ml"
REQUEST_ID_HEADER = "X-Request-Id"
FIT_EVENTS = frozenset(
    {
        "ANNOTATION_CREATED",
        "ANNOTATION_UPDATED",
        "ANNOTATIONS_CREATED",
        "ANNOTATIONS_DELETED",
        "ANNOTATION_DELETED",  # the reference SDK's name; Label Studio 1.23 sends the plural
        "START_TRAINING",
    }
)
BACKGROUND_EVENTS = frozenset({"START_TRAINING"})
_RESERVED_PARAMS = frozenset({"tasks", "context", "self"})
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class AppContext:
    """What the routes share: the model class, settings, state, services, trainer."""

    def __init__(
        self,
        model_class: type[LabelStudioMLBase],
        settings: SDKSettings,
        state: StateStore,
        services: object | None,
    ) -> None:
        self.model_class = model_class
        self.settings = settings
        self.state = state
        self.services = services
        self.training = TrainingRunner()
        # heavy work (predictions) running at once in this worker process
        self.heavy = threading.BoundedSemaphore(settings.max_concurrent_predictions)

    def model(self, project: Any, label_config: str | None = None) -> LabelStudioMLBase:
        """A fresh model instance for one request."""
        return self.model_class(
            project_id=project_key(project) or None,
            label_config=label_config,
            state=self.state,
            services=self.services,
        )


def _json_body() -> dict[str, Any]:
    """The request body (read in ``_start``) as a JSON object, or :class:`BadRequest`."""
    body = parse_json_object(g.get("body", b""))
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request_id=%s body=%s", g.request_id, preview(redact(body)))
    return body


def _optional_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"'{key}' must be a string, got {type(value).__name__}")
    return value


def _printable(text: str, limit: int = 200) -> str:
    """``text`` without control characters (no forged log lines), cut to ``limit``."""
    return "".join(c if c.isprintable() else "?" for c in text[:limit])


def _format_task_ids(task_ids: list[Any] | None, limit: int = 20) -> str:
    if task_ids is None:
        return ""
    if len(task_ids) <= limit:
        return f" tasks={task_ids}"
    return f" tasks={task_ids[:limit]}+{len(task_ids) - limit}more"


MAX_DETAIL_CHARS = 500


def _error_response(status: int, code: str, detail: str) -> Response:
    g.error_code = code
    if len(detail) > MAX_DETAIL_CHARS:
        detail = f"{detail[:MAX_DETAIL_CHARS]}... ({len(detail)} characters)"
    response = jsonify({"error": code, "detail": detail, "request_id": g.get("request_id")})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="label-studio-ml"'
    if status in (408, 413):
        # the rest of the body may still be on the socket: ask to close (gunicorn drops
        # this hop-by-hop header but closes itself when the unread body cannot be drained)
        response.headers["Connection"] = "close"
    return response


def create_app(
    model_class: type[LabelStudioMLBase],
    *,
    services: object | None = None,
    settings: SDKSettings | None = None,
) -> Flask:
    """Build the Flask app serving ``model_class`` (``settings`` default: from the env)."""
    settings = settings if settings is not None else SDKSettings.from_env()
    configure_logging(settings.log_level)
    # one namespace per backend: two backends may share MODEL_DIR
    state = StateStore(settings.state_path, namespace=model_class.__name__)
    ctx = AppContext(model_class, settings, state, services)

    app = Flask(model_class.__module__.split(".")[0] or __name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes  # larger bodies: 413 JSON
    app.extensions[EXTENSION] = ctx

    @app.before_request
    def _start() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        g.started = time.perf_counter()
        g.task_ids = None
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "request_id=%s headers=%s",
                g.request_id,
                redact_headers(dict(request.headers), settings.webhook_secret_header),
            )
        is_webhook = request.path.rstrip("/") == "/webhook"
        if not request_allowed(is_webhook=is_webhook, headers=request.headers, settings=settings):
            raise Unauthorized("missing or wrong credentials")
        deadline.set_current(deadline.Deadline.after(settings.predict_deadline_seconds))
        if request.method == "POST":
            check_json_content_type(request.headers.get("Content-Type"))
            g.body = read_body(
                request.environ, settings.max_request_bytes, settings.body_read_seconds
            )

    @app.teardown_request
    def _end(_exc: BaseException | None) -> None:
        deadline.set_current(None)

    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("request_id", "-")
        response.headers[REQUEST_ID_HEADER] = request_id
        duration = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        logger.info(
            "%s %s %s %.1fms request_id=%s%s%s",
            request.method,
            _printable(request.path),
            response.status_code,
            duration,
            request_id,
            _format_task_ids(g.get("task_ids")),
            f" error={g.error_code}" if g.get("error_code") else "",
        )
        return response

    @app.errorhandler(Exception)
    def _handle(exc: Exception) -> Response:
        if "request_id" not in g:
            g.request_id = uuid.uuid4().hex
        if isinstance(exc, BackendError):
            detail = exc.message if not exc.detail else f"{exc.message}: {exc.detail}"
            if exc.status >= 500:
                logger.error("request_id=%s %s: %s", g.request_id, exc.code, detail)
            response = _error_response(exc.status, exc.code, detail)
            if isinstance(exc, RetryableError):
                response.headers["Retry-After"] = str(exc.retry_after)
            return response
        if isinstance(exc, HTTPException):
            code = (exc.name or "http_error").lower().replace(" ", "_")
            return _error_response(exc.code or 500, code, exc.description or exc.name)
        logger.exception("request_id=%s unhandled error", g.request_id)
        return _error_response(
            500,
            "internal_error",
            f"internal error; the server log has details under request id {g.request_id}",
        )

    @app.get("/")
    @app.get("/health")
    def health() -> Response:
        return jsonify({"status": "UP", "model_class": model_class.__name__})

    @app.post("/setup")
    def setup() -> Response:
        body = _json_body()
        project = body.get("project")
        key = project_key(project)
        schema = _optional_str(body, "schema")
        if "extra_params" in body:
            text = serialize_extra_params(body["extra_params"])
            if ctx.state.get(key, EXTRA_PARAMS_KEY) != text:
                ctx.state.set(key, EXTRA_PARAMS_KEY, text)
        model = ctx.model(key, schema)
        return jsonify({"model_version": model.model_version})

    @app.post("/predict")
    def predict() -> Response:
        body = _json_body()
        tasks = body.get("tasks")
        if tasks is None:
            raise BadRequest("'tasks' is missing; send {\"tasks\": [...]}")
        if not isinstance(tasks, list):
            raise BadRequest(f"'tasks' must be a list, got {type(tasks).__name__}")
        if len(tasks) > settings.max_tasks_per_request:
            raise RequestTooLarge(
                f"{len(tasks)} tasks in one request; at most MAX_TASKS_PER_REQUEST="
                f"{settings.max_tasks_per_request} are predicted at once"
            )
        if not all(isinstance(task, dict) for task in tasks):
            raise BadRequest("every item of 'tasks' must be a JSON object")
        g.task_ids = [task.get("id") for task in tasks]
        params = body.get("params")
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise BadRequest(f"'params' must be an object, got {type(params).__name__}")
        params = dict(params)
        context = params.pop("context", None)
        if context is not None and not isinstance(context, dict):
            raise BadRequest(
                f"'params.context' must be an object or null, got {type(context).__name__}"
            )
        project = body.get("project")
        if project is None and tasks and isinstance(tasks[0].get("project"), int):
            project = tasks[0]["project"]
        model = ctx.model(project, _optional_str(body, "label_config"))
        kwargs = {
            str(k): v
            for k, v in params.items()
            if str(k).isidentifier() and str(k) not in _RESERVED_PARAMS
        }
        results = _heavy(ctx, lambda: model.predict_tasks(tasks, context=context, **kwargs))
        return jsonify({"results": results})

    @app.post("/webhook")
    def webhook() -> Response | tuple[Response, int]:
        body = _json_body()
        action = body.pop("action", None)
        if not isinstance(action, str) or not action:
            raise BadRequest("webhook body has no 'action'")
        if action not in FIT_EVENTS:
            return jsonify({"status": "Unknown event"}), 200
        project = body.get("project")
        if not isinstance(project, dict) or project.get("id") is None:
            raise BadRequest(f"{action} webhook has no 'project.id'")
        label_config = project.get("label_config")
        label_config = label_config if isinstance(label_config, str) else None
        project_id = project_key(project["id"])
        if action in BACKGROUND_EVENTS:
            request_id = g.request_id

            def job() -> None:
                ctx.model(project_id, label_config).fit(action, body)

            ctx.training.start(project_id, job, request_id=request_id)
            return jsonify({"status": "ok", "result": None, "background": True}), 201
        # fit() may re-predict a task (stratigraphy feedback): heavy work, bounded the same way
        result = _heavy(ctx, lambda: ctx.model(project_id, label_config).fit(action, body))
        try:
            return jsonify({"status": "ok", "result": result}), 201
        except TypeError:
            logger.warning("request_id=%s fit() returned a value that is not JSON", g.request_id)
            return jsonify({"status": "ok", "result": None}), 201

    @app.get("/metrics")
    def metrics() -> Response:
        model = ctx.model(request.args.get("project"))
        values = model.metrics()
        if not isinstance(values, dict):
            raise TypeError("metrics() must return a dict")
        return jsonify(values)

    @app.get("/versions")
    def versions() -> Response:
        model = ctx.model(request.args.get("project"))
        return jsonify({"versions": [model.model_version]})

    return app


def _heavy(ctx: AppContext, work: Callable[[], _T]) -> _T:
    """Run ``work`` holding one of the worker's MAX_CONCURRENT_PREDICTIONS slots.

    Waiting for a slot counts against the request's deadline; when none frees up
    in time the request gets a 503 with ``Retry-After``.
    """
    current = deadline.current()
    wait = max(0.0, current.remaining()) if current is not None else None
    if not ctx.heavy.acquire(timeout=wait):
        raise RetryableError(
            "the backend is busy with other predictions (MAX_CONCURRENT_PREDICTIONS)"
        )
    try:
        return work()
    finally:
        ctx.heavy.release()


def app_context(app: Flask) -> AppContext:
    """The :class:`AppContext` of an app built by :func:`create_app`."""
    ctx = app.extensions[EXTENSION]
    if not isinstance(ctx, AppContext):
        raise TypeError("the app was not built by label_studio_ml.app.create_app")
    return ctx
