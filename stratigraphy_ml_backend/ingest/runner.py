"""Find PDFs to ingest and get them done: in this process, or as RQ jobs on Redis.

- :func:`run_once` scans ``pdf/[<project>/]`` once and ingests what is new,
  with a progress bar; with Redis it queues the PDFs and (optionally) waits
  while the workers do them.
- :func:`watch` does that forever: it waits for MinIO's bucket events on a
  Redis list and also rescans the bucket every ``INGEST_POLL_SECONDS`` (the
  fallback that catches anything an event missed).

One broken PDF never stops the others: it is marked failed and the run goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tqdm import tqdm

from stratigraphy_ml_backend.ingest import state
from stratigraphy_ml_backend.ingest.events import created_keys
from stratigraphy_ml_backend.ingest.pipeline import IngestContext, IngestOutcome, ingest_pdf

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """Counts of one run (printed by the CLI)."""

    done: int = 0
    skipped: int = 0
    failed: int = 0
    queued: int = 0
    tasks_created: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, outcome: IngestOutcome) -> None:
        if outcome.status == "done":
            self.done += 1
        elif outcome.status == "failed":
            self.failed += 1
            self.errors.append(f"{outcome.key}: {outcome.reason}")
        else:
            self.skipped += 1
        self.tasks_created += outcome.tasks_created

    def line(self) -> str:
        text = (
            f"{self.done} ingested, {self.skipped} already done, {self.failed} failed, "
            f"{self.tasks_created} tasks created"
        )
        return text + (f", {self.queued} queued" if self.queued else "")


def process_locally(ctx: IngestContext, keys: Sequence[str], progress: bool = True) -> RunSummary:
    """Ingest ``keys`` one after the other in this process."""
    summary = RunSummary()
    for key in tqdm(keys, desc="ingest", unit="pdf", disable=not progress or not keys):
        try:
            outcome = ingest_pdf(ctx, key)
        except Exception as exc:  # a storage/LS outage for one PDF: report, go on
            log.exception("%s: ingest failed", key)
            outcome = IngestOutcome(key, "error", reason=f"{type(exc).__name__}: {exc}")
            summary.errors.append(f"{key}: {outcome.reason}")
            continue
        summary.add(outcome)
    return summary


def process_queued(
    ctx: IngestContext,
    keys: Sequence[str],
    wait: bool = True,
    progress: bool = True,
    poll: float = 1.0,
) -> RunSummary:
    """Queue ``keys`` as RQ jobs; with ``wait``, follow them to the end with a progress bar."""
    from rq import Queue

    from stratigraphy_ml_backend.ingest.queue import connect, enqueue

    settings = ctx.settings
    queue = Queue(settings.queue, connection=connect(settings))
    jobs = enqueue(queue, keys, settings.job_timeout)
    summary = RunSummary(queued=len(jobs))
    if not wait or not jobs:
        return summary
    summary.queued = 0
    remaining = {job.id: job for job in jobs}
    with tqdm(total=len(jobs), desc="ingest (queued)", unit="pdf", disable=not progress) as bar:
        while remaining:
            for jid, job in list(remaining.items()):
                status = job.get_status(refresh=True)
                if status == "finished":
                    result = job.return_value() or {}
                    summary.add(
                        IngestOutcome(
                            str(result.get("key", jid)),
                            str(result.get("status", "done")),
                            tasks_created=int(result.get("tasks_created") or 0),
                            reason=result.get("reason"),
                        )
                    )
                elif status in ("failed", "stopped", "canceled"):
                    summary.errors.append(f"{job.args[0] if job.args else jid}: job {status}")
                else:
                    continue
                del remaining[jid]
                bar.update(1)
            if remaining:
                time.sleep(poll)
    return summary


def submit(
    ctx: IngestContext,
    keys: Sequence[str],
    *,
    use_queue: bool,
    wait: bool = True,
    progress: bool = True,
) -> RunSummary:
    if use_queue:
        return process_queued(ctx, keys, wait=wait, progress=progress)
    return process_locally(ctx, keys, progress=progress)


def run_once(
    ctx: IngestContext,
    *,
    project: str | None = None,
    keys: Sequence[str] = (),
    retry_failed: bool = False,
    use_queue: bool = False,
    wait: bool = True,
    progress: bool = True,
) -> RunSummary:
    """Ingest the given keys, or every pending PDF under ``pdf/[<project>/]``."""
    todo = list(keys) or [p.key for p in state.find_pending(ctx.storage, project, retry_failed)]
    # a watcher scans every few seconds: an empty scan is not news
    log.log(
        logging.INFO if todo else logging.DEBUG,
        "%d PDF(s) to ingest%s",
        len(todo),
        f" in pdf/{project}/" if project else "",
    )
    return submit(ctx, todo, use_queue=use_queue, wait=wait, progress=progress)


def watch(
    ctx: IngestContext,
    *,
    project: str | None = None,
    use_queue: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Ingest new PDFs as they arrive, until ``should_stop()`` (never, by default)."""
    settings = ctx.settings
    conn = None
    if settings.redis_url:
        from stratigraphy_ml_backend.ingest.queue import connect

        conn = connect(settings)
    storage_settings = settings.storage
    prefix = f"{state.PDF_ROOT}{project}/" if project else state.PDF_ROOT
    log.info(
        "watching %s every %.0f s%s",
        prefix,
        settings.poll_seconds,
        f" and bucket events on redis list {settings.events_key!r}" if conn else "",
    )
    while not should_stop():
        summary = run_once(ctx, project=project, use_queue=use_queue, wait=False, progress=False)
        if summary.done or summary.failed or summary.queued:
            log.info("scan: %s", summary.line())
        deadline = time.monotonic() + settings.poll_seconds
        while not should_stop() and (left := deadline - time.monotonic()) > 0:
            if conn is None:
                time.sleep(min(left, 1.0))
                continue
            item = conn.blpop([settings.events_key], timeout=max(1, min(int(left), 5)))
            if item is None:
                continue
            if not isinstance(item, list | tuple) or len(item) != 2:
                # a synchronous client answers [key, value]; anything else (an awaitable of an
                # asyncio client, a proxy's odd reply) must not be indexed blindly
                log.warning("unexpected reply from Redis BLPOP: %s", type(item).__name__)
                continue
            bucket = storage_settings.s3_bucket or ""
            keys = [
                k
                for k in created_keys(item[1], bucket, storage_settings.s3_prefix)
                if k.startswith(prefix)
            ]
            if keys:
                log.info("bucket event: %s", ", ".join(keys))
                submit(ctx, keys, use_queue=use_queue, wait=False, progress=False)
