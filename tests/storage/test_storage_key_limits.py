"""Keys are checked in linear time with a length cap; messages never echo a huge key."""

from __future__ import annotations

import pytest

from label_studio_ml.errors import BadRequest, NotFound
from label_studio_ml.storage import LocalStorage, StorageSettings
from label_studio_ml.storage.base import MAX_KEY_BYTES, clean_key
from label_studio_ml.storage.resolver import UrlResolver


def test_a_megabyte_key_is_refused_before_any_path_lookup(tmp_path):
    storage = LocalStorage(tmp_path)
    huge = "a/" * 511_999 + "a"  # 1 MB, 512k segments (took 43-100 s before the cap)
    with pytest.raises(BadRequest, match=f"longer than {MAX_KEY_BYTES} bytes") as info:
        storage.read_bytes(huge)
    assert len(str(info.value)) < 300
    resolver = UrlResolver(StorageSettings(data_dir=tmp_path), storage)
    for ref in (huge, f"/data/local-files/?d={huge}", f"/data/upload/{huge}"):
        with pytest.raises(BadRequest) as info:
            resolver.fetch(ref)
        assert len(str(info.value)) < 300


def test_keys_up_to_the_cap_still_work(tmp_path):
    storage = LocalStorage(tmp_path)
    key = "a/" * 511 + "b"  # 1023 bytes, 512 segments
    assert clean_key(key) == key
    with pytest.raises(NotFound):
        storage.read_bytes(key)
    multibyte = "ä" * 513  # 1026 bytes in UTF-8
    with pytest.raises(BadRequest, match="longer than"):
        clean_key(multibyte)


def test_control_characters_are_escaped_in_messages(tmp_path):
    with pytest.raises(NotFound) as info:
        LocalStorage(tmp_path).read_bytes("png/3/x\nFORGED LINE.png")
    assert "\n" not in str(info.value)
    with pytest.raises(BadRequest, match="not valid Unicode"):
        clean_key("png/\ud800.png")
