"""An OpenAI-compatible model server on 127.0.0.1 for tests and benchmarks (standard library only).

It serves `POST /v1/chat/completions` and `POST /v1/completions` in the layouts of OpenAI's API and
answers each prompt with the reference of its record (read from `bench prompts` files), or with what
`reply` returns. Tests script what the next requests get (`script`): HTTP 429 with Retry-After, 429
without it (TGI's layout), 500, 400 (a prompt over the context length), a dropped connection, a reply
cut off mid-body, a body that is not an OpenAI response, a slow answer (`slow`: 2 s); `delay` makes
every answer slow. `received` holds every request body, answered or not; `max_in_flight` the most
requests it held at once.

Alone, for benchmarks: `python tests/openai_server.py PROMPTS_DIR [--port N]` prints its URL.

A stock ThreadingHTTPServer resets connections at 32 concurrent clients (listen backlog of 5) and,
with keep-alive, waits ~40 ms per reply on Nagle's algorithm; the settings below avoid both.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def normalized(text: str) -> str:
    return " ".join(text.split())


def prompt_of(body: dict[str, Any]) -> str:
    """The prompt of a request as one text: the completion prompt, or the system and user turns."""
    if "prompt" in body:
        return normalized(body["prompt"])
    return normalized("\n\n".join(m["content"] for m in body["messages"]))


def answers_from_prompts(folder: Path) -> dict[str, str]:
    """Prompt -> reference, from the files of `meds-ins bench prompts`."""
    answers = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            answers[normalized(item["prompt"])] = item["references"][0]
    return answers


class ModelServer:
    """Use as a context manager; `url` is the API base (http://127.0.0.1:PORT/v1)."""

    def __init__(
        self, answers: dict[str, str], *, api_key: str | None = None, retry_after: str = "1", port: int = 0
    ) -> None:
        self.answers = answers
        self.api_key = api_key
        self.retry_after = retry_after
        self.reply: Callable[[str], str] | None = None  # prompt -> answer, instead of the reference
        self.delay = 0.0
        self.script: list[str | None] = []  # what the next requests get (None: a normal answer)
        self.received: list[dict[str, Any]] = []
        self.answered: list[dict[str, Any]] = []  # bodies of the requests answered with HTTP 200
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def prompts(self, bodies: list[dict[str, Any]] | None = None) -> Counter:
        """How often each prompt was received (or answered, given `answered`)."""
        with self.lock:
            return Counter(prompt_of(b) for b in (self.received if bodies is None else bodies))

    def __enter__(self) -> ModelServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, body: dict[str, Any]) -> str:
        prompt = prompt_of(body)
        if self.reply is not None:
            return self.reply(prompt)
        return self.answers.get(prompt, "<no such prompt>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up on a slow answer
            super().handle_error(request, client_address)


def _handler(model: ModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive; every reply has a Content-Length
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def send(
            self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes = b""
        ) -> None:
            data = raw or json.dumps(body).encode()
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> None:
            self.send(
                status, {"error": {"message": message, "type": kind, "param": None, "code": None}}, headers
            )

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            with model.lock:
                model.received.append(body)
                action = model.script.pop(0) if model.script else None
                model.in_flight += 1
                model.max_in_flight = max(model.max_in_flight, model.in_flight)
            try:
                self.respond(body, action)
            finally:
                with model.lock:
                    model.in_flight -= 1

        def respond(self, body: dict[str, Any], action: str | None) -> None:
            if model.api_key and self.headers.get("Authorization") != f"Bearer {model.api_key}":
                return self.error(401, "Incorrect API key provided", "invalid_request_error")
            if action == "429":
                return self.error(
                    429, "Rate limit reached", "rate_limit_error", {"Retry-After": model.retry_after}
                )
            if action == "429-bare":
                return self.send(429, {"error": "Model is overloaded", "error_type": "overloaded"})
            if action in ("500", "502"):
                return self.error(int(action), "The server had an error", "server_error")
            if action == "400":
                message = "This model's maximum context length is 2048 tokens, your prompt has 2301"
                return self.error(400, message, "invalid_request_error")
            if action == "drop":  # close without a word
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            if action == "malformed":
                return self.send(200, None, {"Content-Type": "text/html"}, b"<html>502 Bad Gateway</html>")
            if model.delay or action == "slow":
                time.sleep(2.0 if action == "slow" else model.delay)
            text = model.answer(body)
            if self.path == "/v1/chat/completions":
                choice = {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
                kind = "chat.completion"
            elif self.path == "/v1/completions":
                choice = {"index": 0, "text": text, "logprobs": None, "finish_reason": "stop"}
                kind = "text_completion"
            else:
                return self.error(404, f"no route {self.path}", "invalid_request_error")
            reply = {
                "id": "cmpl-test",
                "object": kind,
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [choice],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
            if action == "cut":  # headers and half the body, then the connection closes
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            with model.lock:
                model.answered.append(body)
            return self.send(200, reply)

    return Handler


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prompts", type=Path, help="folder of `meds-ins bench prompts` files")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ModelServer(answers_from_prompts(args.prompts), port=args.port)
    print(server.url, flush=True)
    server._server.serve_forever()
