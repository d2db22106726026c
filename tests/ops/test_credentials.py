"""The Label Studio login of `make run`: environment first, then the file, else generated once."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from label_studio_ml.errors import ConfigError
from stratigraphy_ml_backend.commands.ls_credentials import read_env_file, resolve_credentials

KEYS = ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN")


def test_generated_once_saved_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "label-studio" / "credentials.env"
    first = resolve_credentials({}, path)
    assert first.generated == frozenset(KEYS)
    assert len(first.token) == 40 and len(first.password) >= 12
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_env_file(path)["LABEL_STUDIO_USER_TOKEN"] == first.token
    again = resolve_credentials({}, path)
    assert (again.username, again.password, again.token) == (
        first.username,
        first.password,
        first.token,
    )
    assert again.generated == frozenset() and again.from_file == frozenset(KEYS)
    other = resolve_credentials({}, tmp_path / "other.env")
    assert other.token != first.token and other.password != first.password


def test_environment_wins_and_is_kept_for_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "credentials.env"
    resolve_credentials({}, path)
    env = {
        "LABEL_STUDIO_USER_TOKEN": "my-own-token-0123456789",
        "LABEL_STUDIO_PASSWORD": "pw-long-1",
    }
    login = resolve_credentials(env, path)
    assert (login.token, login.password) == ("my-own-token-0123456789", "pw-long-1")
    assert login.generated == frozenset() and login.from_file == {"LABEL_STUDIO_USERNAME"}
    assert resolve_credentials({}, path).token == "my-own-token-0123456789"


def test_no_file_generates_without_saving() -> None:
    login = resolve_credentials({"LABEL_STUDIO_USERNAME": "geo@example.org"}, None)
    assert login.username == "geo@example.org"
    assert login.generated == {"LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN"}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("LABEL_STUDIO_USER_TOKEN", "abc"),  # Label Studio ignores tokens of 5 characters or less
        ("LABEL_STUDIO_USER_TOKEN", "x" * 41),  # longer than its token column
        ("LABEL_STUDIO_USER_TOKEN", "has spaces in it 123"),
        ("LABEL_STUDIO_USERNAME", "admin"),  # the user is an e-mail address
        ("LABEL_STUDIO_PASSWORD", "short"),
    ],
)
def test_unusable_values_are_refused(key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        resolve_credentials({key: value}, None)
