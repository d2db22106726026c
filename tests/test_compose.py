"""docker-compose.yml, Dockerfile and .env.example agree with the code.

Docker cannot run on the development machines, so this checks statically what
`docker compose up` depends on: commands name real modules and CLI options,
ports match the code's defaults, every variable handed to our services is read
by the code and documented, bind mounts exist, healthchecks are there, and the
image has Tesseract's languages and runs as a non-root user.
"""

from __future__ import annotations

import re
import shlex
from functools import cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("label_studio_ml", "stratigraphy", "stratigraphy_ml_backend", "text_extractor")
BACKEND_PORTS = {"stratigraphy_ml_backend.wsgi:app": 9090, "text_extractor.wsgi:app": 9095}
# read by boto3's credential chain, not by our code
BOTO3_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
ONE_SHOT = {"minio-init"}


@cache
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


def services() -> dict[str, dict]:
    return compose()["services"]


def our_services() -> dict[str, dict]:
    return {name: svc for name, svc in services().items() if "build" in svc}


@cache
def package_source() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8")
        for pkg in PACKAGES
        for p in sorted((REPO / pkg).rglob("*.py"))
    )


@cache
def documented() -> set[str]:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def command(svc: dict) -> list[str]:
    cmd = svc.get("command") or []
    return shlex.split(cmd) if isinstance(cmd, str) else [str(c) for c in cmd]


def test_our_services_run_real_entry_points() -> None:
    from stratigraphy_ml_backend.cli import build_parser

    seen = set()
    for name, svc in our_services().items():
        cmd = command(svc)
        assert cmd, f"{name} has no command"
        if cmd[0] == "gunicorn":
            target = cmd[-1]
            module, _, attr = target.partition(":")
            path = REPO / (module.replace(".", "/") + ".py")
            assert path.is_file(), f"{name}: {module} does not exist"
            assert re.search(rf"^{attr}\s*=", path.read_text(), re.MULTILINE), (
                f"{name}: {module} defines no {attr}"
            )
            bind = cmd[cmd.index("--bind") + 1]
            assert bind == f"0.0.0.0:{BACKEND_PORTS[target]}", f"{name}: binds {bind}"
            assert f"{BACKEND_PORTS[target]}:{BACKEND_PORTS[target]}" in svc["ports"]
            seen.add(target)
        else:
            assert cmd[:3] == ["python", "-m", "stratigraphy_ml_backend"], cmd
            args = build_parser().parse_args(cmd[3:])  # exits (fails) on unknown options
            assert callable(args.func)
            hc = svc["healthcheck"]["test"]
            assert build_parser().parse_args(hc[hc.index("stratigraphy_ml_backend") + 1 :])
    assert seen == set(BACKEND_PORTS), "both backends must be served"


def test_backend_ports_match_code_defaults() -> None:
    runner = (REPO / "scripts" / "run_backends.sh").read_text()
    assert "STRATIGRAPHY_PORT:-9090" in runner and "TEXT_EXTRACTOR_PORT:-9095" in runner
    by_target = {command(s)[-1]: s for s in our_services().values() if command(s)[0] == "gunicorn"}
    for target, port in BACKEND_PORTS.items():
        health = " ".join(by_target[target]["healthcheck"]["test"])
        assert f"127.0.0.1:{port}/health" in health


def test_every_variable_is_read_by_the_code_and_documented() -> None:
    source = package_source()
    for name, svc in our_services().items():
        for var in svc.get("environment", {}):
            if var not in BOTO3_VARIABLES:
                assert f'"{var}"' in source, f"{name}: {var} is not read anywhere in the code"
            assert var in documented(), f"{name}: {var} is not documented in .env.example"
    text = (REPO / "docker-compose.yml").read_text()
    for var in set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text)):
        assert var in documented(), f"${{{var}}} is not documented in .env.example"


def test_label_studio_allows_local_backends() -> None:
    env = services()["label-studio"]["environment"]
    assert env["ML_BLOCK_LOCAL_IP"] == "false"
    assert env["SSRF_PROTECTION_ENABLED"] == "false"
    assert services()["label-studio"]["image"].endswith(":1.23.2")


def test_minio_bucket_and_notifications_are_wired() -> None:
    minio = services()["minio"]["environment"]
    ingest = our_services()["ingest-watch"]["environment"]
    assert minio["MINIO_NOTIFY_REDIS_KEY_PRIMARY"] == ingest["INGEST_EVENTS_KEY"]
    assert minio["MINIO_NOTIFY_REDIS_FORMAT_PRIMARY"] == "access"  # the format events.py reads
    init = " ".join(services()["minio-init"]["entrypoint"])
    assert "mc mb" in init and "mc event add" in init and "--prefix pdf/" in init
    assert ingest["REDIS_URL"].startswith("redis://redis:")


@pytest.mark.parametrize("name", sorted(set(services()) - ONE_SHOT))
def test_long_running_services_have_healthchecks(name: str) -> None:
    assert services()[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_volumes_and_dependencies_exist() -> None:
    declared = set(compose().get("volumes") or {})
    for name, svc in services().items():
        for volume in svc.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/")):
                assert source.startswith("./"), f"{name}: bind mount {source} leaves the repo"
                assert ".." not in Path(source).parts, f"{name}: {source} leaves the repo"
                # the top directory is in the repo; docker creates what is below it
                assert (REPO / Path(source).parts[0]).is_dir(), f"{name}: {source} not in the repo"
            else:
                assert source in declared, f"{name}: volume {source} is not declared"
        for dep in svc.get("depends_on", {}):
            assert dep in services(), f"{name} depends on unknown service {dep}"
    assert any(v.startswith("./data/") for s in services().values() for v in s.get("volumes", []))


def test_dockerfile_has_tesseract_languages_and_runs_as_non_root() -> None:
    text = (REPO / "Dockerfile").read_text()
    for lang in ("deu", "fra", "ita", "eng"):
        assert f"tesseract-ocr-{lang}" in text
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    for copied in re.findall(r"^COPY\s+(\S+)\s", text, re.MULTILINE):
        if copied not in ("pyproject.toml",):
            assert (REPO / copied).exists(), f"Dockerfile copies missing {copied}"
    assert "EXPOSE 9090 9095" in text
