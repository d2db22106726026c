"""Layer detection: from the words of the pages to the layers of each borehole.

The chain is pure: ``words_to_runs`` -> ``runs_to_entries`` -> ``entries_to_columns`` ->
``description_runs`` -> ``column_to_layers``, then :func:`detect_boreholes` links columns
into boreholes (several per page or document, a log continuing onto the next page).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from stratigraphy.depths import FEET_MARK, FOOT
from stratigraphy.geometry import BBox, rotate_bbox, rotated_size, union_all, unrotate_bbox
from stratigraphy.layers.build import (
    ColumnLayers,
    DraftLayer,
    column_to_layers,
    fit_depth_scale,
    surface_y,
)
from stratigraphy.layers.columns import (
    DepthColumn,
    absorb_broken_intervals,
    entries_to_columns,
    extend_with_trailing,
    insert_merged_values,
    mend_truncated_ends,
    pair_from_to_columns,
)
from stratigraphy.layers.confidence import (
    LayerEvidence,
    borehole_confidence,
    layer_confidence,
    looks_like_note,
    restarts,
)
from stratigraphy.layers.continuation import continue_open_layer
from stratigraphy.layers.descriptions import description_runs, material_score
from stratigraphy.layers.drawn import drawn_layers
from stratigraphy.layers.entries import EntryKind, layer_ident, runs_to_entries, trailing_entry
from stratigraphy.layers.identifiers import identified_layers
from stratigraphy.layers.runs import Run, words_to_runs
from stratigraphy.model import DepthInterval, Layer, PageContent, Segment, Word

__all__ = ["DetectedBorehole", "detect_boreholes", "page_columns"]


@dataclass(frozen=True, slots=True)
class DetectedBorehole:
    """The layers of one borehole and where on which pages it was found."""

    layers: tuple[Layer, ...]
    regions: tuple[tuple[int, BBox], ...]  # (page, box of depth column + descriptions)
    confidence: float | None = None  # of the layers as a whole, in [0, 1]
    warnings: tuple[str, ...] = ()


def page_columns(page: PageContent) -> list[ColumnLayers]:
    """Depth columns of one page with their layers, left to right then top to bottom."""
    runs = words_to_runs(page.words)
    entries = runs_to_entries(runs)
    columns = absorb_broken_intervals(entries_to_columns(entries), entries)
    columns = extend_with_trailing(
        columns, [e for r in runs if (e := trailing_entry(r)) is not None]
    )
    columns = mend_truncated_ends(pair_from_to_columns(columns))
    columns = insert_merged_values(columns, runs)
    columns = [
        c
        for c in columns
        if not _is_sample_table(c, runs) and not _is_interval_list(c) and not _is_loose_integers(c)
    ]
    columns = [c for c in columns if not _is_sub_notes(c, runs, columns)]
    columns = [_to_metres(c) if _in_feet(c, runs) else c for c in columns]
    columns.sort(key=lambda c: (c.bbox.x0, c.bbox.y0))
    results: list[ColumnLayers] = []
    for column in columns:
        right_limit = min(
            (
                other.bbox.x0
                for other in columns
                if other is not column
                and other.bbox.x0 > column.bbox.x1
                and other.bbox.vertical_overlap(column.bbox) > 0
                and len(other.entries) >= min(3, len(column.entries))
            ),
            default=None,
        )
        # a log stacked below (or above) bounds this column's descriptions
        below = min(
            (
                o.bbox.y0
                for o in columns
                if o is not column
                and o.bbox.y0 > column.bbox.y1
                and o.bbox.horizontal_overlap(column.bbox.expand(20, 0)) > 0
            ),
            default=None,
        )
        above = max(
            (
                o.bbox.y1
                for o in columns
                if o is not column
                and o.bbox.y1 < column.bbox.y0
                and o.bbox.horizontal_overlap(column.bbox.expand(20, 0)) > 0
            ),
            default=None,
        )
        pool = [
            r
            for r in runs
            if (below is None or r.bbox.cy < below - 0.3 * column.line_height)
            and (above is None or r.bbox.cy > above)
        ]
        built = identified_layers(_with_row_idents(column, runs), runs)
        if built is None:
            desc = description_runs(column, pool, right_limit)
            if not desc and not _rows_carry_text(column):
                continue
            built = column_to_layers(column, desc, page.segments)
        text = (
            " ".join(layer.text for layer in built.layers)
            + " "
            + " ".join(ln.text for ln in built.lines_above)
        )
        if not built.layers and not built.lines_above:
            continue
        if material_score(text) == 0:
            continue  # no material named anywhere: sample lists, test values, well construction
        if _is_well_construction(built):
            continue
        results.append(built)
    return _drop_nested(results)


def _with_row_idents(column: DepthColumn, runs: list[Run]) -> DepthColumn:
    """Give entries the layer identifier printed in a cell of their own left of the depth.

    In a table 'Schicht | von | bis' the '1)' stands apart from the depths of its row.
    """
    entries = list(column.entries)
    h = column.line_height
    found = 0
    for i, entry in enumerate(entries):
        if entry.ident:
            continue
        e = entry.bbox
        left = [
            r
            for r in runs
            if len(r.words) == 1
            and r.bbox.x1 <= e.x0
            and e.x0 - r.bbox.x1 < 20 * h
            and r.bbox.vertical_overlap(e) >= 0.5 * min(e.height, r.bbox.height)
        ]
        if left:
            ident = layer_ident(max(left, key=lambda r: r.bbox.x1).words[0])
            if ident is not None:
                entries[i] = replace(entry, ident=ident)
                found += 1
    return DepthColumn(tuple(entries)) if found >= max(2, 0.6 * len(entries)) else column


def _rows_carry_text(column: DepthColumn) -> bool:
    """Most entries print their description on their own row ('0.30 2.10 Firm brown CLAY')."""
    with_text = sum(
        1 for e in column.entries if any(len(w.text) >= 3 and w.text[0].isalpha() for w in e.rest)
    )
    return with_text >= max(2, 0.5 * len(column.entries))


_WELL_TERM = re.compile(
    r"(sperr?rohr|vollrohr|filterrohr|aufsatzrohr|sumpfrohr|schlitzrohr|filterstrecke|tonsperre|"
    r"tonabdichtung|filterkies|filtersand|bentonit|piezometer|peilrohr|messrohr|tube plein|"
    r"tube crépiné|tube crepine|crépine|massif filtrant|bouchon|cimentation|tubo cieco|"
    r"tubo fessurato|filter pack|casing|screen|grout|standpipe)",
    re.IGNORECASE,
)


_FEET_HEADING = re.compile(r"\bfeet\b|\bft\b|\(ft\)|\[ft\]|\bfoot\b", re.IGNORECASE)
_METRE_HEADING = re.compile(r"\(m\)|\[m\]|\bmetres?\b|\bmeters?\b|\bm\b", re.IGNORECASE)


FEET_WARNING = "depths printed in feet, converted to metres (1 ft = 0.3048 m)"


def _in_feet(column: DepthColumn, runs: list[Run]) -> bool:
    """A depth column printed in feet: most values carry a foot mark ('13.0\'', '13 ft'), or
    its heading says feet ('DEPTH (ft)', 'FEET') and not metres."""
    entries = column.entries
    marked = sum(1 for e in entries if FEET_MARK.search(" ".join(w.text for w in e.run.words[:3])))
    if marked >= max(1, 0.5 * len(entries)):
        return True
    h = column.line_height
    first = entries[0].bbox
    box = column.bbox.expand(h, 0)
    above = [
        r
        for r in runs
        if first.y0 - 3.5 * h <= r.bbox.cy < first.y0 and r.bbox.horizontal_overlap(box) > 0
    ]
    if not above:
        return False
    nearest = max(r.bbox.cy for r in above)  # the heading row right over the column
    heading = " ".join(r.text for r in above if nearest - r.bbox.cy <= 0.5 * h)
    return bool(_FEET_HEADING.search(heading)) and not _METRE_HEADING.search(heading)


def _to_metres(column: DepthColumn) -> DepthColumn:
    def metres(value: float | None) -> float | None:
        return None if value is None else round(value * FOOT, 3)

    return DepthColumn(
        tuple(replace(e, start=metres(e.start), end=metres(e.end)) for e in column.entries),
        in_feet=True,
    )


def _is_sub_notes(column: DepthColumn, runs: list[Run], columns: list[DepthColumn]) -> bool:
    """Depth-prefixed notes inside descriptions ('3 m: hard.', '12-12.15 m: fractured'), not
    a depth column: the rows go on with text and start flush with description lines that
    carry no depth, while a longer depth column beside them spans the same height."""
    entries = column.entries
    h = column.line_height
    if sum(1 for e in entries if any(w.text[:1].isalpha() for w in e.rest)) < 0.6 * len(entries):
        return False
    own = {id(e.run) for e in entries}
    x0 = sorted(e.bbox.x0 for e in entries)[len(entries) // 2]
    box = column.bbox
    flush = sum(
        1
        for r in runs
        if id(r) not in own
        and r.has_letters
        and abs(r.bbox.x0 - x0) <= 0.5 * h
        and box.y0 - 10 * h <= r.bbox.cy <= box.y1 + 10 * h
    )
    if flush < max(2, len(entries)):
        return False
    return any(
        other is not column
        and len(other.entries) > len(entries)
        and other.bbox.x1 <= box.x0
        and other.bbox.vertical_overlap(box) > 0
        for other in columns
    )


def _is_loose_integers(column: DepthColumn) -> bool:
    """Whole numbers only, and not spaced like a drawn log: page numbers of a table of
    contents, item numbers, counts. Depths printed without decimals come from logs drawn
    to scale, where their heights follow the values."""
    entries = column.entries
    if column.kind is not EntryKind.VALUE or any(e.decimals for e in entries) or len(entries) < 3:
        return False
    fit = fit_depth_scale(column)
    if fit is None:
        return True
    return fit.slope <= 0 or fit.residual > max(0.3 * fit.spacing, 0.6 * column.line_height)


def _is_interval_list(column: DepthColumn) -> bool:
    """Intervals that do not follow on from each other list samples or tests, not layers.

    The layers of a log are contiguous (each starts where the one above ends); sample and
    test depths ('1.00-1.45 SPT') leave gaps between most rows.
    """
    entries = column.entries
    if column.kind is not EntryKind.INTERVAL or len(entries) < 3:
        return False
    pairs = list(itertools.pairwise(entries))
    chained = sum(
        1
        for a, b in pairs
        if a.end is not None and b.start is not None and abs(a.end - b.start) < 0.005
    )
    return chained < 0.3 * len(pairs)


def _is_well_construction(built: ColumnLayers) -> bool:
    """A column whose rows mostly name parts of a well (filter tube, clay seal) is no log."""
    texts = [layer.text for layer in built.layers]
    return len(texts) >= 2 and sum(1 for t in texts if _WELL_TERM.search(t)) >= 0.5 * len(texts)


_SAMPLE_HEADING = re.compile(
    r"\b(proben?|probenahme|probenentnahme|échantillons?|echantillons?|prélèvements?|prise d|"
    r"campion[ei]|prelievi|samples?|sampling)\b",
    re.IGNORECASE,
)


_SAMPLE_ID = re.compile(
    r"^(p|pr|probe|e|ech|éch|c|camp|s|sample)\.?\s?\d{1,3}[a-z]?$", re.IGNORECASE
)


def _heading_over(column: DepthColumn, runs: list[Run]) -> str:
    """The heading of a column: the lettered lines nearest above its first value that lie over
    the column itself. A table's heading row is at its top, however many empty rows (a sheet
    that continues a log) come between it and the column's first value."""
    first = column.entries[0].bbox
    h = column.line_height
    box = column.bbox
    over = [
        r
        for r in runs
        if r.bbox.cy < first.y0 and r.has_letters and r.bbox.horizontal_overlap(box) > 0
    ]
    if not over:
        return ""
    nearest = max(r.bbox.cy for r in over)
    return " ".join(r.text for r in over if nearest - r.bbox.cy <= 3 * h)


def _is_sample_table(column: DepthColumn, runs: list[Run]) -> bool:
    """A column headed by a sample title ('Proben', 'Échantillons') lists samples, not layers."""
    first = column.entries[0].bbox
    h = column.line_height
    box = column.bbox.expand(2 * h, 0)
    for run in runs:
        r = run.bbox
        if (
            first.y0 - 5 * h <= r.cy < first.y0
            and (r.horizontal_overlap(box) > 0)
            and _SAMPLE_HEADING.search(run.text)
        ):
            return True
    if _SAMPLE_HEADING.search(_heading_over(column, runs)):
        return True
    # rows that start with a sample id left of the depth: 'P1 | 1.20 | ...'
    labelled = 0
    for entry in column.entries:
        e = entry.bbox
        left = [
            r
            for r in runs
            if r.bbox.x1 <= e.x0
            and e.x0 - r.bbox.x1 < 15 * h
            and r.bbox.vertical_overlap(e) >= 0.5 * e.height
        ]
        if left and _SAMPLE_ID.match(max(left, key=lambda r: r.bbox.x1).text):
            labelled += 1
    return labelled >= max(2, 0.6 * len(column.entries))


def _drop_nested(results: list[ColumnLayers]) -> list[ColumnLayers]:
    """Resolve columns competing for the same text; the column with more layers wins.

    A column whose values stand inside another column's descriptions, or whose
    descriptions are mostly another column's, is a distractor (well construction,
    samples, test values).
    """
    kept: list[ColumnLayers] = []
    used: set[int] = set()
    # more layers first; between equals, the column that leaves fewer of its intervals
    # without a description (a sample or test column beside the log leaves many)
    for r in sorted(results, key=lambda r: (-len(r.layers), len(r.column.entries) - len(r.layers))):
        box = r.column.bbox
        words = {id(w) for layer in r.layers for ln in layer.lines for w in ln.words}
        words |= {id(w) for ln in r.lines_above for w in ln.words}
        if words and len(words & used) >= 0.3 * len(words):
            continue
        inside = False
        for k in kept:
            desc = [ln.bbox for layer in k.layers for ln in layer.lines]
            if desc and union_all(desc).expand(5).intersection_area(box) >= 0.5 * box.area:
                inside = True
                break
        if not inside:
            kept.append(r)
            used |= words
    return sorted(kept, key=lambda r: (r.column.bbox.x0, r.column.bbox.y0))


def _first_value(column: DepthColumn) -> float:
    e = column.entries[0]
    return e.start if e.start is not None else e.value


def _last_value(layers: list[DraftLayer]) -> float | None:
    values = [v for layer in layers for v in (layer.start, layer.end) if v is not None]
    return max(values) if values else None


def detect_boreholes(pages: list[PageContent] | tuple[PageContent, ...]) -> list[DetectedBorehole]:
    """The boreholes of a document, in page order."""
    boreholes: list[tuple[list[DraftLayer], list[tuple[int, BBox]]]] = []
    previous_page_last: tuple[list[DraftLayer], list[tuple[int, BBox]]] | None = None
    frames = {page.number: page for page in pages}
    for page in pages:
        found = page_columns(upright(page))
        if not found and reading_rotation(page):
            # text that is upright in the stored frame although the page carries /Rotate
            found = page_columns(page)
            frames[page.number] = replace(page, rotation=0, text_rotation=0)
        this_page: list[tuple[list[DraftLayer], list[tuple[int, BBox]]]] = []
        if (
            not found
            and previous_page_last is not None
            and previous_page_last[0]
            and continue_open_layer(previous_page_last[0][-1], words_to_runs(upright(page).words))
        ):
            continue  # a sheet with no boundary of its own: the open layer runs through it
        if all(len(built.column.entries) < 3 for built in found):
            # no depth printed at the boundaries (two values are no depth column to trust):
            # rules read against the depth scale
            standing = upright(page)
            drawn = drawn_layers(standing, words_to_runs(standing.words))
            if drawn and len(drawn) > sum(len(built.layers) for built in found):
                found = []
                box = union_all(ln.bbox for d in drawn for ln in d.lines)
                bh_drawn = (drawn, [(page.number, box)])
                boreholes.append(bh_drawn)
                this_page.append(bh_drawn)
                frames[page.number] = page
        for n, built in enumerate(found):
            layers = list(built.layers)
            for draft in layers:
                draft.source = built
            above = built.lines_above
            first = _first_value(built.column)
            region = [(page.number, _region(built))]
            # the log goes on from the previous page, or from the column before it on this page
            # (a long log set in two columns)
            prev = previous_page_last if n == 0 else this_page[-1]
            prev_last = _last_value(prev[0]) if prev else None
            if (
                prev is not None
                and prev_last is not None
                and first >= prev_last - 1e-6
                and first > 0
                and not _starts_at_surface(built)
            ):
                # the log continues from the previous page
                prev_layers, prev_regions = prev
                if above and not material_score(" ".join(ln.text for ln in above)):
                    above = []  # form text over the sheet (headings, labels) describes no layer
                if not above and built.mode == "boundary":
                    tail = prev_layers[-1] if prev_layers else None
                    if tail is not None and tail.end is not None and first > tail.end:
                        # no layer starts at the foot of the sheet before: it was the
                        # sheet's bottom, and its layer runs on to this sheet's first boundary
                        tail.end = first
                        tail.depth_boxes = tail.depth_boxes[:-1] + [
                            (e.page, b) for e in built.column.entries[:1] for b in e.boxes
                        ]
                if above:
                    tail = prev_layers[-1] if prev_layers else None
                    if tail is not None and tail.end is None:
                        tail.lines.extend(above)
                        tail.end = first
                        tail.depth_boxes.extend(
                            (e.page, b) for e in built.column.entries[:1] for b in e.boxes
                        )
                    elif (
                        tail is not None and tail.end is not None and abs(tail.end - first) < 0.005
                    ):
                        tail.lines.extend(above)  # the rest of a row cut by the page break
                    elif (
                        tail is not None
                        and tail.end is not None
                        and first > tail.end
                        and _repeats_unit(tail.text, " ".join(ln.text for ln in above))
                    ):
                        # the sheet's foot value is no boundary: the next sheet names the same
                        # unit again at its top, so the layer crosses the break
                        tail.lines.extend(ln for ln in above if not _repeated(ln.text, tail.text))
                        tail.end = first
                        tail.depth_boxes = tail.depth_boxes[:-1] + [
                            (e.page, b) for e in built.column.entries[:1] for b in e.boxes
                        ]
                    elif first > prev_last:
                        prev_layers.append(
                            DraftLayer(
                                prev_last,
                                first,
                                list(above),
                                page.number,
                                [(e.page, b) for e in built.column.entries[:1] for b in e.boxes],
                                built,
                            )
                        )
                elif prev_layers and prev_layers[-1].end is None and built.mode == "boundary":
                    prev_layers[-1].end = first
                prev_layers.extend(layers)
                prev_regions.extend(region)
                this_page.append(prev)
                continue
            if above and built.mode == "boundary" and first > 0:
                start = 0.0
                entry = built.column.entries[0]
                layers.insert(
                    0,
                    DraftLayer(
                        start,
                        first,
                        list(above),
                        page.number,
                        [(entry.page, b) for b in entry.boxes],
                        built,
                    ),
                )
            bh = (layers, region)
            boreholes.append(bh)
            this_page.append(bh)
        previous_page_last = this_page[-1] if this_page else None
    return [_finish(layers, regions, frames) for layers, regions in boreholes if layers]


def _unit_head(text: str) -> str:
    """The unit name a description starts with: up to its first colon, else two words."""
    head = text.split(":", 1)[0] if ":" in text[:60] else " ".join(text.split()[:2])
    return " ".join(re.sub(r"[^\w()/-]+", " ", head.lower()).split())


def _repeats_unit(tail: str, top: str) -> bool:
    """The text at the top of a sheet names the unit of the layer left open at the foot of
    the sheet before ('SILTSTONE (HW-MW): ...' after '(HW-MW): low strength.')."""
    a, b = _unit_head(tail), _unit_head(top)
    return bool(a and b) and (a.endswith(b) or b.endswith(a))


def _repeated(line: str, text: str) -> bool:
    """A line that the sheet repeats from the layer's text (its unit name left aside)."""
    body = line.split(":", 1)[1] if ":" in line[:60] else line
    norm = " ".join(body.lower().split())
    return len(norm) >= 4 and norm in " ".join(text.lower().split())


def reading_rotation(page: PageContent) -> int:
    """The clockwise turn from the stored frame to the frame where the page's text reads
    left to right: its /Rotate plus the turn of a sideways scan or text layer."""
    return (page.rotation + page.text_rotation) % 360


def upright(page: PageContent) -> PageContent:
    """The page with its words in the reading frame, where text runs left to right."""
    r = reading_rotation(page)
    if r == 0:
        return page
    w, h = page.width, page.height
    words = tuple(replace(word, bbox=rotate_bbox(word.bbox, w, h, r)) for word in page.words)
    segments = []
    for s in page.segments:
        box = rotate_bbox(BBox.from_points(s.x0, s.y0, s.x1, s.y1), w, h, r)
        segments.append(Segment(box.x0, box.y0, box.x1, box.y1))
    dw, dh = rotated_size(w, h, r)
    return replace(
        page,
        words=words,
        segments=tuple(segments),
        width=dw,
        height=dh,
        rotation=0,
        text_rotation=0,
    )


def _to_page_frame(box: BBox, page: PageContent | None) -> BBox:
    if page is None or reading_rotation(page) == 0:
        return box
    return unrotate_bbox(box, page.width, page.height, reading_rotation(page))


def _starts_at_surface(built: ColumnLayers) -> bool:
    """A boundary log drawn to scale whose depth 0 lies on the page starts a new borehole."""
    if built.mode != "boundary":
        return False
    surface = surface_y(built.column)
    return surface is not None and surface >= 0


def _region(built: ColumnLayers) -> BBox:
    boxes = [built.column.bbox] + [ln.bbox for layer in built.layers for ln in layer.lines]
    boxes += [ln.bbox for ln in built.lines_above]
    return union_all(boxes)


def _finish(
    drafts: list[DraftLayer], regions: list[tuple[int, BBox]], frames: dict[int, PageContent]
) -> DetectedBorehole:
    layers: list[Layer] = []
    previous_end: float | None = 0.0
    for d in drafts:
        confidence = layer_confidence(_evidence(d, previous_end))
        previous_end = d.end
        lines_on_page = [ln for ln in d.lines if ln.words[0].page == d.page] or d.lines
        start, end = d.start, d.end
        if start is not None and end is not None and end < start:
            end = None
        layers.append(
            Layer(
                depth=DepthInterval(start, end),
                description=d.text,
                page=d.page,
                description_bbox=_to_page_frame(
                    union_all(ln.bbox for ln in lines_on_page), frames.get(d.page)
                ),
                depth_bboxes=tuple(_to_page_frame(box, frames.get(p)) for p, box in d.depth_boxes),
                depth_pages=tuple(p for p, _ in d.depth_boxes),
                confidence=confidence,
            )
        )
    feet = any(d.source is not None and d.source.column.in_feet for d in drafts)
    return DetectedBorehole(
        tuple(layers),
        tuple((p, _to_page_frame(box, frames.get(p))) for p, box in regions),
        borehole_confidence([layer.confidence for layer in layers if layer.confidence is not None]),
        (FEET_WARNING,) if feet else (),
    )


def _ocr_share(words: list[Word]) -> float | None:
    confs = [w.conf for w in words if w.conf is not None and w.conf >= 0]
    return sum(confs) / len(confs) / 100.0 if confs else None


def _evidence(draft: DraftLayer, previous_end: float | None) -> LayerEvidence:
    """The evidence for one layer: its own, and that of the depth column it came from."""
    words = [w for line in draft.lines for w in line.words]
    text = draft.text
    built = draft.source
    fill, misfit, depth_ocr, entries = 1.0, None, None, 0
    if built is not None:
        column = built.column
        entries = len(column.entries)
        expected = max(1, entries - (0 if column.kind is EntryKind.INTERVAL else 1))
        fill = min(1.0, len(built.layers) / expected)
        if built.mode == "boundary":
            fit = fit_depth_scale(column)
            if fit is not None and fit.spacing > 0:
                misfit = fit.residual / fit.spacing
        depth_words = [w for e in column.entries for w in e.run.words if w.conf is not None]
        confs = [w.conf for w in depth_words if w.conf is not None and w.conf >= 0]
        depth_ocr = min(confs) / 100.0 if confs else None
    return LayerEvidence(
        has_start=draft.start is not None,
        has_end=draft.end is not None,
        contiguous=previous_end is not None
        and draft.start is not None
        and abs(draft.start - previous_end) < 0.005,
        material_words=material_score(text),
        description_words=len(words),
        note_start=looks_like_note(text),
        depth_ocr=depth_ocr,
        text_ocr=_ocr_share(words),
        column_fill=fill,
        scale_misfit=misfit,
        column_entries=entries,
        restarts=restarts([line.text for line in draft.lines]),
    )
