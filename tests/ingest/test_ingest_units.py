"""Pure parts of ingest: key convention, pending logic, bucket events, settings."""

from __future__ import annotations

import json

import pytest

from label_studio_ml.errors import ConfigError
from stratigraphy_ml_backend.ingest.events import created_keys
from stratigraphy_ml_backend.ingest.label_studio import is_jwt
from stratigraphy_ml_backend.ingest.settings import IngestSettings, parse_project_map
from stratigraphy_ml_backend.ingest.state import (
    PdfKey,
    done_key,
    failed_key,
    parse_pdf_key,
    pending,
)


def test_parse_pdf_key_accepts_only_the_drop_zone_layout() -> None:
    assert parse_pdf_key("pdf/3/report.pdf") == PdfKey("pdf/3/report.pdf", "3", "report")
    assert parse_pdf_key("pdf/geo/Bohrung 1.PDF") == PdfKey(
        "pdf/geo/Bohrung 1.PDF", "geo", "Bohrung 1"
    )
    assert parse_pdf_key("pdf/report.pdf") is None  # no project folder
    assert parse_pdf_key("pdf/a/b/report.pdf") is None  # nested deeper
    assert parse_pdf_key("pdf/a/notes.txt") is None
    assert parse_pdf_key("png/a/report_0.png") is None


def test_pending_skips_done_and_failed_unless_retrying() -> None:
    pdfs = [parse_pdf_key(k) for k in ("pdf/a/1.pdf", "pdf/a/2.pdf", "pdf/b/3.pdf")]
    done = [done_key("pdf/a/1.pdf")]
    failed = [failed_key("pdf/b/3.pdf")]
    assert [p.key for p in pending(pdfs, done, failed, retry_failed=False)] == ["pdf/a/2.pdf"]
    assert [p.key for p in pending(pdfs, done, failed, retry_failed=True)] == [
        "pdf/a/2.pdf",
        "pdf/b/3.pdf",
    ]


def _minio_access_event(bucket: str, key: str, name: str = "s3:ObjectCreated:Put") -> bytes:
    record = {
        "eventVersion": "2.0",
        "eventSource": "minio:s3",
        "eventName": name,
        "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": 10}},
    }
    return json.dumps([{"Event": [record], "EventTime": "2026-01-01T00:00:00Z"}]).encode()


def test_minio_redis_access_events_give_decoded_pdf_keys() -> None:
    event = _minio_access_event("boreholes", "pdf/geo/Bohrung+1%C3%A4.pdf")
    assert created_keys(event, "boreholes") == ["pdf/geo/Bohrung 1ä.pdf"]


def test_events_of_other_buckets_kinds_and_paths_are_ignored() -> None:
    assert created_keys(_minio_access_event("other", "pdf/a/x.pdf"), "boreholes") == []
    assert (
        created_keys(
            _minio_access_event("boreholes", "pdf/a/x.pdf", "s3:ObjectRemoved:Delete"), "boreholes"
        )
        == []
    )
    assert created_keys(_minio_access_event("boreholes", "png/a/x_0.png"), "boreholes") == []
    assert created_keys(b"not json", "boreholes") == []


def test_plain_s3_records_and_bucket_prefix() -> None:
    body = {
        "Records": [
            {
                "eventName": "ObjectCreated:CompleteMultipartUpload",
                "s3": {"bucket": {"name": "b"}, "object": {"key": "team/pdf/p/big.pdf"}},
            }
        ]
    }
    assert created_keys(json.dumps(body), "b", prefix="team") == ["pdf/p/big.pdf"]
    assert created_keys(json.dumps(body), "b", prefix="other") == []


def test_project_map_and_settings_from_env(tmp_path) -> None:
    assert parse_project_map("geo=3, archive=7;x=1") == {"geo": 3, "archive": 7, "x": 1}
    with pytest.raises(ConfigError):
        parse_project_map("geo")
    env = {
        "STORAGE": "local",
        "DATA_DIR": str(tmp_path),
        "LABEL_STUDIO_URL": "http://ls:8080",
        "LABEL_STUDIO_API_KEY": "k" * 40,
        "LABEL_STUDIO_PROJECT_ID": "2",
        "LABEL_STUDIO_PROJECT_MAP": "geo=5",
        "INGEST_DPI": "100",
    }
    settings = IngestSettings.from_env(env)
    assert settings.dpi == 100
    assert settings.project_for("geo") == 5
    assert settings.project_for("anything") == 2
    assert settings.url_form == "local-files"
    assert "k" * 40 not in repr(settings)


@pytest.mark.parametrize(
    "env",
    [
        {"INGEST_DPI": "5"},
        {"INGEST_DPI": "lots"},
        {"INGEST_TASK_URLS": "ftp"},
        {"LABEL_STUDIO_PROJECT_ID": "two"},
        {"LABEL_STUDIO_PROJECT_ID": "2"},  # a project but no LABEL_STUDIO_URL
        {"INGEST_PREDICT": "maybe"},
    ],
)
def test_bad_settings_are_refused(env, tmp_path) -> None:
    with pytest.raises(ConfigError):
        IngestSettings.from_env({"STORAGE": "local", "DATA_DIR": str(tmp_path), **env})


def test_token_kind() -> None:
    assert is_jwt("eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2ln")
    assert not is_jwt("0123456789abcdef0123456789abcdef01234567")
