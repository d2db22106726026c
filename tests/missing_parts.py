"""What a test does when a real part it needs (Label Studio, Chromium, ...) is not installed.

``make test`` installs every part, so this only happens when pytest is run by hand on a
machine that was not set up. Then the test is skipped loudly: a warning in pytest's
summary and a skip reason starting with ``NOT RUN``. Under CI (``CI`` set) it fails.
"""

from __future__ import annotations

import os
import warnings

import pytest


class MissingPartWarning(pytest.PytestWarning):
    """A test could not run because a part of the product is not installed."""


def missing_part(message: str) -> None:
    """Fail under CI; otherwise warn and skip with ``NOT RUN: <message>``. Never returns."""
    text = f"NOT RUN: {message} (`make test` installs it; under CI this is a failure)"
    if os.environ.get("CI"):
        pytest.fail(text, pytrace=False)
    warnings.warn(text, MissingPartWarning, stacklevel=2)
    pytest.skip(text)
