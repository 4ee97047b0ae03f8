"""Real webhook receivers for the tests and the benchmark: threaded HTTP servers on 127.0.0.1.

Each records every request (delivery id, headers, body, arrival time) and answers as told: a status
code, or it holds the request (to play a receiver that times out) until released.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    delivery_id: str
    event: str
    timestamp: str
    signature: str
    content_type: str
    body: bytes
    arrived: float


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    status: int = 200
    # Called with the request before answering (e.g. to hold it); its return value is ignored.
    on_request: Callable[[Received], None] | None = None
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def delivery_ids(self) -> list[str]:
        with self.lock:
            return [r.delivery_id for r in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_receiver(status: int = 200, on_request: Callable[[Received], None] | None = None) -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            received = Received(
                delivery_id=self.headers.get("Seemix-Delivery-Id", ""),
                event=self.headers.get("Seemix-Event", ""),
                timestamp=self.headers.get("Seemix-Timestamp", ""),
                signature=self.headers.get("Seemix-Signature", ""),
                content_type=self.headers.get("Content-Type", ""),
                body=body,
                arrived=time.monotonic(),
            )
            with receiver.lock:
                receiver.received.append(received)
            if receiver.on_request is not None:
                receiver.on_request(received)
            try:
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender gave up (timeout) before we answered

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(server=server, status=status, on_request=on_request)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
