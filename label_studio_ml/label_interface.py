"""A small reader for Label Studio labeling configs (the ``<View>`` XML).

It finds the control tags (tags with ``name`` and ``toName``, e.g.
``RectangleLabels`` or ``TextArea``), the object tags (tags with ``name`` and a
``value="$key"``, e.g. ``Image``) and the labels of each control, and it builds
the ``parsed_label_config`` dict Label Studio itself uses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from label_studio_ml.errors import BadRequest

_LABEL_TAGS = frozenset({"label", "choice"})


@dataclass(frozen=True)
class ObjectTag:
    """A data tag such as ``<Image name="image" value="$ocr"/>``."""

    name: str
    tag: str
    value: str  # the data key, without the leading '$'
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ControlTag:
    """A labeling tag such as ``<RectangleLabels name="bbox" toName="image">``."""

    name: str
    tag: str
    to_name: tuple[str, ...]
    labels: tuple[str, ...] = ()
    labels_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)


def _as_types(types: str | Iterable[str]) -> frozenset[str]:
    if isinstance(types, str):
        return frozenset({types.lower()})
    return frozenset(t.lower() for t in types)


def _parse_xml(config: str) -> ET.Element:
    if "<!DOCTYPE" in config or "<!ENTITY" in config:
        raise BadRequest("label config must not contain DOCTYPE or ENTITY declarations")
    try:
        return ET.fromstring(config)
    except ET.ParseError as exc:
        raise BadRequest(f"label config is not valid XML: {exc}") from exc


class LabelInterface:
    """Controls, objects and labels of one labeling config."""

    def __init__(self, config: str | None) -> None:
        self.config = config or ""
        self.controls: dict[str, ControlTag] = {}
        self.objects: dict[str, ObjectTag] = {}
        if self.config.strip():
            self._read(_parse_xml(self.config))

    def _read(self, root: ET.Element) -> None:
        for element in root.iter():
            attrs = {k: v for k, v in element.attrib.items()}
            name = attrs.get("name")
            if not name:
                continue
            to_name = attrs.get("toName")
            if to_name:
                labels, labels_attrs = [], {}
                for child in element.iter():
                    if child is element or child.tag.lower() not in _LABEL_TAGS:
                        continue
                    value = child.attrib.get("value", child.attrib.get("alias"))
                    if value is None:
                        continue
                    labels.append(value)
                    labels_attrs[value] = dict(child.attrib)
                self.controls.setdefault(
                    name,
                    ControlTag(
                        name=name,
                        tag=element.tag,
                        to_name=tuple(t.strip() for t in to_name.split(",") if t.strip()),
                        labels=tuple(labels),
                        labels_attrs=labels_attrs,
                        attrs=attrs,
                    ),
                )
            elif attrs.get("value", "").startswith("$"):
                self.objects.setdefault(
                    name,
                    ObjectTag(name=name, tag=element.tag, value=attrs["value"][1:], attrs=attrs),
                )

    @property
    def labels(self) -> dict[str, tuple[str, ...]]:
        """Label values per control name (controls without labels are left out)."""
        return {name: c.labels for name, c in self.controls.items() if c.labels}

    def get_control(self, name: str) -> ControlTag:
        """The control called ``name``; ``KeyError`` if there is none."""
        return self.controls[name]

    def get_object(self, name: str) -> ObjectTag:
        """The object tag called ``name``; ``KeyError`` if there is none."""
        return self.objects[name]

    def find_controls(self, control_type: str | Iterable[str]) -> list[ControlTag]:
        """Controls of the given tag type(s), compared case-insensitively, in config order."""
        types = _as_types(control_type)
        return [c for c in self.controls.values() if c.tag.lower() in types]

    def get_first_tag_occurence(
        self,
        control_type: str | Iterable[str],
        object_type: str | Iterable[str],
        name_filter: Callable[[str], bool] | None = None,
        to_name_filter: Callable[[str], bool] | None = None,
    ) -> tuple[str, str, str]:
        """``(from_name, to_name, value_key)`` of the first control/object pair of these types.

        The types are tag names compared case-insensitively, each a string or a
        tuple of strings. ``value_key`` is the task-data key without ``$``.
        Raises ``ValueError`` if nothing matches.
        """
        control_types, object_types = _as_types(control_type), _as_types(object_type)
        for control in self.controls.values():
            if control.tag.lower() not in control_types:
                continue
            if name_filter is not None and not name_filter(control.name):
                continue
            for to_name in control.to_name:
                obj = self.objects.get(to_name)
                if obj is None or obj.tag.lower() not in object_types:
                    continue
                if to_name_filter is not None and not to_name_filter(to_name):
                    continue
                return control.name, obj.name, obj.value
        raise ValueError(
            f"no {sorted(control_types)} control pointing at a {sorted(object_types)} object "
            "in the label config"
        )

    def parsed_config(self) -> dict[str, dict[str, Any]]:
        """The ``parsed_label_config`` dict in the shape Label Studio uses."""
        parsed: dict[str, dict[str, Any]] = {}
        for control in self.controls.values():
            inputs = [
                {"type": self.objects[t].tag, "value": self.objects[t].value}
                for t in control.to_name
                if t in self.objects
            ]
            parsed[control.name] = {
                "type": control.tag,
                "to_name": list(control.to_name),
                "inputs": inputs,
                "labels": list(control.labels),
                "labels_attrs": {k: dict(v) for k, v in control.labels_attrs.items()},
            }
        return parsed
