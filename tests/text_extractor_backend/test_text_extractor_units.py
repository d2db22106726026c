"""Pure parts of the text extractor: cleanup, labels, regions, settings, PDF words in a box."""

from __future__ import annotations

import fitz
import numpy as np
import pytest

from label_studio_ml.errors import BadRequest, ConfigError
from stratigraphy import samples
from stratigraphy.geometry import BBox, pdf_bbox_to_percent
from text_extractor.cleanup import clean_ocr_text, is_known, repair_word, text_quality
from text_extractor.labels import apply_label, is_numeric_label
from text_extractor.ocr import choose_psm, measure_lines
from text_extractor.pdf_text import layer_text, order_lines
from text_extractor.regions import Region, clamp_region, crop_region
from text_extractor.settings import TextExtractorSettings


def test_repair_fixes_one_confusion_into_a_known_word() -> None:
    assert repair_word("gradierl") == "gradiert"
    assert repair_word("Fiysch") == "Flysch"
    assert repair_word("Kles") == "Kies"


def test_repair_leaves_known_and_unknown_words_alone() -> None:
    assert repair_word("Sandsteinlagen") == "Sandsteinlagen"  # a compound of known words
    assert repair_word("Zürich") == "Zürich"  # unknown, and no single swap makes it known
    assert repair_word("m") == "m"


def test_clean_maps_foreign_characters_and_drops_rulings() -> None:
    assert clean_ocr_text("| lamınıert,\nhell-\nbraun _") == "laminiert, hell- braun"


def test_compounds_and_endings_are_known() -> None:
    assert is_known("Mittelsand") and is_known("siltiger") and is_known("Tonsteinen")
    assert not is_known("xqzt")


def test_quality_tells_a_bad_ocr_layer_from_good_text() -> None:
    good = text_quality("siltiger Kies mit reichlich Fein- bis Mittelsand, z.T. Sandstein")
    garbled = text_quality("slltlger Klcs mlt relchllch Feln- bls Mlttclsaud")
    noisy = text_quality("s1ltiger K!es m1t re1chlich")
    assert good.score == 1.0 and good.known >= 0.8
    assert garbled.known < 0.3
    assert noisy.score < 0.6
    assert good.combined > garbled.combined + 0.5


@pytest.mark.parametrize(
    "text,expected",
    [
        ("0.30 - 1.60 m", "start: 0.3 end: 1.6"),
        ("1,60 – 2,20", "start: 1.6 end: 2.2"),
        ("-0.30 à -1.20 m", "start: 0.3 end: 1.2"),
        ("-0,45", "start: 0.45 end: "),
        ("ab 5 m", "start: 5 end: "),
    ],
)
def test_depth_interval_text(text: str, expected: str) -> None:
    assert apply_label("Depth Interval", text) == expected


def test_labels_other_than_numbers_keep_the_text() -> None:
    assert apply_label("Material Description", "Kies, sandig") == "Kies, sandig"
    assert apply_label("Depth Interval", "Kies, sandig") == "Kies, sandig"  # nothing to parse
    assert apply_label(None, "x") == "x"
    assert is_numeric_label("Depth  Interval") and not is_numeric_label("Borehole Name")


def test_region_from_value_rejects_missing_geometry() -> None:
    with pytest.raises(BadRequest):
        Region.from_value({"x": 1, "y": 2})
    with pytest.raises(BadRequest):
        Region.from_value({"x": "a", "y": 2, "width": 3, "height": 4})


def test_crop_is_clamped_and_empty_outside() -> None:
    gray = np.full((100, 200), 255, dtype=np.uint8)
    gray[10:20, 10:50] = 0
    assert crop_region(gray, Region(150, 10, 20, 20)).size == 0
    part = crop_region(gray, Region(-10, -10, 30, 30))
    assert part.shape == (20, 40)
    assert clamp_region(Region(-10, 95, 30, 10)) == Region(0, 95, 20, 5)


def test_rotated_crop_is_straightened() -> None:
    gray = np.full((400, 400), 255, dtype=np.uint8)
    gray[100:300, 195:205] = 0  # a vertical bar
    # a box rotated by 90 degrees around its top-left corner covers the bar lying down
    crop = crop_region(gray, Region(x=52.5, y=25, width=50, height=5, rotation=90))
    assert crop.shape[1] > crop.shape[0]  # upright result is wide, like the drawn box
    assert (crop < 128).mean() >= 0.45


def test_line_measure_and_psm_choice() -> None:
    gray = np.full((80, 300), 255, dtype=np.uint8)
    gray[10:25, 10:290] = 0
    stats = measure_lines(gray)
    assert stats.count == 1 and stats.median_height == 15
    assert choose_psm(stats, 300, 80) == 7
    gray[45:60, 10:290] = 0
    assert choose_psm(measure_lines(gray), 300, 80) == 6


def test_words_in_a_box_on_a_rotated_page() -> None:
    sample = samples.rotated(7, 90)
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    page = doc[0]
    assert page.rotation == 90
    r = page.rect
    width, height = r.height, r.width
    for layer in sample.truth[0]["layers"][:4]:
        box = BBox(*layer["material_description_rect"]).expand(1)
        region = Region(*pdf_bbox_to_percent(box, width, height, page.rotation))
        assert layer_text(page, region).text == layer["material_description"]


def test_reading_order_joins_lines_top_to_bottom() -> None:
    words = [
        (BBox(10, 30, 40, 40), "braun", 2),
        (BBox(50, 10, 80, 20), "Kies,", 1),
        (BBox(10, 10, 45, 20), "sandiger", 1),
        (BBox(85, 11, 100, 21), "hell-", 1),
    ]
    lines = order_lines(words)
    assert [" ".join(w[1] for w in line) for line in lines] == ["sandiger Kies, hell-", "braun"]


def test_settings_from_env_and_validation() -> None:
    settings = TextExtractorSettings.from_env({"OCR_LANGUAGES": "deu+eng", "OCR_TIMEOUT": "5"})
    assert settings.ocr_languages == "deu+eng" and settings.ocr_timeout == 5.0
    assert TextExtractorSettings.from_env({}).ocr_languages == "deu+fra+ita+eng"
    with pytest.raises(ConfigError):
        TextExtractorSettings.from_env({"OCR_TIMEOUT": "soon"})
    with pytest.raises(ConfigError):
        TextExtractorSettings.from_env({"OCR_LANGUAGES": "deu; rm -rf"})


def test_poor_scan_crop_is_still_read() -> None:
    """Grey paper, faded ink, blur, speckle and JPEG artefacts: cleaned before Tesseract."""
    from difflib import SequenceMatcher

    from te_helpers import degrade, render_gray

    from text_extractor.ocr import ocr_gray
    from text_extractor.transcribe import transcribe

    sample = samples.interval_text(200, "de")
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    page = doc[0]
    gray = degrade(render_gray(page), 1.0, seed=3)
    settings = TextExtractorSettings()
    for layer in sample.truth[0]["layers"][:4]:
        box = BBox(*layer["material_description_rect"])
        region = Region(*pdf_bbox_to_percent(box, page.rect.width, page.rect.height, 0))
        text = ocr_gray(crop_region(gray, region, settings.ocr_crop_pad), settings).text
        expected = layer["material_description"]
        assert SequenceMatcher(None, text, expected).ratio() >= 0.9, (text, expected)
        words = transcribe(region, settings, gray=gray).text  # the words around the box
        assert SequenceMatcher(None, words, expected).ratio() >= 0.9, (words, expected)


def test_lru_cache_keeps_recent_values_and_never_caches_none() -> None:
    from text_extractor.services import LruCache

    cache: LruCache[int | None] = LruCache(2)
    calls: list[str] = []

    def loader(key: str, value: int | None):
        def load() -> int | None:
            calls.append(key)
            return value

        return load

    assert cache.get_or_load("a", loader("a", 1)) == 1
    assert cache.get_or_load("a", loader("a", 9)) == 1  # cached
    assert cache.get_or_load("missing", loader("missing", None)) is None
    assert cache.get_or_load("missing", loader("missing", 5)) == 5  # appeared later: found
    cache.get_or_load("b", loader("b", 2))
    assert cache.get_or_load("a", loader("a", 3)) == 3  # evicted (size 2), loaded again
    assert calls == ["a", "missing", "missing", "b", "a"]


@pytest.mark.parametrize(
    "label,printed,expected",
    [
        ("Depth Interval", "4.80 5.50", "start: 4.8 end: 5.5"),
        ("Depth Interval", "0,25 0,60", "start: 0.25 end: 0.6"),
        ("Depth Interval", "0950 10.00", "start: 9.5 end: 10"),
        ("Depth Interval", "-0.30 -1.60", "start: 0.3 end: 1.6"),
        ("Depth Interval", "4.80", "start: 4.8 end: "),
        ("Depth Interval", "3 ft 10 ft", "start: 0.91 end: 3.05"),
        ("Depth Interval", "5.50 4.80", "5.50 4.80"),  # upside down: not an interval, kept
        ("Elevation", "399.78 m", "399.78"),
        ("Elevation", "m.ü.M.:628.06", "628.06"),
        ("Elevation", "SURFACE LEVEL 32.94 m AHD", "32.94"),
        ("Coordinates", "Koord. 2'615'790 / 1'157'500", "2615790 / 1157500"),
        ("Coordinates", "N 5813623 E 321040", "321040 / 5813623"),
        ("Groundwater", "3.0 m le 11.07.2013", "3 m, 2013-07-11"),
        ("Groundwater", "Water Level: 4.80m", "4.8 m"),
        ("Borehole Name", "Sondierbohrung: SST KB 5", "SST KB 5"),
        ("Borehole Name", "MGR01", "MGR01"),
    ],
)
def test_label_formats_of_printed_values(label: str, printed: str, expected: str) -> None:
    assert apply_label(label, printed) == expected


def test_lost_decimal_point_is_restored_only_by_the_same_digits() -> None:
    from text_extractor.numbers import accept

    assert accept("42", "4.2.", 59.0) == "4.2"
    assert accept("17", "1.7-", 78.0) == "1.7"
    assert accept("42", "4.3", 90.0) is None  # a different number
    assert accept("42", "4.2", 20.0) is None  # not sure enough
    assert accept("4.2", "4.2", 90.0) is None  # had its decimals already
    assert accept("10", "10", 90.0) is None  # nothing added


def test_merge_keeps_a_good_layer_and_repairs_a_poor_one_word_by_word() -> None:
    from text_extractor.merge import merge
    from text_extractor.words import Word, lines_text

    def row(texts: list[str], conf: float, source: str) -> list[Word]:
        return [Word(t, 40 * i, 0, 40 * i + 30, 10, conf, source) for i, t in enumerate(texts)]

    good = row(["Kies", "mit", "Sand,"], 100, "layer")
    worse = row(["Kles", "mlt", "Saud,"], 90, "ocr")
    assert lines_text(merge(good, worse).lines) == "Kies mit Sand,"
    poor = row(["Kles", "mlt", "Sand,"], 100, "layer")
    fresh = row(["Kies", "mit", "Sand,"], 93, "ocr")
    merged = merge(poor, fresh)
    assert lines_text(merged.lines) == "Kies mit Sand," and merged.replaced == 2
    unsure = row(["Kies", "mit", "Sand,"], 40, "ocr")  # better words, but Tesseract is unsure
    assert lines_text(merge(poor, unsure).lines) == "Kles mlt Sand,"
    lost = [*row(["Kies", "mit"], 100, "layer")]
    extra = row(["Kies", "mit", "Sand"], 95, "ocr")
    assert lines_text(merge(lost, extra).lines) == "Kies mit Sand"
