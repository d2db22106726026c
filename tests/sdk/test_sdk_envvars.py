"""Typed environment values shared by every settings object."""

from __future__ import annotations

import pytest

from label_studio_ml.envvars import env_bool, env_float, env_int, env_str
from label_studio_ml.errors import ConfigError


def test_blank_counts_as_unset_and_first_name_wins():
    env = {"A": "  ", "B": " x ", "C": "y"}
    assert env_str(env, "A") is None
    assert env_str(env, "A", "B", "C") == "x"
    assert env_int(env, "A", 7) == 7
    assert env_bool(env, "A", True) is True


@pytest.mark.parametrize("raw,value", [("12", 12), ("1_000", 1000), (" -3 ", -3)])
def test_int(raw, value):
    assert env_int({"N": raw}, "N", 0) == value


@pytest.mark.parametrize(
    "raw,message",
    [
        ("many", "N must be a whole number"),
        ("1.5", "whole number"),
        ("0", "at least 1"),
        ("11", "at most 10"),
    ],
)
def test_int_errors_name_the_variable(raw, message):
    with pytest.raises(ConfigError, match=message):
        env_int({"N": raw}, "N", 5, low=1, high=10)


def test_float_rejects_nan_and_out_of_range():
    assert env_float({"F": "2.5"}, "F", 0.0) == 2.5
    with pytest.raises(ConfigError, match=r"F must be a number"):
        env_float({"F": "nan"}, "F", 1.0)
    with pytest.raises(ConfigError, match=r"at least 0\.1"):
        env_float({"F": "0"}, "F", 1.0, low=0.1)


@pytest.mark.parametrize("raw,value", [("TRUE", True), ("on", True), ("0", False), ("No", False)])
def test_bool(raw, value):
    assert env_bool({"B": raw}, "B", not value) is value


def test_bool_rejects_other_words():
    with pytest.raises(ConfigError, match="B must be true or false"):
        env_bool({"B": "maybe"}, "B", True)
