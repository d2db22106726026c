"""Scan benchmark: how well the engine reads image-only and scanner-degraded copies.

For every PDF of the benchmark sets (``../shared/benchmark/pdfs`` and
``../shared/benchmark/international/pdfs``) it makes, once, cached under ``--cache``:

- ``image``: every page rendered to a 200 dpi image, the PDF rebuilt from the images only;
- ``light`` / ``heavy``: ``../shared/tools/degrade.py`` copies (deterministic, seeded by the
  file name): light = 200 dpi, 0.8 deg skew, JPEG 60; heavy = 150 dpi, 1.2 deg, JPEG 35.

It extracts each copy (``text`` mode reads the original PDF), scores it with the benchmark
rules (``stratigraphy.evaluate``), and prints per file and pooled layer/description F1 per
mode, the ratio of each mode's pooled layer F1 to the text-layer figure, and the wall and
CPU seconds (this process and Tesseract) per OCR'd page.

Usage::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_scans.py [--modes text,image,light,heavy]
        [--sets pdfs,international] [--files NAME,...] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stratigraphy.evaluate import FileScore, evaluate  # noqa: E402
from stratigraphy.extract import extract_document  # noqa: E402
from stratigraphy.model import TextSource  # noqa: E402
from stratigraphy.schema import document_to_benchmark  # noqa: E402
from stratigraphy.settings import EngineSettings  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = {"pdfs": SHARED / "benchmark", "international": SHARED / "benchmark" / "international"}
DEGRADE = SHARED / "tools" / "degrade.py"
LEVELS = {"light": ["--dpi", "200", "--skew", "0.8", "--quality", "60"], "heavy": []}
MODES = ("text", "image", "light", "heavy")


def image_only_copy(pdf: Path, target: Path, dpi: int = 200) -> None:
    """Every page rendered at ``dpi`` (as displayed), the PDF rebuilt from those images only."""
    import fitz

    src = fitz.open(pdf)
    dst = fitz.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY)
        new = dst.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, pixmap=pix)
    dst.save(target, garbage=3, deflate=True)


def copy_for(pdf: Path, mode: str, cache: Path) -> Path:
    """The ``mode`` copy of ``pdf`` (made once, then taken from ``cache``)."""
    if mode == "text":
        return pdf
    folder = cache / mode
    target = folder / pdf.name
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    if mode == "image":
        image_only_copy(pdf, target)
    else:
        subprocess.run(
            [sys.executable, str(DEGRADE), str(folder), str(pdf), *LEVELS[mode]],
            check=True,
            timeout=600,
        )
    return target


def run_mode(
    mode: str, pdfs: list[Path], truth: dict[str, Any], settings: EngineSettings, cache: Path
) -> dict[str, Any]:
    predictions: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    ocr_pages = 0
    for pdf in pdfs:
        source = copy_for(pdf, mode, cache)
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        result = extract_document(source, settings=settings)
        seconds[pdf.name] = time.perf_counter() - started
        cpu[pdf.name] = _cpu_seconds() - cpu_started
        ocr_pages += sum(1 for p in result.pages if p.source is TextSource.OCR)
        predictions[pdf.name] = document_to_benchmark(result)
    scores = evaluate(predictions, {p.name: truth[p.name] for p in pdfs})
    return {
        "files": scores.files,
        "pooled": scores.pooled,
        "seconds": seconds,
        "cpu": cpu,
        "ocr_pages": ocr_pages,
        "predictions": predictions,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (Tesseract runs as a child)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _f1(score: FileScore) -> tuple[float, float]:
    return score.layers.f1, score.descriptions.f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--files", default="", help="comma-separated file names (default: all)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/bench_scans"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    if unknown := [m for m in modes if m not in MODES]:
        parser.error(f"unknown modes {unknown}; choose from {MODES}")
    settings = EngineSettings.from_env()
    wanted = {f for f in args.files.split(",") if f}
    truth: dict[str, Any] = {}
    pdfs: list[Path] = []
    for name in args.sets.split(","):
        root = SETS[name]
        truth.update(json.loads((root / "ground_truth.json").read_text()))
        pdfs += [
            p
            for p in sorted((root / "pdfs").glob("*.pdf"))
            if p.name in truth and (not wanted or p.name in wanted)
        ]
    results = {mode: run_mode(mode, pdfs, truth, settings, args.cache) for mode in modes}

    head = f"{'file':<36}" + "".join(f" {m + ' L/D':>13}" for m in modes)
    print(head)
    print("-" * len(head))
    for pdf in pdfs:
        cells = "".join(
            " {:>6.3f}/{:<6.3f}".format(*_f1(results[m]["files"][pdf.name])) for m in modes
        )
        print(f"{pdf.name[:36]:<36}{cells}")
    print("-" * len(head))
    pooled = "".join(" {:>6.3f}/{:<6.3f}".format(*_f1(results[m]["pooled"])) for m in modes)
    print(f"{'pooled (layer F1 / description F1)':<36}{pooled}")
    if "text" in results:
        base = results["text"]["pooled"].layers.f1
        ratios = "  ".join(
            f"{m} {results[m]['pooled'].layers.f1 / base:.3f}" for m in modes if m != "text"
        )
        print(f"layer F1 relative to text layer: {ratios}")
    for m in modes:
        pages = results[m]["ocr_pages"]
        total = sum(results[m]["seconds"].values())
        cpu = sum(results[m]["cpu"].values())
        per_page = (
            f", {total / pages:.2f} s ({cpu / pages:.2f} CPU s) per OCR'd page" if pages else ""
        )
        print(
            f"{m}: {total:.1f} s ({cpu:.1f} CPU s) for {len(pdfs)} files, "
            f"{pages} OCR'd pages{per_page}"
        )
    if args.json:
        out = {
            m: {
                "files": {n: s.as_dict() for n, s in r["files"].items()},
                "pooled": r["pooled"].as_dict(),
                "seconds": r["seconds"],
                "cpu": r["cpu"],
                "ocr_pages": r["ocr_pages"],
                "predictions": r["predictions"],
            }
            for m, r in results.items()
        }
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
