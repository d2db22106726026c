"""UrlResolver against real files, a real S3 endpoint and real HTTP servers."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import replace

import pytest
from fake_http import LEGACY_TOKEN, PAT, FakeServer
from s3_helpers import s3_test_client

from label_studio_ml.errors import (
    BadRequest,
    ForbiddenPath,
    InputDocumentError,
    NotFound,
    StorageError,
)
from label_studio_ml.storage import LocalStorage, S3Storage, StorageSettings
from label_studio_ml.storage.lsauth import is_jwt
from label_studio_ml.storage.resolver import ResolvedFile, UrlResolver, redact_url


@pytest.fixture()
def ls_server():
    server = FakeServer().start()
    yield server
    server.stop()


@pytest.fixture()
def foreign_server():
    server = FakeServer().start()
    # reach it under another host name than the Label Studio stand-in
    server.url = server.url.replace("127.0.0.1", "localhost")
    yield server
    server.stop()


@pytest.fixture()
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


LOOPBACK = frozenset({"127.0.0.1", "localhost"})  # the test servers, allowed explicitly


def make_resolver(data_dir, **overrides) -> UrlResolver:
    settings = replace(StorageSettings(data_dir=data_dir), **overrides)
    return UrlResolver(settings, LocalStorage(settings.data_dir))


# -- plain keys and local files -------------------------------------------------------------


def test_plain_key_reads_through_storage(data_dir):
    (data_dir / "pdf" / "3").mkdir(parents=True)
    (data_dir / "pdf" / "3" / "x.pdf").write_bytes(b"PDF")
    resolver = make_resolver(data_dir)
    assert resolver.fetch("pdf/3/x.pdf") == ResolvedFile("x.pdf", b"PDF", "pdf/3/x.pdf")
    assert resolver.read_bytes(" pdf/3/x.pdf ") == b"PDF"
    with pytest.raises(NotFound):
        resolver.fetch("pdf/3/nope.pdf")


@pytest.mark.parametrize(
    "url",
    [
        "../secret.txt",
        "/etc/passwd",
        "a/../../secret.txt",
        "%2e%2e/secret.txt",
        "..\\secret.txt",
        "/data/local-files/?d=../secret.txt",
        "/data/local-files/?d=%2e%2e/secret.txt",
        "/data/local-files/?d=a/../../secret.txt",
        "/data/upload/../secret.txt",
        "/data/upload/3/../../../secret.txt",
        "/data/upload/%2e%2e/%2e%2e/secret.txt",
    ],
)
def test_escapes_are_forbidden_in_every_form(data_dir, tmp_path, url):
    (tmp_path / "secret.txt").write_bytes(b"secret")
    media = tmp_path / "media"
    (media / "upload").mkdir(parents=True)
    resolver = make_resolver(data_dir, label_studio_media_root=media)
    with pytest.raises(ForbiddenPath):
        resolver.fetch(url)
    docroot = make_resolver(data_dir, local_files_document_root=data_dir)
    if "local-files" in url:
        with pytest.raises(ForbiddenPath):
            docroot.fetch(url)


def test_local_files_with_document_root(data_dir, tmp_path):
    docroot = tmp_path / "docs"
    (docroot / "mnt" / "png" / "3").mkdir(parents=True)
    (docroot / "mnt" / "png" / "3" / "x_0.png").write_bytes(b"PNG")
    resolver = make_resolver(data_dir, local_files_document_root=docroot)
    got = resolver.fetch("/data/local-files/?d=mnt/png/3/x_0.png")
    assert got == ResolvedFile("x_0.png", b"PNG", None)
    assert resolver.read_bytes("/data/local-files/?d=mnt%2Fpng%2F3%2Fx_0.png") == b"PNG"
    with pytest.raises(NotFound):
        resolver.fetch("/data/local-files/?d=mnt/png/3/x_9.png")
    os.symlink(tmp_path, docroot / "escape")
    with pytest.raises(ForbiddenPath):
        resolver.fetch("/data/local-files/?d=escape/data/whatever")


def test_local_files_without_document_root_use_storage(data_dir):
    (data_dir / "png" / "3").mkdir(parents=True)
    (data_dir / "png" / "3" / "x_0.png").write_bytes(b"PNG")
    resolver = make_resolver(data_dir)
    assert resolver.fetch("/data/local-files/?d=png/3/x_0.png") == ResolvedFile(
        "x_0.png", b"PNG", "png/3/x_0.png"
    )
    with pytest.raises(BadRequest, match=r"\?d="):
        resolver.fetch("/data/local-files/")


def test_local_files_missing_locally_are_downloaded_from_label_studio(data_dir, ls_server):
    ls_server.files["local:png/3/x_0.png"] = b"FROM-LS"
    ls_server.require_auth = True
    resolver = make_resolver(
        data_dir, label_studio_url=ls_server.url, label_studio_api_key=LEGACY_TOKEN
    )
    assert resolver.read_bytes("/data/local-files/?d=png/3/x_0.png") == b"FROM-LS"
    assert ls_server.auth_headers() == [f"Token {LEGACY_TOKEN}"]


# -- uploads --------------------------------------------------------------------------------


def test_upload_from_media_root(data_dir, tmp_path):
    media = tmp_path / "media"
    (media / "upload" / "3").mkdir(parents=True)
    (media / "upload" / "3" / "ab12-Profil A.pdf").write_bytes(b"UP")
    resolver = make_resolver(data_dir, label_studio_media_root=media)
    for url in (
        "/data/upload/3/ab12-Profil%20A.pdf",
        "/data/upload/3/ab12-Profil A.pdf",
        "upload/3/ab12-Profil A.pdf",
        "/storage-data/uploaded/?filepath=upload/3/ab12-Profil%20A.pdf",
    ):
        assert resolver.fetch(url) == ResolvedFile("ab12-Profil A.pdf", b"UP", None)
    with pytest.raises(NotFound, match="LABEL_STUDIO_URL"):
        resolver.fetch("/data/upload/3/missing.pdf")


def test_upload_downloaded_with_legacy_token(data_dir, ls_server):
    ls_server.require_auth = True
    ls_server.files["/data/upload/3/f.pdf"] = b"LEGACY"
    resolver = make_resolver(
        data_dir, label_studio_url=ls_server.url, label_studio_api_key=LEGACY_TOKEN
    )
    assert resolver.fetch("/data/upload/3/f.pdf") == ResolvedFile("f.pdf", b"LEGACY", None)
    assert [r.path for r in ls_server.requests] == ["/data/upload/3/f.pdf"]
    # other Label Studio versions serve uploads only through /storage-data/uploaded/
    ls_server.files["storage:upload/3/g h.pdf"] = b"OTHER-ROUTE"
    assert resolver.read_bytes("/data/upload/3/g%20h.pdf") == b"OTHER-ROUTE"
    assert [r.path for r in ls_server.requests][1:] == [
        "/data/upload/3/g%20h.pdf",
        "/storage-data/uploaded/?filepath=upload/3/g%20h.pdf",
    ]
    assert set(ls_server.auth_headers()) == {f"Token {LEGACY_TOKEN}"}


def test_upload_downloaded_with_personal_access_token(data_dir, ls_server):
    assert is_jwt(PAT) and not is_jwt(LEGACY_TOKEN)
    ls_server.require_auth = True
    ls_server.files["/data/upload/3/f.pdf"] = b"PAT-OK"
    resolver = make_resolver(data_dir, label_studio_url=ls_server.url, label_studio_api_key=PAT)
    assert resolver.read_bytes("/data/upload/3/f.pdf") == b"PAT-OK"
    assert resolver.read_bytes("/data/upload/3/f.pdf") == b"PAT-OK"
    assert ls_server.refresh_count == 1  # access token cached
    access = ls_server.access_tokens[0]
    gets = [r for r in ls_server.requests if r.method == "GET"]
    assert {r.headers["Authorization"] for r in gets} == {f"Bearer {access}"}
    # the PAT itself is only ever sent in the refresh body, never as a header
    assert all(PAT not in (h or "") for h in ls_server.auth_headers())


def test_access_token_is_refreshed_before_five_minutes(data_dir, ls_server):
    ls_server.require_auth = True
    ls_server.files["/data/upload/3/f.pdf"] = b"x"
    resolver = make_resolver(data_dir, label_studio_url=ls_server.url, label_studio_api_key=PAT)
    now = [1_000.0]
    resolver._auth._clock = lambda: now[0]  # type: ignore[union-attr]
    resolver.read_bytes("/data/upload/3/f.pdf")
    now[0] += 200
    resolver.read_bytes("/data/upload/3/f.pdf")
    assert ls_server.refresh_count == 1
    now[0] += 70  # 270 s after the first refresh: still < 300 s, but must renew
    resolver.read_bytes("/data/upload/3/f.pdf")
    assert ls_server.refresh_count == 2
    last_get = [r for r in ls_server.requests if r.method == "GET"][-1]
    assert last_get.headers["Authorization"] == f"Bearer {ls_server.access_tokens[1]}"


def test_stale_access_token_is_refreshed_after_401(data_dir, ls_server):
    ls_server.require_auth = True
    ls_server.files["/data/upload/3/f.pdf"] = b"x"
    resolver = make_resolver(data_dir, label_studio_url=ls_server.url, label_studio_api_key=PAT)
    resolver.read_bytes("/data/upload/3/f.pdf")
    ls_server.access_tokens.clear()  # the server forgets (e.g. restarted): next GET gets 401
    assert resolver.read_bytes("/data/upload/3/f.pdf") == b"x"
    assert ls_server.refresh_count == 2


def test_concurrent_requests_share_one_refresh(data_dir, ls_server):
    ls_server.require_auth = True
    ls_server.files["/data/upload/3/f.pdf"] = b"x"
    resolver = make_resolver(data_dir, label_studio_url=ls_server.url, label_studio_api_key=PAT)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            assert resolver.read_bytes("/data/upload/3/f.pdf") == b"x"
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ls_server.refresh_count == 1


def test_rejected_tokens_give_clear_errors_without_secrets(data_dir, ls_server, caplog):
    caplog.set_level(logging.DEBUG, logger="label_studio_ml")
    ls_server.require_auth = True
    ls_server.files["/data/upload/3/f.pdf"] = b"x"
    ls_server.refresh_status = 401
    resolver = make_resolver(data_dir, label_studio_url=ls_server.url, label_studio_api_key=PAT)
    with pytest.raises(StorageError, match="refused the personal access token") as pat_err:
        resolver.fetch("/data/upload/3/f.pdf")
    wrong = "ffffffffffffffffffffffffffffffffffffffff"
    resolver = make_resolver(data_dir, label_studio_url=ls_server.url, label_studio_api_key=wrong)
    with pytest.raises(StorageError, match="LABEL_STUDIO_API_KEY") as legacy_err:
        resolver.fetch("/data/upload/3/f.pdf")
    text = str(pat_err.value) + str(legacy_err.value) + caplog.text
    assert PAT not in text and wrong not in text
    assert PAT.split(".")[2] not in text


# -- http(s) --------------------------------------------------------------------------------


def test_token_only_sent_to_the_label_studio_origin(data_dir, ls_server, foreign_server):
    ls_server.files["/f.pdf"] = b"LS"
    foreign_server.files["/f.pdf"] = b"FOREIGN"
    resolver = make_resolver(
        data_dir,
        label_studio_url=ls_server.url,
        label_studio_api_key=LEGACY_TOKEN,
        allowed_fetch_hosts=LOOPBACK,
    )
    assert resolver.read_bytes(f"{ls_server.url}/f.pdf") == b"LS"
    assert resolver.read_bytes(f"{foreign_server.url}/f.pdf") == b"FOREIGN"
    # same host, other port: a different origin, no token either
    same_host_other_port = foreign_server.url.replace("localhost", "127.0.0.1")
    assert resolver.read_bytes(f"{same_host_other_port}/f.pdf") == b"FOREIGN"
    assert ls_server.auth_headers() == [f"Token {LEGACY_TOKEN}"]
    assert foreign_server.auth_headers() == [None, None]


def test_token_dropped_on_redirect_to_foreign_host(data_dir, ls_server, foreign_server):
    ls_server.redirect_target = foreign_server.url
    foreign_server.files["/file.pdf"] = b"REDIRECTED"
    foreign_server.files["/presigned/png/3/x_0.png"] = b"PRESIGNED"
    resolver = make_resolver(
        data_dir, label_studio_url=ls_server.url, label_studio_api_key=LEGACY_TOKEN
    )
    assert resolver.read_bytes(f"{ls_server.url}/redirect-foreign") == b"REDIRECTED"
    # s3:// of a bucket we do not own goes through LS's presign route (303 to a signed URL)
    got = resolver.fetch("s3://their-bucket/png/3/x_0.png", task_id=17)
    assert got == ResolvedFile("x_0.png", b"PRESIGNED", None)
    assert ls_server.requests[-1].path.startswith("/tasks/17/presign/?fileuri=")
    assert set(ls_server.auth_headers()) == {f"Token {LEGACY_TOKEN}"}
    assert foreign_server.auth_headers() == [None, None]


def test_http_errors_map_to_not_found_and_storage_error(data_dir, ls_server):
    resolver = make_resolver(data_dir, allowed_fetch_hosts=LOOPBACK)
    with pytest.raises(NotFound):
        resolver.fetch(f"{ls_server.url}/missing.pdf")
    with pytest.raises(StorageError, match="failed: ConnectionError"):
        resolver.fetch("http://127.0.0.1:9/x.pdf")


def test_size_limit_declared_and_streamed(data_dir, ls_server):
    resolver = make_resolver(data_dir, download_max_bytes=100_000, allowed_fetch_hosts=LOOPBACK)
    ls_server.big_size = 200_000
    with pytest.raises(InputDocumentError, match="DOWNLOAD_MAX_BYTES"):
        resolver.fetch(f"{ls_server.url}/big")
    with pytest.raises(InputDocumentError, match="DOWNLOAD_MAX_BYTES"):
        resolver.fetch(f"{ls_server.url}/big-chunked")
    ls_server.files["/ok.bin"] = b"a" * 100_000
    assert len(resolver.read_bytes(f"{ls_server.url}/ok.bin")) == 100_000


def test_time_limit_for_a_slow_download(data_dir, ls_server):
    ls_server.slow_chunks, ls_server.slow_delay = 20, 0.1  # ~2 s in total, each read fast
    resolver = make_resolver(data_dir, download_timeout=0.5, allowed_fetch_hosts=LOOPBACK)
    with pytest.raises(StorageError, match="DOWNLOAD_TIMEOUT"):
        resolver.fetch(f"{ls_server.url}/slow")
    ls_server.slow_chunks, ls_server.slow_delay = 1, 1.5  # the server stalls after the headers
    with pytest.raises(StorageError, match="DOWNLOAD_TIMEOUT"):
        resolver.fetch(f"{ls_server.url}/slow")


# -- s3:// ------------------------------------------------------------------------------------


def test_s3_urls_in_the_configured_bucket_and_prefix(s3_bucket, data_dir):
    endpoint, bucket = s3_bucket
    client = s3_test_client(endpoint)
    client.put_object(Bucket=bucket, Key="tenant/png/3/x_0.png", Body=b"S3PNG")
    client.put_object(Bucket=bucket, Key="other/png/3/x_0.png", Body=b"NO")
    settings = StorageSettings(
        storage="s3",
        data_dir=data_dir,
        s3_bucket=bucket,
        s3_prefix="tenant",
        s3_endpoint_url=endpoint,
    )
    resolver = UrlResolver(settings, S3Storage(bucket, "tenant", client=client))
    assert resolver.fetch(f"s3://{bucket}/tenant/png/3/x_0.png") == ResolvedFile(
        "x_0.png", b"S3PNG", "png/3/x_0.png"
    )
    assert resolver.read_bytes("png/3/x_0.png") == b"S3PNG"
    assert resolver.read_bytes("/data/local-files/?d=png/3/x_0.png") == b"S3PNG"
    with pytest.raises(ForbiddenPath, match="S3_PREFIX"):
        resolver.fetch(f"s3://{bucket}/other/png/3/x_0.png")
    with pytest.raises(ForbiddenPath):
        resolver.fetch(f"s3://{bucket}/tenant/../other/png/3/x_0.png")
    with pytest.raises(ForbiddenPath, match="S3_BUCKET"):
        resolver.fetch("s3://someone-elses-bucket/png/3/x_0.png")
    with pytest.raises(NotFound):
        resolver.fetch(f"s3://{bucket}/tenant/png/3/missing.png")


def test_s3_url_with_local_storage_and_no_label_studio_is_bad_request(data_dir):
    with pytest.raises(BadRequest, match="STORAGE=s3"):
        make_resolver(data_dir).fetch("s3://bucket/png/3/x_0.png")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("gs://bucket/x.png", "gs:// files can only be fetched through Label Studio"),
        ("azure-blob://container/x.png", "azure-blob:// files"),
        ("ftp://host/x.png", "unsupported URL scheme 'ftp'"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("", "non-empty string"),
        ("s3://bucket", "s3://bucket/key"),
    ],
)
def test_unsupported_values_are_bad_requests(data_dir, url, message):
    with pytest.raises(BadRequest, match=message):
        make_resolver(data_dir).fetch(url)


def test_redact_url_hides_credentials_and_signatures():
    shown = redact_url("https://user:pw@bucket.s3.example/k.png?X-Amz-Signature=SECRET&a=1")
    assert shown == "https://bucket.s3.example/k.png?X-Amz-Signature=...&a=..."
    assert redact_url("/data/local-files/?d=png/3/x.png") == "/data/local-files/?d=png/3/x.png"


def test_signed_urls_never_reach_messages_or_logs(data_dir, ls_server, caplog):
    caplog.set_level(logging.DEBUG, logger="label_studio_ml")
    resolver = make_resolver(
        data_dir, label_studio_url=ls_server.url, label_studio_api_key=LEGACY_TOKEN
    )
    with pytest.raises(NotFound) as info:
        resolver.fetch(f"{ls_server.url}/gone.png?X-Amz-Signature=TOPSECRETSIG")
    ls_server.files["/ok.png"] = b"ok"
    resolver.fetch(f"{ls_server.url}/ok.png?X-Amz-Signature=TOPSECRETSIG")
    text = str(info.value) + caplog.text
    assert "TOPSECRETSIG" not in text and LEGACY_TOKEN not in text
    assert "ok.png" in caplog.text  # the success is logged, without the signature
