"""Fixtures of the real-browser tests: the e2e stack (reused) and a headless Chromium.

The Label Studio / S3 / Redis / backends stack is the one of ``tests/e2e/conftest.py``
(imported, not copied). Chromium and its driver come from Debian (``chromium``,
``chromium-driver``); Selenium from PyPI. Without them the tests skip loudly on a
developer machine and fail under ``CI``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.conftest import REPO, stack  # noqa: F401  (the fixture, shared with the e2e test)
from page_checks import WINDOW

ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS") or REPO / "test-artifacts" / "browser")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver",)


def _first(paths: tuple[str, ...], env: str, name: str) -> str | None:
    explicit = os.environ.get(env)
    if explicit:
        return explicit
    for path in paths:
        if Path(path).exists():
            return path
    return shutil.which(name)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium driven by Selenium, 1440x900."""
    binary = _first(CHROMIUM_CANDIDATES, "CHROMIUM_BINARY", "chromium")
    driver_path = _first(DRIVER_CANDIDATES, "CHROMEDRIVER", "chromedriver")
    if binary is None or driver_path is None:
        message = (
            "BROWSER TEST NOT RUN: chromium / chromedriver not found "
            "(apt-get install chromium chromium-driver)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--force-device-scale-factor=1",
        "--lang=en-US",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(150)
    try:
        yield driver
    finally:
        driver.quit()
