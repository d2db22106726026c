from __future__ import annotations

import os
import threading

import pytest

from label_studio_ml.errors import BadRequest, ForbiddenPath, NotFound
from label_studio_ml.storage import LocalStorage, Storage, StorageSettings, make_storage


@pytest.fixture()
def storage(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    return LocalStorage(root)


def test_write_read_exists_roundtrip(storage):
    assert isinstance(storage, Storage)
    assert not storage.exists("pdf/3/a.pdf")
    storage.write_bytes("pdf/3/a.pdf", b"%PDF-1.7 data", content_type="application/pdf")
    assert storage.exists("pdf/3/a.pdf")
    assert storage.read_bytes("pdf/3/a.pdf") == b"%PDF-1.7 data"
    assert (storage.root / "pdf" / "3" / "a.pdf").read_bytes() == b"%PDF-1.7 data"
    assert storage.uri("pdf/3/a.pdf").startswith("file://")


def test_missing_file_is_not_found(storage):
    with pytest.raises(NotFound):
        storage.read_bytes("pdf/3/missing.pdf")
    (storage.root / "dir").mkdir()
    with pytest.raises(NotFound):
        storage.read_bytes("dir")
    with pytest.raises(NotFound), storage.local_path("nothing.png"):
        pass


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "/etc/passwd",
        "a/../../x",
        "a/../b",
        "%2e%2e/x",
        "%2E%2E/%2e%2e/etc/passwd",
        "%252e%252e/x",
        "..\\x",
        "a\\..\\..\\x",
        "..",
        "./x",
        "C:/windows/win.ini",
        "a/%2f/../x",
        "x\x00.png",
    ],
)
def test_traversal_attempts_are_forbidden(storage, key, tmp_path):
    (tmp_path / "x").write_bytes(b"outside")
    with pytest.raises(ForbiddenPath):
        storage.read_bytes(key)
    with pytest.raises(ForbiddenPath):
        storage.write_bytes(key, b"evil")
    with pytest.raises(ForbiddenPath):
        storage.exists(key)
    assert (tmp_path / "x").read_bytes() == b"outside"


def test_empty_or_malformed_keys_are_bad_requests(storage):
    with pytest.raises(BadRequest):
        storage.read_bytes("")
    with pytest.raises(BadRequest):
        storage.read_bytes("a//b")


def test_symlink_pointing_outside_is_forbidden(storage, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"top secret")
    os.symlink(secret, storage.root / "link.txt")
    os.symlink(tmp_path, storage.root / "linkdir")
    with pytest.raises(ForbiddenPath):
        storage.read_bytes("link.txt")
    with pytest.raises(ForbiddenPath):
        storage.read_bytes("linkdir/secret.txt")
    with pytest.raises(ForbiddenPath):
        storage.write_bytes("linkdir/new.txt", b"x")
    assert not (tmp_path / "new.txt").exists()
    assert list(storage.list()) == []


def test_symlink_inside_root_is_allowed(storage):
    storage.write_bytes("real/a.txt", b"A")
    os.symlink(storage.root / "real" / "a.txt", storage.root / "alias.txt")
    assert storage.read_bytes("alias.txt") == b"A"


def test_list_prefix_sorted_and_skips_temp_files(storage):
    for key in ["png/3/b_1.png", "png/3/b_0.png", "png/4/c_0.png", "pdf/3/b.pdf"]:
        storage.write_bytes(key, b"x")
    (storage.root / "png" / "3" / ".tmp-abc").write_bytes(b"partial")
    assert list(storage.list("png/3/")) == ["png/3/b_0.png", "png/3/b_1.png"]
    assert list(storage.list("png/")) == ["png/3/b_0.png", "png/3/b_1.png", "png/4/c_0.png"]
    assert list(storage.list("png/3/b_1")) == ["png/3/b_1.png"]
    assert len(list(storage.list())) == 4
    assert list(storage.list("nothing/")) == []
    with pytest.raises(ForbiddenPath):
        list(storage.list("../"))


def test_write_is_atomic_and_leaves_no_temp_files(storage):
    storage.write_bytes("a/b.bin", b"old" * 1000)
    big = os.urandom(4 * 1024 * 1024)
    seen: set[int] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.add(len(storage.read_bytes("a/b.bin")))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(5):
            storage.write_bytes("a/b.bin", big)
            storage.write_bytes("a/b.bin", b"old" * 1000)
    finally:
        stop.set()
        thread.join()
    # a reader only ever sees a complete old or complete new file
    assert seen <= {3000, len(big)}
    assert sorted(p.name for p in (storage.root / "a").iterdir()) == ["b.bin"]


def test_local_path_yields_the_real_file(storage):
    storage.write_bytes("pdf/1/x.pdf", b"abc")
    with storage.local_path("pdf/1/x.pdf") as path:
        assert path == storage.root / "pdf" / "1" / "x.pdf"
        assert path.read_bytes() == b"abc"


def test_make_storage_local_is_created_once(tmp_path):
    settings = StorageSettings.from_env({"DATA_DIR": str(tmp_path)})
    first = make_storage(settings)
    assert isinstance(first, LocalStorage)
    assert first.root == tmp_path.resolve()
    assert make_storage(StorageSettings.from_env({"DATA_DIR": str(tmp_path)})) is first
