"""region_layout: Depth Interval boxes tile the depth column (pure geometry)."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest

from stratigraphy.geometry import BBox
from stratigraphy_ml_backend.region_layout import Axis, DepthCell, column_axis, tile_column


def _number(y: float, x: float = 50.0) -> BBox:
    """A printed depth value 20 pt wide, 10 pt high, its top at ``y``."""
    return BBox(x, y, x + 20, y + 10)


def _no_collisions(boxes: list[BBox]) -> None:
    for i, a in enumerate(boxes):
        assert a.width > 0 and a.height > 0, a
        for b in boxes[i + 1 :]:
            shared = a.intersection_area(b)
            assert shared <= 0.2 * min(a.area, b.area), (a, b)


def test_drawn_log_neighbours_share_each_boundary_number_half_and_half() -> None:
    n0, n1, n2 = _number(100), _number(200), _number(300)
    boxes = tile_column([DepthCell((n0, n1)), DepthCell((n1, n2))])
    assert boxes == [BBox(50, 100, 70, 205), BBox(50, 205, 70, 310)]


def test_table_rows_keep_their_printed_boxes() -> None:
    rows = [DepthCell((BBox(50, y, 70, y + 10), BBox(80, y, 100, y + 10))) for y in (100, 130, 160)]
    assert tile_column(rows) == [BBox(50, y, 100, y + 10) for y in (100, 130, 160)]


def test_unprinted_top_reaches_up_to_its_description() -> None:
    n1, n2 = _number(200), _number(300)
    first = DepthCell((n1,), top_missing=True, guide=BBox(100, 40, 400, 190))
    boxes = tile_column([first, DepthCell((n1, n2))])
    assert boxes == [BBox(50, 40, 70, 205), BBox(50, 205, 70, 310)]
    _no_collisions(boxes)


def test_unprinted_top_without_description_still_gets_its_own_box() -> None:
    n1, n2 = _number(200), _number(300)
    boxes = tile_column([DepthCell((n1,), top_missing=True), DepthCell((n1, n2))])
    assert boxes == [BBox(50, 200, 70, 205), BBox(50, 205, 70, 310)]
    _no_collisions(boxes)


def test_open_end_reaches_down_to_its_description() -> None:
    n1, n2 = _number(200), _number(300)
    last = DepthCell((n2,), bottom_missing=True, guide=BBox(100, 315, 400, 420))
    boxes = tile_column([DepthCell((n1, n2)), last])
    assert boxes == [BBox(50, 200, 70, 305), BBox(50, 305, 70, 420)]


def test_sideways_column_tiles_along_x_and_depth_may_run_towards_smaller_coordinates() -> None:
    # a depth column along x, depth increasing to the left (a page turned in the PDF frame)
    def num(x: float) -> BBox:
        return BBox(x, 50, x + 10, 70)

    n0, n1, n2 = num(300), num(200), num(100)
    cells = [
        DepthCell((n0,), top_missing=True, guide=BBox(310, 100, 400, 300)),
        DepthCell((n0, n1)),
        DepthCell((n1, n2)),
    ]
    boxes = tile_column(cells)
    assert column_axis([c.raw for c in cells]) is Axis.X
    assert boxes == [BBox(305, 50, 400, 70), BBox(205, 50, 305, 70), BBox(100, 50, 205, 70)]


def test_single_interval_is_its_printed_value() -> None:
    box = _number(10)
    assert tile_column([DepthCell((box,), top_missing=True, guide=BBox(0, 0, 300, 300))]) == [box]


def test_cell_needs_a_box() -> None:
    with pytest.raises(ValueError):
        DepthCell(())


@pytest.mark.parametrize("seed", range(40))
def test_random_drawn_logs_never_collide(seed: int) -> None:
    rng = random.Random(seed)
    ys = sorted(rng.sample(range(0, 800, 3), rng.randint(2, 12)))
    numbers = [_number(y, x=50 + rng.uniform(-3, 3)) for y in ys]
    cells = [DepthCell((a, b)) for a, b in pairwise(numbers)]
    if rng.random() < 0.5:
        cells.insert(0, DepthCell((numbers[0],), top_missing=True))
    if rng.random() < 0.5:
        cells.append(DepthCell((numbers[-1],), bottom_missing=True))
    if len(cells) < 2:
        return
    boxes = tile_column(cells)
    _no_collisions(boxes)
    for box in boxes:  # nothing lies inside a neighbour
        assert sum(1 for other in boxes if other.intersection_area(box) >= box.area * 0.99) == 1
