"""Talking to an OpenAI-compatible model server (vLLM, TGI, llama.cpp, Ollama, hosted APIs) with httpx2.

`POST {base}/chat/completions` with the prompt as chat messages, or `POST {base}/completions` with it
as text. Transient failures are retried with exponential back-off and jitter: HTTP 408, 409, 425, 429
and 5xx, time-outs and dropped connections; a `Retry-After` (seconds or an HTTP date) or
`retry-after-ms` header sets the wait instead. A refused request (400, 413, 422: a prompt longer than
the model's context, a parameter the server rejects) is not retried, nor is a rejected key (401, 403)
or a wrong address or model (404). A server that cannot be reached at all fails at once.

The API key comes from an environment variable and goes only into the Authorization header.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import random
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from meds_ins._common.errors import MedsInsError, UsageError

ROUTES = {
    "chat": "chat/completions",
    "completions": "completions",
}  # chat first: its route ends like the other
RETRY_STATUS = {408, 409, 425, 429}
REFUSED_STATUS = {400, 413, 422}
MAX_WAIT = 120.0  # longest wait between two attempts, whatever the server asks for


class EndpointError(MedsInsError):
    """The model server failed, kept failing, or answered with something that is not an OpenAI response."""


class RefusedError(EndpointError):
    """The server refused one request as such (HTTP 400, 413, 422)."""


@dataclass(frozen=True)
class Endpoint:
    base: str  # the API base, such as http://127.0.0.1:8000/v1
    api: str  # "chat" or "completions"
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    query: str = ""  # kept for servers that want one (api-version=...)

    @property
    def url(self) -> str:
        return f"{self.base}/{ROUTES[self.api]}" + (f"?{self.query}" if self.query else "")

    @property
    def shown(self) -> str:
        """The URL without user info or query (where keys sometimes hide), for messages and results."""
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1], parts.path, "", ""))

    def headers(self) -> dict[str, str]:
        key = os.environ.get(self.api_key_env)
        return {"Authorization": f"Bearer {key}"} if key else {}


def parse_endpoint(
    url: str, model: str, *, api: str | None = None, api_key_env: str | None = None
) -> Endpoint:
    """An endpoint from the API base URL; a URL ending in /chat/completions or /completions sets the API."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--endpoint {url!r} is not an http(s) URL; give the API base, e.g. http://127.0.0.1:8000/v1"
        )
    path = parts.path.rstrip("/")
    named = next((a for a, route in ROUTES.items() if path.endswith(f"/{route}")), None)
    if named:
        path = path[: -len(ROUTES[named]) - 1]
        if api and api != named:
            raise UsageError(f"--endpoint {url} is the {named} API but --api {api} was given")
    if api is not None and api not in ROUTES:
        raise UsageError(f"--api must be one of {', '.join(ROUTES)}, not {api!r}")
    if not model.strip():
        raise UsageError("--model must name the model the server serves")
    if api_key_env and api_key_env not in os.environ:
        raise UsageError(f"the API key variable {api_key_env} is not set")
    base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return Endpoint(base, api or named or "chat", model, api_key_env or "OPENAI_API_KEY", parts.query)


@dataclass(frozen=True)
class Answer:
    text: str
    finish_reason: str | None


def retry_after(headers: Any, now: float | None = None) -> float | None:
    """Seconds a server asks to wait: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date."""
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def server_message(text: str) -> str:
    """The error message of a response body in the layouts servers use, else the body's start."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error", body.get("detail", body.get("message")))
        if isinstance(error, dict):
            error = error.get("message", error)
        if error:
            return " ".join(str(error).split())[:300]
    return " ".join(text.split())[:300] or "(empty body)"


def parse_answer(endpoint: Endpoint, text: str) -> Answer:
    try:
        body = json.loads(text)
        choice = body["choices"][0]
        content = choice["message"]["content"] if endpoint.api == "chat" else choice["text"]
    except (ValueError, KeyError, IndexError, TypeError):
        kind = "chat completion" if endpoint.api == "chat" else "completion"
        raise EndpointError(
            f"{endpoint.shown} answered HTTP 200 with something that is not an OpenAI {kind}: "
            f"{' '.join(text.split())[:200]!r}"
        ) from None
    if content is not None and not isinstance(content, str):
        raise EndpointError(f"{endpoint.shown} answered with a non-text content: {str(content)[:200]!r}")
    return Answer(content or "", choice.get("finish_reason"))


class Session:
    """An endpoint with its HTTP client, retry policy and counters; used inside `async with`."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        concurrency: int = 8,
        timeout: float = 300.0,
        retries: int = 6,
        backoff: float = 1.0,
    ) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.concurrency = concurrency
        self.sent = 0  # requests sent, retries included
        self.retried = 0
        self.reached = False  # a response came back once: later connection failures are worth retrying
        self._client: Any = None

    async def __aenter__(self) -> Session:
        import httpx2

        self._client = httpx2.AsyncClient(
            timeout=httpx2.Timeout(self.timeout, connect=min(self.timeout, 30.0)),
            limits=httpx2.Limits(
                max_connections=self.concurrency, max_keepalive_connections=self.concurrency
            ),
            headers=self.endpoint.headers(),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    def wait(self, attempt: int) -> float:
        """Exponential back-off with jitter: about backoff·2^attempt seconds, at most a minute."""
        return min(60.0, self.backoff * 2**attempt) * random.uniform(0.5, 1.0)

    async def complete(self, body: dict[str, Any], where: str) -> Answer:
        """The server's answer to one request; `where` names the prompt in errors."""
        for attempt in range(self.retries + 1):
            self.sent += 1
            outcome = await self._attempt(body, where)
            if isinstance(outcome, Answer):
                return outcome
            problem, asked = outcome
            if attempt == self.retries:
                raise EndpointError(
                    f"{self.endpoint.shown} failed {self.retries + 1} times for {where}; last: {problem}"
                )
            self.retried += 1
            await asyncio.sleep(min(asked, MAX_WAIT) if asked is not None else self.wait(attempt))
        raise AssertionError("unreachable")

    async def _attempt(self, body: dict[str, Any], where: str) -> Answer | tuple[str, float | None]:
        """The answer; or, for a failure worth retrying, what went wrong and the wait the server asked
        for; any other failure raises."""
        import httpx2

        endpoint = self.endpoint
        try:
            response = await self._client.post(endpoint.url, json=body)
        except httpx2.TimeoutException:
            return f"no answer within {self.timeout:g} s", None
        except httpx2.ConnectError as e:
            if not self.reached:
                raise EndpointError(f"cannot reach {endpoint.shown} ({e}); is the server running?") from None
            return f"cannot connect ({e})", None
        except httpx2.TransportError as e:
            return f"connection lost ({type(e).__name__}: {e or 'no detail'})", None
        self.reached = True
        status = response.status_code
        if status == 200:
            return parse_answer(endpoint, response.text)
        message = server_message(response.text)
        if status in RETRY_STATUS or status >= 500:
            return f"HTTP {status}: {message}", retry_after(response.headers)
        if status in REFUSED_STATUS:
            raise RefusedError(f"{endpoint.shown} refused {where} (HTTP {status}): {message}")
        if status in (401, 403):
            raise EndpointError(
                f"{endpoint.shown} refused the API key (HTTP {status}): {message}; the key is read from "
                f"${endpoint.api_key_env}"
            )
        if status == 404:
            raise EndpointError(
                f"{endpoint.shown}: HTTP 404 ({message}); check --endpoint (the API base, such as "
                f"http://host:8000/v1) and --model {endpoint.model!r}"
            )
        raise EndpointError(f"{endpoint.shown} answered HTTP {status} for {where}: {message}")
