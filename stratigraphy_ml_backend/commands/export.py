"""``export``: the geologists' checked annotations as boreholes (benchmark schema) and a CSV.

    python -m stratigraphy_ml_backend export -o checked.json        # LABEL_STUDIO_PROJECT_*
    python -m stratigraphy_ml_backend export --project 3 -o checked.json
    python -m stratigraphy_ml_backend export --from-file ls_export.json -o checked.json

Writes ``checked.json`` ({file name: [boreholes]}, what ``evaluate`` takes as ground truth),
``checked.csv`` (one row per layer) and ``checked.issues.json`` (annotations that could not be
paired or parsed, each with its task). Only PDFs whose every page task has an annotation are
exported unless ``--include-partial`` is given. The rules are in ``export_boreholes``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

from label_studio_ml.errors import BackendError, ConfigError
from label_studio_ml.storage.settings import StorageSettings
from stratigraphy_ml_backend.commands.export_boreholes import Export, build_export

CSV_COLUMNS = (
    "file",
    "borehole_index",
    "borehole_name",
    "layer_index",
    "depth_start",
    "depth_end",
    "material_description",
    "page",
    "task",
)
EXPORT_TIMEOUT = 600.0
SHOWN_ISSUES = 20


def load_file(path: Path) -> list[dict[str, Any]]:
    """Tasks of a Label Studio JSON export (a list of tasks, or ``{"tasks": [...]}``)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no such file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not a JSON export: {exc}") from None
    if isinstance(body, dict):
        body = body.get("tasks")
    if not isinstance(body, list) or not all(isinstance(t, dict) for t in body):
        raise ConfigError(f"{path} must hold a list of Label Studio tasks")
    return body


def load_project(project: str | None) -> list[dict[str, Any]]:
    """Every task of the project with its annotations, through Label Studio's export API."""
    from stratigraphy_ml_backend.commands.setup_label_studio import find_project_id
    from stratigraphy_ml_backend.ingest.label_studio import LabelStudioClient

    storage = StorageSettings.from_env()
    url, key = storage.label_studio_url, storage.label_studio_api_key
    if not url or not key:
        raise ConfigError("reading a project needs LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY")
    if project is None:
        project = os.environ.get("LABEL_STUDIO_PROJECT_ID", "").strip() or None
    if project is None or not project.isdigit():
        title = project or os.environ.get("LABEL_STUDIO_PROJECT_TITLE", "").strip()
        if not title:
            raise ConfigError("name the project: --project ID or TITLE (or LABEL_STUDIO_PROJECT_*)")
        found = find_project_id(url, key, title)
        if found is None:
            raise ConfigError(f"Label Studio has no project {title!r}")
        project = str(found)
    client = LabelStudioClient(url, key, timeout=EXPORT_TIMEOUT)
    body = client.request(
        "GET",
        f"/api/projects/{int(project)}/export",
        params={"exportType": "JSON", "download_all_tasks": "true"},
    )
    tasks = body.get("items", body) if isinstance(body, dict) else body
    if not isinstance(tasks, list):
        raise ConfigError("Label Studio's export is not a list of tasks")
    return [t for t in tasks if isinstance(t, dict)]


def _to_points(box: list[float], width: float, height: float, rotation: int) -> list[float]:
    """``[x0, y0, x1, y1]`` in percent of the displayed page -> unrotated PDF points."""
    from stratigraphy.geometry import percent_to_pdf_bbox

    x0, y0, x1, y1 = box
    points = percent_to_pdf_bbox(x0, y0, x1 - x0, y1 - y0, width, height, rotation)
    return [round(v, 2) for v in points.as_list()]


def add_pdf_boxes(export: Export, settings: StorageSettings) -> list[str]:
    """Boxes in unrotated PDF points (``material_description_rect``, ``depth_rects``) for every
    file whose PDF the storage can read; returns the files it could not read."""
    import fitz

    from label_studio_ml.storage import make_storage
    from label_studio_ml.storage.resolver import UrlResolver
    from stratigraphy.pdf.reader import unrotated_size

    resolver = UrlResolver(settings, make_storage(settings))
    unread: list[str] = []
    try:
        for file, url in export.sources.items():
            try:
                doc = fitz.open(stream=resolver.read_bytes(url), filetype="pdf")
            except Exception:  # not reachable from here: the percent boxes stay
                unread.append(file)
                continue
            with doc:
                for hole in export.boreholes[file]:
                    for layer in hole["layers"]:
                        if not 1 <= layer["page"] <= doc.page_count:
                            continue
                        page = doc[layer["page"] - 1]
                        width, height = unrotated_size(page)
                        frame = (width, height, page.rotation)
                        layer["material_description_rect"] = _to_points(
                            layer["material_description_box_percent"], *frame
                        )
                        depth = layer["depth_box_percent"]
                        layer["depth_rects"] = [_to_points(depth, *frame)] if depth else []
                        layer["depth_rects_pages"] = [layer["page"]] if depth else []
    finally:
        resolver.close()
    return unread


def write_outputs(export: Export, output: Path, csv_path: Path) -> Path:
    """The JSON, the CSV and the issues file; returns the issues file's path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(export.boreholes, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in export.rows:
            writer.writerow({k: "" if row[k] is None else row[k] for k in CSV_COLUMNS})
    issues_path = output.with_name(output.stem + ".issues.json")
    issues = {
        "issues": [i.as_dict() for i in export.issues],
        "partially_checked": {
            name: {"checked_pages": c[0], "pages": c[1]} for name, c in export.partial.items()
        },
    }
    issues_path.write_text(
        json.dumps(issues, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return issues_path


def run(args: argparse.Namespace) -> int:
    try:
        tasks = load_file(args.from_file) if args.from_file else load_project(args.project)
    except (ConfigError, BackendError) as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    export = build_export(tasks, include_partial=args.include_partial)
    if not args.no_pdf_boxes:
        try:
            unread = add_pdf_boxes(export, StorageSettings.from_env())
        except (ConfigError, BackendError) as exc:
            unread = list(export.sources)
            print(f"warning: {exc.message}", file=sys.stderr)
        for name in unread:
            print(
                f"  {name}: PDF not readable from here (STORAGE, DATA_DIR, S3_*): "
                "boxes in percent of the page only",
                file=sys.stderr,
            )
    output = Path(args.output)
    csv_path = Path(args.csv) if args.csv else output.with_suffix(".csv")
    issues_path = write_outputs(export, output, csv_path)
    boreholes = sum(len(b) for b in export.boreholes.values())
    print(
        f"wrote {output}: {len(export.boreholes)} files, {boreholes} boreholes, "
        f"{len(export.rows)} layers; {csv_path}; {len(export.issues)} issues in {issues_path}",
        file=sys.stderr,
    )
    for issue in export.issues[:SHOWN_ISSUES]:
        print(
            f"  task {issue.task} ({issue.file} p.{issue.page}): {issue.problem}"
            + (f": {issue.text!r}" if issue.text else ""),
            file=sys.stderr,
        )
    if len(export.issues) > SHOWN_ISSUES:
        print(f"  ... and {len(export.issues) - SHOWN_ISSUES} more", file=sys.stderr)
    for name, (checked, total) in sorted(export.partial.items()):
        state = "included" if args.include_partial else "left out (--include-partial)"
        print(f"  {name}: {checked} of {total} pages checked, {state}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "export",
        help="checked Label Studio annotations -> boreholes (benchmark schema) + CSV",
        description="Read a project's tasks and annotations (Label Studio API, or a JSON export "
        "file) and write the checked stratigraphy per PDF and borehole in the benchmark schema, "
        "one CSV row per layer, and the annotations that could not be paired or parsed. "
        "`evaluate PREDICTIONS EXPORT` then scores the engine against it.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--project",
        metavar="ID_OR_TITLE",
        help="Label Studio project (default LABEL_STUDIO_PROJECT_ID or LABEL_STUDIO_PROJECT_TITLE)",
    )
    source.add_argument(
        "--from-file", type=Path, metavar="JSON", help="a Label Studio JSON export instead"
    )
    parser.add_argument("-o", "--output", required=True, help="boreholes JSON to write")
    parser.add_argument("--csv", help="layer CSV to write (default: OUTPUT with .csv)")
    parser.add_argument(
        "--include-partial",
        action="store_true",
        help="also export PDFs of which only some pages are annotated",
    )
    parser.add_argument(
        "--no-pdf-boxes",
        action="store_true",
        help="do not read the PDFs for boxes in PDF points (percent of the page image only)",
    )
    parser.set_defaults(func=run)
