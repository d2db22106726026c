"""The scorer follows the benchmark README's rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stratigraphy.evaluate import evaluate, normalize_description, score_file

REPO = Path(__file__).resolve().parents[2]


def layer(text: str, start: float | None, end: float | None) -> dict[str, Any]:
    return {"depth_interval": {"start": start, "end": end}, "material_description": text}


def borehole(layers: list[dict[str, Any]], **metadata: Any) -> dict[str, Any]:
    return {"layers": layers, "metadata": metadata, "groundwater": metadata.pop("groundwater", [])}


TRUTH = [
    borehole(
        [
            layer("Humus", 0.0, 0.25),
            layer("fein- bis mittelsandiger Kies, hell- braun", 0.25, 0.6),
            layer("siltiger Sand mit wenig Kies", 0.6, 2.0),
            layer("Sandstein, grau", 2.0, None),
        ],
        coordinates={"E": 607562, "N": 187087.5},
        reference_elevation=668.99,
        groundwater=[{"depth": 2.65}],
    )
]


def test_normalisation_joins_hyphenated_breaks_and_drops_punctuation() -> None:
    assert normalize_description("Kies, hell- braun; Korn kanten-\ngerundet.") == (
        "kies hellbraun korn kantengerundet"
    )


def test_perfect_prediction_scores_one() -> None:
    score = score_file(TRUTH, TRUTH)
    assert score.descriptions.f1 == 1.0
    assert score.layers.f1 == 1.0
    assert score.coordinates.correct == 1 and score.elevation.correct == 1
    assert score.groundwater.tp == 1


def test_depth_mismatch_counts_for_descriptions_only() -> None:
    pred = [
        borehole(
            [
                layer("Humus", None, 0.25),  # null start where truth has 0.0: not a layer match
                layer("fein bis mittelsandiger Kies hellbraun", 0.25, 0.604),  # within 0.005
                layer("siltiger Sand mit wenig Kies", 0.6, 2.01),  # 1 cm off
                layer("Sandstein, grau", 2.0, None),
                layer("Probe 3", 3.0, 3.5),  # extra
            ],
            coordinates={"E": 607562.9, "N": 187087.0},
            reference_elevation=669.1,
        )
    ]
    score = score_file(pred, TRUTH)
    assert (score.descriptions.tp, score.descriptions.predicted, score.descriptions.truth) == (
        4,
        5,
        4,
    )
    assert score.layers.tp == 2
    assert score.layers.precision == pytest.approx(2 / 5)
    assert score.layers.recall == pytest.approx(2 / 4)
    assert score.coordinates.correct == 1  # within 1 m
    assert score.elevation.correct == 0  # 0.11 m off
    assert (score.groundwater.tp, score.groundwater.truth) == (0, 1)


def test_one_to_one_matching_best_pairs_first() -> None:
    truth = [borehole([layer("Kies sandig", 0, 1), layer("Kies sandig grau", 1, 2)])]
    pred = [borehole([layer("Kies sandig grau", 1, 2)])]
    score = score_file(pred, truth)
    assert score.descriptions.tp == 1 and score.layers.tp == 1  # paired with the exact text


def test_boreholes_are_paired_to_maximise_matches() -> None:
    a = borehole([layer("Humus", 0, 0.3), layer("Kies", 0.3, 2)])
    b = borehole([layer("terre végétale", 0, 0.2), layer("gravier sableux", 0.2, 3)])
    score = score_file([b, a], [a, b])
    assert score.layers.tp == 4 and score.layers.f1 == 1.0


def test_missing_file_counts_as_zero_predicted_layers() -> None:
    result = evaluate({}, {"a.pdf": TRUTH})
    assert result.files["a.pdf"].layers.truth == 4
    assert result.files["a.pdf"].layers.predicted == 0
    assert result.pooled.descriptions.f1 == 0.0


def test_pooled_sums_counts_over_files() -> None:
    other = [borehole([layer("Sand", 0, 1), layer("Ton", 1, 2)])]
    result = evaluate({"a.pdf": TRUTH}, {"a.pdf": TRUTH, "b.pdf": other})
    assert result.pooled.layers.tp == 4
    assert result.pooled.layers.truth == 6
    assert result.pooled.layers.recall == pytest.approx(4 / 6)


def test_evaluate_command_prints_table_and_json(tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps({"a.pdf": TRUTH}))
    cmd = [sys.executable, "-m", "stratigraphy_ml_backend", "evaluate", str(truth), str(truth)]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "a.pdf" in out and "pooled" in out
    data = json.loads(
        subprocess.run(
            [*cmd, "--json"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
    )
    assert data["pooled"]["layers"]["f1"] == 1.0
    bad = subprocess.run(
        [*cmd[:-1], str(tmp_path / "missing.json")], cwd=REPO, capture_output=True, text=True
    )
    assert bad.returncode != 0 and "no such file" in bad.stderr


def test_layer_outcomes_and_auroc_rank_right_above_wrong() -> None:
    from stratigraphy.evaluate import auroc, layer_outcomes, wrong_share_above

    truth = {"a.pdf": TRUTH}
    layers = [
        {**layer("Humus", 0.0, 0.25), "confidence": 0.9},
        {**layer("fein- bis mittelsandiger Kies, hell- braun", 0.25, 0.7), "confidence": 0.85},
        {**layer("siltiger Sand mit wenig Kies", 0.6, 2.0), "confidence": 0.95},
        {**layer("Sandstein, grau", 2.0, None), "confidence": 0.3},
    ]
    outcomes = layer_outcomes({"a.pdf": [borehole(layers)]}, truth)["a.pdf"]
    assert outcomes == [(0.9, True), (0.85, False), (0.95, True), (0.3, True)]
    # right layers rank above the wrong one 2 times out of 3
    assert auroc(outcomes) == 2 / 3
    assert wrong_share_above(outcomes) == (1, 3)
    assert auroc([(0.5, True)]) is None  # no wrong layer: undefined


def test_truth_in_feet_is_converted_to_metres() -> None:
    feet = [
        {
            "depth_unit": "ft",
            "layers": [layer("Sandy CLAY", 0.0, 10.0), layer("GRAVEL", 10.0, 12.0)],
            "metadata": {},
            "groundwater": [{"depth": 5.0}],
        }
    ]
    pred = [
        borehole(
            [layer("Sandy CLAY", 0.0, 3.05), layer("GRAVEL", 3.05, 3.66)],
            groundwater=[{"depth": 1.52}],
        )
    ]
    score = score_file(pred, feet)
    assert score.layers.tp == 2  # 3.048 and 3.658 m within 0.01 m
    assert score.groundwater.tp == 1
    assert score_file([borehole([layer("Sandy CLAY", 0.0, 10.0)])], feet).layers.tp == 0
