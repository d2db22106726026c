"""Extraction benchmark: quality and speed of the engine on ``../shared/benchmark``.

Measures, on this machine:

- quality: description and layer P/R/F1 (benchmark scoring rules), coordinates, elevation;
- speed: seconds per text-layer page (median of warm runs, in process), and the wall time
  of a fresh ``python -m stratigraphy_ml_backend extract`` process on one document;
- memory: peak RSS of that fresh process;
- image-only: every benchmark PDF rendered to an image-only PDF at 200 dpi in a temporary
  directory (no text layer, so every page is OCR'd), extracted and scored again.

Usage::

    .venv/bin/python benchmarks/bench_extraction.py [--benchmark DIR] [--repeat 5]
        [--skip-image-only] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stratigraphy.evaluate import evaluate, format_report  # noqa: E402
from stratigraphy.extract import extract_document  # noqa: E402
from stratigraphy.model import TextSource  # noqa: E402
from stratigraphy.schema import document_to_benchmark  # noqa: E402
from stratigraphy.settings import EngineSettings  # noqa: E402

DEFAULT_BENCHMARK = REPO.parent / "shared" / "benchmark"


def image_only_copy(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """Render every page of ``pdf`` to an image and write a PDF of those images only."""
    import fitz

    src = fitz.open(pdf)
    dst = fitz.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi)  # rotation applied: the image is what a person sees
        rect = page.rect
        new = dst.new_page(width=rect.width, height=rect.height)
        new.insert_image(new.rect, pixmap=pix)
    target = out / pdf.name
    dst.save(target, garbage=3, deflate=True)
    return target


def run_quality(
    pdfs: list[Path], truth: dict[str, Any], settings: EngineSettings
) -> tuple[dict[str, Any], Any, float]:
    predictions: dict[str, Any] = {}
    started = time.perf_counter()
    for pdf in pdfs:
        predictions[pdf.name] = document_to_benchmark(extract_document(pdf, settings=settings))
    elapsed = time.perf_counter() - started
    return predictions, evaluate(predictions, truth), elapsed


def warm_page_times(pdfs: list[Path], settings: EngineSettings, repeat: int) -> list[float]:
    """Seconds per text-layer page, for every warm run of every document."""
    times: list[float] = []
    for pdf in pdfs:
        extract_document(pdf, settings=settings)  # warm-up
        for _ in range(repeat):
            started = time.perf_counter()
            result = extract_document(pdf, settings=settings)
            elapsed = time.perf_counter() - started
            text_pages = [p for p in result.pages if p.source is TextSource.TEXT_LAYER]
            if text_pages and len(text_pages) == len(result.pages):
                times.append(elapsed / len(result.pages))
    return times


def fresh_process(pdf: Path) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) of one fresh ``extract`` process, and the largest child RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "p.json"
        code = (
            "import resource, runpy, sys;"
            "sys.argv=['stratigraphy_ml_backend','extract','-q',sys.argv[1],'-o',sys.argv[2]];"
            "rc=0\n"
            "try:\n runpy.run_module('stratigraphy_ml_backend', run_name='__main__')\n"
            "except SystemExit as e:\n rc=e.code or 0\n"
            "print('MAXRSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(rc)"
        )
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code, str(pdf), str(out)],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"extract failed on {pdf.name}: {proc.stderr[-500:]}")
    rss_kb = max(
        (
            float(line.split()[1])
            for line in proc.stderr.splitlines()
            if line.startswith("MAXRSS_KB")
        ),
        default=float("nan"),
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # includes tesseract children
    return elapsed, max(rss_kb, 0.0) / 1024, children / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per document")
    parser.add_argument("--skip-image-only", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    bench: Path = args.benchmark
    if not (bench / "ground_truth.json").is_file():
        print(f"no benchmark at {bench}", file=sys.stderr)
        return 2
    truth = json.loads((bench / "ground_truth.json").read_text(encoding="utf-8"))
    pdfs = sorted((bench / "pdfs").glob("*.pdf"))
    settings = EngineSettings.from_env()
    figures: dict[str, Any] = {}

    _, quality, seconds = run_quality(pdfs, truth, settings)
    print("== quality (text layer)")
    print(format_report(quality))
    figures["quality"] = quality.as_dict()["pooled"]
    figures["first_pass_seconds"] = round(seconds, 2)

    times = warm_page_times(pdfs, settings, args.repeat)
    median = statistics.median(times) if times else float("nan")
    print(
        f"\n== speed: text-layer page, median warm {median:.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}, n={len(times)})"
    )
    figures["warm_page_median_s"] = round(median, 4)

    fresh = []
    for pdf in pdfs:
        wall, rss, children = fresh_process(pdf)
        fresh.append(
            {
                "file": pdf.name,
                "seconds": round(wall, 2),
                "peak_rss_mb": round(rss, 1),
                "children_peak_rss_mb": round(children, 1),
            }
        )
        print(
            f"== fresh process {pdf.name}: {wall:.2f} s, peak RSS {rss:.0f} MB "
            f"(largest child so far {children:.0f} MB)"
        )
    figures["fresh_process"] = fresh

    if not args.skip_image_only:
        with tempfile.TemporaryDirectory() as tmp:
            images = [image_only_copy(pdf, Path(tmp)) for pdf in pdfs]
            _, img_quality, img_seconds = run_quality(images, truth, settings)
        print(
            f"\n== quality (image-only, 200 dpi, {img_seconds:.1f} s for {len(images)} documents)"
        )
        print(format_report(img_quality))
        figures["image_only_quality"] = img_quality.as_dict()["pooled"]
        figures["image_only_seconds"] = round(img_seconds, 1)

    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
