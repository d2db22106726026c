"""docker-compose.yml, Dockerfile and .env.example agree with the code.

Docker cannot run on the development machines, so this checks statically what
`docker compose up` depends on: commands name real modules and CLI options,
ports match the code's defaults, every variable handed to our services is read
by the code and documented, bind mounts exist, healthchecks are there, and the
image has Tesseract's languages and runs as a non-root user. `docker-compose config`
(1.29, installed by `make test`; required under CI) and `docker compose config` (v2, when
there) must accept the file and substitute every variable.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml
from missing_parts import missing_part

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("label_studio_ml", "stratigraphy", "stratigraphy_ml_backend", "text_extractor")
BACKEND_PORTS = {"stratigraphy_ml_backend.wsgi:app": 9090, "text_extractor.wsgi:app": 9095}
# read by boto3's credential chain, not by our code
BOTO3_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
ONE_SHOT = {"minio-init", "label-studio-setup"}
_VOLUME = re.compile(r"(\$\{[^}]*\}|[^:]+):([^:]+)(?::(?:ro|rw))?")  # source:target[:mode]
_DEFAULTED = re.compile(r"\$\{([A-Z][A-Z0-9_]*):?-([^}]*)\}")


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
            if name in ONE_SHOT:
                assert svc["restart"] == "no", f"{name} runs once"
                continue
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
            source = _DEFAULTED.sub(lambda m: m.group(2), volume).split(":", 1)[0]
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


def test_no_nested_defaults() -> None:
    """``${A:-${B}}`` reaches the containers literally under docker-compose 1.29."""
    text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    nested = re.findall(r"\$\{[^}]*\$\{", text)
    assert not nested, f"nested defaults: {nested}"


def test_setup_service_waits_for_the_parts_and_ingest_waits_for_it() -> None:
    setup = services()["label-studio-setup"]
    assert command(setup)[3] == "setup-label-studio"
    for dep in ("label-studio", "stratigraphy-ml-backend", "text-extractor"):
        assert setup["depends_on"][dep]["condition"] == "service_healthy"
    env = setup["environment"]
    assert env["STRATIGRAPHY_BACKEND_URL"] == "http://stratigraphy-ml-backend:9090"
    assert env["TEXT_EXTRACTOR_URL"] == "http://text-extractor:9095"
    assert (REPO / env["LABEL_CONFIG"].removeprefix("/app/")).is_file()
    ls = services()["label-studio"]["environment"]
    for key in ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN"):
        assert env[key] == ls[key], f"{key}: the setup must log in as the user LS creates"
    for name in ("ingest-watch", "ingest-worker"):
        deps = services()[name]["depends_on"]
        assert deps["label-studio-setup"]["condition"] == "service_completed_successfully"
        assert (
            services()[name]["environment"]["LABEL_STUDIO_PROJECT_TITLE"]
            == (env["LABEL_STUDIO_PROJECT_TITLE"])
        )


def test_mounted_folder_is_the_same_for_label_studio_and_our_services() -> None:
    ls = services()["label-studio"]
    root = ls["environment"]["LOCAL_FILES_DOCUMENT_ROOT"]
    assert ls["environment"]["LOCAL_FILES_SERVING_ENABLED"] == "true"

    def mount(svc: dict) -> str:
        parts = [_VOLUME.fullmatch(v) for v in svc.get("volumes", [])]
        found = [m.group(1) for m in parts if m is not None and m.group(2) == root]
        assert len(found) == 1, svc.get("volumes")
        return found[0]

    source = mount(ls)
    assert source.startswith("${LOCAL_DATA_DIR:-")
    for name, svc in our_services().items():
        assert mount(svc) == source, name
        assert svc["environment"]["DATA_DIR"] == root, name
        assert svc["environment"]["STORAGE"] == "${STORAGE:-s3}", name


def _render(cmd: list[str], **env: str) -> dict:
    result = subprocess.run(
        [*cmd, "config"],
        cwd=REPO,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("STORAGE", "LOCAL_DATA_DIR")},
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "${" not in result.stdout.replace("$${", ""), "a variable was not substituted"
    return yaml.safe_load(result.stdout)


def _compose_commands() -> list[list[str]]:
    found = []
    if shutil.which("docker-compose"):
        found.append(["docker-compose"])
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run(
            [docker, "compose", "version"], capture_output=True, timeout=30
        ).returncode
        == 0
    ):
        found.append([docker, "compose"])
    return found


def test_docker_compose_config_renders_both_storages() -> None:
    commands = _compose_commands()
    if not commands:
        missing_part("docker-compose is not installed (apt-get install docker-compose)")
    for cmd in commands:
        default = _render(cmd)["services"]
        env = default["ingest-watch"]["environment"]
        assert env["STORAGE"] == "s3"
        assert (
            env["LABEL_STUDIO_ACCESS_TOKEN"]
            == (default["label-studio"]["environment"]["LABEL_STUDIO_USER_TOKEN"])
        )
        local = _render(cmd, STORAGE="local", LOCAL_DATA_DIR="/srv/boreholes")["services"]
        for name in ("stratigraphy-ml-backend", "ingest-watch", "label-studio-setup"):
            assert local[name]["environment"]["STORAGE"] == "local"
        volumes = local["label-studio"]["volumes"]
        text = " ".join(
            v if isinstance(v, str) else f"{v.get('source')}:{v.get('target')}" for v in volumes
        )
        assert "/srv/boreholes" in text
