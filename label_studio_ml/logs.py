"""Logging set-up and redaction of secrets before anything reaches a log line."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

REDACTED = "***"
SECRET_KEYS = frozenset(
    {
        "login",
        "password",
        "access_token",
        "task_data_login",
        "task_data_password",
        "project_credentials_login",
        "project_credentials_password",
        "token",
        "api_key",
    }
)
SECRET_HEADERS = frozenset({"authorization", "cookie", "x-api-key"})
_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """Give the root logger a stream handler (once) and set the SDK's level."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
    logging.getLogger("label_studio_ml").setLevel(level)


def redact(value: Any) -> Any:
    """A copy of a JSON value with every secret-looking key's value replaced."""
    if isinstance(value, Mapping):
        return {
            k: (REDACTED if str(k).lower() in SECRET_KEYS and v is not None else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def redact_headers(headers: Mapping[str, str], extra_secret: str | None = None) -> dict[str, str]:
    """Headers with ``Authorization`` (and the webhook secret header) hidden."""
    hidden = set(SECRET_HEADERS)
    if extra_secret:
        hidden.add(extra_secret.lower())
    return {k: (REDACTED if k.lower() in hidden else v) for k, v in headers.items()}


def preview(value: Any, limit: int = 2000) -> str:
    """A JSON text of ``value`` cut to ``limit`` characters, for DEBUG logs."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} chars)"
