"""Checked Label Studio annotations -> boreholes in the benchmark schema (pure functions).

One task is one page of a PDF (``data.pdf``, ``data.page`` 0-based, as ingest creates them).
Per task the annotation counted is a ground-truth one if any, else the last updated one that
was not cancelled. From its result:

- regions: results sharing an ``id`` (a ``rectanglelabels`` box + its per-region
  ``textarea`` transcription) make one labelled region;
- a layer is a *Material Description* region; its depth interval is the *Depth Interval*
  region a relation joins it to (either direction), parsed from the transcription;
- *Borehole Name* regions tell the boreholes apart: a page without one continues the borehole
  of the page before; on a page with several, every region belongs to the name whose column
  it shares (nearest horizontally);
- *Coordinates*, *Elevation* and *Groundwater* transcriptions fill metadata and groundwater.

Pages of one PDF are merged in page order; layers are listed top to bottom per page.
Everything that cannot be paired or parsed is reported as an :class:`Issue` naming its task,
and what can still be kept (a description without a depth) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qs, urlparse

from stratigraphy.depths import parse_depth_interval
from stratigraphy.model import DepthInterval
from stratigraphy_ml_backend.ls_format import (
    BOREHOLE_NAME,
    COORDINATES,
    DEPTH_INTERVAL,
    ELEVATION,
    GROUNDWATER,
    MATERIAL_DESCRIPTION,
)

_START_END = re.compile(
    r"^\s*start\s*:\s*(?P<a>[^\s]*)\s*end\s*:\s*(?P<b>[^\s]*)\s*$", re.IGNORECASE
)
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"(?<=\d)['’ ](?=\d{3}\b)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_ABOVE_SEA = re.compile(r"a\.?\s?s\.?\s?l|ü\.?\s?m|m\.?\s?ü|msm|s\.?\s?l\.?\s?m|masl", re.I)


@dataclass(frozen=True, slots=True)
class Issue:
    """Something in an annotation the export could not use as it stands."""

    task: int | str | None
    file: str
    page: int  # 1-based
    problem: str
    region: str | None = None
    label: str | None = None
    text: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "file": self.file,
            "page": self.page,
            "region": self.region,
            "label": self.label,
            "text": self.text,
            "problem": self.problem,
        }


@dataclass(frozen=True, slots=True)
class Box:
    """A region's box in percent of the displayed page image."""

    x: float
    y: float
    width: float
    height: float

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    def overlaps_x(self, other: Box) -> float:
        return max(0.0, min(self.x + self.width, other.x + other.width) - max(self.x, other.x))

    def as_list(self) -> list[float]:
        return [
            round(self.x, 4),
            round(self.y, 4),
            round(self.x + self.width, 4),
            round(self.y + self.height, 4),
        ]


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    label: str
    box: Box
    text: str


@dataclass(frozen=True, slots=True)
class PageAnnotation:
    """The regions and relations of one checked page."""

    task: int | str | None
    file: str
    pdf: str
    page: int  # 1-based
    regions: tuple[Region, ...]
    relations: tuple[tuple[str, str], ...]


@dataclass
class _Borehole:
    name: str | None
    layers: list[dict[str, Any]] = field(default_factory=list)
    coordinates: dict[str, float] | None = None
    elevation: float | None = None
    groundwater: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Export:
    """The export: benchmark entries per file, one CSV row per layer, the issues."""

    boreholes: dict[str, list[dict[str, Any]]]
    rows: list[dict[str, Any]]
    issues: list[Issue]
    partial: dict[str, tuple[int, int]]  # file -> (checked pages, pages with tasks)
    sources: dict[str, str] = field(default_factory=dict)  # file -> the tasks' data.pdf


# ------------------------------------------------------------------ parsing of transcriptions


def parse_depth_text(text: str) -> DepthInterval | None:
    """The depth interval a *Depth Interval* transcription states, or None.

    The one place that reads depth transcriptions: the backends' ``start: 0.3 end: 1.6``
    (an empty side is an unknown bound), else any printed form the engine reads
    (``0.30 - 1.60 m``, ``ab 5 m``, ...).
    """
    match = _START_END.match(text)
    if match is not None:
        bounds: list[float | None] = []
        for raw in (match.group("a"), match.group("b")):
            if not raw:
                bounds.append(None)
                continue
            try:
                bounds.append(abs(float(raw.replace(",", "."))))
            except ValueError:
                return None
        start, end = bounds
        if start is not None and end is not None and end < start:
            return None
        if start is None and end is None:
            return None
        return DepthInterval(start, end)
    return parse_depth_interval(text)


def _numbers(text: str) -> list[float]:
    clean = _THOUSANDS.sub("", text)
    return [float(n.replace(",", ".")) for n in _NUMBER.findall(clean)]


def parse_coordinates(text: str) -> dict[str, float] | None:
    """``'2607562 / 1187087.5'`` (or ``2'607'562``, ``E 2607562 N 1187087``) -> ``{E, N}``."""
    values = [v for v in _numbers(text) if v >= 1000]
    if len(values) != 2:
        return None
    return {"E": _clean_number(values[0]), "N": _clean_number(values[1])}


def parse_elevation(text: str) -> float | None:
    values = _numbers(text)
    return _clean_number(values[0]) if len(values) == 1 else None


def parse_groundwater(text: str) -> dict[str, Any] | None:
    """``'2.65 m, 2013-06-20, 666.3 m a.s.l.'`` -> ``{depth, date, elevation}`` (parts known)."""
    depth: float | None = None
    elevation: float | None = None
    date: str | None = None
    for part in re.split(r"[,;]", text):
        iso = _ISO_DATE.search(part)
        dotted = _DOTTED_DATE.search(part)
        if iso or dotted:
            if iso:
                date = iso.group(0)
            elif dotted:
                day, month, year = dotted.groups()
                date = f"{year}-{int(month):02d}-{int(day):02d}"
            continue
        values = _numbers(part)
        if not values:
            continue
        if _ABOVE_SEA.search(part):
            elevation = _clean_number(values[0])
        elif depth is None:
            depth = _clean_number(abs(values[0]))
    if depth is None and elevation is None:
        return None
    return {"depth": depth, "date": date, "elevation": elevation}


def _clean_number(value: float, ndigits: int = 3) -> float | int:
    rounded = round(value, ndigits)
    return int(rounded) if rounded == int(rounded) else rounded


# ------------------------------------------------------------------ reading tasks


def _pdf_path(pdf_url: str) -> PurePosixPath:
    parsed = urlparse(pdf_url)
    path = parse_qs(parsed.query).get("d", [parsed.path])[0] if parsed.query else parsed.path
    return PurePosixPath(path)


def pdf_file_name(pdf_url: str) -> str:
    """``/data/local-files/?d=pdf/geo/A.pdf`` or ``s3://b/pdf/geo/A.pdf`` -> ``A.pdf``."""
    return _pdf_path(pdf_url).name or pdf_url


def pdf_folder_name(pdf_url: str) -> str:
    """``.../pdf/geo/A.pdf`` -> ``geo/A.pdf``: the name of a file whose name is not unique."""
    parts = _pdf_path(pdf_url).parts
    return "/".join(parts[-2:]) if len(parts) >= 2 else pdf_url


def chosen_annotation(task: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The annotation that counts for a task: ground truth first, then the latest; or None."""
    annotations = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, Mapping) and not a.get("was_cancelled")
    ]
    if not annotations:
        return None
    return max(
        annotations,
        key=lambda a: (
            bool(a.get("ground_truth")),
            str(a.get("updated_at") or a.get("created_at") or ""),
            int(a.get("id") or 0),
        ),
    )


def _page_annotation(
    task: Mapping[str, Any], annotation: Mapping[str, Any], issues: list[Issue]
) -> PageAnnotation:
    data = task.get("data") or {}
    pdf = str(data.get("pdf") or "")
    file = pdf_file_name(pdf)
    page = int(data.get("page") or 0) + 1
    labels: dict[str, tuple[str, Box]] = {}
    texts: dict[str, list[str]] = {}
    relations: list[tuple[str, str]] = []
    for item in annotation.get("result") or []:
        if not isinstance(item, Mapping):
            continue
        kind = item.get("type")
        if kind == "relation":
            relations.append((str(item.get("from_id")), str(item.get("to_id"))))
            continue
        value = item.get("value") or {}
        rid = str(item.get("id"))
        if kind == "rectanglelabels" and value.get("rectanglelabels"):
            box = Box(
                float(value.get("x", 0)),
                float(value.get("y", 0)),
                float(value.get("width", 0)),
                float(value.get("height", 0)),
            )
            labels[rid] = (str(value["rectanglelabels"][0]), box)
        elif kind == "textarea":
            texts.setdefault(rid, []).extend(str(t) for t in value.get("text") or [])
    regions = []
    for rid, (label, box) in labels.items():
        text = " ".join(t.strip() for t in texts.get(rid, []) if t.strip())
        regions.append(Region(rid, label, box, text))
    for rid in texts.keys() - labels.keys():
        issues.append(
            Issue(
                task.get("id"),
                file,
                page,
                "transcription without a labelled box",
                rid,
                None,
                " ".join(texts[rid]),
            )
        )
    regions.sort(key=lambda r: (r.box.y, r.box.x))
    return PageAnnotation(task.get("id"), file, pdf, page, tuple(regions), tuple(relations))


def pages_from_tasks(
    tasks: Iterable[Mapping[str, Any]], issues: list[Issue]
) -> tuple[list[PageAnnotation], dict[str, tuple[int, int]]]:
    """Checked pages of every task; also (checked, total) page counts per PDF."""
    pages: list[PageAnnotation] = []
    counts: dict[str, list[int]] = {}
    for task in tasks:
        data = task.get("data") or {}
        if not data.get("pdf"):
            continue
        pdf = str(data["pdf"])
        count = counts.setdefault(pdf, [0, 0])
        count[1] += 1
        annotation = chosen_annotation(task)
        if annotation is None:
            continue
        count[0] += 1
        pages.append(_page_annotation(task, annotation, issues))
    return pages, {pdf: (c[0], c[1]) for pdf, c in counts.items()}


# ------------------------------------------------------------------ boreholes


def _owner(box: Box, names: Sequence[Region]) -> int:
    """Index of the name whose column ``box`` shares (most overlap, else nearest centre)."""
    return max(
        range(len(names)),
        key=lambda i: (names[i].box.overlaps_x(box), -abs(names[i].box.center_x - box.center_x)),
    )


def _owner_of(region: Region, names: Sequence[Region], owners: Sequence[_Borehole]) -> _Borehole:
    return owners[_owner(region.box, names)] if len(owners) > 1 else owners[0]


def _layer(
    page: PageAnnotation,
    region: Region,
    depth: Region | None,
    issues: list[Issue],
) -> dict[str, Any]:
    interval = DepthInterval(None, None)
    if depth is None:
        issues.append(
            Issue(
                page.task,
                page.file,
                page.page,
                "description not related to a depth interval (exported without depths)",
                region.id,
                region.label,
                region.text,
            )
        )
    else:
        parsed = parse_depth_text(depth.text)
        if parsed is None:
            issues.append(
                Issue(
                    page.task,
                    page.file,
                    page.page,
                    "depth interval cannot be parsed (layer exported without depths)",
                    depth.id,
                    depth.label,
                    depth.text,
                )
            )
        else:
            interval = parsed
    return {
        "depth_interval": {
            "start": None if interval.start is None else _clean_number(interval.start),
            "end": None if interval.end is None else _clean_number(interval.end),
        },
        "material_description": region.text,
        "page": page.page,
        "material_description_box_percent": region.box.as_list(),
        "depth_box_percent": depth.box.as_list() if depth is not None else None,
        "task": page.task,
    }


def _related_depths(
    page: PageAnnotation, issues: list[Issue]
) -> tuple[dict[str, Region], set[str]]:
    """Description id -> its depth region (relations in either direction); used depth ids."""
    by_id = {r.id: r for r in page.regions}
    pairs: dict[str, Region] = {}
    used: set[str] = set()
    for a, b in page.relations:
        first, second = by_id.get(a), by_id.get(b)
        if first is None or second is None:
            continue
        kinds = {first.label, second.label}
        if kinds != {MATERIAL_DESCRIPTION, DEPTH_INTERVAL}:
            continue
        desc, depth = (first, second) if first.label == MATERIAL_DESCRIPTION else (second, first)
        if desc.id in pairs and pairs[desc.id].id != depth.id:
            issues.append(
                Issue(
                    page.task,
                    page.file,
                    page.page,
                    "description related to more than one depth interval (the first is used)",
                    desc.id,
                    desc.label,
                    desc.text,
                )
            )
            continue
        pairs[desc.id] = depth
        used.add(depth.id)
    return pairs, used


def _name_key(text: str) -> str:
    return " ".join(text.lower().split())


def build_export(tasks: Iterable[Mapping[str, Any]], *, include_partial: bool = False) -> Export:
    """The boreholes of every fully checked PDF (or every PDF with ``include_partial``)."""
    issues: list[Issue] = []
    pages, counts = pages_from_tasks(tasks, issues)
    partial = {pdf_file_name(pdf): c for pdf, c in counts.items() if c[0] and c[0] < c[1]}
    by_pdf: dict[str, list[PageAnnotation]] = {}
    for page in pages:
        checked, total = counts[page.pdf]
        if checked < total and not include_partial:
            continue
        by_pdf.setdefault(page.pdf, []).append(page)

    files: dict[str, list[dict[str, Any]]] = {}
    sources: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for pdf, doc_pages in sorted(by_pdf.items()):
        file = pdf_file_name(pdf)
        if file in files:  # two folders hold a PDF of the same name
            file = pdf_folder_name(pdf)
        boreholes = _document_boreholes(sorted(doc_pages, key=lambda p: p.page), issues)
        entries = [_borehole_entry(i, b) for i, b in enumerate(boreholes)]
        files[file] = entries
        sources[file] = pdf
        for entry, hole in zip(entries, boreholes, strict=True):
            for index, layer in enumerate(entry["layers"]):
                rows.append(
                    {
                        "file": file,
                        "borehole_index": entry["borehole_index"],
                        "borehole_name": hole.name or "",
                        "layer_index": index,
                        "depth_start": layer["depth_interval"]["start"],
                        "depth_end": layer["depth_interval"]["end"],
                        "material_description": layer["material_description"],
                        "page": layer["page"],
                        "task": layer["task"],
                    }
                )
    return Export(files, rows, issues, partial, sources)


def _document_boreholes(pages: Sequence[PageAnnotation], issues: list[Issue]) -> list[_Borehole]:
    boreholes: list[_Borehole] = []
    by_name: dict[str, _Borehole] = {}
    current: _Borehole | None = None
    for page in pages:
        names = [r for r in page.regions if r.label == BOREHOLE_NAME and r.text]
        owners: list[_Borehole] = []
        for name in names:
            key = _name_key(name.text)
            if key not in by_name:
                if current is not None and current.name is None and not boreholes[1:]:
                    current.name = name.text  # the borehole so far had no name yet
                    by_name[key] = current
                else:
                    by_name[key] = _Borehole(name.text)
                    boreholes.append(by_name[key])
            owners.append(by_name[key])
        if not owners:
            if current is None:
                current = _Borehole(None)
                boreholes.append(current)
            owners = [current]
        current = owners[-1]

        pairs, used = _related_depths(page, issues)
        for region in page.regions:
            if region.label == MATERIAL_DESCRIPTION:
                if not region.text:
                    issues.append(
                        Issue(
                            page.task,
                            page.file,
                            page.page,
                            "description without text (left out)",
                            region.id,
                            region.label,
                        )
                    )
                    continue
                _owner_of(region, names, owners).layers.append(
                    _layer(page, region, pairs.get(region.id), issues)
                )
            elif region.label == DEPTH_INTERVAL and region.id not in used:
                issues.append(
                    Issue(
                        page.task,
                        page.file,
                        page.page,
                        "depth interval not related to a description (left out)",
                        region.id,
                        region.label,
                        region.text,
                    )
                )
            elif region.label in (COORDINATES, ELEVATION, GROUNDWATER):
                _metadata(page, region, _owner_of(region, names, owners), issues)
    return boreholes


def _metadata(page: PageAnnotation, region: Region, hole: _Borehole, issues: list[Issue]) -> None:
    problem = None
    if region.label == COORDINATES:
        coords = parse_coordinates(region.text)
        if coords is None:
            problem = "coordinates cannot be parsed (two numbers expected)"
        elif hole.coordinates is not None and hole.coordinates != coords:
            problem = "second, different coordinates for the borehole (the first are kept)"
        else:
            hole.coordinates = coords
    elif region.label == ELEVATION:
        value = parse_elevation(region.text)
        if value is None:
            problem = "elevation cannot be parsed (one number expected)"
        elif hole.elevation is not None and hole.elevation != value:
            problem = "second, different elevation for the borehole (the first is kept)"
        else:
            hole.elevation = value
    else:
        water = parse_groundwater(region.text)
        if water is None:
            problem = "groundwater cannot be parsed (a depth or an elevation expected)"
        else:
            hole.groundwater.append(water)
    if problem:
        issues.append(
            Issue(page.task, page.file, page.page, problem, region.id, region.label, region.text)
        )


def _borehole_entry(index: int, hole: _Borehole) -> dict[str, Any]:
    return {
        "borehole_index": index,
        "layers": hole.layers,
        "metadata": {
            "coordinates": hole.coordinates,
            "reference_elevation": hole.elevation,
            "original_name": hole.name,
            "drilling_date": None,
            "total_depth": None,
        },
        "groundwater": hole.groundwater,
    }
