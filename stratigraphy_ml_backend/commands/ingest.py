"""``ingest``: turn PDFs under ``pdf/<project>/`` into page images and Label Studio tasks.

    python -m stratigraphy_ml_backend ingest [--project NAME] [--once]   # scan once (default)
    python -m stratigraphy_ml_backend ingest --watch                     # keep watching
    python -m stratigraphy_ml_backend ingest --worker [--burst]          # RQ worker (REDIS_URL)
    python -m stratigraphy_ml_backend ingest pdf/3/report.pdf ...        # these PDFs only

With ``REDIS_URL`` set, scans queue one RQ job per PDF (run workers with
``--worker``); without it, or with ``--local``, PDFs are ingested in this process.

The project is ``LABEL_STUDIO_PROJECT_ID`` (or ``LABEL_STUDIO_PROJECT_MAP``); when neither
is set, ``LABEL_STUDIO_PROJECT_TITLE`` names it (as ``setup-label-studio`` created it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping

from label_studio_ml.errors import BackendError, ConfigError

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    from stratigraphy_ml_backend.ingest import queue as ingest_queue
    from stratigraphy_ml_backend.ingest.pipeline import IngestContext
    from stratigraphy_ml_backend.ingest.runner import run_once, watch
    from stratigraphy_ml_backend.ingest.settings import IngestSettings
    from stratigraphy_ml_backend.ingest.state import parse_pdf_key

    try:
        settings = IngestSettings.from_env(environ_with_project(os.environ))
        if args.dpi:
            settings = _with_dpi(settings, args.dpi)
        ctx = IngestContext.build(settings)
    except ConfigError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    ingest_queue.set_context(ctx)
    if args.check:
        return check(ctx)
    use_queue = bool(settings.redis_url) and not args.local

    if args.worker:
        if not settings.redis_url:
            print("error: --worker needs REDIS_URL", file=sys.stderr)
            return 2
        ingest_queue.run_worker(settings, burst=args.burst)
        return 0
    bad = [k for k in args.keys if parse_pdf_key(k) is None]
    if bad:
        print(f"error: not pdf/<project>/<name>.pdf keys: {', '.join(bad)}", file=sys.stderr)
        return 2
    try:
        if args.watch:
            watch(ctx, project=args.project, use_queue=use_queue)
            return 0
        summary = run_once(
            ctx,
            project=args.project,
            keys=args.keys,
            retry_failed=args.retry_failed,
            use_queue=use_queue,
            wait=not args.no_wait,
            progress=not args.no_progress,
        )
    except BackendError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(summary.line())
    for error in summary.errors:
        print(f"  {error}", file=sys.stderr)
    return 1 if summary.errors and not (summary.done or summary.skipped) else 0


def environ_with_project(environ: Mapping[str, str]) -> Mapping[str, str]:
    """``environ`` plus ``LABEL_STUDIO_PROJECT_ID`` looked up from ``LABEL_STUDIO_PROJECT_TITLE``.

    Only when the title is set and neither the id nor the project map is; ConfigError when
    Label Studio has no such project.
    """
    title = environ.get("LABEL_STUDIO_PROJECT_TITLE", "").strip()
    if not title or any(
        environ.get(k, "").strip() for k in ("LABEL_STUDIO_PROJECT_ID", "LABEL_STUDIO_PROJECT_MAP")
    ):
        return environ
    from label_studio_ml.storage.settings import StorageSettings
    from stratigraphy_ml_backend.commands.setup_label_studio import find_project_id

    storage = StorageSettings.from_env(environ)
    if not storage.label_studio_url or not storage.label_studio_api_key:
        raise ConfigError("LABEL_STUDIO_PROJECT_TITLE needs LABEL_STUDIO_URL and an API key")
    try:
        found = find_project_id(storage.label_studio_url, storage.label_studio_api_key, title)
    except BackendError as exc:
        raise ConfigError(f"cannot look up project {title!r}: {exc.message}") from None
    if found is None:
        raise ConfigError(
            f"Label Studio has no project {title!r}; run `python -m stratigraphy_ml_backend "
            "setup-label-studio` first"
        )
    return {**environ, "LABEL_STUDIO_PROJECT_ID": str(found)}


def check(ctx) -> int:  # type: ignore[no-untyped-def]
    """Health check: storage listable, Redis answering, Label Studio project readable."""
    from stratigraphy_ml_backend.ingest.state import PDF_ROOT

    settings = ctx.settings
    try:
        next(iter(ctx.storage.list(PDF_ROOT)), None)
        if settings.redis_url:
            from stratigraphy_ml_backend.ingest.queue import connect

            connect(settings).ping()
        if ctx.label_studio is not None and settings.project_id is not None:
            ctx.project(settings.project_id)
    except Exception as exc:  # report any failure as unhealthy, without a traceback
        print(f"unhealthy: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print("ok")
    return 0


def _with_dpi(settings, dpi: int):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(settings, dpi=dpi)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "ingest",
        help="render PDFs under pdf/<project>/ and create pre-annotated Label Studio tasks",
        description="Find PDFs under pdf/<project>/ in the storage (STORAGE, DATA_DIR, S3_*), "
        "render every page to png/<project>/<name>_<page>.png and, when a Label Studio project "
        "is configured (LABEL_STUDIO_URL, LABEL_STUDIO_API_KEY, LABEL_STUDIO_PROJECT_ID or "
        "LABEL_STUDIO_PROJECT_MAP), create one task per page with the stratigraphy "
        "predictions. Idempotent; progress is kept under ingest/ in the storage.",
    )
    parser.add_argument(
        "keys",
        nargs="*",
        metavar="KEY",
        help="only these PDFs (pdf/<project>/<name>.pdf); default: all pending",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="scan once and exit (the default)")
    mode.add_argument(
        "--watch",
        action="store_true",
        help="keep watching: bucket events (Redis) plus a rescan every INGEST_POLL_SECONDS",
    )
    mode.add_argument(
        "--worker",
        action="store_true",
        help="run an RQ worker that ingests queued PDFs (needs REDIS_URL)",
    )
    mode.add_argument(
        "--check",
        action="store_true",
        help="health check: storage, Redis and Label Studio reachable; exit 0/1",
    )
    parser.add_argument("--project", metavar="NAME", help="only pdf/NAME/")
    parser.add_argument("--burst", action="store_true", help="with --worker: exit when idle")
    parser.add_argument(
        "--local", action="store_true", help="ingest in this process even when REDIS_URL is set"
    )
    parser.add_argument(
        "--no-wait", action="store_true", help="with a queue: exit once the jobs are queued"
    )
    parser.add_argument(
        "--retry-failed", action="store_true", help="also retry PDFs marked under ingest/failed/"
    )
    parser.add_argument("--dpi", type=int, help="page image resolution (default INGEST_DPI)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)
