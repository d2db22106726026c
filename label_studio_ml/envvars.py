"""Reading typed values out of an environment mapping, with clear errors.

Used by every settings object of the project (SDK, storage, both backends,
ingest, engine). A blank value counts as unset. Bad values raise
:class:`~label_studio_ml.errors.ConfigError` naming the variable, so a service
refuses to start with a message that says what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping

from label_studio_ml.errors import ConfigError

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def env_str(env: Mapping[str, str], *names: str) -> str | None:
    """The first of ``names`` that is set to a non-blank value, stripped (None if none is)."""
    for name in names:
        value = env.get(name)
        if value is not None and value.strip():
            return value.strip()
    return None


def _check_range(name: str, value: float, low: float | None, high: float | None) -> None:
    if low is not None and value < low:
        raise ConfigError(f"{name} must be at least {low}, not {value}")
    if high is not None and value > high:
        raise ConfigError(f"{name} must be at most {high}, not {value}")


def env_int(
    env: Mapping[str, str],
    name: str,
    default: int,
    *,
    low: int | None = None,
    high: int | None = None,
) -> int:
    """A whole number (``_`` separators allowed), within ``[low, high]``."""
    raw = env_str(env, name)
    if raw is None:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    _check_range(name, value, low, high)
    return value


def env_float(
    env: Mapping[str, str],
    name: str,
    default: float,
    *,
    low: float | None = None,
    high: float | None = None,
) -> float:
    """A number, within ``[low, high]``."""
    raw = env_str(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    if value != value:  # NaN
        raise ConfigError(f"{name} must be a number, not {raw!r}")
    _check_range(name, value, low, high)
    return value


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case)."""
    raw = env_str(env, name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")
