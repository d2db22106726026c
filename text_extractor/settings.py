"""Settings of the text extractor, read from the environment once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from label_studio_ml.envvars import env_bool, env_float, env_int, env_str
from label_studio_ml.errors import ConfigError

DEFAULT_OCR_LANGUAGES = "deu+fra+ita+eng"


@dataclass(frozen=True, slots=True)
class TextExtractorSettings:
    """Everything the transcription backend tunes (see the README for the variables).

    ``ocr_target_line_height``: crops whose text lines are lower than this many
    pixels are upscaled to it (Tesseract reads best at ~30-40 px lines).
    ``ocr_crop_pad``: margin added around a drawn box, as a fraction of the page
    image width, so that glyphs touching the box edge are not cut.
    ``text_layer_min_quality``: a scanned page's text layer whose plausibility is
    at least this, and of whose words at least ``text_layer_min_known`` are in
    the lexicon, is used without OCR; otherwise a fresh OCR is run and the more
    plausible text wins. ``ocr_numeric_languages``: the model used for boxes
    labelled with numbers (depths, coordinates, elevation), where the German
    model misreads some digits (``3,5`` as ``3,9``). ``ocr_repair``: dictionary-aware
    repair of OCR confusions. ``ocr_region_psm``: Tesseract page segmentation for the
    region read around a box (11: sparse text, words wherever they are);
    ``ocr_pages_cached``: page images whose OCR readings are kept per worker.
    """

    ocr_languages: str = DEFAULT_OCR_LANGUAGES
    ocr_numeric_languages: str = "eng"
    ocr_timeout: float = 20.0
    ocr_target_line_height: float = 36.0
    ocr_max_upscale: float = 4.0
    ocr_crop_pad: float = 0.0025
    ocr_repair: bool = True
    text_layer_min_quality: float = 0.97
    text_layer_min_known: float = 0.5
    use_text_layer: bool = True
    max_image_pixels: int = 60_000_000  # MAX_IMAGE_PIXELS: A4 at 600 dpi is 35 MP
    ocr_region_psm: int = 11
    ocr_pages_cached: int = 16

    def __post_init__(self) -> None:
        for name, value in (
            ("OCR_LANGUAGES", self.ocr_languages),
            ("OCR_NUMERIC_LANGUAGES", self.ocr_numeric_languages),
        ):
            langs = [lang for lang in value.split("+") if lang]
            if not langs or any(not lang.replace("_", "").isalnum() for lang in langs):
                raise ConfigError(f"{name} must look like deu+fra+ita+eng, got {value!r}")
        if self.ocr_timeout <= 0:
            raise ConfigError("OCR_TIMEOUT must be > 0 seconds")
        if not 8 <= self.ocr_target_line_height <= 200:
            raise ConfigError("OCR_UPSCALE_MIN_HEIGHT must be between 8 and 200 pixels")
        if not 1 <= self.ocr_max_upscale <= 8:
            raise ConfigError("OCR_MAX_UPSCALE must be between 1 and 8")
        if not 0 <= self.ocr_crop_pad <= 0.05:
            raise ConfigError(
                "OCR_CROP_PAD must be between 0 and 0.05 (fraction of the page width)"
            )
        if self.ocr_region_psm not in (3, 4, 6, 11, 12):
            raise ConfigError("OCR_REGION_PSM must be one of 3, 4, 6, 11, 12")
        if not 0 <= self.ocr_pages_cached <= 1000:
            raise ConfigError("OCR_PAGES_CACHED must be between 0 and 1000")
        if not 0 <= self.text_layer_min_quality <= 1:
            raise ConfigError("TEXT_LAYER_MIN_QUALITY must be between 0 and 1")
        if not 0 <= self.text_layer_min_known <= 1:
            raise ConfigError("TEXT_LAYER_MIN_KNOWN must be between 0 and 1")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TextExtractorSettings:
        """Build the settings from ``environ`` (default: ``os.environ``)."""
        env = os.environ if environ is None else environ
        d = cls()
        return cls(
            ocr_languages=env_str(env, "OCR_LANGUAGES") or d.ocr_languages,
            ocr_numeric_languages=env_str(env, "OCR_NUMERIC_LANGUAGES") or d.ocr_numeric_languages,
            ocr_timeout=env_float(env, "OCR_TIMEOUT", d.ocr_timeout),
            ocr_target_line_height=env_float(
                env, "OCR_UPSCALE_MIN_HEIGHT", d.ocr_target_line_height
            ),
            ocr_max_upscale=env_float(env, "OCR_MAX_UPSCALE", d.ocr_max_upscale),
            ocr_crop_pad=env_float(env, "OCR_CROP_PAD", d.ocr_crop_pad),
            ocr_repair=env_bool(env, "OCR_REPAIR", d.ocr_repair),
            text_layer_min_quality=env_float(
                env, "TEXT_LAYER_MIN_QUALITY", d.text_layer_min_quality
            ),
            text_layer_min_known=env_float(env, "TEXT_LAYER_MIN_KNOWN", d.text_layer_min_known),
            use_text_layer=env_bool(env, "USE_TEXT_LAYER", d.use_text_layer),
            max_image_pixels=env_int(
                env, "MAX_IMAGE_PIXELS", d.max_image_pixels, low=1_000_000, high=500_000_000
            ),
            ocr_region_psm=env_int(env, "OCR_REGION_PSM", d.ocr_region_psm, low=0, high=13),
            ocr_pages_cached=env_int(env, "OCR_PAGES_CACHED", d.ocr_pages_cached, low=1, high=256),
        )
