"""Label-aware rewriting of a transcription (pure), in the formats both backends share.

The formats and the parsing of printed values live in :mod:`stratigraphy.transcription`
(the stratigraphy backend writes its pre-annotation with the same functions): a box
labelled ``Depth Interval`` gives ``start: X end: Y``, ``Elevation`` a number,
``Coordinates`` ``east / north``, ``Groundwater`` ``depth m, YYYY-MM-DD`` and
``Borehole Name`` the name without its label. Text the parser cannot read, and every
other label, keeps the text as read.
"""

from __future__ import annotations

from stratigraphy.transcription import format_box_text, is_numeric_label

__all__ = ["apply_label", "is_numeric_label"]


def apply_label(label: str | None, text: str) -> str:
    """The transcription to show for a box carrying ``label``."""
    if not label or not text:
        return text
    value = format_box_text(label, text)
    return text if value is None else value
