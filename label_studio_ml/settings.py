"""Settings of the SDK app, read from the environment once at start-up."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from label_studio_ml.envvars import env_float, env_int, env_str
from label_studio_ml.errors import ConfigError

DEFAULT_WEBHOOK_SECRET_HEADER = "X-Webhook-Secret"
DEFAULT_MODEL_DIR = Path("./data/models")
#: Largest request body accepted (a 100-task batch with full annotations is a few MB).
DEFAULT_MAX_REQUEST_BYTES = 50 * 1024 * 1024
#: Label Studio gives up on /predict after 100 s (ML_TIMEOUT_PREDICT): answer before that.
DEFAULT_PREDICT_DEADLINE_SECONDS = 80.0
#: Time a client has to send its whole request body (slow clients cannot hold a thread).
DEFAULT_BODY_READ_SECONDS = 20.0
#: Label Studio's "Retrieve predictions" sends all selected tasks in one request.
DEFAULT_MAX_TASKS_PER_REQUEST = 1000
#: Predictions running at once per worker process (memory and CPU bound).
DEFAULT_MAX_CONCURRENT_PREDICTIONS = 2
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True)
class SDKSettings:
    """What the app factory needs: auth, webhook secret, state directory, log level.

    Basic auth is on only when both ``basic_auth_user`` and ``basic_auth_pass`` are set.
    Secrets are kept out of ``repr`` so the settings object can be logged.
    """

    basic_auth_user: str | None = None
    basic_auth_pass: str | None = field(default=None, repr=False)
    webhook_secret_header: str = DEFAULT_WEBHOOK_SECRET_HEADER
    webhook_secret: str | None = field(default=None, repr=False)
    model_dir: Path = DEFAULT_MODEL_DIR
    log_level: str = "INFO"
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    predict_deadline_seconds: float = DEFAULT_PREDICT_DEADLINE_SECONDS
    body_read_seconds: float = DEFAULT_BODY_READ_SECONDS
    max_tasks_per_request: int = DEFAULT_MAX_TASKS_PER_REQUEST
    max_concurrent_predictions: int = DEFAULT_MAX_CONCURRENT_PREDICTIONS

    def __post_init__(self) -> None:
        level = self.log_level.upper()
        if level not in _LOG_LEVELS:
            raise ConfigError(
                f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, got {self.log_level!r}"
            )
        object.__setattr__(self, "log_level", level)
        object.__setattr__(self, "model_dir", Path(self.model_dir))
        if bool(self.basic_auth_user) != bool(self.basic_auth_pass):
            logging.getLogger(__name__).warning(
                "Only one of BASIC_AUTH_USER / BASIC_AUTH_PASS is set: basic auth stays OFF"
            )
        if not self.webhook_secret_header.strip():
            raise ConfigError("WEBHOOK_SECRET_HEADER must not be empty")

    @property
    def auth_enabled(self) -> bool:
        """True when both basic-auth user and password are configured."""
        return bool(self.basic_auth_user and self.basic_auth_pass)

    @property
    def state_path(self) -> Path:
        """The SQLite file holding per-project state."""
        return self.model_dir / "state.db"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SDKSettings:
        """Build the settings from ``environ`` (default: ``os.environ``)."""
        env = os.environ if environ is None else environ
        return cls(
            basic_auth_user=env_str(env, "BASIC_AUTH_USER"),
            basic_auth_pass=env_str(env, "BASIC_AUTH_PASS"),
            webhook_secret_header=env_str(env, "WEBHOOK_SECRET_HEADER")
            or DEFAULT_WEBHOOK_SECRET_HEADER,
            webhook_secret=env_str(env, "WEBHOOK_SECRET"),
            model_dir=Path(env_str(env, "MODEL_DIR") or DEFAULT_MODEL_DIR),
            log_level=env_str(env, "LOG_LEVEL") or "INFO",
            max_request_bytes=env_int(
                env, "MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES, low=1024
            ),
            predict_deadline_seconds=env_float(
                env,
                "PREDICT_DEADLINE_SECONDS",
                DEFAULT_PREDICT_DEADLINE_SECONDS,
                low=1.0,
                high=3600.0,
            ),
            body_read_seconds=env_float(
                env, "BODY_READ_SECONDS", DEFAULT_BODY_READ_SECONDS, low=0.5, high=600.0
            ),
            max_tasks_per_request=env_int(
                env, "MAX_TASKS_PER_REQUEST", DEFAULT_MAX_TASKS_PER_REQUEST, low=1
            ),
            max_concurrent_predictions=env_int(
                env, "MAX_CONCURRENT_PREDICTIONS", DEFAULT_MAX_CONCURRENT_PREDICTIONS, low=1
            ),
        )
