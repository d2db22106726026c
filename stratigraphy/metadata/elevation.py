"""Reference elevations (metres above sea level) in free text.

A number counts as an elevation when a label precedes it (``Kote``, ``Höhe``,
``OK Terrain``, ``altitude``, ``quota``, ``elevation`` ...) or a height unit
follows it (``m ü.M.``, ``müM``, ``m s.m.``, ``m a.s.l.``, ``MASL``). OCR variants
(``U.M.``, ``ü. M.``) are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_ELEVATION, MAX_ELEVATION = 150.0, 4700.0  # Swiss terrain, with margin

LABEL_RE = re.compile(
    r"(?:terrainkote|terrainh[öo]he|ansatzh[öo]he|ansatzkote|ansatzpunkt|bezugspunkt|kote|koten|h[öo]he|"
    r"ok\.?\s*terrain|o\.k\.\s*terrain|okt|terrain|gel[äa]nde(?:h[öo]he|kote)?|"
    r"altitude(?:\s+de\s+d[ée]part)?|alt\.|cote(?:\s+du\s+terrain)?|z\s*=|"
    r"quota|elevation|ground\s+level|niveau\s+du\s+terrain)",
    re.IGNORECASE,
)
UNIT_RE = re.compile(
    r"^\s*(?:m\.?\s*)?(?:[üuùúÜUÙ]\s*\.?\s*[mM]\b\.?|[üuùúÜUÙ]\s*\.?\s*[mM]\s*\.|s\.?\s*l?\.?\s*m\.|"
    r"a\.?\s*s\.?\s*l\.?|asl\b|nn\b|msm\b|m\.?\s*ü\.?\s*meer)",
    re.IGNORECASE,
)
UNIT_ANYWHERE_RE = re.compile(
    r"(?:\bm\.?\s*)?[üuùúÜUÙ]\s*\.?\s*[mM]\b\.?|\bm\s*s\.\s*l?\.?\s*m\.|\bm\s*a\.s\.l\.|\bmasl\b",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(
    r"(?<![\d.,'’])[~≈]?\s?(\d['’]\d{3}(?:[.,]\d{1,3})?|\d{3,4}(?:[.,]\d{1,3})?)(?![\d'’])(?:[.,](?!\d))?"
)
# a well-construction or water level elevation, not the reference elevation
OTHER_LEVEL_RE = re.compile(
    r"\b(?:brunnen|filter\w*|rohr|uk|grundwasser\w*|wasserspiegel|gw|hw|mw|nw|nappe|"
    r"piézo\w*|falda|water|fels\w*|rocher|roccia|sohle)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ElevationMatch:
    value: float
    start: int
    end: int
    labelled: bool  # a label precedes the number
    with_unit: bool  # a height unit follows it (or the label carries one)


def find_elevation(text: str) -> ElevationMatch | None:
    """The first number in ``text`` that is an elevation by label or unit."""
    label = LABEL_RE.search(text)
    for m in NUMBER_RE.finditer(text):
        value = float(m.group(1).replace(",", ".").replace("'", "").replace("’", ""))
        if not MIN_ELEVATION <= value <= MAX_ELEVATION:
            continue
        after = text[m.end() : m.end() + 16]
        with_unit = UNIT_RE.match(after) is not None
        # characters between the end of the label and the number (None: no label before it)
        gap = m.start() - label.end() if label is not None and label.start() < m.start() else None
        unit_before = (
            UNIT_ANYWHERE_RE.search(text[: m.start()]) is not None
            and m.start() - (label.end() if label else 0) < 30
        )
        if not (with_unit or (gap is not None and (unit_before or gap < 40))):
            continue
        # a bare integer after a label: only with metres right after a label close by
        # ("Altitude: 512 m"); years and ids have neither
        if (
            not re.search(r"[.,]", m.group(1))
            and not (with_unit or unit_before)
            and not (gap is not None and gap < 12 and re.match(r"\s?m\b(?!m)", after))
        ):
            continue
        return ElevationMatch(
            value, m.start(1), m.end(1), gap is not None, with_unit or unit_before
        )
    return None


def parse_elevation(text: str) -> float | None:
    """The elevation printed in ``text`` (m above sea level), or None."""
    match = find_elevation(text)
    return match.value if match else None


def is_other_level(text: str) -> bool:
    """True when the text names a level that is not the reference (well parts, water, rock)."""
    return OTHER_LEVEL_RE.search(text) is not None
