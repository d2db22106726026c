"""Boxes fitted to the printed ink (pure rule; the ink itself comes from :mod:`imaging`).

The boxes of the engine come from words of the PDF text layer or of OCR. When
those word boxes and the print disagree (an OCR text layer on a rotated scan with
word boxes narrower than the print, a text layer shifted against its image),
the ink wins: a box becomes the union of the pieces of print it belongs to.

The pieces (``ink``) are connected dark pixels of the page image, letters merged
into words, in image pixels. The rule, for one box:

1. Only print-like pieces count: not taller than ``max_text_height`` and not a long
   thin ruling (drawings, hatching and table lines are never text).
2. The box's print is every piece of which at least a quarter lies in the box, unless
   it lies more in another region's box. A word cut by the box edge is taken whole; a
   word beside the box (a label before a value, the next column) is not.
3. A box of running text (a description) also takes the rest of its lines: a piece
   on the same line as a taken piece (half of the smaller height shared) with at most
   ``line_gap`` between them joins, if it lies within ``max_grow`` of the original box
   and not more in another box. Short values (depths, names, numbers) do not, so the
   label printed before a value is never taken.
4. Each side of the box goes to its print, ``pad`` outside it, except where the box
   already holds the print with at most ``slack`` to spare (or misses it by less than
   ``pad``, anti-aliasing): there the box stays (a text
   layer's line height around the letters is no disagreement). The result is clipped to
   ``max_grow`` around the original box. With no print, or when the fitted box would cover
   another region's box more than the original did, the original box stays.

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stratigraphy.geometry import BBox

SEED_SHARE = 0.25  # part of a piece that must lie in the box
SAME_LINE_SHARE = 0.5
RULING_ASPECT = 12.0  # a piece this many times longer than high (and thin) is a line


@dataclass(frozen=True, slots=True)
class InkLimits:
    """Sizes in image pixels."""

    max_grow: float  # per side
    max_text_height: float
    line_gap: float
    pad: float = 0.0  # margin kept around the print
    slack: float = 0.0  # room beyond the print a box may keep

    @classmethod
    def for_scale(cls, px_per_pt: float) -> InkLimits:
        """Limits for a page image of ``px_per_pt`` pixels per PDF point."""
        return cls(
            max_grow=24 * px_per_pt,
            max_text_height=30 * px_per_pt,
            line_gap=6 * px_per_pt,
            pad=1 * px_per_pt,
            slack=4 * px_per_pt,
        )


def is_print(piece: BBox, limits: InkLimits) -> bool:
    """Letters and words, not drawings, hatching or rulings."""
    if piece.height > limits.max_text_height or piece.width <= 0 or piece.height <= 0:
        return False
    thin = piece.height <= 0.2 * limits.max_text_height
    return not (
        thin
        and piece.width > RULING_ASPECT * piece.height
        and piece.width > 3 * limits.max_text_height
    )


def _share_in(piece: BBox, box: BBox) -> float:
    return piece.intersection_area(box) / piece.area if piece.area > 0 else 0.0


def _belongs_elsewhere(piece: BBox, box: BBox, others: Sequence[BBox]) -> bool:
    own = _share_in(piece, box)
    return any(_share_in(piece, other) > max(own, 0.0) for other in others)


def _same_line_near(a: BBox, b: BBox, gap: float) -> bool:
    shared = a.vertical_overlap(b)
    if shared < SAME_LINE_SHARE * min(a.height, b.height):
        return False
    return max(b.x0 - a.x1, a.x0 - b.x1, 0.0) <= gap


def _continue_lines(chosen: list[BBox], near: Sequence[BBox], bound: BBox, gap: float) -> None:
    rest = [p for p in near if p not in chosen and _share_in(p, bound) >= 0.999]
    grew = True
    while grew and rest:
        grew = False
        for piece in list(rest):
            if any(_same_line_near(piece, c, gap) for c in chosen):
                chosen.append(piece)
                rest.remove(piece)
                grew = True


def _settle(box: BBox, ink: BBox, pad: float, slack: float) -> BBox:
    """Each side of ``box`` at the print ``ink`` (``pad`` outside), unless it holds it already."""
    x0 = box.x0 if -pad <= ink.x0 - box.x0 <= slack else ink.x0 - pad
    y0 = box.y0 if -pad <= ink.y0 - box.y0 <= slack else ink.y0 - pad
    x1 = box.x1 if -pad <= box.x1 - ink.x1 <= slack else ink.x1 + pad
    y1 = box.y1 if -pad <= box.y1 - ink.y1 <= slack else ink.y1 + pad
    return BBox(x0, y0, x1, y1)


def _clip(box: BBox, bound: BBox) -> BBox | None:
    return box.intersection(bound)


def fit_to_ink(
    box: BBox,
    ink: Sequence[BBox],
    others: Sequence[BBox],
    limits: InkLimits,
    running_text: bool = False,
) -> BBox:
    """``box`` grown or shrunk to the print it belongs to (see the module rule)."""
    bound = box.expand(limits.max_grow)
    near = [
        p
        for p in ink
        if p.intersection_area(bound) > 0
        and is_print(p, limits)
        and not _belongs_elsewhere(p, box, others)
    ]
    chosen = [p for p in near if _share_in(p, box) >= SEED_SHARE]
    if not chosen:
        return box
    if running_text:
        _continue_lines(chosen, near, bound, limits.line_gap)
    fitted = chosen[0]
    for piece in chosen[1:]:
        fitted = fitted.union(piece)
    clipped = _clip(_settle(box, fitted, limits.pad, limits.slack), bound)
    if clipped is None:
        return box
    for other in others:
        if clipped.intersection_area(other) > box.intersection_area(other) + 1e-6:
            return box
    return clipped


def fit_all(
    boxes: Sequence[BBox],
    ink: Sequence[BBox],
    limits: InkLimits,
    running_text: Sequence[bool] | None = None,
) -> list[BBox]:
    """Every box fitted to the ink, each bounded by the others' original boxes."""
    flags = list(running_text) if running_text is not None else [False] * len(boxes)
    return [
        fit_to_ink(box, ink, [o for j, o in enumerate(boxes) if j != i], limits, flags[i])
        for i, box in enumerate(boxes)
    ]
