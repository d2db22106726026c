"""`make test` and `make run` do their whole set-up; `.ci/run` adds nothing of its own.

Checked with `make -n` (a dry run: nothing is installed or started).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _dry_run(target: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.fail("make is not installed")
    result = subprocess.run(
        [make, "-n", "-B", target], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _order(text: str, *steps: str) -> list[int]:
    positions = []
    for step in steps:
        assert step in text, f"{step!r} missing from:\n{text}"
        positions.append(text.index(step))
    return positions


def test_make_test_sets_up_lints_then_tests() -> None:
    plan = _dry_run("test")
    system, venv, ls, ruff, mypy, pytest_ = _order(
        plan,
        "scripts/install_system_packages.sh",
        "pip install --quiet -e '.[test]'",
        "scripts/install_label_studio.sh",  # installed side by side with .venv
        "-m ruff check .",
        "-m mypy\n",
        "-m pytest",
    )
    assert system < min(venv, ls) and max(venv, ls) < ruff < mypy < pytest_, plan


def test_make_run_sets_up_then_starts_the_product() -> None:
    plan = _dry_run("run")
    steps = _order(
        plan,
        "scripts/install_system_packages.sh",
        "scripts/install_label_studio.sh",
        "scripts/run_product.sh",
    )
    assert steps == sorted(steps), plan


def test_ci_calls_make_test_and_installs_nothing_else() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip() for line in script.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert commands[-1] == "make test"
    installs = [c for c in commands if "apt-get install" in c]
    assert all(c.endswith("make >/dev/null") for c in installs), installs  # make itself only
    assert "install_label_studio" not in script
