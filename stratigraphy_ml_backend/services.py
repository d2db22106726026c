"""Process-level resources of the stratigraphy backend, built once per worker process.

Label Studio makes a new model instance for every request; everything that is
expensive or must be shared between the threads of a worker lives here and
reaches the model through ``create_app(..., services=...)``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

from label_studio_ml.storage import make_storage
from label_studio_ml.storage.base import Storage
from label_studio_ml.storage.resolver import UrlResolver
from stratigraphy.model import DocumentResult
from stratigraphy.settings import EngineSettings
from stratigraphy_ml_backend.extraction_cache import ExtractionCache, Extractor
from stratigraphy_ml_backend.feedback import FeedbackStore
from stratigraphy_ml_backend.settings import BackendSettings

log = logging.getLogger(__name__)


def engine_extractor(settings: EngineSettings | None = None) -> Extractor:
    """The real engine: ``stratigraphy.extract.extract_document`` with ``settings``."""
    from stratigraphy.extract import extract_document  # heavy imports (OpenCV) once, lazily

    def extract(data: bytes, name: str, pages: tuple[int, ...] | None = None) -> DocumentResult:
        return extract_document(data, name=name, settings=settings, pages=pages)

    return extract


@dataclass(frozen=True)
class Services:
    """Settings, storage, URL resolver, engine-result cache and feedback store."""

    settings: BackendSettings
    storage: Storage
    resolver: UrlResolver
    extractions: ExtractionCache
    feedback: FeedbackStore

    @classmethod
    def build(cls, settings: BackendSettings, extractor: Extractor | None = None) -> Services:
        storage = make_storage(settings.storage)
        services = cls(
            settings=settings,
            storage=storage,
            resolver=UrlResolver(settings.storage, storage),
            extractions=ExtractionCache(
                extractor or engine_extractor(settings.engine), settings.cache_size
            ),
            feedback=FeedbackStore.in_dir(settings.model_dir),
        )
        log.info(
            "stratigraphy backend ready: storage %s, model version %s, cache %d documents",
            settings.storage.storage,
            settings.model_version,
            settings.cache_size,
        )
        return services

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Services:
        return cls.build(BackendSettings.from_env(environ))
