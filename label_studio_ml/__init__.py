"""A small SDK for Label Studio ML backends (compatible with Label Studio 1.23).

The public names are imported lazily, so that ``label_studio_ml.errors`` or
``label_studio_ml.storage`` can be used (e.g. by the extraction engine) without
loading Flask.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from label_studio_ml.app import create_app
    from label_studio_ml.model import LabelStudioMLBase
    from label_studio_ml.response import ModelResponse, PredictionValue
    from label_studio_ml.settings import SDKSettings
    from label_studio_ml.state import StateStore

_EXPORTS = {
    "LabelStudioMLBase": "label_studio_ml.model",
    "ModelResponse": "label_studio_ml.response",
    "PredictionValue": "label_studio_ml.response",
    "SDKSettings": "label_studio_ml.settings",
    "StateStore": "label_studio_ml.state",
    "create_app": "label_studio_ml.app",
}

__all__ = [
    "LabelStudioMLBase",
    "ModelResponse",
    "PredictionValue",
    "SDKSettings",
    "StateStore",
    "create_app",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'label_studio_ml' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
