"""The local HTTP(S) server the fake CRMs share: a threading server on a free loopback port
whose handler class sees the fake as `self.fake`, started and stopped the same way for each."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class FakeServer:
    """A fake CRM served on 127.0.0.1 (`port`, `url`); usable as a context manager."""

    _server: ThreadingHTTPServer | None = None
    port: int = 0

    def serve(self, handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None) -> str:
        """Serve requests with `handler` (over TLS with a `tls` server context) on a free
        port, in a daemon thread; returns the base URL."""
        bound = type("Handler", (handler,), {"fake": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), bound)
        server.daemon_threads = True
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"{'https' if tls is not None else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start() if self._server is None else self

    def __exit__(self, *exc):
        self.stop()
