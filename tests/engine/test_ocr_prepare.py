"""Page preparation before OCR and the merge of two readings: pure functions on arrays and words."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from label_studio_ml.errors import ConfigError
from stratigraphy.geometry import BBox
from stratigraphy.ocr import merge, prepare
from stratigraphy.ocr.tesseract import OcrWord
from stratigraphy.settings import EngineSettings

DPI = 300.0


def _word(text: str, x: float, y: float, conf: float, w: float = 60.0) -> OcrWord:
    return OcrWord(text, BBox(x, y, x + w, y + 30.0), conf, 1, 1, 1)


def _page_with_text(shadow: float) -> np.ndarray:
    """A white page with a few printed lines, darkened towards the right by ``shadow`` levels."""
    page = np.full((900, 1200), 255, dtype=np.uint8)
    for row in range(5):
        cv2.putText(page, "Kies, sandig 1.25", (60, 120 + 150 * row), 0, 1.6, 0, 4)
    light = np.linspace(0.0, shadow, page.shape[1])[None, :]
    return np.clip(page - light * (page > 128), 0, 255).astype(np.uint8)


def test_flatten_background_makes_uneven_paper_white_and_keeps_ink() -> None:
    page = _page_with_text(shadow=110.0)
    paper = page > 100
    assert page[paper].min() < 150  # the right edge is as dark as 145
    flat = prepare.flatten_background(page, DPI)
    assert np.percentile(flat[paper], 5) > 230  # paper is white everywhere now
    ink = page < 60
    assert np.median(flat[ink]) < 60  # and the letters are still black
    # one global threshold now separates ink from paper, which it could not before
    _, before = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, after = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    assert (before[paper] == 0).mean() > 0.05
    assert (after[paper] == 0).mean() < 0.01


def test_remove_rules_erases_long_rules_but_not_the_digits_on_them() -> None:
    page = np.full((300, 1200), 255, dtype=np.uint8)
    cv2.putText(page, "12.65", (80, 150), 0, 2.0, 0, 5)
    page[152:156, 40:1160] = 0  # an underline the digits sit on, as on drawn logs
    page[20:280, 600:603] = 0  # a column rule
    out = prepare.remove_rules(page, DPI)
    assert (out[152:156, 400:1160] == 255).all()  # the rule is gone beside the digits
    assert (out[20:280, 600:603] == 255).all()
    digits = page[90:150, 70:330] < 128
    assert (out[90:150, 70:330][digits] < 128).mean() > 0.97  # the digits are whole
    # the digits no longer touch one blob that spans the page
    _, _, stats, _ = cv2.connectedComponentsWithStats((out < 128).astype(np.uint8))
    assert max(stats[1:, cv2.CC_STAT_WIDTH]) < 300


def test_prepare_page_keeps_the_page_size() -> None:
    page = _page_with_text(shadow=60.0)
    assert prepare.prepare_page(page, DPI).shape == page.shape


def test_reading_is_poor_counts_unsure_text_like_words() -> None:
    sure = [_word(f"Kies{i}", 0, 40.0 * i, 90) for i in range(9)]
    assert not merge.reading_is_poor([*sure, _word("Sand", 0, 500, 30)], 0.2)
    assert merge.reading_is_poor([*sure[:3], *[_word("Sa", 0, 600, 20)] * 2], 0.2)
    assert merge.reading_is_poor([_word("-", 0, 0, 10)], 0.2)  # nothing text-like at all
    specks = [_word(".", 0, 40.0 * i, 5) for i in range(20)]  # specks are not counted
    assert not merge.reading_is_poor(sure + specks, 0.2)


def test_merge_keeps_the_surer_reading_of_each_place() -> None:
    first = [_word("Kles", 0, 0, 40), _word("sandig", 100, 0, 92), _word("ll", 300, 0, 30)]
    second = [_word("Kies", 2, 1, 88), _word("sandlg", 101, 0, 90), _word("braun", 500, 0, 85)]
    merged = merge.merge_readings(first, second)
    assert sorted(w.text for w in merged) == ["Kies", "braun", "sandig"]


def test_merge_joins_split_words_as_groups() -> None:
    first = [_word("Mo", 0, 0, 35, w=30), _word("räne", 32, 0, 40, w=40)]
    second = [_word("Moräne", 0, 0, 91, w=72)]
    assert [w.text for w in merge.merge_readings(first, second)] == ["Moräne"]
    assert [w.text for w in merge.merge_readings(second, first)] == ["Moräne"]


def test_merge_keeps_a_decimal_point_one_reading_lost() -> None:
    dotted = [_word("10.5", 0, 0, 70)]
    lost = [_word("105", 0, 0, 96)]
    assert [w.text for w in merge.merge_readings(dotted, lost)] == ["10.5"]
    assert [w.text for w in merge.merge_readings(lost, dotted)] == ["10.5"]
    # different digits are no lost point: confidence decides
    assert [w.text for w in merge.merge_readings([_word("1.5", 0, 0, 50)], lost)] == ["105"]


def test_merge_keeps_first_boxes_when_both_read_the_same_and_drops_unsure_lone_words() -> None:
    first = [_word("Sand", 0, 0, 80), _word("wll", 400, 0, 35)]
    second = [_word("Sand", 3, 2, 95, w=64), _word("ee", 800, 0, 20)]
    merged = merge.merge_readings(first, second)
    assert merged == [first[0]]


def test_prepare_threshold_is_read_from_the_environment_and_checked() -> None:
    assert EngineSettings.from_env({"ENGINE_OCR_PREPARE_UNSURE": "0.3"}).ocr_prepare_unsure == 0.3
    for bad in ("1.5", "-0.1", "often"):
        with pytest.raises(ConfigError):
            EngineSettings.from_env({"ENGINE_OCR_PREPARE_UNSURE": bad})
