"""Settings of the stratigraphy backend, read from the environment once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from label_studio_ml.envvars import env_int
from label_studio_ml.settings import DEFAULT_MODEL_DIR
from label_studio_ml.storage.settings import StorageSettings
from stratigraphy.settings import EngineSettings

DEFAULT_CACHE_SIZE = 32
#: Documents up to this many pages are extracted whole for any page (one run serves them all).
DEFAULT_WHOLE_DOCUMENT_PAGES = 12


def engine_version() -> str:
    """Version of the installed engine package (in region ids and the default model version)."""
    try:
        return metadata.version("borehole-ml-backends")
    except metadata.PackageNotFoundError:
        return "0.0.0"


@dataclass(frozen=True, slots=True)
class BackendSettings:
    """Everything the stratigraphy backend needs besides the SDK's own settings.

    - ``storage``: where task files live (``STORAGE``, ``DATA_DIR``, ``S3_*``, ...).
    - ``model_dir``: ``MODEL_DIR`` (default ``./data/models``, as the SDK), where the
      feedback database lives.
    - ``cache_size``: ``EXTRACTION_CACHE_SIZE`` (default 32) engine results kept per worker
      process, keyed by the PDF's content hash.
    - ``model_version``: ``MODEL_VERSION`` (default ``stratigraphy-<package version>``);
      returned by ``/setup`` and put in every prediction.
    - ``debug_overlay_dir``: ``DEBUG_OVERLAY_DIR`` (default unset = off); when set, every
      predicted page is also written there as a PNG with its regions drawn on it.
    - ``whole_document_pages``: ``WHOLE_DOCUMENT_PAGES`` (default 12). A PDF up to this
      long is extracted whole once for all its pages; a longer one only around the page
      asked for (the page and its neighbours, for layers continued across pages), so
      the cost of a page does not grow with the length of its document.
    - ``engine``: the extraction engine's settings (``ENGINE_*`` variables).
    """

    storage: StorageSettings
    model_dir: Path
    cache_size: int = DEFAULT_CACHE_SIZE
    model_version: str = f"stratigraphy-{engine_version()}"
    engine_version: str = engine_version()
    debug_overlay_dir: Path | None = None
    engine: EngineSettings = field(default_factory=EngineSettings)
    whole_document_pages: int = DEFAULT_WHOLE_DOCUMENT_PAGES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> BackendSettings:
        version = engine_version()
        overlay = environ.get("DEBUG_OVERLAY_DIR", "").strip()
        return cls(
            storage=StorageSettings.from_env(environ),
            model_dir=Path(environ.get("MODEL_DIR", "").strip() or DEFAULT_MODEL_DIR),
            cache_size=env_int(environ, "EXTRACTION_CACHE_SIZE", DEFAULT_CACHE_SIZE, low=1),
            model_version=environ.get("MODEL_VERSION", "").strip() or f"stratigraphy-{version}",
            engine_version=version,
            debug_overlay_dir=Path(overlay) if overlay else None,
            engine=EngineSettings.from_env(environ),
            whole_document_pages=env_int(
                environ, "WHOLE_DOCUMENT_PAGES", DEFAULT_WHOLE_DOCUMENT_PAGES, low=1
            ),
        )
