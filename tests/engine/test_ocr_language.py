"""Language guess for OCR: pure voting, and the quick reading of a real rendered page."""

from __future__ import annotations

import pytest

from stratigraphy import samples
from stratigraphy.ocr.language import fold, guess_languages, language_votes
from stratigraphy.pdf.reader import _render_gray, open_pdf, probe_languages, read_pages
from stratigraphy.settings import EngineSettings

ALL = "deu+fra+ita+eng"


def test_fold_drops_accents_and_case() -> None:
    assert fold("Gérölle ÀÉ") == "gerolle ae"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Kies, sandig, schwach siltig, grau mit Steinen bis 10 cm", "deu"),
        ("Gravier sableux, gris, avec quelques cailloux et blocs", "fra"),
        ("Ghiaia sabbiosa, grigia, con ciottoli e blocchi, poco limosa", "ita"),
        ("Sandy gravel, grey, with some cobbles and boulders", "eng"),
    ],
)
def test_one_language_is_recognised(words: str, expected: str) -> None:
    assert guess_languages(words.split(), ALL) == expected


def test_a_second_language_with_a_couple_of_words_is_kept_in_configured_order() -> None:
    words = [
        "Kies",
        "sandig",
        "grau",
        "mit",
        "Steinen",
        "und",
        "Sand.",
        "Sondage:",
        "argile",
        "sableuse,",
        "gris",
    ]
    assert language_votes(words)["fra"] >= 2
    assert guess_languages(words, ALL) == "deu+fra"


def test_unsure_guess_keeps_every_configured_language() -> None:
    assert guess_languages(["12.30", "KB5", "x"], ALL) == ALL
    assert guess_languages([], "deu+fra") == "deu+fra"
    assert guess_languages(["Kies", "sandig", "grau", "mit", "Steinen"], "deu") == "deu"


def test_languages_the_guesser_does_not_know_are_always_kept() -> None:
    words = ["Kies", "sandig", "grau", "mit", "Steinen", "und", "Sand"]
    assert guess_languages(words, "deu+fra+roh") == "deu+roh"


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        (lambda: samples.interval_text(22, "fr"), "fra"),
        (lambda: samples.boundary_column(21, "it"), "ita"),
    ],
)
def test_quick_reading_of_a_scan_finds_its_language(family, expected) -> None:
    scan = samples.image_only(family().pdf, dpi=200)
    settings = EngineSettings().with_changes(ocr_probe_pixels=1)
    page = open_pdf(scan).load_page(0)
    assert expected in probe_languages(_render_gray(page, 300), 300, settings).split("+")
    # small pages are not probed: every configured language is used
    assert probe_languages(_render_gray(page, 300), 300, EngineSettings()) == ALL


def test_page_read_in_guessed_language_keeps_its_words() -> None:
    sample = samples.interval_text(22, "fr")
    scan = samples.image_only(sample.pdf, dpi=200)
    probed = read_pages(open_pdf(scan), EngineSettings().with_changes(ocr_probe_pixels=1))[0].words
    full = read_pages(open_pdf(scan), EngineSettings().with_changes(ocr_probe_pixels=0))[0].words
    texts = {w.text for w in full}
    assert len({w.text for w in probed} & texts) >= 0.9 * len(texts)
