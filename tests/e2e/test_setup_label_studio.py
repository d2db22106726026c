"""`setup-label-studio` against a real Label Studio: ready project, idempotent, clear errors.

The stack (conftest.py) runs Label Studio, both backends on S3 (moto) and Redis; the
bootstrap runs as the CLI does in compose and in `make run`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
TITLE = "Bootstrap boreholes"
CLI = (sys.executable, "-m", "stratigraphy_ml_backend")


def _env(stack, **extra: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        **stack.env,
        "LABEL_STUDIO_URL": stack.ls_url,
        "LABEL_STUDIO_USERNAME": stack.username,
        "LABEL_STUDIO_PASSWORD": stack.password,
        "LABEL_STUDIO_USER_TOKEN": stack.api_token,
        "LABEL_STUDIO_PROJECT_TITLE": TITLE,
        "STRATIGRAPHY_BACKEND_URL": stack.backend_url,
        "TEXT_EXTRACTOR_URL": stack.extractor_url,
        **extra,
    }


def _setup(stack, **extra: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "stratigraphy_ml_backend", "setup-label-studio", "--wait", "60"],
        env=_env(stack, **extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _get(stack, path: str, **params: object) -> list[dict]:  # type: ignore[type-arg]
    response = stack.api("GET", path, params=params)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    return body.get("results", body) if isinstance(body, dict) else body


def _state(stack) -> dict[str, object]:
    projects = [p for p in _get(stack, "/api/projects", page_size=100) if p["title"] == TITLE]
    assert len(projects) == 1, projects
    pid = projects[0]["id"]
    return {
        "project": projects[0],
        "backends": sorted(
            _get(stack, "/api/ml", project=pid), key=lambda b: str(b["url"]).endswith("9095")
        ),
        "storages": _get(stack, "/api/storages/s3", project=pid),
        "webhooks": [w for w in _get(stack, "/api/webhooks", project=pid) if w["project"] == pid],
    }


def test_bootstrap_makes_a_ready_project_and_a_rerun_creates_nothing(stack, tmp_path: Path) -> None:
    first = _setup(stack)
    assert first.returncode == 0, first.stderr + first.stdout
    assert f"{stack.ls_url}/projects/" in first.stdout
    assert stack.api_token not in first.stdout + first.stderr
    state = _state(stack)
    project = state["project"]
    backends = {b["url"]: b for b in state["backends"]}  # type: ignore[attr-defined]
    assert set(backends) == {stack.backend_url, stack.extractor_url}
    assert all(b["state"] == "CO" for b in backends.values()), backends
    assert backends[stack.extractor_url]["is_interactive"] is True
    assert backends[stack.backend_url]["is_interactive"] is False
    version = backends[stack.backend_url]["model_version"]
    assert version.startswith("stratigraphy-")
    assert project["model_version"] == version  # type: ignore[index]
    (storage,) = state["storages"]  # type: ignore[misc]
    assert (storage["bucket"], storage["prefix"]) == (stack.bucket, "")
    assert storage["regex_filter"] == r"^png/.*\.png$"
    assert storage["presign"] is False and storage["use_blob_urls"] is True
    hooks = [w["url"] for w in state["webhooks"]]  # type: ignore[attr-defined]
    assert f"{stack.backend_url}/webhook" in hooks

    second = _setup(stack)
    assert second.returncode == 0, second.stderr + second.stdout
    assert "  + " not in second.stdout, second.stdout  # nothing done twice
    again = _state(stack)
    assert [b["id"] for b in again["backends"]] == [b["id"] for b in state["backends"]]  # type: ignore[attr-defined]
    assert len(again["storages"]) == 1  # type: ignore[arg-type]
    assert len(again["webhooks"]) == len(state["webhooks"])  # type: ignore[arg-type]

    # a changed labeling config is applied to the same project
    config = tmp_path / "label_config.xml"
    text = (REPO / "data" / "label_config.xml").read_text(encoding="utf-8")
    name_label = re.search(r'<Label value="Borehole Name"[^>]*/>', text)
    assert name_label, "the label config has no Borehole Name label"
    config.write_text(
        text.replace(
            name_label.group(0),
            name_label.group(0) + '\n    <Label value="Sample" background="#444444"/>',
        ),
        encoding="utf-8",
    )
    third = _setup(stack, LABEL_CONFIG=str(config))
    assert third.returncode == 0, third.stderr + third.stdout
    assert "updated the labeling config" in third.stdout
    assert 'value="Sample"' in _state(stack)["project"]["label_config"]  # type: ignore[index]

    # ingest finds the project by its title
    check = subprocess.run(
        [sys.executable, "-m", "stratigraphy_ml_backend", "ingest", "--check"],
        env={
            **_env(stack),
            "LABEL_STUDIO_API_KEY": stack.api_token,
            "STORAGE": "s3",
            "S3_BUCKET": stack.bucket,
        },
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0 and check.stdout.strip() == "ok", check.stderr


def test_a_refused_token_is_a_clear_error_without_the_token(stack) -> None:
    wrong = "wrong0token0for0the0bootstrap0test000000"
    result = _setup(stack, LABEL_STUDIO_USER_TOKEN=wrong, LS_VENV="")
    assert result.returncode == 2
    assert "refuses the token" in result.stderr
    assert wrong not in result.stdout + result.stderr


def _box(rid: str, label: str, text: str, x: float, y: float) -> list[dict]:  # type: ignore[type-arg]
    geometry = {"x": x, "y": y, "width": 20, "height": 3, "rotation": 0}
    common = {"id": rid, "to_name": "image", "original_width": 1000, "original_height": 1400}
    return [
        {
            **common,
            "from_name": "label",
            "type": "rectanglelabels",
            "value": {**geometry, "rectanglelabels": [label]},
        },
        {
            **common,
            "from_name": "transcription",
            "type": "textarea",
            "value": {**geometry, "text": [text]},
        },
    ]


def test_export_reads_the_checked_project_through_the_api(stack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert _setup(stack).returncode == 0
    (project,) = [p for p in _get(stack, "/api/projects", page_size=100) if p["title"] == TITLE]
    pdf = f"s3://{stack.bucket}/pdf/geo/checked.pdf"
    tasks = [
        {"data": {"image": f"s3://{stack.bucket}/png/geo/checked_{i}.png", "pdf": pdf, "page": i}}
        for i in range(2)
    ]
    response = stack.api(
        "POST",
        f"/api/projects/{project['id']}/import",
        params={"return_task_ids": "true"},
        json=tasks,
    )
    assert response.status_code == 201, response.text[:300]
    ids = response.json()["task_ids"]
    pages = [
        [
            *_box("d1", "Material Description", "Kies, sandig", 30, 10),
            *_box("i1", "Depth Interval", "start: 0 end: 2.5", 5, 10),
            {"type": "relation", "from_id": "d1", "to_id": "i1", "direction": "right"},
        ],
        [
            *_box("d2", "Material Description", "Molasse", 30, 10),
            *_box("i2", "Depth Interval", "2,50 - 7,00 m", 5, 10),
            {"type": "relation", "from_id": "i2", "to_id": "d2", "direction": "left"},
        ],
    ]
    for task_id, result in zip(ids, pages, strict=True):
        answer = stack.api("POST", f"/api/tasks/{task_id}/annotations", json={"result": result})
        assert answer.status_code == 201, answer.text[:300]

    out = tmp_path / "checked.json"
    run = subprocess.run(
        [*CLI, "export", "--project", TITLE, "-o", str(out), "--no-pdf-boxes"],
        env={**_env(stack), "LABEL_STUDIO_API_KEY": stack.api_token},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr

    (hole,) = json.loads(out.read_text(encoding="utf-8"))["checked.pdf"]
    assert [
        (la["page"], la["material_description"], la["depth_interval"]) for la in hole["layers"]
    ] == [
        (1, "Kies, sandig", {"start": 0, "end": 2.5}),
        (2, "Molasse", {"start": 2.5, "end": 7}),
    ]
    assert [la["task"] for la in hole["layers"]] == ids


def test_a_missing_user_is_created_with_the_local_label_studio(stack) -> None:  # type: ignore[no-untyped-def]
    venv = Path(os.environ.get("LS_VENV") or REPO / ".venv-ls")
    token = "second0user0token0for0the0setup0test000"
    result = _setup(
        stack,
        LABEL_STUDIO_USERNAME="second@example.com",
        LABEL_STUDIO_USER_TOKEN=token,
        LS_VENV=str(venv),
        LABEL_STUDIO_BASE_DATA_DIR=str(stack.workdir / "ls-data"),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "created user second@example.com" in result.stdout
    whoami = stack.api(
        "GET", "/api/current-user/whoami", headers={"Authorization": f"Token {token}"}
    )
    assert whoami.status_code == 200 and whoami.json()["email"] == "second@example.com"
