"""Depth entries: the places on a page where a run prints a depth.

An entry is either a single value (a boundary ``a above b`` or an inline top depth) or an
interval ``a - b``. Values that are labelled (``Endtiefe 10.00 m``), followed by another
unit (``668.99 m ü.M.``, ``3.75 kg/cm2``) or sit inside a sentence are not entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from stratigraphy.depths import has_explicit_decimals, parse_depth_interval, parse_depth_value
from stratigraphy.geometry import BBox, union_all
from stratigraphy.layers.runs import Run
from stratigraphy.model import Word


class EntryKind(StrEnum):
    VALUE = "value"
    INTERVAL = "interval"


@dataclass(frozen=True, slots=True)
class Entry:
    kind: EntryKind
    start: float | None
    end: float | None  # only intervals
    bbox: BBox  # the printed depth(s)
    page: int
    run: Run
    rest: tuple[Word, ...] = ()  # words after the depth in the same run (inline description)
    decimals: bool = True
    negative: bool = False
    parts: tuple[BBox, ...] = ()  # separate boxes of a depth printed in two cells (from | to)
    ident: str | None = None  # layer identifier printed before the depth: '1)', '(2)'

    @property
    def boxes(self) -> tuple[BBox, ...]:
        return self.parts or (self.bbox,)

    @property
    def value(self) -> float:
        return self.start if self.start is not None else (self.end or 0.0)


#: Deepest interval end (in cm) read as centimetres; soil pits rarely go deeper than a few metres.
MAX_CENTIMETRES = 1000

_UNIT_WORD = re.compile(r"^(m|m\.|m:|m,|mt|m\)|\[m\])$", re.IGNORECASE)
# words after a number that make it something else than a depth
_OTHER_UNIT = re.compile(
    r"^([üuùúû]\.?|[üuùúû]\.?\s?m\.?|m\.?[üuùúû]\.?m\.?|m[üuùúû]\.?m\.?|m[üuùúû]m|msm|s\.?l\.?m\.?|asl|a\.s\.l\.?|"
    r"nn|%|kg.*|kn.*|"
    r"mpa|kpa|cm.*|mm.*|°.*|l/.*|bar|t|h|min|s|jahre?|x|/)$",
    re.IGNORECASE,
)
_FROM_WORD = re.compile(r"^(ab|von|vom|de|dès|des|da|dal|from)$", re.IGNORECASE)
_INTERVAL_HEAD = re.compile(
    r"^(?:(?:ab|von|vom|de|dès|des|da|dal|from)\s+(?:m\.?\s+)?)?[-\u2010-\u2014\u2212]?\s?\d{1,4}(?:[.,]\d{1,3})?\s*(?:m\s*)?"
    r"(?:[-\u2010-\u2014\u2212/\u00b7\u00f7]|bis|à|a|to|al)\s*(?:m\.?\s+)?[-\u2010-\u2014\u2212]?\s?\d{1,4}(?:[.,]\d{1,3})?(?:\s*m\b\.?)?",
    re.IGNORECASE,
)


def _consumed_words(run: Run, n_chars: int) -> int:
    """How many leading words of the run cover the first ``n_chars`` of its text."""
    pos = 0
    for i, word in enumerate(run.words):
        pos += len(word.text) + (1 if i else 0)
        if pos >= n_chars:
            return i + 1
    return len(run.words)


# OCR reads a thin dash as a colon: '5.15: 6.50 m' (decimals on both sides, unlike '1:100')
_COLON_DASH = re.compile(r"^(\d{1,4}[.,]\d{1,3})(\s*m?\s*):(\s*\d{1,4}[.,]\d{1,3})")


# ... or loses it: '1.45 3.20 m' (two decimal depths, the second deeper)
_LOST_DASH = re.compile(r"^(\d{1,4}[.,]\d{1,3})( )(\d{1,4}[.,]\d{1,3})(?!\S*\d)")


# ... or drops the point of the second depth: '0.40 à 170 m' (the first prints decimals)
_LOST_END_POINT = re.compile(
    r"^((?:(?:ab|von|vom|de|dès|des|da|dal|from)\s+)?\d{1,3}[.,](\d{1,2})\s*(?:m\s*)?"
    r"(?:[-\u2010-\u2014\u2212]|bis|à|a|to|al)\s*)(\d{3,4})(?![\d.,])",
    re.IGNORECASE,
)


def _restore_end_point(text: str) -> str:
    match = _LOST_END_POINT.match(text)
    if match is None:
        return text
    places = len(match.group(2))
    digits = match.group(3)
    start = float(re.findall(r"\d{1,3}[.,]\d{1,2}", match.group(1))[0].replace(",", "."))
    if len(digits) <= places or float(digits) / 10**places <= start:
        return text
    sep = "," if "," in match.group(1) else "."
    return f"{match.group(1)}{digits[:-places]}{sep}{digits[-places:]}{text[match.end() :]}"


def _restore_dash(text: str) -> str:
    text = _restore_end_point(_COLON_DASH.sub(r"\1\2-\3", text))
    match = _LOST_DASH.match(text)
    if match:
        a, b = (float(g.replace(",", ".")) for g in (match.group(1), match.group(3)))
        if b > a:
            text = f"{match.group(1)}-{text[match.end(1) + 1 :]}"
    return text


_APPROX = re.compile(r"^(ca\.?|env\.?|circa|~)$", re.IGNORECASE)
# a row that prints only its layer's bottom: 'bis 0.40 m: Humus', 'jusqu'à 1.20 m'
_TO_PREFIX = re.compile(r"^(bis|jusqu'?à|jusqu’à|until|à|m)$", re.IGNORECASE)


def _without_approx(run: Run) -> Run:
    """'ca. 2.50 m' reads as '2.50 m'; 'bis 2.50 m' (a bottom depth) too."""
    words = run.words
    if len(words) >= 3 and _TO_PREFIX.match(words[0].text) and _APPROX.match(words[1].text):
        return Run(words[2:])
    if len(words) >= 2 and (
        _APPROX.match(words[0].text)
        or (_TO_PREFIX.match(words[0].text) and parse_depth_value(words[1].text) is not None)
    ):
        return Run(words[1:])  # 'bis 2.50 m', 'à 2.50 m', 'm 2,50' (unit first)
    return run


def _interval_entry(run: Run) -> Entry | None:
    text = _restore_dash(run.text)
    match = _INTERVAL_HEAD.match(text)
    if match is None:
        return None
    interval = parse_depth_interval(match.group(0))
    if interval is None or interval.start is None or interval.end is None:
        return None
    n = _consumed_words(run, match.end())
    words = run.words[:n]
    rest = run.words[n:]
    scale = 1.0
    rest = _drop_depth_reference(rest)
    if (
        rest
        and re.fullmatch(r"cm[.:,]?", rest[0].text, re.IGNORECASE)
        and interval.end < MAX_CENTIMETRES
    ):
        # a soil profile in centimetres: '30 - 75 cm Bv: Lehm ...'
        words, rest, scale = run.words[: n + 1], rest[1:], 0.01
    elif rest and _OTHER_UNIT.match(rest[0].text):
        return None
    while rest and re.fullmatch(r"[:;,.\u2010-\u2014-]+", rest[0].text):
        rest = rest[1:]  # 'De 0.40 à 1.70 m : limon' -> 'limon'
    return Entry(
        EntryKind.INTERVAL,
        round(interval.start * scale, 4),
        round(interval.end * scale, 4),
        union_all(w.bbox for w in words),
        run.page,
        run,
        tuple(rest),
        has_explicit_decimals(match.group(0)),
        negative=bool(re.match(r"^[-\u2010-\u2014\u2212]", text)),
    )


# what a depth is measured from, printed after it: 'm u. T.', 'ab OKT', 'bgl', 'dal p.c.'
_DEPTH_REF = re.compile(
    r"^(?:u\.?\s?T(?:er)?\.?|u\.?\s?(?:GOK|OKT|OK\s?T)\.?|ab\s(?:OKT|OK\s?T(?:errain)?|GOK)\.?|"
    r"b\.?g\.?l\.?|bgl|sous\s(?:TN|le\sterrain)|dal\sp\.\s?c\.?)(?=\s|$)",
    re.IGNORECASE,
)


def _drop_depth_reference(rest: tuple[Word, ...]) -> tuple[Word, ...]:
    match = _DEPTH_REF.match(" ".join(w.text for w in rest))
    if match is None:
        return rest
    return rest[_consumed_words(Run(rest), match.end()) :]


def _drop_elevation(rest: tuple[Word, ...]) -> tuple[Word, ...]:
    """Words after a depth that print its elevation ('-0.30 / 451.70 m ü.M.')."""
    texts = [w.text for w in rest]
    if texts and re.fullmatch(r"\(\d{3,4}[.,]\d{1,2}\)", texts[0]):
        return rest[1:]  # '1.20 (450.60)'
    if len(texts) >= 2 and texts[0] == "/":
        elevation = parse_depth_value(texts[1])
        if elevation is not None and elevation >= 100:
            k = 2
            while k < len(texts) and (_UNIT_WORD.match(texts[k]) or _OTHER_UNIT.match(texts[k])):
                k += 1
            return rest[k:]
    return rest


def _lost_point(whole: Word, cents: Word) -> bool:
    """'-1' and '60' close together: a depth whose decimal point the OCR dropped."""
    if not (
        re.fullmatch(r"[-\u2010-\u2014\u2212]?\d{1,3}", whole.text)
        and re.fullmatch(r"\d{2}", cents.text)
    ):
        return False
    gap = cents.bbox.x0 - whole.bbox.x1
    return 0 <= gap <= 1.6 * max(whole.bbox.height, cents.bbox.height)


def _value_entry(run: Run) -> Entry | None:
    words = run.words
    first = words[0]
    if IDENT.match(first.text):
        return None  # '3)' labels a layer, it is no depth
    value = parse_depth_value(first.text)
    n = 1
    if value is None and len(words) >= 2 and re.fullmatch(r"[-\u2010-\u2014\u2212]", first.text):
        value = parse_depth_value(first.text + words[1].text)
        n = 2
    elif len(words) >= 2 and _lost_point(first, words[1]):
        # OCR read the decimal point as a space: '-1 60' is -1.60
        value = parse_depth_value(f"{first.text}.{words[1].text}")
        n = 2
    if value is None:
        return None
    if n < len(words) and _UNIT_WORD.match(words[n].text):
        n += 1
    rest = words[n:]
    rest = _drop_elevation(_drop_depth_reference(rest))
    while rest and rest[0].text in (":", ";"):
        rest = rest[1:]  # '1.20 m : argile'

    if rest and (_OTHER_UNIT.match(rest[0].text) or rest[0].text.startswith(("ü", "ù", "/", ":"))):
        return None
    if rest and parse_depth_value(rest[0].text) is not None:
        return None  # a row of numbers (test values, remarks), not a depth entry
    token = " ".join(w.text for w in words[:n])
    return Entry(
        EntryKind.VALUE,
        value,
        None,
        union_all(w.bbox for w in words[:n]),
        run.page,
        run,
        tuple(rest),
        has_explicit_decimals(token),
        # a minus glued to the number; a free-standing dash is a leader or tick mark
        negative=bool(re.match(r"^[-\u2010-\u2014\u2212]\d", first.text)),
    )


IDENT = re.compile(r"^\(?(\d{1,2}|[a-zA-Z])\)$")


def layer_ident(word: Word) -> str | None:
    """The identifier a layer label prints ('1)' -> '1', '(b)' -> 'b'), or None."""
    match = IDENT.match(word.text)
    return match.group(1).lower() if match else None


_OPEN_FROM = re.compile(r"^(ab|dès|des|depuis|from|below|unter|da|dal)$", re.IGNORECASE)


_GLUED_FROM = re.compile(r"^(ab|dès|des|depuis|da|dal)(\d{1,4}[.,]\d{1,3})$", re.IGNORECASE)


def _open_start_entry(run: Run) -> Entry | None:
    """A last row open downwards: 'ab 5.20 m Fels', 'dès 5.20 m : molasse' (no end printed)."""
    words = run.words
    glued = _GLUED_FROM.match(words[0].text) if words else None  # OCR lost the space: 'dès5.20'
    if glued:
        token, n = glued.group(2), 1
    elif len(words) >= 2 and _OPEN_FROM.match(words[0].text):
        token, n = words[1].text, 2
    else:
        return None
    value = parse_depth_value(token)
    if value is None or not has_explicit_decimals(token):
        return None
    if len(words) > n and _UNIT_WORD.match(words[n].text):
        n += 1
    rest = words[n:]
    while rest and re.fullmatch(r"[:;,.\u2010-\u2014-]+", rest[0].text):
        rest = rest[1:]
    if rest and (_OTHER_UNIT.match(rest[0].text) or parse_depth_value(rest[0].text) is not None):
        return None
    return Entry(
        EntryKind.INTERVAL,
        value,
        None,
        union_all(w.bbox for w in words[:n]),
        run.page,
        run,
        tuple(rest),
        True,
    )


def run_to_entry(run: Run) -> Entry | None:
    """The depth entry a run starts with (after an optional '1)' identifier), or None."""
    ident = layer_ident(run.words[0]) if len(run.words) > 1 else None
    bare = Run(run.words[1:]) if ident else run
    bare = _without_approx(bare)
    entry = _interval_entry(bare) or _value_entry(bare) or _open_start_entry(bare)
    if entry is None:
        return None
    return replace(entry, run=run, ident=ident) if bare is not run else entry


def runs_to_entries(runs: list[Run]) -> list[Entry]:
    return [entry for run in runs if (entry := run_to_entry(run)) is not None]


def trailing_entry(run: Run) -> Entry | None:
    """A value ending a run (``Tiefe [m] 0.00``, a heading touching the first value).

    Only a candidate: it counts when it lines up with a depth column of ordinary entries.
    """
    words = run.words
    if len(words) < 2:
        return None
    n = len(words)
    if _UNIT_WORD.match(words[-1].text):
        n -= 1
    if n < 2:
        return None
    value = parse_depth_value(words[n - 1].text)
    if value is None or parse_depth_value(words[n - 2].text) is not None:
        return None
    return Entry(
        EntryKind.VALUE,
        value,
        None,
        words[n - 1].bbox,
        run.page,
        run,
        (),
        has_explicit_decimals(words[n - 1].text),
    )
