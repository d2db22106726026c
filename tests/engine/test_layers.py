"""Unit tests of the pure layer-detection chain on hand-built words."""

from __future__ import annotations

import pytest

from stratigraphy.geometry import BBox
from stratigraphy.layers import detect_boreholes, page_columns
from stratigraphy.layers.columns import entries_to_columns, is_scale_ticks
from stratigraphy.layers.entries import EntryKind, run_to_entry, runs_to_entries
from stratigraphy.layers.runs import words_to_runs
from stratigraphy.model import PageContent, Word


def words(x: float, y: float, text: str, size: float = 10.0) -> list[Word]:
    """Words of ``text`` laid out left to right from (x, y) like a PDF text line."""
    out = []
    for token in text.split():
        w = 0.5 * size * len(token)
        out.append(Word(token, BBox(x, y, x + w, y + size), page=1))
        x += w + 0.3 * size
    return out


def page(*groups: list[Word], rotation: int = 0) -> PageContent:
    return PageContent(1, 595, 842, rotation, tuple(w for g in groups for w in g))


def entry(text: str):
    runs = words_to_runs(words(50, 100, text))
    return run_to_entry(runs[0])


def test_runs_split_at_column_gaps() -> None:
    runs = words_to_runs(words(50, 100, "1.60") + words(150, 100, "Kies, sandig, grau"))
    assert [r.text for r in runs] == ["1.60", "Kies, sandig, grau"]


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("1.60", EntryKind.VALUE, 1.6, None),
        ("-0.30 Gravier sableux", EntryKind.VALUE, 0.3, None),
        ("0.30 - 1.60 m Kies", EntryKind.INTERVAL, 0.3, 1.6),
        ("1,60 – 2,20 Sand", EntryKind.INTERVAL, 1.6, 2.2),
        ("5.15: 6.50 m Sand", EntryKind.INTERVAL, 5.15, 6.5),  # OCR read the dash as a colon
        ("1.45 3.20 m Silt", EntryKind.INTERVAL, 1.45, 3.2),  # OCR lost the dash
        ("0.30 ÷ 1.20 m ghiaia", EntryKind.INTERVAL, 0.3, 1.2),
        ("ca. 2.50 m", EntryKind.VALUE, 2.5, None),
        ("-0.30 / 451.70", EntryKind.VALUE, 0.3, None),  # depth / elevation
    ],
)
def test_entries(text: str, kind: EntryKind, start: float, end: float | None) -> None:
    e = entry(text)
    assert e is not None and e.kind is kind
    assert e.start == pytest.approx(start)
    assert (e.end is None) if end is None else e.end == pytest.approx(end)


@pytest.mark.parametrize(
    "text",
    [
        "668.99 m ü.M.",
        "9.40 m: 3.75 kg/cm2",
        "Endtiefe 10.00 m",
        "GW 2.65 m",
        "13 8 -",
        "1:100",
        "0. SS",
    ],
)
def test_labelled_values_elevations_and_test_rows_are_not_entries(text: str) -> None:
    assert entry(text) is None


def _column(values: list[str], ys: list[float]) -> list:
    runs = words_to_runs([w for v, y in zip(values, ys, strict=True) for w in words(50, y, v)])
    return runs_to_entries(runs)


def test_scale_ticks_are_rejected_but_boundaries_kept() -> None:
    ticks = _column(["1", "2", "3", "4", "5"], [100, 150, 200, 250, 300])
    assert is_scale_ticks(ticks)
    assert entries_to_columns(ticks) == []
    boundaries = _column(["0.40", "1.90", "3.20", "4.60"], [110, 170, 222, 278])
    assert not is_scale_ticks(boundaries)
    assert len(entries_to_columns(boundaries)) == 1


def test_unordered_numbers_do_not_make_a_column() -> None:
    tests = _column(["6", "13", "10", "13", "12", "6", "8"], [100, 120, 140, 160, 180, 200, 220])
    assert entries_to_columns(tests) == []


def test_boundary_column_assigns_text_between_values_and_top_layer_from_surface() -> None:
    p = page(
        words(60, 200, "0.80"),
        words(60, 300, "2.50"),
        words(60, 420, "4.10"),
        words(150, 170, "Humus, braun"),
        words(150, 240, "Kies, sandig, grau,"),
        words(150, 252, "hell- braun"),
        words(150, 350, "Sand, siltig"),
        words(150, 440, "Molasse, Sandstein"),
    )
    (bh,) = detect_boreholes([p])
    got = [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers]
    assert got == [
        (0.0, 0.8, "Humus, braun"),
        (0.8, 2.5, "Kies, sandig, grau, hell- braun"),
        (2.5, 4.1, "Sand, siltig"),
        (4.1, None, "Molasse, Sandstein"),
    ]
    assert bh.layers[1].depth_bboxes[0].y0 == 200 and bh.layers[1].depth_bboxes[1].y0 == 300


def test_inline_negative_depths_and_end_of_hole() -> None:
    p = page(
        words(50, 100, "0.00"),
        words(110, 100, "Terre végétale, brune"),
        words(50, 130, "-0.40"),
        words(110, 130, "Gravier sableux, gris,"),
        words(110, 142, "humide"),
        words(50, 170, "-2.10"),
        words(110, 170, "Marne altérée"),
        words(50, 200, "-3.00"),
        words(110, 200, "Fin du forage"),
    )
    (bh,) = detect_boreholes([p])
    got = [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers]
    assert got == [
        (0.0, 0.4, "Terre végétale, brune"),
        (0.4, 2.1, "Gravier sableux, gris, humide"),
        (2.1, 3.0, "Marne altérée"),
    ]


def test_interval_rows() -> None:
    p = page(
        words(50, 100, "0.00 - 0.30 m"),
        words(150, 100, "Topsoil, dark brown"),
        words(50, 125, "0.30 - 2.20 m"),
        words(150, 125, "Gravel, sandy,"),
        words(150, 137, "grey"),
        words(50, 160, "2.20 - 4.00 m"),
        words(150, 160, "Clay, silty"),
    )
    (bh,) = detect_boreholes([p])
    got = [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers]
    assert got == [
        (0.0, 0.3, "Topsoil, dark brown"),
        (0.3, 2.2, "Gravel, sandy, grey"),
        (2.2, 4.0, "Clay, silty"),
    ]


def test_two_boreholes_side_by_side() -> None:
    left = [
        words(40, 100 + 30 * i, f"{a:.2f} - {b:.2f} m") + words(120, 100 + 30 * i, m)
        for i, (a, b, m) in enumerate([(0, 0.5, "Humus"), (0.5, 2, "Kies, sandig"), (2, 3, "Lehm")])
    ]
    right = [
        words(320, 100 + 30 * i, f"{a:.2f} - {b:.2f} m") + words(400, 100 + 30 * i, m)
        for i, (a, b, m) in enumerate([(0, 1, "Sand"), (1, 2.5, "Ton, siltig"), (2.5, 4, "Mergel")])
    ]
    bhs = detect_boreholes([page(*left, *right)])
    assert [[lay.description for lay in b.layers] for b in bhs] == [
        ["Humus", "Kies, sandig", "Lehm"],
        ["Sand", "Ton, siltig", "Mergel"],
    ]


def test_rotated_page_boxes_come_back_in_the_unrotated_frame() -> None:
    from stratigraphy.geometry import unrotate_bbox

    upright = page(
        words(50, 100, "0.00 - 0.30 m"),
        words(150, 100, "Humus"),
        words(50, 125, "0.30 - 2.20 m"),
        words(150, 125, "Kies, sandig"),
    )
    # the same page stored with /Rotate 90: words live in the unrotated frame (842 x 595)
    stored = PageContent(
        1,
        595,
        842,
        90,
        tuple(Word(w.text, unrotate_bbox(w.bbox, 595, 842, 90), 1) for w in upright.words),
    )
    stored = PageContent(1, 595, 842, 90, stored.words)
    (bh,) = detect_boreholes([stored])
    assert [lay.description for lay in bh.layers] == ["Humus", "Kies, sandig"]
    humus = next(w for w in stored.words if w.text == "Humus")
    assert bh.layers[0].description_bbox == humus.bbox


def test_page_columns_ignore_a_text_page() -> None:
    assert page_columns(page(words(50, 100, "Bericht über die Baugrunduntersuchung 2019"))) == []


def test_ruled_table_rows_start_at_their_ruling_line() -> None:
    from stratigraphy.model import Segment

    # depths vertically centred in three-line rows; descriptions start at the row top
    rows = [
        (100, 0.0, 0.5, ["Humus, dunkelbraun,", "durchwurzelt,", "feucht"]),
        (140, 0.5, 2.0, ["Kies, sandig,", "grau, gut", "gerundet"]),
        (180, 2.0, 3.5, ["Ton, siltig,", "blaugrau,", "steif"]),
    ]
    ws: list[Word] = []
    for top, a, b, lines in rows:
        ws += words(50, top + 13, f"{a:.2f} - {b:.2f} m")
        for k, line in enumerate(lines):
            ws += words(150, top + 2 + 12 * k, line)
    rules = tuple(Segment(40, y, 400, y) for y in (100, 140, 180, 220))
    p = PageContent(1, 595, 842, 0, tuple(ws), rules)
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers] == [
        (0.0, 0.5, "Humus, dunkelbraun, durchwurzelt, feucht"),
        (0.5, 2.0, "Kies, sandig, grau, gut gerundet"),
        (2.0, 3.5, "Ton, siltig, blaugrau, steif"),
    ]


def test_descriptions_left_of_the_depth_column() -> None:
    p = page(
        words(50, 100, "Terreno vegetale"),
        words(300, 112, "0.40"),
        words(50, 125, "Ghiaia sabbiosa, grigia"),
        words(300, 160, "2.10"),
        words(50, 175, "Limo argilloso, molle"),
        words(300, 200, "3.00"),
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers] == [
        (0.0, 0.4, "Terreno vegetale"),
        (0.4, 2.1, "Ghiaia sabbiosa, grigia"),
        (2.1, 3.0, "Limo argilloso, molle"),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        ["de 0.00 à 0.30 m", "de 0.30 à 1.60 m", "de 1.60 à 4.00 m"],
        ["from 0 to 0.3 m", "from 0.3 to 1.6 m", "from 1.6 to 4.0 m"],
        ["0,00 – 0,30", "0,30 – 1,60", "1,60 – 4,00"],
    ],
)
def test_interval_phrasings(rows: list[str]) -> None:
    texts = ["Terre végétale", "Gravier sableux", "Argile limoneuse"]
    p = page(
        *[
            words(50, 100 + 25 * i, r) + words(200, 100 + 25 * i, t)
            for i, (r, t) in enumerate(zip(rows, texts, strict=True))
        ]
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end) for lay in bh.layers] == [
        (0.0, 0.3),
        (0.3, 1.6),
        (1.6, 4.0),
    ]
    assert [lay.description for lay in bh.layers] == texts


def test_scale_ticks_beside_a_boundary_column_are_ignored() -> None:
    ticks = [words(20, 100 + 50 * m, str(m), size=6) for m in range(0, 6)]
    p = page(
        *ticks,
        words(80, 130, "0.60"),
        words(80, 205, "2.10"),
        words(80, 330, "4.60"),
        words(150, 110, "Humus"),
        words(150, 160, "Kies, sandig"),
        words(150, 260, "Moräne, siltig"),
        words(150, 345, "Molasse, Sandstein"),
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end) for lay in bh.layers] == [
        (0.0, 0.6),
        (0.6, 2.1),
        (2.1, 4.6),
        (4.6, None),
    ]


def test_negative_values_in_a_boundary_column_are_boundaries() -> None:
    p = page(
        words(60, 200, "-0.80"),
        words(60, 300, "-2.50"),
        words(60, 420, "-4.10"),
        words(150, 170, "Terre végétale"),
        words(150, 245, "Gravier sableux, gris"),
        words(150, 350, "Limon argileux"),
        words(150, 440, "Molasse gréseuse"),
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end) for lay in bh.layers] == [
        (0.0, 0.8),
        (0.8, 2.5),
        (2.5, 4.1),
        (4.1, None),
    ]


def test_row_values_that_are_bottom_depths() -> None:
    p = page(
        words(50, 100, "0.30"),
        words(110, 100, "Humus, braun"),
        words(50, 125, "1.20"),
        words(110, 125, "Kies, sandig, grau"),
        words(50, 150, "4.00"),
        words(110, 150, "Sand, siltig"),
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers] == [
        (0.0, 0.3, "Humus, braun"),
        (0.3, 1.2, "Kies, sandig, grau"),
        (1.2, 4.0, "Sand, siltig"),
    ]


def test_two_logs_stacked_on_one_page() -> None:
    rows = [(0, 0.5, "Humus"), (0.5, 2, "Kies, sandig"), (2, 3, "Lehm, siltig")]
    top = [
        words(50, 100 + 25 * i, f"{a:.2f} - {b:.2f} m") + words(150, 100 + 25 * i, t)
        for i, (a, b, t) in enumerate(rows)
    ]
    bottom = [
        words(50, 400 + 25 * i, f"{a:.2f} - {b:.2f} m") + words(150, 400 + 25 * i, t)
        for i, (a, b, t) in enumerate([(0, 1, "Sand"), (1, 2.5, "Ton"), (2.5, 4, "Mergel")])
    ]
    bhs = detect_boreholes([page(*top, *bottom)])
    assert [[(lay.depth.start, lay.depth.end) for lay in b.layers] for b in bhs] == [
        [(0.0, 0.5), (0.5, 2.0), (2.0, 3.0)],
        [(0.0, 1.0), (1.0, 2.5), (2.5, 4.0)],
    ]


def test_descriptions_on_the_lines_under_each_interval() -> None:
    p = page(
        words(50, 100, "0.00 - 0.30 m:"),
        words(50, 112, "Humus, dunkelbraun"),
        words(50, 130, "0.30 - 1.60 m:"),
        words(50, 142, "Kies, sandig, grau,"),
        words(50, 154, "locker gelagert"),
        words(50, 172, "1.60 - 4.00 m:"),
        words(50, 184, "Moräne, siltig"),
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers] == [
        (0.0, 0.3, "Humus, dunkelbraun"),
        (0.3, 1.6, "Kies, sandig, grau, locker gelagert"),
        (1.6, 4.0, "Moräne, siltig"),
    ]


def test_a_sample_table_is_not_a_log() -> None:
    log = [
        words(50, 100 + 25 * i, f"{a:.2f} - {b:.2f} m") + words(150, 100 + 25 * i, t)
        for i, (a, b, t) in enumerate([(0, 0.5, "Humus"), (0.5, 2, "Kies, sandig"), (2, 3, "Lehm")])
    ]
    samples_table = [words(50, 300, "Proben")] + [
        words(50, 320 + 20 * i, f"{a:.2f} - {b:.2f} m") + words(150, 320 + 20 * i, t)
        for i, (a, b, t) in enumerate(
            [(0.6, 0.8, "P1 Kies"), (1.5, 1.7, "P2 Kies, sandig"), (2.4, 2.6, "P3 Lehm")]
        )
    ]
    bhs = detect_boreholes([page(*log, *samples_table)])
    assert [[lay.description for lay in b.layers] for b in bhs] == [
        ["Humus", "Kies, sandig", "Lehm"]
    ]


def test_one_table_listing_several_boreholes() -> None:
    rows = [
        ("KB1", 0, 0.3, "Humus"),
        ("KB1", 0.3, 2.0, "Kies, sandig"),
        ("KB1", 2.0, 3.5, "Moräne"),
        ("KB2", 0, 0.5, "Auffüllung"),
        ("KB2", 0.5, 1.8, "Sand, siltig"),
        ("KB2", 1.8, 4.0, "Mergel"),
    ]
    ws = []
    for i, (name, a, b, text) in enumerate(rows):
        y = 100 + 20 * i
        ws += (
            words(40, y, name)
            + words(100, y, f"{a:.2f}")
            + words(150, y, f"{b:.2f}")
            + words(220, y, text)
        )
    bhs = detect_boreholes([page(ws)])
    assert [
        [(lay.depth.start, lay.depth.end, lay.description) for lay in b.layers] for b in bhs
    ] == [
        [(0.0, 0.3, "Humus"), (0.3, 2.0, "Kies, sandig"), (2.0, 3.5, "Moräne")],
        [(0.0, 0.5, "Auffüllung"), (0.5, 1.8, "Sand, siltig"), (1.8, 4.0, "Mergel")],
    ]


def test_interval_row_broken_by_ocr_is_restored() -> None:
    p = page(
        words(50, 100, "0.00 - 0.30 m"),
        words(150, 100, "Humus"),
        words(50, 125, "0.30 m"),
        words(150, 125, "Kies, sandig"),  # OCR lost '- 1.60'
        words(50, 150, "1.60 - 4.00 m"),
        words(150, 150, "Moräne, siltig"),
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end) for lay in bh.layers] == [
        (0.0, 0.3),
        (0.3, 1.6),
        (1.6, 4.0),
    ]


def test_ocr_damaged_values_are_restored_in_their_column() -> None:
    entries = _column(
        ["0.80", "11", "1.70", "42", "4.50", "0950", "21.30", "1.50", "22.90"],
        [100, 120, 140, 160, 180, 200, 220, 240, 260],
    )
    (column,) = entries_to_columns(entries)
    assert [e.value for e in column.entries] == [0.8, 1.1, 1.7, 4.2, 4.5, 9.5, 21.3, 21.5, 22.9]


def test_layer_identifiers_link_depths_to_descriptions_printed_elsewhere() -> None:
    p = page(
        words(50, 100, "1) 0.00 - 0.40 m"),
        words(50, 115, "2) 0.40 - 2.10 m"),
        words(50, 130, "3) 2.10 - 5.00 m"),
        words(50, 200, "1) Mutterboden, humös, braun"),
        words(50, 230, "2) Kies, sandig, grau, mit"),
        words(64, 242, "Steinen, locker"),
        words(50, 270, "3) Moräne, siltig, kompakt"),
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers] == [
        (0.0, 0.4, "Mutterboden, humös, braun"),
        (0.4, 2.1, "Kies, sandig, grau, mit Steinen, locker"),
        (2.1, 5.0, "Moräne, siltig, kompakt"),
    ]


def test_identifier_and_description_on_the_depth_row_is_a_plain_interval_row() -> None:
    p = page(
        words(50, 100, "1) 0.00 - 0.40 m"),
        words(170, 100, "Humus"),
        words(50, 115, "2) 0.40 - 2.10 m"),
        words(170, 115, "Kies, sandig"),
    )
    (bh,) = detect_boreholes([p])
    assert [(lay.depth.start, lay.depth.end, lay.description) for lay in bh.layers] == [
        (0.0, 0.4, "Humus"),
        (0.4, 2.1, "Kies, sandig"),
    ]


def test_report_section_numbers_are_not_a_depth_column() -> None:
    p = page(
        words(50, 100, "1.1"),
        words(80, 100, "Geologie"),
        words(80, 115, "Der Untergrund besteht aus Kies."),
        words(50, 140, "1.2"),
        words(80, 140, "Hydrogeologie"),
        words(80, 155, "Grundwasser im Kies, siltig."),
        words(50, 180, "2.1"),
        words(80, 180, "Baugrund"),
        words(80, 195, "Moräne, tonig, kompakt."),
    )
    assert detect_boreholes([p]) == []


def test_text_upright_in_the_stored_frame_of_a_rotated_page() -> None:
    p = page(
        words(50, 100, "0.00 - 0.30 m"),
        words(150, 100, "Humus"),
        words(50, 125, "0.30 - 2.20 m"),
        words(150, 125, "Kies, sandig"),
        rotation=90,
    )
    (bh,) = detect_boreholes([p])
    assert [lay.description for lay in bh.layers] == ["Humus", "Kies, sandig"]
    assert bh.layers[0].description_bbox == next(w.bbox for w in p.words if w.text == "Humus")


def test_rows_labelled_with_sample_ids_are_samples() -> None:
    rows = [("P1", 0.8, "Kies, sandig"), ("P2", 2.4, "Sand, siltig"), ("P3", 4.1, "Moräne")]
    p = page(
        *[
            words(40, 100 + 20 * i, sid)
            + words(90, 100 + 20 * i, f"{d:.2f}")
            + words(150, 100 + 20 * i, t)
            for i, (sid, d, t) in enumerate(rows)
        ]
    )
    assert detect_boreholes([p]) == []


def test_justified_line_split_by_a_wide_gap_stays_whole() -> None:
    p = page(
        words(50, 100, "0.00 - 0.30 m"),
        words(150, 100, "Humus, dunkelbraun, mit Wurzeln"),
        words(50, 125, "0.30 - 2.20 m"),
        words(150, 125, "Kies,"),
        words(200, 125, "sandig, grau, gut gerundet"),
    )
    (bh,) = detect_boreholes([p])
    assert [lay.description for lay in bh.layers] == [
        "Humus, dunkelbraun, mit Wurzeln",
        "Kies, sandig, grau, gut gerundet",
    ]
