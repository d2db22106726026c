from __future__ import annotations

import pytest

from label_studio_ml.errors import BadRequest
from label_studio_ml.storage.pages import PageRef, locate_page, page_image_key, pdf_key


def test_key_helpers_roundtrip():
    assert page_image_key(3, "report", 0) == "png/3/report_0.png"
    assert page_image_key("3", "my_report_v2", 12) == "png/3/my_report_v2_12.png"
    assert pdf_key(3, "report") == "pdf/3/report.pdf"
    ref = locate_page({"image": page_image_key(7, "a_b", 4)})
    assert (ref.project, ref.name, ref.page_index, ref.pdf) == ("7", "a_b", 4, pdf_key(7, "a_b"))


@pytest.mark.parametrize(
    ("bad_args"),
    [
        ("3", "../x", 0),
        ("..", "x", 0),
        ("3", "a/b", 0),
        ("3", "x", -1),
        ("3", "x", True),
        ("", "x", 0),
    ],
)
def test_key_helpers_refuse_unsafe_parts(bad_args):
    with pytest.raises(BadRequest):
        page_image_key(*bad_args)


@pytest.mark.parametrize(
    ("image", "pdf"),
    [
        ("png/3/x_0.png", "pdf/3/x.pdf"),
        ("s3://bucket/png/3/x_0.png", "s3://bucket/pdf/3/x.pdf"),
        ("s3://bucket/tenant/a/png/3/x_0.png", "s3://bucket/tenant/a/pdf/3/x.pdf"),
        ("/data/local-files/?d=png/3/x_0.png", "/data/local-files/?d=pdf/3/x.pdf"),
        (
            "/data/local-files/?d=mnt/docs/png/3/x_0.png",
            "/data/local-files/?d=mnt/docs/pdf/3/x.pdf",
        ),
        ("http://host:8081/files/png/3/x_0.png", "http://host:8081/files/pdf/3/x.pdf"),
        (
            "http://ls:8080/data/local-files/?d=png/3/x_0.png",
            "http://ls:8080/data/local-files/?d=pdf/3/x.pdf",
        ),
        ("https://host/png/3/x_0.png?X-Amz-Signature=abc", "https://host/pdf/3/x.pdf"),
    ],
)
def test_locate_page_from_every_url_form(image, pdf):
    ref = locate_page({"image": image})
    assert ref == PageRef(image_url=image, pdf=pdf, page_index=0, project="3", name="x")


def test_page_number_and_names_with_underscores():
    ref = locate_page({"img": "png/12/Bohrprofil_BH_3_17.png"}, image_key="img")
    assert (ref.project, ref.name, ref.page_index) == ("12", "Bohrprofil_BH_3", 17)
    assert ref.pdf == "pdf/12/Bohrprofil_BH_3.pdf"


def test_url_encoded_http_name_is_decoded_and_reencoded():
    ref = locate_page({"image": "http://h/png/3/Profil%20A_2.png"})
    assert ref.name == "Profil A"
    assert ref.page_index == 2
    assert ref.pdf == "http://h/pdf/3/Profil%20A.pdf"


def test_explicit_pdf_and_page_win():
    ref = locate_page({"image": "png/3/x_0.png", "pdf": "s3://b/pdf/9/other.pdf", "page": "5"})
    assert ref == PageRef(
        image_url="png/3/x_0.png",
        pdf="s3://b/pdf/9/other.pdf",
        page_index=5,
        project="9",
        name="other",
    )
    ref = locate_page(
        {"image": "/data/upload/3/abc123-scan.png", "pdf": "/data/upload/3/f.pdf", "page": 0}
    )
    assert (ref.pdf, ref.page_index, ref.name, ref.project) == (
        "/data/upload/3/f.pdf",
        0,
        "f",
        None,
    )


def test_explicit_pdf_without_image():
    ref = locate_page({"pdf": "pdf/3/x.pdf", "page": 2})
    assert ref.image_url is None
    assert (ref.pdf, ref.page_index) == ("pdf/3/x.pdf", 2)


def test_explicit_pdf_takes_page_from_image_suffix_when_page_missing():
    ref = locate_page({"image": "/data/upload/3/scan_4.png", "pdf": "/data/upload/3/scan.pdf"})
    assert ref.page_index == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"image": "png/3/scan.png"}, "png/<project>/<name>_<page>.png"),
        ({"image": "/data/upload/3/8f2e-scan_0.png"}, "cannot find the PDF"),
        ({"image": "images/3/x_0.png"}, "cannot find the PDF"),
        ({}, "no 'image' value"),
        ({"image": 42}, "must be a string"),
        ({"image": "png/3/x_0.png", "pdf": "pdf/3/x.pdf", "page": -1}, "0 or more"),
        ({"image": "png/3/x_0.png", "pdf": "pdf/3/x.pdf", "page": "two"}, "0-based integer"),
        ({"image": "png/3/x_0.png", "pdf": "pdf/3/x.pdf", "page": True}, "boolean"),
        ({"image": "png/3/scan.png", "pdf": "pdf/3/x.pdf"}, "no 'page'"),
        ({"pdf": 5, "page": 1}, "'pdf' must be a string"),
    ],
)
def test_unusable_tasks_give_clear_bad_request(data, message):
    with pytest.raises(BadRequest, match=message.replace("(", r"\(").replace("<", "<")):
        locate_page(data)
