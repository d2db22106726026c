"""Benchmark of the text extractor on the ground-truth description boxes.

For every ``material_description_rect`` of ``../shared/benchmark/ground_truth.json``
the page is rendered at 150 dpi and the box is transcribed four ways:

- ``baseline``: plain ``tesseract --psm 6`` on the exact crop (the reference backend);
- ``ocr``: our image-only path (what a PNG without a PDF gets);
- ``layer_raw``: the PDF text-layer words inside the box, taken blindly;
- ``best``: our full path (text layer judged, OCR when in doubt).

Character error rate = Levenshtein distance / truth length after lower-casing
and dropping punctuation; mean over boxes. Latency per box in milliseconds.

    .venv/bin/python benchmarks/bench_text_extractor.py [--benchmark DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import fitz
import numpy as np
from PIL import Image
from rapidfuzz.distance import Levenshtein

from stratigraphy.geometry import BBox, pdf_bbox_to_percent
from stratigraphy.ocr.tesseract import image_to_string
from text_extractor.pdf_text import unrotated_size
from text_extractor.regions import Region, crop_region
from text_extractor.settings import TextExtractorSettings
from text_extractor.transcribe import Source, transcribe

DEFAULT_BENCHMARK = Path(__file__).resolve().parents[1].parent / "shared" / "benchmark"
DPI = 150


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def cer(predicted: str, truth: str) -> float:
    p, t = normalise(predicted), normalise(truth)
    return Levenshtein.distance(p, t) / max(1, len(t))


def render_gray(page: fitz.Page) -> np.ndarray:
    pix = page.get_pixmap(dpi=DPI, colorspace=fitz.csGRAY, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width].copy()


def run(benchmark: Path, verbose: bool) -> dict[str, object]:
    settings = TextExtractorSettings.from_env()
    truth = json.loads((benchmark / "ground_truth.json").read_text("utf-8"))
    rows: list[dict[str, object]] = []
    for name, boreholes in truth.items():
        doc = fitz.open(benchmark / "pdfs" / name)
        grays: dict[int, np.ndarray] = {}
        for borehole in boreholes:
            for layer in borehole["layers"]:
                index = int(layer["page"]) - 1
                page = doc[index]
                gray = grays.setdefault(index, render_gray(page))
                width, height = unrotated_size(page)
                box = BBox.from_points(*layer["material_description_rect"])
                region = Region(*pdf_bbox_to_percent(box, width, height, page.rotation))
                expected = layer["material_description"]

                t0 = time.perf_counter()
                base = image_to_string(Image.fromarray(crop_region(gray, region)),
                                       languages=settings.ocr_languages, psm=6)
                t_base = time.perf_counter() - t0
                t0 = time.perf_counter()
                ocr = transcribe(region, settings, gray=gray)
                t_ocr = time.perf_counter() - t0
                t0 = time.perf_counter()
                best = transcribe(region, settings, page=page, gray=gray)
                t_best = time.perf_counter() - t0
                raw = transcribe(region, settings.__class__(text_layer_min_quality=0.0), page=page)
                row = {
                    "file": name, "truth": expected,
                    "baseline": cer(base, expected), "ocr": cer(ocr.text, expected),
                    "layer_raw": cer(raw.text, expected), "best": cer(best.text, expected),
                    "best_source": best.source.value,
                    "ms_baseline": t_base * 1000, "ms_ocr": t_ocr * 1000, "ms_best": t_best * 1000,
                    "ocr_text": ocr.text,
                }
                rows.append(row)
                if verbose and (row["ocr"] > 0 or row["best"] > 0):  # type: ignore[operator]
                    print(f"{name[:12]:12} ocr={row['ocr']:.3f} best={row['best']:.3f} "
                          f"[{best.source.value}] {ocr.text!r}", file=sys.stderr)
        doc.close()
    summary: dict[str, object] = {"boxes": len(rows)}
    for key in ("baseline", "ocr", "layer_raw", "best"):
        summary[f"cer_{key}"] = round(statistics.fmean(float(r[key]) for r in rows), 4)  # type: ignore[arg-type]
    for key in ("ms_baseline", "ms_ocr", "ms_best"):
        summary[f"{key}_median"] = round(statistics.median(float(r[key]) for r in rows), 1)  # type: ignore[arg-type]
    layer_ms = [float(r["ms_best"]) for r in rows if r["best_source"] == Source.TEXT_LAYER.value]  # type: ignore[arg-type]
    summary["text_layer_answers"] = len(layer_ms)
    summary["ms_text_layer_max"] = round(max(layer_ms), 1) if layer_ms else None
    summary["ms_text_layer_median"] = round(statistics.median(layer_ms), 1) if layer_ms else None
    per_file: dict[str, dict[str, float]] = {}
    for name in truth:
        sel = [r for r in rows if r["file"] == name]
        per_file[name] = {k: round(statistics.fmean(float(r[k]) for r in sel), 4)  # type: ignore[arg-type]
                          for k in ("baseline", "ocr", "layer_raw", "best")}
    summary["per_file"] = per_file
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument("--verbose", action="store_true", help="print every box read with errors")
    args = parser.parse_args(argv)
    if not (args.benchmark / "ground_truth.json").is_file():
        print(f"no benchmark at {args.benchmark}", file=sys.stderr)
        return 2
    print(json.dumps(run(args.benchmark, args.verbose), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
