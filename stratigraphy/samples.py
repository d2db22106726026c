"""Synthetic borehole profile PDFs with known truth, for tests and demos.

Each generator draws a borehole log with PyMuPDF in one layout family and
returns a :class:`Sample`: the PDF bytes and the truth in the benchmark schema
of ``../shared/benchmark/README.md`` (a list of boreholes). Generation is
deterministic for a given seed.

Families: boundary column (a above b), interval text (a - b m), inline negative
French depths, ruled table, several boreholes (one per page, two on one page),
a layer continuing across a page break; any of them can be rotated (``/Rotate``
90 or 270) or turned into an image-only scan.

Run ``python -m stratigraphy.samples OUTDIR`` to write a few samples and their
truth as JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fitz

from stratigraphy.geometry import BBox, union_all, unrotate_bbox

A4 = (595.0, 842.0)
FONT = "helv"
ASC, DESC = 1.075, -0.299  # helv metrics PyMuPDF uses for word boxes
_FONT = fitz.Font(FONT)

# --------------------------------------------------------------------------- materials

MATERIALS: dict[str, list[str]] = {
    "de": [
        "Humus, dunkelbraun, durchwurzelt",
        "Auffüllung: Kies, sandig, mit Ziegelresten, braun",
        "Kies, sandig, schwach siltig, grau, gut gerundet, locker gelagert",
        "Sand, fein- bis mittelkörnig, siltig, ockerbraun, feucht",
        "Silt, tonig, schwach sandig, beige-grau, weich, plastisch",
        "Ton, siltig, blaugrau, steif, mit Pflanzenresten",
        "Moräne: Silt, sandig, kiesig, mit Steinen und Blöcken, grau, sehr dicht",
        "Mergel, verwittert, gelblich braun, bröckelig",
        "Sandstein (Molasse), feinkörnig, grau, kompakt, geklüftet",
        "Lehm, sandig, rotbraun, mit Holzkohle",
        "Kies mit Steinen, sauber, grau, nass",
        "Seeablagerungen: Silt und Feinsand, laminiert, graubraun",
    ],
    "fr": [
        "Terre végétale, brune, avec racines",
        "Remblai: gravier sableux avec débris de briques",
        "Gravier sableux, légèrement limoneux, gris, humide",
        "Sable fin à moyen, limoneux, beige",
        "Limon argileux, brun-gris, mou",
        "Argile limoneuse, gris-bleu, plastique, compacte",
        "Moraine: limon sableux et graveleux avec blocs, grise, très compacte",
        "Marne altérée, jaunâtre, friable",
        "Molasse gréseuse, grès fin, gris-vert, dur",
        "Calcaire fissuré, beige clair, dur",
        "Gravier propre avec galets, gris, saturé",
    ],
    "it": [
        "Terreno vegetale, bruno, con radici",
        "Riporto: ghiaia sabbiosa con resti di laterizi",
        "Ghiaia sabbiosa, debolmente limosa, grigia, sciolta",
        "Sabbia fine limosa, nocciola, umida",
        "Limo argilloso, grigio, molle",
        "Argilla limosa, grigio-azzurra, plastica",
        "Morena: limo sabbioso con ciottoli e blocchi, molto compatta",
        "Marna alterata, giallastra, friabile",
        "Arenaria fine, grigia, compatta, fratturata",
        "Calcare grigio chiaro, fessurato",
    ],
    "en": [
        "Topsoil, dark brown, with roots",
        "Made ground: sandy gravel with brick fragments",
        "Gravel, sandy, slightly silty, grey, loose",
        "Sand, fine to medium, silty, light brown, moist",
        "Silt, clayey, soft, grey-brown",
        "Clay, silty, stiff, blue-grey, with plant remains",
        "Till: sandy silt with cobbles and boulders, very dense",
        "Marl, weathered, yellowish brown, friable",
        "Sandstone, fine grained, grey, fractured",
        "Limestone, light grey, jointed, hard",
    ],
}

# --------------------------------------------------------------------------- truth types


@dataclass(frozen=True, slots=True)
class MetaTruth:
    """The header facts of one borehole and how they are printed."""

    name: str
    east: float | None
    north: float | None
    elevation: float | None
    date: str | None  # ISO
    total_depth: float | None
    groundwater: tuple[tuple[float, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Sample:
    """A generated PDF and its truth (list of boreholes, benchmark schema)."""

    name: str
    pdf: bytes
    truth: list[dict[str, Any]]
    description: str = ""


@dataclass
class _Borehole:
    meta: MetaTruth
    layers: list[dict[str, Any]] = field(default_factory=list)

    def to_truth(self, index: int) -> dict[str, Any]:
        m = self.meta
        coords = {"E": m.east, "N": m.north} if m.east is not None and m.north is not None else None
        return {
            "borehole_index": index,
            "layers": self.layers,
            "metadata": {
                "coordinates": coords,
                "reference_elevation": m.elevation,
                "original_name": m.name,
                "drilling_date": m.date,
                "total_depth": m.total_depth,
            },
            "groundwater": [{"depth": d, "date": dt, "elevation": None} for d, dt in m.groundwater],
        }


# --------------------------------------------------------------------------- drawing helpers


class _Pen:
    """Writes text on a page and returns the word-union box PyMuPDF will report."""

    def __init__(self, page: fitz.Page, fontsize: float = 8.0) -> None:
        self.page = page
        self.fs = fontsize

    def width(self, text: str, fs: float | None = None) -> float:
        return float(_FONT.text_length(text, fontsize=fs or self.fs))

    def text(
        self, x: float, top: float, text: str, fs: float | None = None, align: str = "left"
    ) -> BBox:
        """Write one line whose word boxes start at ``top``; ``align='right'`` ends at ``x``."""
        fs = fs or self.fs
        w = self.width(text, fs)
        if align == "right":
            x -= w
        baseline = top + ASC * fs
        self.page.insert_text((x, baseline), text, fontname=FONT, fontsize=fs)
        return BBox(x, top, x + w, baseline - DESC * fs)

    def wrap(self, text: str, width: float, fs: float | None = None) -> list[str]:
        fs = fs or self.fs
        lines: list[str] = []
        cur = ""
        for word in text.split():
            trial = f"{cur} {word}".strip()
            if cur and self.width(trial, fs) > width:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        if cur:
            lines.append(cur)
        return lines

    def paragraph(
        self, x: float, top: float, lines: Sequence[str], fs: float | None = None
    ) -> BBox:
        fs = fs or self.fs
        step = fs * 1.45
        boxes = [self.text(x, top + i * step, line, fs) for i, line in enumerate(lines)]
        return union_all(boxes)

    def line_height(self, fs: float | None = None) -> float:
        return (fs or self.fs) * 1.45

    def hline(self, x0: float, x1: float, y: float, width: float = 0.6) -> None:
        self.page.draw_line((x0, y), (x1, y), color=(0, 0, 0), width=width)

    def vline(self, x: float, y0: float, y1: float, width: float = 0.6) -> None:
        self.page.draw_line((x, y0), (x, y1), color=(0, 0, 0), width=width)


def _fmt(value: float, decimals: int = 2, comma: bool = False) -> str:
    s = f"{value:.{decimals}f}"
    return s.replace(".", ",") if comma else s


def _swiss(value: float, sep: str = "'") -> str:
    """1200456 -> 1'200'456 (integer part grouped, decimals kept)."""
    whole = int(value)
    frac = value - whole
    grouped = f"{whole:,}".replace(",", sep)
    return grouped + (f"{frac:.2f}"[1:] if abs(frac) > 1e-9 else "")


def _layer(
    depth: tuple[float | None, float | None],
    text: str,
    page: int,
    rect: BBox,
    depth_rects: Sequence[tuple[int, BBox]],
) -> dict[str, Any]:
    return {
        "depth_interval": {"start": depth[0], "end": depth[1]},
        "material_description": text,
        "page": page,
        "material_description_rect": rect.as_list(),
        "depth_rects": [b.as_list() for _, b in depth_rects],
        "depth_rects_pages": [p for p, _ in depth_rects],
    }


def _depths(rng: random.Random, n: int, total: float) -> list[float]:
    """n+1 boundaries from 0 to ``total`` (rounded to 5 cm), strictly increasing."""
    cuts = sorted(rng.sample(range(1, int(total * 20)), n - 1))
    return [0.0] + [c / 20 for c in cuts] + [total]


def _spread_depths(rng: random.Random, n: int, total: float, min_gap: float) -> list[float]:
    for _ in range(200):
        d = _depths(rng, n, total)
        if all(b - a >= min_gap for a, b in itertools.pairwise(d)):
            return d
    step = total / n
    return [round(i * step * 20) / 20 for i in range(n)] + [total]


# --------------------------------------------------------------------------- headers

_HEADER_LABELS = {
    "de": ("Bohrung", "Koordinaten", "Kote", "m ü.M.", "Bohrdatum", "Endtiefe", "GW"),
    "fr": (
        "Forage",
        "Coordonnées",
        "Altitude",
        "m",
        "Date",
        "Profondeur finale",
        "Niveau de la nappe",
    ),
    "it": ("Sondaggio", "Coordinate", "Quota", "m s.l.m.", "Data", "Profondità finale", "Falda"),
    "en": (
        "Borehole",
        "Coordinates",
        "Elevation",
        "m a.s.l.",
        "Date",
        "Final depth",
        "Groundwater",
    ),
}


def _date_text(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def _draw_header(
    pen: _Pen,
    meta: MetaTruth,
    lang: str,
    x: float,
    top: float,
    *,
    lv03: bool = False,
    n_first: bool = False,
    name_label: str | None = None,
    scale: bool = True,
) -> float:
    """Write the header block; returns the y below it."""
    name_l, coord_l, elev_l, unit, date_l, total_l, gw_l = _HEADER_LABELS[lang]
    y = top
    pen.text(x, y, f"{name_label or name_l} {meta.name}", fs=12)
    y += 18
    if meta.east is not None and meta.north is not None:
        sep = " " if lv03 else ("'", "'", " ", ".")[int(meta.east) % 4]
        n_first = n_first or int(meta.north) % 5 == 0
        e, n = _swiss(meta.east, sep), _swiss(meta.north, sep)
        coord = f"N {n} / E {e}" if n_first else f"{e} / {n}"
        pen.text(x, y, f"{coord_l}: {coord}")
        y += 12
    if meta.elevation is not None:
        pen.text(x, y, f"{elev_l} {_fmt(meta.elevation)} {unit}")
        y += 12
    if meta.date:
        pen.text(x, y, f"{date_l}: {_date_text(meta.date)}")
        y += 12
    if meta.total_depth is not None:
        pen.text(x, y, f"{total_l}: {_fmt(meta.total_depth)} m")
        y += 12
    for depth, date in meta.groundwater:
        suffix = f" ({_date_text(date)})" if date else ""
        pen.text(x, y, f"{gw_l} {_fmt(depth)} m{suffix}")
        y += 12
    # distractors common to all sheets
    if scale:
        pen.text(
            x + 330,
            top,
            "Massstab 1:100"
            if lang == "de"
            else "Echelle 1:100"
            if lang == "fr"
            else "Scala 1:100"
            if lang == "it"
            else "Scale 1:100",
        )
    return y + 10


_COLUMN_LABELS = {
    "fr": (
        "SONDAGE",
        "COORDONNEES",
        "ALTITUDE DE DEPART",
        "DATE D'EXECUTION",
        "PROFONDEUR FINALE",
        "NIVEAU D'EAU",
        "date",
        "profondeur",
    ),
    "de": (
        "Kernbohrung",
        "Koord.",
        "OK Terrain",
        "Bohrbeginn",
        "Bohrtiefe",
        "Grundwasser",
        "Datum",
        "Tiefe",
    ),
}


def _draw_header_columns(pen: _Pen, meta: MetaTruth, lang: str, x: float, top: float) -> float:
    """Header as a label column and a value column, groundwater as a small table of readings."""
    name_l, coord_l, elev_l, date_l, total_l, gw_l, gw_date, gw_depth = _COLUMN_LABELS[lang]
    vx = x + 130
    y = top
    rows = [(name_l, meta.name)]
    if meta.east is not None and meta.north is not None:
        rows.append((coord_l, f"Y = {_swiss(meta.east, ' ')}   X = {_swiss(meta.north, ' ')}"))
    if meta.elevation is not None:
        rows.append((elev_l, f"{_fmt(meta.elevation)} m"))
    if meta.date:
        rows.append((date_l, _date_text(meta.date)))
    if meta.total_depth is not None:
        rows.append((total_l, f"{_fmt(meta.total_depth)} m"))
    for label, value in rows:
        pen.text(x, y, label)
        pen.text(vx, y, value)
        y += 12
    if meta.groundwater:
        pen.text(x, y + 4, gw_l)
        pen.text(vx, y + 4, gw_date)
        pen.text(vx + 70, y + 4, gw_depth)
        y += 16
        for depth, date in meta.groundwater:
            pen.text(vx, y, _date_text(date) if date else "-")
            pen.text(vx + 70, y, f"{_fmt(depth)} m")
            y += 12
    pen.text(x + 400, top, "Echelle 1:100" if lang == "fr" else "Massstab 1:100")
    return y + 10


def _page_footer(pen: _Pen, number: int, total: int, lang: str) -> None:
    word = {"de": "Seite", "fr": "Page", "it": "Pagina", "en": "Page"}[lang]
    w, h = pen.page.rect.width, pen.page.rect.height
    pen.text(w / 2 - 20, h - 30, f"{word} {number}/{total}")


def _meta(
    rng: random.Random, name: str, total: float, lv03: bool = False, gw: bool = True
) -> MetaTruth:
    if lv03:
        east = float(rng.randrange(560_000, 780_000))
        north = float(rng.randrange(90_000, 280_000))
    else:
        east = float(rng.randrange(2_520_000, 2_800_000))
        north = float(rng.randrange(1_090_000, 1_280_000))
    elevation = round(rng.uniform(270, 1600), 2)
    date = f"{rng.randrange(1975, 2024)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    groundwater = ((round(rng.uniform(0.8, total - 0.5), 2), date),) if gw else ()
    return MetaTruth(name, east, north, elevation, date, total, groundwater)


# --------------------------------------------------------------------------- layout families


def _boundary_column(
    doc: fitz.Document,
    rng: random.Random,
    lang: str,
    meta: MetaTruth,
    n_layers: int,
    *,
    print_zero: bool = True,
    columns_header: bool = False,
    unit: str = "m",
    mark: str = "",
    tight_codes: bool = False,
) -> _Borehole:
    """Depth values at boundary heights above horizontal lines; descriptions right.

    ``unit`` is printed in the column heading, ``mark`` after every value ("'" for feet).
    ``tight_codes``: on two rows a sample id and a weathering grade are printed tight
    against the value on both sides, so the three read as one run of text."""
    page = doc.new_page(width=A4[0], height=A4[1])
    pen = _Pen(page)
    top = (_draw_header_columns if columns_header else _draw_header)(pen, meta, lang, 50, 40)
    total = meta.total_depth or 10.0
    log_top, log_bottom = top + 30, A4[1] - 80
    scale = (log_bottom - log_top) / total
    depths = _spread_depths(rng, n_layers, total, min_gap=4 * pen.line_height() / scale + 0.05)
    bh = _Borehole(meta)
    col_x0, col_x1, desc_x, desc_x1 = 90, 140, 160, 470
    # column headings and frame
    heading = {"de": "Tiefe", "fr": "Prof.", "it": "Prof.", "en": "Depth"}[lang] + f" [{unit}]"
    pen.text(col_x0, log_top - 26, heading)
    pen.text(
        desc_x,
        log_top - 26,
        {"de": "Beschreibung", "fr": "Description", "it": "Descrizione", "en": "Description"}[lang],
    )
    pen.vline(col_x0 - 5, log_top, log_bottom)
    pen.vline(col_x1 + 10, log_top, log_bottom)
    # scale ticks (distractor): whole metres at exact scale on the far left
    for m in range(0, int(total) + 1):
        y = log_top + m * scale
        pen.hline(50, 58, y, 0.4)
        pen.text(60, y - 4, f"{m}", fs=6)
    boxes: list[BBox | None] = []
    for d in depths:
        y = log_top + d * scale
        pen.hline(col_x0 - 5, desc_x1, y)
        if d == 0.0 and not print_zero:
            boxes.append(None)
            continue
        box = pen.text(col_x1, y - pen.fs * 1.4 - 1, _fmt(d) + mark, align="right")
        boxes.append(box)
        if tight_codes and len(boxes) in (3, 5):
            pen.text(box.x0 - 3, box.y0, f"P{len(boxes)}", align="right")
            pen.text(box.x1 + 3, box.y0, "IV" if len(boxes) == 5 else "III")
    mats = rng.sample(MATERIALS[lang], min(n_layers, len(MATERIALS[lang])))
    for i in range(n_layers):
        text = mats[i % len(mats)]
        y0 = log_top + depths[i] * scale + 3
        lines = pen.wrap(text, desc_x1 - desc_x - 5)
        rect = pen.paragraph(desc_x, y0, lines)
        rects = [(page.number + 1, b) for b in (boxes[i], boxes[i + 1]) if b is not None]
        bh.layers.append(
            _layer((depths[i], depths[i + 1]), " ".join(lines), page.number + 1, rect, rects)
        )
    # sample column (distractor) and remark
    probe = {"de": "Probe", "fr": "Echantillon", "it": "Campione", "en": "Sample"}[lang]
    for k in range(2):
        d = round(rng.uniform(0.5, total - 0.5), 1)
        pen.text(480, log_top + d * scale - 4, f"{probe} P{k + 1}", fs=6)
        pen.text(480, log_top + d * scale + 4, f"{_fmt(d, 1)} m", fs=6)
    remark = {
        "de": "Bemerkungen: Kernzugabgrenzungen 1.5 / 3.0 / 4.5",
        "fr": "Remarques: carottage 1.5 / 3.0 / 4.5",
        "it": "Osservazioni: manovre 1.5 / 3.0 / 4.5",
        "en": "Remarks: core runs 1.5 / 3.0 / 4.5",
    }[lang]
    pen.text(50, log_bottom + 12, remark, fs=7)
    _page_footer(pen, page.number + 1, 1, lang)
    return bh


def _interval_text(
    doc: fitz.Document,
    rng: random.Random,
    lang: str,
    meta: MetaTruth,
    n_layers: int,
    *,
    page: fitz.Page | None = None,
    x: float = 50,
    width: float = 495,
    top: float | None = None,
    comma: bool = False,
) -> _Borehole:
    """Rows ``0.30 - 1.60 m  description`` one below the other."""
    page = page or doc.new_page(width=A4[0], height=A4[1])
    pen = _Pen(page)
    y = _draw_header(pen, meta, lang, x, 40 if top is None else top, scale=width > 400)
    total = meta.total_depth or 8.0
    depths = _spread_depths(rng, n_layers, total, 0.2)
    bh = _Borehole(meta)
    mats = rng.sample(MATERIALS[lang], min(n_layers, len(MATERIALS[lang])))
    dash = rng.choice(["-", "–"])
    for i in range(n_layers):
        a, b = depths[i], depths[i + 1]
        depth_text = f"{_fmt(a, comma=comma)} {dash} {_fmt(b, comma=comma)} m"
        dbox = pen.text(x, y, depth_text)
        lines = pen.wrap(mats[i % len(mats)], width - 95)
        rect = pen.paragraph(x + 85, y, lines)
        bh.layers.append(
            _layer((a, b), " ".join(lines), page.number + 1, rect, [(page.number + 1, dbox)])
        )
        y = rect.y1 + 10
    return bh


def _inline_french(
    doc: fitz.Document, rng: random.Random, meta: MetaTruth, n_layers: int
) -> _Borehole:
    """Rows starting with the (negative) top depth; the end of hole closes the last layer."""
    page = doc.new_page(width=A4[0], height=A4[1])
    pen = _Pen(page)
    y = _draw_header(pen, meta, "fr", 50, 40, name_label="SONDAGE")
    total = meta.total_depth or 9.0
    depths = _spread_depths(rng, n_layers, total, 0.2)
    mats = rng.sample(MATERIALS["fr"], min(n_layers, len(MATERIALS["fr"])))
    bh = _Borehole(meta)
    tops: list[BBox] = []
    rows: list[tuple[str, BBox]] = []
    for i in range(n_layers):
        d = depths[i]
        tops.append(pen.text(50, y, "0.00" if d == 0 else f"-{_fmt(d)}"))
        lines = pen.wrap(mats[i % len(mats)], 380)
        rect = pen.paragraph(110, y, lines)
        rows.append((" ".join(lines), rect))
        y = rect.y1 + 8
    end_box = pen.text(50, y, f"-{_fmt(total)}")
    pen.text(110, y, "Fin du forage")
    tops.append(end_box)
    for i, (text, rect) in enumerate(rows):
        bh.layers.append(
            _layer((depths[i], depths[i + 1]), text, 1, rect, [(1, tops[i]), (1, tops[i + 1])])
        )
    pen.text(50, y + 30, "Prise d'échantillon -2.00 / -4.00", fs=7)
    _page_footer(pen, 1, 1, "fr")
    return bh


def _ruled_table(
    doc: fitz.Document, rng: random.Random, lang: str, meta: MetaTruth, n_layers: int
) -> _Borehole:
    """A table with ruling lines: from | to | description, one row per layer."""
    page = doc.new_page(width=A4[0], height=A4[1])
    pen = _Pen(page)
    y = _draw_header(pen, meta, lang, 50, 40)
    heads = {
        "it": ("Da [m]", "A [m]", "Descrizione"),
        "en": ("From [m]", "To [m]", "Description"),
        "de": ("Von [m]", "Bis [m]", "Beschreibung"),
        "fr": ("De [m]", "A [m]", "Description"),
    }[lang]
    xs = [50, 110, 170, 545]
    total = meta.total_depth or 12.0
    depths = _spread_depths(rng, n_layers, total, 0.2)
    mats = rng.sample(MATERIALS[lang], min(n_layers, len(MATERIALS[lang])))
    row_tops = [y]
    for k, h in enumerate(heads):
        pen.text(xs[k] + 4, y + 4, h)
    y += 18
    row_tops.append(y)
    bh = _Borehole(meta)
    for i in range(n_layers):
        a, b = depths[i], depths[i + 1]
        abox = pen.text(xs[0] + 4, y + 4, _fmt(a))
        bbox = pen.text(xs[1] + 4, y + 4, _fmt(b))
        lines = pen.wrap(mats[i % len(mats)], xs[3] - xs[2] - 10)
        rect = pen.paragraph(xs[2] + 4, y + 4, lines)
        bh.layers.append(_layer((a, b), " ".join(lines), 1, rect, [(1, abox), (1, bbox)]))
        y = rect.y1 + 6
        row_tops.append(y)
    for ry in row_tops:
        pen.hline(xs[0], xs[-1], ry)
    for x in xs:
        pen.vline(x, row_tops[0], row_tops[-1])
    _page_footer(pen, 1, 1, lang)
    return bh


def _page_break(doc: fitz.Document, rng: random.Random, meta: MetaTruth) -> _Borehole:
    """Boundary column over two pages; one layer starts on page 1 and ends on page 2."""
    total = meta.total_depth or 12.0
    depths = [0.0, 0.4, 1.9, 3.2, 4.6, 7.3, 9.1, total]  # 4.6 - 7.3 crosses the break at 6.0
    mats = rng.sample(MATERIALS["de"], len(depths) - 1)
    bh = _Borehole(meta)
    per_page = 6.0
    boxes: dict[float, tuple[int, BBox]] = {}
    pens: list[_Pen] = []
    log_tops: list[float] = []
    first = doc.page_count
    for _ in range(2):
        doc.new_page(width=A4[0], height=A4[1])
    for p in range(2):
        page = doc[first + p]
        pen = _Pen(page)
        top = _draw_header(pen, meta, "de", 50, 40) if p == 0 else 60.0
        pens.append(pen)
        log_tops.append(top + 20)
        pen.text(90, top + 6, "Tiefe [m]")
        pen.text(160, top + 6, "Beschreibung")
        _page_footer(pen, p + 1, 2, "de")
    scale = (A4[1] - 80 - log_tops[0]) / per_page

    def pos(d: float) -> tuple[int, float]:
        p = 0 if d < per_page else 1
        return p, log_tops[p] + (d - per_page * p) * scale

    for d in depths:
        p, y = pos(d)
        pens[p].hline(85, 470, y)
        boxes[d] = (p + 1, pens[p].text(140, y - 12.2, _fmt(d), align="right"))
    for i, text in enumerate(mats):
        a, b = depths[i], depths[i + 1]
        p, y0 = pos(a)
        pen = pens[p]
        lines = pen.wrap(
            text
            + (
                ", mit Kalkkonkretionen und Molluskenschalen, nach unten "
                "zunehmend siltig, stellenweise verfestigt"
                if a == 4.6
                else ""
            ),
            240,
        )
        if a == 4.6:
            cut = max(1, len(lines) // 2)
            first, rest = lines[:cut], lines[cut:]
            rect = pen.paragraph(160, y0 + 3, first)
            pens[1].paragraph(160, log_tops[1] + 3, rest)
        else:
            rect = pen.paragraph(160, y0 + 3, lines)
        bh.layers.append(_layer((a, b), " ".join(lines), p + 1, rect, [boxes[a], boxes[b]]))
    return bh


# --------------------------------------------------------------------------- transforms


def _finish(doc: fitz.Document) -> bytes:
    fixed = "D:20240101000000Z"  # fixed dates and no new /ID keep the bytes reproducible
    doc.set_metadata(
        {
            "producer": "stratigraphy.samples",
            "creator": "stratigraphy.samples",
            "creationDate": fixed,
            "modDate": fixed,
        }
    )
    data: bytes = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return data


def rotate_document(
    pdf: bytes, truth: list[dict[str, Any]], rotation: int
) -> tuple[bytes, list[dict[str, Any]]]:
    """Place every page sideways so that ``/Rotate rotation`` shows it upright again.

    The truth boxes are mapped to the unrotated page frame, as the schema wants.
    """
    src = fitz.open(stream=pdf, filetype="pdf")
    out = fitz.open()
    for page in src:
        w, h = page.rect.width, page.rect.height
        new = out.new_page(width=h, height=w)
        # show_pdf_page rotates the source counter-clockwise by ``rotate``
        new.show_pdf_page(new.rect, src, page.number, rotate=rotation)
        new.set_rotation(rotation)
    src.close()
    truth = json.loads(json.dumps(truth))
    for bh in truth:
        for layer in bh["layers"]:
            layer["material_description_rect"] = _unrot(
                layer["material_description_rect"], rotation
            )
            layer["depth_rects"] = [_unrot(r, rotation) for r in layer["depth_rects"]]
    return _finish(out), truth


def _unrot(rect: list[float], rotation: int) -> list[float]:
    # display frame is A4 portrait; unrotated page is (842 x 595)
    box = BBox(*rect)
    return unrotate_bbox(box, A4[1], A4[0], rotation).as_list()


def image_only(pdf: bytes, dpi: int = 200) -> bytes:
    """Render each page and rebuild the PDF from the images: no text layer, no vector lines."""
    src = fitz.open(stream=pdf, filetype="pdf")
    out = fitz.open()
    for page in src:
        rot = page.rotation
        page.set_rotation(0)
        pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
        new.set_rotation(rot)
    src.close()
    return _finish(out)


# --------------------------------------------------------------------------- public generators


def boundary_column(seed: int = 1, lang: str = "de", n_layers: int = 6) -> Sample:
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "KB 3", 10.0)
    bh = _boundary_column(doc, rng, lang, meta, n_layers)
    return Sample(
        f"boundary_column_{lang}_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "boundary values above horizontal lines, descriptions right, scale ticks",
    )


def columns_header(seed: int = 9, lang: str = "fr") -> Sample:
    """Boundary column log whose header is a label column beside a value column, with a
    water table."""
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "SC 21" if lang == "fr" else "KB 21", 10.0, lv03=True)
    meta = MetaTruth(
        meta.name,
        meta.east,
        meta.north,
        meta.elevation,
        meta.date,
        meta.total_depth,
        (*meta.groundwater, (round(meta.groundwater[0][0] + 0.35, 2), None)),
    )
    bh = _boundary_column(doc, rng, lang, meta, 5, columns_header=True)
    return Sample(
        f"columns_header_{lang}_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "header as label and value columns, groundwater table",
    )


def interval_text(
    seed: int = 2, lang: str = "de", n_layers: int = 6, comma: bool = False
) -> Sample:
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "SB 12", 8.0, lv03=lang == "fr")
    bh = _interval_text(doc, rng, lang, meta, n_layers, comma=comma)
    _page_footer(_Pen(doc[0]), 1, 1, lang)
    return Sample(
        f"interval_text_{lang}_{seed}", _finish(doc), [bh.to_truth(0)], "rows 'a - b m description'"
    )


def inline_french(seed: int = 3, n_layers: int = 6) -> Sample:
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "S 4", 9.0)
    bh = _inline_french(doc, rng, meta, n_layers)
    return Sample(
        f"inline_french_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "French rows starting with negative top depths",
    )


def ruled_table(seed: int = 4, lang: str = "it", n_layers: int = 6) -> Sample:
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "S 7", 12.0, lv03=True)
    bh = _ruled_table(doc, rng, lang, meta, n_layers)
    return Sample(
        f"ruled_table_{lang}_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "table with ruling lines, one row per layer",
    )


def several_boreholes(seed: int = 5) -> Sample:
    """Three boreholes: one per page on pages 1-2, then two side by side on page 3."""
    rng = random.Random(seed)
    doc = fitz.open()
    bhs = [
        _interval_text(doc, rng, "de", _meta(rng, "KB 1", 6.0), 5),
        _interval_text(doc, rng, "de", _meta(rng, "KB 2", 7.0), 4),
    ]
    page = doc.new_page(width=A4[0], height=A4[1])
    bhs.append(
        _interval_text(
            doc, rng, "en", _meta(rng, "BH 3", 5.0, gw=False), 4, page=page, x=40, width=250
        )
    )
    bhs.append(
        _interval_text(
            doc,
            rng,
            "en",
            _meta(rng, "BH 4", 6.0, gw=False),
            4,
            page=page,
            x=310,
            width=250,
            top=40,
        )
    )
    return Sample(
        f"several_boreholes_{seed}",
        _finish(doc),
        [b.to_truth(i) for i, b in enumerate(bhs)],
        "two boreholes one per page, then two on one page",
    )


def page_break(seed: int = 6) -> Sample:
    rng = random.Random(seed)
    doc = fitz.open()
    bh = _page_break(doc, rng, _meta(rng, "KB 8", 11.0))
    return Sample(
        f"page_break_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "a layer continues from page 1 onto page 2",
    )


def rotated(
    seed: int = 7, rotation: int = 90, family: Callable[..., Sample] = boundary_column
) -> Sample:
    base = family(seed)
    pdf, truth = rotate_document(base.pdf, base.truth, rotation)
    return Sample(
        f"{base.name}_rot{rotation}", pdf, truth, f"{base.description}; /Rotate {rotation}"
    )


def scanned(seed: int = 8, family: Callable[..., Sample] = interval_text, dpi: int = 200) -> Sample:
    base = family(seed)
    return Sample(
        f"{base.name}_scan",
        image_only(base.pdf, dpi),
        base.truth,
        f"{base.description}; image-only at {dpi} dpi",
    )


_SUB_NOTES = {
    "de": ("bei {d} m: fester gelagert", "ab {d} m: nass"),
    "fr": ("à {d} m : plus compact", "{d} m : humide"),
    "it": ("a {d} m: più compatto", "{d} m: umido"),
    "en": ("at {d} m: becoming dense", "{d} m: wet"),
}


def _sheet_log(doc: fitz.Document, rng: random.Random, lang: str, meta: MetaTruth) -> _Borehole:
    """A log drawn to scale on sheets of 5 m: the value at each sheet's foot is its bottom,
    not a boundary; a layer crosses the break and the next sheet repeats its text at the
    top; depth-prefixed notes inside descriptions; boundary values centred on the lines."""
    sheet = 5.0
    jitter = [round(rng.uniform(-0.1, 0.1), 2) for _ in range(6)]
    depths = [0.0] + [
        round(d + j, 2) for d, j in zip((0.4, 1.6, 3.1, 6.4, 7.8, 9.5), jitter, strict=True)
    ]
    mats = rng.sample([m for m in MATERIALS[lang] if ":" not in m], len(depths) - 2)
    crossing = next(m for m in MATERIALS[lang] if ":" in m)
    mats.insert(3, crossing)  # 3.1 - 6.4 crosses the foot of sheet 1
    bh = _Borehole(meta)
    pens: list[_Pen] = []
    tops: list[float] = []
    first = doc.page_count
    for _ in range(2):
        doc.new_page(width=A4[0], height=A4[1])
    for k in range(2):
        pen = _Pen(doc[first + k])
        top = _draw_header(pen, meta, lang, 50, 40) + 30
        pen.hline(45, 470, top)
        pen.hline(45, 470, A4[1] - 90)
        pens.append(pen)
        tops.append(top)
        _page_footer(pen, k + 1, 2, lang)
    scale = (A4[1] - 90 - tops[0]) / sheet

    def pos(d: float, k: int) -> float:
        return tops[k] + (d - k * sheet) * scale

    for k in range(2):  # depth scale ticks (whole metres) on the far left: a distractor
        for m in range(1, int(sheet)):
            pens[k].text(52, pos(k * sheet + m, k) - 3, str(int(k * sheet + m)), fs=6)
    boxes: dict[float, tuple[int, BBox]] = {}
    for d in depths[1:]:
        k = 0 if d < sheet else 1
        y = pos(d, k)
        pens[k].hline(145, 470, y)
        boxes[d] = (k + 1, pens[k].text(140, y - 5.5, _fmt(d), align="right"))
    pens[0].text(140, A4[1] - 95.5, _fmt(sheet), align="right")  # the sheet's bottom
    notes = _SUB_NOTES[lang]
    for i, text in enumerate(mats):
        a, b = depths[i], depths[i + 1]
        k = 0 if a < sheet else 1
        pen = pens[k]
        lines = pen.wrap(text, 280)
        rect = pen.paragraph(160, pos(a, k) + 3, lines)
        words = " ".join(lines)
        if i == 2:  # notes at their own depths inside the layer
            for share, template in ((0.5, notes[0]), (0.8, notes[1])):
                at = _fmt(round(a + share * (b - a), 1), 1)
                note = template.format(d=at)
                pen.text(160, pos(float(at), k) - 4, note)
                words += " " + note
        if a < sheet < b:
            # the next sheet repeats the layer's text at its top, then goes on with a note
            pens[1].paragraph(160, tops[1] + 3, lines)
            at = _fmt(round(sheet + (b - sheet) / 2, 1), 1)
            note = notes[1].format(d=at)
            pens[1].text(160, pos(float(at), 1) - 4, note)
            words += " " + note
        bh.layers.append(
            _layer((a, b), words, k + 1, rect, [b_ for b_ in (boxes.get(a), boxes[b]) if b_])
        )
    return bh


def sheet_log(seed: int = 21, lang: str = "fr") -> Sample:
    """A log drawn to scale on two sheets (sheet-bottom value, a layer across the break,
    the break's repeated text, depth-prefixed notes inside descriptions)."""
    rng = random.Random(seed)
    doc = fitz.open()
    bh = _sheet_log(doc, rng, lang, _meta(rng, "SC 4", 9.5, gw=False))
    return Sample(
        f"sheet_log_{lang}_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "log to scale on sheets: sheet-bottom values, a layer across the break, sub-notes",
    )


_TABLE_HEADINGS = {
    "de": ("Tiefe [m]", "Beschreibung", "Probenahme"),
    "fr": ("Prof. [m]", "Description", "Échantillons"),
    "it": ("Prof. [m]", "Descrizione", "Campioni"),
    "en": ("Depth (m)", "Description", "Samples"),
}
_UNIT_AGAIN = {
    "de": "{unit}: gegen unten fester, grau",
    "fr": "{unit}: plus compact vers le bas, gris",
    "it": "{unit}: più compatto verso il basso, grigio",
    "en": "{unit}: becoming denser with depth, grey",
}


def _continuation_log(
    doc: fitz.Document, rng: random.Random, lang: str, meta: MetaTruth
) -> _Borehole:
    """A log on sheets of 5 m whose last layer runs from sheet 1 through all of sheet 2: the
    second sheet prints no boundary, only its scale ticks (going on from 5), the layer's unit
    named again with new wording, depth-prefixed notes, the end of the hole; beside the log a
    sample column whose heading sits at the table's top, far above its first value there."""
    sheet = 5.0
    total = meta.total_depth or 9.4
    depths = [0.0, round(rng.uniform(0.2, 0.5), 2), round(rng.uniform(1.1, 1.9), 2)]
    depths += [round(rng.uniform(2.4, 3.4), 2), total]
    mats = rng.sample(MATERIALS[lang], len(depths) - 1)
    heads = _TABLE_HEADINGS[lang]
    bh = _Borehole(meta)
    pens: list[_Pen] = []
    tops: list[float] = []
    first = doc.page_count
    for _ in range(2):
        doc.new_page(width=A4[0], height=A4[1])
    for k in range(2):
        pen = _Pen(doc[first + k])
        top = _draw_header(pen, meta, lang, 50, 40) + 30
        for x, text in zip((60, 160, 420), heads, strict=True):
            pen.text(x, top - 14, text)
        pen.hline(45, 500, top)
        pen.hline(45, 500, A4[1] - 90)
        pens.append(pen)
        tops.append(top)
        _page_footer(pen, k + 1, 2, lang)
    scale = (A4[1] - 90 - tops[0]) / sheet

    def pos(d: float, k: int) -> float:
        return tops[k] + (d - k * sheet) * scale

    for k in range(2):  # whole-metre ticks of the depth scale on the far left
        for m in range(1, int(sheet)):
            pens[k].text(52, pos(k * sheet + m, k) - 3, str(int(k * sheet + m)), fs=6)
    boxes: dict[float, tuple[int, BBox]] = {}
    for d in depths[1:-1]:
        pens[0].hline(145, 410, pos(d, 0))
        boxes[d] = (1, pens[0].text(140, pos(d, 0) - 5.5, _fmt(d), align="right"))
    pens[0].text(140, A4[1] - 95.5, _fmt(sheet), align="right")  # the sheet's bottom
    # sample depths: the first on sheet 2 lies far below the table's heading row
    taken = sorted({round(rng.uniform(0.5, 4.5), 1) for _ in range(3)})
    taken += [round(rng.uniform(6.6, 7.2), 1), round(rng.uniform(7.8, 8.8), 1)]
    for d in taken:
        k = 0 if d < sheet else 1
        pens[k].text(470, pos(d, k) - 4, _fmt(d, 1), align="right")
    notes = _SUB_NOTES[lang]
    for i, text in enumerate(mats):
        a, b = depths[i], depths[i + 1]
        lines = pens[0].wrap(text, 240)
        rect = pens[0].paragraph(160, pos(a, 0) + 3, lines)
        words = " ".join(lines)
        if b > sheet:
            again = _UNIT_AGAIN[lang].format(unit=text.split(",")[0].split(":")[0])
            pens[1].text(160, tops[1] + 3, again)
            words += " " + again
            for d, template in zip(taken[-2:], notes, strict=True):
                note = template.format(d=_fmt(d, 1))
                pens[1].text(160, pos(d, 1) - 4, note)
                words += " " + note
            end = _END[lang].format(d=_fmt(total))
            line = pens[1].text(160, pos(total, 1) + 4, end)
            left = line.x0 + pens[1].width(end[: end.index(_fmt(total))])
            boxes[b] = (2, BBox(left, line.y0, left + pens[1].width(_fmt(total)), line.y1))
        bh.layers.append(
            _layer((a, b), words, 1, rect, [x for x in (boxes.get(a), boxes.get(b)) if x])
        )
    return bh


def continuation_sheet(seed: int = 51, lang: str = "de") -> Sample:
    """A thick last layer runs through a sheet that prints no boundary of its own."""
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "KB 12", round(rng.uniform(8.9, 9.6), 2), gw=False)
    bh = _continuation_log(doc, rng, lang, meta)
    return Sample(
        f"continuation_sheet_{lang}_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "a sheet with no boundary: the open layer runs through it to the end of the hole",
    )


def _crowded_blocks(
    doc: fitz.Document, rng: random.Random, lang: str, meta: MetaTruth
) -> _Borehole:
    """A log to scale whose thin top layers crowd: each description block starts under a rule
    drawn across the descriptions, pushed below the block above; a boundary value printed at
    its depth's height sits on the first row of the block it opens, a little above or below
    that row's middle (within the row)."""
    page = doc.new_page(width=A4[0], height=A4[1])
    pen = _Pen(page)
    top = _draw_header(pen, meta, lang, 50, 40) + 30
    scale = 50.0  # points per metre
    total = meta.total_depth or 6.0
    thin = round(rng.uniform(0.1, 0.14), 2)
    deep = sorted(round(rng.uniform(1.5, total - 1.0), 2) for _ in range(2))
    while deep[1] - deep[0] < 0.8:
        deep = sorted(round(rng.uniform(1.5, total - 1.0), 2) for _ in range(2))
    mats = rng.sample([m for m in MATERIALS[lang] if len(m) < 60], 5)
    pen.hline(150, 470, top)
    value_h = pen.fs * (ASC - DESC)
    boxes: dict[float, tuple[int, BBox]] = {}

    def value(d: float, cy: float) -> None:
        boxes[d] = (1, pen.text(140, cy - value_h / 2, _fmt(d), align="right"))

    bh = _Borehole(meta)
    starts = [0.0, thin]
    edge = top  # the foot of the block above
    for i, text in enumerate(mats):
        a = starts[i]
        first = max(top + a * scale + 3, edge + 4)
        if i:
            pen.hline(150, 470, first - 3)
        if i == 1:
            # the crowded boundary: printed at its height, on the next block's first row
            cy = first + value_h / 2 + rng.choice((-1, 1)) * rng.uniform(0.32, 0.42) * value_h
            b = round((cy - top) / scale, 2)
            starts.append(b)
            value(b, top + b * scale)
        elif i == 2:
            starts.append(deep[0])
        elif i == 3:
            starts.append(deep[1])
        elif i == 4:
            starts.append(total)
        lines = pen.wrap(text, 280)
        rect = pen.paragraph(160, first, lines)
        edge = rect.y1
        bh.layers.append(_layer((a, starts[i + 1]), " ".join(lines), 1, rect, []))
    value(thin, top + thin * scale)
    for d in (*deep, total):
        value(d, top + d * scale)
        pen.hline(150, 470, top + d * scale)
    for layer in bh.layers:
        a, b = layer["depth_interval"]["start"], layer["depth_interval"]["end"]
        found = [x for x in (boxes.get(a), boxes.get(b)) if x]
        layer["depth_rects"] = [x.as_list() for _, x in found]
        layer["depth_rects_pages"] = [p for p, _ in found]
    return bh


def crowded_blocks(seed: int = 61, lang: str = "it") -> Sample:
    """Crowded thin layers at the top of a ruled log drawn to scale (see _crowded_blocks)."""
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "S 3", round(rng.uniform(5.5, 7.0), 2), gw=False)
    bh = _crowded_blocks(doc, rng, lang, meta)
    return Sample(
        f"crowded_blocks_{lang}_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "crowded thin layers: a value on the first row of the ruled block it opens",
    )


_SURFACE = {
    "de": "cm Humus",
    "fr": "cm terre végétale",
    "it": "cm terreno vegetale",
    "en": "mm ASPHALT",
}
_END = {
    "de": "Endtiefe {d} m",
    "fr": "Fin du forage à {d} m",
    "it": "Fine del sondaggio a {d} m",
    "en": "End of borehole at {d}m",
}


def _drawn_log(doc: fitz.Document, rng: random.Random, lang: str, meta: MetaTruth) -> _Borehole:
    """Boundaries drawn as rules across the descriptions, no depth printed at them: depths
    read off a whole-metre scale with half-metre ticks; a thin surface layer named by its
    thickness above the log; the final depth printed under it."""
    page = doc.new_page(width=A4[0], height=A4[1])
    pen = _Pen(page)
    top = _draw_header(pen, meta, lang, 50, 40) + 40
    total = meta.total_depth or 6.0
    scale = (A4[1] - 140 - top) / 8.0  # the sheet holds 8 m
    surface = 0.05 if lang == "en" else round(rng.choice((0.15, 0.2, 0.3)), 2)
    depths = [0.0, surface, *sorted(round(rng.uniform(0.6, total - 0.6), 2) for _ in range(3))]
    depths.append(total)
    while any(b - a < 0.5 for a, b in itertools.pairwise(depths[1:])):
        depths = [0.0, surface, *sorted(round(rng.uniform(0.6, total - 0.6), 2) for _ in range(3))]
        depths.append(total)
    for k in range(17):  # the depth scale: ticks every 0.5 m, labels every metre
        y = top + 0.5 * k * scale
        pen.hline(40, 50 if k % 2 else 54, y, 0.4)
        if k % 2 == 0:
            pen.text(66, y - 5.5, str(k // 2), align="right")
    pen.hline(40, 470, top)
    pen.hline(40, 470, A4[1] - 140)
    pen.vline(190, top, A4[1] - 140)
    bh = _Borehole(meta)
    label = f"{int(surface * (1000 if lang == 'en' else 100))}{' ' if lang != 'en' else ''}"
    label += _SURFACE[lang]
    box = pen.text(260, top - 12, label)
    bh.layers.append(_layer((0.0, surface), label, 1, box, []))
    mats = rng.sample(MATERIALS[lang], len(depths) - 2)
    for i, text in enumerate(mats):
        a, b = depths[i + 1], depths[i + 2]
        pen.hline(190, 470, top + b * scale)
        lines = pen.wrap(text, 250)
        rect = pen.paragraph(200, top + max(a, 0.0) * scale + 4, lines)
        bh.layers.append(_layer((a, b), " ".join(lines), 1, rect, []))
    pen.text(220, top + total * scale + 4, _END[lang].format(d=_fmt(total)))
    return bh


def drawn_log(seed: int = 31, lang: str = "de") -> Sample:
    """Boundaries only drawn, read against the depth scale (no depth printed at them)."""
    rng = random.Random(seed)
    doc = fitz.open()
    bh = _drawn_log(doc, rng, lang, _meta(rng, "BS 7", round(rng.uniform(4.5, 7.5), 2), gw=False))
    return Sample(
        f"drawn_log_{lang}_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "boundaries drawn as rules, depths from the scale; surface layer named by its thickness",
    )


def feet_log(seed: int = 41, mark: str = "") -> Sample:
    """An English boundary-column log in feet: 'Depth [ft]' over the column, or a foot mark
    after every value ("12.50'"). The truth is in feet, marked ``depth_unit: ft``."""
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "BH 4", 30.0, gw=False)
    bh = _boundary_column(doc, rng, "en", meta, 6, unit="ft", mark=mark)
    truth = bh.to_truth(0)
    truth["depth_unit"] = "ft"
    return Sample(
        f"feet_log_{seed}{'_marked' if mark else ''}",
        _finish(doc),
        [truth],
        "boundary column in feet (heading or foot marks): converted to metres, with a warning",
    )


def tight_codes(seed: int = 71, lang: str = "fr") -> Sample:
    """A boundary column where codes of the neighbouring columns (sample id left, grade
    right) are printed tight against two of its values: one run of text holds all three."""
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "F 9", round(rng.uniform(8.0, 12.0), 2), gw=False)
    bh = _boundary_column(doc, rng, lang, meta, 6, tight_codes=True)
    return Sample(
        f"tight_codes_{lang}_{seed}",
        _finish(doc),
        [bh.to_truth(0)],
        "codes of neighbouring columns printed tight against depth values",
    )


_WATER_HEADING = {
    "fr": ("Niveau", "d'eau", "(m)"),
    "de": ("Wasser-", "spiegel", "(m)"),
    "it": ("Livello", "falda", "(m)"),
    "en": ("Water", "Level", "(m)"),
}


def shift_water_levels(seed: int = 81, lang: str = "fr") -> Sample:
    """A boundary-column log beside a drilling record: the water level read at the start and
    end of each shift, listed down a column under a heading set on three short lines
    ('Niveau' / "d'eau" / '(m)'), with the time of each reading and the day on its first."""
    rng = random.Random(seed)
    doc = fitz.open()
    meta = _meta(rng, "SC 2", round(rng.uniform(8.0, 12.0), 2), gw=False)
    bh = _boundary_column(doc, rng, lang, meta, 5)
    pen = _Pen(doc[0])
    x, top = 540.0, 170.0
    for k, word in enumerate(_WATER_HEADING[lang]):
        pen.text(x, top + k * 9, word, fs=7)
    day = meta.date or "2020-01-01"
    readings: list[tuple[float, str | None]] = []
    y = top + 60
    for n in range(4):
        depth = round(rng.uniform(1.0, (meta.total_depth or 8.0) - 1.0), 2)
        when = f"{day[:8]}{int(day[8:]) + n // 2:02d}"
        if n % 2 == 0:
            pen.text(x - 58, y, _date_text(when), fs=6)
        pen.text(x - 22, y, ("0800", "1800")[n % 2], fs=6)
        pen.text(x, y, _fmt(depth), fs=7)
        readings.append((depth, when))
        y += rng.uniform(60, 120)
    truth = bh.to_truth(0)
    truth["groundwater"] = [{"depth": d, "date": w, "elevation": None} for d, w in readings]
    return Sample(
        f"shift_water_levels_{lang}_{seed}",
        _finish(doc),
        [truth],
        "water levels per shift listed under a heading set on three lines",
    )


def all_samples() -> list[Sample]:
    """One sample of every family (a few seconds to build)."""
    return [
        boundary_column(1, "de"),
        boundary_column(11, "fr"),
        interval_text(2, "de"),
        interval_text(12, "en", comma=False),
        inline_french(3),
        ruled_table(4, "it"),
        ruled_table(14, "en"),
        several_boreholes(5),
        page_break(6),
        rotated(7, 90),
        rotated(17, 270, interval_text),
        columns_header(9, "fr"),
        columns_header(19, "de"),
        sheet_log(21, "fr"),
        continuation_sheet(51, "de"),
        crowded_blocks(61, "it"),
        tight_codes(71, "fr"),
        shift_water_levels(81, "fr"),
        drawn_log(31, "de"),
        scanned(8),  # last: tests of the text layer take all but the last
    ]


def write_samples(out_dir: Path, samples: Sequence[Sample]) -> Path:
    """Write ``<name>.pdf`` per sample and one ``ground_truth.json`` (benchmark schema)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truth: dict[str, Any] = {}
    for s in samples:
        (out_dir / f"{s.name}.pdf").write_bytes(s.pdf)
        truth[f"{s.name}.pdf"] = s.truth
    path = out_dir / "ground_truth.json"
    path.write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stratigraphy.samples", description=__doc__.split("\n")[0]
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--all", action="store_true", help="every family (default: a small set)")
    args = parser.parse_args(argv)
    samples = (
        all_samples()
        if args.all
        else [
            boundary_column(1, "de"),
            inline_french(3),
            ruled_table(4, "it"),
            rotated(7, 270),
        ]
    )
    path = write_samples(args.out_dir, samples)
    print(f"wrote {len(samples)} PDFs and {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
