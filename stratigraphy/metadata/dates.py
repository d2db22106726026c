"""Dates in free text, as ISO 8601 strings.

Handles ``19.5.1999``, ``20.06.13``, ``2013-06-20``, ``20/06/2013``, ranges like
``2.-3. 9. 1995`` (the last day is returned, the day drilling ended) and month
names in German, French, Italian and English (``3. September 1995``,
``14 mars 2008``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1,
    "januar": 1,
    "janvier": 1,
    "gennaio": 1,
    "january": 1,
    "feb": 2,
    "februar": 2,
    "février": 2,
    "fevrier": 2,
    "febbraio": 2,
    "february": 2,
    "mär": 3,
    "märz": 3,
    "mar": 3,
    "mars": 3,
    "marzo": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "avril": 4,
    "aprile": 4,
    "mai": 5,
    "may": 5,
    "maggio": 5,
    "jun": 6,
    "juni": 6,
    "juin": 6,
    "giugno": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "juillet": 7,
    "luglio": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "août": 8,
    "aout": 8,
    "agosto": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "septembre": 9,
    "settembre": 9,
    "okt": 10,
    "oct": 10,
    "oktober": 10,
    "octobre": 10,
    "ottobre": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "novembre": 11,
    "dez": 12,
    "dec": 12,
    "dezember": 12,
    "décembre": 12,
    "decembre": 12,
    "dicembre": 12,
    "december": 12,
}
_SEP = r"\s?[./-]\s?"
NUMERIC_RE = re.compile(
    rf"(?<![\d.,/])(?:(?P<d0>\d{{1,2}})\.?\s?[-–]\s?)?(?P<d>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<y>\d{{4}}|\d{{2}})(?![\d]|[.,/]\d)"
)
ISO_RE = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
NAMED_RE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\.?\s+(?P<mon>[A-Za-zÀ-ÿ]{3,9})\.?\s+(?P<y>\d{4})(?!\d)"
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    iso: str
    start: int
    end: int


def _make(y: int, m: int, d: int) -> str | None:
    if y < 100:
        y += 2000 if y <= (dt.date.today().year % 100) else 1900
    if not 1900 <= y <= dt.date.today().year + 1:
        return None
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Every date in ``text`` in reading order."""
    found: list[DateMatch] = []
    for m in ISO_RE.finditer(text):
        iso = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        if iso:
            found.append(DateMatch(iso, m.start(), m.end()))
    for m in NUMERIC_RE.finditer(text):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        iso = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        if iso:
            found.append(DateMatch(iso, m.start(), m.end()))
    for m in NAMED_RE.finditer(text):
        month = MONTHS.get(m["mon"].lower()) or MONTHS.get(m["mon"].lower()[:3])
        if month:
            iso = _make(int(m["y"]), month, int(m["d"]))
            if iso:
                found.append(DateMatch(iso, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD``, or None."""
    dates = find_dates(text)
    return dates[0].iso if dates else None
