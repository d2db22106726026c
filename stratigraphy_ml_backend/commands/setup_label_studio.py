"""``setup-label-studio``: make a Label Studio server ready for the boreholes, without clicks.

    python -m stratigraphy_ml_backend setup-label-studio [--wait 180] [--credentials-only]

Idempotent, safe to rerun; every step looks for what exists before it creates anything:

1. the admin login works (``LABEL_STUDIO_USERNAME/PASSWORD/USER_TOKEN``; missing ones come from
   ``LABEL_STUDIO_CREDENTIALS_FILE`` or are generated there and printed). When the token is
   refused and Label Studio is installed locally (``LS_VENV``, its database in
   ``LABEL_STUDIO_BASE_DATA_DIR``), the user is created with ``label-studio init``;
2. the project ``LABEL_STUDIO_PROJECT_TITLE`` (found by title) with ``data/label_config.xml``;
3. both backends connected (``STRATIGRAPHY_BACKEND_URL``, ``TEXT_EXTRACTOR_URL`` as Label
   Studio reaches them), the text extractor interactive;
4. the storage that serves the page images: Local Files on ``DATA_DIR/png`` (``STORAGE=local``)
   or the S3 bucket's ``png/`` (``STORAGE=s3``); never synced, ingest creates the tasks;
5. the webhook that sends annotations to the stratigraphy backend;
6. the project's model version = the stratigraphy backend's version (prediction scores in the
   Data Manager); Label Studio only accepts a backend title there, so that backend is named
   after its version.

Then it prints the URL and the login.
"""

from __future__ import annotations

import argparse
import base64
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from label_studio_ml.envvars import env_str
from label_studio_ml.errors import ConfigError
from label_studio_ml.storage.base import join_key
from label_studio_ml.storage.settings import StorageSettings
from stratigraphy_ml_backend.commands.ls_credentials import Credentials, resolve_credentials
from stratigraphy_ml_backend.ingest.label_studio import LabelStudioClient, LabelStudioError

log = logging.getLogger(__name__)

DEFAULT_TITLE = "Boreholes"
DEFAULT_LS_URL = "http://localhost:8080"
PACKAGE_CONFIG = Path(__file__).resolve().parents[2] / "data" / "label_config.xml"
TIMEOUT = 30.0
STORAGE_TITLE = "page images"
WEBHOOK_ACTIONS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED")


@dataclass(frozen=True)
class BootstrapSettings:
    """Everything the bootstrap needs, read from the environment once."""

    ls_url: str
    public_url: str
    project_title: str
    label_config: Path
    backend_url: str
    extractor_url: str
    storage: StorageSettings
    credentials_file: Path | None = None
    ls_venv: Path | None = None
    ls_data_dir: Path | None = None
    basic_auth: tuple[str, str] | None = field(default=None, repr=False)
    s3_credentials: tuple[str, str] | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> BootstrapSettings:
        ls_url = (env_str(environ, "LABEL_STUDIO_URL") or DEFAULT_LS_URL).rstrip("/")
        config = env_str(environ, "LABEL_CONFIG")
        label_config = Path(config) if config else Path("data/label_config.xml")
        if not config and not label_config.is_file():
            label_config = PACKAGE_CONFIG
        cred_file = env_str(environ, "LABEL_STUDIO_CREDENTIALS_FILE")
        ls_venv = env_str(environ, "LS_VENV")
        ls_data = env_str(environ, "LABEL_STUDIO_BASE_DATA_DIR")
        user, password = env_str(environ, "BASIC_AUTH_USER"), env_str(environ, "BASIC_AUTH_PASS")
        key, secret = (
            env_str(environ, "AWS_ACCESS_KEY_ID"),
            env_str(environ, "AWS_SECRET_ACCESS_KEY"),
        )
        return cls(
            ls_url=ls_url,
            public_url=(env_str(environ, "LABEL_STUDIO_HOST") or ls_url).rstrip("/"),
            project_title=env_str(environ, "LABEL_STUDIO_PROJECT_TITLE") or DEFAULT_TITLE,
            label_config=label_config,
            backend_url=(
                env_str(environ, "STRATIGRAPHY_BACKEND_URL") or "http://localhost:9090"
            ).rstrip("/"),
            extractor_url=(
                env_str(environ, "TEXT_EXTRACTOR_URL") or "http://localhost:9095"
            ).rstrip("/"),
            storage=StorageSettings.from_env({**environ, "LABEL_STUDIO_URL": ls_url}),
            credentials_file=Path(cred_file) if cred_file else None,
            ls_venv=Path(ls_venv) if ls_venv else None,
            ls_data_dir=Path(ls_data) if ls_data else None,
            basic_auth=(user, password) if user and password else None,
            s3_credentials=(key, secret) if key and secret else None,
        )


@dataclass
class Report:
    """What the bootstrap found (``kept``) and what it had to do (``done``)."""

    project_id: int = 0
    model_version: str = ""
    done: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ login


def wait_for_label_studio(url: str, timeout: float) -> None:
    """Poll ``/health`` until Label Studio answers; ConfigError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{url}/health", timeout=5).ok:
                return
        except requests.RequestException:
            pass
        if time.monotonic() >= deadline:
            raise ConfigError(f"Label Studio at {url} did not answer within {timeout:.0f} s")
        time.sleep(1.0)


def token_works(url: str, token: str) -> bool:
    """True when Label Studio accepts ``token`` as a legacy API token."""
    try:
        response = requests.get(
            f"{url}/api/current-user/whoami",
            headers={"Authorization": f"Token {token}"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise ConfigError(f"cannot reach Label Studio at {url}: {type(exc).__name__}") from None
    return response.status_code == 200


def create_user_locally(ls_venv: Path, data_dir: Path, credentials: Credentials) -> None:
    """``label-studio init`` of the local install on its database: creates the user and token."""
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
            "LABEL_STUDIO_USERNAME": credentials.username,
            "LABEL_STUDIO_PASSWORD": credentials.password,
            "LABEL_STUDIO_USER_TOKEN": credentials.token,
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        }
    )
    subprocess.run(
        [str(ls_venv / "bin" / "label-studio"), "init", "--quiet", "--enable-legacy-api-token"],
        env=env,
        check=False,
        capture_output=True,
        timeout=300,
    )


def ensure_login(settings: BootstrapSettings, credentials: Credentials, report: Report) -> None:
    if token_works(settings.ls_url, credentials.token):
        report.kept.append(f"user {credentials.username}")
        return
    venv, data = settings.ls_venv, settings.ls_data_dir
    if venv is not None and data is not None and (venv / "bin" / "label-studio").exists():
        create_user_locally(venv, data, credentials)
        if token_works(settings.ls_url, credentials.token):
            report.done.append(f"created user {credentials.username}")
            return
    raise ConfigError(
        f"Label Studio at {settings.ls_url} refuses the token of {credentials.username}. "
        "Start Label Studio with LABEL_STUDIO_USERNAME, LABEL_STUDIO_PASSWORD, "
        "LABEL_STUDIO_USER_TOKEN and LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true set (it creates "
        "the user on its first start), or set LABEL_STUDIO_USER_TOKEN to that user's token."
    )


# ------------------------------------------------------------------ project parts


def _items(body: Any) -> list[dict[str, Any]]:
    """The list inside a Label Studio listing (plain list, ``results`` or ``items``)."""
    if isinstance(body, list):
        return [b for b in body if isinstance(b, dict)]
    if isinstance(body, dict):
        for key in ("results", "items"):
            if isinstance(body.get(key), list):
                return [b for b in body[key] if isinstance(b, dict)]
    return []


def ensure_project(client: LabelStudioClient, settings: BootstrapSettings, report: Report) -> int:
    config = settings.label_config.read_text(encoding="utf-8")
    listing = client.request(
        "GET", "/api/projects", params={"title": settings.project_title, "page_size": 1000}
    )
    same = [p for p in _items(listing) if p.get("title") == settings.project_title]
    if not same:
        project = client.request(
            "POST", "/api/projects", json={"title": settings.project_title, "label_config": config}
        )
        report.done.append(f"created project {settings.project_title!r} ({project['id']})")
        return int(project["id"])
    project = min(same, key=lambda p: int(p["id"]))  # the first one, should there be several
    pid = int(project["id"])
    current = client.request("GET", f"/api/projects/{pid}").get("label_config", "")
    if current.strip() != config.strip():
        client.request("PATCH", f"/api/projects/{pid}", json={"label_config": config})
        report.done.append(f"updated the labeling config of project {pid}")
    else:
        report.kept.append(f"project {settings.project_title!r} ({pid})")
    return pid


def _auth_fields(settings: BootstrapSettings) -> dict[str, Any]:
    if settings.basic_auth is None:
        return {"auth_method": "NONE"}
    user, password = settings.basic_auth
    return {"auth_method": "BASIC", "basic_auth_user": user, "basic_auth_pass": password}


def patch_backend(
    client: LabelStudioClient,
    settings: BootstrapSettings,
    project_id: int,
    backend: Mapping[str, Any],
    url: str,
    **changes: Any,
) -> dict[str, Any]:
    """Change fields of a backend. Label Studio 1.23.2 validates a PATCH as a whole (500
    without url and project), so those and the auth fields are always sent."""
    body = {"url": url, "project": project_id, **_auth_fields(settings), **changes}
    return dict(client.request("PATCH", f"/api/ml/{backend['id']}", json=body))


def ensure_backend(
    client: LabelStudioClient,
    settings: BootstrapSettings,
    project_id: int,
    url: str,
    title: str,
    interactive: bool,
    report: Report,
) -> dict[str, Any]:
    """The project's ML backend at ``url`` (created or fixed); returns its record."""
    existing = [
        b
        for b in _items(client.request("GET", "/api/ml", params={"project": project_id}))
        if str(b.get("url", "")).rstrip("/") == url
    ]
    if not existing:
        body = {
            "url": url,
            "project": project_id,
            "title": title,
            "is_interactive": interactive,
            **_auth_fields(settings),
        }
        backend = client.request("POST", "/api/ml", json=body)
        report.done.append(f"connected {title} ({url})")
    else:
        backend = existing[0]
        if bool(backend.get("is_interactive")) != interactive:
            backend = patch_backend(
                client, settings, project_id, backend, url, is_interactive=interactive
            )
            report.done.append(f"set {title} interactive={interactive}")
        else:
            report.kept.append(f"backend {title}")
    state = client.request("GET", f"/api/ml/{backend['id']}")  # health + setup again
    if state.get("state") != "CO":
        raise ConfigError(
            f"Label Studio cannot reach {title} at {url} (state {state.get('state')}): "
            f"{state.get('error_message') or 'is it running?'}"
        )
    return dict(state)


def ensure_storage(
    client: LabelStudioClient, settings: BootstrapSettings, project_id: int, report: Report
) -> None:
    """The import storage that lets Label Studio serve the page images (not synced)."""
    storage = settings.storage
    if storage.storage == "s3":
        kind = "s3"
        png = join_key(storage.s3_prefix, "png")
        # no prefix: Label Studio 1.23.2 refuses a prefix that holds no object yet (a new
        # bucket); the regex keeps the storage to the page images
        body: dict[str, Any] = {
            "bucket": storage.s3_bucket,
            "prefix": "",
            "regex_filter": f"^{re.escape(png)}/.*\\.png$",
            "use_blob_urls": True,
            "presign": False,  # Label Studio streams the images: the browser needs no S3 access
            "region_name": storage.s3_region,
        }
        if storage.s3_endpoint_url:
            body["s3_endpoint"] = storage.s3_endpoint_url
        if settings.s3_credentials is not None:
            body["aws_access_key_id"], body["aws_secret_access_key"] = settings.s3_credentials

        def same(s: dict[str, Any]) -> bool:
            return bool(s.get("bucket") == storage.s3_bucket and not s.get("prefix"))

        where = f"s3://{storage.s3_bucket}/{png}/"
    else:
        kind = "localfiles"
        png_dir = (storage.data_dir / "png").resolve()
        png_dir.mkdir(parents=True, exist_ok=True)
        body = {"path": str(png_dir), "regex_filter": r".*\.png$", "use_blob_urls": True}

        def same(s: dict[str, Any]) -> bool:
            return str(s.get("path", "")).rstrip("/") == str(png_dir)

        where = str(png_dir)
    listing = client.request("GET", f"/api/storages/{kind}", params={"project": project_id})
    if any(same(s) for s in _items(listing)):
        report.kept.append(f"storage {where}")
        return
    client.request(
        "POST",
        f"/api/storages/{kind}",
        json={"project": project_id, "title": STORAGE_TITLE, **body},
    )
    report.done.append(f"added storage {where}")


def ensure_webhook(
    client: LabelStudioClient, settings: BootstrapSettings, project_id: int, report: Report
) -> None:
    """Annotations go to the stratigraphy backend's ``/webhook`` (once per project)."""
    url = f"{settings.backend_url}/webhook"
    hooks = _items(client.request("GET", "/api/webhooks", params={"project": project_id}))
    if any(h.get("project") == project_id and h.get("url") == url for h in hooks):
        report.kept.append(f"webhook {url}")
        return
    headers = {}
    if settings.basic_auth is not None:
        pair = ":".join(settings.basic_auth).encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    client.request(
        "POST",
        "/api/webhooks",
        json={
            "project": project_id,
            "url": url,
            "send_payload": True,
            "send_for_all_actions": False,
            "actions": list(WEBHOOK_ACTIONS),
            "headers": headers,
            "is_active": True,
        },
    )
    report.done.append(f"registered webhook {url}")


def ensure_model_version(
    client: LabelStudioClient, project_id: int, version: str, report: Report
) -> None:
    current = client.request("GET", f"/api/projects/{project_id}").get("model_version")
    if current == version:
        report.kept.append(f"model version {version}")
        return
    client.request("PATCH", f"/api/projects/{project_id}", json={"model_version": version})
    report.done.append(f"set the project's model version to {version}")


def find_project_id(url: str, token: str, title: str) -> int | None:
    """Id of the (first) project called ``title``, or None."""
    client = LabelStudioClient(url, token, timeout=TIMEOUT)
    listing = client.request("GET", "/api/projects", params={"title": title, "page_size": 1000})
    ids = [int(p["id"]) for p in _items(listing) if p.get("title") == title]
    return min(ids) if ids else None


# ------------------------------------------------------------------ the whole


def bootstrap(settings: BootstrapSettings, credentials: Credentials, wait: float) -> Report:
    """Every step above, in order; ConfigError / LabelStudioError on the first failure."""
    report = Report()
    if not settings.label_config.is_file():
        raise ConfigError(f"labeling config {settings.label_config} does not exist (LABEL_CONFIG)")
    wait_for_label_studio(settings.ls_url, wait)
    ensure_login(settings, credentials, report)
    client = LabelStudioClient(settings.ls_url, credentials.token, timeout=TIMEOUT)
    pid = ensure_project(client, settings, report)
    report.project_id = pid
    strat = ensure_backend(
        client, settings, pid, settings.backend_url, "stratigraphy", False, report
    )
    ensure_backend(client, settings, pid, settings.extractor_url, "text-extractor", True, report)
    ensure_storage(client, settings, pid, report)
    ensure_webhook(client, settings, pid, report)
    version = str(strat.get("model_version") or "")
    if version:
        if strat.get("title") != version:
            # Label Studio accepts as project model version only a backend title or a version
            # found in predictions: the backend is named after its version
            patch_backend(client, settings, pid, strat, settings.backend_url, title=version)
            report.done.append(f"named the stratigraphy backend {version!r}")
        ensure_model_version(client, pid, version, report)
        report.model_version = version
    return report


def print_report(settings: BootstrapSettings, credentials: Credentials, report: Report) -> None:
    for line in report.done:
        print(f"  + {line}")
    for line in report.kept:
        print(f"  = {line} (already there)")
    made_up = credentials.generated | credentials.from_file
    password = (
        credentials.password if "LABEL_STUDIO_PASSWORD" in made_up else "(LABEL_STUDIO_PASSWORD)"
    )
    print(f"Label Studio is ready: {settings.public_url}/projects/{report.project_id}")
    print(f"  login: {credentials.username}  password: {password}")
    if made_up and settings.credentials_file is not None:
        print(f"  (login kept in {settings.credentials_file})")
    print("  copy PDFs to pdf/<folder>/ of the storage; their pages appear as tasks")


def run(args: argparse.Namespace) -> int:
    try:
        settings = BootstrapSettings.from_env()
        credentials = resolve_credentials(os.environ, settings.credentials_file)
        if args.credentials_only:
            if credentials.generated:
                print(f"generated a Label Studio login in {settings.credentials_file}")
            return 0
        report = bootstrap(settings, credentials, args.wait)
    except (ConfigError, LabelStudioError) as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_report(settings, credentials, report)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "setup-label-studio",
        help="create the Label Studio user, project, backends, storage and webhook (idempotent)",
        description="Make Label Studio ready without clicks: admin user and token, the "
        "project with data/label_config.xml, both backends, the page-image storage, the "
        "webhook and the model version. Idempotent: finds what exists before creating "
        "anything. Configured by LABEL_STUDIO_* variables (see README).",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=180.0,
        help="seconds to wait for Label Studio to answer (default 180)",
    )
    parser.add_argument(
        "--credentials-only",
        action="store_true",
        help="only make sure LABEL_STUDIO_CREDENTIALS_FILE holds a login (generate it), and exit",
    )
    parser.set_defaults(func=run)
