"""Storage and download settings, read from the environment once at start-up.

AWS credentials are deliberately *not* part of these settings: boto3 finds them
through its standard chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE``, shared config files, container or instance roles). This module
never reads, stores or logs a secret key. The only secret it holds is the Label
Studio token, which is kept out of ``repr()``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from label_studio_ml.envvars import env_float, env_int, env_str
from label_studio_ml.errors import ConfigError

STORAGE_KINDS = ("local", "s3")
DEFAULT_DATA_DIR = "./data"
DEFAULT_S3_REGION = "us-east-1"
DEFAULT_DOWNLOAD_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_DOWNLOAD_TIMEOUT = 30.0


@dataclass(frozen=True)
class StorageSettings:
    """Where documents live and how remote files are fetched.

    Hashable on purpose: :func:`label_studio_ml.storage.make_storage` caches one
    storage (and one boto3 client) per distinct settings value and process.
    """

    storage: str = "local"
    data_dir: Path = field(default_factory=lambda: Path(DEFAULT_DATA_DIR).resolve())
    s3_bucket: str | None = None
    s3_prefix: str = ""
    s3_endpoint_url: str | None = None
    s3_region: str = DEFAULT_S3_REGION
    label_studio_url: str | None = None
    label_studio_api_key: str | None = field(default=None, repr=False)
    label_studio_media_root: Path | None = None
    local_files_document_root: Path | None = None
    download_max_bytes: int = DEFAULT_DOWNLOAD_MAX_BYTES
    download_timeout: float = DEFAULT_DOWNLOAD_TIMEOUT
    #: hosts besides Label Studio's and the S3 endpoint that http(s) task URLs may name
    allowed_fetch_hosts: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.storage not in STORAGE_KINDS:
            raise ConfigError(
                f"STORAGE must be one of {', '.join(STORAGE_KINDS)}, got {self.storage!r}"
            )
        if self.storage == "s3" and not self.s3_bucket:
            raise ConfigError("STORAGE=s3 needs S3_BUCKET (the bucket that holds pdf/ and png/)")
        if self.s3_bucket is not None and ("/" in self.s3_bucket or not self.s3_bucket.strip()):
            raise ConfigError(f"S3_BUCKET must be a bare bucket name, got {self.s3_bucket!r}")
        object.__setattr__(self, "s3_prefix", _clean_prefix(self.s3_prefix))
        if self.s3_endpoint_url is not None:
            _check_http_url("S3_ENDPOINT_URL", self.s3_endpoint_url)
        if self.label_studio_url is not None:
            _check_http_url("LABEL_STUDIO_URL", self.label_studio_url)
            object.__setattr__(self, "label_studio_url", self.label_studio_url.rstrip("/"))
        if self.download_max_bytes <= 0:
            raise ConfigError("DOWNLOAD_MAX_BYTES must be a positive number of bytes")
        if self.download_timeout <= 0:
            raise ConfigError("DOWNLOAD_TIMEOUT must be a positive number of seconds")
        object.__setattr__(
            self, "allowed_fetch_hosts", frozenset(_check_host(h) for h in self.allowed_fetch_hosts)
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> StorageSettings:
        """Build settings from environment variables (see the README table)."""

        def get(*names: str) -> str | None:
            return env_str(environ, *names)

        return cls(
            storage=(get("STORAGE") or "local").lower(),
            data_dir=_abs_dir(get("DATA_DIR") or DEFAULT_DATA_DIR),
            s3_bucket=get("S3_BUCKET"),
            s3_prefix=get("S3_PREFIX") or "",
            s3_endpoint_url=get("S3_ENDPOINT_URL"),
            s3_region=get("S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION") or DEFAULT_S3_REGION,
            label_studio_url=get("LABEL_STUDIO_URL", "LABEL_STUDIO_HOST"),
            label_studio_api_key=get("LABEL_STUDIO_API_KEY", "LABEL_STUDIO_ACCESS_TOKEN"),
            label_studio_media_root=_opt_dir(get("LABEL_STUDIO_MEDIA_ROOT")),
            local_files_document_root=_opt_dir(
                get("LOCAL_FILES_DOCUMENT_ROOT", "LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT")
            ),
            download_max_bytes=env_int(environ, "DOWNLOAD_MAX_BYTES", DEFAULT_DOWNLOAD_MAX_BYTES),
            download_timeout=env_float(environ, "DOWNLOAD_TIMEOUT", DEFAULT_DOWNLOAD_TIMEOUT),
            allowed_fetch_hosts=frozenset(
                h for h in re.split(r"[,\s]+", get("ALLOWED_FETCH_HOSTS") or "") if h
            ),
        )


def host_allowed(allowed: frozenset[str], host: str, port: int) -> bool:
    """True when ``host:port`` matches an ``ALLOWED_FETCH_HOSTS`` entry.

    Entries: ``host`` (any port), ``host:port``, ``*.domain`` (any subdomain, any port).
    """
    host = host.lower()
    shown = f"[{host}]" if ":" in host else host
    if host in allowed or f"{shown}:{port}" in allowed:
        return True
    return any(e.startswith("*.") and host.endswith(e[1:]) for e in allowed)


_HOST_ENTRY = re.compile(r"^(\*\.)?([a-z0-9_.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$")


def _check_host(entry: str) -> str:
    value = entry.strip().lower()
    if not _HOST_ENTRY.match(value):
        raise ConfigError(
            f"ALLOWED_FETCH_HOSTS entries must be host, host:port or *.domain, got {entry!r}"
        )
    return value


def _clean_prefix(prefix: str) -> str:
    cleaned = prefix.strip().strip("/")
    if not cleaned:
        return ""
    parts = cleaned.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in cleaned:
        raise ConfigError(f"S3_PREFIX must be a plain 'a/b' style prefix, got {prefix!r}")
    return cleaned


def _check_http_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name} must start with http:// or https:// and name a host")
    if parts.username or parts.password:
        raise ConfigError(f"{name} must not contain credentials; use the dedicated variables")


def _abs_dir(value: str) -> Path:
    return Path(value).expanduser().resolve()


def _opt_dir(value: str | None) -> Path | None:
    return None if value is None else _abs_dir(value)
