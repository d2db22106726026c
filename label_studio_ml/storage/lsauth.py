"""Authorization for requests to Label Studio (legacy token or Personal Access Token).

Label Studio 1.23 knows two kinds of API keys:

- a legacy DRF token (40 hex characters), sent as ``Authorization: Token <key>``;
- a Personal Access Token, which is a long-lived JWT *refresh* token. It is
  exchanged through ``POST /api/token/refresh/`` for an access token that lives
  5 minutes and is sent as ``Authorization: Bearer <access>``.

:class:`LabelStudioAuth` hides the difference. Access tokens are cached per
process and renewed before they expire; the cache is guarded by a lock so
threads share one token. Tokens never appear in messages or logs.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
import time
from typing import Any

import requests

from label_studio_ml import deadline
from label_studio_ml.errors import StorageError, TransientStorageError

log = logging.getLogger(__name__)

ACCESS_TOKEN_MAX_AGE = 240.0  # seconds; LS access tokens live 300 s
EXPIRY_MARGIN = 30.0


def _b64url_json(part: str) -> Any:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def is_jwt(token: str) -> bool:
    """True when ``token`` looks like a JWT: three base64url parts, a JSON header with ``alg``."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        return False
    try:
        header = _b64url_json(parts[0])
        _b64url_json(parts[1])
    except (ValueError, binascii.Error, UnicodeError):
        return False
    return isinstance(header, dict) and "alg" in header


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT (seconds since the epoch), if readable."""
    try:
        exp = _b64url_json(token.split(".")[1]).get("exp")
    except (ValueError, binascii.Error, UnicodeError, IndexError, AttributeError):
        return None
    return float(exp) if isinstance(exp, int | float) else None


class LabelStudioAuth:
    """Builds the Authorization header for one Label Studio instance."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        session: requests.Session,
        timeout: float,
        *,
        clock: Any = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._session = session
        self._timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._access: str | None = None
        self._access_valid_until = 0.0
        self.is_personal_access_token = is_jwt(api_key)

    def __repr__(self) -> str:
        kind = "personal access token" if self.is_personal_access_token else "legacy token"
        return f"LabelStudioAuth({self.base_url!r}, {kind})"

    def headers(self) -> dict[str, str]:
        """The Authorization header to send to Label Studio now."""
        if not self.is_personal_access_token:
            return {"Authorization": f"Token {self._api_key}"}
        return {"Authorization": f"Bearer {self._access_token()}"}

    def invalidate(self) -> None:
        """Forget the cached access token (e.g. after Label Studio answered 401)."""
        with self._lock:
            self._access = None
            self._access_valid_until = 0.0

    def _access_token(self) -> str:
        with self._lock:
            now = self._clock()
            if self._access is None or now >= self._access_valid_until:
                self._access = self._refresh()
                valid_until = now + ACCESS_TOKEN_MAX_AGE
                exp = jwt_expiry(self._access)
                if exp is not None:
                    valid_until = min(valid_until, exp - EXPIRY_MARGIN)
                self._access_valid_until = valid_until
            return self._access

    def _refresh(self) -> str:
        url = f"{self.base_url}/api/token/refresh/"
        try:
            response = self._session.post(
                url,
                json={"refresh": self._api_key},
                timeout=deadline.time_left(self._timeout),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise TransientStorageError(
                f"cannot reach Label Studio at {self.base_url} to refresh the personal access "
                f"token: {type(exc).__name__}"
            ) from None
        if response.status_code != 200:
            raise TransientStorageError(
                f"Label Studio refused the personal access token in LABEL_STUDIO_API_KEY "
                f"(HTTP {response.status_code} from /api/token/refresh/); create a new token "
                "in Label Studio under Account & Settings"
            )
        try:
            access = response.json()["access"]
        except (ValueError, KeyError, TypeError):
            access = None
        if not isinstance(access, str) or not access:
            raise StorageError("Label Studio's /api/token/refresh/ answer has no access token")
        log.debug("refreshed the Label Studio access token")
        return access
