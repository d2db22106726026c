"""Payloads shaped like what Label Studio 1.23.2 sends, and an app builder."""

from __future__ import annotations

import base64
import copy
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import Flask
from sdk_sample_backend.model import EchoModel

from label_studio_ml.app import create_app
from label_studio_ml.settings import SDKSettings

LABEL_CONFIG = """<View>
  <Image name="image" value="$ocr" zoom="true"/>
  <RectangleLabels name="bbox" toName="image" smart="true">
    <Label value="Material Description" background="green"/>
    <Label value="Depth Interval" background="blue"/>
  </RectangleLabels>
  <TextArea name="transcription" toName="image" editable="true" perRegion="true"
            maxSubmissions="1" displayMode="region-list"/>
  <Relations><Relation value="belongs_to"/></Relations>
</View>"""

LS_PROJECT = "3.1795363490"
USER, PASSWORD = "ls-user", "s3cr3t-pass"
SECRET_HEADER, SECRET = "X-Webhook-Secret", "hook-secret-value"


def basic(user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def make_app(tmp_path: Path, *, services: Any = None, **settings: Any) -> tuple[Flask, Any]:
    """An app serving EchoModel with state under ``tmp_path``."""
    settings.setdefault("model_dir", tmp_path / "models")
    if services is None:
        services = SimpleNamespace(release=None)
    app = create_app(EchoModel, services=services, settings=SDKSettings(**settings))
    return app, services


def released_services() -> SimpleNamespace:
    return SimpleNamespace(release=threading.Event())


def task(task_id: int, **data: Any) -> dict[str, Any]:
    """A task as TaskSimpleSerializer sends it for pre-annotation."""
    payload = {"ocr": f"/data/upload/3/page_{task_id}.png"}
    payload.update(data)
    return {
        "id": task_id,
        "data": payload,
        "meta": {},
        "created_at": "2026-11-20T10:00:00.000000Z",
        "updated_at": "2026-11-20T10:00:00.000000Z",
        "is_labeled": False,
        "overlap": 1,
        "inner_id": task_id,
        "total_annotations": 0,
        "cancelled_annotations": 0,
        "total_predictions": 1,
        "comment_count": 0,
        "unresolved_comment_count": 0,
        "last_comment_updated_at": None,
        "project": 3,
        "updated_by": None,
        "file_upload": 7,
        "comment_authors": [],
        "annotations": [],
        "predictions": [
            {
                "id": 90 + task_id,
                "result": [],
                "score": 0.0,
                "model_version": "old",
                "task": task_id,
            }
        ],
    }


def predict_body(tasks: list[dict[str, Any]], context: Any = None) -> dict[str, Any]:
    """The /predict body LS sends (pre-annotation when ``context`` is None)."""
    return {
        "tasks": tasks,
        "project": LS_PROJECT,
        "label_config": LABEL_CONFIG,
        "params": {"login": None, "password": None, "context": context},
    }


RECT_RESULT = {
    "id": "Xy12ab34Cd",
    "from_name": "bbox",
    "to_name": "image",
    "type": "rectanglelabels",
    "origin": "manual",
    "original_width": 1000,
    "original_height": 800,
    "image_rotation": 0,
    "value": {
        "x": 10.0,
        "y": 20.0,
        "width": 30.0,
        "height": 5.0,
        "rotation": 0,
        "rectanglelabels": ["Material Description"],
    },
}


def interactive_body(task_id: int = 311) -> dict[str, Any]:
    """An interactive /predict: one task with drafts and a context of one drawn box."""
    one = task(task_id)
    for key in ("is_labeled", "overlap", "file_upload", "last_comment_updated_at"):
        one.pop(key)
    one["drafts"] = [{"result": [copy.deepcopy(RECT_RESULT)], "created_at": "2026-11-20"}]
    one["allow_skip"] = True
    return predict_body([one], context={"result": [copy.deepcopy(RECT_RESULT)]})


def setup_body(extra_params: Any = None, project: Any = LS_PROJECT) -> dict[str, Any]:
    return {
        "project": project,
        "schema": LABEL_CONFIG,
        "hostname": "http://localhost:8080",
        "access_token": "1a89deadbeef84a0",
        "extra_params": extra_params,
    }


def ls_project(title: str = "Boreholes") -> dict[str, Any]:
    """The project object of webhooks (ProjectWebhookSerializer): id is an int."""
    return {
        "id": 3,
        "title": title,
        "label_config": LABEL_CONFIG,
        "parsed_label_config": {},
        "model_version": "echo-1.0",
        "min_annotations_to_start_training": 0,
        "show_collab_predictions": True,
        "evaluate_predictions_automatically": False,
        "task_data_login": "data-login",
        "task_data_password": "data-password",
        "organization": 1,
        "created_by": 1,
        "created_at": "2026-11-20T10:00:00.000000Z",
        "task_number": 2,
        "finished_task_number": 1,
        "total_annotations_number": 1,
        "num_tasks_with_annotations": 1,
        "total_predictions_number": 2,
        "useful_annotation_number": 1,
        "ground_truth_number": 0,
        "skipped_annotations_number": 0,
    }


def annotation(annotation_id: int, task_id: int) -> dict[str, Any]:
    return {
        "id": annotation_id,
        "result": [copy.deepcopy(RECT_RESULT)],
        "was_cancelled": False,
        "ground_truth": False,
        "lead_time": 12.5,
        "task": task_id,
        "project": 3,
        "completed_by": 1,
        "unique_id": f"uuid-{annotation_id}",
    }


def webhook(action: str, **overrides: Any) -> dict[str, Any]:
    """A webhook body for ``action`` with the payload keys LS sends."""
    body: dict[str, Any] = {"action": action, "project": ls_project()}
    if action in ("ANNOTATION_CREATED", "ANNOTATION_UPDATED"):
        body["annotation"] = annotation(40, 1)
        body["task"] = task(1)
    elif action == "ANNOTATIONS_CREATED":
        body["annotation"] = [annotation(41, 1), annotation(42, 2)]
        body["task"] = [task(1), task(2)]
    elif action == "ANNOTATIONS_DELETED":
        body["annotations"] = [{"id": 41}, {"id": 42}, {"id": 43}]
    elif action == "TASKS_CREATED":
        body["tasks"] = [task(5)]
    body.update(overrides)
    return body
