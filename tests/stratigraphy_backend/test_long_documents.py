"""Predicting one page of a long PDF reads that page and its neighbours, not the document."""

from __future__ import annotations

import fitz

from stratigraphy_ml_backend.model import page_window


def long_pdf(pages: int) -> bytes:
    doc = fitz.open()
    for number in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 72), f"Bohrprofil Seite {number + 1}", fontsize=14)
        for row in range(8):
            depth = number * 8 + row
            page.insert_text(
                (72, 140 + row * 60), f"{depth:.2f} - {depth + 1:.2f} m  Kies, sandig", fontsize=10
            )
    data = doc.tobytes()
    doc.close()
    return data


def test_page_window_rule():
    short, long = long_pdf(3), long_pdf(40)
    assert page_window(short, 2, whole_up_to=12) is None
    assert page_window(long, 0, whole_up_to=12) == (0, 1)
    assert page_window(long, 20, whole_up_to=12) == (19, 20, 21)
    assert page_window(long, 39, whole_up_to=12) == (38, 39)
    assert page_window(b"not a pdf", 0, whole_up_to=12) is None


def test_one_page_of_a_long_document_extracts_its_neighbourhood_only(local_backend):
    pdf = long_pdf(40)
    tasks = local_backend.put_document("5", "long", pdf, dpi=10)
    extractions = local_backend.services.extractions
    results = local_backend.predict([tasks[20]])
    assert results[0]["result"], "page 21 has depth intervals to pre-annotate"
    assert extractions.extractions == 1
    # the cached result is the one for pages 19..21 (a hit, no second run)
    doc = extractions.get(pdf, "long.pdf", None, (19, 20, 21))
    assert extractions.extractions == 1
    assert [p.number for p in doc.pages] == [20, 21, 22]
    local_backend.predict([tasks[0]])
    assert extractions.extractions == 2
    assert [p.number for p in extractions.get(pdf, "long.pdf", None, (0, 1)).pages] == [1, 2]
