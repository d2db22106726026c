"""EchoModel: a test backend whose behaviour is driven by the task data.

- ``data.fail == "raise"``: ``predict()`` raises for any batch holding this task.
- ``data.fail == "bad_document"``: this task's entry is an ``InputDocumentError``.
- ``data.sleep``: seconds to sleep before answering (to spread load over workers).
- like the real backends, it checks the request's deadline before each task.
- every prediction echoes the state key ``trained_value`` and the worker pid.
- ``fit`` records events; START_TRAINING waits for ``services.release`` (when
  given), then stores ``trained_value`` from ``project.title`` and bumps the version.
"""

from __future__ import annotations

import os
import time
from typing import Any

from label_studio_ml import deadline
from label_studio_ml.errors import InputDocumentError
from label_studio_ml.model import LabelStudioMLBase
from label_studio_ml.response import ModelResponse, PredictionValue


class EchoModel(LabelStudioMLBase):
    MODEL_VERSION = "echo-1.0"

    def setup(self) -> None:
        self.setup_calls = getattr(self, "setup_calls", 0) + 1

    def predict(
        self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None, **kwargs: Any
    ) -> ModelResponse:
        from_name, to_name, value_key = self.get_first_tag_occurence("TextArea", "Image")
        trained = self.get("trained_value", "untrained")
        predictions: list[Any] = []
        for task in tasks:
            deadline.check()
            data = task.get("data", {})
            if data.get("fail") == "raise":
                raise RuntimeError("secret-internal-detail: model exploded")
            if data.get("fail") == "bad_document":
                predictions.append(InputDocumentError(f"task {task.get('id')}: not a PDF"))
                continue
            if data.get("sleep"):
                time.sleep(float(data["sleep"]))
            result: list[dict[str, Any]] = []
            if context and context.get("result"):
                result.extend(context["result"])
            result.append(
                {
                    "id": f"t{task.get('id')}",
                    "from_name": from_name,
                    "to_name": to_name,
                    "type": "textarea",
                    "value": {"text": [trained]},
                    "meta": {
                        "pid": os.getpid(),
                        "image": data.get(value_key),
                        "kwargs": sorted(kwargs),
                        "context_is_none": context is None,
                        "extra_params": self.extra_params,
                    },
                }
            )
            predictions.append(PredictionValue(result=result, score=0.5))
        return ModelResponse(predictions=predictions)

    def fit(self, event: str, data: dict[str, Any], **kwargs: Any) -> Any:
        self.set("last_event", event)
        if event == "START_TRAINING":
            release = getattr(self.services, "release", None)
            if release is not None and not release.wait(timeout=30):
                raise TimeoutError("test never released the training")
            self.set("trained_value", str(data["project"]["title"]))
            self.bump_model_version()
            return None
        if event == "ANNOTATIONS_CREATED":
            count = len(data.get("annotation") or [])
        elif event == "ANNOTATIONS_DELETED":
            count = len(data.get("annotations") or [])
        else:
            count = 1
        self.set("annotation_events", str(int(self.get("annotation_events", "0")) + count))
        return {"seen": count}

    def metrics(self) -> dict[str, Any]:
        return {"annotation_events": int(self.get("annotation_events", "0"))}
