"""The Label Studio token never reaches another host, whatever the URL spelling.

Two real HTTP servers on loopback: a stand-in for Label Studio and a foreign
host on another port. URLs that URL parsers read differently (backslashes,
user info, control characters, whitespace) are refused before any request.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest
from fake_http import LEGACY_TOKEN, PAT, FakeServer

from label_studio_ml.errors import BackendError, BadRequest, ConfigError, ForbiddenPath
from label_studio_ml.storage import LocalStorage, StorageSettings
from label_studio_ml.storage.resolver import UrlResolver
from label_studio_ml.storage.urls import parse_http_url


@pytest.fixture()
def servers():
    ls, foreign = FakeServer().start(), FakeServer().start()
    ls.files["/f.pdf"] = b"LS"
    foreign.files["/f.pdf"] = b"FOREIGN"
    yield ls, foreign
    ls.stop()
    foreign.stop()


def _resolver(tmp_path, ls: FakeServer, foreign: FakeServer, key: str) -> UrlResolver:
    settings = replace(
        StorageSettings(data_dir=tmp_path),
        label_studio_url=ls.url,
        label_studio_api_key=key,
        allowed_fetch_hosts=frozenset({foreign.url.split("//", 1)[1]}),
    )
    return UrlResolver(settings, LocalStorage(tmp_path))


def _port(url: str) -> str:
    return url.rsplit(":", 1)[1]


@pytest.mark.parametrize("key", [LEGACY_TOKEN, PAT], ids=["legacy", "pat"])
@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{foreign}\\@127.0.0.1:{ls}/f.pdf",
        "http://127.0.0.1:{foreign}\\\\@127.0.0.1:{ls}/f.pdf",
        "http://127.0.0.1:{foreign}/\\@127.0.0.1:{ls}/f.pdf",
        "http://127.0.0.1:{ls}@127.0.0.1:{foreign}/f.pdf",
        "http://u:p@127.0.0.1:{foreign}/f.pdf",
        "http://127.0.0.1:{foreign}\t@127.0.0.1:{ls}/f.pdf",
        "http://127.0.0.1:{foreign} @127.0.0.1:{ls}/f.pdf",
        "http://127.0.0.1:{foreign}\r\nX: y@127.0.0.1:{ls}/f.pdf",
        "http://127.0.0.1:{foreign}\x00@127.0.0.1:{ls}/f.pdf",
    ],
)
def test_ambiguous_urls_are_refused_and_the_foreign_port_gets_no_token(
    tmp_path, servers, key, template
):
    ls, foreign = servers
    url = template.format(foreign=_port(foreign.url), ls=_port(ls.url))
    resolver = _resolver(tmp_path, ls, foreign, key)
    with contextlib.suppress(BackendError):  # before the fix: a 404 from the foreign port
        resolver.fetch(url)
    assert all(h is None for h in foreign.auth_headers()), foreign.auth_headers()
    assert not any("Bearer" in (h or "") or "Token" in (h or "") for h in foreign.auth_headers())
    with pytest.raises(BadRequest):
        resolver.fetch(url)


def test_token_goes_to_label_studio_only(tmp_path, servers):
    ls, foreign = servers
    resolver = _resolver(tmp_path, ls, foreign, LEGACY_TOKEN)
    assert resolver.read_bytes(f"{ls.url}/f.pdf") == b"LS"
    assert resolver.read_bytes(f"{foreign.url}/f.pdf") == b"FOREIGN"
    assert ls.auth_headers() == [f"Token {LEGACY_TOKEN}"]
    assert foreign.auth_headers() == [None]


def test_parse_http_url_decides_the_host_once():
    target = parse_http_url("HTTP://Example.ORG/a%20b.pdf?x=1")
    assert (target.scheme, target.host, target.port) == ("http", "example.org", 80)
    assert target.url.startswith("http://example.org/a%20b.pdf")
    assert parse_http_url("https://[::1]:8443/x").origin == ("https", "::1", 8443)
    for bad in ("http:///x", "http://h:99999/x", "http://h:-1/x", "ftp://h/x", "http://é.ch/x"):
        with pytest.raises(BadRequest):
            parse_http_url(bad)


# -- SSRF: only Label Studio, the S3 endpoint and ALLOWED_FETCH_HOSTS ----------------------


def test_hosts_outside_the_allow_list_are_never_contacted(tmp_path, servers):
    ls, foreign = servers
    settings = replace(
        StorageSettings(data_dir=tmp_path), label_studio_url=ls.url, label_studio_api_key=PAT
    )
    resolver = UrlResolver(settings, LocalStorage(tmp_path))
    with pytest.raises(ForbiddenPath, match="ALLOWED_FETCH_HOSTS"):
        resolver.fetch(f"{foreign.url}/f.pdf")
    assert foreign.requests == []
    # an allowed host's redirect to a host that is not allowed is refused too
    other = FakeServer().start()
    try:
        other.redirect_target = foreign.url
        allowed = replace(settings, allowed_fetch_hosts=frozenset({other.url.split("//")[1]}))
        resolver = UrlResolver(allowed, LocalStorage(tmp_path))
        with pytest.raises(ForbiddenPath):
            resolver.fetch(f"{other.url}/redirect-foreign")
        assert foreign.requests == []
    finally:
        other.stop()
    # Label Studio's own redirects (presign -> cloud storage) are followed, without token
    ls.redirect_target = foreign.url
    resolver = UrlResolver(settings, LocalStorage(tmp_path))
    foreign.files["/file.pdf"] = b"PRESIGNED"
    assert resolver.read_bytes(f"{ls.url}/redirect-foreign") == b"PRESIGNED"
    assert all(h is None for h in foreign.auth_headers())


def test_s3_endpoint_and_listed_hosts_are_allowed(tmp_path, servers):
    ls, foreign = servers
    host = foreign.url.split("//", 1)[1]
    for entry in (host, host.split(":")[0], "*.0.0.1"):
        settings = StorageSettings(data_dir=tmp_path, allowed_fetch_hosts=frozenset({entry}))
        resolver = UrlResolver(settings, LocalStorage(tmp_path))
        assert resolver.read_bytes(f"{foreign.url}/f.pdf") == b"FOREIGN"
    settings = StorageSettings(data_dir=tmp_path, s3_endpoint_url=foreign.url)
    assert UrlResolver(settings, LocalStorage(tmp_path)).read_bytes(f"{foreign.url}/f.pdf")
    with pytest.raises(ForbiddenPath):
        UrlResolver(settings, LocalStorage(tmp_path)).read_bytes(f"{ls.url}/f.pdf")
    env = {"ALLOWED_FETCH_HOSTS": f" {host}, files.example.org  *.cdn.example"}
    assert StorageSettings.from_env(env).allowed_fetch_hosts == {
        host,
        "files.example.org",
        "*.cdn.example",
    }
    with pytest.raises(ConfigError, match="ALLOWED_FETCH_HOSTS"):
        StorageSettings.from_env({"ALLOWED_FETCH_HOSTS": "http://x.org/path"})
