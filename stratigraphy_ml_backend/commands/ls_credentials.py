"""The Label Studio admin login: from the environment, else a credentials file, else generated.

``LABEL_STUDIO_USERNAME``, ``LABEL_STUDIO_PASSWORD`` and ``LABEL_STUDIO_USER_TOKEN`` win when
set (compose sets them from .env). Whatever is missing is read from the credentials file
(``make run`` keeps it at ``data/label-studio/credentials.env``, mode 0600), and what the file
lacks too is generated and written there, so a second start uses the same login.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from label_studio_ml.errors import ConfigError

DEFAULT_USERNAME = "admin@example.com"
KEYS = ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN")
TOKEN_LENGTH = (6, 40)  # Label Studio stores legacy tokens in a 40-character column


@dataclass(frozen=True)
class Credentials:
    """The admin login; ``generated`` names the values this run made up, ``from_file`` those
    read from the credentials file (both may be printed: nobody typed them)."""

    username: str
    password: str = field(repr=False)
    token: str = field(repr=False)
    generated: frozenset[str] = frozenset()
    from_file: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if "@" not in self.username:
            raise ConfigError("LABEL_STUDIO_USERNAME must be an e-mail address")
        if not TOKEN_LENGTH[0] <= len(self.token) <= TOKEN_LENGTH[1]:
            raise ConfigError(
                f"LABEL_STUDIO_USER_TOKEN must have {TOKEN_LENGTH[0]} to {TOKEN_LENGTH[1]} "
                "characters"
            )
        if not self.token.isascii() or not self.token.replace("-", "").replace("_", "").isalnum():
            raise ConfigError("LABEL_STUDIO_USER_TOKEN may hold only letters, digits, '-' and '_'")
        if len(self.password) < 8:
            raise ConfigError("LABEL_STUDIO_PASSWORD must have at least 8 characters")


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of a small env file (``#`` comments, no quoting)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip()
    return values


def write_env_file(path: Path, values: Mapping[str, str], comment: str) -> None:
    """Write ``KEY=value`` lines readable only by the owner (atomically replaced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"# {comment}\n")
        for key, value in values.items():
            handle.write(f"{key}={value}\n")
    os.replace(tmp, path)


def _generate(key: str) -> str:
    if key == "LABEL_STUDIO_USERNAME":
        return DEFAULT_USERNAME
    if key == "LABEL_STUDIO_PASSWORD":
        return secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
    return secrets.token_hex(20)  # 40 characters, like Label Studio's own tokens


def resolve_credentials(
    environ: Mapping[str, str] = os.environ, credentials_file: Path | None = None
) -> Credentials:
    """The login to use; generated parts are saved to ``credentials_file`` when one is given."""
    stored = (
        read_env_file(credentials_file)
        if credentials_file is not None and credentials_file.is_file()
        else {}
    )
    values: dict[str, str] = {}
    generated: set[str] = set()
    from_file: set[str] = set()
    for key in KEYS:
        value = (environ.get(key) or "").strip()
        if not value and stored.get(key):
            value = stored[key]
            from_file.add(key)
        if not value:
            value = _generate(key)
            generated.add(key)
        values[key] = value
    if credentials_file is not None and any(stored.get(k) != values[k] for k in KEYS):
        write_env_file(
            credentials_file,
            values,
            "Label Studio admin login of `make run` (environment variables of the same name win)",
        )
    return Credentials(
        username=values["LABEL_STUDIO_USERNAME"],
        password=values["LABEL_STUDIO_PASSWORD"],
        token=values["LABEL_STUDIO_USER_TOKEN"],
        generated=frozenset(generated),
        from_file=frozenset(from_file),
    )
