"""Swiss coordinates (LV95 and LV03) in free text.

LV95: E 2'480'000-2'840'000, N 1'070'000-1'300'000; LV03: E 480'000-840'000,
N 70'000-300'000. The ranges do not overlap, so a pair is recognised whatever
its order (``N ... / E ...`` too) and however the thousands are separated
(apostrophes, spaces, dots, commas). A run like ``615 790 157 500`` is split
where both halves fall in range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stratigraphy.model import Coordinates, CoordinateSystem

RANGES = {
    CoordinateSystem.LV95: ((2_480_000.0, 2_840_000.0), (1_070_000.0, 1_300_000.0)),
    CoordinateSystem.LV03: ((480_000.0, 840_000.0), (70_000.0, 300_000.0)),
}
LABEL_RE = re.compile(
    r"\b(?:koordinaten|koord|coordonn[ée]es|coord|coordinate|coordinates|lv95|lv03|mn95|mn03|"
    r"ch1903\+?|landeskoordinaten|y\s*/\s*x|x\s*/\s*y)\b",
    re.IGNORECASE,
)
_APOS = "'’‘`´ʼ"
# digit groups separated by one separator character
_RUN_RE = re.compile(rf"\d+(?:[{_APOS} .,]\d+)*")


@dataclass(frozen=True, slots=True)
class CoordinateMatch:
    east: float
    north: float
    system: CoordinateSystem
    start: int  # character span of the pair in the text
    end: int


def _piece_values(groups: list[str], seps: list[str]) -> set[float]:
    """Possible values of digit groups joined by separators (thousands and/or decimals)."""
    if not groups:
        return set()
    values: set[float] = set()
    if len(groups) == 1:
        return {float(groups[0])}
    # all separators thousands
    if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
        values.add(float("".join(groups)))
    # OCR split a group with a stray space ("2'61 1'200"): apostrophe-grouped digits of a
    # coordinate's length read as one number (the range check decides whether it is one)
    digits = "".join(groups)
    if (
        any(sep in _APOS for sep in seps)
        and len(digits) in (6, 7)
        and all(sep != "." for sep in seps)
    ):
        values.add(float(digits))
    # last separator a decimal point/comma
    if seps[-1] in ".,":
        head, tail = groups[:-1], groups[-1]
        if len(head) == 1 or (
            all(len(g) == 3 for g in head[1:]) and len(head[0]) <= 3 and seps[-1] not in seps[:-1]
        ):
            values.add(float("".join(head) + "." + tail))
    return values


def _numbers(text: str) -> list[tuple[float, int, int]]:
    """Candidate numbers with spans; runs of groups also yield their sub-pieces."""
    out: list[tuple[float, int, int]] = []
    for m in _RUN_RE.finditer(text):
        run = m.group(0)
        parts = re.split(rf"([{_APOS} .,])", run)
        groups, seps = parts[0::2], parts[1::2]
        starts = []
        pos = m.start()
        for i, g in enumerate(groups):
            starts.append(pos)
            pos += len(g) + (1 if i < len(seps) else 0)
        n = len(groups)
        for i in range(n):
            for j in range(i + 1, min(n, i + 5) + 1):
                for value in _piece_values(groups[i:j], seps[i : j - 1]):
                    end = starts[j - 1] + len(groups[j - 1])
                    out.append((value, starts[i], end))
    return out


def _system_of(value: float) -> list[tuple[CoordinateSystem, str]]:
    found = []
    for system, ((e0, e1), (n0, n1)) in RANGES.items():
        if e0 <= value <= e1:
            found.append((system, "E"))
        if n0 <= value <= n1:
            found.append((system, "N"))
    return found


def find_coordinates(text: str) -> CoordinateMatch | None:
    """The best east/north pair in ``text`` (closest pair; LV95 before LV03), or None."""
    numbers = _numbers(text)
    tagged = [(v, s, e, sys_, axis) for v, s, e in numbers for sys_, axis in _system_of(v)]
    best: tuple[tuple[int, int, int], CoordinateMatch] | None = None
    for i, (v1, s1, e1, sys1, ax1) in enumerate(tagged):
        for v2, s2, e2, sys2, ax2 in tagged[i + 1 :]:
            if sys1 != sys2 or ax1 == ax2 or not (e1 <= s2 or e2 <= s1):
                continue
            gap = s2 - e1 if s2 >= e1 else s1 - e2
            if gap > 40 or re.search(r"[A-Za-z]{4,}", text[min(e1, e2) : max(s1, s2)]):
                continue
            east, north = (v1, v2) if ax1 == "E" else (v2, v1)
            # prefer: LV95, then the closest pair, then the longest numbers (most digits used)
            key = (0 if sys1 is CoordinateSystem.LV95 else 1, gap, -((e1 - s1) + (e2 - s2)))
            match = CoordinateMatch(east, north, sys1, min(s1, s2), max(e1, e2))
            if best is None or key < best[0]:
                best = (key, match)
    return best[1] if best else None


def parse_coordinates(text: str) -> Coordinates | None:
    """Coordinates printed in ``text`` (LV95 or LV03), without page or box."""
    match = find_coordinates(text)
    if match is None:
        return None
    return Coordinates(east=match.east, north=match.north, system=match.system)


def has_label(text: str) -> bool:
    return LABEL_RE.search(text) is not None
