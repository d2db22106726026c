"""A per-request deadline shared by everything that runs for one request.

The app sets it when a request starts (``PREDICT_DEADLINE_SECONDS``, below Label
Studio's 100 s predict timeout); downloads shorten their time limits to what is
left, and the models check it between tasks. It lives in a context variable, so
each request thread sees only its own deadline.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from label_studio_ml.errors import DeadlineExceeded


@dataclass(frozen=True, slots=True)
class Deadline:
    """A point in ``time.monotonic()`` time by which the request must be answered."""

    at: float
    seconds: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds, seconds)

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


_current: ContextVar[Deadline | None] = ContextVar("label_studio_ml_deadline", default=None)


def current() -> Deadline | None:
    """The deadline of the running request (None outside a request)."""
    return _current.get()


@contextmanager
def deadline_of(seconds: float) -> Iterator[Deadline]:
    """Run a block under a deadline ``seconds`` from now."""
    deadline = Deadline.after(seconds)
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def set_current(deadline: Deadline | None) -> None:
    """Install ``deadline`` for the rest of this thread's request (the app resets it)."""
    _current.set(deadline)


def time_left(limit: float) -> float:
    """``limit`` seconds, or less when the request's deadline comes sooner.

    Raises :class:`DeadlineExceeded` when the deadline has already passed.
    """
    deadline = _current.get()
    if deadline is None:
        return limit
    left = deadline.remaining()
    if left <= 0:
        raise DeadlineExceeded(
            f"the request ran past its deadline of {deadline.seconds:.0f} s "
            "(PREDICT_DEADLINE_SECONDS)"
        )
    return min(limit, left)


def check() -> None:
    """:class:`DeadlineExceeded` when the running request's deadline has passed."""
    time_left(float("inf"))
