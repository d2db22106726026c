"""Storage in an S3 bucket (AWS, MinIO, moto) under an optional key prefix.

Credentials come from boto3's standard chain; TLS certificates are always
verified (``AWS_CA_BUNDLE`` may point at a private CA). Error messages name the
bucket, key and S3 error code, never credentials.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from label_studio_ml.errors import NotFound, StorageError, TransientStorageError
from label_studio_ml.storage.base import clean_key, join_key

log = logging.getLogger(__name__)

_NOT_FOUND_CODES = {"NoSuchKey", "404", "NotFound"}
_client_lock = threading.Lock()


def s3_client(endpoint_url: str | None, region: str, pid: int | None = None) -> Any:
    """One boto3 S3 client per (endpoint, region) and process (clients are thread-safe)."""
    return _s3_client(endpoint_url, region, os.getpid() if pid is None else pid)


@lru_cache(maxsize=16)
def _s3_client(endpoint_url: str | None, region: str, pid: int) -> Any:
    config = Config(
        region_name=region,
        signature_version="s3v4",
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=10,
        read_timeout=60,
        # MinIO and moto need path-style addressing; AWS picks the best style itself.
        s3={"addressing_style": "path" if endpoint_url else "auto"},
    )
    with _client_lock:  # boto3's default session is not thread-safe
        session = boto3.session.Session()
        return session.client("s3", endpoint_url=endpoint_url, config=config, verify=True)


def describe_client_error(exc: BaseException) -> str:
    """A short, credential-free description of a botocore error."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = err.get("Code", "unknown")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"{code} (HTTP {status})" if status else str(code)
    return type(exc).__name__


def is_not_found(exc: BaseException) -> bool:
    if not isinstance(exc, ClientError):
        return False
    err = exc.response.get("Error", {})
    if err.get("Code") == "NoSuchBucket":
        return False  # a missing bucket is a configuration problem, not a missing file
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return err.get("Code") in _NOT_FOUND_CODES or status == 404


def is_transient(exc: BaseException) -> bool:
    """True for faults that may pass: no connection, time-outs, 5xx, throttling, refusals."""
    if isinstance(exc, BotoCoreError):
        return True
    if not isinstance(exc, ClientError):
        return False
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return status >= 500 or status in (401, 403, 429) or "Throttl" in code or code == "SlowDown"


def storage_error(message: str, exc: BaseException) -> StorageError:
    """A :class:`TransientStorageError` or a :class:`StorageError` for a botocore fault."""
    kind = TransientStorageError if is_transient(exc) else StorageError
    return kind(f"{message}: {describe_client_error(exc)}")


def read_object(client: Any, bucket: str, key: str) -> bytes:
    """GET one object; NotFound for a missing key/bucket, StorageError otherwise."""
    try:
        response = client.get_object(Bucket=bucket, Key=key)
        return bytes(response["Body"].read())
    except (ClientError, BotoCoreError) as exc:
        if is_not_found(exc):
            raise NotFound(f"no object s3://{bucket}/{key}") from None
        raise storage_error(f"S3 read of s3://{bucket}/{key} failed", exc) from None


class S3Storage:
    """Objects under ``s3://bucket/prefix/``; keys are relative to the prefix."""

    page_size = 1000  # keys per list request (S3's maximum)

    def __init__(self, bucket: str, prefix: str = "", client: Any = None) -> None:
        if client is None:
            client = s3_client(None, "us-east-1")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client

    def __repr__(self) -> str:
        return f"S3Storage(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def full_key(self, key: str) -> str:
        return join_key(self.prefix, clean_key(key))

    def relative_key(self, full_key: str) -> str | None:
        """The storage key for a bucket key, or None when it lies outside the prefix."""
        if not self.prefix:
            return full_key
        head = self.prefix + "/"
        return full_key[len(head) :] if full_key.startswith(head) else None

    def read_bytes(self, key: str) -> bytes:
        return read_object(self.client, self.bucket, self.full_key(key))

    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        full = self.full_key(key)
        extra = {"ContentType": content_type} if content_type else {}
        try:
            self.client.put_object(Bucket=self.bucket, Key=full, Body=data, **extra)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(
                f"S3 write of s3://{self.bucket}/{full} failed: {describe_client_error(exc)}"
            ) from None
        log.debug("wrote %s (%d bytes)", self.uri(key), len(data))

    def exists(self, key: str) -> bool:
        full = self.full_key(key)
        try:
            self.client.head_object(Bucket=self.bucket, Key=full)
            return True
        except (ClientError, BotoCoreError) as exc:
            if is_not_found(exc):
                return False
            raise storage_error(f"S3 lookup of s3://{self.bucket}/{full} failed", exc) from None

    def list(self, prefix: str = "") -> Iterator[str]:
        clean_key(prefix, allow_empty=True)
        full_prefix = self.prefix + "/" + prefix if self.prefix else prefix
        paginator = self.client.get_paginator("list_objects_v2")
        keys: list[str] = []
        try:
            for page in paginator.paginate(
                Bucket=self.bucket,
                Prefix=full_prefix,
                PaginationConfig={"PageSize": self.page_size},
            ):
                for item in page.get("Contents", []):
                    rel = self.relative_key(item["Key"])
                    if rel:
                        keys.append(rel)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(
                f"S3 listing of s3://{self.bucket}/{full_prefix} failed: "
                f"{describe_client_error(exc)}"
            ) from None
        yield from sorted(keys)

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{join_key(self.prefix, key)}"

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        data = self.read_bytes(key)
        suffix = Path(key).suffix
        with tempfile.TemporaryDirectory(prefix="s3-") as tmp:
            path = Path(tmp) / ("object" + suffix)
            path.write_bytes(data)
            yield path
