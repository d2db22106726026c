"""A small Label Studio REST client: just what ingest needs.

Authentication works with both kinds of Label Studio 1.23 tokens:

- a legacy token (40 hex characters) is sent as ``Authorization: Token <key>``;
- a Personal Access Token (a JWT refresh token) is exchanged at
  ``/api/token/refresh/`` for an access token, sent as ``Bearer <access>`` and
  refreshed before its 5 minutes run out (and once more on a 401).

The token never appears in logs or exception messages.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

import requests

from label_studio_ml.errors import ConfigError, StorageError

log = logging.getLogger(__name__)

ACCESS_TOKEN_SECONDS = 240  # Label Studio's access tokens live 5 minutes; refresh earlier
PAGE_SIZE = 100


class LabelStudioError(StorageError):
    """Label Studio answered with an error (or could not be reached)."""


def is_jwt(token: str) -> bool:
    parts = token.split(".")
    return len(parts) == 3 and all(parts)


class LabelStudioClient:
    """REST calls against one Label Studio server; thread-safe, one per process."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = 60.0,
        session: requests.Session | None = None,
    ) -> None:
        if not url or not token:
            raise ConfigError("LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY are both needed")
        self.url = url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._session = session or requests.Session()
        self._access: str | None = None
        self._access_until = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LabelStudioClient({self.url!r})"

    # -------------------------------------------------------------- auth

    def _auth_header(self, force_refresh: bool = False) -> str:
        if not is_jwt(self._token):
            return f"Token {self._token}"
        with self._lock:
            if force_refresh or self._access is None or time.monotonic() >= self._access_until:
                self._access = self._refresh()
                self._access_until = time.monotonic() + ACCESS_TOKEN_SECONDS
            return f"Bearer {self._access}"

    def _refresh(self) -> str:
        try:
            response = self._session.post(
                f"{self.url}/api/token/refresh/",
                json={"refresh": self._token},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise LabelStudioError(
                f"cannot reach Label Studio at {self.url}: {type(exc).__name__}"
            ) from None
        if response.status_code != 200 or "access" not in _json(response):
            raise LabelStudioError(
                f"Label Studio refused the personal access token (HTTP {response.status_code})"
            )
        return str(_json(response)["access"])

    # -------------------------------------------------------------- transport

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one API call and return its JSON body; LabelStudioError on failure."""
        url = f"{self.url}{path}"
        for attempt in (1, 2):
            headers = {"Authorization": self._auth_header(force_refresh=attempt == 2)}
            try:
                response = self._session.request(
                    method, url, headers=headers, timeout=self._timeout, **kwargs
                )
            except requests.RequestException as exc:
                raise LabelStudioError(
                    f"{method} {path} failed: cannot reach Label Studio ({type(exc).__name__})"
                ) from None
            if response.status_code == 401 and attempt == 1 and is_jwt(self._token):
                continue  # access token expired early: refresh once and retry
            break
        if response.status_code >= 400:
            detail = _json(response).get("detail") or response.reason
            raise LabelStudioError(f"{method} {path}: HTTP {response.status_code}: {detail}")
        return _json(response) if response.content else {}

    # -------------------------------------------------------------- API

    def project(self, project_id: int) -> dict[str, Any]:
        return dict(self.request("GET", f"/api/projects/{project_id}"))

    def tasks(
        self, project_id: int, filters: Sequence[dict[str, Any]] = ()
    ) -> list[dict[str, Any]]:
        """All tasks of a project (every page of the listing), optionally filtered."""
        query = json.dumps({"filters": {"conjunction": "and", "items": list(filters)}})
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.request(
                "GET",
                "/api/tasks",
                params={
                    "project": project_id,
                    "page": page,
                    "page_size": PAGE_SIZE,
                    "query": query,
                    "fields": "all",
                },
            )
            batch = body.get("tasks", body.get("items", []))
            found.extend(batch)
            total = body.get("total")
            if not batch or len(batch) < PAGE_SIZE or (total is not None and len(found) >= total):
                return found
            page += 1

    def tasks_with_data(self, project_id: int, field: str, value: str) -> list[dict[str, Any]]:
        """Tasks whose ``data.<field>`` equals ``value``."""
        item = {
            "filter": f"filter:tasks:data.{field}",
            "operator": "equal",
            "type": "String",
            "value": value,
        }
        tasks = self.tasks(project_id, [item])
        # the filter is a convenience; check the value ourselves as well
        return [t for t in tasks if (t.get("data") or {}).get(field) == value]

    def import_tasks(self, project_id: int, tasks: Sequence[dict[str, Any]]) -> list[int]:
        """Create tasks (with their ``predictions``) in one import; returns their ids."""
        body = self.request(
            "POST",
            f"/api/projects/{project_id}/import",
            params={"return_task_ids": "true"},
            json=list(tasks),
        )
        return [int(i) for i in body.get("task_ids", [])]


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"items": body}
