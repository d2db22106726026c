"""Reader benchmark: page reading speed and OCR word quality on ``../shared/benchmark``.

For every benchmark PDF, measured on this machine:

- text layer: seconds to read the page (words, lines, outline lettering OCR), median of warm runs;
- OCR: the PDF rendered to an image-only PDF at 200 dpi, then read (so Tesseract reads the
  whole page): seconds per page, and how well the words cover the truth:
  description-token recall (share of the true descriptions' words that OCR found) and
  depth-box recall (share of true depth boxes where OCR found a word with that value);
- metadata: coordinates and elevation from the text layer and from OCR, against the truth.

Usage::

    .venv/bin/python benchmarks/bench_reader.py [--benchmark DIR] [--repeat 3]
        [--dpi 300] [--psm 11]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stratigraphy.depths import parse_depth_value  # noqa: E402
from stratigraphy.geometry import BBox  # noqa: E402
from stratigraphy.metadata import extract_metadata  # noqa: E402
from stratigraphy.model import PageContent  # noqa: E402
from stratigraphy.pdf.reader import open_pdf, read_document  # noqa: E402
from stratigraphy.samples import image_only  # noqa: E402
from stratigraphy.settings import EngineSettings  # noqa: E402

DEFAULT_BENCHMARK = REPO.parent / "shared" / "benchmark"


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,;:()]+", text.lower()) if t]


def word_recall(pages: list[PageContent], boreholes: list[dict[str, Any]]) -> tuple[float, float]:
    """(description-token recall, depth-box recall) of the words of ``pages``."""
    truth = Counter(
        t
        for b in boreholes
        for layer in b["layers"]
        for t in _tokens(layer["material_description"])
    )
    got = Counter(t for p in pages for w in p.words for t in _tokens(w.text))
    desc = sum(min(c, got[t]) for t, c in truth.items()) / max(1, sum(truth.values()))
    hits = total = 0
    for b in boreholes:
        for layer in b["layers"]:
            values = [v for v in layer["depth_interval"].values() if v is not None]
            pages_of = layer.get("depth_rects_pages") or [layer["page"]] * len(layer["depth_rects"])
            for rect, page_no in zip(layer["depth_rects"], pages_of, strict=False):
                box = BBox(*rect)
                total += 1
                words = [
                    w
                    for w in pages[page_no - 1].words
                    if w.bbox.intersection_area(box) > 0.3 * min(box.area, w.bbox.area)
                ]
                hits += any(
                    (v := parse_depth_value(w.text)) is not None
                    and any(abs(v - t) < 0.005 for t in values)
                    for w in words
                )
    return desc, hits / max(1, total)


def _meta_ok(pages: list[PageContent], truth: dict[str, Any]) -> str:
    meta, _ = extract_metadata(pages)
    want = truth["metadata"]
    c_ok = (
        (meta.coordinates is None)
        if want["coordinates"] is None
        else (
            meta.coordinates is not None
            and abs(meta.coordinates.east - want["coordinates"]["E"]) <= 1
            and abs(meta.coordinates.north - want["coordinates"]["N"]) <= 1
        )
    )
    e_ok = (
        (meta.elevation is None)
        if want["reference_elevation"] is None
        else (
            meta.elevation is not None
            and abs(meta.elevation.value - want["reference_elevation"]) <= 0.05
        )
    )
    return f"coords {'ok' if c_ok else 'WRONG'}, elevation {'ok' if e_ok else 'WRONG'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--dpi", type=int, default=None, help="OCR dpi (default: the settings default)"
    )
    parser.add_argument("--psm", type=int, default=None, help="Tesseract page segmentation mode")
    args = parser.parse_args(argv)
    settings = EngineSettings.from_env()
    if args.dpi:
        settings = settings.with_changes(ocr_dpi=args.dpi)
    if args.psm:
        settings = settings.with_changes(ocr_psm=args.psm)
    truth = json.loads((args.benchmark / "ground_truth.json").read_text(encoding="utf-8"))
    text_times: list[float] = []
    ocr_times: list[float] = []
    print(
        f"settings: ocr_dpi={settings.ocr_dpi} psm={settings.ocr_psm} "
        f"languages={settings.ocr_languages}"
    )
    for pdf in sorted((args.benchmark / "pdfs").glob("*.pdf")):
        boreholes = truth.get(pdf.name, [])
        data = pdf.read_bytes()
        runs = []
        for _ in range(args.repeat + 1):
            started = time.perf_counter()
            result = read_document(open_pdf(data), settings)
            runs.append(time.perf_counter() - started)
        per_page = statistics.median(runs[1:]) / max(1, len(result.pages))
        text_times.append(per_page)
        desc, depth = word_recall(list(result.pages), boreholes)
        print(
            f"{pdf.name}: text layer {per_page:.3f} s/page, desc-token recall {desc:.3f}, "
            f"depth-box recall {depth:.3f}; {_meta_ok(list(result.pages), boreholes[0])}"
        )
        scan = image_only(data, dpi=200)
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        ocr = read_document(open_pdf(scan), settings)
        per_page = (time.perf_counter() - started) / max(1, len(ocr.pages))
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        tess_cpu = (
            cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
        )
        ocr_times.append(per_page)
        desc, depth = word_recall(list(ocr.pages), boreholes)
        size = ocr.pages[0].width * ocr.pages[0].height / (595 * 842)
        print(
            f"{pdf.name}: OCR {per_page:.2f} s/page wall, "
            f"Tesseract CPU {tess_cpu / max(1, len(ocr.pages)):.2f} s/page "
            f"({size:.1f} x A4), desc-token recall {desc:.3f}, "
            f"depth-box recall {depth:.3f}; {_meta_ok(list(ocr.pages), boreholes[0])}"
        )
    print(
        f"load average during the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} cores"
    )
    print(f"median text-layer page: {statistics.median(text_times):.3f} s (target <= 0.3 s)")
    print(f"median OCR'd page: {statistics.median(ocr_times):.2f} s (target <= 6 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
