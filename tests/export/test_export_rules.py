"""The rules of `export` on hand-made annotations: boreholes, pages, parsing, issues."""

from __future__ import annotations

from typing import Any

import pytest

from stratigraphy.model import DepthInterval
from stratigraphy_ml_backend.commands.export_boreholes import (
    build_export,
    parse_coordinates,
    parse_depth_text,
    parse_groundwater,
)

PDF = "/data/local-files/?d=pdf/geo/two_logs.pdf"


def region(rid: str, label: str, text: str, x: float, y: float, w: float = 10) -> list[dict]:  # type: ignore[type-arg]
    box = {"x": x, "y": y, "width": w, "height": 2, "rotation": 0}
    return [
        {
            "id": rid,
            "type": "rectanglelabels",
            "from_name": "label",
            "to_name": "image",
            "value": {**box, "rectanglelabels": [label]},
        },
        {
            "id": rid,
            "type": "textarea",
            "from_name": "transcription",
            "to_name": "image",
            "value": {**box, "text": [text]},
        },
    ]


def relation(a: str, b: str, direction: str = "right") -> dict[str, Any]:
    return {"type": "relation", "from_id": a, "to_id": b, "direction": direction}


def task(tid: int, page: int, result: list[dict], pdf: str = PDF) -> dict[str, Any]:  # type: ignore[type-arg]
    return {
        "id": tid,
        "data": {"image": f"/data/local-files/?d=png/geo/p_{page}.png", "pdf": pdf, "page": page},
        "annotations": [{"id": tid, "result": result, "was_cancelled": False}],
    }


def test_two_logs_side_by_side_continue_on_the_next_page() -> None:
    page0 = [
        *region("n1", "Borehole Name", "KB 1", 5, 5),
        *region("n2", "Borehole Name", "KB 2", 55, 5),
        *region("d1", "Material Description", "Kies, sandig", 10, 20, 30),
        *region("i1", "Depth Interval", "start: 0 end: 1.2", 2, 20, 5),
        *region("d2", "Material Description", "Lehm, braun", 60, 20, 30),
        *region("i2", "Depth Interval", "0,00 - 2,50 m", 52, 20, 5),
        *region("c2", "Coordinates", "2'611'230 / 1'267'410", 55, 8),
        *region("w1", "Groundwater", "1.10 m, 12.05.2019", 12, 40),
        relation("d1", "i1"),
        relation("i2", "d2", "left"),  # drawn the other way round
    ]
    page1 = [  # no name: continues the borehole of the page before (the last one, KB 2)
        *region("d3", "Material Description", "Molasse", 60, 10, 30),
        *region("i3", "Depth Interval", "start: 2.5 end: ", 52, 10, 5),
        relation("d3", "i3"),
    ]
    export = build_export([task(2, 1, page1), task(1, 0, page0)])
    (holes,) = export.boreholes.values()
    assert [h["metadata"]["original_name"] for h in holes] == ["KB 1", "KB 2"]
    kb1, kb2 = holes
    assert [(la["material_description"], la["depth_interval"]) for la in kb1["layers"]] == [
        ("Kies, sandig", {"start": 0, "end": 1.2})
    ]
    assert kb1["groundwater"] == [{"depth": 1.1, "date": "2019-05-12", "elevation": None}]
    assert kb2["metadata"]["coordinates"] == {"E": 2611230, "N": 1267410}
    assert [(la["page"], la["depth_interval"]) for la in kb2["layers"]] == [
        (1, {"start": 0, "end": 2.5}),
        (2, {"start": 2.5, "end": None}),
    ]
    assert export.issues == []
    assert [r["borehole_name"] for r in export.rows] == ["KB 1", "KB 2", "KB 2"]


def test_partly_checked_pdfs_are_left_out_unless_asked_for() -> None:
    done = task(1, 0, [*region("d", "Material Description", "Sand", 10, 10)])
    open_page = {"id": 2, "data": {"pdf": PDF, "page": 1}, "annotations": []}
    cancelled = task(3, 0, [*region("d", "Material Description", "Ton", 10, 10)], pdf="/x/b.pdf")
    cancelled["annotations"][0]["was_cancelled"] = True
    export = build_export([done, open_page, cancelled])
    assert export.boreholes == {}
    assert export.partial == {"two_logs.pdf": (1, 2)}
    export = build_export([done, open_page], include_partial=True)
    assert [la["material_description"] for la in export.boreholes["two_logs.pdf"][0]["layers"]] == [
        "Sand"
    ]
    # the description has no depth: kept, and reported with its task
    assert [(i.task, i.region) for i in export.issues] == [(1, "d")]


def test_pdfs_of_the_same_name_in_two_folders_stay_apart() -> None:
    a = task(1, 0, [*region("d", "Material Description", "Sand", 10, 10)], "s3://b/pdf/x/log.pdf")
    b = task(2, 0, [*region("d", "Material Description", "Ton", 10, 10)], "s3://b/pdf/y/log.pdf")
    export = build_export([a, b])
    assert sorted(export.boreholes) == ["log.pdf", "y/log.pdf"]
    assert export.sources == {
        "log.pdf": "s3://b/pdf/x/log.pdf",
        "y/log.pdf": "s3://b/pdf/y/log.pdf",
    }


def test_ground_truth_annotation_wins_over_a_newer_one() -> None:
    old = task(1, 0, [*region("d", "Material Description", "checked text", 10, 10)])
    old["annotations"][0].update({"ground_truth": True, "updated_at": "2026-01-01"})
    old["annotations"].append(
        {
            "id": 9,
            "result": region("d", "Material Description", "newer draft", 10, 10),
            "updated_at": "2026-06-01",
        }
    )
    export = build_export([old])
    assert export.rows[0]["material_description"] == "checked text"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("start: 0.3 end: 1.6", DepthInterval(0.3, 1.6)),
        ("start:  end: 5", DepthInterval(None, 5.0)),
        ("start: 1,20 end: 2,4", DepthInterval(1.2, 2.4)),
        ("0.30 - 1.60 m", DepthInterval(0.3, 1.6)),
        ("ab 5 m", DepthInterval(5.0, None)),
        ("start: 3 end: 1", None),
        ("start:  end: ", None),
        ("siehe oben", None),
    ],
)
def test_depth_transcriptions(text: str, expected: DepthInterval | None) -> None:
    assert parse_depth_text(text) == expected


def test_metadata_transcriptions() -> None:
    assert parse_coordinates("E 2607562 / N 1187087.5") == {"E": 2607562, "N": 1187087.5}
    assert parse_coordinates("607 562") is None
    assert parse_groundwater("2.65 m, 2013-06-20, 666.3 m a.s.l.") == {
        "depth": 2.65,
        "date": "2013-06-20",
        "elevation": 666.3,
    }
    assert parse_groundwater("trocken") is None
