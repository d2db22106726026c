"""Helpers for tests that talk to the moto S3 server started by ``tests/conftest.py``."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from label_studio_ml.storage.settings import StorageSettings

DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "testing-access-key",
    "AWS_SECRET_ACCESS_KEY": "testing-secret-key",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def s3_test_client(endpoint: str) -> Any:
    """A boto3 client for the test server with explicit dummy credentials."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=DUMMY_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_ENV["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}),
    )


def s3_settings(endpoint: str, bucket: str, prefix: str = "", **overrides: Any) -> StorageSettings:
    """StorageSettings for STORAGE=s3 against the test server."""
    return StorageSettings(
        storage="s3", s3_bucket=bucket, s3_prefix=prefix, s3_endpoint_url=endpoint, **overrides
    )
