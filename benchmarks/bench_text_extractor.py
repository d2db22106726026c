"""Benchmark of the text extractor: boxes an annotator draws, answered through the app.

Cases come from the hand-made truth of ``../shared/benchmark`` (``ground_truth.json`` in
``pdfs/`` and ``international/``):

- every truth description, as a box in three shapes: ``tight`` on the ink; ``loose`` (1.5
  line heights of margin left and right, 0.3 above and below); ``hurried`` (reaching 0.6
  line height above and below into the neighbouring lines, 0.3 left and right);
- value boxes: every printed depth value pair / value of the truth (``depth_rects``),
  the reference elevation, the coordinates and the groundwater readings, each boxed with
  the words of its phrase on its line.

Where the truth has no box (the international set) the box is found by locating the truth
text in the page's words (text layer, or a 300 dpi Tesseract reading of a page that has
none): benchmark scaffolding, not product code.

Every box is sent as an interactive ``/predict`` request shaped as Label Studio 1.23 sends
it, to the app with local storage holding 150 dpi page PNGs, once with the PDF beside them
(``text_layer`` source) and once without (``image_only``: OCR). Reported: mean character
error rate per shape and source (Levenshtein distance / truth length after lower-casing and
dropping punctuation), latency p50 (text-layer boxes; OCR boxes with the page already read;
the first box of each page), and the share of value boxes whose parsed answer equals the
truth.

    .venv/bin/python benchmarks/bench_text_extractor.py [--benchmark DIR] [--verbose]
        [--files A7367.pdf,...] [--sources text_layer,image_only] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import fitz
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from stratigraphy.geometry import BBox, rotate_bbox, rotated_size, union_all

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BENCHMARK = REPO.parent / "shared" / "benchmark"
DPI = 150
LOCATE_DPI = 300
SHAPES = ("tight", "loose", "hurried")
SOURCES = ("text_layer", "image_only")
VALUE_LABELS = ("Depth Interval", "Elevation", "Coordinates", "Groundwater")


# -- text measures -------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def cer(predicted: str, truth: str) -> float:
    p, t = normalise(predicted), normalise(truth)
    return Levenshtein.distance(p, t) / max(1, len(t))


# -- the page words the boxes are located with -----------------------------------------------


@dataclass(frozen=True)
class Word:
    box: BBox  # displayed page frame, points
    text: str


@dataclass
class PageFrame:
    width: float  # displayed size in points
    height: float
    words: list[Word]  # in stream (reading) order


def page_frame(page: fitz.Page) -> PageFrame:
    """The page's words in the displayed frame; a 300 dpi OCR reading when it has no layer."""
    r = page.rect
    uw, uh = (r.height, r.width) if page.rotation in (90, 270) else (r.width, r.height)
    dw, dh = rotated_size(uw, uh, page.rotation)
    words = [
        Word(rotate_bbox(BBox(x0, y0, x1, y1), uw, uh, page.rotation), str(text))
        for x0, y0, x1, y1, text, *_ in page.get_text("words", sort=False)
        if x1 > x0 and y1 > y0 and str(text).strip()
    ]
    if not words:
        from PIL import Image

        from stratigraphy.ocr.tesseract import image_to_words

        pix = page.get_pixmap(dpi=LOCATE_DPI, colorspace=fitz.csGRAY, alpha=False)
        image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
        scale = 72.0 / LOCATE_DPI
        words = [
            Word(
                BBox(w.bbox.x0 * scale, w.bbox.y0 * scale, w.bbox.x1 * scale, w.bbox.y1 * scale),
                w.text,
            )
            for w in image_to_words(image, languages="eng", psm=3, timeout=300)
            if w.text.strip() and w.conf > 0
        ]
    return PageFrame(dw, dh, words)


def median_height(words: list[Word], default: float = 9.0) -> float:
    heights = [w.box.height for w in words]
    return statistics.median(heights) if heights else default


def words_in(frame: PageFrame, box: BBox) -> list[Word]:
    return [w for w in frame.words if box.contains_point(w.box.cx, w.box.cy)]


def locate_text(frame: PageFrame, truth: str) -> tuple[list[Word], float]:
    """The contiguous run of page words (stream order) whose text best matches ``truth``."""
    target = normalise(truth)
    n = len(truth.split())
    texts = [normalise(w.text) for w in frame.words]
    best: tuple[float, int, int] = (0.0, 0, 0)
    for i in range(len(texts)):
        if not texts[i] or not target.startswith(texts[i][:2]):
            continue
        for j in range(max(i + 1, i + n - 4), min(len(texts), i + n + 4) + 1):
            score = fuzz.ratio(" ".join(t for t in texts[i:j] if t), target)
            if score > best[0]:
                best = (score, i, j)
    score, i, j = best
    return frame.words[i:j], score / 100


def line_of(frame: PageFrame, word: Word) -> list[Word]:
    """Words on the same text line as ``word``, left to right."""
    same = [
        w
        for w in frame.words
        if w.box.vertical_overlap(word.box) > 0.5 * min(w.box.height, word.box.height)
    ]
    return sorted(same, key=lambda w: w.box.x0)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def value_digits(value: float) -> str:
    """Digits of a printed value: 2.65 -> '265', 607562.0 -> '607562', 187087.5 -> '1870875'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", "")


def find_value_runs(frame: PageFrame, value: float) -> list[list[Word]]:
    """Runs of up to 4 words on one line whose digits spell ``value`` (with trailing zeros)."""
    wanted = value_digits(value)
    runs: list[list[Word]] = []
    for start in frame.words:
        if not digits(start.text):
            continue
        line = line_of(frame, start)
        k = line.index(start)
        for j in range(k + 1, min(len(line), k + 4) + 1):
            got = digits(" ".join(w.text for w in line[k:j]))
            if got.rstrip("0") == wanted.rstrip("0") and got.startswith(wanted):
                if digits(line[k].text) and (j == k + 1 or digits(line[j - 1].text)):
                    runs.append(line[k:j])
                break
            if not got.startswith(wanted[: len(got)]):
                break
    return runs


def phrase_around(frame: PageFrame, run: list[Word], before: int, after: int) -> list[Word]:
    """``run`` with up to ``before``/``after`` neighbouring words of its line (no wide gaps)."""
    line = line_of(frame, run[0])
    lh = median_height(run)
    i, j = line.index(run[0]), line.index(run[-1])
    while before and i > 0 and run[0].box.x0 - line[i - 1].box.x1 < 1.5 * lh:
        i, before = i - 1, before - 1
        run = [line[i], *run]
    while after and j + 1 < len(line) and line[j + 1].box.x0 - run[-1].box.x1 < 1.5 * lh:
        j, after = j + 1, after - 1
        run = [*run, line[j]]
    return run


# -- cases -----------------------------------------------------------------------------------


@dataclass
class Case:
    file: str  # path relative to the benchmark directory
    page: int  # 0-based
    label: str
    box: BBox  # displayed frame, points, tight on the ink
    line_height: float
    truth: dict[str, Any]  # description text, or the expected values
    shape: str = "tight"


@dataclass
class Located:
    cases: list[Case] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)  # (file, page) -> size


def _rect_to_display(page: fitz.Page, rect: list[float]) -> BBox:
    r = page.rect
    uw, uh = (r.height, r.width) if page.rotation in (90, 270) else (r.width, r.height)
    return rotate_bbox(BBox.from_points(*rect), uw, uh, page.rotation)


def _miss(found: Located, what: str) -> None:
    found.missing[what] = found.missing.get(what, 0) + 1


def locate_cases(benchmark: Path, files: set[str] | None) -> Located:
    found = Located()
    for sub in ("pdfs", "international/pdfs"):
        truth_path = benchmark / sub / ".." / "ground_truth.json"
        truth = json.loads(truth_path.resolve().read_text("utf-8"))
        for name, boreholes in truth.items():
            if files and name not in files:
                continue
            rel = f"{sub}/{name}"
            doc = fitz.open(benchmark / rel)
            frames: dict[int, PageFrame] = {}

            def frame(index: int, doc: fitz.Document = doc, frames: dict = frames) -> PageFrame:
                if index not in frames:
                    frames[index] = page_frame(doc[index])
                return frames[index]

            for borehole in boreholes:
                _description_cases(found, rel, doc, frame, borehole)
                _value_cases(found, rel, doc, frame, borehole)
            for index, fr in frames.items():
                found.sizes[f"{rel}:{index}"] = (fr.width, fr.height)
            doc.close()
    return found


def _description_cases(found: Located, rel: str, doc: fitz.Document, frame, borehole) -> None:
    for layer in borehole["layers"]:
        index = int(layer["page"]) - 1
        fr = frame(index)
        text = layer["material_description"]
        if "material_description_rect" in layer:
            box = _rect_to_display(doc[index], layer["material_description_rect"])
            inside = words_in(fr, box)
        else:
            inside, score = locate_text(fr, text)
            box = union_all(w.box for w in inside) if inside else BBox(0, 0, 0, 0)
            # a run of words in stream order that is not one block on the page (a text that
            # crosses a sheet, or matched pieces far apart) gives no box
            if score < 0.8 or not inside or len(words_in(fr, box)) > 1.2 * len(inside) + 2:
                _miss(found, "Material Description")
                continue
        found.cases.append(
            Case(rel, index, "Material Description", box, median_height(inside), {"text": text})
        )


def _value_cases(found: Located, rel: str, doc: fitz.Document, frame, borehole) -> None:
    # depth values: the printed boxes of the truth (pairs as one box, single values alone)
    singles: dict[tuple[int, tuple[float, ...]], set[float]] = {}
    for layer in borehole["layers"]:
        rects = layer.get("depth_rects") or []
        pages = layer.get("depth_rects_pages") or [layer["page"]] * len(rects)
        start, end = layer["depth_interval"]["start"], layer["depth_interval"]["end"]
        boxes = [
            (int(p) - 1, _rect_to_display(doc[int(p) - 1], r))
            for p, r in zip(pages, rects, strict=False)
        ]
        if len(boxes) == 2 and boxes[0][0] == boxes[1][0]:
            (index, a), (_, b) = boxes
            lh = median_height(words_in(frame(index), a.union(b)), min(a.height, b.height))
            gap = max(b.y0 - a.y1, a.y0 - b.y1, b.x0 - a.x1, a.x0 - b.x1)
            if gap < 2.0 * lh:
                found.cases.append(
                    Case(rel, index, "Depth Interval", a.union(b), lh, {"start": start, "end": end})
                )
                continue
        for index, box in boxes:
            key = (index, tuple(round(v, 1) for v in box.as_list()))
            singles.setdefault(key, set()).update(v for v in (start, end) if v is not None)
    for (index, coords), values in singles.items():
        box = BBox(*coords)
        lh = median_height(words_in(frame(index), box), box.height)
        found.cases.append(Case(rel, index, "Depth Interval", box, lh, {"one_of": sorted(values)}))

    meta = borehole["metadata"]
    pages = sorted({int(layer["page"]) - 1 for layer in borehole["layers"]}) or [0]
    if meta.get("reference_elevation") is not None:
        value = float(meta["reference_elevation"])
        run = _first_run(frame, pages, value)
        if run is None:
            _miss(found, "Elevation")
        else:
            index, words = run
            words = phrase_around(frame(index), words, 0, 3)
            box = union_all(w.box for w in words)
            found.cases.append(
                Case(rel, index, "Elevation", box, median_height(words), {"value": value})
            )
    if meta.get("coordinates"):
        east, north = float(meta["coordinates"]["E"]), float(meta["coordinates"]["N"])
        run_e, run_n = _first_run(frame, pages, east), _first_run(frame, pages, north)
        if run_e is None or run_n is None or run_e[0] != run_n[0]:
            _miss(found, "Coordinates")
        else:
            index = run_e[0]
            words = run_e[1] + run_n[1]
            box = union_all(w.box for w in words)
            lh = median_height(words)
            if box.height > 4 * lh or box.width > 60 * lh:
                _miss(found, "Coordinates")
            else:
                found.cases.append(
                    Case(rel, index, "Coordinates", box, lh, {"east": east, "north": north})
                )
    for water in borehole.get("groundwater") or []:
        if water.get("depth") is None:
            continue
        case = _water_case(rel, frame, pages, water)
        if case is None:
            _miss(found, "Groundwater")
        else:
            found.cases.append(case)


def _first_run(frame, pages: list[int], value: float) -> tuple[int, list[Word]] | None:
    for index in pages:
        runs = find_value_runs(frame(index), value)
        if runs:
            return index, runs[0]
    return None


_WATER = re.compile(r"water|wasser|\bgw\b|nappe|falda|eau|▽|∇", re.IGNORECASE)


def _water_case(rel: str, frame, pages: list[int], water: dict[str, Any]) -> Case | None:
    """A box over a groundwater reading: a depth on a line that names the water."""
    from stratigraphy.metadata.dates import find_dates

    depth = float(water["depth"])
    for index in pages:
        fr = frame(index)
        for run in find_value_runs(fr, depth):
            line = line_of(fr, run[0])
            if not _WATER.search(" ".join(w.text for w in line)):
                continue
            words = phrase_around(fr, run, 4, 2)
            text = " ".join(w.text for w in words)
            dates = {d.iso for d in find_dates(text)}
            truth: dict[str, Any] = {"depth": depth}
            truth["date"] = water.get("date") if water.get("date") in dates else None
            box = union_all(w.box for w in words)
            return Case(rel, index, "Groundwater", box, median_height(words), truth)
    for index in pages:  # a field label drawn as outlines: '4.80m', the page's only value
        runs = [r for r in find_value_runs(frame(index), depth) if r[-1].text.endswith("m")]
        if runs and len({" ".join(w.text for w in r) for r in runs}) == 1:
            box = union_all(w.box for w in runs[0])
            truth = {"depth": depth, "date": None}
            return Case(rel, index, "Groundwater", box, median_height(runs[0]), truth)
    return None


def shaped(case: Case, shape: str) -> BBox:
    """The box an annotator draws: tight, loose or hurried (see the module docstring)."""
    lh = case.line_height
    b = case.box
    if case.label != "Material Description":
        return b.expand(0.3 * lh, 0.2 * lh)  # value boxes: drawn around the phrase
    if shape == "loose":
        return BBox(b.x0 - 1.5 * lh, b.y0 - 0.3 * lh, b.x1 + 1.5 * lh, b.y1 + 0.3 * lh)
    if shape == "hurried":
        return BBox(b.x0 - 0.3 * lh, b.y0 - 0.6 * lh, b.x1 + 0.3 * lh, b.y1 + 0.6 * lh)
    return b


# -- scoring of value answers ----------------------------------------------------------------


def _num(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def value_right(label: str, answer: str, truth: dict[str, Any]) -> bool:
    """True when the answer string holds exactly the truth's values in the label's format."""
    close = lambda a, b, tol=0.005: a is not None and b is not None and abs(a - b) <= tol  # noqa: E731
    answer = answer.strip()
    if label == "Depth Interval":
        m = re.fullmatch(r"start: (\S*) end: ?(\S*)", answer)
        if not m:
            return False
        start, end = _num(m[1]) if m[1] else None, _num(m[2]) if m[2] else None
        if "one_of" in truth:
            return end is None and any(close(start, v) for v in truth["one_of"])
        same = lambda a, b: (a is None and b is None) or close(a, b)  # noqa: E731
        return same(start, truth["start"]) and same(end, truth["end"])
    if label == "Elevation":
        return close(_num(answer), truth["value"], 0.05)
    if label == "Coordinates":
        m = re.fullmatch(r"(\S+) / (\S+)", answer)
        return (
            bool(m) and close(_num(m[1]), truth["east"], 1) and close(_num(m[2]), truth["north"], 1)
        )
    if label == "Groundwater":
        m = re.fullmatch(r"(\d+(?:\.\d+)?) m(?:, (\d{4}-\d{2}-\d{2}))?(?:, .*)?", answer)
        if not m or not close(_num(m[1]), truth["depth"], 0.05):
            return False
        return truth["date"] is None or m[2] == truth["date"]
    return False


# -- the app ---------------------------------------------------------------------------------


@dataclass
class Answer:
    case: Case
    source: str
    text: str
    ms: float
    first_of_page: bool
    score: float


def _request(case: Case, box: BBox, size: tuple[float, float], image: str) -> dict[str, Any]:
    width, height = size
    x0, y0 = max(0.0, box.x0), max(0.0, box.y0)
    x1, y1 = min(width, box.x1), min(height, box.y1)
    region = {
        "id": "bench1",
        "from_name": "label",
        "to_name": "image",
        "type": "rectanglelabels",
        "origin": "manual",
        "image_rotation": 0,
        "value": {
            "x": x0 / width * 100,
            "y": y0 / height * 100,
            "width": (x1 - x0) / width * 100,
            "height": (y1 - y0) / height * 100,
            "rotation": 0,
            "rectanglelabels": [case.label],
        },
    }
    config = (REPO / "data" / "label_config.xml").read_text("utf-8")
    return {
        "tasks": [{"id": 1, "data": {"image": image}}],
        "project": "1.1",
        "label_config": config,
        "params": {"login": None, "password": None, "context": {"result": [region]}},
    }


def _stem(rel: str) -> str:
    return Path(rel).stem


def run_app(
    benchmark: Path, found: Located, sources: tuple[str, ...], verbose: bool
) -> list[Answer]:
    from label_studio_ml.app import create_app
    from label_studio_ml.settings import SDKSettings
    from label_studio_ml.storage.settings import StorageSettings
    from text_extractor.model import TextExtractorModel
    from text_extractor.services import Services
    from text_extractor.settings import TextExtractorSettings

    answers: list[Answer] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for rel in sorted({c.file for c in found.cases}):
            doc = fitz.open(benchmark / rel)
            for source in sources:
                (data / "png" / source).mkdir(parents=True, exist_ok=True)
                for index in range(doc.page_count):
                    png = doc[index].get_pixmap(dpi=DPI).tobytes("png")
                    (data / "png" / source / f"{_stem(rel)}_{index}.png").write_bytes(png)
            (data / "pdf" / "text_layer").mkdir(parents=True, exist_ok=True)
            (data / "pdf" / "text_layer" / f"{_stem(rel)}.pdf").write_bytes(
                (benchmark / rel).read_bytes()
            )
            doc.close()
        services = Services.build(
            TextExtractorSettings.from_env(), StorageSettings(storage="local", data_dir=data)
        )
        sdk = SDKSettings(model_dir=Path(tmp) / "models", log_level="WARNING")
        client = create_app(TextExtractorModel, services=services, settings=sdk).test_client()
        _warm_up(client, data)
        pages = sorted({(c.file, c.page) for c in found.cases})
        for source in sources:
            for rel, index in pages:
                on_page = [c for c in found.cases if (c.file, c.page) == (rel, index)]
                image = f"png/{source}/{_stem(rel)}_{index}.png"
                first = True
                for case in _expand_shapes(on_page):
                    body = _request(
                        case, shaped(case, case.shape), found.sizes[f"{rel}:{index}"], image
                    )
                    t0 = time.perf_counter()
                    response = client.post("/predict", json=body)
                    ms = (time.perf_counter() - t0) * 1000
                    if response.status_code != 200:
                        raise RuntimeError(
                            f"/predict {response.status_code}: {response.get_json()}"
                        )
                    result = response.get_json()["results"][0]
                    text = str(result["result"][0]["value"]["text"][0])
                    answer = Answer(case, source, text, ms, first, float(result.get("score", 0)))
                    answers.append(answer)
                    first = False
                    if verbose:
                        _print_bad(answer)
    return answers


def _expand_shapes(cases: list[Case]) -> Iterator[Case]:
    for case in cases:
        if case.label == "Material Description":
            for shape in SHAPES:
                yield Case(**{**asdict(case), "box": case.box, "shape": shape})
        else:
            yield case


def _warm_up(client: Any, data: Path) -> None:
    """One request on a throw-away page so that imports and lexicon are not timed."""
    doc = fitz.open()
    page = doc.new_page(width=200, height=100)
    page.insert_text((10, 50), "Kies, sandig", fontsize=12)
    (data / "png" / "warm").mkdir(parents=True, exist_ok=True)
    (data / "png" / "warm" / "w_0.png").write_bytes(page.get_pixmap(dpi=DPI).tobytes("png"))
    doc.close()
    case = Case("w", 0, "Material Description", BBox(0, 0, 200, 100), 12, {})
    client.post("/predict", json=_request(case, case.box, (200, 100), "png/warm/w_0.png"))


def _print_bad(a: Answer) -> None:
    c = a.case
    if c.label == "Material Description":
        error = cer(a.text, c.truth["text"])
        if error > 0.02:
            print(
                f"{a.source:10} {c.shape:7} {Path(c.file).name[:14]:14} p{c.page} "
                f"cer={error:.3f} {a.text!r}\n{'':36}truth {c.truth['text']!r}",
                file=sys.stderr,
            )
    elif not value_right(c.label, a.text, c.truth):
        print(
            f"{a.source:10} {c.label:14} {Path(c.file).name[:14]:14} p{c.page} "
            f"{a.text!r} truth {c.truth}",
            file=sys.stderr,
        )


# -- summary ---------------------------------------------------------------------------------


def _p50(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def summarise(answers: list[Answer], found: Located) -> dict[str, Any]:
    out: dict[str, Any] = {}
    desc = [a for a in answers if a.case.label == "Material Description"]
    out["description_boxes"] = len({(a.case.file, a.case.page, a.case.box) for a in desc})
    cer_table: dict[str, dict[str, float]] = {}
    for source in SOURCES:
        for shape in SHAPES:
            sel = [
                cer(a.text, a.case.truth["text"])
                for a in desc
                if (a.source, a.case.shape) == (source, shape)
            ]
            if sel:
                cer_table.setdefault(source, {})[shape] = round(statistics.fmean(sel), 4)
                over = sum(v > 0.1 for v in sel)
                cer_table[source][f"{shape}_over_10pct"] = over
    out["mean_cer"] = cer_table
    per_file: dict[str, dict[str, float]] = {}
    for a in desc:
        key = f"{a.source}/{a.case.shape}"
        per_file.setdefault(Path(a.case.file).name, {}).setdefault(key, 0.0)
    for name in per_file:
        for key in per_file[name]:
            source, shape = key.split("/")
            sel = [
                cer(a.text, a.case.truth["text"])
                for a in desc
                if Path(a.case.file).name == name and (a.source, a.case.shape) == (source, shape)
            ]
            per_file[name][key] = round(statistics.fmean(sel), 4)
    out["mean_cer_per_file"] = per_file
    layer_ms = [
        a.ms for a in answers if a.source == "text_layer" and a.score >= 1.0 and not a.first_of_page
    ]
    ocr_warm = [a.ms for a in answers if a.source == "image_only" and not a.first_of_page]
    first = [a.ms for a in answers if a.source == "image_only" and a.first_of_page]
    first_layer = [a.ms for a in answers if a.source == "text_layer" and a.first_of_page]
    out["latency_ms"] = {
        "text_layer_box_p50": _p50(layer_ms),
        "text_layer_boxes": len(layer_ms),
        "ocr_box_warm_p50": _p50(ocr_warm),
        "ocr_box_warm_max": round(max(ocr_warm), 1) if ocr_warm else None,
        "first_box_of_page_p50": _p50(first),
        "first_box_of_page_max": round(max(first), 1) if first else None,
        "first_box_text_layer_source_p50": _p50(first_layer),
    }
    values: dict[str, dict[str, Any]] = {}
    for source in SOURCES:
        for label in VALUE_LABELS:
            sel = [a for a in answers if a.source == source and a.case.label == label]
            if sel:
                right = sum(value_right(label, a.text, a.case.truth) for a in sel)
                values.setdefault(source, {})[label] = f"{right}/{len(sel)}"
        sel = [a for a in answers if a.source == source and a.case.label in VALUE_LABELS]
        if sel:
            right = sum(value_right(a.case.label, a.text, a.case.truth) for a in sel)
            values[source]["share_right"] = round(right / len(sel), 4)
    out["values_parsed_right"] = values
    out["not_located"] = found.missing
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument("--files", default="", help="comma-separated PDF names (default: all)")
    parser.add_argument("--sources", default=",".join(SOURCES))
    parser.add_argument("--json", type=Path, help="write every answer to this file")
    parser.add_argument("--verbose", action="store_true", help="print every box read wrong")
    args = parser.parse_args(argv)
    if not (args.benchmark / "ground_truth.json").is_file():
        print(f"no benchmark at {args.benchmark}", file=sys.stderr)
        return 2
    files = {f for f in args.files.split(",") if f} or None
    sources = tuple(s for s in args.sources.split(",") if s in SOURCES)
    found = locate_cases(args.benchmark, files)
    answers = run_app(args.benchmark, found, sources, args.verbose)
    summary = summarise(answers, found)
    if args.json:
        rows = [
            {
                "file": a.case.file,
                "page": a.case.page,
                "label": a.case.label,
                "shape": a.case.shape,
                "source": a.source,
                "answer": a.text,
                "truth": a.case.truth,
                "ms": round(a.ms, 1),
                "first_of_page": a.first_of_page,
            }
            for a in answers
        ]
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), "utf-8")
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
