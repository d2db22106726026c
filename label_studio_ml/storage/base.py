"""The storage interface shared by the local and S3 implementations.

A key is a '/'-separated relative path such as ``pdf/3/report.pdf``. Keys are
checked by :func:`clean_key` before any backend touches them, so a key can never
name something outside the storage root or prefix. Storage never deletes: the
interface has no ``delete`` on purpose (user data is only ever added).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import unquote

from label_studio_ml.errors import BadRequest, ForbiddenPath

#: Longest key accepted, in UTF-8 bytes (S3's own limit). Checked before anything else,
#: so the cost of every later check and path lookup is bounded.
MAX_KEY_BYTES = 1024
_SHOWN_KEY_CHARS = 120


def show_key(key: str) -> str:
    """``key`` quoted for messages and logs: control characters escaped, long keys cut."""
    text = key if len(key) <= _SHOWN_KEY_CHARS else f"{key[:_SHOWN_KEY_CHARS]}..."
    return ascii(text) if not text.isprintable() else repr(text)


@runtime_checkable
class Storage(Protocol):
    """Read/write access to documents under one root (a directory or a bucket prefix)."""

    def read_bytes(self, key: str) -> bytes:
        """Return the whole object; NotFound when it does not exist."""
        ...

    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        """Create or replace the object atomically (readers never see half a file)."""
        ...

    def exists(self, key: str) -> bool:
        """True when a file/object exists at ``key``."""
        ...

    def list(self, prefix: str = "") -> Iterator[str]:
        """Yield the keys that start with ``prefix``, sorted."""
        ...

    def uri(self, key: str) -> str:
        """A human-readable location for logs (``file:///...`` or ``s3://...``)."""
        ...

    def local_path(self, key: str) -> AbstractContextManager[Path]:
        """Context manager yielding a real file with the object's bytes."""
        ...


def clean_key(key: str, *, allow_empty: bool = False) -> str:
    """Return ``key`` if it is a safe relative key, else raise.

    Refused with :class:`ForbiddenPath`: absolute paths, drive letters, ``..`` or
    ``.`` segments (also when percent-encoded, e.g. ``%2e%2e``), backslashes and
    NUL bytes. Empty segments (``a//b``) and keys longer than :data:`MAX_KEY_BYTES`
    are refused with :class:`BadRequest`, and so is a key that is not valid
    Unicode (lone surrogates). The check is linear in the key's length.
    A trailing '/' is kept only when ``allow_empty`` (used for list prefixes).
    """
    if not isinstance(key, str):
        raise BadRequest(f"storage key must be a string, got {type(key).__name__}")
    if key == "":
        if allow_empty:
            return ""
        raise BadRequest("storage key is empty")
    if len(key) > MAX_KEY_BYTES or len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        raise BadRequest(f"storage key is longer than {MAX_KEY_BYTES} bytes: {show_key(key)}")
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"storage key {show_key(key)} is not valid Unicode") from None
    if "\x00" in key or "\\" in key:
        raise ForbiddenPath(f"storage key {show_key(key)} contains a backslash or NUL byte")
    if key.startswith("/") or (len(key) >= 2 and key[1] == ":" and key[0].isalpha()):
        raise ForbiddenPath(
            f"storage key {show_key(key)} is absolute; keys are relative to the root"
        )
    body = key[:-1] if (allow_empty and key.endswith("/")) else key
    for segment in body.split("/"):
        if segment == "":
            raise BadRequest(f"storage key {show_key(key)} has an empty path segment")
        decoded = _fully_unquote(segment)
        if decoded in (".", "..") or "/" in decoded or "\\" in decoded or "\x00" in decoded:
            raise ForbiddenPath(f"storage key {show_key(key)} tries to leave the storage root")
    return key


def _fully_unquote(text: str, rounds: int = 5) -> str:
    for _ in range(rounds):
        decoded = unquote(text)
        if decoded == text:
            return decoded
        text = decoded
    return text


def join_key(*parts: str) -> str:
    """Join key parts with '/', ignoring empty parts and surplus slashes."""
    return "/".join(p.strip("/") for p in parts if p and p.strip("/"))
