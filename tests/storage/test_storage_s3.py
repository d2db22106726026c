"""S3Storage against a real S3 endpoint over HTTP (moto's server on a free port)."""

from __future__ import annotations

import logging

import pytest
from s3_helpers import s3_test_client

from label_studio_ml.errors import BadRequest, ForbiddenPath, NotFound, StorageError
from label_studio_ml.storage import S3Storage, Storage, make_storage
from label_studio_ml.storage.s3 import s3_client


@pytest.fixture()
def storage(s3_bucket):
    endpoint, bucket = s3_bucket
    return S3Storage(bucket, client=s3_test_client(endpoint))


def test_write_read_exists_over_http(storage, s3_bucket):
    endpoint, bucket = s3_bucket
    assert isinstance(storage, Storage)
    assert not storage.exists("pdf/3/a.pdf")
    storage.write_bytes("pdf/3/a.pdf", b"%PDF-1.7", content_type="application/pdf")
    assert storage.exists("pdf/3/a.pdf")
    assert storage.read_bytes("pdf/3/a.pdf") == b"%PDF-1.7"
    head = s3_test_client(endpoint).head_object(Bucket=bucket, Key="pdf/3/a.pdf")
    assert head["ContentType"] == "application/pdf"
    assert storage.uri("pdf/3/a.pdf") == f"s3://{bucket}/pdf/3/a.pdf"


def test_missing_key_is_not_found(storage):
    with pytest.raises(NotFound, match="no object"):
        storage.read_bytes("pdf/3/missing.pdf")
    with pytest.raises(NotFound), storage.local_path("pdf/3/missing.pdf"):
        pass


def test_prefix_confines_keys_and_listing(s3_bucket):
    endpoint, bucket = s3_bucket
    client = s3_test_client(endpoint)
    client.put_object(Bucket=bucket, Key="outside/png/3/x_0.png", Body=b"no")
    client.put_object(Bucket=bucket, Key="tenantX/png/3/x_0.png", Body=b"no")  # shares text prefix
    storage = S3Storage(bucket, prefix="tenant/", client=client)
    storage.write_bytes("png/3/x_0.png", b"p0")
    storage.write_bytes("png/3/x_1.png", b"p1")
    storage.write_bytes("pdf/3/x.pdf", b"pdf")
    assert client.get_object(Bucket=bucket, Key="tenant/png/3/x_0.png")["Body"].read() == b"p0"
    assert list(storage.list("png/3/")) == ["png/3/x_0.png", "png/3/x_1.png"]
    assert list(storage.list()) == ["pdf/3/x.pdf", "png/3/x_0.png", "png/3/x_1.png"]
    with pytest.raises(ForbiddenPath):
        storage.read_bytes("../outside/png/3/x_0.png")
    with pytest.raises(ForbiddenPath):
        storage.read_bytes("/outside/png/3/x_0.png")


def test_listing_paginates(storage):
    storage.page_size = 2
    for i in range(7):
        storage.write_bytes(f"many/{i}.txt", b"")
    assert list(storage.list("many/")) == [f"many/{i}.txt" for i in range(7)]


def test_local_path_is_a_temporary_copy(storage):
    storage.write_bytes("pdf/1/doc.pdf", b"abc")
    with storage.local_path("pdf/1/doc.pdf") as path:
        assert path.read_bytes() == b"abc"
        assert path.suffix == ".pdf"
    assert not path.exists()


def test_traversal_and_bad_keys_refused_before_any_request(storage):
    for key in ("../x", "%2e%2e/x", "a\\b"):
        with pytest.raises(ForbiddenPath):
            storage.write_bytes(key, b"x")
    with pytest.raises(BadRequest):
        storage.read_bytes("")


def test_missing_bucket_is_storage_error_without_credentials(s3_server, caplog):
    caplog.set_level(logging.DEBUG, logger="label_studio_ml")
    storage = S3Storage("no-such-bucket-here", client=s3_test_client(s3_server))
    with pytest.raises(StorageError) as info:
        storage.read_bytes("a.txt")
    assert "NoSuchBucket" in str(info.value)
    with pytest.raises(StorageError):
        storage.write_bytes("a.txt", b"x")
    text = str(info.value) + caplog.text
    assert "testing-secret-key" not in text
    assert "testing-access-key" not in text


def test_unreachable_endpoint_is_storage_error(caplog):
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        aws_access_key_id="AKIDLEAKCHECK",
        aws_secret_access_key="SECRETLEAKCHECK",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    caplog.set_level(logging.DEBUG, logger="label_studio_ml")
    with pytest.raises(StorageError) as info:
        S3Storage("b", client=client).read_bytes("a.txt")
    assert "EndpointConnectionError" in str(info.value)
    assert "SECRETLEAKCHECK" not in str(info.value) + caplog.text


def test_make_storage_s3_uses_one_cached_client(s3_bucket, s3_settings):
    endpoint, bucket = s3_bucket
    settings = s3_settings(endpoint, bucket, prefix="p")
    storage = make_storage(settings)
    assert isinstance(storage, S3Storage)
    assert storage is make_storage(s3_settings(endpoint, bucket, prefix="p"))
    assert storage.client is s3_client(endpoint, "us-east-1")
    storage.write_bytes("pdf/1/a.pdf", b"1")
    assert (
        s3_test_client(endpoint).get_object(Bucket=bucket, Key="p/pdf/1/a.pdf")["Body"].read()
        == b"1"
    )


def test_forked_process_gets_its_own_client(s3_bucket, s3_settings):
    import multiprocessing

    endpoint, bucket = s3_bucket
    settings = s3_settings(endpoint, bucket)
    parent = make_storage(settings)
    parent.write_bytes("a.txt", b"from parent")
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def child() -> None:
        storage = make_storage(settings)
        queue.put((storage is parent, storage.client is parent.client, storage.read_bytes("a.txt")))

    proc = ctx.Process(target=child)
    proc.start()
    same_storage, same_client, data = queue.get(timeout=30)
    proc.join(30)
    assert (same_storage, same_client, data) == (False, False, b"from parent")
