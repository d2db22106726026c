"""WSGI entry point: ``gunicorn -c gunicorn.conf.py --bind :9090 stratigraphy_ml_backend.wsgi:app``.

The app and its process-level services (storage, resolver, engine-result
cache, feedback store) are built once, at import, from the environment.
"""

from __future__ import annotations

from label_studio_ml.app import create_app
from stratigraphy_ml_backend.model import StratigraphyModel
from stratigraphy_ml_backend.services import Services

app = create_app(StratigraphyModel, services=Services.from_env())
