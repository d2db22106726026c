"""Runs ``fit()`` for START_TRAINING in background threads, one at a time per project."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class TrainingRunner:
    """Starts background jobs; jobs of the same project run one after the other.

    The lock is per process: two gunicorn workers may still train the same
    project at once, so ``fit()`` must write its results atomically (e.g. with
    :meth:`LabelStudioMLBase.set`).
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._project_locks: dict[str, threading.Lock] = {}
        self._threads: set[threading.Thread] = set()

    def _lock_for(self, project: str) -> threading.Lock:
        with self._guard:
            return self._project_locks.setdefault(project, threading.Lock())

    def start(self, project: str, job: Callable[[], object], *, request_id: str) -> None:
        """Run ``job`` in a daemon thread; errors are logged with ``request_id``."""

        def run() -> None:
            started = time.perf_counter()
            try:
                with self._lock_for(project):
                    job()
                logger.info(
                    "training finished project=%s request_id=%s duration_ms=%.0f",
                    project,
                    request_id,
                    (time.perf_counter() - started) * 1000,
                )
            except Exception:
                logger.exception("training failed project=%s request_id=%s", project, request_id)
            finally:
                with self._guard:
                    self._threads.discard(threading.current_thread())

        thread = threading.Thread(target=run, name=f"fit-{project}-{request_id}", daemon=True)
        with self._guard:
            self._threads.add(thread)
        thread.start()

    @property
    def active(self) -> int:
        """How many training jobs are running or waiting."""
        with self._guard:
            return len(self._threads)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for every job started so far; True if all finished in time."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._guard:
            threads = list(self._threads)
        for thread in threads:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(remaining)
        return self.active == 0
