"""Borehole metadata from page words: name, coordinates, elevation, date, total depth, groundwater.

:func:`extract_metadata` looks at phrases (see :mod:`.snippets`), alone and joined
with the phrase to their right or below (labels and values are often separate
columns), runs the field parsers on them and keeps the best-scored candidate of
each field. With a ``region`` (page and box of one borehole's log) candidates on
that page and close to the log win, so each borehole of a multi-borehole page
gets its own header.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from stratigraphy.geometry import BBox, rotate_bbox, unrotate_bbox
from stratigraphy.metadata import coordinates as coords
from stratigraphy.metadata import dates as dates_mod
from stratigraphy.metadata import elevation as elev
from stratigraphy.metadata import groundwater as gw
from stratigraphy.metadata import names
from stratigraphy.metadata.snippets import (
    Snippet,
    above_neighbour,
    below_neighbour,
    page_phrases,
    right_neighbour,
)
from stratigraphy.model import (
    BoreholeMetadata,
    Coordinates,
    Elevation,
    Groundwater,
    Located,
    PageContent,
)

__all__ = ["Region", "extract_metadata"]

Region = tuple[int, BBox]
"""A borehole's place: 1-based page number and the box of its log (unrotated PDF points)."""

MATERIAL_RE = re.compile(
    r"(?:kies|sand|silt|ton\b|lehm|humus|mergel|fels|moräne|auffüll|gravier|sable|limon|argile|remblai|"
    r"moraine|marne|ghiaia|sabbia|limo|argilla|gravel|clay|topsoil)",
    re.IGNORECASE,
)
DRILL_DATE_RE = re.compile(
    r"(?:bohrdatum|ausf[üu]hrungsdatum|ausgef[üu]hrt|bohrbeginn|begonnen|beginn|beendet|bohrende|"
    r"date\s+(?:du\s+|de\s+)?(?:forage|sondage)|ex[ée]cut[ée]|data\s+(?:di\s+)?(?:perforazione|esecuzione)|"
    r"drill(?:ing|ed)|date\s+drilled)",
    re.IGNORECASE,
)
GENERIC_DATE_RE = re.compile(r"\b(?:datum|date|data)\b", re.IGNORECASE)
TOTAL_LABEL = (
    r"(?:endtiefe|end-?teufe|bohrtiefe|gesamttiefe|totale?\s+tiefe|tiefe\s+total|profondeur\s+(?:finale|totale)|"
    r"prof\.\s*(?:finale|totale)|profondit[àa]\s+(?:finale|totale)|final\s+depth|total\s+depth|"
    r"fin\s+du\s+forage|end\s+of\s+(?:hole|borehole))"
)
TOTAL_DEPTH_RE = re.compile(
    TOTAL_LABEL + r"\D{0,25}?[-–]?\s?(\d{1,4}(?:[.,]\d{1,2})?)\s?m\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    score: float
    snippet: Snippet
    start: int
    end: int

    @property
    def bbox(self) -> BBox:
        return self.snippet.span_bbox(self.start, self.end)


_ANY_LABEL_RE = re.compile(
    "|".join(
        r.pattern
        for r in (coords.LABEL_RE, elev.LABEL_RE, names.LABEL_RE, DRILL_DATE_RE, GENERIC_DATE_RE)
    )
    + "|"
    + TOTAL_LABEL
    + "|"
    + gw.LABEL_RE.pattern,
    re.IGNORECASE,
)


def _may_hold_metadata(text: str) -> bool:
    """Cheap filter: a phrase with no digit and no label cannot start a metadata candidate."""
    return any(ch.isdigit() for ch in text) or _ANY_LABEL_RE.search(text) is not None


def _variants(phrase: Snippet, phrases: Sequence[Snippet]) -> list[Snippet]:
    out = [phrase]
    right = right_neighbour(phrase, phrases)
    if right is not None:
        out.append(phrase.join(right))
        further = right_neighbour(right, phrases, max_gap=60.0)
        if further is not None:
            out.append(phrase.join(right).join(further))
    below = below_neighbour(phrase, phrases)
    if below is not None:
        out.append(phrase.join(below))
    return out


def _distance(box: BBox, page: int, region: Region | None) -> float:
    """How far a candidate is from the borehole's log (0 without a region)."""
    if region is None:
        return 0.0
    rpage, rbox = region
    if page != rpage:
        return 1e6
    dx = max(0.0, rbox.x0 - box.x1, box.x0 - rbox.x1)
    dy = max(0.0, box.y0 - rbox.y1, rbox.y0 - box.y1)
    return dx + 0.3 * dy


def _own(
    cands: list[tuple[float, float, _Candidate]], others: Sequence[Region]
) -> list[tuple[float, float, _Candidate]]:
    """The candidates not nearer another borehole's log than this one's (all, if none is)."""
    kept = [
        c
        for c in cands
        if not any(_distance(c[2].bbox, c[2].snippet.page, o) < c[1] for o in others)
    ]
    return kept or cands


def _best(cands: Iterable[tuple[float, float, _Candidate]]) -> _Candidate | None:
    ranked = sorted(cands, key=lambda c: (-c[0], c[1], c[2].snippet.bbox.y0, c[2].snippet.bbox.x0))
    return ranked[0][2] if ranked else None


def _material_below(box: BBox, words: Sequence[Snippet]) -> int:
    """Material words in a window below the box: evidence that a label heads a log."""
    window = BBox(box.x0 - 60, box.y1, box.x1 + 160, box.y1 + 120)
    return sum(
        1
        for s in words
        for w in s.words
        if window.contains_point(w.bbox.cx, w.bbox.cy) and MATERIAL_RE.search(w.text)
    )


def extract_metadata(
    pages: Sequence[PageContent], region: Region | None = None, others: Sequence[Region] = ()
) -> tuple[BoreholeMetadata, tuple[Groundwater, ...]]:
    """Metadata and groundwater readings printed on ``pages`` (near ``region`` if given).

    ``others`` are the regions of the document's other boreholes: a value nearer one of
    them belongs to that borehole, unless no value of the field is nearer this one.
    """
    considered = [p for p in pages if region is None or p.number == region[0]]
    frames = {p.number: p for p in considered}
    if region is not None and region[0] in frames:
        region = (region[0], _to_display(region[1], frames[region[0]]))
    others = [(n, _to_display(box, frames[n])) for n, box in others if n in frames]
    phrases: list[Snippet] = []
    for page in considered:
        phrases.extend(page_phrases(_display_page(page)))
    if not phrases:
        return BoreholeMetadata(), ()

    coord_c: list[tuple[float, float, _Candidate]] = []
    elev_c: list[tuple[float, float, _Candidate]] = []
    name_c: list[tuple[float, float, _Candidate]] = []
    date_c: list[tuple[float, float, _Candidate]] = []
    depth_c: list[tuple[float, float, float]] = []
    coord_values: dict[int, coords.CoordinateMatch] = {}
    elev_values: dict[int, float] = {}
    name_values: dict[int, str] = {}
    date_values: dict[int, str] = {}

    for phrase in phrases:
        page_no = phrase.page
        if not _may_hold_metadata(phrase.text):
            continue
        for variant in _variants(phrase, phrases):
            text = variant.text
            joined = variant is not phrase

            def dist_of(
                start: int, end: int, variant: Snippet = variant, page_no: int = page_no
            ) -> float:
                return _distance(variant.span_bbox(start, end), page_no, region)

            # coordinates
            cm = coords.find_coordinates(text)
            if cm is not None:
                score = 2.0 * coords.has_label(text) + (0.0 if joined else 0.5)
                cand = _Candidate(score, variant, cm.start, cm.end)
                coord_c.append((score, dist_of(cm.start, cm.end), cand))
                coord_values[id(cand)] = cm
            # elevation (the label must be in the phrase itself, values may be beside it)
            em = elev.find_elevation(text)
            if em is not None and (not joined or em.labelled or em.with_unit):
                own = phrase.text
                above = above_neighbour(phrase, phrases)
                other = elev.is_other_level(text) or (
                    above is not None and elev.is_other_level(above.text)
                )
                score = 2.0 * em.labelled + 1.0 * em.with_unit - 3.0 * other
                score += 0.5 * min(4, _material_below(variant.span_bbox(em.start, em.end), phrases))
                if joined and not (elev.LABEL_RE.search(own) or elev.UNIT_ANYWHERE_RE.search(own)):
                    score -= 1.0
                cand = _Candidate(score, variant, em.start, em.end)
                elev_c.append((score, dist_of(em.start, em.end), cand))
                elev_values[id(cand)] = em.value
            # name
            nm = names.find_name(text)
            if nm is not None and (nm.labelled or not joined):
                score = 2.0 if nm.labelled else 0.5
                cand = _Candidate(score, variant, nm.start, nm.end)
                name_c.append((score, dist_of(nm.start, nm.end), cand))
                name_values[id(cand)] = nm.name
            # drilling date
            if DRILL_DATE_RE.search(phrase.text) or GENERIC_DATE_RE.search(phrase.text):
                found = dates_mod.find_dates(text)
                if found:
                    drilling = DRILL_DATE_RE.search(phrase.text) is not None
                    d = found[0]
                    cand = _Candidate(2.0 if drilling else 1.0, variant, d.start, d.end)
                    date_c.append((cand.score, dist_of(d.start, d.end), cand))
                    date_values[id(cand)] = d.iso
            # total depth
            tm = TOTAL_DEPTH_RE.search(text)
            if tm is not None:
                value = float(tm.group(1).replace(",", "."))
                if 0 < value < 3000:
                    depth_c.append((1.0, dist_of(tm.start(1), tm.end(1)), value))

    if others:
        coord_c, elev_c, name_c, date_c = (
            _own(c, others) for c in (coord_c, elev_c, name_c, date_c)
        )
    coordinates = None
    best = _best(coord_c)
    if best is not None:
        cm = coord_values[id(best)]
        coordinates = Coordinates(
            cm.east,
            cm.north,
            cm.system,
            best.snippet.page,
            _back(best.bbox, best.snippet.page, frames),
        )
    elevation = None
    best = _best(elev_c)
    if best is not None:
        elevation = Elevation(
            elev_values[id(best)], best.snippet.page, _back(best.bbox, best.snippet.page, frames)
        )
    name = None
    best = _best(name_c)
    if best is not None:
        name = Located(
            name_values[id(best)], best.snippet.page, _back(best.bbox, best.snippet.page, frames)
        )
    drilling_date = None
    best = _best(date_c)
    if best is not None:
        drilling_date = date_values[id(best)]
    total_depth = sorted(depth_c, key=lambda c: (-c[0], c[1]))[0][2] if depth_c else None

    meta = BoreholeMetadata(name, coordinates, elevation, drilling_date, total_depth)
    water = tuple(
        replace(g, bbox=_back(g.bbox, g.page, frames))
        if g.bbox is not None and g.page is not None
        else g
        for g in _groundwater(phrases, region)
    )
    return meta, water


def _display_page(page: PageContent) -> PageContent:
    """The page with word boxes in the displayed (rotated) frame, where text reads left to right."""
    if _reading_rotation(page) == 0:
        return page
    words = tuple(replace(w, bbox=_to_display(w.bbox, page)) for w in page.words)
    return replace(page, words=words, segments=())


def _reading_rotation(page: PageContent) -> int:
    return (page.rotation + page.text_rotation) % 360


def _to_display(box: BBox, page: PageContent) -> BBox:
    turn = _reading_rotation(page)
    return rotate_bbox(box, page.width, page.height, turn) if turn else box


def _back(box: BBox, page_no: int, frames: dict[int, PageContent]) -> BBox:
    page = frames.get(page_no)
    if page is None or not _reading_rotation(page):
        return box
    return unrotate_bbox(box, page.width, page.height, _reading_rotation(page))


def _water_table(anchor: Snippet, phrases: Sequence[Snippet], add: Callable[..., None]) -> bool:
    """Read up to six rows below ``anchor`` that hold a depth (and usually a date)."""
    current = anchor
    found = False
    for _ in range(6):
        nxt = below_neighbour(current, phrases, max_gap=3.0 * max(current.bbox.height, 6.0))
        if nxt is None:
            break
        row = nxt
        row_right = right_neighbour(nxt, phrases, max_gap=120.0)
        if row_right is not None:
            row = nxt.join(row_right)
        readings = gw.find_readings(row.text, need_label=False)[:1]
        has_date = bool(dates_mod.find_dates(row.text))
        if not readings or (not has_date and not re.search(r"\d\s?m\b", row.text)):
            break
        for m in readings:
            add(m.depth, m.date, m.elevation, row, m.start, m.end)
            found = True
        current = nxt
    return found


def _stacked_heading(phrase: Snippet, phrases: Sequence[Snippet]) -> Snippet | None:
    """A column heading printed over two or three short lines ('Water' / 'Level' / '(m)'),
    read as one phrase; None when the phrase is no such heading."""
    head = current = phrase
    for _ in range(2):
        if len(current.words) > 2:
            break
        nxt = below_neighbour(current, phrases, max_gap=1.0 * max(current.bbox.height, 6.0))
        if nxt is None or len(nxt.words) > 2:
            break
        a, b = current.bbox, nxt.bbox
        if abs(a.cx - b.cx) > 0.5 * max(a.width, b.width) or max(a.width, b.width) > 3 * min(
            a.width, b.width
        ):
            break  # the lines of one heading are set under each other, about as wide
        head = head.join(nxt)
        current = nxt
    return head if head is not phrase else None


def _water_column(heading: Snippet, phrases: Sequence[Snippet], add: Callable[..., None]) -> bool:
    """Readings listed down the column under a water-level heading (a drilling record's water
    level at the start and end of each shift): every depth printed with decimals under the
    heading, overlapping it sideways; its date is the one on its row, else the one on the row
    of the reading above (a record prints the day once, on its first row)."""
    box = heading.bbox
    found = False
    carried: str | None = None
    for phrase in sorted(phrases, key=lambda p: p.bbox.cy):
        if phrase.page != heading.page or phrase.bbox.y0 < box.y1:
            continue
        under = [w for w in phrase.words if w.bbox.horizontal_overlap(box) > 0]
        if not under:
            continue
        first = under[0]
        readings = gw.find_readings(first.text, need_label=False)
        if not readings or not any(c in first.text for c in ".,"):
            continue
        h = first.bbox.height
        date = next(
            (
                d.iso
                for other in phrases
                if other.page == phrase.page and abs(other.bbox.cy - first.bbox.cy) <= 0.5 * h
                for d in dates_mod.find_dates(other.text)
            ),
            None,
        )
        carried = date = date or carried  # the day is printed on its first reading's row
        add(readings[0].depth, date, None, Snippet((first,)), 0, len(first.text))
        found = True
    return found


def _groundwater(phrases: Sequence[Snippet], region: Region | None) -> tuple[Groundwater, ...]:
    readings: list[Groundwater] = []
    seen: set[tuple[float, str | None]] = set()

    def add(
        depth: float | None,
        date: str | None,
        elevation: float | None,
        snippet: Snippet,
        start: int,
        end: int,
    ) -> None:
        key = (round(depth or -1.0, 2), date)
        if key in seen:
            return
        seen.add(key)
        readings.append(
            Groundwater(depth, date, elevation, snippet.page, snippet.span_bbox(start, end))
        )

    for phrase in phrases:
        if not gw.has_label(phrase.text) or gw.is_dry(phrase.text):
            continue
        right = right_neighbour(phrase, phrases)
        text_variants = [phrase] + ([phrase.join(right)] if right is not None else [])
        found = False
        for variant in text_variants:
            if gw.is_dry(variant.text):
                found = True
                break
            matches = gw.find_readings(variant.text)
            for m in matches:
                add(m.depth, m.date, m.elevation, variant, m.start, m.end)
            if matches:
                found = True
                break
        if found:
            continue
        # a table under the label, or under the column headings right of it: rows of date and depth
        for anchor in [phrase] + ([right] if right is not None else []):
            if _water_table(anchor, phrases, add):
                break
    if not readings:
        for phrase in phrases:
            heading = None if gw.has_label(phrase.text) else _stacked_heading(phrase, phrases)
            if heading is not None and gw.has_label(re.sub(r"(\w)-\s+(\w)", r"\1\2", heading.text)):
                _water_column(heading, phrases, add)
    if region is not None:
        readings.sort(key=lambda g: _distance(g.bbox, g.page or 0, region) if g.bbox else 0.0)
    return tuple(readings)
