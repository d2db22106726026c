"""Groundwater readings: ``GW 2.65 m (20.06.2013)``, ``niveau de la nappe: -3.10 m``,
a ▽ symbol with a depth, or a small table of dates and depths under a water label. Water met
over a range ('between 11.5 and 12.7 m') is read at the range's top.

Conservative on purpose: a reading needs a water label (or symbol) and a depth;
``trocken`` / ``sec`` / ``dry`` mean there is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stratigraphy.metadata.dates import find_dates
from stratigraphy.metadata.elevation import MAX_ELEVATION, MIN_ELEVATION

LABEL_RE = re.compile(
    r"(?:grundwasser(?:spiegel|stand)?|ruhewasserspiegel|wasserspiegel|wasserstand|w\.\s?sp\.|"
    r"\bgw(?:sp|-?spiegel)?\b|niveau\s+d'eau|niveau\s+de\s+(?:la\s+)?nappe|niveau\s+pi[ée]zom[ée]trique|"
    r"\bnappe\b|venues?\s+d'eau|livello\s+(?:della\s+)?falda|\bfalda\b|ground\s?water(?:\s+level)?|"
    r"water\s+(?:level|table|strike)|[▽∇▼])(?![a-zäöüéèà])",
    re.IGNORECASE,
)
DRY_RE = re.compile(
    r"\b(?:trocken|kein(?:e|en)?\s+(?:grund)?wasser|sec|sèche|pas\s+de\s+nappe|asciutt[oa]|dry|"
    r"no\s+groundwater|nicht\s+angetroffen|non\s+rencontr[ée]e?)\b",
    re.IGNORECASE,
)
DEPTH_RE = re.compile(
    r"(?<![\d.,'/])(?P<sign>[-–−])?\s?(?P<num>\d{1,3}(?:[.,]\d{1,3})?)\s?(?P<unit>m\b\.?)?(?!\s?[üuùúÜUÙ]\s?\.?\s?M)(?![\d'/]|[.,]\d)"
)
ELEV_RE = re.compile(r"(?<![\d.,])(\d{3,4}[.,]\d{1,3})\s?m?\s?[üuùúÜUÙ]\s?\.?\s?M", re.IGNORECASE)
# water met over a depth range (an inflow zone): its top is the reading, not both ends
RANGE_RE = re.compile(
    r"\b(?:between|from|zwischen|von|entre|de|tra|fra|da)\s+\d{1,3}(?:[.,]\d{1,3})?\s?m?\s+"
    r"(?:and|to|und|bis|et|à|a|e)\s+(?P<end>\d{1,3}(?:[.,]\d{1,3})?)",
    re.IGNORECASE,
)
MAX_WATER_DEPTH = 150.0
MAX_LABEL_DISTANCE = 32  # characters between the water label and its first depth


@dataclass(frozen=True, slots=True)
class WaterMatch:
    depth: float | None
    date: str | None
    elevation: float | None
    start: int
    end: int


def has_label(text: str) -> bool:
    return LABEL_RE.search(text) is not None


def is_dry(text: str) -> bool:
    return DRY_RE.search(text) is not None


def find_readings(text: str, *, need_label: bool = True) -> list[WaterMatch]:
    """Readings in ``text``: each depth after the water label, with a date and elevation nearby."""
    label = LABEL_RE.search(text)
    if need_label and label is None:
        return []
    offset = label.end() if label else 0
    body = text[offset:]
    dates = find_dates(body)
    blocked = [(d.start, d.end) for d in dates]
    elevations = [
        (float(m.group(1).replace(",", ".")), m.start(), m.end()) for m in ELEV_RE.finditer(body)
    ]
    blocked += [(s, e) for _, s, e in elevations]
    blocked += [(m.start("end"), m.end("end")) for m in RANGE_RE.finditer(body)]
    out: list[WaterMatch] = []
    for m in DEPTH_RE.finditer(body):
        if any(s <= m.start("num") < e for s, e in blocked):
            continue
        if need_label and m.start() > MAX_LABEL_DISTANCE + 40 * len(out):
            break  # a number far from the label belongs to something else
        num = m["num"]
        has_decimals = "." in num or "," in num
        if not (m["unit"] or has_decimals):
            continue
        depth = float(num.replace(",", "."))
        if not 0.0 < depth <= MAX_WATER_DEPTH:
            continue
        date = min(dates, key=lambda d: abs(d.start - m.start())).iso if dates else None
        elevation = next((v for v, s, _ in elevations if MIN_ELEVATION <= v <= MAX_ELEVATION), None)
        out.append(WaterMatch(depth, date, elevation, offset + m.start(), offset + m.end()))
    return out
