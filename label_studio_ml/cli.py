"""``label-studio-ml``: start a backend under gunicorn, or scaffold a new one.

    label-studio-ml start <backend> -p 9090 [--host 0.0.0.0] [--workers 1] [--threads 32]
                         [--basic-auth-user U --basic-auth-pass P] [--log-level INFO]
    label-studio-ml create NAME [--root DIR]

``<backend>`` is a module path (``text_extractor`` -> ``text_extractor.wsgi:app``,
or an explicit ``pkg.module:app``) or the directory of a backend made by
``create``. ``start`` replaces itself with gunicorn (no shell involved);
credentials go to gunicorn through the environment, never its command line.
"""

from __future__ import annotations

import argparse
import keyword
import os
import re
import string
import sys
from collections.abc import Sequence
from pathlib import Path

_MODULE_RE = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(:[A-Za-z_][A-Za-z0-9_]*)?$"
)
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
TEMPLATES = ("__init__.py", "model.py", "wsgi.py", "README.md")


class CliError(Exception):
    """A usage error reported as one line on stderr with exit code 2."""


def resolve_target(backend: str) -> tuple[str, Path | None]:
    """``(wsgi app spec, directory to chdir into or None)`` for a backend argument."""
    path = Path(backend)
    is_path = "/" in backend or os.sep in backend or backend.startswith(".")
    if is_path or (path.is_dir() and (path / "wsgi.py").is_file()):
        if not path.is_dir():
            raise CliError(f"{backend} is not a directory")
        path = path.resolve()
        if not (path / "wsgi.py").is_file():
            raise CliError(f"{backend} is a directory but has no wsgi.py")
        if not path.name.isidentifier():
            raise CliError(f"directory name {path.name!r} is not a valid Python package name")
        return f"{path.name}.wsgi:app", path.parent
    if not _MODULE_RE.match(backend):
        raise CliError(f"{backend!r} is neither a directory nor a module path like 'my_backend'")
    if ":" in backend:
        return backend, None
    return f"{backend}.wsgi:app", None


def gunicorn_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The gunicorn argument list and environment for ``start``."""
    app_spec, chdir = resolve_target(args.backend)
    argv = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{args.host}:{args.port}",
        "--workers", str(args.workers),
        "--worker-class", "gthread",
        "--threads", str(args.threads),
        "--timeout", str(args.timeout),
        "--graceful-timeout", "90",
        "--log-level", args.log_level.lower(),
        # gunicorn's control socket has one default path per user: two backends
        # started side by side would take it from each other
        "--no-control-socket",
    ]  # fmt: skip
    if args.preload:
        argv.append("--preload")
    if chdir is not None:
        argv += ["--chdir", str(chdir)]
    argv.append(app_spec)
    env = dict(os.environ)
    env["LOG_LEVEL"] = args.log_level.upper()
    if args.basic_auth_user:
        env["BASIC_AUTH_USER"] = args.basic_auth_user
    if args.basic_auth_pass:
        env["BASIC_AUTH_PASS"] = args.basic_auth_pass
    if chdir is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(chdir), env.get("PYTHONPATH", "")) if p)
    return argv, env


def cmd_start(args: argparse.Namespace) -> int:
    """Exec gunicorn serving the backend."""
    if not 0 < args.port < 65536:
        raise CliError(f"port must be between 1 and 65535, got {args.port}")
    if args.workers < 1 or args.threads < 1:
        raise CliError("--workers and --threads must be at least 1")
    if args.timeout < 1:
        raise CliError("--timeout must be at least 1 s (0 would let a request hold a worker)")
    if bool(args.basic_auth_user) != bool(args.basic_auth_pass):
        raise CliError("give both --basic-auth-user and --basic-auth-pass, or neither")
    argv, env = gunicorn_command(args)
    if args.print_command:
        print(" ".join(argv))
        return 0
    sys.stdout.flush()
    os.execve(argv[0], argv, env)
    return 1  # not reached


def class_name_for(name: str) -> str:
    """``my_backend`` -> ``MyBackendModel``."""
    return "".join(part.capitalize() for part in name.split("_") if part) + "Model"


def cmd_create(args: argparse.Namespace) -> int:
    """Write a new backend package ``<root>/<name>/`` from the templates."""
    name = args.name
    if not _NAME_RE.match(name) or keyword.iskeyword(name):
        raise CliError(f"{name!r} is not a valid lower-case Python package name")
    target = Path(args.root) / name
    if target.exists():
        raise CliError(f"{target} already exists; choose another name or --root")
    values = {"name": name, "class_name": class_name_for(name)}
    templates = Path(__file__).resolve().parent / "templates"
    rendered = {
        filename: string.Template((templates / f"{filename}.tmpl").read_text("utf-8")).substitute(
            values
        )
        for filename in TEMPLATES
    }
    target.mkdir(parents=True)
    for filename, text in rendered.items():
        (target / filename).write_text(text, encoding="utf-8")
    print(f"created {target} (class {values['class_name']}); start it with:")
    print(f"  label-studio-ml start {target} -p 9090")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``label-studio-ml``."""
    parser = argparse.ArgumentParser(prog="label-studio-ml", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    start = sub.add_parser("start", help="serve a backend with gunicorn")
    start.add_argument("backend", help="module path (my_backend) or a backend directory")
    start.add_argument("-p", "--port", type=int, default=9090, help="port (default 9090)")
    start.add_argument("--host", default="0.0.0.0", help="bind address (default 0.0.0.0)")
    start.add_argument("--workers", type=int, default=1, help="gunicorn workers (default 1)")
    start.add_argument("--threads", type=int, default=32, help="threads per worker (default 32)")
    start.add_argument(
        "--timeout", type=int, default=120, help="worker heartbeat timeout in s (default 120)"
    )
    start.add_argument("--preload", action="store_true", help="import the app before forking")
    start.add_argument("--basic-auth-user", default=None, help="enable Basic auth (with pass)")
    start.add_argument("--basic-auth-pass", default=None, help="Basic auth password")
    start.add_argument(
        "--log-level",
        default=os.environ.get("LOG_LEVEL", "INFO"),
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
    )
    start.add_argument(
        "--print-command", action="store_true", help="print the gunicorn command, do not run it"
    )
    start.set_defaults(func=cmd_start)

    create = sub.add_parser("create", help="scaffold a new backend package")
    create.add_argument("name", help="package name, e.g. my_backend")
    create.add_argument("--root", default=".", help="directory to create it in (default .)")
    create.set_defaults(func=cmd_create)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``label-studio-ml`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"label-studio-ml: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
