"""One PDF = one RQ job on Redis, so any number of worker processes share a backlog.

- :func:`enqueue` puts a job per PDF key on the ingest queue; the job id is
  derived from the key, so a PDF already waiting or running is not queued twice.
- :func:`run_job` is what a worker executes. It takes a Redis lock per PDF so
  two workers never ingest the same PDF at once (which could duplicate tasks).
- :func:`run_worker` runs an RQ worker; the ingest context (storage, Label
  Studio client, engine imports) is built once before it starts, so the
  per-job work horses inherit it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from collections.abc import Iterable
from typing import Any

from redis import Redis
from rq import Queue, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from stratigraphy_ml_backend.ingest.pipeline import IngestContext, ingest_pdf
from stratigraphy_ml_backend.ingest.settings import IngestSettings

log = logging.getLogger(__name__)

ACTIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
RESULT_TTL = 7 * 24 * 3600

_context: IngestContext | None = None


def context() -> IngestContext:
    """The ingest context of this process, built from the environment on first use."""
    global _context
    if _context is None:
        _context = IngestContext.build(IngestSettings.from_env())
    return _context


def set_context(ctx: IngestContext | None) -> None:
    global _context
    _context = ctx


def connect(settings: IngestSettings) -> Redis:
    assert settings.redis_url, "REDIS_URL is not set"
    return Redis.from_url(settings.redis_url)


def job_id(key: str) -> str:
    return "ingest-" + hashlib.sha1(key.encode()).hexdigest()[:24]


def lock_key(key: str) -> str:
    return "ingest:lock:" + hashlib.sha1(key.encode()).hexdigest()


def enqueue(queue: Queue, keys: Iterable[str], timeout: int) -> list[Job]:
    """Queue one job per key unless that key's job is already waiting or running."""
    jobs: list[Job] = []
    for key in keys:
        jid = job_id(key)
        try:
            existing = Job.fetch(jid, connection=queue.connection)
            if existing.get_status(refresh=True) in ACTIVE:
                jobs.append(existing)
                continue
        except NoSuchJobError:
            pass
        jobs.append(
            queue.enqueue(
                run_job,
                key,
                job_id=jid,
                job_timeout=timeout,
                result_ttl=RESULT_TTL,
                failure_ttl=RESULT_TTL,
                description=f"ingest {key}",
            )
        )
    return jobs


def run_job(key: str) -> dict[str, Any]:
    """RQ job: ingest one PDF under a per-PDF Redis lock."""
    ctx = context()
    conn = connect(ctx.settings)
    lock = conn.lock(lock_key(key), timeout=ctx.settings.job_timeout, blocking=False)
    if not lock.acquire():
        log.info("%s: another worker is ingesting it", key)
        return {"key": key, "status": "busy"}
    try:
        return ingest_pdf(ctx, key).as_dict()
    finally:
        try:
            lock.release()
        except Exception:  # expired while we worked: nothing left to release
            log.warning("%s: lock had expired before the job finished", key)


def run_worker(settings: IngestSettings, burst: bool = False) -> bool:
    """Work on the ingest queue until stopped (or until it is empty, with ``burst``)."""
    ctx = context()
    if ctx.settings.predict:
        import stratigraphy.extract  # noqa: F401  (imported once, before jobs fork)
    conn = connect(settings)
    queue = Queue(settings.queue, connection=conn)
    name = f"ingest-{socket.gethostname()}-{os.getpid()}"
    worker = Worker([queue], connection=conn, name=name)
    log.info("ingest worker %s on queue %r", name, settings.queue)
    return bool(worker.work(burst=burst, logging_level="INFO"))
