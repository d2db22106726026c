"""Layout facts of logs from outside Switzerland, on generated documents and hand-built words:
sheet-bottom values, layers crossing a sheet break, depth-prefixed notes inside descriptions,
boundary values printed on the first row of a crowded description, form text over a sheet."""

from __future__ import annotations

import pytest

from stratigraphy import samples
from stratigraphy.evaluate import score_file
from stratigraphy.extract import extract_document
from stratigraphy.geometry import BBox
from stratigraphy.layers import detect_boreholes
from stratigraphy.model import PageContent, Segment, Word
from stratigraphy.schema import document_to_benchmark


@pytest.mark.parametrize(("seed", "lang"), [(21, "fr"), (22, "de"), (23, "en"), (24, "it")])
def test_sheet_log_layers(seed: int, lang: str) -> None:
    sample = samples.sheet_log(seed, lang)
    predicted = document_to_benchmark(extract_document(sample.pdf, name=sample.name))
    score = score_file(predicted, sample.truth)
    assert score.layers.f1 == 1.0, predicted
    layers = predicted[0]["layers"]
    # the sheet's foot value (5.00) is no boundary: one layer runs across the break, its text
    # repeated at the top of the next sheet is left out, its note there is kept
    assert not any(layer["depth_interval"]["end"] == 5.0 for layer in layers)
    [truth] = [
        t
        for t in sample.truth[0]["layers"]
        if t["depth_interval"]["start"] < 5.0 < t["depth_interval"]["end"]
    ]
    [crossing] = [la for la in layers if la["depth_interval"] == truth["depth_interval"]]
    assert crossing["material_description"] == truth["material_description"]
    # notes printed at their own depth inside a description are no layers
    assert all(not la["material_description"][:1].isdigit() for la in layers)


def words(x: float, y: float, text: str, page: int = 1, size: float = 8.0) -> list[Word]:
    out = []
    for token in text.split():
        w = 0.5 * size * len(token)
        out.append(Word(token, BBox(x, y, x + w, y + size), page=page))
        x += w + 0.3 * size
    return out


def test_value_on_the_first_row_of_a_ruled_block_opens_that_block() -> None:
    """A crowded log prints a thin layer's bottom value level with the first row of that
    layer's description; the rules drawn across the descriptions tell where the block starts."""

    def y(depth: float) -> float:
        return 100 + 100 * depth  # 100 points per metre

    rows = words(80, y(0.1) - 4, "0.10") + words(80, y(0.25) - 4, "0.25")
    rows += words(80, y(0.9) - 4, "0.90") + words(80, y(2.6) - 4, "2.60")
    rows += words(80, y(4.0) - 4, "4.00")
    rows += words(120, 101, "Asphalt pavement, black")
    rows += words(120, 121, "GRAVEL, sandy, grey, dense, with")  # level with 0.25
    rows += words(120, 131, "cobbles, moist")
    rows += words(120, 146, "Sandy CLAY, brown, stiff, with")
    rows += words(120, 156, "gravel, moist")
    rows += words(120, 366, "SILT, clayey, grey, soft")
    rules = tuple(Segment(110, r, 400, r) for r in (100, y(0.1), 142, y(0.9), y(2.6), y(4.0)))
    page = PageContent(1, 595, 842, 0, tuple(rows), rules)
    [borehole] = detect_boreholes([page])
    got = [(la.depth.start, la.depth.end, la.description) for la in borehole.layers]
    assert got == [
        (0.0, 0.1, "Asphalt pavement, black"),
        (0.1, 0.25, "GRAVEL, sandy, grey, dense, with cobbles, moist"),
        (0.25, 0.9, "Sandy CLAY, brown, stiff, with gravel, moist"),
        (2.6, 4.0, "SILT, clayey, grey, soft"),
    ]


def test_form_text_over_a_sheet_is_no_layer() -> None:
    """The header repeated over the next sheet of a log names no material: the layer open at
    the foot of the sheet before runs on to the first boundary of the next."""
    first = (
        words(80, 100, "1.20")
        + words(120, 90, "Topsoil, brown, sandy")
        + words(120, 110, "Gravel, sandy, grey, dense")
        + words(80, 300, "3.50")
        + words(120, 310, "Clay, silty, grey, stiff")
        + words(80, 700, "5.00")
    )
    second = (
        words(120, 40, "TASK ORDER NO, DATE GROUND LEVEL", page=2)
        + words(80, 140, "6.30", page=2)
        + words(120, 150, "Sandstone, weathered, brown", page=2)
        + words(80, 400, "8.00", page=2)
    )
    pages = [
        PageContent(1, 595, 842, 0, tuple(first)),
        PageContent(2, 595, 842, 0, tuple(second)),
    ]
    [borehole] = detect_boreholes(pages)
    got = [(la.depth.start, la.depth.end) for la in borehole.layers]
    assert (3.5, 6.3) in got
    assert not any("TASK ORDER" in la.description for la in borehole.layers)


@pytest.mark.parametrize(("seed", "lang"), [(31, "de"), (32, "fr"), (33, "en"), (34, "it")])
def test_drawn_log_depths_come_from_the_scale(seed: int, lang: str) -> None:
    """No depth printed at the boundaries: each rule's depth is read off the depth scale,
    the surface layer named by its thickness ('20 cm Humus') ends at that thickness."""
    sample = samples.drawn_log(seed, lang)
    predicted = document_to_benchmark(extract_document(sample.pdf, name=sample.name))
    score = score_file(predicted, sample.truth)
    assert score.layers.f1 == 1.0, predicted
    assert predicted[0]["layers"][0]["depth_interval"]["end"] < 0.5


def test_depth_scale_snaps_labels_to_their_ticks() -> None:
    from stratigraphy.layers.drawn import depth_scale
    from stratigraphy.layers.runs import words_to_runs

    # labels printed 1.5 pt below their tick marks: the ticks give the scale
    labels = [w for m in range(6) for w in words(60, 100 + 50 * m - 2.5, str(m))]
    ticks = [Segment(40, 100 + 50 * m, 52, 100 + 50 * m) for m in range(6)]
    scale = depth_scale(words_to_runs(labels), ticks)
    assert scale is not None
    assert abs(scale.top - 100) < 1e-6 and abs(scale.per_metre - 50) < 1e-6
    assert round(scale.depth(145.7), 3) == 0.914


@pytest.mark.parametrize(("seed", "mark"), [(41, ""), (42, "'"), (43, "")])
def test_depths_in_feet_are_converted_to_metres_with_a_warning(seed: int, mark: str) -> None:
    sample = samples.feet_log(seed, mark)
    result = extract_document(sample.pdf, name=sample.name)
    predicted = document_to_benchmark(result)
    assert score_file(predicted, sample.truth).layers.f1 == 1.0, predicted  # truth in feet
    deepest = max(la["depth_interval"]["end"] for la in predicted[0]["layers"])
    assert abs(deepest - 30.0 * 0.3048) < 0.01
    assert any("feet" in w and "metres" in w for w in result.warnings)


def test_a_metre_log_gets_no_feet_warning() -> None:
    sample = samples.boundary_column(1, "en")
    result = extract_document(sample.pdf, name=sample.name)
    assert not any("feet" in w for w in result.warnings)


def test_scale_labels_read_with_their_tick_as_a_dash_still_calibrate() -> None:
    from stratigraphy.layers.drawn import depth_scale
    from stratigraphy.layers.runs import words_to_runs

    # OCR reads the tick and its label as one word ('—3'); the 0 label is lost
    labels = [w for m in range(1, 7) for w in words(60, 100 + 50 * m - 4, f"\u2014{m}")]
    scale = depth_scale(words_to_runs(labels), [])
    assert scale is not None and abs(scale.top - 100) < 1e-6 and scale.first == 1


@pytest.mark.parametrize(("seed", "lang"), [(51, "de"), (52, "fr"), (53, "en"), (54, "it")])
def test_sheet_without_a_boundary_continues_the_open_layer(seed: int, lang: str) -> None:
    """A sheet whose depth column holds only scale ticks prints no boundary: the layer open at
    the foot of the sheet before runs through it to the end of the hole, with the sheet's
    text; the sample column beside it (its heading at the table's top) gives no layers."""
    sample = samples.continuation_sheet(seed, lang)
    predicted = document_to_benchmark(extract_document(sample.pdf, name=sample.name))
    assert len(predicted) == 1, predicted
    score = score_file(predicted, sample.truth)
    assert score.layers.f1 == 1.0, predicted
    last = predicted[0]["layers"][-1]
    truth = sample.truth[0]["layers"][-1]
    assert last["depth_interval"] == truth["depth_interval"]
    assert last["material_description"] == truth["material_description"]


@pytest.mark.parametrize(("seed", "lang"), [(61, "it"), (62, "de"), (63, "fr"), (65, "de")])
def test_crowded_value_on_the_first_row_of_its_block(seed: int, lang: str) -> None:
    """Thin top layers crowd a ruled log drawn to scale: the value of a boundary, printed at
    its depth's height, sits within the first row of the block below the rule that opens
    that block, a little above or below the row's middle; the block is the layer the rule
    opens, and the value is its bottom."""
    sample = samples.crowded_blocks(seed, lang)
    predicted = document_to_benchmark(extract_document(sample.pdf, name=sample.name))
    score = score_file(predicted, sample.truth)
    assert score.layers.f1 == 1.0, predicted


@pytest.mark.parametrize(("seed", "lang"), [(71, "fr"), (72, "de"), (74, "en")])
def test_value_with_codes_printed_tight_on_both_sides(seed: int, lang: str) -> None:
    """Codes of the neighbouring columns (a sample id left, a weathering grade right) printed
    tight against a depth value make one run of text ('P3 2.60 III'), as OCR often merges a
    scan's columns: the value aligned with the depth column is still a boundary."""
    sample = samples.tight_codes(seed, lang)
    predicted = document_to_benchmark(extract_document(sample.pdf, name=sample.name))
    score = score_file(predicted, sample.truth)
    assert score.layers.f1 == 1.0, predicted
