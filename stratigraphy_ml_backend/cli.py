"""Command line of the stratigraphy backend: extract, evaluate, predict, ingest, setup, export.

Each sub-command lives in ``stratigraphy_ml_backend/commands/<module>.py`` and
exposes ``register(subparsers)``, which adds its parser and sets
``func(args) -> int`` as the handler.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

# command name -> module under stratigraphy_ml_backend/commands/
COMMANDS = {
    "extract": "extract",
    "evaluate": "evaluate",
    "predict": "predict",
    "ingest": "ingest",
    "setup-label-studio": "setup_label_studio",
    "export": "export",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m stratigraphy_ml_backend",
        description="Borehole stratigraphy: extraction, evaluation, batch pre-annotation, ingest, "
        "Label Studio set-up, export of checked annotations.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS.values():
        try:
            module = importlib.import_module(f"stratigraphy_ml_backend.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"stratigraphy_ml_backend.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return int(args.func(args) or 0)
