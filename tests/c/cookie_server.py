#!/usr/bin/env python3
"""A small HTTP server for tests/c/curl-check.sh: a redirect chain that sets cookies.

It binds 127.0.0.1 on a free port, prints the port on stdout, and serves until it is killed or
--lifetime seconds have passed. Each request is logged, one line per hop, as

    HOST PATH COOKIE

(HOST without the port; COOKIE is the Cookie header received, or "-"), and the same line is the
response body. The chain, for the named hosts the client maps to 127.0.0.1:

    GET /start           (www.example.com)   302 -> http://shop.example.com:PORT/account/login
        sets sid (host-only, persistent), site and temp (Domain=example.com, session),
        super (Domain=com: a public suffix, must be refused),
        sec (Secure, over http: must be refused)
    GET /account/login   (shop.example.com)  302 -> /account/home (relative)
        deletes temp (Max-Age=0), sets acct (Path=/account) and keep (Domain=example.com)
    GET /account/home                        200
    anything else                            200, no cookies
"""

import argparse
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHAIN = {
    "/start": (
        302,
        "http://shop.example.com:{port}/account/login",
        [
            "sid=abc; Path=/; Max-Age=86400; HttpOnly",
            "site=1; Domain=example.com; Path=/",
            "temp=x; Domain=example.com; Path=/",
            "super=1; Domain=com; Path=/",
            "sec=1; Secure; Path=/",
        ],
    ),
    "/account/login": (
        302,
        "/account/home",
        [
            "temp=; Domain=example.com; Path=/; Max-Age=0",
            "acct=42; Path=/account; Max-Age=86400",
            "keep=yes; Domain=example.com; Path=/; Max-Age=86400",
        ],
    ),
}


class Handler(BaseHTTPRequestHandler):
    # Keep-alive, so that the client reuses connections across hops (one per host name).
    protocol_version = "HTTP/1.1"
    log_file = None
    log_lock = threading.Lock()

    def do_GET(self):
        host = (self.headers.get("Host") or "-").rsplit(":", 1)[0]
        line = f"{host} {self.path} {self.headers.get('Cookie') or '-'}\n"
        with self.log_lock, open(self.log_file, "a", encoding="utf-8") as log:
            log.write(line)
        status, location, cookies = CHAIN.get(self.path, (200, None, []))
        body = line.encode()
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location.format(port=self.server.server_address[1]))
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass  # the log file is the record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True, help="file to append one line per request to")
    parser.add_argument("--lifetime", type=float, default=60.0, help="seconds before it stops")
    args = parser.parse_args()

    Handler.log_file = args.log
    # Threads: an idle keep-alive connection must not block the next one.
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # Stop by itself, even if the test that started it dies without killing it.
    timer = threading.Timer(args.lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
