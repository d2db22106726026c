"""Logging set-up and redaction of secrets before anything reaches a log line.

Two layers:

- :func:`redact` / :func:`redact_headers` hide secret-looking keys of the bodies and
  headers the app logs at DEBUG (depth- and size-capped, no recursion limit to hit);
- :class:`RedactingFilter`, put on the root logger's handlers by
  :func:`configure_logging`, rewrites *every* record that reaches them, also from
  botocore and urllib3 at DEBUG: AWS access key ids, presigned-URL signatures and
  credentials, ``Authorization``/``Proxy-Authorization``/``X-Auth-Token``/cookie values
  and bearer tokens are replaced by ``***``; control characters (a newline in a task id
  would forge a log line) are escaped; very long messages are cut.
"""

from __future__ import annotations

import json
import logging
import re
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
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "x-auth-token",
        "x-amz-security-token",
    }
)
#: Longest log message kept whole; longer ones are cut (a 40 MB key once went to the log).
MAX_LOG_MESSAGE = 4000
_MAX_REDACT_DEPTH = 16
_MAX_REDACT_ITEMS = 100
_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # AWS access key ids (long-term AKIA, temporary ASIA, and the other id kinds)
    (re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{12,}"), "AKIA***"),
    # presigned-URL query parameters (SigV4 and SigV2) and other token parameters
    (
        re.compile(
            r"(?i)\b(X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature"
            r"|AWSAccessKeyId|Credential|access_token|token|sig)=[^&\s'\",;]+"
        ),
        r"\1=***",
    ),
    # header values, as "Name: value", "'Name': 'value'" or "Name=value"
    (
        re.compile(
            r"(?i)\b(Proxy-Authorization|Authorization|X-Auth-Token|X-Api-Key|Cookie|Set-Cookie"
            r"|X-Amz-Security-Token)(['\"]?\s*[:=]\s*(?-i:b)?['\"]?)[^'\"\r\n}]+"
        ),
        r"\1\2***",
    ),
    (re.compile(r"(?i)\b(Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 ***"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\n]")


def scrub(text: str) -> str:
    """``text`` with secrets replaced, control characters escaped, and cut when very long."""
    if len(text) > MAX_LOG_MESSAGE:
        text = f"{text[:MAX_LOG_MESSAGE]}... ({len(text)} characters)"
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with :func:`scrub` (installed on root handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template only
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        return True


def install_redaction(handler: logging.Handler) -> None:
    """Add a :class:`RedactingFilter` to ``handler`` (once)."""
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())


_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """Give the root logger a stream handler (once) and set the SDK's level."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
    for each in root.handlers:  # also botocore's and urllib3's records pass these
        install_redaction(each)
    logging.getLogger("label_studio_ml").setLevel(level)


def redact(value: Any, _depth: int = 0) -> Any:
    """A copy of a JSON value with every secret-looking key's value replaced.

    For logs only: below :data:`_MAX_REDACT_DEPTH` levels values become ``"..."`` and
    lists are cut after :data:`_MAX_REDACT_ITEMS` items, so any body costs little.
    """
    if _depth >= _MAX_REDACT_DEPTH and isinstance(value, Mapping | list):
        return "..."
    if isinstance(value, Mapping):
        return {
            k: (
                REDACTED
                if str(k).lower() in SECRET_KEYS and v is not None
                else redact(v, _depth + 1)
            )
            for k, v in list(value.items())[:_MAX_REDACT_ITEMS]
        }
    if isinstance(value, list):
        items = [redact(v, _depth + 1) for v in value[:_MAX_REDACT_ITEMS]]
        if len(value) > _MAX_REDACT_ITEMS:
            items.append(f"... {len(value) - _MAX_REDACT_ITEMS} more")
        return items
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
