"""ls_format: engine results -> Label Studio results (hand-made documents, no engine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from label_studio_sdk.label_interface import LabelInterface

from stratigraphy.geometry import BBox
from stratigraphy.model import (
    Borehole,
    BoreholeMetadata,
    Coordinates,
    CoordinateSystem,
    DepthInterval,
    DocumentResult,
    Elevation,
    Groundwater,
    Layer,
    Located,
    PageInfo,
    TextSource,
)
from stratigraphy_ml_backend import ls_format
from stratigraphy_ml_backend.ls_format import ConfigNames, ImageSize

CONFIG = (Path(__file__).resolve().parents[2] / "data" / "label_config.xml").read_text()


def _doc(rotation: int = 0, width: float = 595.0, height: float = 842.0) -> DocumentResult:
    layers = (
        Layer(
            DepthInterval(0.0, 0.3),
            "Humus, braun",
            1,
            BBox(200, 100, 400, 120),
            (BBox(100, 95, 130, 105), BBox(100, 118, 130, 128)),
            (1, 1),
        ),
        Layer(
            DepthInterval(0.3, 1.6),
            "Kies, sandig, grau",
            1,
            BBox(200, 130, 420, 160),
            (BBox(100, 118, 130, 128), BBox(100, 160, 130, 170)),
            (1, 1),
        ),
        Layer(
            DepthInterval(1.6, None),
            "Ton, blaugrau",
            2,
            BBox(200, 50, 400, 70),
            (BBox(100, 45, 130, 55),),
            (2,),
        ),
    )
    meta = BoreholeMetadata(
        name=Located("KB 3", 1, BBox(50, 20, 90, 32)),
        coordinates=Coordinates(
            2607562.0, 1187087.5, CoordinateSystem.LV95, 1, BBox(300, 20, 500, 32)
        ),
        elevation=Elevation(668.99, 1, BBox(300, 40, 360, 52)),
    )
    water = (Groundwater(2.65, "2013-06-20", None, 2, BBox(450, 300, 560, 312)),)
    pages = (
        PageInfo(1, width, height, rotation, TextSource.TEXT_LAYER),
        PageInfo(2, width, height, rotation, TextSource.OCR),
    )
    return DocumentResult("doc.pdf", pages, (Borehole(0, layers, meta, water),))


def _by_label(results, label):
    return [
        r
        for r in results
        if r.get("type") == "rectanglelabels" and r["value"]["rectanglelabels"] == [label]
    ]


def test_page_one_regions_texts_relations_and_validation():
    doc = _doc()
    regions = ls_format.page_regions(doc, 1, "abc", "1.0")
    results = ls_format.regions_to_results(regions, doc.pages[0], ImageSize(1240, 1754))
    labels = sorted(
        r["value"]["rectanglelabels"][0] for r in results if r["type"] == "rectanglelabels"
    )
    assert labels == sorted(
        ["Material Description"] * 2
        + ["Depth Interval"] * 2
        + ["Borehole Name", "Coordinates", "Elevation"]
    )
    texts = {r["id"]: r["value"]["text"][0] for r in results if r["type"] == "textarea"}
    depth_texts = sorted(texts[r["id"]] for r in _by_label(results, "Depth Interval"))
    assert depth_texts == ["start: 0 end: 0.3", "start: 0.3 end: 1.6"]
    assert texts[_by_label(results, "Coordinates")[0]["id"]] == "2607562 / 1187087.5"
    assert texts[_by_label(results, "Elevation")[0]["id"]] == "668.99"
    assert texts[_by_label(results, "Borehole Name")[0]["id"]] == "KB 3"
    relations = [r for r in results if r["type"] == "relation"]
    assert len(relations) == 2
    ids_by_type = {
        r["id"]: r["value"]["rectanglelabels"][0] for r in results if r["type"] == "rectanglelabels"
    }
    for rel in relations:
        assert ids_by_type[rel["from_id"]] == "Material Description"
        assert ids_by_type[rel["to_id"]] == "Depth Interval"
        assert "labels" not in rel and rel["direction"] == "right"  # no tag over the page
    # every rectangle has a textarea twin with the same id and geometry
    for rect in (r for r in results if r["type"] == "rectanglelabels"):
        twin = [r for r in results if r["type"] == "textarea" and r["id"] == rect["id"]]
        assert len(twin) == 1
        assert {k: twin[0]["value"][k] for k in ("x", "y", "width", "height")} == {
            k: rect["value"][k] for k in ("x", "y", "width", "height")
        }
        assert rect["original_width"] == 1240 and rect["original_height"] == 1754
        assert rect["image_rotation"] == 0
    errors = LabelInterface(CONFIG).validate_prediction(
        {"result": results, "score": 0.5, "model_version": "x"}, return_errors=True
    )
    assert not errors, errors


def test_percentages_match_the_page():
    doc = _doc()
    results = ls_format.regions_to_results(
        ls_format.page_regions(doc, 1, "h", "v"), doc.pages[0], ImageSize(10, 10)
    )
    desc = _by_label(results, "Material Description")[0]["value"]
    assert desc["x"] == pytest.approx(200 / 595 * 100, abs=1e-3)
    assert desc["y"] == pytest.approx(100 / 842 * 100, abs=1e-3)
    assert desc["width"] == pytest.approx(200 / 595 * 100, abs=1e-3)
    assert desc["height"] == pytest.approx(20 / 842 * 100, abs=1e-3)


def test_rotated_page_boxes_are_in_the_displayed_frame():
    # unrotated page is landscape 842 x 595, shown portrait with /Rotate 90
    doc = _doc(rotation=90, width=842.0, height=595.0)
    results = ls_format.regions_to_results(
        ls_format.page_regions(doc, 1, "h", "v"), doc.pages[0], ImageSize(595, 842)
    )
    desc = _by_label(results, "Material Description")[0]["value"]
    # rotate 90: displayed x = height - y1, displayed y = x0
    assert desc["x"] == pytest.approx((595 - 120) / 595 * 100, abs=1e-3)
    assert desc["y"] == pytest.approx(200 / 842 * 100, abs=1e-3)
    assert desc["width"] == pytest.approx(20 / 595 * 100, abs=1e-3)
    assert desc["height"] == pytest.approx(200 / 842 * 100, abs=1e-3)


def test_page_two_has_only_its_own_regions_and_ids_are_stable():
    doc = _doc()
    a = ls_format.regions_to_results(
        ls_format.page_regions(doc, 2, "h", "v"), doc.pages[1], ImageSize(100, 100)
    )
    b = ls_format.regions_to_results(
        ls_format.page_regions(doc, 2, "h", "v"), doc.pages[1], ImageSize(100, 100)
    )
    assert a == b
    labels = sorted(r["value"]["rectanglelabels"][0] for r in a if r["type"] == "rectanglelabels")
    assert labels == ["Depth Interval", "Groundwater", "Material Description"]
    texts = [r["value"]["text"][0] for r in a if r["type"] == "textarea"]
    assert "start: 1.6 end: " in texts and "2.65 m, 2013-06-20" in texts
    other = ls_format.regions_to_results(
        ls_format.page_regions(doc, 2, "other-doc", "v"), doc.pages[1], ImageSize(100, 100)
    )
    assert {r["id"] for r in a if "id" in r}.isdisjoint({r["id"] for r in other if "id" in r})


def test_boxes_are_clamped_and_off_page_boxes_dropped():
    info = PageInfo(1, 100, 100, 0, TextSource.TEXT_LAYER)
    regions = [
        ls_format.Region("a", "Material Description", BBox(-10, 90, 50, 120), "x"),
        ls_format.Region("b", "Material Description", BBox(200, 200, 300, 300), "y"),
        ls_format.Region("c", "Unknown Label", BBox(10, 10, 20, 20), "z"),
    ]
    results = ls_format.regions_to_results(regions, info, ImageSize(100, 100))
    assert {r["id"] for r in results} == {"a"}
    value = results[0]["value"]
    assert value["x"] == 0 and value["y"] == 90 and value["width"] == 50 and value["height"] == 10


def test_config_without_textarea_or_with_a_relation_label():
    doc = _doc()
    names = ConfigNames(text=None)
    results = ls_format.regions_to_results(
        ls_format.page_regions(doc, 1, "h", "v"), doc.pages[0], ImageSize(10, 10), names
    )
    assert not [r for r in results if r["type"] == "textarea"]
    relations = [r for r in results if r["type"] == "relation"]
    assert relations and all("labels" not in r for r in relations)
    labelled = ls_format.regions_to_results(
        ls_format.page_regions(doc, 1, "h", "v"),
        doc.pages[0],
        ImageSize(10, 10),
        ConfigNames(relation="belongs_to"),
    )
    assert all(r["labels"] == ["belongs_to"] for r in labelled if r["type"] == "relation")


def test_score_fallback_without_engine_confidence():
    doc = _doc()
    assert ls_format.page_score(doc, 1) == 1.0
    assert ls_format.page_score(doc, 2) == pytest.approx(0.75 * 0.9)
    assert ls_format.page_score(doc, 3) == 0.0


def _with_confidence(doc: DocumentResult, layers: list[float | None], borehole: float | None):
    bh = doc.boreholes[0]
    new_layers = tuple(
        Layer(
            lay.depth,
            lay.description,
            lay.page,
            lay.description_bbox,
            lay.depth_bboxes,
            lay.depth_pages,
            confidence=c,
        )
        for lay, c in zip(bh.layers, layers, strict=True)
    )
    return DocumentResult(
        doc.name,
        doc.pages,
        (Borehole(bh.index, new_layers, bh.metadata, bh.groundwater, confidence=borehole),),
    )


def test_scores_come_from_the_engine_confidence():
    doc = _with_confidence(_doc(), [0.9, 0.3, None], borehole=0.5)
    # 0.7 x the mean of the layers' own + 0.3 x the weakest
    assert ls_format.page_score(doc, 1) == pytest.approx(0.7 * 0.6 + 0.3 * 0.3)
    assert ls_format.page_score(doc, 2) == pytest.approx(0.5)  # the borehole's, no fallback
    results = ls_format.regions_to_results(
        ls_format.page_regions(doc, 1, "h", "v"), doc.pages[0], ImageSize(100, 100)
    )
    scores = {
        (r["value"]["rectanglelabels"][0], r.get("score"))
        for r in results
        if r["type"] == "rectanglelabels"
    }
    assert ("Material Description", 0.9) in scores and ("Depth Interval", 0.3) in scores
    assert ("Coordinates", None) in scores  # metadata is not judged: no made-up score
    for r in results:
        if r["type"] == "textarea":
            twin = next(t for t in results if t["type"] == "rectanglelabels" and t["id"] == r["id"])
            assert r.get("score") == twin.get("score")
    errors = LabelInterface(CONFIG).validate_prediction(
        {"result": results, "score": 0.6, "model_version": "x"}, return_errors=True
    )
    assert not errors, errors


def _boxes(results, label):
    return [
        (v["x"], v["y"], v["x"] + v["width"], v["y"] + v["height"])
        for v in (r["value"] for r in _by_label(results, label))
    ]


def _overlap(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def test_depth_boxes_of_a_drawn_log_tile_the_column():
    doc = _doc()  # layers 1 and 2 share the printed "0.3" (y 118-128)
    results = ls_format.regions_to_results(
        ls_format.page_regions(doc, 1, "h", "v"), doc.pages[0], ImageSize(595, 842)
    )
    first, second = sorted(_boxes(results, "Depth Interval"), key=lambda b: b[1])
    assert _overlap(first, second) == pytest.approx(0, abs=1e-6)
    assert first[3] == pytest.approx(123 / 842 * 100, abs=1e-3)  # the middle of "0.3"
    assert second[1] == pytest.approx(123 / 842 * 100, abs=1e-3)
    assert second[3] == pytest.approx(170 / 842 * 100, abs=1e-3)


def test_boxes_are_fitted_to_the_ink_of_the_page_image():
    doc = _doc()
    image = ImageSize(595, 842)  # 1 px per point
    # the description "Humus, braun" (text-layer box 200-400): its last word printed up to 418
    ink = [BBox(201, 101, 300, 119), BBox(303, 101, 340, 119), BBox(344, 101, 418, 119)]
    results = ls_format.regions_to_results(
        ls_format.page_regions(doc, 1, "h", "v"), doc.pages[0], image, ink=ink
    )
    humus = next(
        r["value"]
        for r in _by_label(results, "Material Description")
        if r["value"]["y"] < 100 / 842 * 100 + 1
    )
    # the right side goes to the print (+1 pt margin); the others already hold it and stay
    assert humus["x"] == pytest.approx(200 / 595 * 100, abs=1e-3)
    assert humus["x"] + humus["width"] == pytest.approx(419 / 595 * 100, abs=1e-3)
    assert humus["y"] == pytest.approx(100 / 842 * 100, abs=1e-3)


def test_format_number():
    assert ls_format.format_number(0.30) == "0.3"
    assert ls_format.format_number(10.0) == "10"
    assert ls_format.format_number(2607562.0) == "2607562"
    assert ls_format.format_number(-0.0) == "0"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_displayed_size_follows_exif_orientation(fmt: str, orientation: int) -> None:
    import io

    from PIL import Image, ImageOps

    from stratigraphy_ml_backend.imaging import displayed_size

    img = Image.new("RGB", (300, 200), "white")
    exif = img.getexif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, fmt, exif=exif.tobytes())
    data = buf.getvalue()
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).size
    assert (displayed_size(data).width, displayed_size(data).height) == expected


def test_displayed_size_rejects_non_images() -> None:
    from label_studio_ml.errors import InputDocumentError
    from stratigraphy_ml_backend.imaging import displayed_size

    with pytest.raises(InputDocumentError):
        displayed_size(b"%PDF-1.7 not an image")
