"""The prediction envelope a model returns from ``predict()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PredictionValue:
    """One prediction for one task: a list of Label Studio results with a score."""

    result: list[dict[str, Any]] = field(default_factory=list)
    score: float = 0.0
    model_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape Label Studio stores: ``{result, score, model_version}``."""
        return {
            "result": list(self.result),
            "score": self.score,
            "model_version": self.model_version,
        }


@dataclass
class ModelResponse:
    """What ``predict()`` returns: one entry per task, in the order of the tasks.

    An entry is a :class:`PredictionValue`, a prediction dict with a ``result``
    key, a list of those (several predictions for one task), or an exception
    instance meaning "this task failed" (the app answers an empty prediction
    for it and logs the error). ``model_version`` fills in predictions that
    carry none; the app finally sets every prediction to the project's version.
    """

    predictions: list[Any] = field(default_factory=list)
    model_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"model_version": ..., "predictions": [...]}`` with plain dicts."""

        def dump(entry: Any) -> Any:
            if isinstance(entry, PredictionValue):
                data = entry.to_dict()
            elif isinstance(entry, dict):
                data = dict(entry)
            elif isinstance(entry, list):
                return [dump(e) for e in entry]
            else:
                return entry
            if data.get("model_version") is None and self.model_version is not None:
                data["model_version"] = self.model_version
            return data

        return {
            "model_version": self.model_version,
            "predictions": [dump(p) for p in self.predictions],
        }
