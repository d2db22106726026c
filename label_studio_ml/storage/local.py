"""Storage in a directory on the local disk (``STORAGE=local``, ``DATA_DIR``)."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from label_studio_ml.errors import ForbiddenPath, NotFound, StorageError
from label_studio_ml.storage.base import clean_key, show_key

log = logging.getLogger(__name__)

_TMP_PREFIX = ".tmp-"


def safe_join(root: Path, key: str) -> Path:
    """Return ``root/key`` resolved, refusing anything that lands outside ``root``.

    The key is checked syntactically first (:func:`clean_key`), then the joined
    path is resolved (following symlinks) and must stay inside the resolved root,
    so a symlink that points outside the root is refused as well.
    """
    clean_key(key)
    resolved_root = root.resolve()
    candidate = (resolved_root / key).resolve(strict=False)
    if not candidate.is_relative_to(resolved_root):
        raise ForbiddenPath(f"key {show_key(key)} resolves outside the storage root")
    return candidate


class LocalStorage:
    """Files under one root directory; keys map to relative paths."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def path_for(self, key: str) -> Path:
        """The absolute path for ``key`` (checked to lie inside the root)."""
        return safe_join(self.root, key)

    def read_bytes(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFound(f"no file {show_key(key)} in local storage") from None
        except OSError as exc:
            raise StorageError(
                f"cannot read {show_key(key)} from local storage: {exc.strerror}"
            ) from exc

    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        path = self.path_for(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # mkdir may have followed a symlinked directory: check again.
            self.path_for(key)
            fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp_name, 0o644)
                os.replace(tmp_name, path)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageError(
                f"cannot write {show_key(key)} to local storage: {exc.strerror}"
            ) from exc
        log.debug("wrote %s (%d bytes)", self.uri(key), len(data))

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def list(self, prefix: str = "") -> Iterator[str]:
        clean_key(prefix, allow_empty=True)
        base_dir = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        start = self.root / base_dir if base_dir else self.root
        if base_dir:
            start = safe_join(self.root, base_dir)
        if not start.is_dir():
            return
        keys: list[str] = []
        for dirpath, dirnames, filenames in os.walk(start, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(_TMP_PREFIX))
            for name in filenames:
                if name.startswith(_TMP_PREFIX):
                    continue
                full = Path(dirpath) / name
                try:
                    if not full.resolve().is_relative_to(self.root):
                        continue  # a symlink pointing outside the root is invisible
                except OSError:
                    continue
                key = full.relative_to(self.root).as_posix()
                if key.startswith(prefix) and full.is_file():
                    keys.append(key)
        yield from sorted(keys)

    def uri(self, key: str) -> str:
        return (self.root / key).as_uri() if key else self.root.as_uri()

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        path = self.path_for(key)
        if not path.is_file():
            raise NotFound(f"no file {show_key(key)} in local storage")
        yield path
