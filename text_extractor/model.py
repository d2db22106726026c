"""``TextExtractorModel``: transcribe the box an annotator draws (Label Studio ML backend).

Interactive mode (``context.result`` present): the last drawn region of the
context is transcribed and returned as one prediction
``[textarea result with the region's id and geometry, the region unchanged]``
so that accepting the suggestion keeps the label (protocol doc §6/§7).

Pre-annotation (``context`` null): a task whose image is a cropped layer
picture (no PDF page behind it) is OCR'd whole into one transcription covering
the image; page tasks get no prediction here (the stratigraphy backend does them).
"""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from label_studio_ml import deadline
from label_studio_ml.errors import (
    BackendError,
    BadRequest,
    ConfigError,
    InputDocumentError,
    NotFound,
    RetryableError,
)
from label_studio_ml.model import LabelStudioMLBase
from label_studio_ml.storage.pages import PageRef, locate_page
from stratigraphy.pdf.reader import open_pdf
from stratigraphy.transcription import DEPTH_INTERVAL, label_key
from text_extractor.labels import apply_label, is_numeric_label
from text_extractor.ocr import ocr_gray, to_gray
from text_extractor.pdf_text import PageWords, read_page_words
from text_extractor.regions import Region
from text_extractor.services import Services
from text_extractor.settings import TextExtractorSettings
from text_extractor.transcribe import Source, transcribe

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageImage:
    """A decoded page image, EXIF orientation applied."""

    gray: np.ndarray
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Tags:
    """Names from the label config: the TextArea, the image it points at and its data key."""

    textarea: str
    image: str
    value_key: str


class TextExtractorModel(LabelStudioMLBase):
    """Transcribes drawn boxes: PDF text layer when good, else OCR of the crop."""

    MODEL_VERSION = "text-extractor-1.0.0"

    @property
    def _services(self) -> Services:
        if not isinstance(self.services, Services):
            raise ConfigError("TextExtractorModel needs text_extractor.services.Services")
        return self.services

    def _settings(self) -> TextExtractorSettings:
        """The service settings, with this project's ``extra_params.ocr_languages`` if given."""
        settings = self._services.settings
        languages = self.extra_params.get("ocr_languages")
        if isinstance(languages, str) and languages.strip():
            try:
                return replace(settings, ocr_languages=languages.strip())
            except ConfigError as exc:
                raise BadRequest(
                    "extra_params.ocr_languages is invalid", detail=exc.message
                ) from exc
        return settings

    def _tags(self) -> Tags:
        try:
            textarea, image, key = self.get_first_tag_occurence("TextArea", "Image")
        except ValueError as exc:
            raise BadRequest(
                "the label config has no <TextArea> pointing at an <Image>",
                detail='add e.g. <TextArea name="transcription" toName="image" perRegion="true"/>',
            ) from exc
        return Tags(textarea, image, key)

    # -- Label Studio entry point ---------------------------------------------------------

    def predict(
        self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None, **kwargs: Any
    ) -> list[Any]:
        tags = self._tags()
        interactive = isinstance(context, dict) and bool(context.get("result"))
        out: list[Any] = []
        for task in tasks:
            deadline.check()
            try:
                if interactive:
                    results = context["result"]  # type: ignore[index]
                    out.append(self._interactive(task, results, tags))
                else:
                    out.append(self._preannotate(task, tags))
            except RetryableError:
                raise  # a passing fault fails the request (503 + Retry-After)
            except BackendError as exc:  # one task's failure does not sink the batch
                out.append(exc)
        return out

    # -- interactive --------------------------------------------------------------------

    def _interactive(self, task: dict[str, Any], results: Any, tags: Tags) -> dict[str, Any]:
        region_result = last_region(results)
        value = region_result["value"]
        region = Region.from_value(value)
        label = first_label(value)
        data = task_data(task)
        image_url = data.get(tags.value_key)
        task_id = task.get("id")
        context = f" (task {task_id}, label {label or '-'})"
        page = self._page_ref(data, tags.value_key)
        images: list[PageImage | None] = []

        def gray() -> np.ndarray | None:
            if not images:
                images.append(self._load_image(image_url, task_id) if image_url else None)
            return images[0].gray if images[0] is not None else None

        settings = self._settings()
        if is_numeric_label(label):
            settings = replace(settings, ocr_languages=settings.ocr_numeric_languages)
        words = self._page_words(page, task_id) if page is not None else None
        found = transcribe(
            region,
            settings,
            page=words,
            gray=gray,
            readings=self._services.readings,
            depth_numbers=label_key(label) == label_key(DEPTH_INTERVAL),
            context=context,
        )
        text = apply_label(label, found.text)
        log.info(
            "task %s: %d characters from %s%s", task_id, len(text), found.source.value, context
        )

        width = region_result.get("original_width")
        height = region_result.get("original_height")
        if not isinstance(width, int) or not isinstance(height, int):
            gray()
            if images and images[0] is not None:
                width, height = images[0].width, images[0].height
        textarea: dict[str, Any] = {
            "id": region_result.get("id") or uuid.uuid4().hex[:10],
            "from_name": tags.textarea,
            "to_name": region_result.get("to_name") or tags.image,
            "type": "textarea",
            "origin": "manual",
            "value": {
                "x": value["x"],
                "y": value["y"],
                "width": value["width"],
                "height": value["height"],
                "rotation": value.get("rotation", 0) or 0,
                "text": [text],
            },
        }
        if isinstance(width, int) and isinstance(height, int):
            textarea["original_width"], textarea["original_height"] = width, height
        textarea["image_rotation"] = region_result.get("image_rotation", 0) or 0
        score = 1.0 if found.source is Source.TEXT_LAYER else round(min(1.0, found.quality), 3)
        return {"result": [textarea, region_result], "score": score}

    # -- pre-annotation -----------------------------------------------------------------

    def _preannotate(self, task: dict[str, Any], tags: Tags) -> dict[str, Any] | list[Any]:
        data = task_data(task)
        image_url = data.get(tags.value_key)
        task_id = task.get("id")
        if not isinstance(image_url, str) or not image_url:
            raise BadRequest(f"task {task_id} has no {tags.value_key!r} image")
        page = self._page_ref(data, tags.value_key)
        if page is not None and page.pdf and self._pdf_bytes(page.pdf, task_id) is not None:
            log.info(
                "task %s is a PDF page: pre-annotation is the stratigraphy backend's job", task_id
            )
            return []
        image = self._load_image(image_url, task_id)
        result = ocr_gray(image.gray, self._settings(), context=f" (task {task_id}, whole image)")
        return {
            "result": [
                {
                    "id": uuid.uuid4().hex[:10],
                    "from_name": tags.textarea,
                    "to_name": tags.image,
                    "type": "textarea",
                    "original_width": image.width,
                    "original_height": image.height,
                    "image_rotation": 0,
                    "value": {
                        "x": 0,
                        "y": 0,
                        "width": 100,
                        "height": 100,
                        "rotation": 0,
                        "text": [result.text],
                    },
                }
            ],
            "score": round(result.confidence / 100, 3),
        }

    # -- files ----------------------------------------------------------------------------

    @staticmethod
    def _page_ref(data: dict[str, Any], value_key: str) -> PageRef | None:
        try:
            return locate_page(data, value_key)
        except BadRequest:
            return None  # not a page image of the convention: no PDF behind it

    def _pdf_bytes(self, pdf: str, task_id: Any) -> bytes | None:
        def load() -> bytes | None:
            try:
                return self._services.resolver.fetch(pdf, task_id).data
            except (NotFound, BadRequest):
                return None

        data = self._services.pdfs.get_or_load(pdf, load)
        return data

    def _page_words(self, page: PageRef, task_id: Any) -> PageWords | None:
        """The text layer of the task's PDF page (cached), None when there is no usable PDF."""
        if not page.pdf:
            return None
        pdf = page.pdf

        def load() -> PageWords | None:
            data = self._pdf_bytes(pdf, task_id)
            if data is None:
                return None
            try:
                doc = open_pdf(data)
            except InputDocumentError as exc:
                log.warning(
                    "task %s: PDF unusable, OCR of the image instead (%s)", task_id, exc.message
                )
                return None
            try:
                if not 0 <= page.page_index < doc.page_count:
                    log.warning("task %s: the PDF has no page %d", task_id, page.page_index)
                    return None
                return read_page_words(doc.load_page(page.page_index))
            finally:
                doc.close()

        words = self._services.page_words.get_or_load(f"{page.page_index}:{pdf}", load)
        return words if isinstance(words, PageWords) else None

    def _load_image(self, url: str, task_id: Any) -> PageImage:
        settings = self._services.settings

        def load() -> PageImage:
            data = self._services.resolver.fetch(url, task_id).data
            return decode_image(data, settings)

        image = self._services.images.get_or_load(url, load)
        assert isinstance(image, PageImage)
        return image


def decode_image(data: bytes, settings: TextExtractorSettings) -> PageImage:
    """Bytes of a PNG/JPEG/TIFF -> grayscale array with EXIF orientation applied."""
    try:
        with Image.open(io.BytesIO(data)) as raw:
            # only the header is read so far: refuse before decoding (memory is bounded)
            if raw.width * raw.height > settings.max_image_pixels:
                raise InputDocumentError(
                    "the image is too large",
                    detail=f"{raw.width} x {raw.height} pixels, more than "
                    f"MAX_IMAGE_PIXELS={settings.max_image_pixels}",
                )
            if raw.format == "JPEG":
                raw.draft("L", raw.size)  # decode straight to gray: a third of the memory
            image = ImageOps.exif_transpose(raw)
            gray = to_gray(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InputDocumentError(
            "the task image cannot be read", detail=type(exc).__name__
        ) from exc
    return PageImage(np.ascontiguousarray(gray), int(gray.shape[1]), int(gray.shape[0]))


def task_data(task: Any) -> dict[str, Any]:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise BadRequest("every task needs a 'data' object")
    return task["data"]


def last_region(results: Any) -> dict[str, Any]:
    """The region just drawn: the last result of the context that is a box (not its text)."""
    if not isinstance(results, list):
        raise BadRequest("context.result must be a list")
    for item in reversed(results):
        if not isinstance(item, dict) or item.get("type") in ("relation", "textarea"):
            continue
        value = item.get("value")
        if isinstance(value, dict) and all(k in value for k in ("x", "y", "width", "height")):
            return item
    raise BadRequest("context.result holds no region with x, y, width and height")


def first_label(value: dict[str, Any]) -> str | None:
    """The first label of a ``rectanglelabels``/``labels`` value, if any."""
    for key in ("rectanglelabels", "labels", "polygonlabels"):
        labels = value.get(key)
        if isinstance(labels, list) and labels:
            return str(labels[0])
    return None
