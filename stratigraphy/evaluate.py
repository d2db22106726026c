"""Score predictions against ground truth, by the rules of the benchmark README.

Both sides are the benchmark schema: ``{file name: [borehole dict, ...]}``.

- Boreholes of a file are paired to maximise the number of matched layers.
- A predicted layer matches a true one when their normalised descriptions (lower case,
  hyphenated line breaks joined, punctuation to spaces) have a similarity ratio >= 0.8;
  one-to-one, best pairs first.
- Description precision/recall/F1 count those matches; layer P/R/F1 count only matches whose
  start and end both equal the truth within 0.005 m (null equals only null).
- Coordinates are right within 1 m, the elevation within 0.05 m, groundwater depths within
  0.05 m (one-to-one).
- A file missing from the predictions counts as zero predicted layers.
- A true borehole marked ``"depth_unit": "ft"`` is converted to metres first, and its depths
  then match within 0.01 m.

Confidence: every predicted layer that carries a ``confidence`` is an outcome (its confidence,
whether it is right: described like a true layer and with both depths equal). :func:`auroc`
says how well confidence ranks right above wrong layers, :func:`wrong_share_above` how many of
the confident layers are wrong.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

SIMILARITY = 0.8
DEPTH_TOLERANCE = 0.005
COORDINATE_TOLERANCE = 1.0
ELEVATION_TOLERANCE = 0.05
GROUNDWATER_TOLERANCE = 0.05
FEET_TOLERANCE = 0.01
FOOT = 0.3048
CONFIDENT = 0.8

_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad]\s+(?=\w)")
_PUNCT = re.compile(r"[^\w\s]|_")


def normalize_description(text: str) -> str:
    """Lower case, hyphenated line breaks joined, punctuation to spaces, spaces collapsed."""
    text = _HYPHEN_BREAK.sub(r"\1", text.lower())
    return " ".join(_PUNCT.sub(" ", text).split())


def similarity(a: str, b: str) -> float:
    """Similarity ratio 0..1 of two normalised descriptions."""
    return fuzz.ratio(a, b) / 100.0


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives over predicted and true totals."""

    tp: int = 0
    predicted: int = 0
    truth: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp + other.tp, self.predicted + other.predicted, self.truth + other.truth
        )

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.truth if self.truth else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "predicted": self.predicted,
            "truth": self.truth,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class Hits:
    """Right answers out of the number of true boreholes."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Hits) -> Hits:
        return Hits(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.accuracy, 4)}


@dataclass(frozen=True, slots=True)
class FileScore:
    descriptions: Counts = field(default_factory=Counts)
    layers: Counts = field(default_factory=Counts)
    coordinates: Hits = field(default_factory=Hits)
    elevation: Hits = field(default_factory=Hits)
    groundwater: Counts = field(default_factory=Counts)

    def __add__(self, other: FileScore) -> FileScore:
        return FileScore(
            self.descriptions + other.descriptions,
            self.layers + other.layers,
            self.coordinates + other.coordinates,
            self.elevation + other.elevation,
            self.groundwater + other.groundwater,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "descriptions": self.descriptions.as_dict(),
            "layers": self.layers.as_dict(),
            "coordinates": self.coordinates.as_dict(),
            "elevation": self.elevation.as_dict(),
            "groundwater": self.groundwater.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    files: dict[str, FileScore]
    pooled: FileScore

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": {name: score.as_dict() for name, score in self.files.items()},
            "pooled": self.pooled.as_dict(),
        }


def _depth_equal(a: Any, b: Any, tolerance: float = DEPTH_TOLERANCE) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tolerance + 1e-9


def _in_metres(borehole: Mapping[str, Any]) -> tuple[Mapping[str, Any], float]:
    """A true borehole with its depths in metres, and the depth tolerance that applies."""
    if str(borehole.get("depth_unit") or "m").lower() not in ("ft", "feet", "foot"):
        return borehole, DEPTH_TOLERANCE

    def metres(value: Any) -> Any:
        return None if value is None else float(value) * FOOT

    layers = []
    for layer in borehole.get("layers") or []:
        start, end = _interval(layer)
        layers.append({**layer, "depth_interval": {"start": metres(start), "end": metres(end)}})
    water = [{**g, "depth": metres(g.get("depth"))} for g in borehole.get("groundwater") or []]
    return {**borehole, "layers": layers, "groundwater": water}, FEET_TOLERANCE


def _interval(layer: Mapping[str, Any]) -> tuple[Any, Any]:
    interval = layer.get("depth_interval") or {}
    return interval.get("start"), interval.get("end")


def match_layers(
    predicted: Sequence[Mapping[str, Any]], truth: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """One-to-one (predicted index, true index) pairs with similar descriptions, best first."""
    pred_text = [
        normalize_description(str(layer.get("material_description") or "")) for layer in predicted
    ]
    true_text = [
        normalize_description(str(layer.get("material_description") or "")) for layer in truth
    ]
    candidates: list[tuple[float, int, int]] = []
    for i, a in enumerate(pred_text):
        for j, b in enumerate(true_text):
            score = similarity(a, b)
            if score >= SIMILARITY:
                candidates.append((score, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_t: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if i in used_p or j in used_t:
            continue
        used_p.add(i)
        used_t.add(j)
        pairs.append((i, j))
    return pairs


def _right_layers(
    pred: Mapping[str, Any] | None, true: Mapping[str, Any] | None
) -> tuple[list[bool], int, int]:
    """Per predicted layer whether it is right; the number of description matches; true count."""
    p_layers = list((pred or {}).get("layers") or [])
    tolerance = DEPTH_TOLERANCE
    if true is not None:
        true, tolerance = _in_metres(true)
    t_layers = list((true or {}).get("layers") or [])
    pairs = match_layers(p_layers, t_layers) if p_layers and t_layers else []
    right = [False] * len(p_layers)
    for i, j in pairs:
        ps, pe = _interval(p_layers[i])
        ts, te = _interval(t_layers[j])
        right[i] = _depth_equal(ps, ts, tolerance) and _depth_equal(pe, te, tolerance)
    return right, len(pairs), len(t_layers)


def _layer_counts(
    pred: Mapping[str, Any] | None, true: Mapping[str, Any] | None
) -> tuple[Counts, Counts]:
    right, matched, n_t = _right_layers(pred, true)
    n_p = len(right)
    return Counts(matched, n_p, n_t), Counts(sum(right), n_p, n_t)


def _metadata(borehole: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (borehole or {}).get("metadata") or {}


def _coordinates_right(pred: Mapping[str, Any] | None, true: Mapping[str, Any] | None) -> bool:
    p, t = _metadata(pred).get("coordinates"), _metadata(true).get("coordinates")
    if p is None or t is None:
        return p is None and t is None
    try:
        return (
            abs(float(p["E"]) - float(t["E"])) <= COORDINATE_TOLERANCE
            and abs(float(p["N"]) - float(t["N"])) <= COORDINATE_TOLERANCE
        )
    except (KeyError, TypeError, ValueError):
        return False


def _elevation_right(pred: Mapping[str, Any] | None, true: Mapping[str, Any] | None) -> bool:
    p, t = _metadata(pred).get("reference_elevation"), _metadata(true).get("reference_elevation")
    if p is None or t is None:
        return p is None and t is None
    return abs(float(p) - float(t)) <= ELEVATION_TOLERANCE + 1e-9


def _groundwater_counts(pred: Mapping[str, Any] | None, true: Mapping[str, Any] | None) -> Counts:
    if true is not None:
        true, _ = _in_metres(true)
    p = [g.get("depth") for g in (pred or {}).get("groundwater") or []]
    t = [g.get("depth") for g in (true or {}).get("groundwater") or []]
    used: set[int] = set()
    tp = 0
    for depth in t:
        for k, candidate in enumerate(p):
            if k in used or depth is None or candidate is None:
                continue
            if abs(float(candidate) - float(depth)) <= GROUNDWATER_TOLERANCE + 1e-9:
                used.add(k)
                tp += 1
                break
    return Counts(tp, len(p), len(t))


def _pair_boreholes(
    predicted: Sequence[Mapping[str, Any]], truth: Sequence[Mapping[str, Any]]
) -> list[tuple[int | None, int | None]]:
    """Pairs (predicted index, true index) maximising matched layers; None for an unpaired side."""
    n_p, n_t = len(predicted), len(truth)
    gain = [[_layer_counts(predicted[i], truth[j])[0].tp for j in range(n_t)] for i in range(n_p)]
    best: list[tuple[int, int]] = []
    if n_p and n_t:
        if max(n_p, n_t) <= 7:
            best_score = -1
            if n_p <= n_t:
                for perm in itertools.permutations(range(n_t), n_p):
                    score = sum(gain[i][j] for i, j in enumerate(perm))
                    if score > best_score:
                        best_score, best = score, list(enumerate(perm))
            else:
                for perm in itertools.permutations(range(n_p), n_t):
                    score = sum(gain[i][j] for j, i in enumerate(perm))
                    if score > best_score:
                        best_score, best = score, [(i, j) for j, i in enumerate(perm)]
        else:  # many boreholes: greedy on the gain, then index order
            cells = sorted(
                ((gain[i][j], i, j) for i in range(n_p) for j in range(n_t)),
                key=lambda c: (-c[0], c[1], c[2]),
            )
            used_p: set[int] = set()
            used_t: set[int] = set()
            for _, i, j in cells:
                if i not in used_p and j not in used_t:
                    used_p.add(i)
                    used_t.add(j)
                    best.append((i, j))
    pairs: list[tuple[int | None, int | None]] = list(best)
    paired_p = {i for i, _ in best}
    paired_t = {j for _, j in best}
    pairs += [(i, None) for i in range(n_p) if i not in paired_p]
    pairs += [(None, j) for j in range(n_t) if j not in paired_t]
    return pairs


def score_file(
    predicted: Sequence[Mapping[str, Any]], truth: Sequence[Mapping[str, Any]]
) -> FileScore:
    """Score the boreholes predicted for one file against its true boreholes."""
    total = FileScore()
    for i, j in _pair_boreholes(predicted, truth):
        pred = predicted[i] if i is not None else None
        true = truth[j] if j is not None else None
        descriptions, layers = _layer_counts(pred, true)
        coordinates = Hits(int(_coordinates_right(pred, true)), 1) if true is not None else Hits()
        elevation = Hits(int(_elevation_right(pred, true)), 1) if true is not None else Hits()
        total = total + FileScore(
            descriptions, layers, coordinates, elevation, _groundwater_counts(pred, true)
        )
    return total


def evaluate(
    predictions: Mapping[str, Sequence[Mapping[str, Any]]],
    ground_truth: Mapping[str, Sequence[Mapping[str, Any]]],
) -> Evaluation:
    """Per-file and pooled scores of every file of the ground truth."""
    files: dict[str, FileScore] = {}
    pooled = FileScore()
    for name, truth in ground_truth.items():
        score = score_file(list(predictions.get(name) or []), list(truth or []))
        files[name] = score
        pooled = pooled + score
    return Evaluation(files, pooled)


def layer_outcomes(
    predictions: Mapping[str, Sequence[Mapping[str, Any]]],
    ground_truth: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[str, list[tuple[float, bool]]]:
    """Per file, (confidence, right) of every predicted layer that carries a confidence.

    Boreholes are paired as for scoring; layers of an unpaired predicted borehole are wrong.
    """
    outcomes: dict[str, list[tuple[float, bool]]] = {}
    for name, truth in ground_truth.items():
        predicted = list(predictions.get(name) or [])
        true_list = list(truth or [])
        found: list[tuple[float, bool]] = []
        for i, j in _pair_boreholes(predicted, true_list):
            if i is None:
                continue
            pred = predicted[i]
            right, _, _ = _right_layers(pred, true_list[j] if j is not None else None)
            for layer, ok in zip(pred.get("layers") or [], right, strict=True):
                confidence = layer.get("confidence")
                if confidence is not None:
                    found.append((float(confidence), ok))
        outcomes[name] = found
    return outcomes


def auroc(outcomes: Sequence[tuple[float, bool]]) -> float | None:
    """Probability that a right layer has a higher confidence than a wrong one (ties count
    half); None without both right and wrong layers."""
    right = sorted(c for c, ok in outcomes if ok)
    wrong = sorted(c for c, ok in outcomes if not ok)
    if not right or not wrong:
        return None
    wins = 0.0
    for c in right:
        below = _count_below(wrong, c)
        ties = _count_below(wrong, c, inclusive=True) - below
        wins += below + 0.5 * ties
    return wins / (len(right) * len(wrong))


def _count_below(values: Sequence[float], x: float, *, inclusive: bool = False) -> int:
    return (bisect.bisect_right if inclusive else bisect.bisect_left)(values, x)


def wrong_share_above(
    outcomes: Sequence[tuple[float, bool]], threshold: float = CONFIDENT
) -> tuple[int, int]:
    """(wrong, all) among the layers whose confidence is above ``threshold``."""
    confident = [ok for c, ok in outcomes if c > threshold]
    return sum(1 for ok in confident if not ok), len(confident)


def format_report(evaluation: Evaluation) -> str:
    """A plain-text table of the per-file and pooled scores."""
    header = (
        f"{'file':<40} {'desc P':>7} {'desc R':>7} {'desc F1':>7} "
        f"{'layer P':>7} {'layer R':>7} {'layer F1':>8} {'coord':>7} {'elev':>7} "
        f"{'gw tp/pred/true':>15}"
    )
    lines = [header, "-" * len(header)]

    def row(name: str, s: FileScore) -> str:
        return (
            f"{name[:40]:<40} {s.descriptions.precision:7.3f} {s.descriptions.recall:7.3f} "
            f"{s.descriptions.f1:7.3f} {s.layers.precision:7.3f} {s.layers.recall:7.3f} "
            f"{s.layers.f1:8.3f} {s.coordinates.correct:>3}/{s.coordinates.total:<3} "
            f"{s.elevation.correct:>3}/{s.elevation.total:<3} "
            f"{f'{s.groundwater.tp}/{s.groundwater.predicted}/{s.groundwater.truth}':>15}"
        )

    for name, score in evaluation.files.items():
        lines.append(row(name, score))
    lines.append("-" * len(header))
    lines.append(row("pooled", evaluation.pooled))
    return "\n".join(lines)
