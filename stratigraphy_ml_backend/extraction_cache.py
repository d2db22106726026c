"""Engine results cached per PDF content hash: bounded, LRU, one extraction per document.

Label Studio sends the pages of one PDF as separate tasks, often in one batch
and from several threads at once. :class:`ExtractionCache` makes all of them
share one run of the engine: the first thread to ask for a document extracts
it while the others wait on that document's lock, then read the cached result.
Failures that depend only on the bytes (a corrupt PDF) are cached as well, so
a broken document is not re-parsed for every page.

A result may cover only some pages of a long document (``pages``: 0-based
indices); it is cached under the hash and those pages. A whole-document result
already in the cache serves every page.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from label_studio_ml.errors import InputDocumentError
from stratigraphy.model import DocumentResult

log = logging.getLogger(__name__)


#: The engine: ``(pdf bytes, file name)`` -> result, and ``(bytes, name, pages)`` for the
#: 0-based pages of a long document (called with ``pages`` only when pages are asked for).
Extractor = Callable[..., DocumentResult]


def content_hash(data: bytes) -> str:
    """sha256 hex digest of a document's bytes (the cache key)."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class _Failure:
    error: InputDocumentError


class ExtractionCache:
    """Thread-safe LRU of ``sha256 -> DocumentResult`` with per-key locks."""

    def __init__(self, extractor: Extractor, max_size: int) -> None:
        if max_size < 1:
            raise ValueError("max_size must be >= 1")
        self._extract = extractor
        self._max_size = max_size
        self._items: OrderedDict[str, DocumentResult | _Failure] = OrderedDict()
        self._key_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.extractions = 0  # number of engine runs (for tests and metrics)
        self.hits = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def _lookup(self, key: str) -> DocumentResult | _Failure | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return item

    @staticmethod
    def _unwrap(item: DocumentResult | _Failure) -> DocumentResult:
        if isinstance(item, _Failure):
            raise item.error
        return item

    def get(
        self,
        data: bytes,
        name: str,
        key: str | None = None,
        pages: tuple[int, ...] | None = None,
    ) -> DocumentResult:
        """The engine's result for ``data`` (extracted at most once while cached).

        ``key`` is ``content_hash(data)`` when the caller already has it; ``pages``
        (sorted 0-based indices) limits the extraction to those pages.
        Raises what the engine raises; InputDocumentError is cached with the key.
        """
        whole = key or content_hash(data)
        key = whole if pages is None else f"{whole}:{','.join(map(str, pages))}"
        with self._lock:
            item = self._lookup(key) or (self._lookup(whole) if pages is not None else None)
            if item is not None:
                return self._unwrap(item)
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                item = self._lookup(key)
            if item is not None:
                return self._unwrap(item)
            log.info("extracting %s (sha256 %s, %d bytes)", name, key[:12], len(data))
            with self._lock:
                self.extractions += 1
            try:
                item = (
                    self._extract(data, name) if pages is None else self._extract(data, name, pages)
                )
            except InputDocumentError as exc:
                item = _Failure(exc)
            except BaseException:
                with self._lock:
                    self._key_locks.pop(key, None)
                raise
            with self._lock:
                self._items[key] = item
                self._items.move_to_end(key)
                while len(self._items) > self._max_size:
                    self._items.popitem(last=False)
                self._key_locks.pop(key, None)
        return self._unwrap(item)
