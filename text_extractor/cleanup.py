"""Pure text post-processing: OCR confusion repair and a plausibility score.

Two jobs share one small lexicon of geology vocabulary (German, French,
Italian, English) plus the short function words of descriptions:

- :func:`clean_ocr_text` repairs the usual Tesseract confusions in a word that
  is not in the lexicon when exactly one confusion swap turns it into a known
  word (``gradierl`` -> ``gradiert``, ``Fiysch`` -> ``Flysch``), and maps
  characters that do not exist in the four languages (dotless ``ı``) to their
  look-alikes.
- :func:`text_quality` judges how plausible a text is as printed language
  (character classes, case pattern, vowels, letters mixed with digits). It is
  used to decide whether a PDF text layer is trustworthy or worse than a fresh
  OCR.

No image or Tesseract here: strings in, strings out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

#: Characters Tesseract emits that do not occur in de/fr/it/en text -> the intended one.
_CHAR_FIXES = {
    "\u0131": "i",  # dotless i
    "\u017f": "s",  # long s
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb00": "ff",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": ",",
    "\u00a0": " ",
    "\u00ac": "-",  # "not" sign some OCR layers print for a hyphenation
    "\u00ad": "-",  # soft hyphen at a printed line break
}

#: Single-character confusions of Tesseract on scanned print (both directions tried).
_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("l", "t"),
    ("l", "i"),
    ("i", "l"),
    ("I", "l"),
    ("l", "I"),
    ("1", "l"),
    ("1", "i"),
    ("j", "t"),
    ("j", "l"),
    ("f", "t"),
    ("t", "f"),
    ("c", "e"),
    ("e", "c"),
    ("o", "a"),
    ("a", "o"),
    ("n", "u"),
    ("u", "n"),
    ("h", "b"),
    ("b", "h"),
    ("0", "o"),
    ("5", "s"),
    ("8", "B"),
    ("rn", "m"),
    ("m", "rn"),
    ("ii", "ü"),
    ("ü", "ii"),
    ("é", "e"),
    ("e", "é"),
    ("ö", "o"),
    ("ä", "a"),
    ("ü", "u"),
    ("r", "n"),
    ("n", "r"),
    ("J", "I"),
    ("i", "j"),
    # accents of one language read as those of another
    ("ä", "â"),
    ("a", "à"),
    ("a", "â"),
    ("e", "è"),
    ("e", "ê"),
    ("è", "é"),
    ("é", "è"),
    ("o", "ô"),
    ("u", "ù"),
    ("u", "û"),
    ("i", "î"),
    ("c", "ç"),
    ("a", "ä"),
    ("o", "ö"),
    ("u", "ü"),
)

_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,]\d+)?|\S", re.UNICODE)
_LETTERS_RE = re.compile(r"^[^\W\d_]+$", re.UNICODE)
_VOWELS = set("aeiouyäöüéèêëàâîïôûùœæAEIOUYÄÖÜÉÈÊÀÂÎÔÛ")
_LATIN_EXTRA = set("äöüßéèêëàâîïôûùçœæÄÖÜÉÈÊËÀÂÎÏÔÛÙÇŒÆ")
#: German adjective/plural endings stripped when looking a word up.
_SUFFIXES = ("en", "er", "es", "em", "e", "n", "s", "ern", "ung", "ungen", "lich", "liche")
#: Symbols that are ordinary in printed descriptions.
_ORDINARY_SYMBOLS = set(",.;:-–—()/'\"%°+~→?!&[]")


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """Lower-case words of :data:`text_extractor.lexicon_data.TERMS` (built once per process)."""
    from text_extractor.lexicon_data import TERMS

    words: set[str] = set()
    for line in TERMS.splitlines():
        line = line.split("#", 1)[0]
        words.update(w.lower() for w in line.split())
    return frozenset(words)


def normalise_chars(text: str) -> str:
    """NFC form with characters foreign to de/fr/it/en mapped to their look-alikes."""
    text = unicodedata.normalize("NFC", text)
    return "".join(_CHAR_FIXES.get(ch, ch) for ch in text)


def is_known(word: str, words: frozenset[str] | None = None) -> bool:
    """True when ``word`` (any case) is in the lexicon, with a German ending or as a compound."""
    words = lexicon() if words is None else words
    low = word.lower()
    if low in words:
        return True
    for suffix in _SUFFIXES:
        if low.endswith(suffix) and len(low) - len(suffix) >= 3 and low[: -len(suffix)] in words:
            return True
    return _is_compound(low, words)


def _is_compound(low: str, words: frozenset[str], depth: int = 0) -> bool:
    """German compounds: the word splits into known parts of >= 3 letters (max 3 parts)."""
    if depth >= 3 or len(low) < 6:
        return False
    for cut in range(3, len(low) - 2):
        head, tail = low[:cut], low[cut:]
        if head not in words:
            continue
        if tail in words or any(
            tail.endswith(s) and len(tail) - len(s) >= 3 and tail[: -len(s)] in words
            for s in _SUFFIXES
        ):
            return True
        if _is_compound(tail, words, depth + 1):
            return True
    return False


def _candidates(word: str) -> Iterable[str]:
    for wrong, right in _CONFUSIONS:
        start = word.find(wrong)
        while start != -1:
            yield word[:start] + right + word[start + len(wrong) :]
            start = word.find(wrong, start + 1)


def repair_word(word: str, words: frozenset[str] | None = None) -> str:
    """``word`` with one confusion swapped when that makes it known, and only one swap does."""
    words = lexicon() if words is None else words
    if len(word) < 4 or not any(ch.isalpha() for ch in word) or is_known(word, words):
        return word
    fixes = {c for c in _candidates(word) if _case_ok(c) and is_known(c, words)}
    if len({f.lower() for f in fixes}) == 1:
        return min(fixes)
    return word


def _case_ok(word: str) -> bool:
    """lower, Capitalised or UPPER (a swap must not create ``KIes``)."""
    letters = "".join(ch for ch in word if ch.isalpha())
    return (
        not letters
        or letters.islower()
        or letters.isupper()
        or (letters[0].isupper() and letters[1:].islower())
    )


def clean_ocr_text(text: str, *, repair: bool = True) -> str:
    """One-line OCR text: characters normalised, confusions repaired, spacing tidied.

    Line breaks become single spaces (descriptions are stored as one line;
    hyphenated breaks stay as printed, ``hell- braun``). Stray rulings that
    Tesseract reads as ``|`` or ``_`` are dropped.
    """
    text = normalise_chars(text)
    tokens = text.split()
    out: list[str] = []
    for token in tokens:
        if set(token) <= set("|_[]{}"):
            continue  # a table ruling or box edge read as text
        if repair:
            token = _repair_token(token)
        out.append(token)
    return " ".join(out)


def _repair_token(token: str) -> str:
    """Repair the word inside ``token`` and keep its surrounding punctuation."""
    match = re.match(r"^([^\w]*)(.*?)([^\w]*)$", token, re.UNICODE)
    if match is None:
        return token
    lead, core, trail = match.groups()
    if not core:
        return token
    parts = core.split("-")
    return lead + "-".join(repair_word(p) if p else p for p in parts) + trail


@dataclass(frozen=True, slots=True)
class Quality:
    """How plausible a text is as printed words.

    ``score``: share of characters in tokens of plausible shape (letters of the
    four languages, sane case, vowels, no letters glued to digits);
    ``known``: share of the words (3+ letters) found in the lexicon, directly,
    with a German ending or as a compound. Bad OCR layers (``Kles mlt relchlich``)
    keep a plausible shape but lose known words.
    """

    score: float  # 0..1
    tokens: int
    suspicious: int
    known: float = 0.0  # 0..1

    @property
    def combined(self) -> float:
        """One number to compare two readings of the same box (0..2)."""
        return self.score + self.known


def _token_plausible(token: str) -> bool:
    core = token.strip("".join(_ORDINARY_SYMBOLS))
    if not core:
        return all(ch in _ORDINARY_SYMBOLS for ch in token)
    if re.fullmatch(r"[-+]?\d+(?:[.,]\d+)*(?:m|cm|mm|%|°)?", core):
        return True  # numbers, depths, percentages
    dotted = core if core.endswith(".") else core + "."
    if re.fullmatch(r"(?:[^\W\d_]\.){1,3}(?:[^\W\d_])?", dotted):
        return True  # abbreviations like z.T., u.a.
    for part in re.split(r"[-'/.]", core):
        if not part:
            continue
        if not _LETTERS_RE.match(part):
            return False  # letters mixed with digits or symbols
        if any(not (ch.isascii() or ch in _LATIN_EXTRA) for ch in part):
            return False  # character outside the four languages
        if not (part.islower() or part.isupper() or (part[0].isupper() and part[1:].islower())):
            return False  # odd case pattern like "sIltig"
        if len(part) >= 4 and not any(ch in _VOWELS for ch in part) and not part.isupper():
            return False
        if re.search(r"(.)\1\1", part):
            return False
    return True


def text_quality(text: str) -> Quality:
    """Plausibility of ``text`` as words of the four languages (1.0 = every token plausible)."""
    tokens = normalise_chars(text).split()
    if not tokens:
        return Quality(score=0.0, tokens=0, suspicious=0)
    total = good = 0
    bad = 0
    words = known = 0
    vocabulary = lexicon()
    for token in tokens:
        weight = len(token)
        total += weight
        if _token_plausible(token):
            good += weight
        else:
            bad += 1
        for part in re.findall(r"[^\W\d_]{3,}", token):
            words += 1
            known += is_known(part, vocabulary)
    return Quality(
        score=good / total if total else 0.0,
        tokens=len(tokens),
        suspicious=bad,
        known=known / words if words else 1.0,
    )
