"""The engine's typed, immutable domain model.

Everything the extraction engine produces is built from these frozen
dataclasses. Pages are numbered from 1 (as in the benchmark schema); boxes are
:class:`~stratigraphy.geometry.BBox` in unrotated PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from stratigraphy.geometry import BBox


class TextSource(StrEnum):
    """Where the words of a page came from."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"


@dataclass(frozen=True, slots=True)
class Word:
    """One word with its box, on page ``page`` (1-based).

    ``line`` groups words of one text line (block/line ids from PyMuPDF or
    Tesseract, unique per page); ``conf`` is an OCR confidence 0-100, or None
    for text-layer words.
    """

    text: str
    bbox: BBox
    page: int
    line: int = 0
    conf: float | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A straight ruling or leader line on a page, in unrotated PDF points."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def is_horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= max(1.0, 0.05 * abs(self.x1 - self.x0))

    @property
    def is_vertical(self) -> bool:
        return abs(self.x1 - self.x0) <= max(1.0, 0.05 * abs(self.y1 - self.y0))

    @property
    def length(self) -> float:
        return float(((self.x1 - self.x0) ** 2 + (self.y1 - self.y0) ** 2) ** 0.5)


@dataclass(frozen=True, slots=True)
class PageContent:
    """What the engine reads from one page: words and ruling lines, in the unrotated frame."""

    number: int  # 1-based
    width: float  # unrotated mediabox width in points
    height: float
    rotation: int  # /Rotate: 0, 90, 180 or 270
    words: tuple[Word, ...]
    segments: tuple[Segment, ...] = ()
    source: TextSource = TextSource.TEXT_LAYER
    # Extra clockwise turn (0/90/180/270) the displayed page needs before its text reads left
    # to right: a scan stored sideways without /Rotate (found by Tesseract's orientation check).
    # Layout code should use (rotation + text_rotation) % 360 as the reading frame.
    text_rotation: int = 0


@dataclass(frozen=True, slots=True)
class DepthInterval:
    """Depths in metres, positive downwards; None where not printed and not derivable."""

    start: float | None
    end: float | None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"depth interval ends above its start: {self.start} > {self.end}")


@dataclass(frozen=True, slots=True)
class Layer:
    depth: DepthInterval
    description: str
    page: int  # 1-based
    description_bbox: BBox
    depth_bboxes: tuple[BBox, ...] = ()
    depth_pages: tuple[int, ...] = ()  # page of each depth box (same length as depth_bboxes)
    # How sure the engine is that this layer (interval and description) is right, in [0, 1];
    # None until the engine has judged it.
    confidence: float | None = None


class CoordinateSystem(StrEnum):
    LV95 = "LV95"
    LV03 = "LV03"


@dataclass(frozen=True, slots=True)
class Coordinates:
    east: float
    north: float
    system: CoordinateSystem
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True, slots=True)
class Elevation:
    """Reference elevation in metres above sea level."""

    value: float
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True, slots=True)
class Located:
    """A piece of text with where it was found (e.g. the borehole name)."""

    text: str
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True, slots=True)
class Groundwater:
    depth: float | None
    date: str | None = None  # ISO 8601 date
    elevation: float | None = None
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True, slots=True)
class BoreholeMetadata:
    name: Located | None = None
    coordinates: Coordinates | None = None
    elevation: Elevation | None = None
    drilling_date: str | None = None  # ISO 8601 date
    total_depth: float | None = None


@dataclass(frozen=True, slots=True)
class Borehole:
    index: int
    layers: tuple[Layer, ...]
    metadata: BoreholeMetadata = field(default_factory=BoreholeMetadata)
    groundwater: tuple[Groundwater, ...] = ()
    # How sure the engine is of this borehole's layers as a whole, in [0, 1]; None if not judged.
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class PageInfo:
    number: int  # 1-based
    width: float  # unrotated, points
    height: float
    rotation: int
    source: TextSource


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The engine's answer for one PDF."""

    name: str  # file name
    pages: tuple[PageInfo, ...]
    boreholes: tuple[Borehole, ...]
    warnings: tuple[str, ...] = ()
