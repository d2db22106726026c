"""``label-studio-ml create`` and ``start``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from label_studio_ml.cli import class_name_for, main

REPO = Path(__file__).resolve().parents[2]


def test_create_scaffolds_a_backend_that_answers_health(tmp_path, capsys):
    assert main(["create", "my_backend", "--root", str(tmp_path)]) == 0
    package = tmp_path / "my_backend"
    assert sorted(p.name for p in package.iterdir()) == [
        "README.md", "__init__.py", "model.py", "wsgi.py"
    ]  # fmt: skip
    assert "class MyBackendModel(LabelStudioMLBase)" in (package / "model.py").read_text()
    assert "label-studio-ml start my_backend" in (package / "README.md").read_text()
    script = (
        "import json, my_backend.wsgi as w\n"
        "c = w.app.test_client()\n"
        "h = c.get('/health').get_json()\n"
        "p = c.post('/predict', json={'tasks': [{'id': 1}, {'id': 2}]}).get_json()\n"
        "print(json.dumps({'health': h, 'predict': p}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={
            "MODEL_DIR": str(tmp_path / "models"),
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(REPO),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert answer["health"] == {"status": "UP", "model_class": "MyBackendModel"}
    assert (
        answer["predict"]["results"]
        == [{"result": [], "score": 0.0, "model_version": "my_backend-0.0.1"}] * 2
    )


@pytest.mark.parametrize("name", ["My-Backend", "class", "9lives", "a/b", ""])
def test_create_rejects_bad_names(tmp_path, name, capsys):
    assert main(["create", name, "--root", str(tmp_path)]) == 2
    assert "error" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_create_refuses_to_overwrite(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "model.py").write_text("keep me")
    assert main(["create", "taken", "--root", str(tmp_path)]) == 2
    assert (tmp_path / "taken" / "model.py").read_text() == "keep me"


def test_class_name_for():
    assert class_name_for("text_extractor") == "TextExtractorModel"


def test_start_module_path_command(capsys):
    assert main(["start", "text_extractor", "-p", "9095", "--workers", "2", "--threads", "4",
                 "--print-command"]) == 0  # fmt: skip
    argv = capsys.readouterr().out.split()
    assert argv[1:3] == ["-m", "gunicorn"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9095"
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--threads") + 1] == "4"
    assert argv[argv.index("--timeout") + 1] == "120"  # never 0: no request holds a worker
    assert argv[argv.index("--worker-class") + 1] == "gthread"
    assert argv[-1] == "text_extractor.wsgi:app"


def test_start_directory_and_credentials_stay_off_the_command_line(tmp_path, capsys):
    main(["create", "dir_backend", "--root", str(tmp_path)])
    capsys.readouterr()
    assert main(["start", str(tmp_path / "dir_backend"), "-p", "9100", "--basic-auth-user", "u",
                 "--basic-auth-pass", "topsecret", "--print-command"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "dir_backend.wsgi:app" in out and f"--chdir {tmp_path}" in out
    assert "topsecret" not in out


def test_start_passes_auth_through_environment(tmp_path):
    import argparse

    from label_studio_ml.cli import gunicorn_command

    args = argparse.Namespace(
        backend="stratigraphy_ml_backend", host="127.0.0.1", port=9090, workers=1, threads=8,
        timeout=120, preload=False, log_level="debug", basic_auth_user="u", basic_auth_pass="p",
    )  # fmt: skip
    argv, env = gunicorn_command(args)
    assert argv[-1] == "stratigraphy_ml_backend.wsgi:app"
    assert env["BASIC_AUTH_USER"] == "u" and env["BASIC_AUTH_PASS"] == "p"
    assert env["LOG_LEVEL"] == "DEBUG"


@pytest.mark.parametrize(
    "argv",
    [
        ["start", "not a module!", "--print-command"],
        ["start", "text_extractor", "-p", "70000", "--print-command"],
        ["start", "text_extractor", "--workers", "0", "--print-command"],
        ["start", "text_extractor", "--timeout", "0", "--print-command"],
        ["start", "text_extractor", "--basic-auth-user", "u", "--print-command"],
    ],
)
def test_start_usage_errors(argv, capsys):
    assert main(argv) == 2
    assert "label-studio-ml: error:" in capsys.readouterr().err


def test_start_directory_without_wsgi(tmp_path, capsys):
    (tmp_path / "empty_dir").mkdir()
    assert main(["start", str(tmp_path / "empty_dir"), "--print-command"]) == 2
