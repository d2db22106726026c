"""Pure parsing of printed depth values and depth intervals.

Depths are metres, positive downwards. Printed forms handled:

- plain values ``1.60``, ``1,60`` (OCR commas), ``1.60m``, ``1.60 m``, ``-0.30`` (French logs
  print depths below the surface as negative numbers: the depth is 0.30);
- intervals ``0.30 - 1.60 m``, ``1,60 – 2,20``, ``von 0.30 bis 1.60``, ``de 0.30 à 1.60``,
  ``da 0.30 a 1.60``, ``0.30 to 1.60``, ``-0.30 / -1.60``;
- open intervals ``ab 5 m`` / ``dès 5 m`` / ``from 5 m`` (start only) and ``bis 5 m`` /
  ``jusqu'à 5 m`` (end only);
- OCR with a lost decimal point on zero-padded values: ``0950`` is ``09.50``, ``025`` is ``0.25``.

Nothing here knows about page geometry; the layer detector decides which numbers are
boundaries.
"""

from __future__ import annotations

import re

from stratigraphy.model import DepthInterval

#: Deepest depth (m) accepted as a borehole depth; larger numbers are elevations, years, ids.
MAX_DEPTH = 2000.0
#: Thickest layer (m) an interval may describe; wider pairs are a depth and an elevation.
MAX_THICKNESS = 150.0

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_UNIT = r"(?:m|m\.|mt|meter|metres?|mètres?|metri)"
_FEET = r"(?:'|\u2019|ft\.?|feet)"
#: A depth printed in feet ('13.0\'', '13 ft', 'FEET'); the layer detector converts such a column.
FEET_MARK = re.compile(r"(?:\d\s?(?:'|\u2019)(?!\d)|(?<![a-z])ft\b\.?|\bfeet\b)", re.IGNORECASE)
FOOT = 0.3048
_VALUE_RE = re.compile(
    rf"^\(?(?P<sign>[{_DASHES}+]?)\s?(?P<num>\d{{1,4}}(?:[.,]\d{{1,3}})?|[.,]\d{{1,3}})\s?(?:{_UNIT}|{_FEET})?[.:;,)]*$",
    re.IGNORECASE,
)
# A number inside free text; a sign only counts when it is not glued to a preceding digit.
_NUMBER_RE = re.compile(
    rf"(?<![\d.,:])(?P<sign>(?<!\d)[{_DASHES}](?=\s?\d))?\s?(?P<num>\d{{1,4}}(?:[.,]\d{{1,3}})?)(?![\d:/]|[.,]\d)",
)
_FROM_WORDS = r"(?:ab|von|vom|dès|des|de|depuis|from|da|dal)"
_TO_WORDS = r"(?:bis|à|a|au|jusqu'?à|jusqu’à|to|till|until|al)"
_SEP = (
    rf"(?:\s*[{_DASHES}/\u00b7\u00f7]\s*|\s+{_TO_WORDS}(?:\s+|\s*m\.?\s+)(?:m\.?\s+)?|\s*\.\.\s*)"
)


def _to_float(num: str) -> float | None:
    text = num.replace(",", ".")
    if text.startswith("."):
        text = "0" + text
    if re.fullmatch(r"0\d{2,3}", text):
        # zero-padded value whose decimal point the OCR lost: 0950 -> 09.50, 025 -> 0.25
        text = text[:-2] + "." + text[-2:]
    try:
        return float(text)
    except ValueError:
        return None


_OCR_DIGITS = re.compile(r"[-\u2212]?[\dOoIl|]{1,4}[.,][\dOoIl|]{1,3}(?:m)?")
_OCR_TO_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def parse_depth_value(token: str) -> float | None:
    """The depth printed in ``token`` (one word, possibly with unit/sign), or None.

    A leading minus is a French "below surface" depth and is dropped. Values above
    :data:`MAX_DEPTH` are not depths.
    """
    text = token.strip().replace("\u00a0", " ").lstrip("±")
    if not text:
        return None
    if _OCR_DIGITS.fullmatch(text) and re.search(r"\d", text):
        text = text.translate(_OCR_TO_DIGIT)  # OCR letters for digits: 'O.50', '1l.20'
    match = _VALUE_RE.match(text)
    if match is None or re.fullmatch(r"[-\u2212]?\d+[.,]", text):
        return None  # '0.' is a value whose decimals were lost
    value = _to_float(match.group("num"))
    if value is None or value > MAX_DEPTH:
        return None
    return abs(value)


def has_explicit_decimals(token: str) -> bool:
    """True when the token prints a decimal separator (``1.60``, ``0,25``)."""
    return bool(re.search(r"\d[.,]\d", token))


def find_depth_values(text: str) -> list[tuple[float, int, int]]:
    """Every number of ``text`` that could be a depth, with its character span."""
    found: list[tuple[float, int, int]] = []
    for match in _NUMBER_RE.finditer(text):
        value = _to_float(match.group("num"))
        if value is not None and value <= MAX_DEPTH:
            found.append((value, match.start(), match.end()))
    return found


_INTERVAL_RE = re.compile(
    rf"(?:{_FROM_WORDS}\s+(?:m\.?\s+)?)?(?P<a>[{_DASHES}]?\s?\d{{1,4}}(?:[.,]\d{{1,3}})?)\s*{_UNIT}?"
    rf"{_SEP}"
    rf"(?P<b>[{_DASHES}]?\s?\d{{1,4}}(?:[.,]\d{{1,3}})?)(?![\d:])\s*{_UNIT}?",
    re.IGNORECASE,
)
_OPEN_START_RE = re.compile(
    rf"(?<!\w)(?:ab|dès|des|depuis|from|below|da|dal|unter)\s+(?P<a>[{_DASHES}]?\d{{1,4}}(?:[.,]\d{{1,3}})?)\s*{_UNIT}?(?!\s*[{_DASHES}/]\s*\d)",
    re.IGNORECASE,
)
_OPEN_END_RE = re.compile(
    rf"(?<!\w)(?:bis|jusqu'?à|jusqu’à|to|until|fino\s+a)\s+(?P<b>[{_DASHES}]?\d{{1,4}}(?:[.,]\d{{1,3}})?)\s*{_UNIT}?",
    re.IGNORECASE,
)


def _num(text: str) -> float | None:
    text = re.sub(rf"^[{_DASHES}]\s?", "", text.strip())
    value = _to_float(text)
    return value if value is not None and value <= MAX_DEPTH else None


def parse_depth_interval(text: str) -> DepthInterval | None:
    """The depth interval printed in ``text``, or None when it prints none.

    ``'0.30 - 1.60 m'`` -> (0.3, 1.6); ``'ab 5 m'`` -> (5, None); ``'bis 5 m'`` -> (None, 5);
    a single value ``'-0.30'`` -> (0.3, None), the top of a layer in inline logs.
    An interval whose end is above its start is rejected (None).
    """
    clean = text.replace("\u00a0", " ").strip()
    if not clean:
        return None
    match = _INTERVAL_RE.search(clean)
    if match is not None:
        start, end = _num(match.group("a")), _num(match.group("b"))
        if start is not None and end is not None and start < end <= start + MAX_THICKNESS:
            return DepthInterval(start, end)
        return None  # reversed, or a depth with an elevation ('-0.30 / 451.70')
    match = _OPEN_START_RE.search(clean)
    if match is not None:
        start = _num(match.group("a"))
        return DepthInterval(start, None) if start is not None else None
    match = _OPEN_END_RE.search(clean)
    if match is not None:
        end = _num(match.group("b"))
        return DepthInterval(None, end) if end is not None else None
    values = [v for v, _, _ in find_depth_values(clean)]
    if len(values) == 1:
        return DepthInterval(values[0], None)
    return None
