"""Depth entries in the printed forms the red-team documents met (pure, no PDF)."""

from __future__ import annotations

import pytest

from stratigraphy.geometry import BBox
from stratigraphy.layers.entries import EntryKind, run_to_entry
from stratigraphy.layers.runs import Run
from stratigraphy.model import Word


def _run(text: str) -> Run:
    words, x = [], 0.0
    for token in text.split():
        words.append(Word(token, BBox(x, 0, x + 6 * len(token), 8), 1))
        x += 6 * len(token) + 3
    return Run(tuple(words))


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "rest"),
    [
        ("1.20 m u. T. Kies, sandig", EntryKind.VALUE, 1.2, None, "Kies, sandig"),
        ("0.00 – 0.40 m u.T. Humus", EntryKind.INTERVAL, 0.0, 0.4, "Humus"),
        ("1.20 m ab OKT Kies", EntryKind.VALUE, 1.2, None, "Kies"),
        ("2.40 m bgl Firm CLAY", EntryKind.VALUE, 2.4, None, "Firm CLAY"),
        ("1.20 m dal p.c. Ghiaia", EntryKind.VALUE, 1.2, None, "Ghiaia"),
        ("m 1,20 Ghiaia", EntryKind.VALUE, 1.2, None, "Ghiaia"),
        ("à 1.20 m : argile", EntryKind.VALUE, 1.2, None, "argile"),
        ("bis 0.40 m Humus", EntryKind.VALUE, 0.4, None, "Humus"),
        ("da m 0,00 a m 1,20 Terreno", EntryKind.INTERVAL, 0.0, 1.2, "Terreno"),
        ("da m 0,00 am 1,20 Terreno", EntryKind.INTERVAL, 0.0, 1.2, "Terreno"),
        ("De 0.40 à 1.70 m : limon", EntryKind.INTERVAL, 0.4, 1.7, "limon"),
        ("De 0.40 à 170 m : limon", EntryKind.INTERVAL, 0.4, 1.7, "limon"),
        ("30 - 75 cm Bv: Lehm", EntryKind.INTERVAL, 0.3, 0.75, "Bv: Lehm"),
        ("dès 5.20 m : molasse", EntryKind.INTERVAL, 5.2, None, "molasse"),
        ("dès5.20 m molasse", EntryKind.INTERVAL, 5.2, None, "molasse"),
        ("1.20 (450.60) Kies", EntryKind.VALUE, 1.2, None, "Kies"),
        ("-1 60 Gravier", EntryKind.VALUE, 1.6, None, "Gravier"),
    ],
)
def test_printed_forms(
    text: str, kind: EntryKind, start: float, end: float | None, rest: str
) -> None:
    entry = run_to_entry(_run(text))
    assert entry is not None
    assert (entry.kind, entry.start, entry.end) == (kind, start, end)
    assert " ".join(w.text for w in entry.rest) == rest


@pytest.mark.parametrize(
    "text",
    [
        "3) Kies, sandig",  # a layer label
        "2-5 mm Körner",  # a size, not a depth
        "1.20 müM",  # an elevation unit
        "1:100",  # a scale
        "12 50 80 kg",  # a row of test values
    ],
)
def test_not_depth_entries(text: str) -> None:
    entry = run_to_entry(_run(text))
    assert entry is None
