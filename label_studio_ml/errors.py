"""The exception tree shared by the SDK, storage and both backends.

Every class carries the HTTP status the app factory answers with and a short
machine-readable ``code``. Messages are written for the person who sent the
request: they say what is wrong and, where possible, how to fix it. They never
contain credentials or tracebacks.
"""

from __future__ import annotations


class BackendError(Exception):
    """Root of all errors raised on purpose by this project."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadRequest(BackendError):
    """The request itself is malformed (not JSON, missing or mistyped fields)."""

    status = 400
    code = "bad_request"


class Unauthorized(BackendError):
    status = 401
    code = "unauthorized"


class NotFound(BackendError):
    """A file or object the request refers to does not exist."""

    status = 404
    code = "not_found"


class ForbiddenPath(BackendError):
    """A path or URL points outside the configured storage roots or hosts."""

    status = 403
    code = "forbidden_path"


class StorageError(BackendError):
    """The storage backend (disk, S3, Label Studio media) failed."""

    status = 502
    code = "storage_error"


class InputDocumentError(BackendError):
    """A document is unreadable: corrupt, encrypted, empty, not a PDF, too large."""

    status = 422
    code = "bad_document"


class OcrEngineError(BackendError):
    """Tesseract is missing, misconfigured, crashed or timed out."""

    status = 503
    code = "ocr_error"


class ConfigError(BackendError):
    """The service settings are invalid (raised at start-up)."""

    status = 500
    code = "config_error"


class RetryableError(BackendError):
    """A passing fault (storage unreachable, Label Studio refusing, time up, worker busy).

    The request fails with 503 and ``Retry-After`` so Label Studio asks again later
    instead of storing an empty prediction; never turned into a per-task empty result.
    """

    status = 503
    code = "temporarily_unavailable"
    retry_after = 30


class TransientStorageError(RetryableError, StorageError):
    """The storage or Label Studio could not be reached or answered 5xx/401/403/429."""

    status = 503
    code = "storage_unavailable"


class DeadlineExceeded(RetryableError):
    """The request ran out of its ``PREDICT_DEADLINE_SECONDS``."""

    code = "deadline_exceeded"
    retry_after = 5


class RequestTooLarge(BackendError):
    """The request asks for more than one request may (tasks, body bytes)."""

    status = 413
    code = "request_entity_too_large"


class UnsupportedMediaType(BackendError):
    status = 415
    code = "unsupported_media_type"


class RequestTimeout(BackendError):
    """The client did not send its body within the body-read deadline."""

    status = 408
    code = "request_timeout"
