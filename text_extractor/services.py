"""Process-level resources of the text extractor, built once per worker process.

Label Studio builds a new model instance for every request; the settings, the
storage client, the URL resolver, the Tesseract probe and two small caches
(decoded page images and PDF bytes, so that boxes drawn one after the other on
the same page do not refetch it) live here and reach the model through
``create_app(..., services=...)``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from label_studio_ml.storage import make_storage
from label_studio_ml.storage.base import Storage
from label_studio_ml.storage.resolver import UrlResolver
from label_studio_ml.storage.settings import StorageSettings
from stratigraphy.ocr.tesseract import TesseractProbe, probe
from text_extractor.cleanup import lexicon
from text_extractor.page_ocr import ReadingCache
from text_extractor.settings import TextExtractorSettings

log = logging.getLogger(__name__)

V = TypeVar("V")


class LruCache(Generic[V]):
    """A small thread-safe least-recently-used cache (key -> value)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_load(self, key: str, load: Callable[[], V]) -> V:
        """The cached value of ``key``, loading (outside the lock) and storing it when missing.

        ``None`` (nothing there, e.g. no PDF yet) is returned but not stored, so a
        file that appears later is found.
        """
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = load()
        if value is not None and self.size > 0:
            with self._lock:
                self._items[key] = value
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value


@dataclass(frozen=True)
class Services:
    """Settings, storage, resolver, Tesseract probe and the caches.

    ``images``: decoded page images by URL; ``pdfs``: PDF bytes by reference;
    ``page_words``: text-layer words by (PDF, page); ``readings``: OCR readings of page
    images (words with boxes and confidences) for the boxes that follow on a page.
    """

    settings: TextExtractorSettings
    storage_settings: StorageSettings
    storage: Storage
    resolver: UrlResolver
    tesseract: TesseractProbe
    images: LruCache[object] = field(default_factory=lambda: LruCache(4))
    pdfs: LruCache[bytes | None] = field(default_factory=lambda: LruCache(4))
    page_words: LruCache[object] = field(default_factory=lambda: LruCache(16))
    readings: ReadingCache = field(default_factory=ReadingCache)

    @classmethod
    def build(cls, settings: TextExtractorSettings, storage_settings: StorageSettings) -> Services:
        """Check Tesseract (fail fast) and wire storage and resolver."""
        # Tesseract's OpenMP threads fight each other when several crops run at once
        # on few cores; one thread per Tesseract process is faster under load.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        tesseract = probe()
        wanted = [lang for lang in settings.ocr_languages.split("+") if lang]
        missing = [lang for lang in wanted if lang not in tesseract.languages]
        if missing:
            log.warning("OCR languages not installed and skipped: %s", "+".join(missing))
        lexicon()  # build the lexicon now, not during the first request
        storage = make_storage(storage_settings)
        services = cls(
            settings=settings,
            storage_settings=storage_settings,
            storage=storage,
            resolver=UrlResolver(storage_settings, storage),
            tesseract=tesseract,
            readings=ReadingCache(settings.ocr_pages_cached),
        )
        log.info(
            "text extractor ready: storage %s, tesseract %s, OCR languages %s",
            storage_settings.storage,
            tesseract.version,
            settings.ocr_languages,
        )
        return services

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Services:
        env = os.environ if environ is None else environ
        return cls.build(TextExtractorSettings.from_env(env), StorageSettings.from_env(env))
