from __future__ import annotations

from pathlib import Path

import pytest

from label_studio_ml.errors import ConfigError
from label_studio_ml.storage.settings import StorageSettings


def test_defaults_are_local_storage_in_absolute_data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = StorageSettings.from_env({})
    assert settings.storage == "local"
    assert settings.data_dir == (tmp_path / "data").resolve()
    assert settings.data_dir.is_absolute()
    assert settings.s3_region == "us-east-1"
    assert settings.download_max_bytes == 200 * 1024 * 1024
    assert settings.download_timeout == 30.0
    assert settings.label_studio_url is None


def test_full_environment_is_parsed(tmp_path):
    env = {
        "STORAGE": "S3",
        "DATA_DIR": str(tmp_path / "d"),
        "S3_BUCKET": "docs",
        "S3_PREFIX": "/tenant/a/",
        "S3_ENDPOINT_URL": "http://minio:9000",
        "S3_REGION": "eu-central-2",
        "LABEL_STUDIO_URL": "http://ls:8080/",
        "LABEL_STUDIO_API_KEY": "abc123secret",
        "LABEL_STUDIO_MEDIA_ROOT": str(tmp_path / "media"),
        "LOCAL_FILES_DOCUMENT_ROOT": str(tmp_path / "files"),
        "DOWNLOAD_MAX_BYTES": "1000",
        "DOWNLOAD_TIMEOUT": "2.5",
    }
    s = StorageSettings.from_env(env)
    assert (s.storage, s.s3_bucket, s.s3_prefix) == ("s3", "docs", "tenant/a")
    assert s.s3_endpoint_url == "http://minio:9000"
    assert s.s3_region == "eu-central-2"
    assert s.label_studio_url == "http://ls:8080"
    assert s.label_studio_media_root == tmp_path / "media"
    assert s.local_files_document_root == tmp_path / "files"
    assert (s.download_max_bytes, s.download_timeout) == (1000, 2.5)
    assert "abc123secret" not in repr(s)
    hash(s)  # used as a cache key


def test_legacy_variable_names_are_accepted():
    s = StorageSettings.from_env(
        {"LABEL_STUDIO_HOST": "https://ls.example", "LABEL_STUDIO_ACCESS_TOKEN": "tok"}
    )
    assert s.label_studio_url == "https://ls.example"
    assert s.label_studio_api_key == "tok"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE": "gcs"}, "STORAGE must be one of"),
        ({"STORAGE": "s3"}, "S3_BUCKET"),
        ({"STORAGE": "s3", "S3_BUCKET": "a/b"}, "bare bucket name"),
        ({"S3_PREFIX": "a/../b"}, "S3_PREFIX"),
        ({"LABEL_STUDIO_URL": "ls:8080"}, "LABEL_STUDIO_URL must start with http"),
        ({"LABEL_STUDIO_URL": "http://u:p@ls:8080"}, "must not contain credentials"),
        ({"S3_ENDPOINT_URL": "minio:9000"}, "S3_ENDPOINT_URL"),
        ({"DOWNLOAD_MAX_BYTES": "lots"}, "DOWNLOAD_MAX_BYTES"),
        ({"DOWNLOAD_MAX_BYTES": "0"}, "DOWNLOAD_MAX_BYTES"),
        ({"DOWNLOAD_TIMEOUT": "-1"}, "DOWNLOAD_TIMEOUT"),
    ],
)
def test_invalid_settings_raise_config_error(env, message):
    with pytest.raises(ConfigError, match=message):
        StorageSettings.from_env(env)


def test_credentials_in_endpoint_are_not_echoed():
    with pytest.raises(ConfigError) as info:
        StorageSettings.from_env({"LABEL_STUDIO_URL": "http://user:hunter2@ls"})
    assert "hunter2" not in str(info.value)


def test_settings_are_frozen():
    s = StorageSettings.from_env({})
    with pytest.raises(AttributeError):
        s.storage = "s3"  # type: ignore[misc]
    assert isinstance(s.data_dir, Path)
