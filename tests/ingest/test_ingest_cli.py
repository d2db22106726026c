"""The ``ingest`` command as a user runs it: local storage, no Redis, no Label Studio."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from stratigraphy import samples

REPO = Path(__file__).resolve().parents[2]


def _run(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LABEL_STUDIO_", "REDIS_", "INGEST_", "S3_", "STORAGE"))
    }
    return subprocess.run(
        [sys.executable, "-m", "stratigraphy_ml_backend", "ingest", *args],
        env={**clean, "STORAGE": "local", "DATA_DIR": str(data), **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_ingests_new_pdfs_once_and_reports_broken_ones(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "pdf" / "site").mkdir(parents=True)
    (data / "pdf" / "site" / "kb.pdf").write_bytes(samples.page_break().pdf)
    (data / "pdf" / "site" / "bad.pdf").write_bytes(b"%PDF-1.4 broken")

    first = _run(data, "--once", "--dpi", "60")
    assert first.returncode == 0, first.stderr
    assert "1 ingested, 0 already done, 1 failed" in first.stdout
    assert "pdf/site/bad.pdf" in first.stderr
    assert sorted(p.name for p in (data / "png" / "site").iterdir()) == ["kb_0.png", "kb_1.png"]
    assert (data / "ingest" / "failed" / "pdf" / "site" / "bad.pdf.json").is_file()

    second = _run(data)
    assert second.returncode == 0 and "0 ingested" in second.stdout

    assert _run(data, "--check").returncode == 0
    unhealthy = _run(data, "--check", REDIS_URL="redis://127.0.0.1:1/0")
    assert unhealthy.returncode == 1 and "unhealthy" in unhealthy.stderr
    bad_key = _run(data, "pdf/site/nested/x.pdf")
    assert bad_key.returncode == 2 and "pdf/<project>/<name>.pdf" in bad_key.stderr
    misconfigured = _run(data, LABEL_STUDIO_PROJECT_ID="3")
    assert misconfigured.returncode == 2 and "LABEL_STUDIO_URL" in misconfigured.stderr
