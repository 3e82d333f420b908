"""A chat-completions client for any OpenAI-compatible endpoint, on urllib3's connection pool and retries.

Hosted and local servers alike answer 429 when busy, 5xx when overloaded, and sometimes not at all; a
benchmark run over a corpus must ride these out. urllib3 decides what is retried and counts the attempts;
the waits are this project's: exponential back-off with jitter from a seeded RNG (so two runs wait the same
way), ``Retry-After`` honoured and capped, and an injectable sleep so tests do not wait. The API key goes
into the ``Authorization`` header and nowhere else: not into errors, reprs or logs. Redirects are never
followed (a 3xx is an error naming where it pointed), so the header cannot travel to another origin. Whatever
the server sends back -- an error body, its status line's reason phrase, a ``Location``, an answer -- is
redacted before it is cut to an excerpt or kept, so no part of the key survives the cut; the key is also
recognised JSON- or URL-escaped, the forms an endpoint echoing a request tends to give it back in.
"""

from __future__ import annotations

import email.utils
import json
import random
import socket
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import urllib3
from urllib3.exceptions import HTTPError, MaxRetryError
from urllib3.exceptions import TimeoutError as PoolTimeoutError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

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


class _Retry(Retry):
    """urllib3's retry bookkeeping, waiting as :class:`RetryPolicy` says, through the client's sleep."""

    policy: RetryPolicy
    rng: random.Random
    sleeper: Callable[[float], None]

    def new(self, **kw: Any) -> _Retry:
        fresh: _Retry = super().new(**kw)
        fresh.policy, fresh.rng, fresh.sleeper = self.policy, self.rng, self.sleeper
        return fresh

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        header = response.headers.get("Retry-After") if response is not None else None
        self.sleeper(self.policy.delay(len(self.history) - 1, self.rng, parse_retry_after(header)))


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
        self._key_forms = _escaped_forms(api_key) if api_key else []
        self.timeout = timeout
        self.retry = retry
        self._rng = random.Random(seed)
        self._sleep = sleep
        self._pool = urllib3.PoolManager()

    def __repr__(self) -> str:
        return f"ChatClient({self.url!r})"

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def _retries(self) -> _Retry:
        retries = _Retry(
            total=self.retry.max_retries,
            status_forcelist=RETRYABLE_STATUS,
            allowed_methods=None,  # a chat completion changes nothing on the server, so POST is safe to repeat
            raise_on_status=False,
            respect_retry_after_header=False,  # the wait is RetryPolicy's, which reads Retry-After itself
            redirect=False,
        )
        retries.policy, retries.rng, retries.sleeper = self.retry, self._rng, self._sleep
        return retries

    def _redact(self, message: str) -> str:
        """A server may echo the request back; the key never leaves through an exception or an answer."""
        for form in self._key_forms:
            message = message.replace(form, "***")
        return message

    def complete(self, payload: JSON) -> JSON:
        """The endpoint's JSON answer to ``payload``, retrying transient failures."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        gave_up = f"{self.url}: gave up after {self.retry.max_retries + 1} attempts; last: "
        try:
            response = self._pool.request(
                "POST",
                self.url,
                body=body,
                headers=self._headers(),
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
                retries=self._retries(),
            )
        except MaxRetryError as exc:
            raise LLMRequestError(gave_up + self._failure(exc.reason)) from None
        except (TimeoutError, HTTPError) as exc:
            raise LLMRequestError(gave_up + self._failure(exc)) from None
        if 300 <= response.status < 400:
            location = self._redact(str(response.headers.get("Location") or "elsewhere"))[:BODY_EXCERPT]
            raise LLMRequestError(
                f"{self.url} redirected (HTTP {response.status}) to {location}; redirects are not followed, "
                "so the API key is never sent to another address: set base_url to the final address"
            )
        if response.status < 300:
            return _decode(self._redact_bytes(response.data), self.url)
        excerpt = self._redact(response.data.decode("utf-8", "replace"))[:BODY_EXCERPT]
        reason = self._redact(str(response.reason or ""))[:BODY_EXCERPT]
        last = f"HTTP {response.status} {reason}" + (f": {excerpt}" if excerpt else "")
        if response.status not in RETRYABLE_STATUS:
            raise LLMRequestError(f"{self.url} refused the request: {last}")
        raise LLMRequestError(gave_up + last)

    def _redact_bytes(self, raw: bytes) -> bytes:
        """An answer with the key redacted, so neither the response cache nor a prediction can hold it."""
        if not self._key_forms:
            return raw
        forms = [form.encode("utf-8") for form in self._key_forms]
        if not any(form in raw for form in forms):
            return raw
        for form in forms:
            raw = raw.replace(form, b"***")
        return raw

    def _failure(self, reason: BaseException | None) -> str:
        if isinstance(reason, TimeoutError | socket.timeout | PoolTimeoutError):
            return f"no answer within {self.timeout:g} s"
        return f"cannot reach the endpoint ({self._redact(str(reason))})"


def _escaped_forms(key: str) -> list[str]:
    """The key as sent, and as a server echoing it may write it: JSON-escaped (with ``/`` as ``\\/`` too, as
    some encoders write it), and URL-encoded; longest first, so a longer form is replaced before a part of it."""
    json_forms = {json.dumps(key)[1:-1], json.dumps(key, ensure_ascii=False)[1:-1]}
    forms = {key, *json_forms, *(f.replace("/", "\\/") for f in json_forms)}
    forms |= {urllib.parse.quote(key, safe=""), urllib.parse.quote_plus(key)}
    return sorted((f for f in forms if f), key=lambda f: (-len(f), f))


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
