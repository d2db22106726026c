"""Benchmark of the text extractor on the ground-truth description boxes.

For every ``material_description_rect`` of ``../shared/benchmark/ground_truth.json``
the page is rendered at 150 dpi and the box is transcribed four ways:

- ``baseline``: plain ``tesseract --psm 6`` on the exact crop (the reference backend);
- ``ocr``: our image-only path (what a PNG without a PDF gets);
- ``layer_raw``: the PDF text-layer words inside the box, taken blindly;
- ``best``: our full path (text layer judged, OCR when in doubt); timed cold (the
  page's words read for the box, as for the first box drawn on a page) and warm
  (the page's words cached, as for the boxes that follow).

Character error rate = Levenshtein distance / truth length after lower-casing
and dropping punctuation; mean over boxes. Latency per box in milliseconds.

With ``--samples`` the same is measured on generated image-only documents of
:mod:`stratigraphy.samples` (German, French, Italian, English layouts) to check
that the OCR path generalises beyond the three benchmark files; ``--degrade L``
turns their page renders into poor scans (faded ink, grey paper, blur, speckle
noise and JPEG artefacts of strength ``L``, e.g. 1.0).

``--http`` measures the latency of whole ``/predict`` requests instead: the
app (local storage in a temporary directory holding 150 dpi page PNGs, with
and without their PDFs) answers one interactive request per box.

    .venv/bin/python benchmarks/bench_text_extractor.py [--benchmark DIR] [--verbose]
    .venv/bin/python benchmarks/bench_text_extractor.py --samples [--degrade L]
    .venv/bin/python benchmarks/bench_text_extractor.py --http
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
from text_extractor.pdf_text import PageWords, read_page_words, unrotated_size
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
    rows = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    return rows[:, : pix.width].copy()


def degrade(gray: np.ndarray, level: float, seed: int = 0) -> np.ndarray:
    """A poor scan of a clean render: faded ink, grey paper, blur, speckle, JPEG artefacts."""
    import cv2

    if level <= 0:
        return gray
    rng = np.random.default_rng(seed)
    g = gray.astype(np.float32)
    g = 255 - (255 - g) * 0.75
    g = g * 0.85 + 20
    g = cv2.GaussianBlur(g, (0, 0), 0.8 * level)
    g = np.clip(g + rng.normal(0, 12 * level, g.shape), 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, 55])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE) if ok else g


def generated_documents() -> tuple[dict[str, object], dict[str, bytes]]:
    """Image-only generated documents in four languages: (truth, pdf bytes by name)."""
    from stratigraphy import samples

    families = [
        lambda seed: samples.interval_text(seed, "de"),
        lambda seed: samples.boundary_column(seed, "fr"),
        lambda seed: samples.ruled_table(seed, "it"),
        lambda seed: samples.interval_text(seed, "en"),
        samples.inline_french,
    ]
    truth: dict[str, object] = {}
    pdfs: dict[str, bytes] = {}
    for i, family in enumerate(families):
        sample = samples.scanned(100 + i, family=family, dpi=200)
        truth[f"{sample.name}.pdf"] = sample.truth
        pdfs[f"{sample.name}.pdf"] = sample.pdf
    return truth, pdfs


def _warm_up(settings: TextExtractorSettings) -> None:
    """One untimed call so that imports and lexicon building are not counted."""
    doc = fitz.open()
    page = doc.new_page(width=200, height=100)
    page.insert_text((10, 50), "Kies, sandig", fontsize=12)
    gray = render_gray(page)
    transcribe(Region(0, 0, 100, 100), settings, page=page, gray=gray)
    transcribe(Region(0, 0, 100, 100), settings, gray=gray)
    doc.close()


def run(
    benchmark: Path, verbose: bool, use_samples: bool = False, level: float = 0.0
) -> dict[str, object]:
    settings = TextExtractorSettings.from_env()
    _warm_up(settings)
    if use_samples:
        truth, pdfs = generated_documents()
    else:
        truth = json.loads((benchmark / "ground_truth.json").read_text("utf-8"))
        pdfs = {}
    rows: list[dict[str, object]] = []
    for name, boreholes in truth.items():  # type: ignore[assignment]
        if name in pdfs:
            doc = fitz.open(stream=pdfs[name], filetype="pdf")
        else:
            doc = fitz.open(benchmark / "pdfs" / name)
        grays: dict[int, np.ndarray] = {}
        words_by_page: dict[int, PageWords] = {}
        for borehole in boreholes:
            for layer in borehole["layers"]:
                index = int(layer["page"]) - 1
                page = doc[index]
                if index not in grays:
                    grays[index] = degrade(render_gray(page), level)
                gray = grays[index]
                width, height = unrotated_size(page)
                box = BBox.from_points(*layer["material_description_rect"])
                region = Region(*pdf_bbox_to_percent(box, width, height, page.rotation))
                expected = layer["material_description"]

                t0 = time.perf_counter()
                base = image_to_string(
                    Image.fromarray(crop_region(gray, region)),
                    languages=settings.ocr_languages,
                    psm=6,
                )
                t_base = time.perf_counter() - t0
                t0 = time.perf_counter()
                ocr = transcribe(region, settings, gray=gray)
                t_ocr = time.perf_counter() - t0
                t0 = time.perf_counter()
                best = transcribe(region, settings, page=read_page_words(page), gray=gray)
                t_best = time.perf_counter() - t0  # cold: the page's words read for this box
                words = words_by_page.setdefault(index, read_page_words(page))
                t0 = time.perf_counter()
                transcribe(region, settings, page=words, gray=gray)
                t_warm = time.perf_counter() - t0  # warm: the page's words cached (next boxes)
                raw = transcribe(region, settings.__class__(text_layer_min_quality=0.0), page=page)
                row = {
                    "file": name,
                    "truth": expected,
                    "baseline": cer(base, expected),
                    "ocr": cer(ocr.text, expected),
                    "layer_raw": cer(raw.text, expected),
                    "best": cer(best.text, expected),
                    "best_source": best.source.value,
                    "ms_baseline": t_base * 1000,
                    "ms_ocr": t_ocr * 1000,
                    "ms_best": t_best * 1000,
                    "ms_best_warm": t_warm * 1000,
                    "ocr_text": ocr.text,
                }
                rows.append(row)
                if verbose and (row["ocr"] > 0 or row["best"] > 0):  # type: ignore[operator]
                    print(
                        f"{name[:12]:12} ocr={row['ocr']:.3f} best={row['best']:.3f} "
                        f"[{best.source.value}] {ocr.text!r}",
                        file=sys.stderr,
                    )
        doc.close()
    summary: dict[str, object] = {"boxes": len(rows)}
    for key in ("baseline", "ocr", "layer_raw", "best"):
        values = [float(r[key]) for r in rows]  # type: ignore[arg-type]
        summary[f"cer_{key}"] = round(statistics.fmean(values), 4)
    for key in ("ms_baseline", "ms_ocr", "ms_best"):
        values = [float(r[key]) for r in rows]  # type: ignore[arg-type]
        summary[f"{key}_median"] = round(statistics.median(values), 1)
    from_layer = [r for r in rows if r["best_source"] == Source.TEXT_LAYER.value]
    summary["text_layer_answers"] = len(from_layer)
    for label, key in (("cold", "ms_best"), ("warm", "ms_best_warm")):
        ms = [float(r[key]) for r in from_layer]  # type: ignore[arg-type]
        summary[f"ms_text_layer_{label}_median"] = round(statistics.median(ms), 1) if ms else None
        summary[f"ms_text_layer_{label}_max"] = round(max(ms), 1) if ms else None
    ocr_ms = sorted(float(r["ms_ocr"]) for r in rows)  # type: ignore[arg-type]
    summary["ms_ocr_p90"] = round(ocr_ms[int(0.9 * (len(ocr_ms) - 1))], 1)
    per_file: dict[str, dict[str, float]] = {}
    for name in truth:
        sel = [r for r in rows if r["file"] == name]
        per_file[name] = {
            k: round(statistics.fmean(float(r[k]) for r in sel), 4)  # type: ignore[arg-type]
            for k in ("baseline", "ocr", "layer_raw", "best")
        }
    summary["per_file"] = per_file
    return summary


def run_http(benchmark: Path) -> dict[str, object]:
    """Median/max latency of interactive ``/predict`` requests through the app."""
    import tempfile

    from label_studio_ml.app import create_app
    from label_studio_ml.settings import SDKSettings
    from label_studio_ml.storage.settings import StorageSettings
    from text_extractor.model import TextExtractorModel
    from text_extractor.services import Services

    config = (Path(__file__).resolve().parents[1] / "data" / "label_config.xml").read_text("utf-8")
    truth = json.loads((benchmark / "ground_truth.json").read_text("utf-8"))
    timings: dict[str, list[float]] = {"with_pdf": [], "image_only": []}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for name in truth:
            stem = Path(name).stem
            doc = fitz.open(benchmark / "pdfs" / name)
            for kind in timings:
                (data / "png" / kind).mkdir(parents=True, exist_ok=True)
                for index in range(doc.page_count):
                    png = doc[index].get_pixmap(dpi=DPI).tobytes("png")
                    (data / "png" / kind / f"{stem}_{index}.png").write_bytes(png)
            (data / "pdf" / "with_pdf").mkdir(parents=True, exist_ok=True)
            (data / "pdf" / "with_pdf" / name).write_bytes((benchmark / "pdfs" / name).read_bytes())
            doc.close()
        services = Services.build(
            TextExtractorSettings.from_env(), StorageSettings(storage="local", data_dir=data)
        )
        sdk = SDKSettings(model_dir=Path(tmp) / "models", log_level="WARNING")
        client = create_app(TextExtractorModel, services=services, settings=sdk).test_client()
        for name, boreholes in truth.items():
            doc = fitz.open(benchmark / "pdfs" / name)
            for borehole in boreholes:
                for n, layer in enumerate(borehole["layers"]):
                    page = doc[int(layer["page"]) - 1]
                    width, height = unrotated_size(page)
                    box = BBox.from_points(*layer["material_description_rect"])
                    x, y, w, h = pdf_bbox_to_percent(box, width, height, page.rotation)
                    region = {
                        "id": f"r{n}",
                        "from_name": "label",
                        "to_name": "image",
                        "type": "rectanglelabels",
                        "value": {
                            "x": x,
                            "y": y,
                            "width": w,
                            "height": h,
                            "rotation": 0,
                            "rectanglelabels": ["Material Description"],
                        },
                    }
                    for kind, ms in timings.items():
                        image = f"png/{kind}/{Path(name).stem}_{page.number}.png"
                        body = {
                            "tasks": [{"id": n, "data": {"image": image}}],
                            "project": "1.1",
                            "label_config": config,
                            "params": {
                                "login": None,
                                "password": None,
                                "context": {"result": [region]},
                            },
                        }
                        t0 = time.perf_counter()
                        response = client.post("/predict", json=body)
                        ms.append((time.perf_counter() - t0) * 1000)
                        if response.status_code != 200:
                            raise RuntimeError(
                                f"/predict answered {response.status_code}: {response.get_json()}"
                            )
            doc.close()
    return {
        kind: {
            "requests": len(ms),
            "median_ms": round(statistics.median(ms), 1),
            "max_ms": round(max(ms), 1),
        }
        for kind, ms in timings.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument(
        "--samples", action="store_true", help="measure on generated image-only documents instead"
    )
    parser.add_argument(
        "--degrade",
        type=float,
        default=0.0,
        metavar="L",
        help="with --samples: simulate poor scans of strength L (0 = clean)",
    )
    parser.add_argument("--http", action="store_true", help="time whole /predict requests")
    parser.add_argument("--verbose", action="store_true", help="print every box read with errors")
    args = parser.parse_args(argv)
    if not args.samples and not (args.benchmark / "ground_truth.json").is_file():
        print(f"no benchmark at {args.benchmark}", file=sys.stderr)
        return 2
    if args.http:
        print(json.dumps(run_http(args.benchmark), indent=2))
        return 0
    summary = run(args.benchmark, args.verbose, args.samples, args.degrade)
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
