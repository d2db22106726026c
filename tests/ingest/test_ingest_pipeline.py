"""Ingest against a real S3 endpoint (moto over HTTP) and a real Redis: render, mark, resume."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import fitz
import pytest
from PIL import Image
from s3_helpers import s3_test_client

from stratigraphy import samples
from stratigraphy_ml_backend.ingest import queue as ingest_queue
from stratigraphy_ml_backend.ingest.pipeline import IngestContext, file_url, ingest_pdf
from stratigraphy_ml_backend.ingest.runner import run_once
from stratigraphy_ml_backend.ingest.settings import IngestSettings
from stratigraphy_ml_backend.ingest.state import find_pending
from stratigraphy_ml_backend.settings import BackendSettings

DPI = 72


def _objects(client, bucket: str) -> dict[str, dict]:
    listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: o for o in listing}


@pytest.fixture()
def bucket_ctx(s3_bucket, s3_settings, tmp_path) -> Iterator[tuple[IngestContext, object, str]]:
    endpoint, bucket = s3_bucket
    storage_settings = s3_settings(endpoint, bucket)
    settings = IngestSettings(
        backend=BackendSettings(storage=storage_settings, model_dir=tmp_path),
        dpi=DPI,
        predict=False,
    )
    yield IngestContext.build(settings), s3_test_client(endpoint), bucket


def _drop(client, bucket: str) -> dict[str, bytes]:
    several = samples.several_boreholes()
    user_files = {
        "pdf/geo/page_break.pdf": samples.page_break().pdf,
        "pdf/geo/several.pdf": several.pdf,
        "pdf/geo/broken.pdf": b"%PDF-1.7\nthis is not really a PDF",
        "pdf/geo/notes.txt": b"not a pdf",
        "pdf/other/empty.pdf": b"",
    }
    for key, body in user_files.items():
        client.put_object(Bucket=bucket, Key=key, Body=body)
    return user_files


def test_every_page_rendered_markers_written_user_files_untouched(bucket_ctx) -> None:
    ctx, client, bucket = bucket_ctx
    user_files = _drop(client, bucket)
    before = _objects(client, bucket)

    summary = run_once(ctx, progress=False)

    assert (summary.done, summary.failed) == (2, 2), summary.errors
    objects = _objects(client, bucket)
    for key, body in user_files.items():  # nothing the user put there changed
        assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == body
        assert objects[key]["ETag"] == before[key]["ETag"]
    ours = [k for k in objects if k not in user_files]
    assert all(k.startswith(("png/", "ingest/")) for k in ours), ours

    for name in ("page_break", "several"):
        doc = fitz.open(stream=user_files[f"pdf/geo/{name}.pdf"], filetype="pdf")
        assert doc.page_count >= 2
        for index, page in enumerate(doc):
            png = client.get_object(Bucket=bucket, Key=f"png/geo/{name}_{index}.png")["Body"].read()
            from io import BytesIO

            image = Image.open(BytesIO(png))
            assert image.format == "PNG"
            assert abs(image.width - page.rect.width * DPI / 72) <= 1
        assert f"png/geo/{name}_{doc.page_count}.png" not in objects
        marker = json.loads(
            client.get_object(Bucket=bucket, Key=f"ingest/done/pdf/geo/{name}.pdf.json")[
                "Body"
            ].read()
        )
        assert marker["pages"] == doc.page_count
        assert marker["images"] == [f"png/geo/{name}_{i}.png" for i in range(doc.page_count)]

    for key in ("pdf/geo/broken.pdf", "pdf/other/empty.pdf"):
        failed = json.loads(
            client.get_object(Bucket=bucket, Key=f"ingest/failed/{key}.json")["Body"].read()
        )
        assert failed["pdf"] == key and failed["reason"]
    assert not any(k.startswith("png/other/") for k in objects)


def test_second_run_does_nothing_and_crash_resumes(bucket_ctx) -> None:
    ctx, client, bucket = bucket_ctx
    _drop(client, bucket)
    run_once(ctx, progress=False)
    assert find_pending(ctx.storage) == []
    again = run_once(ctx, progress=False)
    assert (again.done, again.failed, again.skipped) == (0, 0, 0)
    assert ingest_pdf(ctx, "pdf/geo/page_break.pdf").status == "skipped"

    # simulate a crash after page 0 was written: no done marker, page 1 missing
    page0 = client.head_object(Bucket=bucket, Key="png/geo/page_break_0.png")
    client.delete_object(Bucket=bucket, Key="ingest/done/pdf/geo/page_break.pdf.json")
    client.delete_object(Bucket=bucket, Key="png/geo/page_break_1.png")
    assert [p.key for p in find_pending(ctx.storage)] == ["pdf/geo/page_break.pdf"]

    outcome = ingest_pdf(ctx, "pdf/geo/page_break.pdf")
    assert (outcome.status, outcome.pages, outcome.rendered) == ("done", 2, 1)
    assert (
        client.head_object(Bucket=bucket, Key="png/geo/page_break_0.png")["LastModified"]
        == page0["LastModified"]
    )
    client.head_object(Bucket=bucket, Key="png/geo/page_break_1.png")

    # failed PDFs are retried only when asked
    assert [p.key for p in find_pending(ctx.storage, retry_failed=True)] == [
        "pdf/geo/broken.pdf",
        "pdf/other/empty.pdf",
    ]
    assert [p.key for p in find_pending(ctx.storage, project="other", retry_failed=True)] == [
        "pdf/other/empty.pdf"
    ]


def test_replaced_pdf_is_rendered_again(bucket_ctx) -> None:
    ctx, client, bucket = bucket_ctx
    client.put_object(Bucket=bucket, Key="pdf/geo/a.pdf", Body=samples.page_break().pdf)
    assert ingest_pdf(ctx, "pdf/geo/a.pdf").rendered == 2
    client.put_object(Bucket=bucket, Key="pdf/geo/a.pdf", Body=samples.boundary_column().pdf)
    outcome = ingest_pdf(ctx, "pdf/geo/a.pdf")
    assert (outcome.status, outcome.pages, outcome.rendered) == ("done", 1, 1)


def test_task_urls_follow_the_storage(bucket_ctx, tmp_path: Path) -> None:
    ctx, _, bucket = bucket_ctx
    assert file_url(ctx.settings, "png/geo/a_0.png") == f"s3://{bucket}/png/geo/a_0.png"
    local = IngestSettings.from_env(
        {
            "STORAGE": "local",
            "DATA_DIR": str(tmp_path / "data"),
            "LOCAL_FILES_DOCUMENT_ROOT": str(tmp_path),
        }
    )
    assert file_url(local, "png/geo/a_0.png") == "/data/local-files/?d=data/png/geo/a_0.png"


def test_queue_one_job_per_pdf_shared_by_workers(bucket_ctx, tmp_path: Path) -> None:
    from process_helpers import redis_server
    from redis import Redis
    from rq import Queue

    ctx, client, bucket = bucket_ctx
    _drop(client, bucket)
    with redis_server(tmp_path / "redis") as url:
        ctx = replace(ctx, settings=replace(ctx.settings, redis_url=url, queue="test-ingest"))
        ingest_queue.set_context(ctx)
        conn = Redis.from_url(url)
        queue = Queue("test-ingest", connection=conn)
        keys = [p.key for p in find_pending(ctx.storage)]
        first = ingest_queue.enqueue(queue, keys, 60)
        second = ingest_queue.enqueue(queue, keys, 60)  # already waiting: not queued again
        assert [j.id for j in first] == [j.id for j in second]
        assert queue.count == len(keys) == 4

        # a PDF another worker holds the lock of is left to that worker
        lock = conn.lock(ingest_queue.lock_key("pdf/geo/several.pdf"), timeout=60)
        assert lock.acquire(blocking=False)
        assert ingest_queue.run_job("pdf/geo/several.pdf")["status"] == "busy"
        lock.release()

        ingest_queue.run_worker(ctx.settings, burst=True)  # forks one work horse per job
        results = {j.args[0]: j.return_value(refresh=True) for j in first}
        assert {k: r["status"] for k, r in results.items()} == {
            "pdf/geo/broken.pdf": "failed",
            "pdf/geo/page_break.pdf": "done",
            "pdf/geo/several.pdf": "done",
            "pdf/other/empty.pdf": "failed",
        }
        assert find_pending(ctx.storage) == []
    ingest_queue.set_context(None)


def test_watch_reacts_to_minio_events_before_the_next_scan(bucket_ctx, tmp_path: Path) -> None:
    import threading

    from process_helpers import redis_server
    from redis import Redis

    from stratigraphy_ml_backend.ingest.runner import watch

    ctx, client, bucket = bucket_ctx
    with redis_server(tmp_path / "redis") as url:
        settings = replace(ctx.settings, redis_url=url, poll_seconds=600, events_key="test:events")
        ctx = replace(ctx, settings=settings)
        stop = threading.Event()
        thread = threading.Thread(
            target=watch, args=(ctx,), kwargs={"should_stop": stop.is_set}, daemon=True
        )
        thread.start()
        try:
            time.sleep(1.0)  # the first scan found nothing; the next one is 10 minutes away
            client.put_object(Bucket=bucket, Key="pdf/geo/new.pdf", Body=samples.page_break().pdf)
            event = [
                {
                    "Event": [
                        {
                            "eventName": "s3:ObjectCreated:Put",
                            "s3": {
                                "bucket": {"name": bucket},
                                "object": {"key": "pdf/geo/new.pdf"},
                            },
                        }
                    ],
                    "EventTime": "2026-01-01T00:00:00Z",
                }
            ]
            Redis.from_url(url).rpush("test:events", json.dumps(event))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not ctx.storage.exists(
                "ingest/done/pdf/geo/new.pdf.json"
            ):
                time.sleep(0.2)
            assert ctx.storage.exists("ingest/done/pdf/geo/new.pdf.json")
            assert ctx.storage.exists("png/geo/new_1.png")
        finally:
            stop.set()
            thread.join(timeout=15)
        assert not thread.is_alive()


def test_imported_predictions_equal_what_the_backend_predicts(tmp_path: Path) -> None:
    """Pre-annotations made by ingest are the backend's own (same regions, ids, version)."""
    from label_studio_ml.state import StateStore
    from stratigraphy_ml_backend.ingest.pipeline import page_predictions
    from stratigraphy_ml_backend.model import StratigraphyModel
    from stratigraphy_ml_backend.services import Services

    repo = Path(__file__).resolve().parents[2]
    config = (repo / "data" / "label_config.xml").read_text(encoding="utf-8")
    data = tmp_path / "data"
    (data / "pdf" / "geo").mkdir(parents=True)
    sample = samples.page_break()
    (data / "pdf" / "geo" / "kb.pdf").write_bytes(sample.pdf)
    env = {"STORAGE": "local", "DATA_DIR": str(data), "MODEL_DIR": str(tmp_path)}

    ctx = IngestContext.build(IngestSettings.from_env(env))
    assert ingest_pdf(ctx, "pdf/geo/kb.pdf").pages == 2
    images = [ctx.storage.read_bytes(f"png/geo/kb_{i}.png") for i in range(2)]
    import hashlib

    result = ctx.extractor(sample.pdf, "kb.pdf")
    ours = page_predictions(
        result, hashlib.sha256(sample.pdf).hexdigest(), images, config, ctx.settings
    )

    services = Services.from_env(env)
    model = StratigraphyModel(
        "1", config, state=StateStore(tmp_path / "state.db"), services=services
    )
    tasks = [
        {"id": i + 1, "data": {"image": f"png/geo/kb_{i}.png", "pdf": "pdf/geo/kb.pdf", "page": i}}
        for i in range(2)
    ]
    theirs = model.predict(tasks).predictions
    assert len(ours) == len(theirs) == 2
    for mine, backend in zip(ours, theirs, strict=True):
        assert mine is not None
        assert mine["result"] == backend.result
        assert mine["model_version"] == backend.model_version
        assert mine["score"] == backend.score
    labels = [
        r["value"]["rectanglelabels"][0]
        for r in ours[0]["result"]
        if r["type"] == "rectanglelabels"
    ]
    assert "Material Description" in labels and "Depth Interval" in labels
