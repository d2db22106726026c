"""A small SDK for Label Studio ML backends (compatible with Label Studio 1.23)."""

from __future__ import annotations

from label_studio_ml.app import create_app
from label_studio_ml.model import LabelStudioMLBase
from label_studio_ml.response import ModelResponse, PredictionValue
from label_studio_ml.settings import SDKSettings
from label_studio_ml.state import StateStore

__all__ = [
    "LabelStudioMLBase",
    "ModelResponse",
    "PredictionValue",
    "SDKSettings",
    "StateStore",
    "create_app",
]
