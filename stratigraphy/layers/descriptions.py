"""The description column of a depth column, and joining its lines into layer text."""

from __future__ import annotations

import re

from stratigraphy.layers.columns import DepthColumn
from stratigraphy.layers.entries import EntryKind
from stratigraphy.layers.runs import Run
from stratigraphy.model import Word

MATERIAL_WORDS = (
    # German
    "kies",
    "sand",
    "silt",
    "ton",
    "lehm",
    "humus",
    "mutterboden",
    "moräne",
    "morane",
    "fels",
    "mergel",
    "molasse",
    "schiefer",
    "kalk",
    "auffüllung",
    "steine",
    "blöcke",
    "kiesig",
    "sandig",
    "siltig",
    "tonig",
    "lehmig",
    "torf",
    "erde",
    "schotter",
    "kakirit",
    "grau",
    "braun",
    "asphalt",
    "beton",
    "belag",
    "koffer",
    "oberboden",
    "gestein",
    "geröll",
    "gehängeschutt",
    "enrobé",
    "bitume",
    "béton",
    "asfalto",
    "calcestruzzo",
    "concrete",
    "tarmac",
    # French
    "gravier",
    "sable",
    "limon",
    "argile",
    "remblai",
    "terre",
    "moraine",
    "marne",
    "grès",
    "calcaire",
    "blocs",
    "graveleux",
    "sableux",
    "limoneux",
    "argileux",
    "galets",
    "roche",
    # Italian
    "ghiaia",
    "sabbia",
    "limo",
    "argilla",
    "riporto",
    "terreno",
    "morena",
    "marna",
    "arenaria",
    "calcare",
    "ciottoli",
    "blocchi",
    "sabbioso",
    "limoso",
    "argilloso",
    "ghiaioso",
    # English
    "gravel",
    "silt",
    "clay",
    "topsoil",
    "till",
    "marl",
    "sandstone",
    "limestone",
    "boulders",
    "cobbles",
    "made ground",
    "fill",
    "peat",
    "rock",
    "sandy",
    "silty",
    "clayey",
)
_MATERIAL_RE = re.compile("|".join(re.escape(w) for w in MATERIAL_WORDS), re.IGNORECASE)
# rows that are not part of a layer description
_NOT_DESCRIPTION = re.compile(
    r"^(probe|proben|échantillon|echantillon|prise d|campione|sample|spt|rqd|bemerkung|remarque|"
    r"osservazion|remarks?|seite|page|pagina|massstab|échelle|echelle|scala|scale)\b"
    r"|^((geotechnische |geologische |material|schicht|boden)?(beschreibung|bezeichnung|beschrieb)|"
    r"bodenart|description( des (sols?|terrains?))?|nature du (sol|terrain)|"
    r"descrizione( stratigrafica)?|"
    r"soil description|stratigraphy|stratigraphie|lithologie|lithology|litologia|"
    r"geologie|géologie|geologia|tiefe|profondeur|profondità|depth)\W*$",
    re.IGNORECASE,
)


def material_score(text: str) -> int:
    return len(_MATERIAL_RE.findall(text))


def is_description_run(run: Run) -> bool:
    return run.has_letters and not _NOT_DESCRIPTION.match(run.text)


def description_runs(
    column: DepthColumn, runs: list[Run], right_limit: float | None = None
) -> list[Run]:
    """Runs of the description column of ``column``: to its right, its left, or under its entries.

    Description lines are left-aligned: on a side, the column is the cluster of run starts
    with the most material words among runs level with the depth column. Lines directly
    under most entries mean descriptions below; otherwise the right side, else the left.
    """
    box = column.bbox
    h = column.line_height
    entry_runs = {id(e.run) for e in column.entries}
    span = max(box.height, 10 * h)
    candidates = [
        r
        for r in runs
        if id(r) not in entry_runs
        and is_description_run(r)
        and box.y0 - span <= r.bbox.cy <= box.y1 + span
    ]
    tol = 1.5 * h
    pools = {
        "right": [
            r
            for r in candidates
            if r.bbox.x0 >= box.x1 - 0.5 * h and (right_limit is None or r.bbox.x0 < right_limit)
        ],
        "left": [r for r in candidates if r.bbox.x1 <= box.x0 + 0.5 * h],
        # descriptions printed on the lines under each depth ('0.30 - 1.60 m' / 'Kies, sandig')
        "below": [
            r for r in candidates if abs(r.bbox.x0 - box.x0) <= tol and r.bbox.x1 > box.x1 - 0.5 * h
        ]
        if column.kind is EntryKind.INTERVAL
        else [],
    }
    below = pools.pop("below")
    under = sum(
        1
        for e in column.entries
        if any(0 <= r.bbox.y0 - e.bbox.y1 <= h and abs(r.bbox.x0 - e.bbox.x0) <= tol for r in below)
    )
    if below and under >= 0.6 * len(column.entries):
        pools = {"below": below}
    for side, pool in pools.items():
        level = [r for r in pool if box.y0 - 2 * h <= r.bbox.cy <= box.y1 + 4 * h]
        if not level:
            continue
        clusters: list[list[Run]] = []
        for r in sorted(level, key=lambda r: r.bbox.x0):
            if clusters and r.bbox.x0 - clusters[-1][-1].bbox.x0 <= tol:
                clusters[-1].append(r)
            else:
                clusters.append([r])

        def score(cluster: list[Run], side: str = side) -> tuple[int, int, float]:
            materials = sum(material_score(r.text) for r in cluster)
            if side == "left":
                distance = box.x0 - cluster[-1].bbox.x1
            else:
                distance = cluster[0].bbox.x0 - box.x1
            # descriptions are wordy: a column of one-word cells (colour, consistency) is not them
            words = sum(len(r.words) for r in cluster)
            return (min(materials, 3), words, -distance)

        cluster = max(clusters, key=score)
        materials, _, _ = score(cluster)
        count = len(cluster)
        if materials == 0 and count < 2:
            continue
        x_lo = min(r.bbox.x0 for r in cluster) - tol
        x_hi = max(r.bbox.x0 for r in cluster) + tol
        chosen = [r for r in pool if x_lo <= r.bbox.x0 <= x_hi]
        return chosen + _row_tails(chosen, pool, h)
    return []


def _row_tails(chosen: list[Run], pool: list[Run], h: float) -> list[Run]:
    """Rest of a line split off by a wide (justified) gap, inside the description column."""
    if not chosen:
        return []
    right = max(r.bbox.x1 for r in chosen)
    taken = {id(r) for r in chosen}
    tails: list[Run] = []
    for run in sorted(pool, key=lambda r: r.bbox.x0):
        if id(run) in taken or run.bbox.x0 >= right:
            continue
        for head in chosen + tails:
            if 0 < run.bbox.x0 - head.bbox.x1 <= 4 * h and run.bbox.vertical_overlap(
                head.bbox
            ) >= 0.5 * min(run.bbox.height, head.bbox.height):
                tails.append(run)
                taken.add(id(run))
                break
    return tails


def join_lines(words_by_line: list[list[Word]]) -> str:
    """Description text: lines joined by one space (a hyphenated break stays ``hell- braun``)."""
    text = " ".join(" ".join(w.text for w in line) for line in words_by_line if line)
    return " ".join(text.split())
