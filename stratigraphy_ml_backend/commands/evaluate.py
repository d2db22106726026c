"""``evaluate PREDICTIONS GROUND_TRUTH``: score predictions by the benchmark rules."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from stratigraphy.evaluate import evaluate, format_report


def _load(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"error: no such file: {path}") from None
    except json.JSONDecodeError as exc:
        raise SystemExit(f"error: {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise SystemExit(f"error: {path} must hold a JSON object keyed by file name")
    return data


def run(args: argparse.Namespace) -> int:
    result = evaluate(_load(args.predictions), _load(args.ground_truth))
    if args.json:
        json.dump(result.as_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_report(result))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "evaluate",
        help="score predictions against ground truth (benchmark rules)",
        description="Print per-file and pooled precision/recall/F1 of descriptions and layers, "
        "and coordinate, elevation and groundwater hits.",
    )
    parser.add_argument("predictions", help="predictions.json written by `extract`")
    parser.add_argument("ground_truth", help="ground_truth.json in the benchmark schema")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.set_defaults(func=run)
