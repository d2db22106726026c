"""The second reading of cut-short OCR numbers: the decision rule, the crops, and real Tesseract."""

from __future__ import annotations

import fitz
import numpy as np
import pytest

from stratigraphy.geometry import BBox
from stratigraphy.ocr.numbers import (
    Crop,
    accept_reread,
    ink_run,
    is_candidate,
    plan_crops,
    reread_numbers,
    stack_crops,
)


@pytest.mark.parametrize("text", ["38", "104", "0.", "-2", "20", "5,"])
def test_short_numbers_without_decimals_are_candidates(text: str) -> None:
    assert is_candidate(text)


@pytest.mark.parametrize("text", ["38.2", "0.40", "12345", "Kies", "2a", "", "1995-05", "m"])
def test_other_words_are_not_candidates(text: str) -> None:
    assert not is_candidate(text)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("38", "38.2", "38.2"),
        ("104", "104.9", "104.9"),
        ("20", "23.20", "23.20"),  # the lost part on the left
        ("0.", "0.4", "0.4"),
        ("1", "1,60", "1,60"),
        ("-0", "-0.30", "-0.30"),
    ],
)
def test_extensions_with_decimals_are_accepted(old: str, new: str, expected: str) -> None:
    assert accept_reread(old, new, 90.0) == expected


@pytest.mark.parametrize(
    ("old", "new", "conf"),
    [
        ("38", "38.2", 30.0),  # unsure
        ("38", "39.2", 90.0),  # a digit changed
        ("38", "38", 90.0),  # nothing gained
        ("38", "138", 90.0),  # no decimals: could be a neighbour's glyph
        ("12", "12.05.1995", 90.0),  # a date
        ("20", "2023.205", 90.0),  # too much added
        ("0.", "10.4", 90.0),  # a separator may only gain decimals after it
        ("38.2", "38.25", 90.0),  # already had decimals
        ("38", "38-2", 90.0),
        ("38", "", 90.0),
    ],
)
def test_other_readings_are_refused(old: str, new: str, conf: float) -> None:
    assert accept_reread(old, new, conf) is None


def test_ink_run_crosses_small_gaps_only() -> None:
    ink = np.zeros(40, dtype=bool)
    ink[10:15] = True  # the word
    ink[17:20] = True  # gap 2: part of it
    ink[30:33] = True  # gap 10: another thing
    ink[5:8] = True  # gap 2 on the left
    assert ink_run(ink, 10, 15, 0, 40, max_gap=3) == (5, 20)
    assert ink_run(ink, 10, 15, 9, 18, max_gap=3) == (10, 18)  # bounds are never crossed


def _page_image(items: list[tuple[float, str]], dpi: int = 300) -> tuple[np.ndarray, list[BBox]]:
    """A grayscale render of Courier numbers at x positions on one line, and their word boxes
    in pixels."""
    doc = fitz.open()
    page = doc.new_page(width=300, height=60)
    for x, text in items:
        page.insert_text((x, 35), text, fontname="cour", fontsize=12)
    scale = dpi / 72.0
    boxes = [
        BBox(x0 * scale, y0 * scale, x1 * scale, y1 * scale)
        for x0, y0, x1, y1, *_ in page.get_text("words")
    ]
    pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY)
    gray = (
        np.frombuffer(pix.samples, dtype=np.uint8)
        .reshape(pix.height, pix.stride)[:, : pix.width]
        .copy()
    )
    return gray, boxes


def _cut(box: BBox, chars: int, total: int, *, keep_left: bool) -> BBox:
    """The box of the first (keep_left) or last ``chars`` of ``total`` monospaced characters."""
    step = box.width / total
    if keep_left:
        return BBox(
            box.x0, box.y0 + 0.2 * box.height, box.x0 + chars * step - 1, box.y1 - 0.2 * box.height
        )
    return BBox(
        box.x1 - chars * step + 1, box.y0 + 0.2 * box.height, box.x1, box.y1 - 0.2 * box.height
    )


def test_crop_takes_in_the_dropped_ink_but_not_the_neighbour() -> None:
    gray, (dash, number) = _page_image([(40, "-"), (70, "38.2")])
    short = _cut(number, 2, 4, keep_left=True)  # OCR kept '38'
    crops = plan_crops(gray, ["-", "38"], [dash, short])
    assert [c.index for c in crops] == [1]
    box = crops[0].box
    assert box.x0 > dash.x1  # the dash is another word
    assert (
        box.x1 >= number.x1 - 0.4 * number.width / 4
    )  # the '.2' is in (the cell has blank margins)


def test_no_crop_when_the_word_has_no_ink_beside_it() -> None:
    gray, (number,) = _page_image([(70, "38")])
    assert plan_crops(gray, ["38"], [number]) == []


def test_stack_puts_each_crop_on_its_own_rows() -> None:
    gray = np.full((100, 100), 255, dtype=np.uint8)
    gray[10:20, 10:30] = 0
    gray[50:70, 40:50] = 0
    crops = [Crop(0, BBox(10, 10, 30, 20)), Crop(1, BBox(40, 50, 50, 70))]
    sheet, slots = stack_crops(gray, crops)
    assert len(slots) == 2 and slots[0][1] < slots[1][0]
    for (top, bottom), crop in zip(slots, crops, strict=True):
        assert bottom - top == crop.box.height
        assert (sheet[top:bottom] == 0).sum() == crop.box.width * crop.box.height
    assert (sheet == 0).sum() == 20 * 10 + 10 * 20  # nothing else on the sheet


def test_tesseract_completes_numbers_cut_on_either_side() -> None:
    gray, (dash, right, left) = _page_image([(40, "-"), (70, "104.9"), (200, "23.20")])
    texts = ["-", "104", "20"]
    boxes = [dash, _cut(right, 3, 5, keep_left=True), _cut(left, 2, 5, keep_left=False)]
    changes = reread_numbers(gray, texts, boxes)
    assert {i: text for i, (text, _) in changes.items()} == {1: "104.9", 2: "23.20"}
    cell = right.width / 5  # Courier: a glyph has blank margins in its cell
    assert (
        changes[1][1].x1 >= right.x1 - 0.4 * cell and changes[2][1].x0 <= left.x0 + 0.4 * cell
    )  # boxes grew


def test_tesseract_leaves_whole_numbers_alone() -> None:
    gray, boxes = _page_image([(40, "12"), (120, "250")])
    assert reread_numbers(gray, ["12", "250"], boxes) == {}
