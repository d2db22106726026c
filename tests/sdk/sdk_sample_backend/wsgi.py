"""``gunicorn sdk_sample_backend.wsgi:app`` (settings from the environment)."""

from __future__ import annotations

from label_studio_ml.app import create_app
from label_studio_ml.settings import SDKSettings
from sdk_sample_backend.model import EchoModel

app = create_app(EchoModel, settings=SDKSettings.from_env())
