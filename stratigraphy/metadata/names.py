"""Borehole names: ``Bohrung KB 3``, ``Sondierbohrung: SST KB 5``, ``SONDAGE S 4``, ``F12``."""

from __future__ import annotations

import re
from dataclasses import dataclass

LABEL_RE = re.compile(
    r"\b(?:rotationskernbohrung|sondierbohrung|kernbohrung|rammkernbohrung|bohrung|bohrloch|"
    r"rammsondierung|sondierung|sondierschlitz|baggerschlitz|schurf|piézomètre|piezometer|"
    r"trial pit|test pit|pozzo|puits|fouille|erdw[äa]rmesonde|erdsonde|"
    r"sondage|forage|sondaggio|perforazione|borehole|boring|bohr-?\s?nr\.?|bohrprofil)\b"
    r"\s*(?:nr\.?|no\.?|n°|nummer)?\s*[:.]?\s*",
    re.IGNORECASE,
)
# identifiers: letters + number (KB 3, SST KB 5, RB 2 / I, S4, F-12, BH 7a, B 12/3)
CODE_RE = re.compile(
    r"(?:[A-ZÄÖÜ]{1,5}\s?){0,2}[A-ZÄÖÜ]{0,5}\s?[-.]?\s?\d{1,4}[a-z]?(?:\s?[/-]\s?(?:[IVX]{1,4}|\d{1,4}[a-z]?))?(?![\d.,])"
)
STANDALONE_RE = re.compile(
    r"^(?:[A-ZÄÖÜ]{1,5}\s){0,2}(?:KB|RB|SB|BS|BH|B|S|F|P|KS|RKB|GWR|DH|TB|SO|PZ|RS|SC|TP|EWS)\s?[a-z]?\s?[-.]?\s?\d{1,4}[a-z]?"
    r"(?:\s?[/-]\s?(?:[IVX]{1,4}|\d{1,4}))?$"
)
YEAR_RE = re.compile(r"(?:19|20)\d{2}")
STOP_WORDS = re.compile(r"\b(?:trocken|mit|bis|und|et|de|du|la|le|in|m)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NameMatch:
    name: str
    start: int
    end: int
    labelled: bool


def find_name(text: str) -> NameMatch | None:
    """A borehole identifier after a label in ``text``, or a lone identifier like ``KB 3``."""
    for label in LABEL_RE.finditer(text):
        rest = text[label.end() :]
        m = CODE_RE.match(rest)
        if m and m.group(0).strip() and any(ch.isdigit() for ch in m.group(0)):
            name = _tidy(m.group(0))
            if name and not STOP_WORDS.fullmatch(name) and not YEAR_RE.fullmatch(name):
                start = label.end() + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
                start = max(start, text.find(name, start))
                return NameMatch(name, start, start + len(name), True)
    stripped = text.strip()
    if STANDALONE_RE.match(stripped):
        start = text.index(stripped)
        return NameMatch(_tidy(stripped), start, start + len(stripped), False)
    return None


# words of a title that stand between the label and the code: 'TRIAL PIT LOG TP 2'
_TITLE_WORDS = re.compile(
    r"^(?:log|profil|profile|record|sheet|coupe|journal|nr|no)\b\.?\s*", re.IGNORECASE
)


def _tidy(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" :.-")
    while (shorter := _TITLE_WORDS.sub("", name)) != name and re.search(r"\d", shorter):
        name = shorter.strip(" :.-")
    return name
