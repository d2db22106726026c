"""`export` of accepted predictions equals `extract`'s output; edits are what comes out.

The predictions are the real stratigraphy backend's (its Flask app, real engine, local
storage) for every page of ../shared/benchmark/pdfs, taken as annotations the way a
geologist who accepts them would submit them, and shaped as a Label Studio JSON export.
"""

from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "stratigraphy_backend"))

from strat_backend_helpers import Backend  # type: ignore[import-not-found]  # noqa: E402

from label_studio_ml.storage.settings import StorageSettings  # noqa: E402
from stratigraphy.evaluate import evaluate  # noqa: E402
from stratigraphy.extract import extract_document  # noqa: E402
from stratigraphy.schema import document_to_benchmark  # noqa: E402
from stratigraphy.settings import EngineSettings  # noqa: E402
from stratigraphy_ml_backend.commands.export import add_pdf_boxes  # noqa: E402
from stratigraphy_ml_backend.commands.export_boreholes import build_export  # noqa: E402
from stratigraphy_ml_backend.ls_format import DEPTH_INTERVAL, MATERIAL_DESCRIPTION  # noqa: E402

pytestmark = pytest.mark.slow
DPI = 72
CLI = (sys.executable, "-m", "stratigraphy_ml_backend")


def _pdfs(benchmark_dir: Path) -> list[Path]:
    pdfs = sorted((benchmark_dir / "pdfs").glob("*.pdf"))
    assert pdfs, "no benchmark PDFs"
    return pdfs


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> StorageSettings:
    data = tmp_path_factory.mktemp("export") / "data"
    data.mkdir()
    return StorageSettings(storage="local", data_dir=data)


@pytest.fixture(scope="module")
def accepted(
    storage: StorageSettings, benchmark_dir: Path
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(Label Studio export of the accepted predictions, `extract` output) for the PDFs."""
    backend = Backend(storage, storage.data_dir.parent / "models", str)
    tasks: list[dict[str, Any]] = []
    extracted: dict[str, Any] = {}
    for pdf in _pdfs(benchmark_dir):
        pages = backend.put_document("bench", pdf.stem, pdf.read_bytes(), dpi=DPI)
        for index, task in enumerate(pages):
            task["data"].update(
                {"pdf": f"/data/local-files/?d=pdf/bench/{pdf.name}", "page": index}
            )
        predictions = backend.predict(pages)
        for task, prediction in zip(pages, predictions, strict=True):
            task["predictions"] = [prediction]
            task["annotations"] = [
                {
                    "id": task["id"] * 10,
                    "result": copy.deepcopy(prediction["result"]),
                    "was_cancelled": False,
                    "ground_truth": False,
                    "updated_at": "2026-11-24T10:00:00Z",
                }
            ]
        tasks.extend(pages)
        result = extract_document(pdf, settings=EngineSettings.from_env())
        extracted[pdf.name] = document_to_benchmark(result)
    return tasks, extracted


def test_accepted_predictions_export_as_extract_wrote_them(
    accepted: tuple[list[dict[str, Any]], dict[str, Any]], storage: StorageSettings
) -> None:
    tasks, extracted = accepted
    export = build_export(tasks)
    assert set(export.boreholes) == set(extracted)
    assert add_pdf_boxes(export, storage) == []  # every PDF read: boxes in PDF points too
    scores = evaluate(extracted, export.boreholes)
    for name, score in scores.files.items():
        assert score.layers.truth == sum(len(b["layers"]) for b in extracted[name]), name
        assert score.layers.f1 == 1.0, (name, score.as_dict())
    assert scores.pooled.layers.truth >= 30  # the three Swiss logs: 36 layers in the truth
    for name, holes in extracted.items():
        got = export.boreholes[name]
        assert len(got) == len(holes)
        for mine, theirs in zip(got, holes, strict=True):
            assert mine["metadata"]["coordinates"] == theirs["metadata"]["coordinates"], name
            assert (
                mine["metadata"]["reference_elevation"] == theirs["metadata"]["reference_elevation"]
            ), name
            assert mine["metadata"]["original_name"] == theirs["metadata"]["original_name"], name
            assert [g["depth"] for g in mine["groundwater"]] == [
                g["depth"] for g in theirs["groundwater"]
            ], name
            assert [
                (layer["depth_interval"], layer["material_description"]) for layer in mine["layers"]
            ] == [
                (layer["depth_interval"], layer["material_description"])
                for layer in theirs["layers"]
            ], name
            for got, want in zip(mine["layers"], theirs["layers"], strict=True):
                assert got["material_description_rect"] == pytest.approx(
                    want["material_description_rect"], abs=0.05
                ), name
    # every layer found a depth interval: nothing to report for unchanged predictions
    unpaired = [
        i for i in export.issues if "depth" in i.problem and i.label == MATERIAL_DESCRIPTION
    ]
    expected_unpaired = sum(
        1
        for holes in extracted.values()
        for b in holes
        for layer in b["layers"]
        if not layer["depth_rects"]
    )
    assert len(unpaired) == expected_unpaired
    assert len(export.rows) == sum(len(b["layers"]) for h in extracted.values() for b in h)


def _regions(result: list[dict[str, Any]], label: str) -> list[str]:
    return [
        r["id"]
        for r in result
        if r.get("type") == "rectanglelabels" and r["value"]["rectanglelabels"] == [label]
    ]


def _set_text(result: list[dict[str, Any]], region: str, text: str) -> None:
    for item in result:
        if item.get("id") == region and item.get("type") == "textarea":
            item["value"]["text"] = [text]


def _partner(result: list[dict[str, Any]], description: str) -> str:
    return next(
        r["to_id"] for r in result if r.get("type") == "relation" and r["from_id"] == description
    )


def test_edited_annotations_are_what_comes_out(
    accepted: tuple[list[dict[str, Any]], dict[str, Any]],
    tmp_path: Path,
) -> None:
    tasks = copy.deepcopy(accepted[0])
    task = max(tasks, key=lambda t: len(_regions(t["annotations"][0]["result"], DEPTH_INTERVAL)))
    file = task["data"]["pdf"].rsplit("/", 1)[-1]
    result = task["annotations"][0]["result"]
    first, second, third = _regions(result, MATERIAL_DESCRIPTION)[:3]
    # 1. the geologist rewrites a description and its depths
    _set_text(result, first, "Kies, sandig, grau (korrigiert)")
    _set_text(result, _partner(result, first), "0.10 - 0.95 m")
    # 2. writes a depth that says nothing
    _set_text(result, _partner(result, second), "siehe oben")
    # 3. removes the relation of a third layer
    third_depth = _partner(result, third)
    result[:] = [
        r for r in result if not (r.get("type") == "relation" and r.get("from_id") == third)
    ]
    # 4. a newer annotation by a second geologist wins over the first
    older = copy.deepcopy(task["annotations"][0])
    older["updated_at"] = "2026-11-01T08:00:00Z"
    older["id"] = 1
    task["annotations"].append(older)

    path = tmp_path / "ls_export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    out = tmp_path / "checked.json"
    run = subprocess.run(
        [*CLI, "export", "--from-file", str(path), "-o", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    checked = json.loads(out.read_text(encoding="utf-8"))
    layers = {layer["material_description"]: layer for b in checked[file] for layer in b["layers"]}
    edited = layers["Kies, sandig, grau (korrigiert)"]
    assert edited["depth_interval"] == {"start": 0.1, "end": 0.95}
    assert edited["task"] == task["id"]

    issues = json.loads((tmp_path / "checked.issues.json").read_text(encoding="utf-8"))["issues"]
    about = {(i["task"], i["region"]): i["problem"] for i in issues}
    second_depth = _partner(result, second)
    assert "cannot be parsed" in about[(task["id"], second_depth)]
    assert "not related to a description" in about[(task["id"], third_depth)]
    assert "not related to a depth interval" in about[(task["id"], third)]
    assert f"task {task['id']}" in run.stderr

    rows = list(csv.DictReader((tmp_path / "checked.csv").open(encoding="utf-8")))
    assert len(rows) == sum(len(b["layers"]) for holes in checked.values() for b in holes)
    row = next(r for r in rows if r["material_description"] == "Kies, sandig, grau (korrigiert)")
    assert (row["file"], row["depth_start"], row["depth_end"]) == (file, "0.1", "0.95")

    # evaluate scores the engine against the checked export: the edit costs the engine a layer
    extracted = tmp_path / "extracted.json"
    extracted.write_text(json.dumps(accepted[1]), encoding="utf-8")
    scores = subprocess.run(
        [*CLI, "evaluate", str(extracted), str(out), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert scores.returncode == 0, scores.stderr
    per_file = json.loads(scores.stdout)["files"][file]
    assert per_file["layers"]["f1"] < 1.0
