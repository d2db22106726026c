"""Credential checks for the app: Basic auth and the webhook shared header."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Protocol

from label_studio_ml.settings import SDKSettings


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def basic_auth_ok(authorization: str | None, settings: SDKSettings) -> bool:
    """True when the ``Authorization`` header carries the configured user and password."""
    if not settings.auth_enabled or not authorization:
        return False
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, sep, password = decoded.partition(":")
    if not sep:
        return False
    # Evaluate both comparisons so timing does not reveal which one failed.
    user_ok = _same(user, settings.basic_auth_user or "")
    pass_ok = _same(password, settings.basic_auth_pass or "")
    return user_ok and pass_ok


class HeaderLookup(Protocol):
    """What is read from request headers (a dict or werkzeug's ``Headers``)."""

    def get(self, key: str, /) -> str | None: ...


def webhook_secret_ok(headers: HeaderLookup, settings: SDKSettings) -> bool:
    """True when the shared webhook header matches ``WEBHOOK_SECRET``."""
    if not settings.webhook_secret:
        return False
    given = headers.get(settings.webhook_secret_header)
    return given is not None and _same(given, settings.webhook_secret)


def request_allowed(*, is_webhook: bool, headers: HeaderLookup, settings: SDKSettings) -> bool:
    """Decide whether a request may pass.

    - Normal routes: open when basic auth is off, else they need Basic auth.
    - ``/webhook``: Label Studio's auto-created webhook sends no credentials, so
      when ``WEBHOOK_SECRET`` is set the shared header is accepted as well as
      Basic auth (START_TRAINING arrives with Basic auth). With auth on and no
      secret, ``/webhook`` needs Basic auth like every other route. With neither
      configured it is open.
    """
    authorization = headers.get("Authorization")
    if is_webhook and settings.webhook_secret:
        return webhook_secret_ok(headers, settings) or basic_auth_ok(authorization, settings)
    if not settings.auth_enabled:
        return True
    return basic_auth_ok(authorization, settings)
