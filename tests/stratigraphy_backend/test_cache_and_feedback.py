"""ExtractionCache (one extraction per document, bounded) and the feedback comparison/store."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from label_studio_ml.errors import InputDocumentError
from stratigraphy.model import DocumentResult
from stratigraphy_ml_backend.extraction_cache import ExtractionCache
from stratigraphy_ml_backend.feedback import FeedbackStore, LsRegion, compare, results_to_regions


def _slow_extractor(calls: list[str]):
    lock = threading.Lock()

    def extract(data: bytes, name: str) -> DocumentResult:
        with lock:
            calls.append(name)
        time.sleep(0.2)
        if data.startswith(b"bad"):
            raise InputDocumentError("not a PDF")
        return DocumentResult(name, (), ())

    return extract


def test_eight_threads_one_document_one_extraction():
    calls: list[str] = []
    cache = ExtractionCache(_slow_extractor(calls), max_size=4)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: cache.get(b"%PDF same", "a.pdf"), range(8)))
    assert calls == ["a.pdf"]
    assert all(r is results[0] for r in results)
    assert cache.extractions == 1


def test_different_documents_extract_in_parallel():
    calls: list[str] = []
    cache = ExtractionCache(_slow_extractor(calls), max_size=4)
    started = time.perf_counter()
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda i: cache.get(b"%%PDF %d" % i, f"{i}.pdf"), range(3)))
    assert time.perf_counter() - started < 0.5  # not serialised by a global lock
    assert sorted(calls) == ["0.pdf", "1.pdf", "2.pdf"]


def test_lru_eviction():
    calls: list[str] = []
    cache = ExtractionCache(_slow_extractor(calls), max_size=2)
    cache.get(b"%PDF 0", "0.pdf")
    cache.get(b"%PDF 1", "1.pdf")
    cache.get(b"%PDF 0", "0.pdf")  # 0 is now the most recent
    cache.get(b"%PDF 2", "2.pdf")  # evicts 1
    assert len(cache) == 2
    cache.get(b"%PDF 0", "0.pdf")
    cache.get(b"%PDF 1", "1.pdf")
    assert calls == ["0.pdf", "1.pdf", "2.pdf", "1.pdf"]


def test_broken_document_error_is_cached():
    calls: list[str] = []
    cache = ExtractionCache(_slow_extractor(calls), max_size=2)
    for _ in range(3):
        with pytest.raises(InputDocumentError):
            cache.get(b"bad bytes", "bad.pdf")
    assert calls == ["bad.pdf"]


def _rect(rid, label, x, y, w, h, text=None):
    items = [
        {
            "id": rid,
            "type": "rectanglelabels",
            "from_name": "label",
            "to_name": "image",
            "value": {
                "x": x,
                "y": y,
                "width": w,
                "height": h,
                "rotation": 0,
                "rectanglelabels": [label],
            },
        }
    ]
    if text is not None:
        items.append(
            {
                "id": rid,
                "type": "textarea",
                "from_name": "transcription",
                "to_name": "image",
                "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "text": [text]},
            }
        )
    return items


def test_compare_kept_moved_added_deleted_and_edits():
    predicted = results_to_regions(
        _rect("a", "Material Description", 10, 10, 50, 5, "Kies, sandig")
        + _rect("b", "Material Description", 10, 20, 50, 5, "Sand")
        + _rect("c", "Material Description", 10, 30, 50, 5, "Ton")
        + _rect("d", "Depth Interval", 2, 10, 5, 5, "start: 0 end: 1")
        + [{"type": "relation", "from_id": "a", "to_id": "d", "direction": "right"}]
    )
    submitted = results_to_regions(
        _rect("a", "Material Description", 10, 10, 50, 5, "Kies, sandig")  # kept
        + _rect(
            "zz", "Material Description", 10, 21, 50, 5, "Sand, fein"
        )  # b moved (iou<0.9), new id
        + _rect("e", "Material Description", 10, 60, 50, 5, "Mergel")  # added; c deleted
        + _rect("d", "Depth Interval", 2, 10, 5, 5, "start: 0 end: 1.2")  # kept, edited
    )
    c = compare(predicted, submitted)
    assert (c.kept, c.moved, c.added, c.deleted) == (2, 1, 1, 1)
    assert (c.layers_kept, c.layers_moved, c.layers_added, c.layers_deleted) == (1, 1, 1, 1)
    assert c.text_edits == len(", fein") + len(".2")
    assert c.text_chars == len("Kies, sandig") + len("Sand") + len("start: 0 end: 1")


def test_store_survives_reopen(tmp_path):
    store = FeedbackStore.in_dir(tmp_path)
    pred = _rect("a", "Material Description", 10, 10, 50, 5, "Kies")
    store.record_predictions("3", [("11", pred)], "v1")
    assert store.prediction("3", "11") == ("v1", pred)
    c = compare(results_to_regions(pred), results_to_regions(pred))
    store.record_annotation("3", "11", "100", pred, c, "v1")
    again = FeedbackStore.in_dir(tmp_path)
    m = again.metrics()
    assert (
        m["3"]["annotations"] == 1
        and m["3"]["layers_kept"] == 1
        and m["3"]["text_edit_rate"] == 0.0
    )
    assert again.delete_annotations("3", ["100"]) == 1
    assert again.metrics() == {}


def test_region_iou():
    a = LsRegion("a", "x", 0, 0, 10, 10)
    assert a.iou(LsRegion("b", "x", 5, 0, 10, 10)) == pytest.approx(50 / 150)
