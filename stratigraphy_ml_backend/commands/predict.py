"""``predict``: pre-annotate Label Studio tasks outside Label Studio.

``python -m stratigraphy_ml_backend predict TASKS.json -o predictions.json``
reads tasks (a JSON list of tasks, ``{"tasks": [...]}``, or one task), runs the
same model as the backend on each, and writes Label Studio's import format:
the tasks, each with ``predictions: [{result, score, model_version}]``. Files
are read through the configured storage (``STORAGE``, ``DATA_DIR``, ``S3_*``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from label_studio_ml.errors import BackendError

log = logging.getLogger(__name__)

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "data" / "label_config.xml"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "predict",
        help="pre-annotate Label Studio tasks (JSON) into the import format",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument(
        "tasks", type=Path, help="tasks JSON file (list, {'tasks': [...]} or one task)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="predictions JSON to write"
    )
    parser.add_argument(
        "--label-config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="labeling config XML (default: data/label_config.xml)",
    )
    parser.add_argument("--project", default=None, help="project id used for the feedback record")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def load_tasks(path: Path) -> list[dict[str, Any]]:
    """Tasks from a file; BackendError-free ValueError with a clear message when malformed."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from None
    if isinstance(raw, dict) and isinstance(raw.get("tasks"), list):
        raw = raw["tasks"]
    elif isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ValueError(f"{path} must hold a list of task objects")
    # Label Studio's import format also accepts bare data dicts: wrap them.
    return [t if isinstance(t.get("data"), dict) else {"data": t} for t in raw]


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from label_studio_ml.settings import SDKSettings
    from label_studio_ml.state import StateStore
    from stratigraphy_ml_backend.model import StratigraphyModel
    from stratigraphy_ml_backend.services import Services

    try:
        tasks = load_tasks(args.tasks)
        label_config = args.label_config.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        services = Services.from_env()
    except BackendError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    state = StateStore(SDKSettings.from_env().state_path)
    model = StratigraphyModel(args.project, label_config, state=state, services=services)
    out: list[dict[str, Any]] = []
    empty = 0
    for task in tqdm(tasks, desc="predict", unit="task", disable=args.no_progress, file=sys.stderr):
        prediction = model.predict_tasks([task])[0]
        predictions = prediction if isinstance(prediction, list) else [prediction]
        empty += all(not p["result"] for p in predictions)
        out.append(
            {**{k: v for k, v in task.items() if k != "predictions"}, "predictions": predictions}
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(out)} tasks written to {args.output} ({empty} without regions)", file=sys.stderr)
    return 0
