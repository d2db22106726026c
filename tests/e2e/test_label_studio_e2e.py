"""Drop a PDF into the bucket and find it pre-annotated in a real Label Studio.

Everything after start-up goes through Label Studio's REST API only, exactly
as a user's browser would: create the project, connect both backends, ingest,
look at tasks and predictions, ask for an interactive transcription of a drawn
box, submit an annotation and see the backend count it.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from pathlib import Path

import fitz
import pytest
import requests

from stratigraphy import samples

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PROJECT_FOLDER = "geo"
REPO = Path(__file__).resolve().parents[2]
DPI = 100


def _ok(response: requests.Response, status: int | tuple[int, ...] = (200, 201)) -> dict:
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (
        f"{response.request.method} {response.url}: {response.status_code} {response.text[:500]}"
    )
    return response.json() if response.content else {}


def _ingest_env(stack, project_id: int, token: str) -> dict[str, str]:
    """The ingest worker's environment: queue on Redis, tasks into ``project_id``."""
    return {
        **stack.env,
        "REDIS_URL": stack.redis_url,
        "LABEL_STUDIO_PROJECT_ID": str(project_id),
        "LABEL_STUDIO_API_KEY": token,
        "INGEST_DPI": str(DPI),
        "MODEL_DIR": str(stack.workdir / "ingest-models"),
    }


def _ingest(stack, project_id: int, token: str, *args: str) -> subprocess.CompletedProcess:
    env = _ingest_env(stack, project_id, token)
    return subprocess.run(
        [sys.executable, "-m", "stratigraphy_ml_backend", "ingest", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _add_s3_storage(stack, project_id: int) -> None:
    """An S3 source storage over png/, not presigned: Label Studio proxies the page images."""
    _ok(
        stack.api(
            "POST",
            "/api/storages/s3",
            json={
                "project": project_id,
                "title": "bucket",
                "bucket": stack.bucket,
                "prefix": "png/",
                "s3_endpoint": stack.s3_endpoint,
                "aws_access_key_id": stack.env["AWS_ACCESS_KEY_ID"],
                "aws_secret_access_key": stack.env["AWS_SECRET_ACCESS_KEY"],
                "region_name": "us-east-1",
                "presign": False,
                "use_blob_urls": True,
            },
        )
    )


def _start_worker(stack, project_id: int, token: str) -> subprocess.Popen:
    env = _ingest_env(stack, project_id, token)
    log = (stack.workdir / "ingest-worker.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "stratigraphy_ml_backend", "ingest", "--worker"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _project_tasks(stack, project_id: int) -> list[dict]:
    body = _ok(
        stack.api(
            "GET", "/api/tasks", params={"project": project_id, "page_size": 100, "fields": "all"}
        )
    )
    return sorted(body["tasks"], key=lambda t: t["data"]["page"])


def _percent_box(page: fitz.Page, rect: list[float]) -> dict[str, float]:
    width, height = page.rect.width, page.rect.height
    x0, y0, x1, y1 = rect
    pad = 2.0
    return {
        "x": (x0 - pad) / width * 100,
        "y": (y0 - pad) / height * 100,
        "width": (x1 - x0 + 2 * pad) / width * 100,
        "height": (y1 - y0 + 2 * pad) / height * 100,
        "rotation": 0,
    }


def test_pdf_in_bucket_becomes_pre_annotated_tasks(stack) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    config = (REPO / "data" / "label_config.xml").read_text(encoding="utf-8")
    project = _ok(
        stack.api("POST", "/api/projects", json={"title": "Boreholes e2e", "label_config": config})
    )
    pid = project["id"]

    # both backends, the text extractor interactive
    backend = _ok(
        stack.api(
            "POST",
            "/api/ml",
            json={
                "url": stack.backend_url,
                "project": pid,
                "title": "stratigraphy",
                "is_interactive": False,
            },
        )
    )
    extractor = _ok(
        stack.api(
            "POST",
            "/api/ml",
            json={
                "url": stack.extractor_url,
                "project": pid,
                "title": "text-extractor",
                "is_interactive": True,
            },
        )
    )
    for ml in (backend, extractor):
        state = _ok(stack.api("GET", f"/api/ml/{ml['id']}"))
        assert state["state"] == "CO", state
    model_version = _ok(stack.api("GET", f"/api/ml/{backend['id']}"))["model_version"]
    assert model_version

    # a Personal Access Token for the ingest worker (refresh -> Bearer access token)
    pat = _ok(stack.api("POST", "/api/token/"))["token"]

    # drop a generated two-page PDF (and a broken one) into the bucket
    sample = samples.page_break()
    s3 = stack.s3()
    pdf_key = f"pdf/{PROJECT_FOLDER}/{sample.name}.pdf"
    s3.put_object(Bucket=stack.bucket, Key=pdf_key, Body=sample.pdf)
    s3.put_object(Bucket=stack.bucket, Key=f"pdf/{PROJECT_FOLDER}/broken.pdf", Body=b"%PDF-1.4 x")
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    assert doc.page_count == 2

    worker = _start_worker(stack, pid, pat)
    try:
        ingest_started = time.monotonic()
        run = _ingest(stack, pid, pat, "--once", "--no-progress")
        stack.timings["ingest_s"] = time.monotonic() - ingest_started
        assert run.returncode == 0, run.stdout + run.stderr
        assert "1 ingested" in run.stdout and "1 failed" in run.stdout, run.stdout + run.stderr

        tasks = _project_tasks(stack, pid)
        assert [t["data"]["page"] for t in tasks] == [0, 1]
        for task in tasks:
            page = task["data"]["page"]
            assert (
                task["data"]["image"]
                == f"s3://{stack.bucket}/png/{PROJECT_FOLDER}/{sample.name}_{page}.png"
            )
            assert task["data"]["pdf"] == f"s3://{stack.bucket}/{pdf_key}"
            assert len(task["predictions"]) == 1
            prediction = task["predictions"][0]
            assert prediction["model_version"] == model_version
        labels = [
            r["value"]["rectanglelabels"][0]
            for r in tasks[0]["predictions"][0]["result"]
            if r["type"] == "rectanglelabels"
        ]
        assert labels.count("Material Description") >= 3, labels
        assert "Depth Interval" in labels
        texts = [
            r["value"]["text"][0]
            for r in tasks[0]["predictions"][0]["result"]
            if r["type"] == "textarea"
        ]
        first_layer = sample.truth[0]["layers"][0]["material_description"]
        assert any(first_layer.split(",")[0] in t for t in texts), texts

        # the failure is marked in the bucket, the PDF itself untouched
        failed = json.loads(
            s3.get_object(
                Bucket=stack.bucket, Key=f"ingest/failed/pdf/{PROJECT_FOLDER}/broken.pdf.json"
            )["Body"].read()
        )
        assert failed["reason"]
        assert s3.get_object(Bucket=stack.bucket, Key=pdf_key)["Body"].read() == sample.pdf

        # ingesting again (even when forced for this PDF) creates no duplicates
        s3.delete_object(Bucket=stack.bucket, Key=f"ingest/done/{pdf_key}.json")
        again = _ingest(stack, pid, pat, pdf_key, "--no-progress")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "0 tasks created" in again.stdout, again.stdout
        assert [t["id"] for t in _project_tasks(stack, pid)] == [t["id"] for t in tasks]
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    # the browser's way to the page image: an S3 source storage, proxied by Label Studio
    _add_s3_storage(stack, pid)
    fileuri = base64.urlsafe_b64encode(tasks[0]["data"]["image"].encode()).decode()
    image = stack.api("GET", f"/tasks/{tasks[0]['id']}/resolve/", params={"fileuri": fileuri})
    assert image.status_code == 200, image.text[:300]
    assert image.content.startswith(b"\x89PNG")
    shown = _ok(stack.api("GET", f"/api/tasks/{tasks[0]['id']}"))["data"]["image"]
    assert "/resolve/" in shown, shown  # what the editor loads: proxied through Label Studio
    assert (
        requests.get(
            f"{stack.ls_url}{shown}" if shown.startswith("/") else shown,
            headers={"Authorization": f"Token {stack.api_token}"},
            timeout=30,
        ).content
        == image.content
    )

    # interactive: draw a box around the first layer's description on page 0
    layer = sample.truth[0]["layers"][0]
    box = _percent_box(doc[0], layer["material_description_rect"])
    drawn = {
        "id": "drawn1",
        "from_name": "label",
        "to_name": "image",
        "type": "rectanglelabels",
        "original_width": round(doc[0].rect.width * DPI / 72),
        "original_height": round(doc[0].rect.height * DPI / 72),
        "image_rotation": 0,
        "value": {**box, "rectanglelabels": ["Material Description"]},
    }
    answer = _ok(
        stack.api(
            "POST",
            f"/api/ml/{extractor['id']}/interactive-annotating",
            json={"task": tasks[0]["id"], "context": {"result": [drawn]}},
        )
    )
    assert "errors" not in answer, answer
    results = answer["data"]["result"]
    text = [r for r in results if r["type"] == "textarea"]
    assert text and text[0]["id"] == "drawn1"
    got = " ".join(text[0]["value"]["text"])
    for word in ("Mergel", "verwittert", "gelblich"):
        assert word in got, got
    assert any(r["type"] == "rectanglelabels" and r["id"] == "drawn1" for r in results)

    # submit an annotation: Label Studio's webhook reaches the backend, /metrics counts it
    before = requests.get(f"{stack.backend_url}/metrics", timeout=10).json()
    submitted = tasks[0]["predictions"][0]["result"]
    _ok(
        stack.api(
            "POST",
            f"/api/tasks/{tasks[0]['id']}/annotations",
            json={"result": submitted, "lead_time": 12.5},
        ),
        201,
    )
    deadline = time.monotonic() + 30
    counted = 0
    while time.monotonic() < deadline:
        metrics = requests.get(f"{stack.backend_url}/metrics", timeout=10).json()
        counted = metrics.get("projects", {}).get(str(pid), {}).get("annotations", 0)
        if counted:
            break
        time.sleep(0.5)
    assert counted == 1, (before, metrics)
    assert metrics["projects"][str(pid)]["compared"] == 1, metrics

    stack.timings["test_s"] = time.monotonic() - started
    print("\ne2e timings:", json.dumps({k: round(v, 1) for k, v in stack.timings.items()}))
