"""``extract PDF_OR_DIR... -o predictions.json [--draw DIR]``: run the engine on PDFs.

Writes the benchmark schema (file name -> boreholes). A file that fails is reported on
stderr and recorded under ``errors`` in a side file; the run goes on with the next file.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from label_studio_ml.errors import BackendError
from stratigraphy.extract import extract_document
from stratigraphy.schema import document_to_benchmark
from stratigraphy.settings import EngineSettings

log = logging.getLogger(__name__)


def collect_pdfs(inputs: Iterable[str]) -> list[Path]:
    """PDF files named on the command line, and the PDFs inside named directories (sorted)."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
            )
        elif path.is_file():
            found.append(path)
        else:
            raise SystemExit(f"error: no such file or directory: {item}")
    return found


def _draw(result: Any, pdf: Path, out_dir: Path) -> None:
    from stratigraphy.draw import draw_document  # optional path: only with --draw

    draw_document(pdf, result, out_dir)


def run(args: argparse.Namespace) -> int:
    pdfs = collect_pdfs(args.inputs)
    if not pdfs:
        print("error: no PDF files found", file=sys.stderr)
        return 2
    settings = EngineSettings.from_env()
    predictions: dict[str, Any] = {}
    errors: dict[str, str] = {}
    draw_dir = Path(args.draw) if args.draw else None
    if draw_dir:
        draw_dir.mkdir(parents=True, exist_ok=True)
    bar = tqdm(pdfs, unit="file", disable=len(pdfs) < 2 or args.quiet, file=sys.stderr)
    for pdf in bar:
        bar.set_postfix_str(pdf.name[:30])
        try:
            result = extract_document(pdf, settings=settings)
        except BackendError as exc:
            errors[pdf.name] = f"{type(exc).__name__}: {exc}"
            tqdm.write(f"{pdf.name}: {exc}", file=sys.stderr)
            continue
        except Exception as exc:
            log.exception("extraction of %s failed", pdf)
            errors[pdf.name] = f"{type(exc).__name__}: {exc}"
            tqdm.write(f"{pdf.name}: unexpected error {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        predictions[pdf.name] = document_to_benchmark(result)
        for warning in result.warnings:
            tqdm.write(f"{pdf.name}: warning: {warning}", file=sys.stderr)
        if draw_dir:
            try:
                _draw(result, pdf, draw_dir)
            except Exception as exc:
                tqdm.write(f"{pdf.name}: could not draw: {exc}", file=sys.stderr)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(predictions, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if errors:
        err_path = out.with_name(out.stem + ".errors.json")
        err_path.write_text(
            json.dumps(errors, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"{len(errors)} of {len(pdfs)} files failed; see {err_path}", file=sys.stderr)
    n_layers = sum(len(b["layers"]) for bhs in predictions.values() for b in bhs)
    print(f"wrote {out}: {len(predictions)} files, {n_layers} layers", file=sys.stderr)
    return 1 if errors and not predictions else 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "extract",
        help="extract layers and metadata from PDFs into the benchmark schema",
        description="Run the extraction engine on PDF files and directories of PDFs.",
    )
    parser.add_argument("inputs", nargs="+", metavar="PDF_OR_DIR")
    parser.add_argument("-o", "--output", required=True, help="predictions JSON to write")
    parser.add_argument(
        "--draw", metavar="DIR", help="write PNG pages with the detected boxes drawn on them"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)
