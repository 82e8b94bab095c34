"""A small file server on 127.0.0.1 for download tests.

It serves files by path over HTTP/1.1 with the headers a real file host sends (Content-Length,
Accept-Ranges, byte ranges with 206 and Content-Range, 416 past the end) and can misbehave on request:
answer with an error status, cut the connection after some bytes, stall in the middle of a body, send
slowly, or ignore Range headers. It records every request, so tests see the ranges the client asked for.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from hub_server import LocalServer


@dataclass
class Served:
    data: bytes
    ranges: bool = True  # honour Range headers
    status: int | None = None  # answer this status instead of the file...
    status_times: int = 0  # ...this many times
    cut_after: int | None = None  # close the connection after this many bytes of a body...
    cut_times: int = 0  # ...this many times
    stall_after: int | None = None  # pause this long after this many bytes of a body...
    stall_seconds: float = 0.0
    stall_times: int = 0  # ...this many times
    chunk_delay: float = 0.0  # seconds between 16 kB chunks (a slow but steady server)
    redirect_to: str | None = None


@dataclass
class Request:
    path: str
    range: str | None
    status: int


@dataclass
class Files:
    served: dict[str, Served] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, data: bytes, **behaviour: Any) -> Served:
        self.served[path] = Served(data, **behaviour)
        return self.served[path]

    def of(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    files: Files

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        with self.files.lock:  # decide (and count down the misbehaviours) under the lock, send outside it
            plan = self._plan()
            self.files.requests.append(Request(self.path, self.headers.get("Range"), plan[0]))
        status, headers, body, cut_at, stall, delay = plan
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._send(body, cut_at, stall, delay)

    def _plan(self) -> tuple[int, dict[str, str], bytes, int | None, tuple[int, float] | None, float]:
        served = self.files.served.get(self.path)
        if served is None:
            return 404, {}, b"not found", None, None, 0.0
        if served.redirect_to:
            return 302, {"Location": served.redirect_to}, b"", None, None, 0.0
        if served.status_times > 0:
            served.status_times -= 1
            return served.status or 500, {}, b"failure on request", None, None, 0.0
        data, status = served.data, 200
        headers = {
            "Accept-Ranges": "bytes" if served.ranges else "none",
            "Content-Type": "application/octet-stream",
        }
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if wanted and served.ranges:
            start = int(wanted[1])
            if start >= len(data):
                return 416, {"Content-Range": f"bytes */{len(data)}"}, b"", None, None, 0.0
            end = int(wanted[2]) if wanted[2] else len(data) - 1
            data, status = data[start : end + 1], 206
            headers["Content-Range"] = f"bytes {start}-{start + len(data) - 1}/{len(served.data)}"
        cut_at = stall = None
        if served.cut_times > 0 and served.cut_after is not None:
            served.cut_times -= 1
            cut_at = served.cut_after
        if served.stall_times > 0 and served.stall_after is not None:
            served.stall_times -= 1
            stall = (served.stall_after, served.stall_seconds)
        return status, headers, data, cut_at, stall, served.chunk_delay

    def _send(self, body: bytes, cut_at: int | None, stall: tuple[int, float] | None, delay: float) -> None:
        """Send the body: all of it, or up to `cut_at` bytes then close, or pause at a stall point."""
        limit = len(body) if cut_at is None else min(cut_at, len(body))
        position = 0
        try:
            while position < limit:
                if stall is not None and position >= stall[0]:
                    time.sleep(stall[1])
                    self.close_connection = True
                    return
                end = min(limit, position + 16384)
                if stall is not None and position < stall[0]:
                    end = min(end, stall[0])
                self.wfile.write(body[position:end])
                self.wfile.flush()
                position = end
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return
        if cut_at is not None:
            self.close_connection = True


class FileServer(LocalServer):
    """Serves `files` on a free port of 127.0.0.1 in a thread; use as a context manager."""

    def __init__(self) -> None:
        self.files = Files()
        super().__init__(type("BoundHandler", (Handler,), {"files": self.files}))
