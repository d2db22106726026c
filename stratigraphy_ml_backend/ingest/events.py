"""Bucket notifications from MinIO (or any S3-style event source) -> drop-zone PDF keys.

MinIO's Redis target in ``access`` format appends one JSON value per event to
a Redis list: ``[{"Event": [<S3 event record>], "EventTime": "..."}]``. A
webhook or SQS body has the plain S3 shape ``{"Records": [...]}``. Both are
accepted. Object keys in S3 event records are URL-encoded (``+`` for space).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_plus

from stratigraphy_ml_backend.ingest.state import parse_pdf_key

log = logging.getLogger(__name__)


def _records(body: Any) -> Iterator[dict[str, Any]]:
    if isinstance(body, list):
        for item in body:
            yield from _records(item)
    elif isinstance(body, dict):
        if "Records" in body:
            yield from _records(body["Records"])
        elif "Event" in body:
            yield from _records(body["Event"])
        elif "s3" in body:
            yield body


def created_keys(raw: bytes | str, bucket: str, prefix: str = "") -> list[str]:
    """Storage keys of the PDFs created in ``bucket`` (under ``prefix``) named by one event."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        log.warning("ignoring a bucket event that is not JSON")
        return []
    keys: list[str] = []
    head = prefix.strip("/") + "/" if prefix.strip("/") else ""
    for record in _records(body):
        name = str(record.get("eventName", ""))
        if "ObjectCreated" not in name:
            continue
        s3 = record.get("s3") or {}
        if (s3.get("bucket") or {}).get("name") != bucket:
            continue
        key = unquote_plus(str((s3.get("object") or {}).get("key", "")))
        if head:
            if not key.startswith(head):
                continue
            key = key[len(head) :]
        if parse_pdf_key(key) is not None and key not in keys:
            keys.append(key)
    return keys
