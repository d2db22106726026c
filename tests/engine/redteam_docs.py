"""Red-team borehole PDFs for the engine's tests, with known truth.

Written independently of ``stratigraphy.samples``: other fonts (PyMuPDF's helv, tiro and
cour), sizes, spacings, column orders, header layouts, units and wordings, in the layout
families of the borehole primer. Each generator returns a :class:`Doc` whose truth follows
the benchmark schema (descriptions are the printed lines joined by one space).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import fitz

from stratigraphy.geometry import BBox, union_all, unrotate_bbox

PORTRAIT = (595.0, 842.0)
LANDSCAPE = (842.0, 595.0)


@dataclass(frozen=True)
class Doc:
    name: str
    pdf: bytes
    truth: list[dict[str, Any]]


@dataclass
class Hole:
    """Truth of one borehole while its page is drawn."""

    name: str | None = None
    coords: tuple[float, float] | None = None
    elevation: float | None = None
    date: str | None = None
    total_depth: float | None = None
    water: list[float] = field(default_factory=list)
    layers: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        top: float | None,
        bottom: float | None,
        lines: list[str],
        page: int,
        rect: BBox,
        depth_boxes: list[BBox],
    ) -> None:
        self.layers.append(
            {
                "depth_interval": {"start": top, "end": bottom},
                "material_description": " ".join(lines),
                "page": page,
                "material_description_rect": rect.as_list(),
                "depth_rects": [b.as_list() for b in depth_boxes],
            }
        )

    def truth(self, index: int) -> dict[str, Any]:
        coords = {"E": self.coords[0], "N": self.coords[1]} if self.coords else None
        return {
            "borehole_index": index,
            "layers": self.layers,
            "metadata": {
                "coordinates": coords,
                "reference_elevation": self.elevation,
                "original_name": self.name,
                "drilling_date": self.date,
                "total_depth": self.total_depth,
            },
            "groundwater": [{"depth": d, "date": None, "elevation": None} for d in self.water],
        }


class Sheet:
    """Writes on one page with one base-14 font; boxes are estimates of the printed text."""

    def __init__(self, page: fitz.Page, font: str = "helv", size: float = 9.0) -> None:
        self.page = page
        self.font = font
        self.size = size

    def width(self, text: str, size: float | None = None, font: str | None = None) -> float:
        return float(
            fitz.get_text_length(text, fontname=font or self.font, fontsize=size or self.size)
        )

    def put(
        self,
        x: float,
        top: float,
        text: str,
        *,
        size: float | None = None,
        font: str | None = None,
        align: str = "left",
    ) -> BBox:
        size = size or self.size
        font = font or self.font
        w = self.width(text, size, font)
        if align == "right":
            x -= w
        elif align == "center":
            x -= w / 2
        self.page.insert_text((x, top + 0.82 * size), text, fontname=font, fontsize=size)
        return BBox(x, top, x + w, top + 1.05 * size)

    def wrap(self, text: str, width: float, size: float | None = None) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and self.width(trial, size) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + ([current] if current else [])

    def block(
        self,
        x: float,
        top: float,
        lines: list[str],
        *,
        size: float | None = None,
        leading: float = 1.3,
    ) -> BBox:
        size = size or self.size
        return union_all(
            self.put(x, top + i * leading * size, ln, size=size) for i, ln in enumerate(lines)
        )

    def rule(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5) -> None:
        self.page.draw_line((x0, y0), (x1, y1), color=(0, 0, 0), width=width)

    def polyline(self, points: list[tuple[float, float]], width: float = 0.4) -> None:
        for a, b in itertools.pairwise(points):
            self.page.draw_line(a, b, color=(0, 0, 0), width=width)


def _bytes(doc: fitz.Document) -> bytes:
    data: bytes = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return data


def _f(value: float, comma: bool = False, decimals: int = 2) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if comma else text


# --------------------------------------------------------------------------- (a) French ruled table


def french_table() -> Doc:
    """'COUPE DE SONDAGE': Profondeur (m) | Description | Échantillons, ruled; samples column ignored."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "tiro", 9.5)
    s.put(297, 36, "COUPE DE SONDAGE", size=15, align="center")
    hole = Hole("SC 3", (2538120.0, 1152340.0), 432.15, "2019-03-12", 7.8)
    s.put(40, 70, "Sondage : SC 3")
    s.put(40, 84, "Coordonnées : 2'538'120 / 1'152'340")
    s.put(330, 70, "Altitude : 432.15 m")
    s.put(330, 84, "Date : 12.03.2019")
    s.put(330, 98, "Profondeur finale : 7.80 m")
    xs = [40, 120, 430, 555]
    top = 130.0
    s.put(44, top + 4, "Profondeur (m)", size=8.5)
    s.put(124, top + 4, "Description", size=8.5)
    s.put(434, top + 4, "Échantillons", size=8.5)
    y = top + 20
    rows = [
        (0.0, 0.4, "Terre végétale brune, limoneuse, avec racines"),
        (0.4, 1.7, "Limon argileux brun clair, peu graveleux, humide, consistance moyenne"),
        (1.7, 3.25, "Gravier sableux propre, gris, galets arrondis jusqu'à 8 cm, compact"),
        (3.25, 5.1, "Sable fin à moyen, gris beige, légèrement limoneux, saturé"),
        (5.1, 7.8, "Argile limoneuse grise, plastique, raide, quelques passées de sable fin"),
    ]
    samples = {1: ["E1  1.00"], 2: ["E2  2.50"], 3: ["E3  4.00", "E4  4.80"], 4: ["E5  6.50"]}
    lines_y = [top, top + 18]
    for i, (a, b, text) in enumerate(rows):
        depth = s.put(44, y + 3, f"{_f(a)} - {_f(b)}")
        lines = s.wrap(text, xs[2] - xs[1] - 12)
        rect = s.block(124, y + 3, lines)
        for k, sample in enumerate(samples.get(i, [])):
            s.put(434, y + 3 + 12.5 * k, sample, size=8.5)
        hole.add(a, b, lines, 1, rect, [depth])
        y = max(rect.y1, y + 3 + 12.5 * len(samples.get(i, []))) + 9
        lines_y.append(y)
    for ly in lines_y:
        s.rule(xs[0], ly, xs[-1], ly)
    for x in xs:
        s.rule(x, top, x, lines_y[-1])
    s.put(40, 800, "Bureau d'études géotechniques - page 1/1", size=7)
    return Doc("french_table", _bytes(doc), [hole.truth(0)])


# --------------------------------------------------------------------------- (b) German boundary log


def german_profile() -> Doc:
    """'Bohrprofil' drawn to scale: ruler ticks left, boundary values on (kinked) leaders right."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 8.0)
    s.put(40, 30, "Bohrprofil", size=16)
    hole = Hole("KB 12", (2645120.0, 1248360.0), 452.8, "2017-06-14", 9.6, [3.2])
    s.put(40, 60, "Bohrung KB 12")
    s.put(40, 72, "Koordinaten 2 645 120 / 1 248 360")
    s.put(40, 84, "Terrain 452.80 m ü.M.")
    s.put(300, 60, "Bohrbeginn 14.06.2017")
    s.put(300, 72, "Endtiefe 9.60 m")
    s.put(300, 84, "Grundwasser 3.20 m u.T.")
    top, scale = 140.0, 62.0
    s.put(40, top - 20, "m u.T.", size=7)
    s.put(180, top - 20, "Schichtbeschreibung", size=9)
    # ruler: ticks at every metre, labelled with whole metres
    s.rule(62, top, 62, top + 9.6 * scale)
    for m in range(0, 10):
        y = top + m * scale
        s.rule(56, y, 62, y)
        if m:
            s.put(52, y - 3.5, str(m), size=7, align="right")
    # graphic column
    s.rule(70, top, 70, top + 9.6 * scale)
    s.rule(110, top, 110, top + 9.6 * scale)
    bounds = [0.0, 0.3, 1.45, 2.8, 3.8, 3.95, 5.6, 7.25, 9.6]
    texts = [
        "Mutterboden, dunkelbraun, humos",
        "Lehm, siltig, schwach sandig, braun, weich bis steif",
        "Kies, sandig, schwach siltig, grau, gerundet, dicht gelagert",
        "Sand, mittel bis grob, kiesig, graubraun, nass",
        "Torflage",
        "Kies und Sand, grau, Gerölle bis 10 cm, mitteldicht, wasserführend",
        "Silt, tonig, grau, steif, mit Pflanzenresten",
        "Moräne: Silt, sandig, kiesig, mit Steinen, sehr dicht, grau",
    ]
    ys = [top + d * scale for d in bounds]
    labels: dict[float, BBox] = {}
    shift = {3.8: -6.0, 3.95: 6.0}  # crowded values sit on kinked leaders
    for d, y in zip(bounds, ys, strict=True):
        s.rule(70, y, 110, y)
        if d == 0.0:
            continue
        ly = y + shift.get(d, 0.0)
        s.polyline([(110, y), (118, y), (124, ly), (130, ly)])
        labels[d] = s.put(160, ly - 4.2, _f(d), size=8, align="right")
    for i, text in enumerate(texts):
        a, b = bounds[i], bounds[i + 1]
        band = ys[i + 1] - ys[i]
        size = 8.0 if band >= 12 else 6.5
        lines = s.wrap(text, 300, size)
        height = len(lines) * 1.3 * size
        start = ys[i] + max(1.5, (band - height) / 2)
        rect = s.block(180, start, lines, size=size)
        boxes = [labels[d] for d in (a, b) if d in labels]
        hole.add(a, b, lines, 1, rect, boxes)
    s.put(40, 800, "Massstab 1:100", size=7)
    return Doc("german_profile", _bytes(doc), [hole.truth(0)])


# --------------------------------------------------------------------------- (c) identifiers


def identifier_log() -> Doc:
    """Descriptions labelled 1), 2) ... and a separate table of their depths."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 9.0)
    hole = Hole("RB 4", None, 388.6, None, 6.5)
    s.put(50, 40, "Rammkernbohrung RB 4", size=12)
    s.put(50, 60, "Ansatzhöhe: 388.60 m ü.M.")
    s.put(50, 100, "Schichtbeschreibung", size=10)
    texts = [
        "Oberboden, humos, dunkelbraun, durchwurzelt",
        "Auffüllung: Kies, sandig, mit Ziegelresten und Schlacke, graubraun",
        "Lehm, tonig, siltig, ockerbraun, steif",
        "Schotter: Kies mit Sand, sauber, grau, locker gelagert",
        "Molasse: Sandstein, feinkörnig, verwittert, graugrün",
    ]
    bounds = [0.0, 0.25, 1.1, 2.6, 4.9, 6.5]
    y = 120.0
    rects = []
    for i, text in enumerate(texts):
        s.put(50, y, f"{i + 1})")
        lines = s.wrap(text, 280)
        rect = s.block(68, y, lines)
        rects.append((lines, rect))
        y = rect.y1 + 10
    y += 20
    s.put(50, y, "Schichtgrenzen", size=10)
    y += 18
    s.put(50, y, "Schicht")
    s.put(120, y, "von [m]")
    s.put(190, y, "bis [m]")
    y += 14
    for i in range(len(texts)):
        s.put(50, y, f"{i + 1})")
        a_box = s.put(150, y, _f(bounds[i]), align="right")
        b_box = s.put(220, y, _f(bounds[i + 1]), align="right")
        lines, rect = rects[i]
        hole.add(bounds[i], bounds[i + 1], lines, 1, rect, [a_box, b_box])
        y += 13
    return Doc("identifier_log", _bytes(doc), [hole.truth(0)])


# --------------------------------------------------------------------------- (d) English borehole log


def english_log() -> Doc:
    """'BOREHOLE LOG' with From (m) | To (m) | Description | SPT N | RQD (%) columns."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 8.5)
    s.put(40, 30, "BOREHOLE LOG", size=14)
    hole = Hole("BH-3", (2684250.0, 1247810.0), 505.2, "2021-04-07", 12.4, [2.4])
    s.put(40, 56, "Borehole: BH-3")
    s.put(40, 68, "Coordinates: 2'684'250 / 1'247'810")
    s.put(40, 80, "Ground level: 505.20 m a.s.l.")
    s.put(320, 56, "Date started: 07.04.2021")
    s.put(320, 68, "Final depth: 12.40 m")
    s.put(320, 80, "Water strike: 2.40 m")
    heads = [
        (40, "From (m)"),
        (88, "To (m)"),
        (130, "Description"),
        (440, "SPT N"),
        (495, "RQD (%)"),
    ]
    top = 110.0
    for x, h in heads:
        s.put(x, top, h, size=8)
    s.rule(40, top + 13, 555, top + 13)
    rows = [
        (0.0, 0.3, "TOPSOIL: dark brown sandy silt with rootlets", "", ""),
        (0.3, 2.1, "Firm brown slightly sandy CLAY with occasional gravel", "9", ""),
        (2.1, 4.6, "Medium dense grey sandy GRAVEL, subrounded, wet", "24", ""),
        (4.6, 7.9, "Stiff to very stiff grey silty CLAY (glacial till) with cobbles", "38", ""),
        (7.9, 12.4, "Moderately weathered grey SANDSTONE, medium bedded, fractured", "", "62"),
    ]
    y = top + 20
    for a, b, text, spt, rqd in rows:
        a_box = s.put(75, y, _f(a), align="right")
        b_box = s.put(120, y, _f(b), align="right")
        lines = s.wrap(text, 290)
        rect = s.block(130, y, lines)
        if spt:
            s.put(455, y + 11, spt, align="center")
        if rqd:
            s.put(515, y, rqd, align="center")
        hole.add(a, b, lines, 1, rect, [a_box, b_box])
        y = rect.y1 + 14
    s.rule(40, y, 555, y)
    s.put(40, y + 8, "End of borehole at 12.40 m", size=8)
    return Doc("english_log", _bytes(doc), [hole.truth(0)])


# --------------------------------------------------------------------------- (e) two side by side


def side_by_side() -> Doc:
    """Two boreholes on one landscape page, each with its header and 'a – b m' rows."""
    doc = fitz.open()
    page = doc.new_page(width=LANDSCAPE[0], height=LANDSCAPE[1])
    s = Sheet(page, "helv", 8.5)
    s.put(421, 24, "Sondierungen Parzelle 1123", size=12, align="center")
    specs = [
        (
            40,
            Hole("RS 1", (2601410.0, 1199870.0), 421.35, None, 4.5),
            [
                (0.0, 0.35, "Oberboden, siltig, braun"),
                (0.35, 1.8, "Silt, tonig, beige, weich, mit Wurzelresten"),
                (1.8, 3.1, "Kies, sandig, grau, locker"),
                (3.1, 4.5, "Moräne, siltig-sandiger Kies mit Steinen, dicht"),
            ],
        ),
        (
            440,
            Hole("RS 2", (2601455.0, 1199902.0), 420.9, None, 5.2),
            [
                (0.0, 0.2, "Asphaltbelag"),
                (0.2, 0.65, "Koffer: Kies, sandig, grau"),
                (0.65, 2.45, "Sand, siltig, braungrau, feucht"),
                (2.45, 5.2, "Kies mit Sand und Steinen, grau, nass, dicht gelagert"),
            ],
        ),
    ]
    holes = []
    for x, hole, rows in specs:
        s.put(x, 56, f"Sondierung {hole.name}", size=10)
        assert hole.coords is not None and hole.elevation is not None
        s.put(x, 72, f"Koord. {int(hole.coords[0]):,} / {int(hole.coords[1]):,}".replace(",", "'"))
        s.put(x, 84, f"Kote OK Terrain {hole.elevation:.2f} m ü.M.")
        s.put(x, 110, "Tiefe [m]")
        s.put(x + 80, 110, "Beschreibung")
        y = 128.0
        for a, b, text in rows:
            depth = s.put(x, y, f"{_f(a)} – {_f(b)}")
            lines = s.wrap(text, 250)
            rect = s.block(x + 80, y, lines)
            hole.add(a, b, lines, 1, rect, [depth])
            y = rect.y1 + 12
        holes.append(hole)
    return Doc("side_by_side", _bytes(doc), [h.truth(i) for i, h in enumerate(holes)])


# --------------------------------------------------------------------------- (f) two pages


def two_pages() -> Doc:
    """A table log over two pages; page 2 repeats the header; one layer spans the break."""
    doc = fitz.open()
    hole = Hole("B 7", (2712040.0, 1265330.0), 398.45, "2020-10-05", 14.0)
    rows = [
        (0.0, 0.4, "Humus, sandig, dunkelbraun, stark durchwurzelt, locker"),
        (
            0.4,
            2.3,
            "Sand, siltig, ockerbraun, locker, feucht, mit vereinzelten Kieskörnern "
            "und Wurzelresten, gegen unten grauer werdend",
        ),
        (
            2.3,
            5.15,
            "Kies, stark sandig, grau, gerundet, mitteldicht gelagert, ab 4 m nass, "
            "Komponenten aus Kalk und Kristallin, vereinzelt Steine bis 12 cm",
        ),
        (
            5.15,
            6.9,
            "Sand, fein, siltig, graubeige, geschichtet, mit dünnen Siltlagen, "
            "mitteldicht gelagert, nass",
        ),
        (
            6.9,
            8.7,
            "Silt, tonig, grau, weich bis steif, mit organischen Beimengungen und "
            "einzelnen Holzresten, nach unten zunehmend sandig, stellenweise geschichtet "
            "mit dünnen Feinsandlagen, leicht riechend, vereinzelt Schneckenschalen",
        ),
        (8.7, 11.35, "Kies mit Sand, grau, dicht gelagert, vereinzelt Steine"),
        (11.35, 14.0, "Mergel, grau, verwittert, hart"),
    ]
    for _ in range(2):
        doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    sheets = [Sheet(doc[k], "tiro", 9.0) for k in range(2)]
    tops = []
    for n, sh in enumerate(sheets):
        sh.put(40, 30, "Bohrung B 7 - Schichtenverzeichnis", size=12)
        sh.put(40, 50, "Koordinaten: 2'712'040 / 1'265'330     Höhe: 398.45 m ü.M.")
        sh.put(40, 62, "Datum: 05.10.2020")
        sh.put(480, 30, f"Blatt {n + 1}/2", size=8)
        head = 610.0 if n == 0 else 90.0  # page 1 carries a situation sketch above the log
        if n == 0:
            sh.page.draw_rect(fitz.Rect(40, 90, 555, 595), color=(0, 0, 0), width=0.5)
            sh.put(50, 96, "Situation 1:500", size=8)
        sh.put(40, head, "von m")
        sh.put(90, head, "bis m")
        sh.put(140, head, "Schichtbeschreibung")
        sh.rule(40, head + 14, 555, head + 14)
        tops.append(head + 20)
    foot, leading = 790.0, 1.3 * 9.0
    n, y = 0, tops[0]
    spanned = False
    for a, b, text in rows:
        if y + 2 * leading > foot and n == 0:
            n, y = 1, tops[1]
        s = sheets[n]
        a_box = s.put(40, y, _f(a))
        b_box = s.put(90, y, _f(b))
        start_page = n + 1
        lines = s.wrap(text, 300)
        boxes: list[tuple[int, BBox]] = []
        for line in lines:
            if y + leading > foot and n == 0:
                n, y = 1, tops[1]
                spanned = True
            boxes.append((n + 1, sheets[n].put(140, y, line)))
            y += leading
        rect = union_all(bx for p, bx in boxes if p == start_page)
        hole.add(a, b, lines, start_page, rect, [a_box, b_box])
        y += 12
        if y > foot and n == 0:
            n, y = 1, tops[1]
    assert spanned, f"the layout must cut a layer at the page break ({y})"
    sheets[1].put(40, y + 10, "Ende der Bohrung bei 14.00 m")
    return Doc("two_pages", _bytes(doc), [hole.truth(0)])


# --------------------------------------------------------------------------- (g) Italian


def italian_log() -> Doc:
    """'Stratigrafia' with rows 'da m 0,00 a m 1,20' and decimal commas."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "tiro", 10.0)
    s.put(297, 40, "STRATIGRAFIA", size=14, align="center")
    hole = Hole("S 2", (2722150.0, 1116480.0), 274.5, "2015-09-18", 10.0)
    s.put(50, 70, "Sondaggio: S 2")
    s.put(50, 84, "Coordinate: 2'722'150 / 1'116'480")
    s.put(50, 98, "Quota: 274,50 m s.l.m.")
    s.put(330, 70, "Data: 18.09.2015")
    s.put(330, 84, "Profondità raggiunta: 10,00 m")
    rows = [
        (0.0, 1.2, "Terreno vegetale limoso, marrone scuro, con radici"),
        (1.2, 3.4, "Limo argilloso, nocciola, mediamente consistente"),
        (3.4, 6.0, "Ghiaia sabbiosa con ciottoli, grigia, addensata"),
        (6.0, 10.0, "Marna grigia, compatta, fratturata nella parte alta"),
    ]
    y = 140.0
    for a, b, text in rows:
        depth = s.put(50, y, f"da m {_f(a, True)} a m {_f(b, True)}")
        lines = s.wrap(text, 300)
        rect = s.block(200, y, lines)
        hole.add(a, b, lines, 1, rect, [depth])
        y = rect.y1 + 14
    return Doc("italian_log", _bytes(doc), [hole.truth(0)])


# --------------------------------------------------------------------------- (h) French inline


def french_inline() -> Doc:
    """Typewriter log: rows start with negative top depths; 'Fin du sondage à -8.50 m' ends it."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "cour", 9.0)
    hole = Hole("F 4", (578320.0, 145260.0), 512.3, None, 8.5)
    s.put(60, 40, "FORAGE F 4", size=11)
    s.put(60, 58, "Coord. 578 320 / 145 260")
    s.put(60, 70, "Altitude 512.30 m")
    rows = [
        (0.0, "Terre végétale"),
        (0.3, "Limon brun, sableux, avec quelques cailloux"),
        (1.6, "Gravier et sable, gris, propre, compact"),
        (4.2, "Moraine argileuse grise, très compacte, avec blocs"),
        (7.1, "Molasse gréseuse altérée, beige"),
    ]
    y = 110.0
    for i, (top, text) in enumerate(rows):
        depth = s.put(60, y, "0.00" if top == 0 else f"-{_f(top)}")
        lines = s.wrap(text, 330)
        rect = s.block(130, y, lines)
        rows[i] = (top, text)
        hole.layers.append({"_rect": rect, "_depth": depth, "_lines": lines, "_top": top})
        y = rect.y1 + 10
    end = s.put(130, y + 4, "Fin du sondage à -8.50 m")
    drafts = hole.layers
    hole.layers = []
    for i, d in enumerate(drafts):
        bottom = drafts[i + 1]["_top"] if i + 1 < len(drafts) else 8.5
        boxes = [d["_depth"], drafts[i + 1]["_depth"] if i + 1 < len(drafts) else end]
        hole.add(d["_top"], bottom, d["_lines"], 1, d["_rect"], boxes)
    return Doc("french_inline", _bytes(doc), [hole.truth(0)])


# --------------------------------------------------------------------------- (i) /Rotate 270


def _landscape_table(doc: fitz.Document) -> Hole:
    page = doc.new_page(width=LANDSCAPE[0], height=LANDSCAPE[1])
    s = Sheet(page, "helv", 8.5)
    hole = Hole("KB 2", (2667300.0, 1228450.0), 489.75, "2018-08-21", 11.0)
    s.put(40, 30, "Kernbohrung KB 2", size=13)
    s.put(40, 50, "Koordinaten: 2'667'300 / 1'228'450")
    s.put(300, 50, "Kote: 489.75 m ü.M.")
    s.put(520, 50, "Datum: 21.08.2018")
    cols = [
        (40, "von"),
        (85, "bis"),
        (130, "Beschreibung"),
        (480, "Farbe"),
        (560, "Konsistenz"),
        (660, "Bemerkungen"),
    ]
    s.put(40, 80, "m u. T.", size=7)
    for x, head in cols:
        s.put(x, 92, head)
    s.rule(40, 106, 800, 106)
    rows = [
        (0.0, 0.5, "Auffüllung, Kies, sandig, mit Bauschutt", "dunkelbraun", "locker", ""),
        (0.5, 2.2, "Silt, schwach tonig, feinsandig", "ockerbraun", "steif", "Wasserzutritt"),
        (2.2, 6.4, "Kies mit Sand, schwach siltig, gerundet", "grau", "dicht", ""),
        (
            6.4,
            11.0,
            "Ton, siltig, mit Feinsandlagen, laminiert",
            "graublau",
            "halbfest",
            "Kernverlust 9.10",
        ),
    ]
    y = 114.0
    for a, b, text, color, cons, remark in rows:
        a_box = s.put(40, y, _f(a))
        b_box = s.put(85, y, _f(b))
        lines = s.wrap(text, 330)
        rect = s.block(130, y, lines)
        s.put(480, y, color)
        s.put(560, y, cons)
        if remark:
            s.put(660, y, remark)
        hole.add(a, b, lines, 1, rect, [a_box, b_box])
        y = rect.y1 + 16
        s.rule(40, y - 8, 800, y - 8, width=0.3)
    return hole


def rotated_landscape(rotation: int = 270) -> Doc:
    """Landscape content on a portrait-stored page that carries /Rotate (boxes in the stored frame)."""
    src = fitz.open()
    hole = _landscape_table(src)
    out = fitz.open()
    new = out.new_page(width=LANDSCAPE[1], height=LANDSCAPE[0])
    new.show_pdf_page(new.rect, src, 0, rotate=rotation)
    new.set_rotation(rotation)
    src.close()
    for layer in hole.layers:
        layer["material_description_rect"] = unrotate_bbox(
            BBox(*layer["material_description_rect"]), LANDSCAPE[1], LANDSCAPE[0], rotation
        ).as_list()
        layer["depth_rects"] = [
            unrotate_bbox(BBox(*r), LANDSCAPE[1], LANDSCAPE[0], rotation).as_list()
            for r in layer["depth_rects"]
        ]
    return Doc(f"rotated_landscape_{rotation}", _bytes(out), [hole.truth(0)])


# --------------------------------------------------------------------------- (j) image-only


def image_only(doc: Doc, dpi: int = 200) -> Doc:
    """The same pages rendered at ``dpi`` into an image-only PDF (same page frame and /Rotate)."""
    src = fitz.open(stream=doc.pdf, filetype="pdf")
    out = fitz.open()
    for page in src:
        rotation = page.rotation
        page.set_rotation(0)
        pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
        new.set_rotation(rotation)
    src.close()
    return Doc(f"{doc.name}_scan", _bytes(out), doc.truth)


# --------------------------------------------------------------------------- second round


def french_split_table() -> Doc:
    """'de' | 'à' columns, and a column of sample depths (plain numbers) right of the descriptions."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 8.0)
    hole = Hole("SG 11", (538120.0, 152340.0), 432.15, None, 9.0)
    s.put(40, 34, "PROFIL DE SONDAGE  SG 11", size=12)
    s.put(40, 56, "COORDONNEES : Y = 538 120 / X = 152 340")
    s.put(40, 68, "ALTITUDE DE DEPART : 432.15")
    s.put(40, 104, "Profondeur", size=7)
    s.put(40, 114, "de", size=7)
    s.put(80, 114, "à", size=7)
    s.put(125, 114, "Nature du terrain", size=8)
    s.put(420, 104, "Échantillons", size=7)
    s.put(420, 114, "prof. (m)", size=7)
    rows = [
        (0.0, 0.35, "Terre végétale limoneuse brune"),
        (0.35, 1.9, "Limon sableux beige, humide, mou à moyennement consistant"),
        (1.9, 4.4, "Graviers et galets dans une matrice sableuse grise, compacts"),
        (4.4, 6.75, "Sable moyen à grossier, gris, saturé, quelques graviers"),
        (6.75, 9.0, "Marne grise à beige, dure, feuilletée"),
    ]
    sample_depths = {1: ["1.00"], 2: ["2.50", "3.80"], 3: ["5.20"], 4: ["7.50", "8.60"]}
    y = 130.0
    s.rule(40, y - 4, 555, y - 4)
    for i, (a, b, text) in enumerate(rows):
        a_box = s.put(40, y, _f(a))
        b_box = s.put(80, y, _f(b))
        lines = s.wrap(text, 270)
        rect = s.block(125, y, lines)
        for k, d in enumerate(sample_depths.get(i, [])):
            s.put(440, y + 11 * k, d)
        hole.add(a, b, lines, 1, rect, [a_box, b_box])
        y = max(rect.y1, y + 11 * len(sample_depths.get(i, []))) + 10
        s.rule(40, y - 5, 555, y - 5, width=0.3)
    return Doc("french_split_table", _bytes(doc), [hole.truth(0)])


def english_base_depths() -> Doc:
    """British style: 'Depth (m)' printed at each stratum's base; a level column (m AOD)."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "tiro", 9.0)
    hole = Hole("TP 2", None, None, None, 4.2)
    s.put(40, 34, "TRIAL PIT LOG  TP 2", size=13)
    s.put(40, 100, "Stratum description")
    s.put(380, 100, "Legend")
    s.put(440, 100, "Depth (m)")
    s.put(505, 100, "Level")
    s.rule(40, 114, 555, 114)
    top, scale = 120.0, 120.0
    rows = [
        (0.0, 0.25, "MADE GROUND: brown sandy topsoil with brick fragments"),
        (
            0.25,
            1.1,
            "Soft to firm orange brown slightly sandy gravelly CLAY. Gravel is fine to "
            "medium subangular flint",
        ),
        (1.1, 2.6, "Medium dense light brown slightly clayey fine to coarse SAND and GRAVEL"),
        (2.6, 4.2, "Stiff grey fissured silty CLAY with rare selenite crystals"),
    ]
    ground = 64.35
    for a, b, text in rows:
        y0, y1 = top + a * scale, top + b * scale
        lines = s.wrap(text, 320)
        rect = s.block(40, y0 + 4, lines)
        s.rule(40, y1, 555, y1, width=0.4)
        d_box = s.put(470, y1 - 11, _f(b), align="center")
        s.put(520, y1 - 11, _f(ground - b), align="center")
        boxes = [d_box]
        if hole.layers:
            boxes.insert(0, BBox(*hole.layers[-1]["depth_rects"][-1]))
        hole.add(a, b, lines, 1, rect, boxes)
    return Doc("english_base_depths", _bytes(doc), [hole.truth(0)])


def german_units_left() -> Doc:
    """Boundary values with their unit ('1.20 m') right of the descriptions; a samples column."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "cour", 8.0)
    hole = Hole("SB 3", (2599870.0, 1201450.0), 437.9, None, 8.0)
    s.put(40, 30, "Sondierbohrung SB 3", size=11)
    s.put(40, 48, "Koord. 2'599'870 / 1'201'450")
    s.put(40, 60, "OK Terrain 437.90 m ü.M.")
    s.put(40, 100, "Beschreibung")
    s.put(340, 100, "Tiefe")
    s.put(420, 100, "Proben")
    top, scale = 120.0, 70.0
    bounds = [0.0, 0.4, 1.5, 3.3, 5.8, 8.0]
    texts = [
        "Humus, siltig, braun",
        "Silt, sandig, beige, steif",
        "Kies, sandig, grau, dicht",
        "Sand, siltig, grau, nass",
        "Moräne, kiesig, sehr dicht",
    ]
    labels: dict[float, BBox] = {}
    for d in bounds:
        y = top + d * scale
        s.rule(40, y, 330, y, width=0.4)
        if d:
            labels[d] = s.put(340, y - 4, f"{_f(d)} m")
    for i, text in enumerate(texts):
        a, b = bounds[i], bounds[i + 1]
        lines = s.wrap(text, 280)
        rect = s.block(44, top + a * scale + 5, lines)
        hole.add(a, b, lines, 1, rect, [labels[d] for d in (a, b) if d in labels])
    for name, d in [("P1", 1.0), ("P2", 2.4), ("P3", 4.5), ("P4", 7.0)]:
        s.put(420, top + d * scale - 4, f"{name} {_f(d)}")
    return Doc("german_units_left", _bytes(doc), [hole.truth(0)])


def german_bis_rows() -> Doc:
    """Rows 'bis 0.40 m: Humus ...' giving only each layer's bottom."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 9.0)
    hole = Hole("KB 5", None, 501.2, None, 7.5)
    s.put(50, 40, "Schichtenverzeichnis Kernbohrung KB 5", size=12)
    s.put(50, 60, "Höhe: 501.20 m ü.M.")
    rows = [
        (0.4, "Humus, sandig, dunkelbraun"),
        (2.1, "Lehm, siltig, braun, steif bis halbfest"),
        (5.3, "Kies, sandig, grau, gerundet, dicht gelagert, nass"),
        (7.5, "Fels: Kalkstein, grau, geklüftet"),
    ]
    y = 100.0
    prev = 0.0
    prev_box: BBox | None = None
    for bottom, text in rows:
        box = s.put(50, y, f"bis {_f(bottom)} m")
        lines = s.wrap(text, 330)
        rect = s.block(130, y, lines)
        hole.add(prev, bottom, lines, 1, rect, ([prev_box] if prev_box else []) + [box])
        prev, prev_box = bottom, box
        y = rect.y1 + 10
    return Doc("german_bis_rows", _bytes(doc), [hole.truth(0)])


def stacked_tables() -> Doc:
    """Two boreholes one above the other on one page, each a small von/bis table."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 8.5)
    specs = [
        (
            Hole("B 1", (2611200.0, 1233400.0), 455.1, None, 5.0),
            [
                (0.0, 0.3, "Oberboden, braun"),
                (0.3, 2.2, "Lehm, siltig, beige"),
                (2.2, 5.0, "Kies, sandig, grau"),
            ],
        ),
        (
            Hole("B 2", (2611260.0, 1233470.0), 456.3, None, 6.0),
            [
                (0.0, 0.5, "Auffüllung, Kies, Ziegelreste"),
                (0.5, 3.1, "Sand, siltig, braun"),
                (3.1, 6.0, "Moräne, Silt, kiesig, dicht"),
            ],
        ),
    ]
    y = 40.0
    holes = []
    for hole, rows in specs:
        assert hole.coords and hole.elevation
        s.put(40, y, f"Bohrung {hole.name}", size=11)
        s.put(
            40,
            y + 16,
            f"Koordinaten {int(hole.coords[0]):,} / {int(hole.coords[1]):,}".replace(",", "'"),
        )
        s.put(300, y + 16, f"Kote {hole.elevation:.2f} m ü.M.")
        s.put(40, y + 40, "von")
        s.put(80, y + 40, "bis")
        s.put(120, y + 40, "Material")
        y += 56
        for a, b, text in rows:
            a_box = s.put(40, y, _f(a))
            b_box = s.put(80, y, _f(b))
            lines = s.wrap(text, 300)
            rect = s.block(120, y, lines)
            hole.add(a, b, lines, 1, rect, [a_box, b_box])
            y = rect.y1 + 8
        holes.append(hole)
        y += 120
    return Doc("stacked_tables", _bytes(doc), [h.truth(i) for i, h in enumerate(holes)])


def description_left() -> Doc:
    """French: descriptions left, depth column 'Prof. (m)' of boundaries right of them."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "tiro", 9.0)
    hole = Hole("F 2", None, 611.4, None, 6.0)
    s.put(40, 30, "Forage F 2", size=12)
    s.put(40, 48, "Altitude : 611.40 m")
    s.put(40, 90, "Description des terrains")
    s.put(400, 90, "Prof. (m)")
    top, scale = 110.0, 90.0
    bounds = [0.0, 0.2, 1.4, 3.05, 6.0]
    texts = [
        "Enrobé bitumineux",
        "Grave de fondation, sable et gravier gris",
        "Limon argileux brun, plastique",
        "Argile grise à blocs (moraine), très compacte",
    ]
    labels: dict[float, BBox] = {}
    for d in bounds:
        y = top + d * scale
        s.rule(40, y, 440, y, width=0.4)
        if d:
            labels[d] = s.put(440, y - 10, _f(d), align="right")
    for i, text in enumerate(texts):
        a, b = bounds[i], bounds[i + 1]
        band = (b - a) * scale
        lines = s.wrap(text, 300)
        rect = s.block(44, top + a * scale + max(1.0, band / 2 - 6), lines)
        hole.add(a, b, lines, 1, rect, [labels[d] for d in (a, b) if d in labels])
    return Doc("description_left", _bytes(doc), [hole.truth(0)])


def skewed_scan(doc: Doc, degrees: float = 1.2, dpi: int = 200) -> Doc:
    """An image-only version whose scan is turned by a small angle, as a sheet fed askew."""
    import io

    from PIL import Image

    src = fitz.open(stream=doc.pdf, filetype="pdf")
    out = fitz.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY)
        img = Image.open(io.BytesIO(pix.tobytes("png"))).rotate(
            degrees, expand=False, fillcolor=255, resample=Image.BICUBIC
        )
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=buf.getvalue())
    src.close()
    return Doc(f"{doc.name}_skewed", _bytes(out), doc.truth)


def summary_table() -> Doc:
    """One ruled table listing several boreholes: Sondage | de | à | Lithologie; depths restart."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 8.0)
    s.put(40, 36, "Tableau récapitulatif des sondages", size=12)
    heads = [(40, "Sondage"), (100, "de (m)"), (145, "à (m)"), (190, "Lithologie")]
    top = 70.0
    for x, h in heads:
        s.put(x + 3, top + 3, h)
    specs = [
        (
            "S1",
            [
                (0.0, 0.3, "Terre végétale"),
                (0.3, 1.5, "Limon argileux brun"),
                (1.5, 3.0, "Gravier sableux gris, compact"),
            ],
        ),
        (
            "S2",
            [
                (0.0, 0.2, "Enrobé"),
                (0.2, 0.8, "Remblai graveleux"),
                (0.8, 2.6, "Sable limoneux beige"),
                (2.6, 4.0, "Moraine argileuse grise à blocs"),
            ],
        ),
        (
            "S3",
            [
                (0.0, 0.4, "Terre végétale"),
                (0.4, 2.2, "Argile limoneuse grise, plastique"),
                (2.2, 3.5, "Marne altérée beige"),
            ],
        ),
    ]
    y = top + 16
    rules = [top, y]
    holes = []
    for name, rows in specs:
        hole = Hole(name)
        s.put(43, y + 3, name)
        for a, b, text in rows:
            a_box = s.put(103, y + 3, _f(a))
            b_box = s.put(148, y + 3, _f(b))
            lines = s.wrap(text, 340)
            rect = s.block(193, y + 3, lines)
            hole.add(a, b, lines, 1, rect, [a_box, b_box])
            y = rect.y1 + 5
            s.rule(100, y, 555, y, width=0.3)
        rules.append(y)
        holes.append(hole)
    for ry in rules:
        s.rule(40, ry, 555, ry)
    for x in (40, 100, 145, 190, 555):
        s.rule(x, top, x, y)
    return Doc("summary_table", _bytes(doc), [h.truth(i) for i, h in enumerate(holes)])


def french_comma_boundaries() -> Doc:
    """Boundary column with comma decimals and unit ('0,40 m'), elevations column beside it."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "tiro", 8.5)
    hole = Hole("SP 7", (2556300.0, 1180250.0), 478.2, None, 7.5)
    s.put(40, 30, "SONDAGE SP 7", size=12)
    s.put(40, 48, "Coordonnées 2 556 300 / 1 180 250")
    s.put(40, 60, "Altitude du terrain 478,20 m")
    s.put(40, 96, "Cote")
    s.put(90, 96, "Prof.")
    s.put(150, 96, "Description")
    top, scale = 120.0, 80.0
    bounds = [0.0, 0.4, 1.55, 3.2, 5.1, 7.5]
    texts = [
        "Terre végétale brune",
        "Limon sableux ocre, mou",
        "Sable et gravier gris, propre, saturé",
        "Moraine graveleuse à matrice limoneuse, grise, compacte",
        "Molasse marneuse grise, tendre",
    ]
    labels: dict[float, BBox] = {}
    for d in bounds:
        y = top + d * scale
        s.rule(135, y, 550, y, width=0.4)
        if d:
            s.put(40, y - 4, _f(478.2 - d, True))
            labels[d] = s.put(90, y - 4, f"{_f(d, True)} m")
    for i, text in enumerate(texts):
        a, b = bounds[i], bounds[i + 1]
        lines = s.wrap(text, 330)
        rect = s.block(150, top + a * scale + 6, lines)
        hole.add(a, b, lines, 1, rect, [labels[d] for d in (a, b) if d in labels])
    return Doc("french_comma_boundaries", _bytes(doc), [hole.truth(0)])


def cluttered_log() -> Doc:
    """Landscape log with samples (intervals), test values and well construction (with 'Filterkies')."""
    doc = fitz.open()
    page = doc.new_page(width=LANDSCAPE[0], height=LANDSCAPE[1])
    s = Sheet(page, "helv", 7.5)
    hole = Hole("KB 9", (2683150.0, 1247320.0), 412.6, None, 12.0, [2.9])
    s.put(30, 24, "Kernbohrung KB 9", size=12)
    s.put(30, 42, "Koordinaten: 2'683'150 / 1'247'320")
    s.put(260, 42, "Terrainhöhe: 412.60 m ü.M.")
    s.put(460, 42, "Ruhewasserspiegel: 2.90 m ab OKT")
    cols = [
        (30, "Tiefe m"),
        (80, "Schichtbeschreibung"),
        (390, "Proben"),
        (480, "SPT"),
        (530, "Ausbau"),
        (700, "Bemerkungen"),
    ]
    for x, head in cols:
        s.put(x, 70, head, size=8)
    s.rule(30, 82, 812, 82)
    top, scale = 90.0, 38.0
    bounds = [0.0, 0.3, 1.8, 4.25, 7.6, 12.0]
    texts = [
        "Humus, siltig, braun",
        "Lehm, siltig-tonig, braun, steif, mit Wurzeln",
        "Kies, sandig, schwach siltig, grau, dicht gelagert, Komponenten gerundet bis 6 cm",
        "Sand, fein bis mittel, grau, nass, mitteldicht",
        "Moräne: Silt, tonig, kiesig, mit Steinen, grau, sehr dicht",
    ]
    labels: dict[float, BBox] = {}
    for d in bounds:
        y = top + d * scale
        s.rule(70, y, 380, y, width=0.4)
        if d:
            labels[d] = s.put(62, y - 3.5, _f(d), align="right")
    for i, text in enumerate(texts):
        a, b = bounds[i], bounds[i + 1]
        lines = s.wrap(text, 290)
        rect = s.block(84, top + a * scale + 4, lines)
        hole.add(a, b, lines, 1, rect, [labels[d] for d in (a, b) if d in labels])
    for k, (a, b) in enumerate([(1.0, 1.2), (2.5, 2.8), (5.0, 5.3), (9.0, 9.4)]):
        s.put(390, top + a * scale, f"{_f(a)}-{_f(b)} K{k + 1}")
    for d, n in [(1.5, "8"), (3.0, "27"), (4.5, "31"), (6.0, "44")]:
        s.put(480, top + d * scale, n)
    for a, b, what in [
        (0.0, 1.0, "Tonsperre"),
        (1.0, 2.0, "Quarzsand"),
        (2.0, 11.0, "Filterkies 2-4 mm"),
        (11.0, 12.0, "Sumpfrohr"),
    ]:
        s.put(530, top + a * scale + 2, f"{_f(a)} - {_f(b)} {what}")
    s.put(700, top + 2.9 * scale, "Wasserspiegel 2.90")
    s.put(700, top + 8.2 * scale, "Kernverlust 8.20 - 8.50")
    return Doc("cluttered_log", _bytes(doc), [hole.truth(0)])


def report_paragraphs() -> Doc:
    """A report page: 'De 0.40 à 1.70 m : limon ...' paragraphs whose lines run back to the margin."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "tiro", 10.0)
    hole = Hole("SC 1", None, None, None, 6.3, [3.2])
    s.put(60, 50, "3. Résultats du sondage SC 1", size=12)
    s.put(60, 74, "Le sondage a rencontré la succession suivante :")
    rows = [
        (
            0.0,
            0.4,
            "terre végétale brune, limoneuse, avec de nombreuses racines et quelques cailloux "
            "calcaires",
        ),
        (
            0.4,
            1.7,
            "limon argileux beige à brun, humide, de consistance molle à moyenne, avec de rares "
            "graviers",
        ),
        (
            1.7,
            4.85,
            "graviers et galets arrondis dans une matrice sableuse grise, propres, compacts, "
            "aquifères dès 3.20 m",
        ),
        (4.85, 6.3, "marne grise, dure, finement litée"),
    ]
    y = 100.0
    for a, b, text in rows:
        head = f"De {_f(a)} à {_f(b)} m : "
        depth = BBox(60, y, 60 + s.width(f"De {_f(a)} à {_f(b)} m"), y + 10.5)
        words = (head + text).split()
        lines = s.wrap(" ".join(words), 470)
        rect_lines = s.block(60, y, lines)
        first_text = lines[0][len(head.strip()) :].strip()
        desc_lines = [first_text, *lines[1:]] if first_text else lines[1:]
        desc_rect = BBox(depth.x1 + 4, rect_lines.y0, rect_lines.x1, rect_lines.y1)
        hole.add(a, b, desc_lines, 1, desc_rect, [depth])
        y = rect_lines.y1 + 9
    s.put(60, y + 10, "Le niveau d'eau a été mesuré à 3.20 m de profondeur.")
    return Doc("report_paragraphs", _bytes(doc), [hole.truth(0)])


def two_profiles_side_by_side() -> Doc:
    """Two boundary logs drawn to scale beside each other on a landscape page."""
    doc = fitz.open()
    page = doc.new_page(width=LANDSCAPE[0], height=LANDSCAPE[1])
    s = Sheet(page, "helv", 7.5)
    specs = [
        (
            30,
            Hole("KB 1", (2634010.0, 1251220.0), 445.3, None, 6.0),
            [0.0, 0.35, 1.9, 3.6, 6.0],
            [
                "Oberboden, humos, braun",
                "Lehm, sandig, braun, steif",
                "Kies, sandig, grau, dicht",
                "Molasse, Sandstein, verwittert",
            ],
        ),
        (
            440,
            Hole("KB 2", (2634080.0, 1251190.0), 446.1, None, 7.0),
            [0.0, 0.5, 2.45, 4.1, 7.0],
            [
                "Auffüllung, Kies, Ziegelreste",
                "Silt, tonig, grau, weich",
                "Sand, kiesig, grau, nass",
                "Moräne, Silt, kiesig, sehr dicht",
            ],
        ),
    ]
    holes = []
    for x, hole, bounds, texts in specs:
        assert hole.coords and hole.elevation
        s.put(x, 24, f"Bohrung {hole.name}", size=11)
        s.put(
            x,
            40,
            f"Koordinaten {int(hole.coords[0]):,} / {int(hole.coords[1]):,}".replace(",", "'"),
        )
        s.put(x, 50, f"Kote {hole.elevation:.2f} m ü.M.")
        top, scale = 80.0, 66.0
        for m in range(1, int(bounds[-1]) + 1):
            s.rule(x + 20, top + m * scale, x + 26, top + m * scale)
            s.put(x + 16, top + m * scale - 3, f"{m}", size=6.5, align="right")
        s.rule(x + 26, top, x + 26, top + bounds[-1] * scale)
        labels: dict[float, BBox] = {}
        for d in bounds:
            y = top + d * scale
            s.rule(x + 30, y, x + 60, y)
            if d:
                labels[d] = s.put(x + 64, y - 3.2, _f(d), size=7)
        for i, text in enumerate(texts):
            a, b = bounds[i], bounds[i + 1]
            lines = s.wrap(text, 250)
            rect = s.block(x + 100, top + a * scale + 4, lines)
            hole.add(a, b, lines, 1, rect, [labels[d] for d in (a, b) if d in labels])
        holes.append(hole)
    return Doc("two_profiles_side_by_side", _bytes(doc), [h.truth(i) for i, h in enumerate(holes)])


def hyphenated() -> Doc:
    """Narrow description column with hyphenated line breaks ('hell-' / 'braun'); 'von-bis' cells."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 8.0)
    hole = Hole("B 14", None, 522.05, None, 5.5)
    s.put(40, 30, "Bohrung B 14", size=11)
    s.put(40, 46, "OK Terrain: 522.05 m ü.M.")
    s.put(40, 80, "Tiefe (m)")
    s.put(110, 80, "Material")
    rows = [
        (0.0, 0.3, ["Mutterboden, dunkel-", "braun, humos"]),
        (0.3, 2.4, ["Silt, feinsandig, hell-", "braun bis ocker, mit", "Kalkkonkretionen"]),
        (2.4, 5.5, ["Kies, stark sandig,", "grau, gut gerundet,", "Grundwasser-", "führend"]),
    ]
    y = 96.0
    for a, b, lines in rows:
        depth = s.put(40, y, f"{_f(a)}-{_f(b)}")
        rect = s.block(110, y, lines)
        hole.add(a, b, lines, 1, rect, [depth])
        y = rect.y1 + 8
    return Doc("hyphenated", _bytes(doc), [hole.truth(0)])


def ocr_text_layer(doc: Doc, dpi: int = 150, every: int = 3) -> Doc:
    """A scan carrying an invisible OCR text layer with typical OCR slips.

    Every ``every``-th decimal number is printed with a comma, and one depth loses its
    decimal point ('1.45' -> '145'); words keep their printed positions.
    """
    import re

    src = fitz.open(stream=doc.pdf, filetype="pdf")
    out = fitz.open()
    numbers = 0
    lost = False
    for page in src:
        rotation = page.rotation
        assert rotation == 0, "only upright pages: text is written horizontally"
        words = page.get_text("words")
        pix = page.get_pixmap(dpi=dpi, colorspace=fitz.csGRAY)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
        for x0, y0, x1, y1, text, *_ in words:
            if re.fullmatch(r"-?\d{1,2}\.\d{2}", text):
                numbers += 1
                if not lost and numbers == 4:
                    text, lost = text.replace(".", ""), True
                elif numbers % every == 0:
                    text = text.replace(".", ",")
            height = y1 - y0
            # the widest font size that keeps the word inside its printed box
            size = max(
                3.0,
                min(
                    0.8 * height,
                    0.97 * (x1 - x0) / max(1e-6, fitz.get_text_length(text, "helv", 1)),
                ),
            )
            new.insert_text(
                (x0, y1 - 0.22 * height), text, fontsize=size, fontname="helv", render_mode=3
            )
    src.close()
    return Doc(f"{doc.name}_ocrlayer", _bytes(out), doc.truth)


def british_full_log() -> Doc:
    """Samples and tests (depth intervals, type, result) left of the strata; base depths right."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 7.0)
    hole = Hole("BH 01", (2685400.0, 1249600.0), 431.2, None, 8.0)
    s.put(30, 24, "BOREHOLE RECORD  BH 01", size=12)
    s.put(30, 42, "Coordinates 2'685'400 / 1'249'600")
    s.put(300, 42, "Ground Level 431.20 m")
    heads = [
        (30, "Depth (m)"),
        (85, "Type"),
        (110, "Result"),
        (160, "Description of strata"),
        (440, "Depth"),
        (480, "Level"),
    ]
    for x, h in heads:
        s.put(x, 70, h, size=7.5)
    s.rule(30, 82, 560, 82)
    top, scale = 88.0, 78.0
    strata = [
        (0.0, 0.35, "TOPSOIL: dark brown clayey SILT with rootlets"),
        (0.35, 1.6, "Firm brown mottled grey silty CLAY with occasional fine gravel"),
        (1.6, 4.3, "Medium dense brown very sandy subangular fine to coarse GRAVEL"),
        (4.3, 6.2, "Loose grey silty fine SAND, wet"),
        (6.2, 8.0, "Very stiff grey slightly sandy gravelly CLAY with cobbles (TILL)"),
    ]
    prev_box: BBox | None = None
    for a, b, text in strata:
        y0, y1 = top + a * scale, top + b * scale
        lines = s.wrap(text, 260)
        rect = s.block(160, y0 + 3, lines)
        s.rule(160, y1, 560, y1, width=0.4)
        box = s.put(460, y1 - 9, _f(b), align="right")
        s.put(505, y1 - 9, _f(431.2 - b), align="right")
        hole.add(a, b, lines, 1, rect, ([prev_box] if prev_box else []) + [box])
        prev_box = box
    tests = [
        (0.5, 0.6, "D", ""),
        (1.0, 1.45, "SPT", "N=9"),
        (1.5, 1.6, "D", ""),
        (2.0, 2.45, "SPT", "N=14"),
        (2.5, 2.6, "B", ""),
        (3.0, 3.45, "SPT", "N=22"),
        (4.0, 4.45, "SPT", "N=18"),
        (4.5, 4.6, "D", ""),
        (5.0, 5.45, "SPT", "N=7"),
        (6.0, 6.45, "SPT", "N=31"),
        (6.5, 6.95, "U100", ""),
        (7.5, 7.95, "SPT", "N=50/75"),
    ]
    for a, b, kind, result in tests:
        y = top + a * scale
        s.put(30, y, f"{_f(a)}-{_f(b)}")
        s.put(85, y, kind)
        if result:
            s.put(110, y, result)
    return Doc("british_full_log", _bytes(doc), [hole.truth(0)])


def two_column_continuation() -> Doc:
    """One long log set in two columns on a landscape page: the right column goes on deeper."""
    doc = fitz.open()
    page = doc.new_page(width=LANDSCAPE[0], height=LANDSCAPE[1])
    s = Sheet(page, "tiro", 8.5)
    hole = Hole("KB 21", (2700150.0, 1230480.0), 560.4, None, 30.0)
    s.put(30, 24, "Kernbohrung KB 21 - Schichtenverzeichnis", size=12)
    s.put(30, 42, "Koordinaten 2'700'150 / 1'230'480, Höhe 560.40 m ü.M.")
    bounds = [
        0.0,
        0.3,
        1.2,
        2.9,
        4.4,
        6.1,
        8.75,
        10.2,
        12.6,
        14.0,
        16.35,
        19.8,
        22.1,
        25.45,
        27.3,
        30.0,
    ]
    texts = [
        "Humus",
        "Lehm, braun",
        "Kies, sandig, grau",
        "Sand, siltig, beige",
        "Kies mit Steinen",
        "Silt, tonig, grau",
        "Sand, fein, grau",
        "Kies, sauber, grau",
        "Ton, siltig, blaugrau",
        "Moräne, Silt, kiesig",
        "Moräne, Kies, siltig",
        "Mergel, verwittert",
        "Sandstein, grau",
        "Mergel, grau, hart",
        "Sandstein, feinkörnig",
    ]
    half = 8
    for c, x in enumerate((30, 440)):
        s.put(x, 70, "von")
        s.put(x + 40, 70, "bis")
        s.put(x + 85, 70, "Beschreibung")
        y = 88.0
        for i in range(c * half, min(len(texts), (c + 1) * half)):
            a, b = bounds[i], bounds[i + 1]
            a_box = s.put(x, y, _f(a))
            b_box = s.put(x + 40, y, _f(b))
            lines = [texts[i]]
            rect = s.block(x + 85, y, lines)
            hole.add(a, b, lines, 1, rect, [a_box, b_box])
            y = rect.y1 + 14
    return Doc("two_column_continuation", _bytes(doc), [hole.truth(0)])


def soil_profile_cm() -> Doc:
    """A shallow soil pit described in centimetres: '0 - 30 cm  Ah-Horizont ...'."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 9.0)
    hole = Hole("SP 3", None, 612.0, None, 1.6)
    s.put(50, 40, "Bodenprofil Schurf SP 3", size=12)
    s.put(50, 58, "Höhe: 612.00 m ü.M.")
    rows = [
        (0, 30, "Ah: humoser Oberboden, sandiger Lehm, dunkelbraun, stark durchwurzelt"),
        (30, 75, "Bv: Lehm, schwach kiesig, braun, mässig durchwurzelt"),
        (75, 120, "C1: Kies, sandig, grau, kalkhaltig"),
        (120, 160, "C2: Sand, siltig, beige, nass"),
    ]
    y = 100.0
    for a, b, text in rows:
        depth = s.put(50, y, f"{a} - {b} cm")
        lines = s.wrap(text, 330)
        rect = s.block(140, y, lines)
        hole.add(a / 100, b / 100, lines, 1, rect, [depth])
        y = rect.y1 + 10
    return Doc("soil_profile_cm", _bytes(doc), [hole.truth(0)])


def cover_and_log() -> Doc:
    """A report cover page with a table of contents, then the log on page 2."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "tiro", 10.0)
    s.put(60, 60, "Geotechnischer Bericht Neubau Wohnüberbauung Sandgrube", size=13)
    s.put(60, 80, "Bern, 14. März 2021")
    toc = [
        ("1", "Einleitung", "3"),
        ("2", "Geologie und Baugrund", "4"),
        ("3", "Kies- und Sandvorkommen", "6"),
        ("4", "Grundwasser", "8"),
        ("5", "Bohrungen und Sondierungen", "9"),
        ("6", "Folgerungen", "12"),
        ("7", "Beilagen", "15"),
    ]
    y = 130.0
    for n, title, pg in toc:
        s.put(60, y, n)
        s.put(90, y, title)
        s.put(480, y, pg, align="right")
        y += 16
    s.put(60, y + 20, "Die Bohrung KB 1 erreichte eine Tiefe von 6.20 m. Der Grundwasserspiegel")
    s.put(
        60,
        y + 34,
        "lag bei 2.10 m unter Terrain. Die Schichtgrenzen sind in Beilage 2 dargestellt.",
    )
    hole = Hole("KB 1", None, 540.3, None, 6.2, [2.1])
    page2 = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s2 = Sheet(page2, "helv", 8.5)
    s2.put(40, 30, "Beilage 2: Bohrung KB 1", size=11)
    s2.put(40, 48, "Terrainkote 540.30 m ü.M.")
    rows = [
        (0.0, 0.3, "Oberboden, braun"),
        (0.3, 2.5, "Kies, sandig, braun-grau"),
        (2.5, 6.2, "Sand, siltig, grau, nass"),
    ]
    y = 80.0
    for a, b, text in rows:
        depth = s2.put(40, y, f"{_f(a)} - {_f(b)} m")
        rect = s2.block(130, y, [text])
        hole.add(a, b, [text], 2, rect, [depth])
        y = rect.y1 + 10
    return Doc("cover_and_log", _bytes(doc), [hole.truth(0)])


def deep_core_log() -> Doc:
    """A deep core log: one-decimal depths past 100 m, descriptions left, 'von - bis' right."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "cour", 10.0)
    hole = Hole("EWS 1", None, 702.4, None, 250.0)
    s.put(40, 30, "Erdwärmesonde EWS 1 - Bohrprofil", size=11)
    s.put(40, 46, "Ansatzpunkt 702.40 m ü.M.")
    s.put(40, 80, "Gestein")
    s.put(420, 80, "Tiefe m")
    bounds = [0.0, 0.4, 6.5, 38.2, 97.6, 104.9, 152.3, 188.0, 250.0]
    texts = [
        "Humus",
        "Moräne, siltig-kiesig",
        "Schotter, Kies und Sand",
        "Obere Süsswassermolasse, Mergel",
        "Sandstein, grau",
        "Mergel, bunt, mit Sandsteinbänken",
        "Untere Meeresmolasse, Sandstein",
        "Kalk, grau, dicht, geklüftet",
    ]
    y = 96.0
    for i, text in enumerate(texts):
        a, b = bounds[i], bounds[i + 1]
        lines = s.wrap(text, 330)
        rect = s.block(40, y, lines)
        depth = s.put(530, y, f"{a:.1f} - {b:.1f}", align="right")
        hole.add(a, b, lines, 1, rect, [depth])
        y = rect.y1 + 9
    return Doc("deep_core_log", _bytes(doc), [hole.truth(0)])


def with_interpretation_column() -> Doc:
    """Descriptions with a geological interpretation column just right of them."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 8.0)
    hole = Hole("KB 30", (2620400.0, 1262100.0), 470.8, None, 9.0)
    s.put(40, 30, "Bohrung KB 30", size=11)
    s.put(40, 46, "Koordinaten 2'620'400 / 1'262'100, Kote 470.80 m ü.M.")
    s.put(40, 80, "Tiefe")
    s.put(90, 80, "Beschreibung")
    s.put(345, 80, "Geologie")
    rows = [
        (0.0, 0.3, "Oberboden", "Deckschicht"),
        (0.3, 1.4, "Silt, tonig, braun", "Verwitterungslehm"),
        (1.4, 4.6, "Kies, sandig, grau", "Niederterrassenschotter"),
        (4.6, 6.9, "Silt, kiesig, mit Steinen, grau", "Moräne"),
        (6.9, 9.0, "Mergel, grau, hart", "Molasse"),
    ]
    y = 98.0
    for a, b, text, unit in rows:
        depth = s.put(40, y, f"{_f(a)}-{_f(b)}")
        rect = s.block(90, y, [text])
        s.put(345, y, unit)
        hole.add(a, b, [text], 1, rect, [depth])
        y = rect.y1 + 12
    return Doc("with_interpretation_column", _bytes(doc), [hole.truth(0)])


def open_last_row() -> Doc:
    """Interval rows whose last one is open: 'dès 5.20 m : molasse' (the end is not printed)."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "helv", 9.0)
    hole = Hole("F 9", None, 455.0, None, None)
    s.put(50, 40, "Forage F 9 (destructif)", size=12)
    s.put(50, 58, "Altitude : 455.00 m")
    rows = [
        (0.0, 0.5, "0.00 - 0.50 m", "Terre végétale"),
        (0.5, 2.8, "0.50 - 2.80 m", "Limon argileux brun"),
        (2.8, 5.2, "2.80 - 5.20 m", "Gravier sableux gris"),
        (5.2, None, "dès 5.20 m", "Molasse gréseuse grise"),
    ]
    y = 100.0
    for a, b, label, text in rows:
        depth = s.put(50, y, label)
        rect = s.block(150, y, [text])
        hole.add(a, b, [text], 1, rect, [depth])
        y = rect.y1 + 10
    return Doc("open_last_row", _bytes(doc), [hole.truth(0)])


def depths_with_elevations() -> Doc:
    """Boundary labels printing depth and elevation: '1.20 (450.60)'."""
    doc = fitz.open()
    page = doc.new_page(width=PORTRAIT[0], height=PORTRAIT[1])
    s = Sheet(page, "tiro", 9.0)
    hole = Hole("KB 40", None, 451.8, None, 8.4)
    s.put(40, 30, "Bohrung KB 40", size=12)
    s.put(40, 48, "Terrain: 451.80 m ü.M.")
    top, scale = 100.0, 75.0
    bounds = [0.0, 0.6, 2.15, 4.9, 8.4]
    texts = [
        "Humus, lehmig",
        "Lehm, siltig, ocker, steif",
        "Kies, sandig, grau, nass",
        "Mergel, grau, verwittert, hart",
    ]
    labels: dict[float, BBox] = {}
    for d in bounds:
        y = top + d * scale
        s.rule(40, y, 420, y, width=0.4)
        if d:
            text = f"{_f(d)} ({_f(451.8 - d)})"
            box = s.put(430, y - 5, text)
            labels[d] = BBox(box.x0, box.y0, box.x0 + s.width(_f(d)), box.y1)
    for i, text in enumerate(texts):
        a, b = bounds[i], bounds[i + 1]
        rect = s.block(60, top + a * scale + 5, [text])
        hole.add(a, b, [text], 1, rect, [labels[d] for d in (a, b) if d in labels])
    return Doc("depths_with_elevations", _bytes(doc), [hole.truth(0)])


def second_round() -> list[Doc]:
    return [
        french_split_table(),
        english_base_depths(),
        german_units_left(),
        german_bis_rows(),
        stacked_tables(),
        description_left(),
        summary_table(),
        french_comma_boundaries(),
        cluttered_log(),
        report_paragraphs(),
        two_profiles_side_by_side(),
        hyphenated(),
        british_full_log(),
        two_column_continuation(),
        soil_profile_cm(),
        cover_and_log(),
        deep_core_log(),
        with_interpretation_column(),
        open_last_row(),
        depths_with_elevations(),
    ]


def all_docs() -> list[Doc]:
    return [
        french_table(),
        german_profile(),
        identifier_log(),
        english_log(),
        side_by_side(),
        two_pages(),
        italian_log(),
        french_inline(),
        rotated_landscape(270),
    ]
