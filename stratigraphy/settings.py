"""Settings of the extraction engine: one frozen object, read from the environment once.

Every tunable of the engine (OCR languages and resolution, page and time limits,
the test for a usable text layer) lives here with its default. Services build
it with :meth:`EngineSettings.from_env` at start-up and pass it down; engine code
never reads environment variables itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from label_studio_ml.errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Tunables of the engine (validated in ``__post_init__``)."""

    ocr_languages: str = "deu+fra+ita+eng"
    """Tesseract languages, ``+``-joined (ENGINE_OCR_LANGUAGES)."""
    ocr_dpi: int = 300
    """Resolution pages are rendered at for OCR (ENGINE_OCR_DPI)."""
    ocr_psm: int = 11
    """Tesseract page segmentation mode for whole pages (ENGINE_OCR_PSM); 11, sparse text, suits
    logs."""
    ocr_timeout: float = 60.0
    """Limit for one Tesseract run in seconds (ENGINE_OCR_TIMEOUT)."""
    ocr_erase_lines: str = "vertical"
    """Rules painted white before OCR: none, vertical or all (ENGINE_OCR_ERASE_LINES)."""
    ocr_workers: int = 2
    """Tesseract processes for one large page, read in bands (ENGINE_OCR_WORKERS)."""
    ocr_band_pixels: int = 12_000_000
    """Rendered pages larger than this are OCR'd in bands, in parallel (ENGINE_OCR_BAND_PIXELS)."""
    ocr_invert: bool = False
    """Let Tesseract also try unsure text lines as white-on-black (ENGINE_OCR_INVERT); off saves
    ~10% of OCR time on hatching and drawings, which are always unsure."""
    ocr_probe_pixels: int = 12_000_000
    """Pages whose OCR rendering exceeds this many pixels are first read quickly at low resolution
    with one model to find their language(s), then read with only those of ENGINE_OCR_LANGUAGES
    (ENGINE_OCR_PROBE_PIXELS; 0 = never). Each extra language costs up to one more reading of
    every unsure word; A4 at 300 dpi is 8.7 million pixels."""
    ocr_probe_dpi: int = 120
    """Resolution of that quick reading (ENGINE_OCR_PROBE_DPI)."""
    ocr_orientation: bool = True
    """Check sparse OCR pages for sideways scans and read them turned (ENGINE_OCR_ORIENTATION)."""
    ocr_reread_numbers: bool = True
    """Read short numbers of OCR'd pages again, each on its own crop with a digit whitelist, and
    take the reading when it only adds the decimals page OCR dropped ('38' -> '38.2'), one extra
    Tesseract run per page (ENGINE_OCR_REREAD_NUMBERS)."""
    ocr_prepare_unsure: float = 1.0  # off: see the README row for the measured trade-off
    """When more than this share of a page's text-like OCR words are unsure (confidence < 60), a
    prepared copy of the page (lighting flattened, rules removed, adaptive threshold) is read too
    and the surer reading kept word by word (ENGINE_OCR_PREPARE_UNSURE; 1 = never)."""
    ocr_enabled: bool = True
    """OCR pages without a usable text layer (ENGINE_OCR); off: such pages have no words."""
    outline_ocr: bool = True
    """OCR small regions of vector-drawn lettering on text-layer pages (ENGINE_OUTLINE_OCR)."""
    outline_ocr_languages: str = ""
    """Languages for outline lettering (ENGINE_OUTLINE_OCR_LANGUAGES); empty: the first of
    ENGINE_OCR_LANGUAGES. Labels and numbers need one model; each extra one costs ~0.15 s to
    load."""
    max_outline_regions: int = 40
    """At most this many outline regions are OCR'd per page (ENGINE_MAX_OUTLINE_REGIONS)."""
    min_text_words: int = 5
    """A text layer with fewer usable words than this counts as missing (ENGINE_MIN_TEXT_WORDS)."""
    max_pages: int = 200
    """Pages beyond this are not read; the result carries a warning (ENGINE_MAX_PAGES)."""
    max_seconds: float = 300.0
    """Time budget per document; once spent, remaining pages are not OCR'd (ENGINE_MAX_SECONDS)."""
    lines_dpi: int = 100
    """Resolution for detecting ruling lines on scanned pages with OpenCV (ENGINE_LINES_DPI)."""
    ocr_max_pixels: int = 24_000_000
    """Pages OCR'd at ENGINE_OCR_DPI that would exceed this many pixels get a lower dpi, keeping
    large sheets within the time target; A4 at 300 dpi is 8.7 million (ENGINE_OCR_MAX_PIXELS)."""
    max_render_pixels: int = 40_000_000
    """Pages are rendered at a lower dpi when they would exceed this many pixels
    (ENGINE_MAX_RENDER_PIXELS)."""
    max_file_bytes: int = 200 * 1024 * 1024
    """Larger documents are refused (ENGINE_MAX_FILE_BYTES)."""

    def __post_init__(self) -> None:
        for var, langs in (
            ("ENGINE_OCR_LANGUAGES", self.ocr_languages),
            ("ENGINE_OUTLINE_OCR_LANGUAGES", self.outline_ocr_languages or "deu"),
        ):
            if not langs or any(not part.replace("_", "").isalnum() for part in langs.split("+")):
                raise ConfigError(f"{var} must look like 'deu+fra', not {langs!r}")
        if not 72 <= self.ocr_dpi <= 600:
            raise ConfigError(f"ENGINE_OCR_DPI must be between 72 and 600, not {self.ocr_dpi}")
        if not 36 <= self.lines_dpi <= 300:
            raise ConfigError(f"ENGINE_LINES_DPI must be between 36 and 300, not {self.lines_dpi}")
        if self.ocr_erase_lines not in ("none", "vertical", "all"):
            raise ConfigError(
                "ENGINE_OCR_ERASE_LINES must be none, vertical or all, "
                f"not {self.ocr_erase_lines!r}"
            )
        if self.ocr_psm not in (1, 3, 4, 6, 11, 12):
            raise ConfigError(
                f"ENGINE_OCR_PSM must be one of 1, 3, 4, 6, 11, 12, not {self.ocr_psm}"
            )
        for name in ("ocr_timeout", "max_seconds"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"ENGINE_{name.upper()} must be positive")
        for name in (
            "max_pages",
            "max_file_bytes",
            "ocr_workers",
            "ocr_band_pixels",
            "max_render_pixels",
            "ocr_max_pixels",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"ENGINE_{name.upper()} must be at least 1")
        if self.ocr_probe_pixels < 0 or not 50 <= self.ocr_probe_dpi <= 300:
            raise ConfigError(
                "ENGINE_OCR_PROBE_PIXELS must be >= 0 and ENGINE_OCR_PROBE_DPI between 50 and 300"
            )
        if not 0.0 <= self.ocr_prepare_unsure <= 1.0:
            raise ConfigError("ENGINE_OCR_PREPARE_UNSURE must be between 0 and 1")
        if self.min_text_words < 1 or self.max_outline_regions < 0:
            raise ConfigError(
                "ENGINE_MIN_TEXT_WORDS must be >= 1 and ENGINE_MAX_OUTLINE_REGIONS >= 0"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> EngineSettings:
        """Build from ``ENGINE_*`` variables (unset ones keep their defaults)."""
        env = os.environ if environ is None else environ
        names = {
            "ocr_languages": "ENGINE_OCR_LANGUAGES",
            "ocr_dpi": "ENGINE_OCR_DPI",
            "ocr_psm": "ENGINE_OCR_PSM",
            "ocr_timeout": "ENGINE_OCR_TIMEOUT",
            "ocr_enabled": "ENGINE_OCR",
            "ocr_orientation": "ENGINE_OCR_ORIENTATION",
            "ocr_reread_numbers": "ENGINE_OCR_REREAD_NUMBERS",
            "ocr_prepare_unsure": "ENGINE_OCR_PREPARE_UNSURE",
            "ocr_invert": "ENGINE_OCR_INVERT",
            "ocr_probe_pixels": "ENGINE_OCR_PROBE_PIXELS",
            "ocr_probe_dpi": "ENGINE_OCR_PROBE_DPI",
            "ocr_erase_lines": "ENGINE_OCR_ERASE_LINES",
            "ocr_workers": "ENGINE_OCR_WORKERS",
            "ocr_band_pixels": "ENGINE_OCR_BAND_PIXELS",
            "outline_ocr": "ENGINE_OUTLINE_OCR",
            "max_outline_regions": "ENGINE_MAX_OUTLINE_REGIONS",
            "outline_ocr_languages": "ENGINE_OUTLINE_OCR_LANGUAGES",
            "min_text_words": "ENGINE_MIN_TEXT_WORDS",
            "max_pages": "ENGINE_MAX_PAGES",
            "max_seconds": "ENGINE_MAX_SECONDS",
            "lines_dpi": "ENGINE_LINES_DPI",
            "max_file_bytes": "ENGINE_MAX_FILE_BYTES",
            "max_render_pixels": "ENGINE_MAX_RENDER_PIXELS",
            "ocr_max_pixels": "ENGINE_OCR_MAX_PIXELS",
        }
        types = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for attr, var in names.items():
            raw = env.get(var)
            if raw is None:
                continue
            values[attr] = _convert(var, raw.strip(), str(types[attr]))
        return cls(**values)

    @property
    def outline_languages(self) -> str:
        return self.outline_ocr_languages or self.ocr_languages.split("+")[0]

    def with_changes(self, **changes: Any) -> EngineSettings:
        """A copy with some fields replaced (validated again)."""
        return replace(self, **changes)


def _convert(var: str, raw: str, type_name: str) -> Any:
    try:
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
        if type_name == "bool":
            low = raw.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError(raw)
    except ValueError:
        raise ConfigError(f"{var} must be a {type_name}, not {raw!r}") from None
    return raw
