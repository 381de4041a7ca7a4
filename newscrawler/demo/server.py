"""A tiny HTTP server for portals held in memory: the demo portal and the tests' fixture portals.

Bind to 127.0.0.1 port 0 (the OS picks a free port) and report the real URL, so there is no race.
`newscrawler demo --serve [--port N]` (or `python -m newscrawler.demo.server [--port N]`) serves the
demo portal until interrupted and prints its URL on the first stdout line.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Page:
    """One response: body bytes, content type, status and extra headers."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


# A portal answers (path with query string, base URL such as "http://127.0.0.1:8123") with a Page,
# or None for 404. The base URL comes from the Host header, so sitemaps can hold absolute URLs.
Portal = Callable[[str, str], Page | None]


def static_portal(pages: Mapping[str, Page]) -> Portal:
    """A portal from a path -> Page mapping (the path includes any query string)."""
    return lambda path, base: pages.get(path)


def _handler_for(portal: Portal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            base = f"http://{self.headers.get('Host') or '127.0.0.1'}"
            page = portal(path, base) or Page(b"<h1>Not found</h1>", status=404)
            self.send_response(page.status)
            if page.content_type:
                self.send_header("Content-Type", page.content_type)
            for name, value in page.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the crawler's own log says what was fetched."""

    return Handler


@contextmanager
def serve(portal: Portal, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve a portal in a background thread; yield its base URL (no trailing slash).

    Port 0 (the default) lets the OS pick a free port, so tests never race for one.
    """
    server = ThreadingHTTPServer((host, port), _handler_for(portal))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="portal-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve_forever(host: str = "127.0.0.1", port: int = 0) -> int:
    """Serve the demo portal until interrupted; print its URL first. Exit code 1 if the port
    cannot be bound (in use, privileged), with one line saying so."""
    from newscrawler.demo.portal import demo_portal

    try:
        with serve(demo_portal(), host, port) as url:
            print(f"{url}/", flush=True)
            with suppress(KeyboardInterrupt):
                threading.Event().wait()
    except OSError as exc:
        print(f"cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the demo portal until interrupted.")
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="default: 0 (any free port)")
    args = parser.parse_args(argv)
    return serve_forever(args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
