"""The page-image to PDF convention shared by both backends.

A page image ``png/<project>/<name>_<page>.png`` (page 0-based) belongs to the
PDF ``pdf/<project>/<name>.pdf``. The image value in ``task.data`` may be any URL
form Label Studio stores (``s3://bucket/[prefix/]png/...``,
``/data/local-files/?d=png/...``, ``http(s)://host/.../png/...`` or a plain key);
the PDF reference keeps the same form so the resolver fetches it the same way.
A task may instead name its PDF and page explicitly in ``data.pdf`` and
``data.page`` (0-based); those win when present.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from label_studio_ml.errors import BadRequest
from label_studio_ml.storage.base import show_key
from label_studio_ml.storage.urls import MAX_URL_LENGTH

_PAGE_IMAGE = re.compile(
    r"(?P<before>^|.*/)png/(?P<project>[^/]+)/(?P<name>[^/]+)_(?P<page>[0-9]+)\.png$",
    re.IGNORECASE,
)
_PAGE_SUFFIX = re.compile(r"_([0-9]+)\.[A-Za-z0-9]+$")
#: Largest 0-based page index accepted (no real log has a million pages).
MAX_PAGE_INDEX = 999_999
_ASCII_NUMBER = re.compile(r"[0-9]{1,9}")
LOCAL_FILES_PATH = "/data/local-files/"


@dataclass(frozen=True)
class PageRef:
    """Which page of which PDF a task's image shows.

    ``image_url`` is the raw task value (``None`` only when the task names just
    ``data.pdf`` + ``data.page`` and has no image); ``pdf`` is a key or URL of the
    same form as the image; ``page_index`` is 0-based.
    """

    image_url: str | None
    pdf: str | None
    page_index: int
    project: str | None
    name: str | None


def _check_part(label: str, value: str) -> str:
    value = str(value)
    if not value or "/" in value or "\\" in value or value in (".", "..") or "\x00" in value:
        raise BadRequest(f"{label} {show_key(value)} cannot be used in a storage key")
    return value


def pdf_key(project: str | int, name: str) -> str:
    """``pdf/<project>/<name>.pdf``."""
    return f"pdf/{_check_part('project', str(project))}/{_check_part('name', name)}.pdf"


def page_image_key(project: str | int, name: str, page_index: int) -> str:
    """``png/<project>/<name>_<page>.png`` with a 0-based page index."""
    if isinstance(page_index, bool) or not isinstance(page_index, int) or page_index < 0:
        raise BadRequest(f"page index must be a non-negative integer, got {page_index!r}")
    return (
        f"png/{_check_part('project', str(project))}/{_check_part('name', name)}_{page_index}.png"
    )


def locate_page(task_data: dict[str, Any], image_key: str = "image") -> PageRef:
    """Find the PDF and 0-based page for a task; :class:`BadRequest` when impossible."""
    if not isinstance(task_data, dict):
        raise BadRequest("task data must be an object")
    image = task_data.get(image_key)
    if image is not None and not isinstance(image, str):
        raise BadRequest(f"task data field {image_key!r} must be a string URL or key")
    image = image or None
    pdf = task_data.get("pdf")
    for value in (image, pdf):
        if isinstance(value, str) and len(value) > MAX_URL_LENGTH:
            raise BadRequest(f"file reference is longer than {MAX_URL_LENGTH} characters")

    if pdf not in (None, ""):
        return _explicit_ref(task_data, pdf, image)

    if image is None:
        raise BadRequest(
            f"task data has no {image_key!r} value and no 'pdf'/'page' fields; "
            "cannot tell which page to process"
        )
    split = _split_image(image)
    if split is None:
        raise BadRequest(
            f"cannot find the PDF for image {show_key(image)}: expected a path ending in "
            "png/<project>/<name>_<page>.png, or task data fields 'pdf' and 'page'"
        )
    _path, match, rebuild = split
    project, name, page = match["project"], match["name"], page_number(match["page"])
    pdf_path = f"{match['before']}{pdf_key(project, name)}"
    return PageRef(
        image_url=image, pdf=rebuild(pdf_path), page_index=page, project=project, name=name
    )


def _explicit_ref(task_data: dict[str, Any], pdf: Any, image: str | None) -> PageRef:
    if not isinstance(pdf, str):
        raise BadRequest("task data field 'pdf' must be a string URL or key")
    page = task_data.get("page")
    if page is None or page == "":
        suffix = _PAGE_SUFFIX.search(_path_of(image)) if image else None
        if suffix is None:
            raise BadRequest("task data names a 'pdf' but no 'page' (0-based page index)")
        page_index = page_number(suffix.group(1))
    else:
        page_index = _parse_page(page)
    name, project = None, None
    pdf_path = _path_of(pdf)
    found = re.search(r"(?:^|/)pdf/([^/]+)/([^/]+)\.pdf$", pdf_path, re.IGNORECASE)
    if found:
        project, name = found.group(1), found.group(2)
    else:
        base = pdf_path.rsplit("/", 1)[-1]
        name = base[:-4] if base.lower().endswith(".pdf") else (base or None)
    return PageRef(image_url=image, pdf=pdf, page_index=page_index, project=project, name=name)


def page_number(text: str) -> int:
    """A 0-based page index written in ASCII digits, at most :data:`MAX_PAGE_INDEX`.

    ``str.isdigit`` and the ``\\d`` of ``re`` also accept '²' or Arabic-Indic digits,
    which ``int()`` then refuses or reads; only 0-9 are page numbers here.
    """
    if not _ASCII_NUMBER.fullmatch(text) or int(text) > MAX_PAGE_INDEX:
        shown = text if len(text) <= 20 else f"{text[:20]}..."
        raise BadRequest(
            f"page number {shown!a} is not a 0-based integer from 0 to {MAX_PAGE_INDEX}"
        )
    return int(text)


def _parse_page(page: Any) -> int:
    if isinstance(page, bool):
        raise BadRequest("task data field 'page' must be a 0-based integer, got a boolean")
    if isinstance(page, int):
        value = page
    elif isinstance(page, float) and page.is_integer() and abs(page) <= MAX_PAGE_INDEX:
        value = int(page)
    elif isinstance(page, str):
        value = page_number(page.strip())
    else:
        raise BadRequest(
            f"task data field 'page' must be a 0-based integer, got {type(page).__name__}"
        )
    if value < 0:
        raise BadRequest("task data field 'page' must be 0 or more")
    if value > MAX_PAGE_INDEX:
        raise BadRequest(f"task data field 'page' must be at most {MAX_PAGE_INDEX}")
    return value


def _path_of(value: str) -> str:
    """The path part of any supported URL form (used for pattern matching only)."""
    parts = urlsplit(value)
    if parts.path.rstrip("/") == LOCAL_FILES_PATH.rstrip("/"):
        return dict(parse_qsl(parts.query)).get("d", "")
    if parts.scheme in ("s3", "gs", "azure-blob"):
        return parts.path.lstrip("/")
    return unquote(parts.path)


def _split_image(image: str) -> tuple[str, re.Match[str], Callable[[str], str]] | None:
    """Return (path, match, rebuild) where rebuild(new_path) gives a URL of the same form."""
    parts = urlsplit(image)
    if parts.path.rstrip("/") == LOCAL_FILES_PATH.rstrip("/") and parts.scheme in (
        "",
        "http",
        "https",
    ):
        query = parse_qsl(parts.query, keep_blank_values=True)
        path = dict(query).get("d", "")

        def rebuild(new: str) -> str:
            new_query = [(k, new if k == "d" else v) for k, v in query]
            return urlunsplit(
                (parts.scheme, parts.netloc, parts.path, urlencode(new_query, safe="/"), "")
            )

    elif parts.scheme in ("s3", "gs", "azure-blob"):
        path = parts.path.lstrip("/")

        def rebuild(new: str) -> str:
            return f"{parts.scheme}://{parts.netloc}/{new}"

    elif parts.scheme in ("http", "https"):
        path = unquote(parts.path)

        def rebuild(new: str) -> str:
            return urlunsplit((parts.scheme, parts.netloc, quote(new), "", ""))

    else:
        path = image

        def rebuild(new: str) -> str:
            return new

    match = _PAGE_IMAGE.match(path)
    if match is None:
        return None
    return path, match, rebuild
