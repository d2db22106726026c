"""How annotators changed the pre-annotations: comparison (pure) and its SQLite record.

When Label Studio reports a submitted annotation, :func:`compare` sets it
against the regions the backend predicted for that task:

- regions are matched one-to-one per label, first by id (Label Studio keeps the
  id of a predicted region the annotator kept or moved), then by best box IoU
  (>= ``MATCH_IOU``) among the rest;
- a matched region is *kept* when its box IoU with the prediction is >= 0.9,
  otherwise *moved*; an unmatched prediction was *deleted*, an unmatched
  submitted region was *added*;
- the text edit rate is the Levenshtein distance between predicted and
  submitted transcriptions of matched regions, over the predicted characters.

:class:`FeedbackStore` keeps predictions, submitted annotations and their
comparisons in ``<MODEL_DIR>/stratigraphy_feedback.sqlite3`` (WAL mode, one
connection per call: safe across threads and gunicorn workers), so
``/metrics`` survives restarts.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from stratigraphy_ml_backend.ls_format import MATERIAL_DESCRIPTION

KEPT_IOU = 0.9
MATCH_IOU = 0.3


@dataclass(frozen=True, slots=True)
class LsRegion:
    """A region read back from Label Studio results: label, percent box, text."""

    id: str
    label: str
    x: float
    y: float
    width: float
    height: float
    text: str = ""

    def iou(self, other: LsRegion) -> float:
        ix = max(0.0, min(self.x + self.width, other.x + other.width) - max(self.x, other.x))
        iy = max(0.0, min(self.y + self.height, other.y + other.height) - max(self.y, other.y))
        inter = ix * iy
        union = self.width * self.height + other.width * other.height - inter
        return inter / union if union > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Comparison:
    """Counts for one task's annotation against its pre-annotation."""

    kept: int = 0
    moved: int = 0
    added: int = 0
    deleted: int = 0
    layers_kept: int = 0
    layers_moved: int = 0
    layers_added: int = 0
    layers_deleted: int = 0
    text_edits: int = 0  # Levenshtein distance summed over matched regions
    text_chars: int = 0  # predicted characters of matched regions


def _finite(value: Any) -> bool:
    """A real, finite number (not a bool, not beyond float range)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def results_to_regions(results: Iterable[Mapping[str, Any]]) -> list[LsRegion]:
    """Group Label Studio result items by id into labelled regions with their text.

    Accepts any image control type that carries a label list (``rectanglelabels``,
    ``labels``) and takes the text of a ``textarea`` item with the same id.
    """
    boxes: dict[str, dict[str, Any]] = {}
    labels: dict[str, str] = {}
    texts: dict[str, str] = {}
    for item in results:
        if not isinstance(item, Mapping) or item.get("type") == "relation":
            continue
        rid, value = item.get("id"), item.get("value")
        if not isinstance(rid, str) or not isinstance(value, Mapping):
            continue
        if all(_finite(value.get(k)) for k in ("x", "y", "width", "height")):
            boxes.setdefault(rid, dict(value))
        for key in ("rectanglelabels", "labels"):
            found = value.get(key)
            if isinstance(found, list) and found:
                labels[rid] = str(found[0])
        text = value.get("text")
        if isinstance(text, list):
            texts[rid] = "\n".join(str(t) for t in text)
        elif isinstance(text, str):
            texts[rid] = text
    return [
        LsRegion(
            rid,
            labels[rid],
            float(b["x"]),
            float(b["y"]),
            float(b["width"]),
            float(b["height"]),
            texts.get(rid, ""),
        )
        for rid, b in boxes.items()
        if rid in labels
    ]


def _match(pred: Sequence[LsRegion], sub: Sequence[LsRegion]) -> list[tuple[LsRegion, LsRegion]]:
    pairs: list[tuple[LsRegion, LsRegion]] = []
    sub_by_id = {r.id: r for r in sub}
    used_pred: set[int] = set()
    used_sub: set[str] = set()
    for i, p in enumerate(pred):
        s = sub_by_id.get(p.id)
        if s is not None and s.label == p.label:
            pairs.append((p, s))
            used_pred.add(i)
            used_sub.add(s.id)
    candidates = sorted(
        (
            (p.iou(s), i, s.id)
            for i, p in enumerate(pred)
            if i not in used_pred
            for s in sub
            if s.id not in used_sub and s.label == p.label
        ),
        reverse=True,
    )
    for iou, i, sid in candidates:
        if iou < MATCH_IOU:
            break
        if i in used_pred or sid in used_sub:
            continue
        pairs.append((pred[i], sub_by_id[sid]))
        used_pred.add(i)
        used_sub.add(sid)
    return pairs


def compare(predicted: Sequence[LsRegion], submitted: Sequence[LsRegion]) -> Comparison:
    """Kept/moved/added/deleted counts (all regions and layers only) and text edits."""
    pairs = _match(predicted, submitted)
    kept = [p for p, s in pairs if p.iou(s) >= KEPT_IOU]
    moved = [p for p, s in pairs if p.iou(s) < KEPT_IOU]
    matched_pred = {id(p) for p, _ in pairs}
    matched_sub = {id(s) for _, s in pairs}
    deleted = [p for p in predicted if id(p) not in matched_pred]
    added = [s for s in submitted if id(s) not in matched_sub]

    def layers(regions: Iterable[LsRegion]) -> int:
        return sum(1 for r in regions if r.label == MATERIAL_DESCRIPTION)

    return Comparison(
        kept=len(kept),
        moved=len(moved),
        added=len(added),
        deleted=len(deleted),
        layers_kept=layers(kept),
        layers_moved=layers(moved),
        layers_added=layers(added),
        layers_deleted=layers(deleted),
        text_edits=sum(Levenshtein.distance(p.text, s.text) for p, s in pairs),
        text_chars=sum(len(p.text) for p, _ in pairs),
    )


_SCHEMA = """
CREATE TABLE IF NOT EXISTS predictions (
    project TEXT NOT NULL, task_id TEXT NOT NULL, model_version TEXT NOT NULL,
    result TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (project, task_id));
CREATE TABLE IF NOT EXISTS annotations (
    project TEXT NOT NULL, task_id TEXT NOT NULL, annotation_id TEXT NOT NULL,
    result TEXT NOT NULL, model_version TEXT, comparison TEXT, updated REAL NOT NULL,
    PRIMARY KEY (project, annotation_id));
"""

_COUNTS = tuple(Comparison.__dataclass_fields__)


class FeedbackStore:
    """Predictions, submitted annotations and comparisons, per project, in SQLite."""

    FILENAME = "stratigraphy_feedback.sqlite3"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    @classmethod
    def in_dir(cls, model_dir: Path) -> FeedbackStore:
        return cls(model_dir / cls.FILENAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            with conn:
                yield conn
        finally:
            conn.close()

    def record_predictions(
        self, project: str, items: Iterable[tuple[str, list[dict[str, Any]]]], model_version: str
    ) -> None:
        """Remember what was predicted for each ``(task_id, result)`` (latest wins)."""
        now = time.time()
        rows = [
            (project, task_id, model_version, json.dumps(result), now) for task_id, result in items
        ]
        if not rows:
            return
        with self._connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO predictions VALUES (?, ?, ?, ?, ?)", rows)

    def prediction(self, project: str, task_id: str) -> tuple[str, list[dict[str, Any]]] | None:
        """``(model_version, result)`` last predicted for the task, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT model_version, result FROM predictions WHERE project=? AND task_id=?",
                (project, task_id),
            ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def record_annotation(
        self,
        project: str,
        task_id: str,
        annotation_id: str,
        result: list[dict[str, Any]],
        comparison: Comparison | None,
        model_version: str | None,
    ) -> None:
        """Store a submitted annotation (created or updated) and its comparison."""
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    project,
                    task_id,
                    annotation_id,
                    json.dumps(result),
                    model_version,
                    json.dumps(asdict(comparison)) if comparison else None,
                    time.time(),
                ),
            )

    def delete_annotations(self, project: str, annotation_ids: Iterable[str]) -> int:
        """Forget annotations Label Studio deleted (they no longer count in metrics)."""
        ids = [(project, a) for a in annotation_ids]
        with self._connect() as conn:
            cur = conn.executemany(
                "DELETE FROM annotations WHERE project=? AND annotation_id=?", ids
            )
            return cur.rowcount

    def annotation(self, project: str, annotation_id: str) -> dict[str, Any] | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT task_id, result, comparison FROM annotations"
                " WHERE project=? AND annotation_id=?",
                (project, annotation_id),
            ).fetchone()
        if row is None:
            return None
        return {
            "task_id": row[0],
            "result": json.loads(row[1]),
            "comparison": json.loads(row[2]) if row[2] else None,
        }

    def metrics(self, project: str | None = None) -> dict[str, dict[str, Any]]:
        """Per project: annotations stored, compared, summed counts and the text edit rate."""
        query = "SELECT project, comparison FROM annotations"
        args: tuple[str, ...] = ()
        if project is not None:
            query += " WHERE project=?"
            args = (project,)
        out: dict[str, dict[str, Any]] = {}
        with self._connect() as conn:
            rows = conn.execute(query, args).fetchall()
        for proj, comparison in rows:
            entry = out.setdefault(
                proj, {"annotations": 0, "compared": 0, **dict.fromkeys(_COUNTS, 0)}
            )
            entry["annotations"] += 1
            if comparison:
                entry["compared"] += 1
                for key, value in json.loads(comparison).items():
                    if key in _COUNTS:
                        entry[key] += int(value)
        for entry in out.values():
            chars = entry["text_chars"]
            entry["text_edit_rate"] = round(entry["text_edits"] / chars, 4) if chars else 0.0
        return out
