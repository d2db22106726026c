"""Extraction benchmark: quality, confidence and speed of the engine on ``../shared/benchmark``.

One table for every set and mode, per file and pooled:

- sets: ``pdfs`` (the Swiss development profiles, ``pdfs/`` + ``ground_truth.json``) and
  ``international`` (``international/pdfs/`` + ``international/ground_truth.json``);
- modes: ``text`` (the PDFs as they are), ``image`` (every page rendered to an image-only PDF
  at 200 dpi), ``light`` and ``heavy`` (image-only copies degraded by
  ``../shared/tools/degrade.py`` as an office scanner would: light = 200 dpi, 0.8 deg skew,
  JPEG 60; heavy = its defaults, 150 dpi, 1.2 deg, JPEG 35). Copies are written under a
  temporary directory only;
- columns: layer F1, description F1, groundwater found (tp/predicted/true), and the layer
  confidence's AUROC for "this layer is right" with the share of wrong layers among those
  above 0.8.

Speed (text mode only): seconds per text-layer page (median of warm runs, in process), and
wall time and peak RSS of a fresh ``python -m stratigraphy_ml_backend extract`` per document.

Usage::

    .venv/bin/python benchmarks/bench_extraction.py                 # text only, quick
    .venv/bin/python benchmarks/bench_extraction.py --sets pdfs,international \\
        --modes text,image,light,heavy [--no-speed] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stratigraphy.evaluate import (  # noqa: E402
    CONFIDENT,
    FileScore,
    auroc,
    evaluate,
    layer_outcomes,
    wrong_share_above,
)
from stratigraphy.extract import extract_document  # noqa: E402
from stratigraphy.model import TextSource  # noqa: E402
from stratigraphy.schema import document_to_benchmark  # noqa: E402
from stratigraphy.settings import EngineSettings  # noqa: E402

DEFAULT_BENCHMARK = REPO.parent / "shared" / "benchmark"
DEGRADE = REPO.parent / "shared" / "tools" / "degrade.py"
SETS = {"pdfs": ".", "international": "international"}
MODES = ("text", "image", "light", "heavy")
DEGRADE_ARGS = {
    "light": ["--dpi", "200", "--skew", "0.8", "--quality", "60"],
    "heavy": [],  # the tool's defaults: 150 dpi, 1.2 deg, JPEG 35
}


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


def degraded_copies(pdfs: list[Path], out: Path, level: str) -> list[Path]:
    """Scanner-degraded image-only copies of ``pdfs`` in ``out`` (by ../shared/tools)."""
    if not DEGRADE.is_file():
        raise SystemExit(f"{DEGRADE} is missing: cannot make the {level} copies")
    subprocess.run(
        [sys.executable, str(DEGRADE), str(out), *map(str, pdfs), *DEGRADE_ARGS[level]],
        check=True,
        timeout=600,
    )
    return [out / pdf.name for pdf in pdfs]


def copies(pdfs: list[Path], mode: str, tmp: Path) -> list[Path]:
    if mode == "text":
        return pdfs
    out = tmp / mode
    out.mkdir(parents=True, exist_ok=True)
    if mode == "image":
        return [image_only_copy(pdf, out) for pdf in pdfs]
    return degraded_copies(pdfs, out, mode)


@dataclass(frozen=True)
class Row:
    """One line of the table: a file (or a pool) of a set in a mode."""

    set: str
    mode: str
    file: str
    score: FileScore
    outcomes: tuple[tuple[float, bool], ...]
    seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        area = auroc(self.outcomes)
        wrong, confident = wrong_share_above(self.outcomes)
        return {
            "set": self.set,
            "mode": self.mode,
            "file": self.file,
            "layer_f1": round(self.score.layers.f1, 4),
            "description_f1": round(self.score.descriptions.f1, 4),
            "groundwater": self.score.groundwater.as_dict(),
            "coordinates": self.score.coordinates.as_dict(),
            "elevation": self.score.elevation.as_dict(),
            "layers": self.score.layers.as_dict(),
            "confidence_auroc": None if area is None else round(area, 4),
            "confident_layers": confident,
            "confident_wrong": wrong,
            "seconds": self.seconds,
        }


def run_set(
    name: str, mode: str, pdfs: list[Path], truth: dict[str, Any], settings: EngineSettings
) -> list[Row]:
    predictions: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for pdf in pdfs:
        started = time.perf_counter()
        predictions[pdf.name] = document_to_benchmark(extract_document(pdf, settings=settings))
        seconds[pdf.name] = round(time.perf_counter() - started, 2)
    scored = evaluate(predictions, truth)
    outcomes = layer_outcomes(predictions, truth)
    rows = [
        Row(name, mode, file, score, tuple(outcomes[file]), seconds.get(file))
        for file, score in scored.files.items()
    ]
    pooled_outcomes = tuple(o for file in scored.files for o in outcomes[file])
    rows.append(
        Row(name, mode, "pooled", scored.pooled, pooled_outcomes, round(sum(seconds.values()), 2))
    )
    return rows


def pool(rows: Sequence[Row], name: str, mode: str) -> Row:
    score = FileScore()
    for row in rows:
        score = score + row.score
    outcomes = tuple(o for row in rows for o in row.outcomes)
    return Row(name, mode, "pooled", score, outcomes, None)


def _fmt(value: float | None, width: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"{'-':>{width}}"
    return f"{value:{width}.3f}"


def format_table(rows: Sequence[Row]) -> str:
    header = (
        f"{'set':<14} {'mode':<6} {'file':<34} {'layer F1':>8} {'desc F1':>7} "
        f"{'gw tp/pr/tr':>11} {'AUROC':>6} {'>0.8 wrong':>11} {'s':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        wrong, confident = wrong_share_above(row.outcomes)
        share = f"{wrong}/{confident}" if confident else "-"
        gw = row.score.groundwater
        seconds = f"{row.seconds:6.1f}" if row.seconds is not None else f"{'':6}"
        line = (
            f"{row.set[:14]:<14} {row.mode:<6} {row.file[:34]:<34} "
            f"{row.score.layers.f1:8.3f} {row.score.descriptions.f1:7.3f} "
            f"{f'{gw.tp}/{gw.predicted}/{gw.truth}':>11} {_fmt(auroc(row.outcomes), 6)} "
            f"{share:>11} {seconds}"
        )
        if row.file == "pooled":
            lines.append(line.replace(" pooled ", "*pooled ", 1))
        else:
            lines.append(line)
    return "\n".join(lines)


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
    """Wall seconds, peak RSS (MB) of one fresh ``extract`` process (its VmHWM, which exec
    resets), and the largest child RSS so far."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "p.json"
        code = (
            "import resource, runpy, sys;"
            "sys.argv=['stratigraphy_ml_backend','extract','-q',sys.argv[1],'-o',sys.argv[2]];"
            "rc=0\n"
            "try:\n runpy.run_module('stratigraphy_ml_backend', run_name='__main__')\n"
            "except SystemExit as e:\n rc=e.code or 0\n"
            "hwm=[ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM')]\n"
            "print('MAXRSS_KB', hwm[0] if hwm else 'nan', file=sys.stderr)\n"
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


def _has_text_layer(pdf: Path) -> bool:
    import fitz

    with fitz.open(pdf) as doc:
        return any(page.get_text("words") for page in doc)


def _names(text: str, allowed: Sequence[str], what: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise SystemExit(f"unknown {what}: {', '.join(unknown) or text!r}; one of {allowed}")
    return names


def speed(pdfs: list[Path], settings: EngineSettings, repeat: int) -> dict[str, Any]:
    times = warm_page_times(pdfs, settings, repeat)
    median = statistics.median(times) if times else float("nan")
    if times:
        print(
            f"\n== speed: text-layer page, median warm {median:.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}, n={len(times)})"
        )
    fresh = []
    for pdf in pdfs:
        if not _has_text_layer(pdf):
            continue  # an image-only document is OCR'd: its speed is the reader benchmark's
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
    return {"warm_page_median_s": round(median, 4), "fresh_process": fresh}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument("--sets", default=",".join(SETS), help="comma list of " + ",".join(SETS))
    parser.add_argument(
        "--modes", default="text", help="comma list of " + ",".join(MODES) + " (default text)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per text document")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurements")
    parser.add_argument(
        "--skip-image-only", action="store_true", help="(old flag) the same as --modes text"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    bench: Path = args.benchmark
    sets = _names(args.sets, list(SETS), "set")
    modes = ["text"] if args.skip_image_only else _names(args.modes, MODES, "mode")
    settings = EngineSettings.from_env()
    rows: list[Row] = []
    text_pdfs: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="bench_extraction_") as tmp:
        for mode in modes:
            mode_rows: list[Row] = []
            for name in sets:
                folder = bench / SETS[name]
                if not (folder / "ground_truth.json").is_file():
                    print(f"no benchmark set at {folder}", file=sys.stderr)
                    return 2
                truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
                pdfs = sorted((folder / "pdfs").glob("*.pdf"))
                if mode == "text":
                    text_pdfs += pdfs
                docs = copies(pdfs, mode, Path(tmp) / name)
                set_rows = run_set(name, mode, docs, truth, settings)
                print(format_table(set_rows), flush=True)
                mode_rows += set_rows
            if len(sets) > 1:
                mode_rows.append(
                    pool([r for r in mode_rows if r.file != "pooled"], "all sets", mode)
                )
            rows += mode_rows
    everything = [r for r in rows if r.file != "pooled"]
    if len(modes) > 1:
        rows.append(pool(everything, "all sets", "all"))
    print(f"\n== quality and confidence (confident = above {CONFIDENT})")
    print(format_table(rows))
    figures: dict[str, Any] = {"rows": [r.as_dict() for r in rows]}
    if text_pdfs and not args.no_speed:
        figures["speed"] = speed(text_pdfs, settings, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
