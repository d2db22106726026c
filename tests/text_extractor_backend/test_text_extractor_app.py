"""The text extractor through its HTTP app, with Label Studio-shaped payloads.

Real PDFs from :mod:`stratigraphy.samples`, real page renders, real Tesseract,
local storage in ``tmp_path`` and a real S3 endpoint (moto server over HTTP).
"""

from __future__ import annotations

import io
from difflib import SequenceMatcher
from pathlib import Path

import fitz
import pytest
from PIL import Image
from te_helpers import (
    DPI,
    LABEL_CONFIG,
    ask,
    assert_valid_prediction,
    interactive,
    make_client,
    page_png,
    percent_of,
    png_size,
    predict_body,
    region,
    transcription,
)

from label_studio_ml.storage.settings import StorageSettings
from stratigraphy import samples


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower(), b.lower()).ratio()


@pytest.fixture(scope="module")
def digital() -> samples.Sample:
    return samples.interval_text(2, "de")


@pytest.fixture(scope="module")
def scan() -> samples.Sample:
    return samples.scanned(8)


@pytest.fixture()
def local(tmp_path: Path, digital: samples.Sample, scan: samples.Sample):
    data = tmp_path / "data"
    for name, sample in (("digital", digital), ("scan", scan)):
        (data / "pdf" / "1").mkdir(parents=True, exist_ok=True)
        (data / "png" / "1").mkdir(parents=True, exist_ok=True)
        (data / "pdf" / "1" / f"{name}.pdf").write_bytes(sample.pdf)
        (data / "png" / "1" / f"{name}_0.png").write_bytes(page_png(sample.pdf))
    client = make_client(StorageSettings(storage="local", data_dir=data), tmp_path / "models")
    return client, data


def _layer(sample: samples.Sample, index: int) -> dict:  # type: ignore[type-arg]
    return sample.truth[0]["layers"][index]


def test_box_on_text_layer_page_gives_the_exact_words(local, digital) -> None:
    client, data = local
    size = png_size((data / "png/1/digital_0.png").read_bytes())
    for index in (0, 2, 3):
        layer = _layer(digital, index)
        box = region(percent_of(digital.pdf, layer["material_description_rect"]), size=size)
        response = client.post("/predict", json=interactive("png/1/digital_0.png", [box]))
        assert transcription(response) == layer["material_description"]
        result = response.get_json()["results"][0]["result"]
        textarea, rect = result
        assert textarea["id"] == rect["id"] == "r1xYz"
        assert textarea["from_name"] == "transcription" and textarea["to_name"] == "image"
        assert textarea["origin"] == "manual"
        assert (textarea["original_width"], textarea["original_height"]) == size
        for key in ("x", "y", "width", "height", "rotation"):
            assert textarea["value"][key] == box["value"][key]
        assert rect == box  # the drawn region comes back unchanged
        assert_valid_prediction(response.get_json()["results"][0])
        assert isinstance(response.get_json()["results"][0]["model_version"], str)


def test_last_region_of_the_context_is_transcribed(local, digital) -> None:
    client, _ = local
    first, second = _layer(digital, 0), _layer(digital, 1)
    older = region(percent_of(digital.pdf, first["material_description_rect"]), region_id="old")
    newer = region(percent_of(digital.pdf, second["material_description_rect"]), region_id="new")
    older_text = {
        **older,
        "type": "textarea",
        "from_name": "transcription",
        "value": {**older["value"], "text": ["old text"]},
    }
    older_text["value"].pop("rectanglelabels")
    response = client.post("/predict", json=interactive("png/1/digital_0.png", [older, newer]))
    assert transcription(response) == second["material_description"]
    assert response.get_json()["results"][0]["result"][0]["id"] == "new"
    # the transcription of an earlier region coming last does not count as a drawn box
    context = [newer, older, older_text]
    response = client.post("/predict", json=interactive("png/1/digital_0.png", context))
    assert transcription(response) == first["material_description"]
    assert response.get_json()["results"][0]["result"][1] == older


def test_box_on_image_only_page_is_read_by_ocr(local, scan) -> None:
    client, _ = local
    for index in (0, 3):
        layer = _layer(scan, index)
        box = region(percent_of(scan.pdf, layer["material_description_rect"]))
        text = ask(client, "png/1/scan_0.png", [box])
        assert _similar(text, layer["material_description"]) >= 0.85, text


def test_depth_interval_label_is_normalised(local, digital) -> None:
    client, _ = local
    for index in (0, 1, 4):
        layer = _layer(digital, index)
        box = region(percent_of(digital.pdf, layer["depth_rects"][0]), label="Depth Interval")
        text = ask(client, "png/1/digital_0.png", [box])
        depth = layer["depth_interval"]
        assert text == f"start: {depth['start']:g} end: {depth['end']:g}"


def test_depth_interval_from_ocr_with_commas_and_negative_french_depths(tmp_path: Path) -> None:
    doc = fitz.open()
    page = doc.new_page(width=300, height=120)
    page.insert_text((20, 40), "-1,20 à -2,40 m", fontsize=14)
    page.insert_text((20, 90), "3,5", fontsize=14)
    pdf = doc.tobytes()
    data = tmp_path / "data"
    (data / "crops").mkdir(parents=True)
    (data / "crops" / "depths.png").write_bytes(page_png(pdf))  # no PDF behind it: OCR
    client = make_client(StorageSettings(storage="local", data_dir=data), tmp_path / "models")
    top = region(percent_of(pdf, [15, 22, 160, 46], pad=2), label="Depth Interval")
    assert ask(client, "crops/depths.png", [top]) == "start: 1.2 end: 2.4"
    single = region(percent_of(pdf, [15, 72, 60, 96], pad=2), label="Depth Interval")
    assert ask(client, "crops/depths.png", [single]) == "start: 3.5 end: "


def test_coordinates_and_elevation_labels(local, digital) -> None:
    client, _ = local
    doc = fitz.open(stream=digital.pdf, filetype="pdf")
    coords_rect = doc[0].search_for("2'549'649 / 1'114'008")[0]
    elevation_rect = doc[0].search_for("Kote 382.88 m")[0]
    doc.close()
    box = region(percent_of(digital.pdf, list(coords_rect)), label="Coordinates")
    text = ask(client, "png/1/digital_0.png", [box])
    assert text == "2549649 / 1114008"
    box = region(percent_of(digital.pdf, list(elevation_rect)), label="Elevation")
    text = ask(client, "png/1/digital_0.png", [box])
    assert text == "382.88"


def test_box_outside_the_image_gives_empty_text(local) -> None:
    client, data = local
    (data / "crops").mkdir()
    (data / "crops" / "page.png").write_bytes((data / "png/1/digital_0.png").read_bytes())
    box = region({"x": 105.0, "y": 20.0, "width": 30.0, "height": 10.0, "rotation": 0})
    assert ask(client, "crops/page.png", [box]) == ""
    # partly outside: clamped to the image, the inside part is read
    box = region({"x": -5.0, "y": -5.0, "width": 200.0, "height": 12.5, "rotation": 0})
    text = ask(client, "crops/page.png", [box])
    assert "SB 12" in text


def test_empty_crop_gives_empty_text_not_an_error(local) -> None:
    client, data = local
    (data / "crops").mkdir()
    (data / "crops" / "page.png").write_bytes((data / "png/1/digital_0.png").read_bytes())
    blank = region({"x": 60.0, "y": 90.0, "width": 20.0, "height": 5.0, "rotation": 0})
    assert ask(client, "crops/page.png", [blank]) == ""
    zero = region({"x": 30.0, "y": 30.0, "width": 0.0, "height": 0.0, "rotation": 0})
    assert ask(client, "crops/page.png", [zero]) == ""


def _layer_crop(sample: samples.Sample, index: int) -> tuple[bytes, str]:
    """A PNG of one description (as a cropped layer image) and its text."""
    layer = _layer(sample, index)
    doc = fitz.open(stream=sample.pdf, filetype="pdf")
    clip = fitz.Rect(layer["material_description_rect"]) + (-4, -4, 4, 4)  # noqa: RUF005
    png = doc[0].get_pixmap(dpi=DPI, clip=clip).tobytes("png")
    doc.close()
    return png, layer["material_description"]


def test_cropped_layer_task_without_context_is_ocrd_whole(local, digital) -> None:
    client, data = local
    png, expected = _layer_crop(digital, 3)
    (data / "crops").mkdir()
    (data / "crops" / "layer_3.png").write_bytes(png)
    response = client.post("/predict", json=predict_body("crops/layer_3.png", None))
    assert response.status_code == 200, response.get_json()
    prediction = response.get_json()["results"][0]
    (item,) = prediction["result"]
    names = (item["type"], item["from_name"], item["to_name"])
    assert names == ("textarea", "transcription", "image")
    geometry = {k: item["value"][k] for k in ("x", "y", "width", "height")}
    assert geometry == {"x": 0, "y": 0, "width": 100, "height": 100}
    assert (item["original_width"], item["original_height"]) == png_size(png)
    assert _similar(item["value"]["text"][0], expected) >= 0.85, item["value"]["text"]
    assert_valid_prediction(prediction)


def test_page_task_without_context_gets_no_transcription(local) -> None:
    client, _ = local
    response = client.post("/predict", json=predict_body("png/1/digital_0.png", None))
    assert response.status_code == 200
    assert response.get_json()["results"][0]["result"] == []


@pytest.mark.parametrize("orientation,rotate", [(6, 90), (8, -90)])
def test_exif_rotated_image_is_read_upright(local, digital, orientation: int, rotate: int) -> None:
    client, data = local
    png, expected = _layer_crop(digital, 2)
    upright = Image.open(io.BytesIO(png)).convert("RGB")
    stored = upright.rotate(rotate, expand=True)  # pixels as a phone would store them
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", quality=95, exif=exif.tobytes())
    (data / "crops").mkdir()
    (data / "crops" / "photo.jpg").write_bytes(buffer.getvalue())
    # the box in percent of the image as the browser shows it (upright)
    box = region(
        {"x": 0.0, "y": 0.0, "width": 100.0, "height": 100.0, "rotation": 0}, size=upright.size
    )
    text = ask(client, "crops/photo.jpg", [box])
    assert _similar(text, expected) >= 0.85, text


def test_rotated_pdf_page_text_layer(tmp_path: Path) -> None:
    sample = samples.rotated(7, 90)
    data = tmp_path / "data"
    (data / "pdf" / "2").mkdir(parents=True)
    (data / "png" / "2").mkdir(parents=True)
    (data / "pdf" / "2" / "rot.pdf").write_bytes(sample.pdf)
    (data / "png" / "2" / "rot_0.png").write_bytes(page_png(sample.pdf))
    client = make_client(StorageSettings(storage="local", data_dir=data), tmp_path / "models")
    for layer in sample.truth[0]["layers"][:3]:
        box = region(percent_of(sample.pdf, layer["material_description_rect"]))
        text = ask(client, "png/2/rot_0.png", [box])
        assert text == layer["material_description"]


def test_s3_storage(tmp_path: Path, s3_bucket, s3_settings, digital, scan) -> None:
    from s3_helpers import s3_test_client

    endpoint, bucket = s3_bucket
    s3 = s3_test_client(endpoint)
    s3.put_object(Bucket=bucket, Key="pdf/3/digital.pdf", Body=digital.pdf)
    s3.put_object(Bucket=bucket, Key="png/3/digital_0.png", Body=page_png(digital.pdf))
    s3.put_object(Bucket=bucket, Key="png/3/scan_0.png", Body=page_png(scan.pdf))
    client = make_client(s3_settings(endpoint, bucket), tmp_path / "models")
    layer = _layer(digital, 1)
    box = region(percent_of(digital.pdf, layer["material_description_rect"]))
    image = f"s3://{bucket}/png/3/digital_0.png"
    response = client.post("/predict", json=interactive(image, [box]))
    assert transcription(response) == layer["material_description"]
    # no PDF in the bucket for this page: OCR of the page image fetched from S3
    layer = _layer(scan, 1)
    box = region(percent_of(scan.pdf, layer["material_description_rect"]))
    text = ask(client, f"s3://{bucket}/png/3/scan_0.png", [box])
    assert _similar(text, layer["material_description"]) >= 0.85, text


def test_missing_image_is_a_json_error(local) -> None:
    client, _ = local
    box = region({"x": 1.0, "y": 1.0, "width": 10.0, "height": 5.0, "rotation": 0})
    response = client.post("/predict", json=interactive("crops/nothing.png", [box]))
    assert response.status_code == 404
    body = response.get_json()
    assert set(body) >= {"error", "detail", "request_id"} and "Traceback" not in str(body)


def test_context_without_geometry_is_a_bad_request(local) -> None:
    client, _ = local
    bad = {
        "id": "x",
        "from_name": "label",
        "to_name": "image",
        "type": "rectanglelabels",
        "value": {},
    }
    response = client.post("/predict", json=interactive("png/1/digital_0.png", [bad]))
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def _garble(text: str) -> str:
    """What a poor OCR layer of an old scan looks like: i/l and e/c confusions."""
    return text.replace("i", "l").replace("e", "c").replace("n", "u")


def test_bad_ocr_text_layer_of_a_scan_loses_to_a_fresh_ocr(tmp_path: Path, scan) -> None:
    doc = fitz.open(stream=scan.pdf, filetype="pdf")
    page = doc[0]
    layers = scan.truth[0]["layers"]
    for layer in layers:  # an invisible, garbled OCR layer over each description
        x0, _y0, _x1, y1 = layer["material_description_rect"]
        garbled = _garble(layer["material_description"])
        page.insert_text((x0, y1 - 2), garbled, fontsize=9, render_mode=3)
    good = layers[1]
    x0, _y0, _x1, y1 = layers[2]["material_description_rect"]
    pdf = doc.tobytes()
    doc.close()
    data = tmp_path / "data"
    (data / "pdf" / "4").mkdir(parents=True)
    (data / "png" / "4").mkdir(parents=True)
    (data / "pdf" / "4" / "old.pdf").write_bytes(pdf)
    (data / "png" / "4" / "old_0.png").write_bytes(page_png(pdf))
    client = make_client(StorageSettings(storage="local", data_dir=data), tmp_path / "models")
    for layer in (layers[0], good):
        box = region(percent_of(pdf, layer["material_description_rect"]))
        text = ask(client, "png/4/old_0.png", [box])
        assert _similar(text, layer["material_description"]) >= 0.85, text
        assert text != _garble(layer["material_description"])


def test_good_ocr_text_layer_of_a_scan_is_used_as_is(tmp_path: Path, scan) -> None:
    doc = fitz.open(stream=scan.pdf, filetype="pdf")
    page = doc[0]
    layer = scan.truth[0]["layers"][1]
    x0, _y0, _x1, y1 = layer["material_description_rect"]
    marker = layer["material_description"].replace(",", "")  # differs from what the OCR reads
    page.insert_text((x0, y1 - 2), marker, fontsize=9, render_mode=3)
    pdf = doc.tobytes()
    doc.close()
    data = tmp_path / "data"
    (data / "pdf" / "4").mkdir(parents=True)
    (data / "png" / "4").mkdir(parents=True)
    (data / "pdf" / "4" / "old.pdf").write_bytes(pdf)
    (data / "png" / "4" / "old_0.png").write_bytes(page_png(pdf))
    client = make_client(StorageSettings(storage="local", data_dir=data), tmp_path / "models")
    box = region(percent_of(pdf, layer["material_description_rect"]))
    assert ask(client, "png/4/old_0.png", [box]) == marker


def test_project_ocr_languages_from_extra_params(local, scan) -> None:
    client, _ = local
    setup = client.post(
        "/setup",
        json={
            "project": "1.1795363490",
            "schema": LABEL_CONFIG,
            "extra_params": {"ocr_languages": "deu; rm"},
        },
    )
    assert setup.status_code == 200
    layer = _layer(scan, 0)
    box = region(percent_of(scan.pdf, layer["material_description_rect"]))
    response = client.post("/predict", json=interactive("png/1/scan_0.png", [box]))
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"
    client.post(
        "/setup",
        json={
            "project": "1.1795363490",
            "schema": LABEL_CONFIG,
            "extra_params": {"ocr_languages": "deu"},
        },
    )
    text = ask(client, "png/1/scan_0.png", [box])
    assert _similar(text, layer["material_description"]) >= 0.85, text


def test_rotated_box_over_vertical_text(tmp_path: Path) -> None:
    """A box the annotator rotated by 270 degrees along text printed bottom-to-top."""
    doc = fitz.open()
    page = doc.new_page(width=300, height=400)
    words = "Kies, sandig, grau"
    page.insert_text((100, 300), words, fontsize=14, rotate=90)
    rect = page.search_for("Kies")[0] | page.search_for("grau")[0]
    pdf = doc.tobytes()
    doc.close()
    data = tmp_path / "data"
    for folder in ("pdf/5", "png/5", "crops"):
        (data / folder).mkdir(parents=True)
    (data / "pdf" / "5" / "vertical.pdf").write_bytes(pdf)
    png = page_png(pdf)
    (data / "png" / "5" / "vertical_0.png").write_bytes(png)
    (data / "crops" / "vertical.png").write_bytes(png)  # same picture, no PDF: OCR
    width_px, height_px = png_size(png)
    scale = DPI / 72
    pad = 3.0
    # origin at the bottom-left of the text; width runs up along the text, height to the right
    geometry = {
        "x": (rect.x0 - pad) * scale / width_px * 100,
        "y": (rect.y1 + pad) * scale / height_px * 100,
        "width": (rect.height + 2 * pad) * scale / width_px * 100,
        "height": (rect.width + 2 * pad) * scale / height_px * 100,
        "rotation": 270,
    }
    client = make_client(StorageSettings(storage="local", data_dir=data), tmp_path / "models")
    box = region(geometry)
    from_layer = ask(client, "png/5/vertical_0.png", [box])
    assert from_layer == words
    from_ocr = ask(client, "crops/vertical.png", [box])
    assert _similar(from_ocr, words) >= 0.85, from_ocr
