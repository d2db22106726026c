"""LabelStudioMLBase, the label interface and the response types, without HTTP."""

from __future__ import annotations

from typing import ClassVar

import pytest
from sdk_helpers import LABEL_CONFIG

from label_studio_ml import LabelStudioMLBase, ModelResponse, PredictionValue, StateStore
from label_studio_ml.errors import BadRequest, InputDocumentError
from label_studio_ml.label_interface import LabelInterface

SPLIT_CONFIG = """<View>
  <Image name="page" value="$image"/>
  <Text name="notes" value="$text"/>
  <Rectangle name="bbox" toName="page"/>
  <Labels name="label" toName="page">
    <Label value="Depth Interval"/><Label value="Material Description"/>
  </Labels>
  <TextArea name="transcription" toName="page" perRegion="true"/>
  <Choices name="quality" toName="notes"><Choice value="good"/><Choice value="bad"/></Choices>
</View>"""


@pytest.fixture()
def state(tmp_path):
    return StateStore(tmp_path / "state.db")


class Counting(LabelStudioMLBase):
    MODEL_VERSION = "c-1"
    calls: ClassVar[list[list[int]]] = []

    def predict(self, tasks, context=None, **kwargs):
        Counting.calls.append([t["id"] for t in tasks])
        if len(tasks) > 1 and any(t.get("mode") == "batch_fails" for t in tasks):
            raise RuntimeError("batch fails")
        out = []
        for t in tasks:
            mode = t.get("mode")
            if mode == "none_score":
                out.append({"result": [{"a": 1}], "score": None, "model_version": "other"})
            elif mode == "bad_score":
                out.append({"result": [], "score": "high"})
            elif mode == "bad_item":
                out.append({"result": ["not a dict"]})
            elif mode == "multi":
                out.append([{"result": [{"b": 1}]}, PredictionValue(result=[{"c": 2}], score=0.9)])
            elif mode == "wrong_count":
                return out
            else:
                out.append(PredictionValue(result=[{"id": t["id"]}]))
        return out


def test_label_interface_controls_objects_labels():
    li = LabelInterface(LABEL_CONFIG)
    assert set(li.controls) == {"bbox", "transcription"}
    assert set(li.objects) == {"image"}
    assert li.labels == {"bbox": ("Material Description", "Depth Interval")}
    assert li.get_control("bbox").to_name == ("image",)
    parsed = li.parsed_config()
    assert parsed["bbox"]["type"] == "RectangleLabels"
    assert parsed["bbox"]["inputs"] == [{"type": "Image", "value": "ocr"}]
    assert parsed["bbox"]["labels"] == ["Material Description", "Depth Interval"]


def test_get_first_tag_occurence_variants():
    li = LabelInterface(SPLIT_CONFIG)
    assert li.get_first_tag_occurence("TextArea", "Image") == ("transcription", "page", "image")
    assert li.get_first_tag_occurence("textarea", "image") == ("transcription", "page", "image")
    assert li.get_first_tag_occurence(("Labels", "RectangleLabels"), "Image") == (
        "label",
        "page",
        "image",
    )
    assert li.get_first_tag_occurence("Choices", ("Text", "HyperText")) == (
        "quality",
        "notes",
        "text",
    )
    assert li.get_first_tag_occurence(
        ("Rectangle", "Labels"), "Image", name_filter=lambda n: n != "bbox"
    ) == ("label", "page", "image")
    with pytest.raises(ValueError):
        li.get_first_tag_occurence("TextArea", "Text")
    with pytest.raises(ValueError):
        li.get_first_tag_occurence("TextArea", "Image", to_name_filter=lambda n: n == "other")


@pytest.mark.parametrize(
    "config",
    ["<View><Image", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><View/>'],
)
def test_bad_label_config_is_bad_request(config):
    with pytest.raises(BadRequest):
        LabelInterface(config)


def test_empty_label_config_has_no_tags():
    assert LabelInterface(None).controls == {} and LabelInterface("").objects == {}


def test_model_state_label_config_and_version(state):
    model = LabelStudioMLBase("3.1795363490", LABEL_CONFIG, state=state)
    assert model.project_id == "3"
    assert model.model_version == "0.0.1"
    # a later instance without config finds the stored one
    again = LabelStudioMLBase(3, state=state)
    assert again.label_config == LABEL_CONFIG
    assert again.parsed_label_config["transcription"]["type"] == "TextArea"
    assert again.get_first_tag_occurence("TextArea", "Image") == ("transcription", "image", "ocr")
    again.set_model_version("2.0.9")
    assert LabelStudioMLBase(3, state=state).model_version == "2.0.9"
    assert LabelStudioMLBase(3, state=state).bump_model_version() == "2.0.10"
    assert LabelStudioMLBase(4, state=state).model_version == "0.0.1"
    with pytest.raises(ValueError):
        again.set_model_version("  ")


def test_bump_version_without_number(state):
    class Named(LabelStudioMLBase):
        MODEL_VERSION = "alpha"

    assert Named(1, state=state).bump_model_version() == "alpha.1"
    assert Named(1, state=state).bump_model_version() == "alpha.2"


def test_set_get_has_json(state):
    model = LabelStudioMLBase(5, state=state)
    assert not model.has("k")
    model.set("k", "text")
    model.set("obj", {"b": [1, 2]})
    assert model.get("k") == "text" and model.has("k")
    assert model.get("obj") == '{"b": [1, 2]}'
    assert model.get_json("obj") == {"b": [1, 2]}
    assert model.get_json("k", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("given", "expected"),
    [({"a": 1}, {"a": 1}), ('{"a": 2}', {"a": 2}), (None, {}), ("", {}), ("null", {})],
)
def test_extra_params_forms(state, given, expected):
    model = LabelStudioMLBase(6, state=state)
    model.set_extra_params(given)
    assert model.extra_params == expected


def test_constructor_calls_setup_and_writes_only_on_change(state, monkeypatch):
    writes = []
    original = state.set
    monkeypatch.setattr(state, "set", lambda *a: (writes.append(a[1]), original(*a)))
    LabelStudioMLBase(7, LABEL_CONFIG, state=state)
    LabelStudioMLBase(7, LABEL_CONFIG, state=state)
    assert writes == ["label_config"]


def test_default_predict_is_not_implemented(state):
    with pytest.raises(NotImplementedError):
        LabelStudioMLBase(1, state=state).predict([{"id": 1}])


def test_predict_tasks_normalises(state):
    model = Counting(1, state=state)
    tasks = [{"id": 1, "mode": "none_score"}, {"id": 2, "mode": "multi"}, {"id": 3}]
    results = model.predict_tasks(tasks)
    assert results[0] == {"result": [{"a": 1}], "score": 0.0, "model_version": "c-1"}
    assert results[1] == [
        {"result": [{"b": 1}], "score": 0.0, "model_version": "c-1"},
        {"result": [{"c": 2}], "score": 0.9, "model_version": "c-1"},
    ]
    assert results[2]["result"] == [{"id": 3}]


def test_predict_tasks_invalid_entries_become_empty(state):
    model = Counting(1, state=state)
    tasks = [{"id": 1, "mode": "bad_score"}, {"id": 2, "mode": "bad_item"}, {"id": 3}]
    results = model.predict_tasks(tasks)
    empty = {"result": [], "score": 0, "model_version": "c-1"}
    assert results[:2] == [empty, empty]
    assert results[2]["result"] == [{"id": 3}]


def test_predict_tasks_falls_back_to_one_by_one(state):
    Counting.calls = []
    model = Counting(1, state=state)
    results = model.predict_tasks([{"id": 1}, {"id": 2, "mode": "batch_fails"}, {"id": 3}])
    assert Counting.calls == [[1, 2, 3], [1], [2], [3]]
    assert [r["result"] for r in results] == [[{"id": 1}], [{"id": 2}], [{"id": 3}]]


def test_predict_tasks_wrong_count_falls_back(state):
    Counting.calls = []
    results = Counting(1, state=state).predict_tasks([{"id": 1}, {"id": 2, "mode": "wrong_count"}])
    assert Counting.calls == [[1, 2], [1], [2]]
    assert results[0]["result"] == [{"id": 1}]
    assert results[1] == {"result": [], "score": 0, "model_version": "c-1"}


def test_predict_tasks_all_failed_raises_first_error(state):
    class Broken(LabelStudioMLBase):
        def predict(self, tasks, context=None, **kwargs):
            return [InputDocumentError(f"doc {t['id']} broken") for t in tasks]

    with pytest.raises(InputDocumentError, match="doc 1 broken"):
        Broken(1, state=state).predict_tasks([{"id": 1}, {"id": 2}])


def test_predict_returning_none_gives_empty_predictions(state):
    class Quiet(LabelStudioMLBase):
        def predict(self, tasks, context=None, **kwargs):
            return None

    assert (
        Quiet(1, state=state).predict_tasks([{"id": 1}, {"id": 2}])
        == [{"result": [], "score": 0, "model_version": "0.0.1"}] * 2
    )


def test_response_to_dict():
    response = ModelResponse(
        predictions=[PredictionValue(result=[{"x": 1}]), {"result": [], "model_version": "own"}],
        model_version="r-1",
    )
    assert response.to_dict() == {
        "model_version": "r-1",
        "predictions": [
            {"result": [{"x": 1}], "score": 0.0, "model_version": "r-1"},
            {"result": [], "model_version": "own"},
        ],
    }
    assert PredictionValue().to_dict() == {"result": [], "score": 0.0, "model_version": None}
