"""A test whose real part is missing never passes quietly: loud skip locally, failure in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

NEEDS_PART = """
from missing_parts import missing_part

def test_needs_label_studio():
    missing_part("Label Studio is not installed in /nowhere")
"""


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_part.py").write_text(NEEDS_PART)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_ci_the_skip_is_a_warning_with_a_not_run_reason(tmp_path: Path) -> None:
    result = _run(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout and "1 warning" in result.stdout
    assert "NOT RUN: Label Studio is not installed in /nowhere" in result.stdout
    assert "MissingPartWarning" in result.stdout


def test_under_ci_a_missing_part_fails(tmp_path: Path) -> None:
    result = _run(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout
    assert "NOT RUN: Label Studio is not installed in /nowhere" in result.stdout
