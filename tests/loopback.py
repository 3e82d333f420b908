"""A loopback HTTP server for tests that play a remote service (a model's chat endpoint, a system's API).

Each test says only how a request is answered (:class:`Loopback`'s ``answer``); serving in a thread, the
``Content-Length``, slow replies and clients that hang up mid-reply are handled here once.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Request:
    """What the server was sent."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """What the server answers, after waiting ``delay`` seconds (a slow service, a timeout to provoke)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def json_reply(
    body: Any, status: int = 200, headers: dict[str, str] | None = None, delay: float = 0.0
) -> Reply:
    """A reply whose body is ``body`` as JSON."""
    return Reply(status, json.dumps(body).encode("utf-8"), headers or {}, delay)


class Loopback:
    """A server on 127.0.0.1 (an ephemeral port) answering every GET and POST with ``answer(request)``.

    ``reason`` replaces the status line's reason phrase (a server that puts something odd there). Requests
    are served in threads, so a test can see how many a client sends at once.
    """

    def __init__(self, answer: Callable[[Request], Reply], reason: str | None = None) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                reply = answer(Request(self.command, self.path, dict(self.headers), body))
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status, reason)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: what a slow reply is there to provoke

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
