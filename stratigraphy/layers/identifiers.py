"""Layer identifiers: depths listed by ``1)``, ``2)`` ... with the descriptions printed elsewhere.

When most entries of a depth column carry an identifier and runs elsewhere on the page start
with the same identifiers, each description is the run starting with its identifier plus the
lines under it, up to the next identifier.
"""

from __future__ import annotations

from stratigraphy.layers.build import ColumnLayers, DraftLayer, Line
from stratigraphy.layers.columns import DepthColumn
from stratigraphy.layers.entries import EntryKind, layer_ident
from stratigraphy.layers.runs import Run, rows_of


def _join_split_labels(runs: list[Run], idents: set[str], exclude: set[int], h: float) -> list[Run]:
    """A label '1)' standing apart from its text on the same row starts that text's run."""
    out = list(runs)
    for label in runs:
        if (
            id(label) in exclude
            or len(label.words) != 1
            or layer_ident(label.words[0]) not in idents
        ):
            continue
        beside = [
            r
            for r in out
            if r is not label
            and r.has_letters
            and 0 <= r.bbox.x0 - label.bbox.x1 <= 3 * h
            and r.bbox.vertical_overlap(label.bbox) >= 0.5 * min(r.bbox.height, label.bbox.height)
        ]
        if beside:
            text = min(beside, key=lambda r: r.bbox.x0)
            out.remove(text)
            out[out.index(label)] = Run(label.words + text.words)
    return out


def _blocks(
    runs: list[Run], idents: set[str], exclude: set[int], h: float
) -> dict[str, list[Line]]:
    """Description lines per identifier: the labelled run and the lines that follow it."""
    runs = _join_split_labels(runs, idents, exclude, h)
    starts = [
        r
        for r in runs
        if id(r) not in exclude
        and len(r.words) > 1
        and layer_ident(r.words[0]) in idents
        and r.has_letters
    ]
    found: dict[str, list[Line]] = {}
    for start in starts:
        ident = layer_ident(start.words[0])
        if ident is None or ident in found:
            continue
        text_x0 = start.words[1].bbox.x0
        lines = [Line(start.words[1:])]
        edge = start.bbox.y1
        followers = sorted(
            (
                r
                for r in runs
                if id(r) not in exclude
                and r is not start
                and r.bbox.cy > start.bbox.cy
                and min(abs(r.bbox.x0 - text_x0), abs(r.bbox.x0 - start.bbox.x0)) <= 1.5 * h
            ),
            key=lambda r: r.bbox.cy,
        )
        for row in rows_of(followers):
            run = row[0]
            if run.bbox.y0 - edge > 1.2 * h or layer_ident(run.words[0]) is not None:
                break
            lines.append(Line(tuple(w for r in row for w in r.words)))
            edge = run.bbox.y1
        found[ident] = lines
    return found


def identified_layers(column: DepthColumn, runs: list[Run]) -> ColumnLayers | None:
    """Layers of a column whose entries are matched to descriptions by identifier, or None."""
    entries = column.entries
    idents = {e.ident for e in entries if e.ident}
    if len(idents) < max(2, 0.6 * len(entries)):
        return None
    exclude = {id(e.run) for e in entries}
    labels = {
        i for r in runs if id(r) not in exclude and (i := layer_ident(r.words[0])) is not None
    }
    blocks = _blocks(runs, idents | labels, exclude, column.line_height)
    if sum(1 for i in idents if i in blocks) < 0.6 * len(idents):
        return None
    # a label misread on one side ('5)' read as '9)'): the leftovers pair up in order
    missing = [e.ident for e in entries if e.ident and e.ident not in blocks]
    spare = sorted((i for i in blocks if i not in idents), key=lambda i: blocks[i][0].bbox.cy)
    if missing and len(missing) == len(spare):
        for ident, other in zip(missing, spare, strict=True):
            blocks[ident] = blocks.pop(other)
    layers: list[DraftLayer] = []
    for n, entry in enumerate(entries):
        lines = blocks.get(entry.ident or "")
        if not lines:
            continue
        if entry.kind is EntryKind.INTERVAL:
            start, end = entry.start, entry.end
        else:
            nxt = entries[n + 1] if n + 1 < len(entries) else None
            start, end = entry.value, (nxt.value if nxt else None)
        boxes = [(entry.page, box) for box in entry.boxes]
        layers.append(DraftLayer(start, end, lines, column.page, boxes))
    return ColumnLayers(column, layers, [], "identifiers") if layers else None
