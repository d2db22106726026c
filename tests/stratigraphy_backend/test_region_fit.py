"""region_fit + imaging.ink_pieces: boxes fitted to the printed ink."""

from __future__ import annotations

import fitz
import pytest

from stratigraphy.geometry import BBox
from stratigraphy_ml_backend.imaging import ink_pieces
from stratigraphy_ml_backend.region_fit import InkLimits, fit_all, fit_to_ink, is_print

LIMITS = InkLimits(max_grow=24, max_text_height=30, line_gap=6)


def _line(x0: float, y0: float, words: int, width: float = 30, gap: float = 4) -> list[BBox]:
    return [
        BBox(x0 + i * (width + gap), y0, x0 + i * (width + gap) + width, y0 + 10)
        for i in range(words)
    ]


def test_a_box_narrower_than_the_print_grows_to_the_end_of_its_line() -> None:
    ink = _line(100, 100, 4, width=12)  # short words: 100-112, 116-128, 132-144, 148-160
    box = BBox(101, 101, 138, 109)  # the text layer's box stops 22 px before the print
    assert fit_to_ink(box, ink, [], LIMITS, running_text=True) == BBox(100, 100, 160, 110)
    # a value (not running text) takes the word the box cuts, not the next one
    assert fit_to_ink(box, ink, [], LIMITS) == BBox(100, 100, 144, 110)


def test_a_box_wider_than_the_print_shrinks_to_it() -> None:
    ink = _line(100, 100, 2)
    assert fit_to_ink(BBox(90, 95, 200, 115), ink, [], LIMITS) == BBox(100, 100, 164, 110)


def test_print_beside_the_box_is_not_taken_and_growth_is_bounded() -> None:
    label, value = BBox(60, 100, 95, 110), BBox(100, 100, 160, 110)  # "Kote:" "1397.09"
    assert fit_to_ink(BBox(102, 101, 150, 109), [label, value], [], LIMITS) == value
    long_word = BBox(100, 100, 220, 110)  # a piece much longer than the box: clipped
    assert fit_to_ink(BBox(100, 100, 150, 110), [long_word], [], LIMITS) == BBox(100, 100, 174, 110)


def test_a_neighbours_print_is_never_taken() -> None:
    ink = _line(100, 100, 2)  # words 100-130 and 134-164
    neighbour = BBox(132, 98, 240, 112)  # the second word is another region's
    fitted = fit_to_ink(BBox(100, 100, 140, 110), ink, [neighbour], LIMITS, running_text=True)
    assert fitted == BBox(100, 100, 130, 110)
    assert fitted.intersection_area(neighbour) == 0


def test_drawings_and_rulings_are_not_print() -> None:
    assert not is_print(BBox(0, 0, 40, 200), LIMITS)  # a hatched lithology column
    assert not is_print(BBox(0, 0, 400, 2), LIMITS)  # a table ruling
    assert is_print(BBox(0, 0, 8, 2), LIMITS)  # a dash
    ruling = BBox(50, 111, 400, 113)
    box = BBox(100, 100, 150, 110)
    assert fit_to_ink(box, [*_line(100, 100, 1), ruling], [], LIMITS) == BBox(100, 100, 130, 110)


def test_no_print_keeps_the_box() -> None:
    box = BBox(10, 10, 50, 20)
    assert fit_to_ink(box, [], [], LIMITS) == box
    assert fit_all([box, BBox(60, 10, 90, 20)], [], LIMITS) == [box, BBox(60, 10, 90, 20)]


def test_rendered_words_with_narrow_boxes_fit_the_printed_words() -> None:
    doc = fitz.open()
    page = doc.new_page(width=400, height=200)
    page.insert_text((40, 60), "Kies, sandig, grau, locker gelagert", fontsize=11)
    page.insert_text((40, 120), "T : 399.50", fontsize=11)
    words = page.get_text("words")
    printed = BBox(
        min(w[0] for w in words[:5]),
        min(w[1] for w in words[:5]),
        max(w[2] for w in words[:5]),
        max(w[3] for w in words[:5]),
    )
    png = page.get_pixmap(dpi=144).tobytes("png")
    scale = 2.0  # px per pt at 144 dpi
    ink = ink_pieces(png, merge_px=3)
    assert ink, "no ink found on a page with text"
    limits = InkLimits.for_scale(scale)
    # an OCR box that ends 18 pt before the print does, and a neighbour box below
    narrow = BBox(
        printed.x0 * scale, printed.y0 * scale, (printed.x1 - 18) * scale, printed.y1 * scale
    )
    below = BBox(38 * scale, 105 * scale, 120 * scale, 125 * scale)
    fitted = fit_to_ink(narrow, ink, [below], limits, running_text=True)
    assert fitted.x1 == pytest.approx(printed.x1 * scale, abs=3 * scale)
    assert fitted.x0 == pytest.approx(printed.x0 * scale, abs=2 * scale)
    assert fitted.intersection_area(below) == 0


def test_a_box_that_holds_its_print_with_line_height_to_spare_stays() -> None:
    limits = InkLimits(max_grow=24, max_text_height=30, line_gap=6, pad=1, slack=4)
    text_layer_box = BBox(98, 97, 166, 113)  # ascent/descent around the letters
    assert fit_to_ink(text_layer_box, _line(100, 100, 2), [], limits) == text_layer_box
    short = BBox(98, 97, 150, 113)  # ends inside the second word: that side goes to the print
    assert fit_to_ink(short, _line(100, 100, 2), [], limits) == BBox(98, 97, 165, 113)
