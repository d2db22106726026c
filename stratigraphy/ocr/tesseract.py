"""Thin wrapper around the Tesseract binary (through pytesseract).

The only module that calls Tesseract. It builds the arguments, applies a time
limit, and turns every failure into :class:`~label_studio_ml.errors.OcrEngineError`.
Callers that can degrade (one crop of many) catch that error and carry on.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from label_studio_ml.errors import OcrEngineError
from stratigraphy.geometry import BBox

log = logging.getLogger(__name__)

DEFAULT_LANGUAGES = "deu+fra+ita+eng"


def _tess():
    """pytesseract, imported on first use: it imports pandas when that is installed (~0.3 s)."""
    import pytesseract

    return pytesseract


@dataclass(frozen=True, slots=True)
class OcrWord:
    """A word found by Tesseract, box in pixels of the image it was run on."""

    text: str
    bbox: BBox
    conf: float
    block: int
    par: int
    line: int

    @property
    def line_key(self) -> tuple[int, int, int]:
        return (self.block, self.par, self.line)


@dataclass(frozen=True, slots=True)
class TesseractProbe:
    version: str
    languages: frozenset[str]


@lru_cache(maxsize=1)
def probe() -> TesseractProbe:
    """Check once per process that Tesseract runs and which languages it has."""
    if shutil.which(_tess().pytesseract.tesseract_cmd) is None:
        raise OcrEngineError(
            "Tesseract is not installed",
            detail="install it, e.g. apt-get install tesseract-ocr tesseract-ocr-deu "
            "tesseract-ocr-fra tesseract-ocr-ita",
        )
    try:
        version = str(_tess().get_tesseract_version())
        languages = frozenset(_tess().get_languages(config=""))
    except (_tess().TesseractError, OSError) as exc:
        raise OcrEngineError("Tesseract does not run", detail=str(exc)) from exc
    return TesseractProbe(version=version, languages=languages)


def usable_languages(requested: str) -> str:
    """The subset of ``a+b+c`` that is installed (ValueError-free: falls back to ``eng``)."""
    have = probe().languages
    langs = [lang for lang in requested.split("+") if lang in have]
    missing = [lang for lang in requested.split("+") if lang not in have]
    if missing:
        log.warning("tesseract languages not installed, skipped: %s", "+".join(missing))
    return "+".join(langs) if langs else "eng"


def _single_threaded() -> None:
    """Run Tesseract with one OpenMP thread unless the operator chose otherwise.

    Its OpenMP threads spin-wait; on a small shared machine (gunicorn workers, OCR
    of several pages) that makes a page 5-10x slower, not faster.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _config(psm: int, extra: str) -> str:
    return f"--psm {psm} --oem 1 {extra}".strip()


def image_to_words(
    image: Image.Image,
    *,
    languages: str = DEFAULT_LANGUAGES,
    psm: int = 3,
    timeout: float = 60.0,
    extra_config: str = "",
    min_conf: float = -1.0,
) -> list[OcrWord]:
    """Words with pixel boxes, in Tesseract's reading order."""
    _single_threaded()
    try:
        data = _tess().image_to_data(
            image,
            lang=usable_languages(languages),
            config=_config(psm, extra_config),
            output_type=_tess().Output.DICT,
            timeout=timeout,
        )
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        raise OcrEngineError("Tesseract timed out", detail=f"limit {timeout:.0f} s") from exc
    except (_tess().TesseractError, OSError) as exc:
        raise OcrEngineError("Tesseract failed", detail=str(exc)[:300]) from exc
    words: list[OcrWord] = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < min_conf:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        width, height = float(data["width"][i]), float(data["height"][i])
        words.append(
            OcrWord(
                text=text,
                bbox=BBox(left, top, left + width, top + height),
                conf=conf,
                block=int(data["block_num"][i]),
                par=int(data["par_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words


def image_to_string(
    image: Image.Image,
    *,
    languages: str = DEFAULT_LANGUAGES,
    psm: int = 6,
    timeout: float = 30.0,
    extra_config: str = "",
) -> str:
    """Plain text of an image (lines separated by newlines)."""
    _single_threaded()
    try:
        return str(
            _tess().image_to_string(
                image,
                lang=usable_languages(languages),
                config=_config(psm, extra_config),
                timeout=timeout,
            )
        )
    except RuntimeError as exc:
        raise OcrEngineError("Tesseract timed out", detail=f"limit {timeout:.0f} s") from exc
    except (_tess().TesseractError, OSError) as exc:
        raise OcrEngineError("Tesseract failed", detail=str(exc)[:300]) from exc


def detect_orientation(image: Image.Image, *, timeout: float = 30.0) -> tuple[int, float] | None:
    """Clockwise turn (0, 90, 180, 270) that makes the text of ``image`` upright, with confidence.

    None when Tesseract cannot tell (too little text); other failures raise OcrEngineError.
    """
    _single_threaded()
    try:
        data = _tess().image_to_osd(
            image, config="--psm 0", output_type=_tess().Output.DICT, timeout=timeout
        )
    except RuntimeError as exc:
        raise OcrEngineError("Tesseract timed out", detail=f"limit {timeout:.0f} s") from exc
    except _tess().TesseractError:
        return None  # "Too few characters" and similar: no orientation to report
    except OSError as exc:
        raise OcrEngineError("Tesseract failed", detail=str(exc)[:300]) from exc
    rotate = int(data.get("rotate", 0)) % 360
    if rotate not in (0, 90, 180, 270):
        return None
    return rotate, float(data.get("orientation_conf", 0.0))
