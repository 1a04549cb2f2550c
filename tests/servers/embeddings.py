"""A real OpenAI-compatible embeddings server on 127.0.0.1, serving all-MiniLM-L6-v2.

``POST /v1/embeddings`` behaves like OpenAI's endpoint where the adapter
depends on it: ``input`` is a string or a list of up to 2048 non-empty
strings; ``encoding_format`` is ``float`` (the API's default) or
``base64`` (little-endian float32 bytes, base64-encoded -- what the
``openai`` client asks for unless told otherwise); ``dimensions``
shortens vectors (truncate, then re-normalise); a bearer key is checked
when the server has one. ``fail_next(n, status, retry_after)`` makes the
next ``n`` requests fail first, to test retries.

Fixtures: ``minilm_fp32`` (the model, loaded once per session) and
``embeddings_server`` (the started server, reset before each test).
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
import sys
import threading
from array import array
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder

__all__ = ["EmbeddingsServer", "embeddings_server", "minilm_fp32"]

MODEL = "all-MiniLM-L6-v2"


class EmbeddingsServer:
    """The server; ``base_url`` is what an OpenAI client takes."""

    def __init__(self, embedder: SentenceTransformerEmbedder, *, api_key: str | None = "test-key") -> None:
        self.embedder = embedder
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        """The JSON body of every request received (failed ones included)."""
        self._failures: list[tuple[int, str | None]] = []
        self._lock = threading.Lock()
        self._memo: dict[str, list[float]] = {}
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._http.daemon_threads = True
        self._thread = threading.Thread(
            target=self._http.serve_forever, name="embeddings-server", daemon=True
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._http.shutdown()
        self._http.server_close()

    def reset(self) -> None:
        """Forget requests and pending failures."""
        with self._lock:
            self.requests.clear()
            self._failures.clear()

    def fail_next(self, count: int, *, status: int = 429, retry_after: str | None = "0.05") -> None:
        """Answer the next ``count`` requests with ``status`` (and ``Retry-After`` when given)."""
        with self._lock:
            self._failures.extend([(status, retry_after)] * count)

    def answer(
        self, body: dict[str, Any], authorization: str | None
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Status, headers and JSON body of the response to one request."""
        with self._lock:
            self.requests.append(body)
            failure = self._failures.pop(0) if self._failures else None
        if self.api_key is not None and authorization != f"Bearer {self.api_key}":
            return 401, {}, _error("Incorrect API key provided.", "invalid_api_key")
        if failure is not None:
            status, retry_after = failure
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return (
                status,
                headers,
                _error(f"simulated {status}", "rate_limit_exceeded" if status == 429 else "server_error"),
            )
        texts = body.get("input")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not texts or len(texts) > 2048:
            return 400, {}, _error("'$.input' is invalid.", "invalid_request_error")
        if any(not isinstance(text, str) or text == "" for text in texts):
            return (
                400,
                {},
                _error("'$.input' is invalid: empty strings are not allowed.", "invalid_request_error"),
            )
        fmt = body.get("encoding_format", "float")
        dimensions = body.get("dimensions", self.embedder.dimensions)
        if fmt not in ("float", "base64") or not isinstance(dimensions, int):
            return 400, {}, _error("bad encoding_format or dimensions", "invalid_request_error")
        if not 1 <= dimensions <= self.embedder.dimensions:
            return (
                400,
                {},
                _error(f"dimensions must be 1..{self.embedder.dimensions}", "invalid_request_error"),
            )
        vectors = self._vectors(texts)
        data = []
        for index, vector in enumerate(vectors):
            short = vector[:dimensions]
            norm = math.sqrt(sum(v * v for v in short)) or 1.0
            values = [v / norm for v in short] if dimensions != len(vector) else short
            data.append({"object": "embedding", "index": index, "embedding": _encode(values, fmt)})
        tokens = sum(len(text.split()) for text in texts)
        return (
            200,
            {},
            {
                "object": "list",
                "data": data,
                "model": body.get("model", MODEL),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    def _vectors(self, texts: list[str]) -> list[list[float]]:
        # Remembering vectors keeps the suite fast: the contract suites embed the same texts often.
        with self._lock:
            missing = [text for text in dict.fromkeys(texts) if text not in self._memo]
        if missing:
            computed = asyncio.run(self.embedder.embed_documents(missing))
            with self._lock:
                self._memo.update(zip(missing, computed, strict=True))
        with self._lock:
            return [self._memo[text] for text in texts]


def _encode(values: list[float], fmt: str) -> Any:
    if fmt == "float":
        return values
    floats = array("f", values)
    if sys.byteorder == "big":
        floats.byteswap()
    return base64.b64encode(floats.tobytes()).decode("ascii")


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": code, "param": None, "code": code}}


def _handler(server: EmbeddingsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != "/v1/embeddings":
                self._send(404, {}, _error(f"no route {self.path}", "not_found"))
                return
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, {}, _error("body is not JSON", "invalid_request_error"))
                return
            self._send(*server.answer(body, self.headers.get("Authorization")))

        def _send(self, status: int, headers: dict[str, str], body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def minilm_fp32(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SentenceTransformerEmbedder]:
    """all-MiniLM-L6-v2 on the torch fp32 backend, shared by the session (loaded once, on first use)."""
    # Loaded on first use, so tests that never reach the model (auth, retries) never pay for it.
    embedder = SentenceTransformerEmbedder(
        backend="torch-fp32", query_backend="torch-fp32", cache_dir=tmp_path_factory.mktemp("minilm")
    )
    yield embedder
    asyncio.run(embedder.close())


@pytest.fixture(scope="session")
def _embeddings_server(minilm_fp32: SentenceTransformerEmbedder) -> Iterator[EmbeddingsServer]:
    server = EmbeddingsServer(minilm_fp32)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def embeddings_server(_embeddings_server: EmbeddingsServer) -> EmbeddingsServer:
    """The session's embeddings server, with no recorded requests or pending failures."""
    _embeddings_server.reset()
    return _embeddings_server
