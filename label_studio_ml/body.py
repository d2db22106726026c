"""Reading a request body within a size cap and a deadline, and parsing it as bounded JSON.

- Size: a ``Content-Length`` above ``MAX_REQUEST_BYTES`` is refused before reading;
  a chunked body is read up to the cap and refused (413) when more follows, never cut.
- Time: under gunicorn the client socket gets a time-out, so a client that stops
  sending its body holds a worker thread for at most ``BODY_READ_SECONDS`` (408).
- Shape: only ``application/json`` bodies are read (415 otherwise: a web page cannot
  post JSON as ``text/plain`` across sites without a CORS preflight); nesting deeper
  than :data:`MAX_JSON_DEPTH`, integers beyond Python's digit limit and lone
  surrogates are 400s, not 500s.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Mapping
from typing import Any

from label_studio_ml.errors import BadRequest, RequestTimeout, RequestTooLarge, UnsupportedMediaType

MAX_JSON_DEPTH = 64
_CHUNK = 64 * 1024
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def check_json_content_type(content_type: str | None) -> None:
    """:class:`UnsupportedMediaType` unless the media type is ``application/json``."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        raise UnsupportedMediaType(
            "send the body as JSON with 'Content-Type: application/json'",
            detail=f"got {media or 'no Content-Type'}"[:100],
        )


def _content_length(environ: Mapping[str, Any]) -> int | None:
    raw = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise BadRequest("the Content-Length header is not a number")
    return int(raw)


def read_body(environ: Mapping[str, Any], limit: int, seconds: float) -> bytes:
    """The whole request body: 413 above ``limit`` bytes, 408 when not sent within ``seconds``."""
    length = _content_length(environ)
    if length is not None and length > limit:
        raise RequestTooLarge(f"the request body is larger than MAX_REQUEST_BYTES={limit}")
    chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    if length is None and not (chunked or environ.get("wsgi.input_terminated")):
        return b""
    stream = environ["wsgi.input"]
    sock = environ.get("gunicorn.socket")
    ends = time.monotonic() + seconds
    want = length if length is not None else limit + 1
    parts: list[bytes] = []
    got = 0
    try:
        while got < want:
            left = ends - time.monotonic()
            if left <= 0:
                raise _too_slow(seconds)
            if isinstance(sock, socket.socket):
                sock.settimeout(left)
            chunk = stream.read(min(_CHUNK, want - got))
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
    except TimeoutError:
        raise _too_slow(seconds) from None
    finally:
        if isinstance(sock, socket.socket):
            sock.settimeout(None)
    if length is None and got > limit:
        raise RequestTooLarge(f"the request body is larger than MAX_REQUEST_BYTES={limit}")
    if length is not None and got < length:
        raise BadRequest("the request body ended before its Content-Length")
    return b"".join(parts)


def _too_slow(seconds: float) -> RequestTimeout:
    return RequestTimeout(f"the request body was not received within {seconds:g} s")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """``raw`` as a JSON object, bounded in depth; :class:`BadRequest` for anything else."""
    if not raw:
        raise BadRequest("request body is empty; send a JSON object")
    try:
        body = json.loads(raw)
    except RecursionError:
        raise BadRequest(f"request body is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except UnicodeDecodeError:
        raise BadRequest("request body is not UTF-8 JSON") from None
    except ValueError as exc:  # JSONDecodeError, or an integer beyond the digit limit
        if isinstance(exc, json.JSONDecodeError):
            raise BadRequest("request body is not valid JSON") from None
        raise BadRequest("request body holds a number too long to read") from None
    if not isinstance(body, dict):
        raise BadRequest(f"request body must be a JSON object, got {type(body).__name__}")
    check_shape(body, strings=bool(_SURROGATE_ESCAPE.search(raw)))
    return body


def check_shape(value: Any, *, strings: bool = False) -> None:
    """:class:`BadRequest` when ``value`` nests deeper than :data:`MAX_JSON_DEPTH`
    or (``strings``) holds a string with a lone surrogate. Iterative: no recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
            if strings:
                children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            if strings and isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise BadRequest(
                        "request body holds invalid Unicode (a lone surrogate)"
                    ) from None
            continue
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(f"request body is nested deeper than {MAX_JSON_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)
