"""Per-project key/value state in SQLite, shared safely by several processes.

Every operation opens its own short-lived connection, so the store is safe to
use from many threads and from several gunicorn workers at once. Nothing is
cached in the process: a value written by one worker is seen by the next read
in any other worker. The database runs in WAL mode so readers do not block the
writer, and a busy timeout makes concurrent writers wait instead of failing.

Project keys: Label Studio names a project ``"<id>.<created-timestamp>"`` in
``/setup`` and ``/predict`` but as the integer ``id`` in webhooks. The store
keys state by the numeric id only (the text before the first dot), so
``"3.1795363490"``, ``"3"`` and ``3`` share one state. Like the reference SDK,
a re-created Label Studio database that reuses project ids inherits the old
state; delete ``state.db`` in that case.

Backends: several backends may share one ``MODEL_DIR`` (``make run`` starts
both with the same one). Each store has a ``namespace`` (the app factory uses
the model class name), so one backend's ``model_version`` or label config never
leaks into another's state for the same project.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from label_studio_ml.errors import BadRequest, ConfigError

NO_PROJECT = ""
_PROJECT_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (
    project TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (project, key)
)
"""


def project_key(project: str | int | float | None) -> str:
    """Normalise what Label Studio sends as a project to the state key.

    ``"3.1795363490"``, ``"3"``, ``3`` all give ``"3"``; ``None`` and ``""``
    give :data:`NO_PROJECT`. Anything else that is not a short plain
    identifier raises :class:`BadRequest`.
    """
    if project is None:
        return NO_PROJECT
    if isinstance(project, bool) or not isinstance(project, (str, int, float)):
        raise BadRequest(f"project must be a string or an integer, got {type(project).__name__}")
    text = str(project).strip()
    if not text:
        return NO_PROJECT
    head = text.split(".", 1)[0]
    if not _PROJECT_RE.match(head):
        raise BadRequest("project must look like '<id>' or '<id>.<timestamp>'")
    if head.isdigit():
        head = str(int(head))
    return head


class StateStore:
    """SQLite key/value store scoped by project: ``get``, ``set``, ``has``, ``delete``."""

    def __init__(
        self, path: str | Path, *, namespace: str = "", busy_timeout: float = 30.0
    ) -> None:
        self.path = Path(path)
        self.namespace = namespace
        self.busy_timeout = busy_timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._initialise()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open the state database {self.path}: {exc}") from exc

    def _initialise(self) -> None:
        # Several workers may start at once; WAL switching needs a short exclusive lock.
        for attempt in range(5):
            try:
                with self._connect() as conn:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute(_SCHEMA)
                return
            except sqlite3.OperationalError:
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def _scope(self, project: str | int | None) -> str:
        """The stored project column: ``<namespace>/<project key>`` (or the key alone)."""
        key = project_key(project)
        return f"{self.namespace}/{key}" if self.namespace else key

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
            yield conn
        finally:
            conn.close()

    def get(self, project: str | int | None, key: str, default: str | None = None) -> str | None:
        """The stored value, or ``default`` when the key is not set."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT value FROM state WHERE project = ? AND key = ?",
                (self._scope(project), key),
            ).fetchone()
        return default if row is None else row[0]

    def set(self, project: str | int | None, key: str, value: str) -> None:
        """Store ``value`` (a string) under ``key`` for ``project``."""
        if not isinstance(value, str):
            raise TypeError(f"state values must be str, got {type(value).__name__}")
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO state (project, key, value, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(project, key) DO UPDATE SET "
                "value = excluded.value, updated_at = excluded.updated_at",
                (self._scope(project), key, value, time.time()),
            )

    def has(self, project: str | int | None, key: str) -> bool:
        """True when ``key`` is set for ``project``."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT 1 FROM state WHERE project = ? AND key = ?",
                (self._scope(project), key),
            ).fetchone()
        return row is not None

    def delete(self, project: str | int | None, key: str) -> None:
        """Remove ``key`` for ``project`` (model state only, never user data)."""
        with self._connect() as conn:
            conn.execute(
                "DELETE FROM state WHERE project = ? AND key = ?", (self._scope(project), key)
            )

    def items(self, project: str | int | None) -> dict[str, str]:
        """Every key and value of ``project``."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT key, value FROM state WHERE project = ? ORDER BY key",
                (self._scope(project),),
            ).fetchall()
        return dict(rows)

    def __repr__(self) -> str:
        return f"StateStore({str(self.path)!r}, namespace={self.namespace!r})"
