"""An admin API that misbehaves the same way on every request: a body that is not JSON, a bucket
without its fields, or ``has_more`` forever with the same cursor. Real HTTP, for both clients."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

BODIES = {
    "not_json": b'{"data": [',
    "no_fields": json.dumps({"data": [{"results": [{"amount": "x"}]}], "has_more": False}).encode(),
    "endless": json.dumps({"data": [], "has_more": True, "next_page": "same"}).encode(),
    "new_cursor_forever": b"",  # built per request: a new cursor each time, never a day
}


class HostileAdminServer:
    def __init__(self, mode: str):
        self.mode = mode
        self.requests = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner.requests += 1
                body = (
                    BODIES[owner.mode]
                    or json.dumps({"data": [], "has_more": True, "next_page": f"p{owner.requests}"}).encode()
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> HostileAdminServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
