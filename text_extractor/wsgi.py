"""WSGI entry point: ``gunicorn --bind :9095 --workers 1 --threads 4 text_extractor.wsgi:app``.

The app and its process-level services (settings, storage, URL resolver,
Tesseract probe, page caches) are built once, at import, from the environment.
"""

from __future__ import annotations

from label_studio_ml.app import create_app
from text_extractor.model import TextExtractorModel
from text_extractor.services import Services

app = create_app(TextExtractorModel, services=Services.from_env())
