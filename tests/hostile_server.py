"""A hostile web server for crawl tests: raw sockets, so it can misbehave the way real ones do.

Each route returns a script: bytes to send, `Pause(seconds)` to stall, and `RESET` to abort the
connection with a TCP RST (mid-body if you like). Helpers build ordinary responses, truncated
gzip, redirects and Retry-After answers. Bound to 127.0.0.1 port 0; hits are counted per path
so tests can assert how often the crawler came back (retries, no retries).
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Pause:
    """Stall the connection for `seconds` before the next part of the script."""

    seconds: float


class _Reset:
    """Abort the connection with a TCP RST instead of a clean close."""


RESET = _Reset()
Part = bytes | Pause | _Reset


@dataclass(frozen=True)
class Request:
    """What the crawler asked for: path with query string, headers, and the server's base URL."""

    path: str
    headers: Mapping[str, str]
    base: str

    @property
    def port(self) -> str:
        return self.base.rsplit(":", 1)[-1]


Route = Callable[[Request], Iterable[Part]]


def response(
    body: bytes | str = b"",
    *,
    status: int = 200,
    content_type: str | None = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
    content_length: int | None = None,
) -> list[Part]:
    """A complete HTTP/1.1 response (Connection: close); content_length may lie on purpose."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    length = len(data) if content_length is None else content_length
    lines += [f"Content-Length: {length}", "Connection: close", "", ""]
    return ["\r\n".join(lines).encode("latin-1"), data]


def page(body: bytes | str, **kwargs: object) -> Route:
    """A route that always answers with the same response."""
    parts = response(body, **kwargs)  # type: ignore[arg-type]
    return lambda request: parts


def redirect(location: str, status: int = 302) -> Route:
    """A redirect; `location` may use {base} (the server's own URL) and {port}."""
    return lambda request: response(
        b"",
        status=status,
        headers={"Location": location.format(base=request.base, port=request.port)},
    )


def gzipped(body: bytes | str, *, truncate_to: int | None = None, **kwargs: object) -> Route:
    """Content-Encoding: gzip; truncate_to cuts the compressed stream (a broken transfer)."""
    data = gzip.compress(body.encode("utf-8") if isinstance(body, str) else body)
    if truncate_to is not None:
        data = data[:truncate_to]
    headers = {"Content-Encoding": "gzip", **dict(kwargs.pop("headers", {}) or {})}  # type: ignore[call-overload]
    return page(data, headers=headers, **kwargs)


def reset_mid_body(body: bytes | str, sent: int = 100) -> Route:
    """Announce the full length, send `sent` bytes, then reset the connection."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    head, full = response(data)
    assert isinstance(full, bytes)
    return lambda request: [head, full[:sent], Pause(0.05), RESET]


def stall(seconds: float, body: bytes | str = b"<p>late</p>") -> Route:
    """Send the headers, then nothing for `seconds` (a timeout for any sane crawler)."""
    head, data = response(body)
    return lambda request: [head, Pause(seconds), data]


def sequence(*routes: Route) -> Route:
    """Answer the n-th request with the n-th route, then keep answering with the last one."""
    lock, calls = threading.Lock(), [0]

    def route(request: Request) -> Iterable[Part]:
        with lock:
            index = min(calls[0], len(routes) - 1)
            calls[0] += 1
        return routes[index](request)

    return route


@dataclass
class HostileServer:
    """Serves `routes` (path with query -> Route) until stopped; unknown paths get a 404."""

    routes: dict[str, Route]
    url: str = ""
    hits: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            request = self._read_request(conn)
            if request is None:
                return
            with self._lock:
                self.hits[request.path] += 1
            route = self.route_for(request.path)
            with suppress(OSError):
                for part in route(request):
                    if isinstance(part, Pause):
                        time.sleep(part.seconds)
                    elif isinstance(part, _Reset):
                        conn.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        return
                    else:
                        conn.sendall(part)

    def route_for(self, path: str) -> Route:
        """Exact path, then path without query, then the longest "prefix*" key, else 404."""
        exact = self.routes.get(path) or self.routes.get(path.split("?", 1)[0])
        if exact is not None:
            return exact
        prefixes = [k for k in self.routes if k.endswith("*") and path.startswith(k[:-1])]
        if prefixes:
            return self.routes[max(prefixes, key=len)]
        return page(b"<h1>Not found</h1>", status=404)

    def _read_request(self, conn: socket.socket) -> Request | None:
        data = b""
        with suppress(OSError):
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
        if b"\r\n\r\n" not in data:
            return None
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        request_line, *header_lines = head.split("\r\n")
        target = request_line.split(" ")[1] if " " in request_line else "/"
        parts = urlsplit(target)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        base = f"http://{headers.get('host') or self.url.removeprefix('http://')}"
        return Request(path, headers, base)


@contextmanager
def serve_hostile(routes: dict[str, Route]) -> Iterator[HostileServer]:
    """Run a HostileServer on 127.0.0.1 port 0 in background threads; yield it with its url."""
    server = HostileServer(routes)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    server.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    stopping = threading.Event()

    def accept_loop() -> None:
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=server.handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept_loop, name="hostile-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stopping.set()
        with suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        thread.join(timeout=5)


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
