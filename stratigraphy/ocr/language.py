"""Guess which of the configured OCR languages a page is written in, from a quick reading.

Tesseract with several languages reads every word it is unsure of (numbers, names,
hatching taken for letters) once per language, so ``deu+fra+ita+eng`` costs about twice
``deu``. A cheap first reading of the page (low resolution, one small model) is enough
to tell German from French from Italian from English by the words it finds; the page is
then read properly with only the languages that showed up. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Frequent function words and logging vocabulary, lower case without accents. A word that is
# common to two languages (``beige``, ``date``, ``fine``) is left out: it tells nothing.
_WORDS: dict[str, frozenset[str]] = {
    "deu": frozenset(
        [
            "und",
            "mit",
            "bis",
            "der",
            "die",
            "das",
            "den",
            "dem",
            "von",
            "vom",
            "zum",
            "zur",
            "auf",
            "aus",
            "bei",
            "nach",
            "oder",
            "ist",
            "sehr",
            "wenig",
            "leicht",
            "schwach",
            "stark",
            "sand",
            "kies",
            "ton",
            "silt",
            "lehm",
            "sandig",
            "kiesig",
            "tonig",
            "siltig",
            "lehmig",
            "steine",
            "steinen",
            "blocke",
            "humus",
            "fels",
            "mergel",
            "kalk",
            "kalkig",
            "sandstein",
            "schiefer",
            "moranen",
            "morane",
            "grau",
            "braun",
            "gelb",
            "dunkel",
            "hell",
            "grunlich",
            "braunlich",
            "rotlich",
            "graubraun",
            "feucht",
            "nass",
            "trocken",
            "hart",
            "weich",
            "locker",
            "dicht",
            "mittel",
            "fein",
            "grob",
            "gerundet",
            "kantig",
            "oberboden",
            "auffullung",
            "deckschicht",
            "grundwasser",
            "wasser",
            "bohrung",
            "bohrprofil",
            "sondierbohrung",
            "kernbohrung",
            "bohrmeister",
            "bohrfirma",
            "tiefe",
            "schicht",
            "beschreibung",
            "geologische",
            "geologie",
            "koordinaten",
            "massstab",
            "beilage",
            "datum",
            "kote",
            "hohe",
            "gezeichnet",
            "gepruft",
            "bauherr",
            "bauherrschaft",
        ]
    ),
    "fra": frozenset(
        [
            "et",
            "avec",
            "de",
            "du",
            "le",
            "les",
            "au",
            "aux",
            "une",
            "peu",
            "tres",
            "quelques",
            "traces",
            "sable",
            "gravier",
            "argile",
            "limon",
            "sableux",
            "sableuse",
            "graveleux",
            "graveleuse",
            "argileux",
            "argileuse",
            "limoneux",
            "limoneuse",
            "cailloux",
            "blocs",
            "galets",
            "terre",
            "vegetale",
            "remblai",
            "roche",
            "marne",
            "calcaire",
            "molasse",
            "moraine",
            "gris",
            "grise",
            "brun",
            "brune",
            "jaune",
            "fonce",
            "clair",
            "verdatre",
            "brunatre",
            "humide",
            "sec",
            "seche",
            "mouille",
            "compact",
            "compacte",
            "meuble",
            "dur",
            "dure",
            "tendre",
            "grossier",
            "grossiere",
            "forage",
            "sondage",
            "profondeur",
            "couche",
            "nappe",
            "eau",
            "niveau",
            "coordonnees",
            "altitude",
            "echelle",
            "annexe",
            "dessine",
            "verifie",
            "maitre",
            "ouvrage",
            "geologique",
            "coupe",
        ]
    ),
    "ita": frozenset(
        [
            "con",
            "di",
            "del",
            "della",
            "dello",
            "dei",
            "delle",
            "al",
            "alla",
            "il",
            "lo",
            "gli",
            "una",
            "poco",
            "molto",
            "alcuni",
            "tracce",
            "sabbia",
            "ghiaia",
            "argilla",
            "limo",
            "sabbioso",
            "sabbiosa",
            "ghiaioso",
            "ghiaiosa",
            "argilloso",
            "argillosa",
            "limoso",
            "limosa",
            "ciottoli",
            "blocchi",
            "terreno",
            "vegetale",
            "riempimento",
            "roccia",
            "marna",
            "calcare",
            "morena",
            "grigio",
            "grigia",
            "marrone",
            "giallo",
            "scuro",
            "chiaro",
            "umido",
            "umida",
            "secco",
            "secca",
            "bagnato",
            "compatto",
            "compatta",
            "sciolto",
            "duro",
            "dura",
            "tenero",
            "grossolano",
            "grossolana",
            "sondaggio",
            "perforazione",
            "profondita",
            "strato",
            "falda",
            "acqua",
            "livello",
            "coordinate",
            "quota",
            "scala",
            "allegato",
            "disegnato",
            "committente",
            "geologica",
        ]
    ),
    "eng": frozenset(
        [
            "and",
            "with",
            "the",
            "of",
            "to",
            "from",
            "some",
            "little",
            "very",
            "sand",
            "gravel",
            "clay",
            "silt",
            "sandy",
            "gravelly",
            "clayey",
            "silty",
            "boulders",
            "cobbles",
            "topsoil",
            "fill",
            "made",
            "ground",
            "rock",
            "marl",
            "limestone",
            "sandstone",
            "till",
            "grey",
            "gray",
            "brown",
            "yellow",
            "dark",
            "light",
            "moist",
            "wet",
            "dry",
            "dense",
            "loose",
            "stiff",
            "soft",
            "firm",
            "medium",
            "coarse",
            "rounded",
            "angular",
            "borehole",
            "boring",
            "depth",
            "layer",
            "water",
            "groundwater",
            "level",
            "coordinates",
            "elevation",
            "scale",
            "drawn",
            "checked",
            "client",
            "log",
            "description",
        ]
    ),
}
_TOKEN = re.compile(r"[a-z]+")
MIN_VOTES = 4  # fewer known words than this: the page's language cannot be told
MIN_OTHER_VOTES = 2  # a second language is kept when this many of its words were seen


def fold(text: str) -> str:
    """Lower case without accents: ``Gérölle`` -> ``gerolle``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def language_votes(words: Iterable[str]) -> dict[str, int]:
    """How many of ``words`` are known words of each language."""
    votes = dict.fromkeys(_WORDS, 0)
    for word in words:
        for token in _TOKEN.findall(fold(word)):
            if len(token) < 2:
                continue
            for lang, known in _WORDS.items():
                if token in known:
                    votes[lang] += 1
    return votes


def guess_languages(words: Iterable[str], configured: str, *, max_languages: int = 2) -> str:
    """The part of ``configured`` (``a+b+c``) the words point to; ``configured`` when unsure.

    The language with most known words is kept, and the runner-up too when a couple of its
    words were seen (a bilingual header, a French remark in a German log), at most
    ``max_languages``. Languages are kept in their configured order.
    Languages the guesser has no words for
    (anything other than deu, fra, ita, eng) are always kept, since nothing can rule them out.
    """
    wanted = [lang for lang in configured.split("+") if lang]
    votes = language_votes(words)
    known = [lang for lang in wanted if lang in votes]
    if len(known) < 2:
        return configured
    best = max(votes[lang] for lang in known)
    if best < MIN_VOTES:
        return configured
    ranked = sorted(known, key=lambda lang: -votes[lang])
    chosen = {ranked[0]} | {
        lang for lang in ranked[1:max_languages] if votes[lang] >= MIN_OTHER_VOTES
    }
    keep = [lang for lang in wanted if lang in chosen or lang not in votes]
    return "+".join(keep) if keep else configured
