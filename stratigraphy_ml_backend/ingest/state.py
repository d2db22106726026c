"""Where ingest keeps its own bookkeeping in the bucket, and which PDFs are still to do.

Everything ingest writes lives under ``png/`` (page images) and ``ingest/``
(markers); the user's ``pdf/`` objects are only ever read:

- ``ingest/done/<pdf key>.json``: the PDF was rendered (and its tasks created);
  holds its sha256, page count, image keys and Label Studio task ids.
- ``ingest/failed/<pdf key>.json``: the PDF could not be read; holds the reason.
  A failed PDF is not retried unless asked (``--retry-failed``) or replaced by
  different bytes.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from label_studio_ml.errors import NotFound
from label_studio_ml.storage.base import Storage

log = logging.getLogger(__name__)

PDF_ROOT = "pdf/"
STATE_ROOT = "ingest/"
DONE_ROOT = "ingest/done/"
FAILED_ROOT = "ingest/failed/"
_PDF_KEY = re.compile(r"^pdf/(?P<project>[^/]+)/(?P<name>[^/]+)\.pdf$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PdfKey:
    """A PDF in the drop zone: ``pdf/<project>/<name>.pdf``."""

    key: str
    project: str
    name: str


def parse_pdf_key(key: str) -> PdfKey | None:
    """The project folder and file name of a drop-zone key; None for anything else."""
    match = _PDF_KEY.match(key)
    if match is None:
        return None
    return PdfKey(key, match["project"], match["name"])


def done_key(pdf_key: str) -> str:
    return f"{DONE_ROOT}{pdf_key}.json"


def failed_key(pdf_key: str) -> str:
    return f"{FAILED_ROOT}{pdf_key}.json"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_marker(storage: Storage, key: str) -> dict[str, Any] | None:
    """The JSON marker at ``key``, or None when missing or unreadable."""
    try:
        data = json.loads(storage.read_bytes(key))
    except NotFound:
        return None
    except (ValueError, UnicodeDecodeError):
        log.warning("ignoring unreadable marker %s", storage.uri(key))
        return None
    return data if isinstance(data, dict) else None


def write_marker(storage: Storage, key: str, data: dict[str, Any]) -> None:
    body = json.dumps(data, indent=2, sort_keys=True).encode()
    storage.write_bytes(key, body, content_type="application/json")


def drop_zone_prefix(project: str | None) -> str:
    return f"{PDF_ROOT}{project}/" if project else PDF_ROOT


def pdf_keys(storage: Storage, project: str | None = None) -> Iterator[PdfKey]:
    """Every ``pdf/<project>/<name>.pdf`` (sorted); other objects under pdf/ are logged once."""
    for key in storage.list(drop_zone_prefix(project)):
        parsed = parse_pdf_key(key)
        if parsed is None:
            if not key.endswith("/"):
                log.debug("not a drop-zone PDF (expected pdf/<project>/<name>.pdf): %s", key)
            continue
        yield parsed


def pending(
    all_pdfs: Iterable[PdfKey], done: Iterable[str], failed: Iterable[str], retry_failed: bool
) -> list[PdfKey]:
    """PDFs without a done marker (and without a failed one unless ``retry_failed``)."""
    skip = {k[len(DONE_ROOT) : -len(".json")] for k in done if k.endswith(".json")}
    if not retry_failed:
        skip |= {k[len(FAILED_ROOT) : -len(".json")] for k in failed if k.endswith(".json")}
    return [pdf for pdf in all_pdfs if pdf.key not in skip]


def find_pending(
    storage: Storage, project: str | None = None, retry_failed: bool = False
) -> list[PdfKey]:
    """Scan the bucket: PDFs under ``pdf/[<project>/]`` that ingest has not handled yet."""
    sub = f"{PDF_ROOT}{project}/" if project else PDF_ROOT
    return pending(
        pdf_keys(storage, project),
        storage.list(DONE_ROOT + sub),
        storage.list(FAILED_ROOT + sub),
        retry_failed,
    )
