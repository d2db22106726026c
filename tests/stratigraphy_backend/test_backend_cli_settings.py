"""The predict command (Label Studio import format) and BackendSettings.from_env."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from label_studio_sdk.label_interface import LabelInterface
from strat_backend_helpers import LABEL_CONFIG, render_pages  # type: ignore[import-not-found]

from label_studio_ml.errors import ConfigError
from stratigraphy import samples
from stratigraphy_ml_backend.cli import main
from stratigraphy_ml_backend.settings import BackendSettings


def test_settings_from_env(tmp_path: Path) -> None:
    settings = BackendSettings.from_env(
        {
            "DATA_DIR": str(tmp_path),
            "MODEL_DIR": str(tmp_path / "m"),
            "EXTRACTION_CACHE_SIZE": "5",
            "MODEL_VERSION": "strat-7",
            "DEBUG_OVERLAY_DIR": str(tmp_path / "ov"),
        }
    )
    assert settings.storage.storage == "local" and settings.storage.data_dir == tmp_path.resolve()
    assert settings.model_dir == tmp_path / "m"
    assert settings.cache_size == 5 and settings.model_version == "strat-7"
    assert settings.debug_overlay_dir == tmp_path / "ov"
    defaults = BackendSettings.from_env({})
    assert defaults.cache_size == 32 and defaults.debug_overlay_dir is None
    assert defaults.model_version.startswith("stratigraphy-")
    with pytest.raises(ConfigError):
        BackendSettings.from_env({"EXTRACTION_CACHE_SIZE": "zero"})
    with pytest.raises(ConfigError):
        BackendSettings.from_env({"EXTRACTION_CACHE_SIZE": "0"})


def test_predict_command_writes_import_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    sample = samples.several_boreholes()
    (data / "pdf" / "p").mkdir(parents=True)
    (data / "png" / "p").mkdir(parents=True)
    (data / "pdf" / "p" / "doc.pdf").write_bytes(sample.pdf)
    tasks = []
    for i, png in enumerate(render_pages(sample.pdf, 100)):
        (data / "png" / "p" / f"doc_{i}.png").write_bytes(png)
        tasks.append({"id": i + 1, "data": {"image": f"png/p/doc_{i}.png"}})
    tasks.append({"image": "png/p/missing_0.png"})  # bare data dict, no PDF behind it
    (tmp_path / "tasks.json").write_text(json.dumps(tasks))
    monkeypatch.setenv("DATA_DIR", str(data))
    monkeypatch.setenv("MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("STORAGE", "local")
    out = tmp_path / "out" / "predictions.json"
    assert main(["predict", str(tmp_path / "tasks.json"), "-o", str(out), "--no-progress"]) == 0
    written = json.loads(out.read_text())
    assert len(written) == 4
    interface = LabelInterface(LABEL_CONFIG)
    for task in written[:3]:
        (prediction,) = task["predictions"]
        assert prediction["result"] and prediction["model_version"].startswith("stratigraphy-")
        assert not interface.validate_prediction(prediction, return_errors=True)
    assert written[3]["data"] == {"image": "png/p/missing_0.png"}
    assert written[3]["predictions"][0]["result"] == []
    assert "4 tasks written" in capsys.readouterr().err


def test_predict_command_rejects_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "tasks.json"
    bad.write_text("{not json")
    assert main(["predict", str(bad), "-o", str(tmp_path / "o.json")]) == 2
    assert "not valid JSON" in capsys.readouterr().err
