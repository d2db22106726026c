"""Depth columns: entries stacked in one x-aligned column with depths growing downwards.

Pure functions over :class:`~stratigraphy.layers.entries.Entry`. Scale ticks (an arithmetic
progression at even spacing) and short unordered number stacks (test values) are rejected.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from stratigraphy.depths import has_explicit_decimals, parse_depth_value
from stratigraphy.geometry import BBox, union_all
from stratigraphy.layers.entries import Entry, EntryKind
from stratigraphy.layers.runs import Run


@dataclass(frozen=True, slots=True)
class DepthColumn:
    entries: tuple[Entry, ...]  # top to bottom, depths increasing
    in_feet: bool = False  # printed in feet; the entries are converted to metres

    @property
    def kind(self) -> EntryKind:
        return self.entries[0].kind

    @property
    def bbox(self) -> BBox:
        return union_all(e.bbox for e in self.entries)

    @property
    def page(self) -> int:
        return self.entries[0].page

    @property
    def line_height(self) -> float:
        heights = sorted(e.bbox.height for e in self.entries)
        return heights[len(heights) // 2]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _alignment(group: list[Entry], box: BBox) -> float:
    """How far ``box`` is from lining up with the group (left, right or centre aligned)."""
    recent = group[-5:]
    last = group[-1].bbox
    # a skewed scan drifts sideways down the page: the nearest entry above is a fair guide too
    return min(
        abs(_median([e.bbox.x1 for e in recent]) - box.x1),
        abs(_median([e.bbox.x0 for e in recent]) - box.x0),
        abs(_median([e.bbox.cx for e in recent]) - box.cx),
        abs(last.x1 - box.x1),
        abs(last.x0 - box.x0),
    )


def _longest_increasing(entries: list[Entry]) -> list[Entry]:
    """Longest subsequence (in y order) whose depths strictly increase."""
    n = len(entries)
    if n == 0:
        return []
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if entries[j].value < entries[i].value and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    i = max(range(n), key=lambda k: (best[k], -k))
    out: list[Entry] = []
    while i >= 0:
        out.append(entries[i])
        i = prev[i]
    return out[::-1]


def restore_lost_points(group: list[Entry]) -> list[Entry]:
    """Undo OCR that lost a decimal point (``42`` for ``4.2``, ``1230`` for ``12.30``).

    Only in a column whose values mostly print decimals, and only for a whole number that
    does not fit between its neighbours while a tenth or a hundredth of it does.
    """
    if sum(e.decimals for e in group) < 0.5 * len(group):
        return group
    out = list(group)
    for i, e in enumerate(out):
        if e.kind is not EntryKind.VALUE:
            continue
        if e.decimals:
            out[i] = _restore_lost_leading_digit(out, i)
            continue
        if e.value < 10:
            continue
        prev = max((x.value for x in out[:i] if x.decimals), default=0.0)
        nxt = min((x.value for x in out[i + 1 :] if x.decimals and x.value > prev), default=None)
        if nxt is None and i == len(out) - 1 and i >= 2 and e.value >= 100:
            # the last value (often the final depth) printed '600' for '6.00'
            places = _usual_places(out)
            candidate = e.value / 10**places if places else None
            if candidate is not None and prev < candidate <= prev + max(
                20.0, 3 * (prev - out[0].value)
            ):
                out[i] = replace(e, start=candidate, decimals=True)
            continue
        if nxt is None or prev < e.value < nxt:
            continue
        for divisor in (10, 100):
            candidate = e.value / divisor
            if prev < candidate < nxt:
                out[i] = replace(e, start=candidate, decimals=True)
                break
    return out


def _usual_places(entries: list[Entry]) -> int:
    """How many decimal places the column's values usually print (0 when unknown)."""
    counts: dict[int, int] = {}
    for e in entries:
        token = next((w.text for w in e.run.words if any(ch.isdigit() for ch in w.text)), "")
        match = re.search(r"\d[.,](\d{1,3})", token)
        if match:
            counts[len(match.group(1))] = counts.get(len(match.group(1)), 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else 0


_ROUND_STEPS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0)


def _restore_lost_leading_digit(entries: list[Entry], i: int) -> Entry:
    """``1.50`` read between ``21.30`` and ``22.90`` lost its leading ``2``."""
    e = entries[i]
    if i == 0 or i + 1 >= len(entries):
        return e
    prev, nxt = entries[i - 1].value, entries[i + 1].value
    if not prev < nxt or prev < e.value < nxt or e.value >= prev:
        return e
    head = str(int(prev))
    for j in range(1, len(head) + 1):
        candidate = float(head[:j] + f"{e.value:.2f}") if e.value < 10 ** (len(head) - j) else None
        if candidate is not None and prev < candidate < nxt:
            return replace(e, start=candidate)
    return e


def is_scale_ticks(entries: list[Entry] | tuple[Entry, ...]) -> bool:
    """A depth scale, not boundaries: round values at a round step, printed at even spacing.

    Ticks are multiples of a round step (0.5, 1, 2, 5, 10 m ...). Boundaries that happen to
    be equally thick layers at another step (1.25 m) are kept.
    """
    if len(entries) < 3 or any(e.kind is not EntryKind.VALUE for e in entries):
        return False
    values = [e.value for e in entries]
    steps = [b - a for a, b in itertools.pairwise(values)]
    if max(steps) - min(steps) > 1e-6:
        return False
    step = steps[0]
    if not any(abs(step - r) < 1e-6 for r in _ROUND_STEPS):
        return False
    if any(abs(v / step - round(v / step)) > 1e-6 for v in values):
        return False
    ys = [e.bbox.cy for e in entries]
    gaps = [b - a for a, b in itertools.pairwise(ys)]
    mean = sum(gaps) / len(gaps)
    if mean <= 0:
        return False
    even = max(abs(g - mean) for g in gaps) <= 0.1 * mean
    return even or (len(entries) >= 4 and not any(e.decimals for e in entries))


def _split_restarts(group: list[Entry]) -> list[list[Entry]]:
    """Split a column where the depths start again near the surface: a log stacked below another."""
    parts: list[list[Entry]] = [[]]
    for entry in group:
        current = parts[-1]
        if len(current) >= 2 and entry.value <= 1.0 and entry.value < current[-1].value:
            parts.append([])
        parts[-1].append(entry)
    return [p for p in parts if p]


def _section_number(entry: Entry) -> tuple[int, int] | None:
    match = _SECTION.match(entry.run.words[0].text) if entry.run.words else None
    return (int(match.group(1)), int(match.group(2))) if match else None


_SECTION = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?$")


def is_section_numbering(entries: list[Entry] | tuple[Entry, ...]) -> bool:
    """Headings of a report ('1.1', '1.2', '2.1' ...), not depths."""
    numbers = [_section_number(e) for e in entries]
    if len(entries) < 3 or any(n is None for n in numbers):
        return False
    steps = list(itertools.pairwise(numbers))
    following = sum(
        1
        for a, b in steps
        if a is not None
        and b is not None
        and ((b[0] == a[0] and b[1] == a[1] + 1) or (b[0] == a[0] + 1 and b[1] in (0, 1)))
    )
    return following >= 0.7 * len(steps)


def entries_to_columns(entries: list[Entry], min_entries: int = 2) -> list[DepthColumn]:
    """Group entries of one page into x-aligned columns of increasing depth."""
    groups: list[list[Entry]] = []
    for entry in sorted(entries, key=lambda e: e.bbox.cy):
        tol = 0.8 * entry.bbox.height
        best: list[Entry] | None = None
        best_distance = tol
        for group in groups:
            if group[-1].kind is not entry.kind or group[-1].bbox.cy >= entry.bbox.cy:
                continue
            distance = _alignment(group, entry.bbox)
            if distance <= best_distance:
                best, best_distance = group, distance
        if best is None:
            groups.append([entry])
        else:
            best.append(entry)
    columns: list[DepthColumn] = []
    for group in (part for g in groups for part in _split_restarts(g)):
        kept = _longest_increasing(restore_lost_points(group))
        if len(kept) < min_entries or len(kept) < 0.6 * len(group):
            continue
        if (
            kept[0].kind is EntryKind.VALUE
            and len(kept) < 4
            and sum(e.decimals for e in kept) < 0.5 * len(kept)
        ):
            continue  # a few whole numbers: too weak to be a depth column (OCR noise, labels)
        if is_scale_ticks(kept) or is_section_numbering(kept):
            continue
        columns.append(DepthColumn(tuple(kept)))
    return columns


def extend_with_trailing(columns: list[DepthColumn], candidates: list[Entry]) -> list[DepthColumn]:
    """Add a value that ends a text run to the top or bottom of the column it lines up with."""
    out: list[DepthColumn] = []
    for column in columns:
        entries = list(column.entries)
        if column.kind is EntryKind.VALUE:
            tol = 0.8 * column.line_height
            first, last = entries[0], entries[-1]
            spacing = (last.bbox.cy - first.bbox.cy) / max(1, len(entries) - 1)
            # a column printing decimals prints all its depths so ('SC 4' ending a name is none)
            decimals = sum(e.decimals for e in entries) >= 0.8 * len(entries)
            for c in candidates:
                if abs(c.bbox.x1 - first.bbox.x1) > tol or c.page != first.page:
                    continue
                if decimals and not c.decimals:
                    continue
                if c.value < first.value and 0 < first.bbox.cy - c.bbox.cy <= 2 * spacing:
                    entries.insert(0, c)
                    first = c
                elif c.value > last.value and 0 < c.bbox.cy - last.bbox.cy <= 2 * spacing:
                    entries.append(c)
                    last = c
        out.append(DepthColumn(tuple(entries)))
    return out


def insert_merged_values(columns: list[DepthColumn], runs: list[Run]) -> list[DepthColumn]:
    """Put back a value that the text layer merged with a neighbouring column's words
    ('29 4 3.95': a level, a scale tick and the depth in one run).

    Only a word printing decimals, aligned with the column's right edge, lying between two
    entries and with a value between theirs. OCR merges words of the columns on both sides
    ('1% +177.47 1.10 SO'), so the value may stand anywhere in the run.
    """
    out: list[DepthColumn] = []
    for column in columns:
        entries = list(column.entries)
        if column.kind is EntryKind.VALUE and len(entries) >= 3:
            own = {id(e.run) for e in entries}
            tol = 0.5 * column.line_height
            right = _median([e.bbox.x1 for e in entries])
            for run in runs:
                if id(run) in own or len(run.words) < 2 or run.page != column.page:
                    continue
                aligned = [w for w in run.words if abs(w.bbox.x1 - right) <= tol]
                if not aligned:
                    continue
                word = aligned[-1]
                value = parse_depth_value(word.text)
                if value is None or not has_explicit_decimals(word.text):
                    continue
                entry = Entry(EntryKind.VALUE, value, None, word.bbox, run.page, run)
                cy = word.bbox.cy
                spacing = (entries[-1].bbox.cy - entries[0].bbox.cy) / (len(entries) - 1)
                if cy < entries[0].bbox.cy and value < entries[0].value:
                    if entries[0].bbox.cy - cy <= 2 * spacing:
                        entries.insert(0, entry)
                    continue
                if cy > entries[-1].bbox.cy and value > entries[-1].value:
                    if cy - entries[-1].bbox.cy <= 2 * spacing:
                        entries.append(entry)
                    continue
                for i in range(len(entries) - 1):
                    a, b = entries[i], entries[i + 1]
                    if a.bbox.cy < cy < b.bbox.cy and a.value < value < b.value:
                        entries.insert(i + 1, entry)
                        break
        out.append(DepthColumn(tuple(entries)))
    return out


def absorb_broken_intervals(columns: list[DepthColumn], entries: list[Entry]) -> list[DepthColumn]:
    """Put back a row of an interval column that OCR broke into a single value.

    A value aligned with the column, between two rows, equal to the end of the row above,
    is that row's successor: its interval runs to the start of the row below.
    """
    out: list[DepthColumn] = []
    for column in columns:
        rows = list(column.entries)
        if column.kind is EntryKind.INTERVAL:
            tol = 0.8 * column.line_height
            for e in entries:
                if e.kind is not EntryKind.VALUE or abs(e.bbox.x0 - column.bbox.x0) > tol:
                    continue
                for i in range(len(rows) - 1):
                    above, below = rows[i], rows[i + 1]
                    if (
                        above.bbox.cy < e.bbox.cy < below.bbox.cy
                        and above.end is not None
                        and abs(e.value - above.end) < 0.005
                        and below.start is not None
                        and below.start > e.value
                    ):
                        rows.insert(i + 1, replace(e, kind=EntryKind.INTERVAL, end=below.start))
                        break
        out.append(DepthColumn(tuple(rows)))
    return out


def pair_from_to_columns(columns: list[DepthColumn]) -> list[DepthColumn]:
    """Merge a 'from' value column and a 'to' value column beside it into one interval column."""
    out = list(columns)
    for left in columns:
        for right in columns:
            if left is right or left not in out or right not in out:
                continue
            if left.kind is not EntryKind.VALUE or right.kind is not EntryKind.VALUE:
                continue
            if not (0 < right.bbox.x0 - left.bbox.x1 < 12 * left.line_height):
                continue
            merged: list[Entry] = []
            for a in left.entries:
                partner = next(
                    (
                        b
                        for b in right.entries
                        if a.bbox.vertical_overlap(b.bbox)
                        >= 0.5 * min(a.bbox.height, b.bbox.height)
                    ),
                    None,
                )
                if partner is None or partner.value <= a.value:
                    break
                merged.append(
                    Entry(
                        EntryKind.INTERVAL,
                        a.value,
                        partner.value,
                        a.bbox.union(partner.bbox),
                        a.page,
                        partner.run,
                        partner.rest,
                        a.decimals,
                        a.negative,
                        (a.bbox, partner.bbox),
                    )
                )
            if len(merged) == len(left.entries) and len(merged) >= 0.8 * len(right.entries):
                out.remove(left)
                out.remove(right)
                out.append(DepthColumn(tuple(merged)))
    return out


def mend_truncated_ends(columns: list[DepthColumn]) -> list[DepthColumn]:
    """Give back the decimals OCR cut off a row's end from the start of the row below.

    Layers follow on from each other: an end printed '38' above a start '38.2' was '38.2'
    (and a start '38' below an end '38.2' too).
    """
    out: list[DepthColumn] = []
    for column in columns:
        rows = list(column.entries)
        if column.kind is EntryKind.INTERVAL:
            for i in range(len(rows) - 1):
                a, b = rows[i], rows[i + 1]
                if a.end is None or b.start is None or abs(a.end - b.start) < 0.005:
                    continue
                if a.end == int(a.end) and b.start != int(b.start) and int(b.start) == a.end:
                    rows[i] = replace(a, end=b.start)
                elif b.start == int(b.start) and a.end != int(a.end) and int(a.end) == b.start:
                    rows[i + 1] = replace(b, start=a.end)
        out.append(DepthColumn(tuple(rows)))
    return out
