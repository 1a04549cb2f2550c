"""A real HTTP server on 127.0.0.1 that serves recorded responses, for plugin tests.

Adapters under test use their real HTTP client code against it; the server
records every request so a test can check what was sent::

    with LocalHttpServer() as server:
        server.json("/v1/boards/acme/jobs", {"jobs": []})
        server.route("/flaky", Reply(status=429, headers={"Retry-After": "1"}), Reply(body=b"ok"))
        ...  # point the adapter's base_url at server.url
        assert server.requests_to("/flaky")[0].method == "GET"

A route answers with its replies in order and repeats the last one, or with
a handler ``(Request) -> Reply`` (for pagination). Unknown paths get 404.
The pytest plugin offers a started server as the ``jobforge_http_server`` fixture.
"""

from __future__ import annotations

import email.parser
import email.policy
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgspec

__all__ = ["LocalHttpServer", "Reply", "Request", "UploadedFile"]


class Reply(msgspec.Struct, frozen=True, kw_only=True):
    """One canned response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (to test timeouts)."""


class UploadedFile(msgspec.Struct, frozen=True, kw_only=True):
    """A file part of a multipart form."""

    filename: str
    content_type: str
    content: bytes


class Request(msgspec.Struct, frozen=True, kw_only=True):
    """A request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Header names lower-cased."""
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON."""
        return msgspec.json.decode(self.body)

    def form(self) -> dict[str, list[str | UploadedFile]]:
        """The body decoded as ``multipart/form-data`` or ``application/x-www-form-urlencoded``."""
        content_type = self.headers.get("content-type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qs(self.body.decode(), keep_blank_values=True))  # type: ignore[arg-type]
        if not content_type.startswith("multipart/form-data"):
            raise ValueError(f"not a form: Content-Type {content_type!r}")
        raw = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode() + self.body
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        fields: dict[str, list[str | UploadedFile]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            value: str | UploadedFile
            if filename is not None:
                value = UploadedFile(
                    filename=filename, content_type=part.get_content_type(), content=bytes(payload)
                )
            else:
                value = bytes(payload).decode(part.get_content_charset() or "utf-8")
            fields.setdefault(str(name), []).append(value)
        return fields


Handler = Callable[[Request], Reply]


class LocalHttpServer:
    """A threaded HTTP/1.1 server on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], list[Reply] | Handler] = {}
        self._served: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        """Every request received, in order."""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, path: str, *replies: Reply | Handler, method: str = "GET") -> None:
        """Answer ``method path`` with ``replies`` in order (the last repeats), or with one handler."""
        if len(replies) == 1 and callable(replies[0]) and not isinstance(replies[0], Reply):
            target: list[Reply] | Handler = replies[0]
        else:
            if not replies or not all(isinstance(r, Reply) for r in replies):
                raise TypeError("give one or more Reply values, or one handler")
            target = list(replies)  # type: ignore[arg-type]
        with self._lock:
            self._routes[(method.upper(), path)] = target
            self._served[(method.upper(), path)] = 0

    def json(self, path: str, data: Any, *, status: int = 200, method: str = "GET") -> None:
        """Serve ``data`` as JSON."""
        body = data if isinstance(data, bytes) else msgspec.json.encode(data)
        self.route(
            path, Reply(status=status, body=body, headers={"Content-Type": "application/json"}), method=method
        )

    def file(
        self, path: str, file: Path | str, *, content_type: str | None = None, method: str = "GET"
    ) -> None:
        """Serve a file's bytes as they are on disk."""
        source = Path(file)
        kind = content_type or _content_type(source)
        self.route(path, Reply(body=source.read_bytes(), headers={"Content-Type": kind}), method=method)

    def text(self, path: str, text: str, *, content_type: str = "text/html; charset=utf-8") -> None:
        """Serve a text body."""
        self.route(path, Reply(body=text.encode(), headers={"Content-Type": content_type}))

    def requests_to(self, path: str, method: str | None = None) -> list[Request]:
        """The requests received for ``path`` (and ``method``, when given)."""
        with self._lock:
            return [
                r for r in self.requests if r.path == path and (method is None or r.method == method.upper())
            ]

    def start(self) -> LocalHttpServer:
        """Start serving on a free port."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="jobforge-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LocalHttpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, request: Request) -> Reply:
        key = (request.method, request.path)
        with self._lock:
            self.requests.append(request)
            target = self._routes.get(key)
            if target is None and request.method == "HEAD":
                target = self._routes.get(("GET", request.path))
            if target is None:
                return Reply(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
            if isinstance(target, list):
                served = self._served.get(key, 0)
                self._served[key] = served + 1
                return target[min(served, len(target) - 1)]
        return target(request)


def _handler_class(owner: LocalHttpServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes; without TCP_NODELAY each
        # keep-alive response would wait for the client's delayed ACK (~40 ms).
        disable_nagle_algorithm = True

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = Request(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            try:
                reply = owner._answer(request)
            except Exception as exc:  # a broken test handler answers 500 instead of hanging the client
                reply = Reply(status=500, body=f"handler error: {exc!r}".encode())
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return _Handler


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return {
        ".json": "application/json",
        ".rss": "application/rss+xml; charset=utf-8",
        ".xml": "application/xml; charset=utf-8",
        ".atom": "application/atom+xml; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
    }.get(suffix, "application/octet-stream")
