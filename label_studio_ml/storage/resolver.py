"""Turn what Label Studio stores in ``task.data`` into file bytes.

Supported values, in the order they are recognised:

``s3://bucket/key``
    Read through the configured S3 storage when ``bucket`` is ``S3_BUCKET`` and the
    key lies under ``S3_PREFIX``. Any other bucket is *not* read with our own
    credentials (that would reach past the configured root); instead the file is
    fetched through Label Studio's presign route (``/tasks/<id>/presign/``) when
    ``LABEL_STUDIO_URL`` is set and a task id is given, else :class:`ForbiddenPath`.
    ``gs://`` and ``azure-blob://`` work only through that Label Studio route.
``http(s)://...``
    Downloaded with a size limit (``DOWNLOAD_MAX_BYTES``) and a time limit
    (``DOWNLOAD_TIMEOUT`` for the whole download). The URL is parsed once
    (:func:`~label_studio_ml.storage.urls.parse_http_url`, which refuses spellings
    URL parsers disagree on) and exactly that parsed URL is requested; the Label
    Studio token is sent only when its scheme, host and port equal those of
    ``LABEL_STUDIO_URL``. Redirects are followed one hop at a time and every hop
    is judged the same way, so the token never follows a redirect to another origin.
    Only Label Studio's origin, the ``S3_ENDPOINT_URL`` origin and ``ALLOWED_FETCH_HOSTS``
    are fetched (:class:`ForbiddenPath` otherwise), also after a redirect, except where
    Label Studio itself redirects (its presign route sends to the cloud storage).
``/data/local-files/?d=path``
    ``LOCAL_FILES_DOCUMENT_ROOT/path`` when that variable is set, else the storage
    key ``path``; when the file is missing there, downloaded from Label Studio.
``/data/upload/<project>/<file>`` (also ``upload/...``, ``/storage-data/uploaded/?filepath=``)
    ``LABEL_STUDIO_MEDIA_ROOT/upload/<project>/<file>`` when present, else
    downloaded from Label Studio with the token.
plain relative keys (``pdf/3/x.pdf``)
    Read through the storage.

Errors: :class:`NotFound` (404), :class:`ForbiddenPath` (escapes, foreign
buckets), :class:`BadRequest` (unsupported or malformed values),
:class:`InputDocumentError` (file larger than the limit), :class:`StorageError`
(everything else). Messages never contain tokens or signed query strings.
"""

from __future__ import annotations

import base64
import logging
import posixpath
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit, urlunsplit

import requests
import urllib3
from urllib3.exceptions import ReadTimeoutError

from label_studio_ml import deadline
from label_studio_ml.errors import (
    BackendError,
    BadRequest,
    DeadlineExceeded,
    ForbiddenPath,
    InputDocumentError,
    NotFound,
    StorageError,
    TransientStorageError,
)
from label_studio_ml.storage.base import Storage, clean_key, show_key
from label_studio_ml.storage.local import safe_join
from label_studio_ml.storage.lsauth import LabelStudioAuth
from label_studio_ml.storage.s3 import S3Storage
from label_studio_ml.storage.settings import StorageSettings, host_allowed
from label_studio_ml.storage.urls import MAX_URL_LENGTH, HttpTarget, parse_http_url

log = logging.getLogger(__name__)

CLOUD_SCHEMES = ("gs", "gcs", "azure-blob", "azure")
_CHUNK = 64 * 1024
_SHOWN_URL_CHARS = 200
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class ResolvedFile:
    """A fetched file: its base name, its bytes and its storage key (if it came from storage)."""

    name: str
    data: bytes
    key: str | None = None


def redact_url(url: str) -> str:
    """``url`` without user info and query values (safe for logs and messages)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable url>"
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    query = parts.query
    if query and parts.path.rstrip("/") != "/data/local-files":
        query = "&".join(f"{k}=..." for k, _ in parse_qsl(query, keep_blank_values=True))
    shown = urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    shown = shown if shown.isprintable() else ascii(shown)[1:-1]
    return shown if len(shown) <= _SHOWN_URL_CHARS else f"{shown[:_SHOWN_URL_CHARS]}..."


class UrlResolver:
    """Fetch task files from storage, Label Studio or the web (one HTTP session each)."""

    def __init__(
        self,
        settings: StorageSettings,
        storage: Storage,
        *,
        session: requests.Session | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.session = session or requests.Session()
        self.session.max_redirects = MAX_REDIRECTS
        self._ls_url = settings.label_studio_url
        self._ls_target = parse_http_url(self._ls_url) if self._ls_url else None
        endpoint = settings.s3_endpoint_url
        self._s3_target = parse_http_url(endpoint) if endpoint else None
        self._auth: LabelStudioAuth | None = None
        if self._ls_url and settings.label_studio_api_key:
            self._auth = LabelStudioAuth(
                self._ls_url,
                settings.label_studio_api_key,
                self.session,
                settings.download_timeout,
            )

    def close(self) -> None:
        self.session.close()

    def read_bytes(self, url: str, task_id: int | str | None = None) -> bytes:
        return self.fetch(url, task_id).data

    def fetch(self, url: str, task_id: int | str | None = None) -> ResolvedFile:
        """Resolve one ``task.data`` value; see the module docstring for the forms."""
        if not isinstance(url, str) or not url.strip():
            raise BadRequest("file reference must be a non-empty string")
        url = url.strip()
        if len(url) > MAX_URL_LENGTH:
            raise BadRequest(f"file reference is longer than {MAX_URL_LENGTH} characters")
        try:
            parts = urlsplit(url)
        except ValueError:
            raise BadRequest(f"cannot parse file reference {redact_url(url)!r}") from None
        scheme = parts.scheme.lower()
        if scheme == "s3":
            result = self._fetch_s3(url, parts.netloc, parts.path.lstrip("/"), task_id)
        elif scheme in CLOUD_SCHEMES:
            result = self._fetch_via_label_studio_presign(url, task_id, scheme)
        elif scheme in ("http", "https"):
            result = self._fetch_http(url)
        elif scheme:
            raise BadRequest(
                f"unsupported URL scheme {scheme!r}: use s3://, http(s)://, "
                "/data/local-files/?d=, /data/upload/ or a storage key"
            )
        elif parts.path.rstrip("/") == "/data/local-files":
            result = self._fetch_local_files(parts.query)
        elif parts.path.rstrip("/") == "/storage-data/uploaded":
            filepath = dict(parse_qsl(parts.query)).get("filepath", "")
            result = self._fetch_upload(filepath.lstrip("/"))
        elif parts.path.startswith(("/data/upload/", "/upload/", "upload/")):
            rel = parts.path[len("/data/") :] if parts.path.startswith("/data/") else parts.path
            result = self._fetch_upload(unquote(rel.lstrip("/")))
        else:
            result = self._from_storage(url)
        log.debug("resolved %s (task %s): %d bytes", redact_url(url), task_id, len(result.data))
        return result

    # -- storage ---------------------------------------------------------------------------

    def _from_storage(self, key: str) -> ResolvedFile:
        data = self.storage.read_bytes(key)
        self._check_size(len(data), key)
        return ResolvedFile(name=posixpath.basename(key), data=data, key=key)

    def _fetch_s3(self, url: str, bucket: str, key: str, task_id: Any) -> ResolvedFile:
        if not bucket or not key:
            raise BadRequest(f"s3 URL {show_key(url)} must look like s3://bucket/key")
        own = self.storage if isinstance(self.storage, S3Storage) else None
        own_bucket = own.bucket if own is not None else None
        if own is not None and bucket == own.bucket:
            rel = own.relative_key(key)
            if not rel:
                raise ForbiddenPath(f"{show_key(url)} lies outside S3_PREFIX={own.prefix!r}")
            return self._from_storage(rel)
        if self._ls_url and task_id is not None:
            return self._fetch_via_label_studio_presign(url, task_id, "s3")
        if own_bucket is not None:
            raise ForbiddenPath(
                f"{show_key(url)} is not in the configured bucket S3_BUCKET={own_bucket!r}; set "
                "LABEL_STUDIO_URL (and pass the task id) to read other buckets through Label Studio"
            )
        raise BadRequest(
            f"cannot read {show_key(url)}: set STORAGE=s3 with S3_BUCKET={bucket!r}, or set "
            "LABEL_STUDIO_URL so the file is fetched through Label Studio"
        )

    # -- Label Studio routes ---------------------------------------------------------------

    def _fetch_via_label_studio_presign(self, url: str, task_id: Any, scheme: str) -> ResolvedFile:
        if not self._ls_url or task_id is None:
            raise BadRequest(
                f"{scheme}:// files can only be fetched through Label Studio: set "
                "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY (the task id is needed too)"
            )
        try:
            task = int(str(task_id))
        except ValueError:
            raise BadRequest(f"task id must be an integer, got {task_id!r}") from None
        fileuri = base64.urlsafe_b64encode(url.encode("utf-8")).decode("ascii")
        ls_url = f"{self._ls_url}/tasks/{task}/presign/?fileuri={fileuri}"
        data = self._download(ls_url, auth=True)
        name = posixpath.basename(urlsplit(url).path) or "download"
        return ResolvedFile(name=name, data=data, key=None)

    def _fetch_local_files(self, query: str) -> ResolvedFile:
        rel = dict(parse_qsl(query)).get("d", "").lstrip("/")
        if not rel:
            raise BadRequest("/data/local-files/ URL needs a ?d=<path> parameter")
        clean_key(rel)
        root = self.settings.local_files_document_root
        missing: NotFound
        if root is not None:
            path = safe_join(root, rel)
            if path.is_file():
                return ResolvedFile(name=path.name, data=self._read_file(path, rel), key=None)
            missing = NotFound(f"no file {show_key(rel)} under LOCAL_FILES_DOCUMENT_ROOT")
        else:
            try:
                return self._from_storage(rel)
            except NotFound as exc:
                missing = exc
        if not self._ls_url:
            raise missing
        data = self._download(f"{self._ls_url}/data/local-files/?d={quote(rel)}", auth=True)
        return ResolvedFile(name=posixpath.basename(rel), data=data, key=None)

    def _fetch_upload(self, rel: str) -> ResolvedFile:
        """``rel`` is ``upload/<project>/<file>`` (already URL-decoded)."""
        if not rel.startswith("upload/"):
            raise BadRequest(f"uploaded file path {show_key(rel)} must start with upload/")
        clean_key(rel)
        name = posixpath.basename(rel)
        media = self.settings.label_studio_media_root
        if media is not None:
            path = safe_join(media, rel)
            if path.is_file():
                return ResolvedFile(name=name, data=self._read_file(path, rel), key=None)
        if not self._ls_url:
            raise NotFound(
                f"uploaded file {show_key(rel)} is not under LABEL_STUDIO_MEDIA_ROOT and "
                "LABEL_STUDIO_URL is not set to download it"
            )
        # Label Studio 1.23 serves uploads at /data/upload/ (its /storage-data/uploaded/
        # route answers 400 there); the second route is kept for other versions.
        first = f"{self._ls_url}/data/{quote(rel)}"
        try:
            data = self._download(first, auth=True)
        except (NotFound, StorageError) as exc:
            log.debug("%s failed (%s); trying /storage-data/uploaded/", redact_url(first), exc.code)
            data = self._download(
                f"{self._ls_url}/storage-data/uploaded/?filepath={quote(rel)}", auth=True
            )
        return ResolvedFile(name=name, data=data, key=None)

    # -- plain downloads -------------------------------------------------------------------

    def _fetch_http(self, url: str) -> ResolvedFile:
        target = parse_http_url(url)
        data = self._download(target.url, auth=self._is_label_studio(target))
        name = posixpath.basename(unquote(urlsplit(target.url).path)) or "download"
        return ResolvedFile(name=name, data=data, key=None)

    def _is_label_studio(self, target: HttpTarget) -> bool:
        return self._ls_target is not None and target.origin == self._ls_target.origin

    def _check_allowed(self, target: HttpTarget, shown: str) -> None:
        """Only Label Studio, the S3 endpoint and ``ALLOWED_FETCH_HOSTS`` are fetched (no SSRF)."""
        if self._is_label_studio(target):
            return
        if self._s3_target is not None and target.origin == self._s3_target.origin:
            return
        if host_allowed(self.settings.allowed_fetch_hosts, target.host, target.port):
            return
        raise ForbiddenPath(
            f"{shown} is not on an allowed host: only Label Studio (LABEL_STUDIO_URL), the S3 "
            f"endpoint and ALLOWED_FETCH_HOSTS are fetched; add {target.netloc} there to allow it"
        )

    def _read_file(self, path: Path, label: str) -> bytes:
        try:
            self._check_size(path.stat().st_size, label)
            return path.read_bytes()
        except OSError as exc:
            raise StorageError(f"cannot read {label!r}: {exc.strerror}") from None

    def _check_size(self, size: int, label: str) -> None:
        if size > self.settings.download_max_bytes:
            raise InputDocumentError(
                f"{label} is larger than DOWNLOAD_MAX_BYTES={self.settings.download_max_bytes}"
            )

    def _download(self, url: str, *, auth: bool) -> bytes:
        """GET ``url`` within the size and time limits; retry once after a stale access token.

        ``auth``: the caller means Label Studio. The token itself is attached per hop,
        only to hops whose origin is Label Studio's (see :meth:`_get_limited`).
        """
        auth_obj = self._auth if auth else None
        use_auth = auth_obj is not None
        for attempt in (1, 2):
            try:
                return self._get_limited(url, auth_obj)
            except _Unauthorized:
                if attempt == 1 and auth_obj is not None and auth_obj.is_personal_access_token:
                    auth_obj.invalidate()
                    continue
                if use_auth:
                    hint = "; check LABEL_STUDIO_API_KEY"
                elif auth:
                    hint = "; set LABEL_STUDIO_API_KEY for Label Studio downloads"
                else:
                    hint = ""
                raise TransientStorageError(
                    f"access to {redact_url(url)} was refused{hint}"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _open(self, url: str, auth: LabelStudioAuth | None, timeout: float) -> requests.Response:
        """Send GET requests hop by hop; the token goes only to Label Studio's origin."""
        target = parse_http_url(url)
        self._check_allowed(target, redact_url(url))
        for _hop in range(MAX_REDIRECTS + 1):
            prepared = self.session.prepare_request(requests.Request("GET", target.url))
            # the host is decided from the URL that is actually sent
            sent = parse_http_url(prepared.url or "")
            if sent.origin != target.origin:
                raise BadRequest(f"URL refused: {redact_url(url)} is ambiguous")
            prepared.headers.pop("Authorization", None)
            if auth is not None and self._is_label_studio(sent):
                prepared.headers.update(auth.headers())
            response = self.session.send(
                prepared, stream=True, timeout=(timeout, timeout), allow_redirects=False
            )
            location = response.headers.get("Location")
            if response.status_code not in _REDIRECTS or not location:
                return response
            response.close()
            target = parse_http_url(urljoin(sent.url, location))
            if not self._is_label_studio(sent):  # Label Studio's own redirects are trusted
                self._check_allowed(target, redact_url(target.url))
        raise requests.TooManyRedirects()

    def _get_limited(self, url: str, auth: LabelStudioAuth | None) -> bytes:
        """One download. Faults that may pass (no connection, time-outs, HTTP 5xx/429,
        Label Studio refusing) are :class:`TransientStorageError`; a missing file is
        :class:`NotFound`; other HTTP 4xx answers are :class:`StorageError`."""
        configured = self.settings.download_timeout
        timeout = deadline.time_left(configured)  # never past the request's deadline
        limit = self.settings.download_max_bytes
        shown = redact_url(url)
        ends = time.monotonic() + timeout

        def too_slow() -> BackendError:
            if timeout < configured:
                return DeadlineExceeded(f"download of {shown} ran into the request's deadline")
            return TransientStorageError(
                f"download of {shown} took longer than DOWNLOAD_TIMEOUT={configured:g} s"
            )

        try:
            with self._open(url, auth, timeout) as response:
                status = response.status_code
                if status in (401, 403):
                    raise _Unauthorized()
                if status == 404:
                    raise NotFound(f"{shown} does not exist (HTTP 404)")
                if status >= 500 or status in (408, 429):
                    raise TransientStorageError(f"download of {shown} failed with HTTP {status}")
                if status >= 400:
                    raise StorageError(f"download of {shown} failed with HTTP {status}")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and len(declared) < 20 and int(declared) > limit:
                    raise InputDocumentError(
                        f"{shown} is {declared} bytes, more than DOWNLOAD_MAX_BYTES={limit}"
                    )
                chunks: list[bytes] = []
                total = 0
                while True:
                    # read1 returns what has arrived (up to _CHUNK), so the deadline is
                    # checked even when a server drips bytes slowly
                    chunk = response.raw.read1(_CHUNK, decode_content=True)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > limit:
                        raise InputDocumentError(
                            f"{shown} is larger than DOWNLOAD_MAX_BYTES={limit}"
                        )
                    if time.monotonic() > ends:
                        raise too_slow()
                    chunks.append(chunk)
                return b"".join(chunks)
        except (BackendError, _Unauthorized):
            raise
        except (requests.Timeout, ReadTimeoutError):
            raise too_slow() from None
        except requests.TooManyRedirects:
            raise StorageError(f"download of {shown} was redirected too often") from None
        except (urllib3.exceptions.HTTPError, requests.RequestException) as exc:
            raise TransientStorageError(
                f"download of {shown} failed: {type(exc).__name__}"
            ) from None


class _Unauthorized(Exception):
    """Internal signal: the server answered 401/403."""
