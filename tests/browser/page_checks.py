"""What the browser test measures, as pure functions over plain boxes (unit-testable).

A box is ``(left, top, right, bottom)`` in one coordinate system (percent of the
image, or screen pixels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]

MAX_NEIGHBOUR_OVERLAP = 0.20  # of the smaller box's area
WINDOW = (1440, 900)  # a laptop screen


def area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def intersection(a: Box, b: Box) -> float:
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def inside(inner: Box, outer: Box, tolerance: float = 1e-6) -> bool:
    return (
        inner[0] >= outer[0] - tolerance
        and inner[1] >= outer[1] - tolerance
        and inner[2] <= outer[2] + tolerance
        and inner[3] <= outer[3] + tolerance
    )


@dataclass(frozen=True, slots=True)
class BoxConflict:
    first: int
    second: int
    kind: str  # "inside" or "overlap"
    share: float  # intersection / smaller area


def depth_box_conflicts(
    boxes: Sequence[Box], limit: float = MAX_NEIGHBOUR_OVERLAP
) -> list[BoxConflict]:
    """Pairs of boxes of which one lies inside the other or that overlap by more than ``limit``."""
    conflicts: list[BoxConflict] = []
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            shared = intersection(a, b)
            if shared <= 0:
                continue
            smaller = min(area(a), area(b)) or 1e-12
            if inside(a, b) or inside(b, a):
                conflicts.append(BoxConflict(i, j, "inside", shared / smaller))
            elif shared / smaller > limit:
                conflicts.append(BoxConflict(i, j, "overlap", shared / smaller))
    return conflicts


def tags_over_boxes(tags: Sequence[Box], boxes: Sequence[Box], min_area: float = 1.0) -> int:
    """How many tags cover some part (at least ``min_area``) of any of ``boxes``."""
    return sum(1 for tag in tags if any(intersection(tag, box) >= min_area for box in boxes))
