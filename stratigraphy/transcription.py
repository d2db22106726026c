"""One text format per label, shared by both backends (pure).

The stratigraphy backend writes these strings as the transcription of the regions it
pre-annotates; the text extractor writes the same strings for a box an annotator draws,
after reading the printed text of the box with the engine's parsers
(:mod:`stratigraphy.depths`, :mod:`stratigraphy.metadata`). The formats:

- ``Depth Interval``: ``start: 0.3 end: 1.6``; an unknown bound is left empty
  (``start: 4.8 end: ``); depths in metres, positive downwards;
- ``Elevation``: the number (``668.99``);
- ``Coordinates``: ``east / north`` (``2607562 / 1187087.5``);
- ``Groundwater``: ``3 m, 2013-07-11`` (depth, ISO date, then ``666.3 m a.s.l.`` when an
  elevation is printed), the parts that are known;
- ``Borehole Name``: the identifier without its label (``KB 5`` for ``Bohrung: KB 5``).

Numbers are written with at most two decimals, trailing zeros dropped, never in exponent
notation.
"""

from __future__ import annotations

import re

from stratigraphy.depths import MAX_THICKNESS, parse_depth_interval, parse_depth_value
from stratigraphy.metadata.coordinates import parse_coordinates
from stratigraphy.metadata.elevation import parse_elevation
from stratigraphy.metadata.groundwater import find_readings
from stratigraphy.metadata.names import LABEL_RE as NAME_LABEL_RE
from stratigraphy.metadata.names import find_name
from stratigraphy.model import DepthInterval, Groundwater

MATERIAL_DESCRIPTION = "Material Description"
DEPTH_INTERVAL = "Depth Interval"
COORDINATES = "Coordinates"
ELEVATION = "Elevation"
GROUNDWATER = "Groundwater"
BOREHOLE_NAME = "Borehole Name"

FOOT = 0.3048  # metres

# -- formats ------------------------------------------------------------------------------


def format_number(value: float, max_decimals: int = 2) -> str:
    """``0.30 -> '0.3'``, ``10.0 -> '10'``, ``2607562.0 -> '2607562'`` (never exponent notation)."""
    text = f"{value:.{max_decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def depth_text(depth: DepthInterval) -> str:
    """``start: 0.3 end: 1.6``; an unknown bound is left empty (``start:  end: 5``)."""
    start = "" if depth.start is None else format_number(depth.start)
    end = "" if depth.end is None else format_number(depth.end)
    return f"start: {start} end: {end}"


def elevation_text(value: float) -> str:
    """The elevation as a plain number."""
    return format_number(value)


def coordinates_text(east: float, north: float) -> str:
    """``east / north``."""
    return f"{format_number(east)} / {format_number(north)}"


def groundwater_text(water: Groundwater) -> str:
    """``2.65 m, 2013-06-20, 666.3 m a.s.l.`` with the parts that are known."""
    parts: list[str] = []
    if water.depth is not None:
        parts.append(f"{format_number(water.depth)} m")
    if water.date:
        parts.append(water.date)
    if water.elevation is not None:
        parts.append(f"{format_number(water.elevation)} m a.s.l.")
    return ", ".join(parts)


# -- reading the printed text of a box ----------------------------------------------------

_FEET_RE = re.compile(r"\d\s*(?:ft\b|feet\b|foot\b|['’](?!\d))", re.IGNORECASE)
_TOKEN_SPLIT_RE = re.compile(r"[\s;|]+")
_NUMBER_RE = re.compile(r"(?<![\w.,])[-+−–]?\d+(?:['’]\d{3})*(?:[.,]\d+)?(?![\d])")


def _in_feet(text: str) -> bool:
    return _FEET_RE.search(text) is not None


def _feet_to_m(value: float | None) -> float | None:
    return None if value is None else round(value * FOOT, 2)


def parse_depth_box(text: str) -> DepthInterval | None:
    """The depth interval printed in a box: one or two values, or a printed interval.

    ``'4.80 5.50'`` and ``'0,25 0,60'`` (two values, no separator), ``'-0.30 -1.60'``
    (French depths below the surface), ``'0950 10.00'`` (a lost decimal point),
    ``'0.30 - 1.60 m'``, ``'ab 5 m'``; one value is a layer top (``start`` only).
    Values printed in feet (``10 ft``, ``10'``) are converted to metres.
    """
    clean = text.replace("\u00a0", " ").strip()
    if not clean:
        return None
    feet = _in_feet(clean)
    unit_free = re.sub(r"(?<=\d)\s*(?:ft\b|feet\b|foot\b|['’](?!\d))", " ", clean, flags=re.I)
    interval = parse_depth_interval(unit_free)
    values = [
        v
        for token in _TOKEN_SPLIT_RE.split(unit_free)
        if token and (v := parse_depth_value(token)) is not None
    ]
    if interval is None or (interval.end is None and len(values) == 2):
        if len(values) == 2 and values[0] < values[1] <= values[0] + MAX_THICKNESS:
            interval = DepthInterval(values[0], values[1])
        elif len(values) == 1 and interval is None:
            interval = DepthInterval(values[0], None)
    if interval is None:
        return None
    if feet:
        return DepthInterval(_feet_to_m(interval.start), _feet_to_m(interval.end))
    return interval


def _numbers(text: str) -> list[tuple[float, str]]:
    """Signed numbers of ``text`` (thousands apostrophes joined, comma decimals) with their text."""
    out: list[tuple[float, str]] = []
    for m in _NUMBER_RE.finditer(text):
        raw = m.group(0)
        value = raw.replace("'", "").replace("’", "").replace(",", ".").replace("−", "-")
        value = value.replace("–", "-")
        try:
            out.append((float(value), raw))
        except ValueError:
            continue
    return out


def parse_elevation_box(text: str) -> float | None:
    """The elevation printed in a box labelled as one.

    A number the engine recognises as an elevation by its label or unit wins; otherwise
    the box's only number (``'399.78 m'``), or its only number with decimals.
    """
    clean = text.replace("\u00a0", " ")
    value = parse_elevation(clean)
    if value is not None:
        return value
    numbers = [(v, raw) for v, raw in _numbers(clean) if -500 <= v <= 9000]
    if len(numbers) == 1:
        return numbers[0][0]
    decimals = [v for v, raw in numbers if re.search(r"[.,]\d", raw)]
    return decimals[0] if len(decimals) == 1 else None


_NORTH_FIRST_RE = re.compile(r"^\D*\b(?:n|north|nord|y)\b", re.IGNORECASE)


def parse_coordinates_box(text: str) -> tuple[float, float] | None:
    """``(east, north)`` printed in a box labelled as coordinates.

    Swiss LV95/LV03 pairs are recognised by their ranges whatever their order; other
    grids need two numbers of at least five digits, east first unless the box names
    north first (``N 5813623 E 321040``).
    """
    clean = text.replace("\u00a0", " ")
    swiss = parse_coordinates(clean)
    if swiss is not None:
        return swiss.east, swiss.north
    joined = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", clean)  # '321 040' -> '321040'
    big = [v for v, _ in _numbers(joined) if abs(v) >= 10_000]
    if len(big) != 2:
        return None
    first, second = big
    return (second, first) if _NORTH_FIRST_RE.match(joined) else (first, second)


def parse_groundwater_box(text: str) -> Groundwater | None:
    """The first groundwater reading printed in a box labelled as one (depth, date, elevation)."""
    clean = text.replace("\u00a0", " ")
    readings = find_readings(clean) or find_readings(clean, need_label=False)
    if not readings:
        return None
    first = readings[0]
    return Groundwater(depth=first.depth, date=first.date, elevation=first.elevation)


def clean_name(text: str) -> str:
    """A borehole name without its label: ``'Bohrung Nr. KB 5'`` -> ``'KB 5'``."""
    clean = " ".join(text.split())
    match = find_name(clean)
    if match is not None:
        return match.name
    label = NAME_LABEL_RE.match(clean)
    return clean[label.end() :].strip(" :.-") if label else clean.strip(" :.-")


def label_key(label: str | None) -> str:
    return re.sub(r"\s+", " ", label or "").strip().lower()


_NUMERIC = {label_key(x) for x in (DEPTH_INTERVAL, COORDINATES, ELEVATION, GROUNDWATER)}


def is_numeric_label(label: str | None) -> bool:
    """True for labels whose boxes hold numbers (depths, coordinates, elevation, water)."""
    return label_key(label) in _NUMERIC


def format_box_text(label: str | None, text: str) -> str | None:
    """The transcription of a box's printed ``text`` in the format of ``label``.

    None when the label has a format but the text does not hold its value (the caller
    keeps the text as read); labels without a format (descriptions) return the text.
    """
    key = label_key(label)
    if key == label_key(DEPTH_INTERVAL):
        depth = parse_depth_box(text)
        return None if depth is None else depth_text(depth)
    if key == label_key(ELEVATION):
        value = parse_elevation_box(text)
        return None if value is None else elevation_text(value)
    if key == label_key(COORDINATES):
        pair = parse_coordinates_box(text)
        return None if pair is None else coordinates_text(*pair)
    if key == label_key(GROUNDWATER):
        water = parse_groundwater_box(text)
        return None if water is None else groundwater_text(water)
    if key == label_key(BOREHOLE_NAME):
        return clean_name(text) or None
    return text
