"""Label-aware rewriting of a transcription (pure).

- ``Depth Interval``: ``start: X end: Y`` with comma decimals and French negative
  depths normalised; a single printed value is a layer top (``start: X end: ``),
  as :func:`stratigraphy.depths.parse_depth_interval` reads it.
- ``Coordinates``: ``E / N`` of the LV95 or LV03 pair printed.
- ``Elevation``: the number of metres above sea level.
- anything else, or text the parser cannot read: the text unchanged.
"""

from __future__ import annotations

import logging
import re

from stratigraphy.depths import parse_depth_interval

log = logging.getLogger(__name__)

DEPTH_INTERVAL = "depth interval"
COORDINATES = "coordinates"
ELEVATION = "elevation"


def format_number(value: float, max_decimals: int = 2) -> str:
    """``0.30 -> '0.3'``, ``10.0 -> '10'``, never exponent notation."""
    text = f"{value:.{max_decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def depth_interval_text(text: str) -> str | None:
    """``start: 0.3 end: 1.6`` for a printed interval, None when none is printed."""
    interval = parse_depth_interval(text)
    if interval is None:
        return None
    start = "" if interval.start is None else format_number(interval.start)
    end = "" if interval.end is None else format_number(interval.end)
    return f"start: {start} end: {end}"


def coordinates_text(text: str) -> str | None:
    """``2607562 / 1187087.5`` (east / north) for printed Swiss coordinates, else None."""
    from stratigraphy.metadata.coordinates import parse_coordinates

    coords = parse_coordinates(text)
    if coords is None:
        return None
    return f"{format_number(coords.east)} / {format_number(coords.north)}"


def elevation_text(text: str) -> str | None:
    """The elevation printed in ``text`` as a plain number, else None."""
    from stratigraphy.metadata.elevation import parse_elevation

    value = parse_elevation(text)
    return None if value is None else format_number(value)


_REWRITERS = {
    DEPTH_INTERVAL: depth_interval_text,
    COORDINATES: coordinates_text,
    ELEVATION: elevation_text,
}


def is_numeric_label(label: str | None) -> bool:
    """True for labels whose boxes hold numbers (depths, coordinates, elevation)."""
    return bool(label) and _key(label) in _REWRITERS  # type: ignore[arg-type]


def _key(label: str) -> str:
    return re.sub(r"\s+", " ", label).strip().lower()


def apply_label(label: str | None, text: str) -> str:
    """The transcription to show for a box carrying ``label`` (see the module docstring)."""
    if not label or not text:
        return text
    rewrite = _REWRITERS.get(_key(label))
    if rewrite is None:
        return text
    try:
        value = rewrite(text)
    except ImportError:  # an engine parser that is not installed: keep the text
        log.warning("no parser for label %r available; text kept as read", label)
        return text
    return text if value is None else value
