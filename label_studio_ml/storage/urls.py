"""One reading of an http(s) URL: the host decided here is the host that is requested.

``urlsplit`` (the standard library) and urllib3's ``parse_url`` (what ``requests``
uses to open the connection) disagree on some spellings: a backslash ends the
authority for one and not the other, ``@`` splits off user info at different
places, control characters and whitespace are stripped by one and kept by the
other. A URL read one way to decide "is this Label Studio?" and another way to
connect can carry the Label Studio token to a foreign host.

:func:`parse_http_url` therefore refuses every URL on which the two parsers could
disagree (backslashes, user info, control characters, whitespace, non-ASCII
authorities), parses the rest once with urllib3 and returns the normalised URL
that must be requested, together with its scheme, host and port. Both the
token decision and the host allow-list use that one :class:`HttpTarget`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from label_studio_ml.errors import BadRequest

MAX_URL_LENGTH = 8192
DEFAULT_PORTS = {"http": 80, "https": 443}
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")  # control characters, space, backslash


@dataclass(frozen=True, slots=True)
class HttpTarget:
    """An http(s) URL as it will be requested, and the origin it will connect to."""

    url: str
    scheme: str
    host: str
    port: int

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _refuse(reason: str) -> BadRequest:
    return BadRequest(f"URL refused: {reason}")


def parse_http_url(url: str) -> HttpTarget:
    """The :class:`HttpTarget` of ``url``; :class:`BadRequest` for anything ambiguous."""
    if not isinstance(url, str):
        raise _refuse("not a string")
    if len(url) > MAX_URL_LENGTH:
        raise _refuse(f"longer than {MAX_URL_LENGTH} characters")
    if _UNSAFE.search(url):
        raise _refuse("it contains a backslash, whitespace or a control character")
    try:
        split = urlsplit(url)
        split_port = split.port
        parsed = parse_url(url)
    except (ValueError, LocationParseError):
        raise _refuse("it cannot be parsed") from None
    scheme = (parsed.scheme or "").lower()
    if scheme not in DEFAULT_PORTS or split.scheme.lower() != scheme:
        raise _refuse("only http:// and https:// URLs can be downloaded")
    if "@" in split.netloc or parsed.auth is not None:
        raise _refuse("user info ('user@host') is not allowed; credentials come from settings")
    if not split.netloc.isascii():
        raise _refuse("the host name must be ASCII (use its xn-- form)")
    host = (parsed.host or "").lower().strip("[]")
    if not host or host != (split.hostname or "").lower():
        raise _refuse("its host is missing or ambiguous")
    port = parsed.port if parsed.port is not None else DEFAULT_PORTS[scheme]
    if split_port is not None and split_port != parsed.port:
        raise _refuse("its port is ambiguous")
    if not 0 < port < 65536:
        raise _refuse("its port is out of range")
    return HttpTarget(url=parsed.url, scheme=scheme, host=host, port=port)


def same_origin(a: HttpTarget, b: HttpTarget) -> bool:
    return a.origin == b.origin
