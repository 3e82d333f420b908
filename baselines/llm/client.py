"""A chat-completions client for any OpenAI-compatible endpoint, on the standard library alone.

Hosted and local servers alike answer 429 when busy, 5xx when overloaded, and sometimes not at all; a
benchmark run over a corpus must ride these out. Transient failures are retried a bounded number of times with
exponential back-off and jitter from a seeded RNG (so two runs wait the same way), honouring ``Retry-After``.
The API key goes into the ``Authorization`` header and nowhere else: not into errors, reprs or logs.
"""

from __future__ import annotations

import email.utils
import json
import random
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
"""Statuses that say "try again later"; any other error status is the request's fault and is not retried."""
BODY_EXCERPT = 300


class LLMRequestError(Exception):
    """The endpoint refused the request, or kept failing until the retries ran out."""


class LLMResponseError(Exception):
    """The endpoint answered, but not with a usable chat completion."""


@dataclass(frozen=True)
class RetryPolicy:
    """At most ``max_retries`` retries after the first attempt; the n-th waits ``backoff * 2**n`` seconds
    capped at ``max_backoff``, drawn between half and all of that (jitter), or what ``Retry-After`` asks for
    (also capped)."""

    max_retries: int = 4
    backoff: float = 1.0
    max_backoff: float = 60.0

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(self.max_backoff, max(0.0, retry_after))
        ceiling = min(self.max_backoff, self.backoff * 2.0**attempt)
        return ceiling / 2 + rng.random() * ceiling / 2


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None when absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class ChatClient:
    """POSTs to ``{base_url}/chat/completions`` and returns the decoded JSON answer."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        timeout: float,
        retry: RetryPolicy,
        seed: int,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self._api_key = api_key
        self.timeout = timeout
        self.retry = retry
        self._rng = random.Random(seed)
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"ChatClient({self.url!r})"

    def _request(self, payload: JSON) -> urllib.request.Request:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return urllib.request.Request(self.url, data=body, headers=headers, method="POST")

    def _redact(self, message: str) -> str:
        """A server may echo the request back in an error body; the key never leaves through an exception."""
        return message.replace(self._api_key, "***") if self._api_key else message

    def complete(self, payload: JSON) -> JSON:
        """The endpoint's JSON answer to ``payload``, retrying transient failures."""
        last = ""
        for attempt in range(self.retry.max_retries + 1):
            retry_after: float | None = None
            try:
                with urllib.request.urlopen(self._request(payload), timeout=self.timeout) as response:
                    raw = response.read()
                return _decode(raw, self.url)
            except urllib.error.HTTPError as exc:
                body = self._redact(exc.read()[:BODY_EXCERPT].decode("utf-8", "replace"))
                last = f"HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")
                if exc.code not in RETRYABLE_STATUS:
                    raise LLMRequestError(f"{self.url} refused the request: {last}") from None
                retry_after = parse_retry_after(exc.headers.get("Retry-After"))
            except TimeoutError:
                last = f"no answer within {self.timeout:g} s"
            except (urllib.error.URLError, ConnectionError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, TimeoutError | socket.timeout):
                    last = f"no answer within {self.timeout:g} s"
                else:
                    last = f"cannot reach the endpoint ({self._redact(str(reason))})"
            if attempt < self.retry.max_retries:
                self._sleep(self.retry.delay(attempt, self._rng, retry_after))
        raise LLMRequestError(
            f"{self.url}: gave up after {self.retry.max_retries + 1} attempts; last: {last}"
        )


def _decode(raw: bytes, url: str) -> JSON:
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LLMResponseError(f"{url} answered with something that is not JSON ({exc})") from None
    if not isinstance(answer, dict):
        raise LLMResponseError(f"{url} answered with JSON {type(answer).__name__}, not an object")
    return answer


def message_content(answer: JSON) -> str:
    """The text of the first choice's message; a truncated or empty answer is an error, with the reason."""
    try:
        choice = answer["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMResponseError("the answer has no choices[0].message.content") from None
    if choice.get("finish_reason") == "length":
        raise LLMResponseError(
            "the answer was cut off at the token limit (finish_reason 'length'); raise max_tokens"
        )
    if not isinstance(content, str) or not content.strip():
        raise LLMResponseError("the answer's message content is empty")
    return content
