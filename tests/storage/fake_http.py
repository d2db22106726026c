"""Tiny real HTTP servers for resolver tests: a stand-in for Label Studio and a foreign host.

They run on 127.0.0.1 with a free port in a background thread and record every
request's path and headers so tests can check who received which token.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LEGACY_TOKEN = "0123456789abcdef0123456789abcdef01234567"


def make_jwt(payload: dict, secret_tail: str = "sig") -> str:
    def enc(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc(payload)}.{secret_tail}"


PAT = make_jwt({"token_type": "refresh", "exp": 4_000_000_000, "jti": "pat-1"}, "patsignature")


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # the default of 5 makes concurrent clients wait for SYN retries


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class FakeServer:
    """Routes: {path (without query): handler(server, request_handler)}."""

    files: dict[str, bytes] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    refresh_count: int = 0
    access_tokens: list[str] = field(default_factory=list)
    require_auth: bool = False
    redirect_target: str | None = None
    slow_chunks: int = 0
    slow_delay: float = 0.0
    big_size: int = 0
    refresh_status: int = 200
    url: str = ""
    _httpd: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def authorized(self, header: str | None) -> bool:
        if not self.require_auth:
            return True
        if header == f"Token {LEGACY_TOKEN}":
            return True
        return bool(
            header
            and header.startswith("Bearer ")
            and header[len("Bearer ") :] in self.access_tokens
        )

    def start(self) -> FakeServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _record(self) -> None:
                with server._lock:
                    server.requests.append(
                        Recorded(self.command, self.path, {k: v for k, v in self.headers.items()})
                    )

            def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                self._record()
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path != "/api/token/refresh/":
                    return self._send(404)
                if server.refresh_status != 200 or body.get("refresh") != PAT:
                    return self._send(
                        server.refresh_status if server.refresh_status != 200 else 401,
                        b'{"detail":"invalid"}',
                    )
                with server._lock:
                    server.refresh_count += 1
                    access = make_jwt(
                        {
                            "token_type": "access",
                            "exp": int(time.time()) + 300,
                            "n": server.refresh_count,
                        },
                        "accesssig",
                    )
                    server.access_tokens.append(access)
                time.sleep(0.05)  # widen the race window for the concurrency test
                self._send(
                    200,
                    json.dumps({"access": access}).encode(),
                    {"Content-Type": "application/json"},
                )

            def do_GET(self) -> None:
                self._record()
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                if not server.authorized(self.headers.get("Authorization")):
                    return self._send(401, b'{"detail":"auth"}')
                if parts.path.startswith("/tasks/") and parts.path.endswith("/presign/"):
                    uri = base64.urlsafe_b64decode(query["fileuri"][0]).decode()
                    key = urlsplit(uri).path
                    target = f"{server.redirect_target}/presigned{key}?X-Amz-Signature=abc"
                    return self._send(303, headers={"Location": target})
                if parts.path == "/redirect-foreign":
                    return self._send(
                        302, headers={"Location": f"{server.redirect_target}/file.pdf"}
                    )
                if parts.path == "/data/local-files/":
                    key = "local:" + query.get("d", [""])[0]
                elif parts.path == "/storage-data/uploaded/":
                    key = "storage:" + query.get("filepath", [""])[0]
                else:
                    key = parts.path
                if parts.path == "/big":
                    self.send_response(200)
                    self.send_header("Content-Length", str(server.big_size))
                    self.end_headers()
                    self.wfile.write(b"x" * min(server.big_size, 1024))
                    return
                if parts.path == "/big-chunked":
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for _ in range(server.big_size // 65536 + 1):
                        self.wfile.write(b"10000\r\n" + b"y" * 65536 + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                if parts.path == "/slow":
                    self.send_response(200)
                    self.send_header("Content-Length", str(server.slow_chunks * 1000))
                    self.end_headers()
                    for _ in range(server.slow_chunks):
                        time.sleep(server.slow_delay)
                        self.wfile.write(b"z" * 1000)
                        self.wfile.flush()
                    return
                if key in server.files:
                    return self._send(200, server.files[key])
                self._send(404, b"not found")

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def auth_headers(self) -> list[str | None]:
        return [r.headers.get("Authorization") for r in self.requests]
