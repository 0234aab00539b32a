"""A local HTTP server for the tests: one process-local thread on 127.0.0.1 (port 0), which
also acts as an HTTP proxy, so that clients can reach "www.example.com" or "alice.github.io"
without any DNS or network: a request in proxy form (``GET http://host/path``) is answered as
if this server were that host. Every request is logged with the ``Cookie`` header it carried.

The server stops when the test session ends, or after ``LIFETIME`` seconds at the latest.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit

LIFETIME = 600.0

# (status, headers) for a (host, path); unknown routes answer 200 with no cookies.
Route = Tuple[int, List[Tuple[str, str]]]


@dataclass(frozen=True)
class Hit:
    host: str
    path: str
    cookie: Optional[str]


class Server:
    def __init__(self) -> None:
        self.routes: Dict[Tuple[str, str], Route] = {}
        self.log: List[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                host = parts.hostname if parts.netloc else (self.headers.get("Host") or "").split(":")[0]
                path = parts.path if parts.netloc else self.path.split("?")[0]
                with server._lock:
                    server.log.append(Hit(host or "", path, self.headers.get("Cookie")))
                    status, headers = server.routes.get((host or "", path), (200, []))
                body = b"ok"
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._watchdog = threading.Timer(LIFETIME, self.stop)
        self._watchdog.daemon = True

    def start(self) -> "Server":
        self._thread.start()
        self._watchdog.start()
        return self

    def stop(self) -> None:
        self._watchdog.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(self, host: str, path: str, status: int = 200, *headers: Tuple[str, str]) -> None:
        self.routes[(host, path)] = (status, list(headers))

    def reset(self) -> None:
        with self._lock:
            self.log.clear()
            self.routes.clear()

    def hits(self) -> List[Tuple[str, str, Optional[str]]]:
        with self._lock:
            return [(h.host, h.path, h.cookie) for h in self.log]
