"""Unit tests of the pure depth parsers."""

from __future__ import annotations

import pytest

from stratigraphy.depths import find_depth_values, parse_depth_interval, parse_depth_value
from stratigraphy.model import DepthInterval


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("1.60", 1.6),
        ("1,60", 1.6),
        ("0.25", 0.25),
        ("-0.30", 0.3),
        ("\u22121.20", 1.2),
        ("12.65m", 12.65),
        ("3 m", 3.0),
        ("30,00", 30.0),
        ("10", 10.0),
        ("0950", 9.5),  # OCR lost the decimal point of 09.50
        ("025", 0.25),
        ("2.50:", 2.5),
        (".50", 0.5),
        ("O.50", 0.5),  # OCR letter O for zero
        ("1l.20", 11.2),
        ("±0.00", 0.0),
    ],
)
def test_parse_depth_value_reads_printed_depths(token: str, expected: float) -> None:
    assert parse_depth_value(token) == pytest.approx(expected)


@pytest.mark.parametrize("token", ["", "Kies", "1:100", "19.05.1999", "12a", "2500", "m"])
def test_parse_depth_value_rejects_non_depths(token: str) -> None:
    assert parse_depth_value(token) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.30 - 1.60 m", DepthInterval(0.3, 1.6)),
        ("1,60 \u2013 2,20", DepthInterval(1.6, 2.2)),
        ("0.30-1.60", DepthInterval(0.3, 1.6)),
        ("0.30 m - 1.60 m", DepthInterval(0.3, 1.6)),
        ("von 2.00 bis 4.50 m", DepthInterval(2.0, 4.5)),
        ("de 0.30 à 1.60 m", DepthInterval(0.3, 1.6)),
        ("da 1.0 a 2.5 m", DepthInterval(1.0, 2.5)),
        ("from 3 to 4.2 m", DepthInterval(3.0, 4.2)),
        ("-0.30 / -1.60", DepthInterval(0.3, 1.6)),
        ("ab 5 m", DepthInterval(5.0, None)),
        ("dès 5.20 m", DepthInterval(5.2, None)),
        ("bis 3.40 m", DepthInterval(None, 3.4)),
        ("-0.30", DepthInterval(0.3, None)),
        ("12.65", DepthInterval(12.65, None)),
    ],
)
def test_parse_depth_interval(text: str, expected: DepthInterval) -> None:
    got = parse_depth_interval(text)
    assert got is not None
    assert (
        got.start == pytest.approx(expected.start)
        if expected.start is not None
        else got.start is None
    )
    assert got.end == pytest.approx(expected.end) if expected.end is not None else got.end is None


@pytest.mark.parametrize(
    "text", ["", "Kies, sandig", "2.00 - 1.00", "1.20 2.40 3.60", "1:100", "-0.30 / 451.70"]
)
def test_parse_depth_interval_rejects(text: str) -> None:
    assert parse_depth_interval(text) is None


def test_find_depth_values_skips_dates_and_scales() -> None:
    values = [v for v, _, _ in find_depth_values("Datum 19.05.1999 Massstab 1:100 Tiefe 2.30 m")]
    assert values == [2.3]
