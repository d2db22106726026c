"""Document storage (local directory or S3) and Label Studio URL resolution.

Use :func:`make_storage` once per process; it returns the same object for equal
settings, so the boto3 client behind an S3 storage is created only once.
"""

from __future__ import annotations

import os
from functools import lru_cache

from label_studio_ml.errors import ConfigError
from label_studio_ml.storage.base import Storage, clean_key
from label_studio_ml.storage.local import LocalStorage
from label_studio_ml.storage.settings import StorageSettings

__all__ = ["LocalStorage", "S3Storage", "Storage", "StorageSettings", "clean_key", "make_storage"]


def make_storage(settings: StorageSettings) -> Storage:
    """The storage chosen by ``settings.storage``, cached per settings value and process.

    The process id is part of the cache key, so a worker forked after the parent
    built a storage gets its own S3 client (boto3 connection pools are not fork-safe).
    """
    return _make_storage(settings, os.getpid())


@lru_cache(maxsize=16)
def _make_storage(settings: StorageSettings, pid: int) -> Storage:
    if settings.storage == "s3":
        from label_studio_ml.storage.s3 import S3Storage, s3_client

        if not settings.s3_bucket:
            raise ConfigError("STORAGE=s3 needs S3_BUCKET")
        client = s3_client(settings.s3_endpoint_url, settings.s3_region, pid)
        return S3Storage(settings.s3_bucket, settings.s3_prefix, client=client)
    return LocalStorage(settings.data_dir)


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    if name == "S3Storage":  # imported lazily so local-only use never loads boto3
        from label_studio_ml.storage.s3 import S3Storage

        return S3Storage
    raise AttributeError(name)
