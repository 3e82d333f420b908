"""The ``llm`` system: any OpenAI-compatible chat-completions endpoint as an extractor.

Endpoint and model come from the config or, when the config leaves them out, from ``NEWSBENCH_LLM_BASE_URL``
and ``NEWSBENCH_LLM_MODEL``; once resolved they are part of the config, so the prediction cache and the run
spec tell apart answers from different models. The API key (``api_key=`` or ``NEWSBENCH_LLM_API_KEY``) is
deliberately *not* config: config is hashed, written into every prediction and into run specs, and a key must
appear in none of them, nor in the response cache or any message.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from newsbench.baselines.base import BaseExtractor
from newsbench.baselines.llm.answer import parse_answer, to_layers
from newsbench.baselines.llm.cache import ResponseCache, default_cache_dir, prompt_hash
from newsbench.baselines.llm.client import ChatClient, RetryPolicy, message_content
from newsbench.baselines.llm.prompt import messages, response_format
from newsbench.extractor import Availability
from newsbench.model import Document

BASE_URL_ENV = "NEWSBENCH_LLM_BASE_URL"
MODEL_ENV = "NEWSBENCH_LLM_MODEL"
KEY_ENV = "NEWSBENCH_LLM_API_KEY"
SETUP = f"set {BASE_URL_ENV} (e.g. http://localhost:8000/v1) and {MODEL_ENV}, and {KEY_ENV} if the endpoint needs a key"


def _check_base_url(url: str) -> str:
    """An http(s) URL with no credentials in it: the URL is config and is written into every prediction."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"llm: base_url must be an http:// or https:// URL, not {url!r}")
    if parts.username or parts.password or parts.query:
        raise ValueError(
            f"llm: base_url must not carry credentials or a query string; put the key in {KEY_ENV}"
        )
    return url.rstrip("/")


class LLMExtractor(BaseExtractor):
    """Entities, events and quotes from a chat model asked for JSON, placed in the text by alignment."""

    name: ClassVar[str] = "llm"
    version: ClassVar[str] = "1.0"
    calls_endpoint: ClassVar[bool] = True
    """Its extractions are requests to one endpoint, so a cluster run can cap how many are in flight."""
    default_config: ClassVar[dict[str, Any]] = {
        "base_url": None,
        "model": None,
        "temperature": 0.0,
        "max_tokens": 8192,
        "seed": 0,
        "response_format": "json_schema",
        "timeout": 120.0,
        "max_retries": 4,
        "backoff": 1.0,
        "max_backoff": 60.0,
        "min_ratio": 0.85,
    }

    def __init__(
        self,
        *,
        api_key: str | None = None,
        cache_dir: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        **config: Any,
    ) -> None:
        """``api_key``, ``cache_dir`` and ``sleep`` change how answers are fetched, never what they are, so
        they stay out of ``config`` (and out of its hash)."""
        super().__init__(**config)
        base_url = self.config["base_url"] or os.environ.get(BASE_URL_ENV)
        model = self.config["model"] or os.environ.get(MODEL_ENV)
        if not base_url or not model:
            raise ValueError(
                f"llm: no endpoint configured: {SETUP}, or give base_url and model in the config"
            )
        self.config["base_url"] = _check_base_url(base_url)
        self.config["model"] = model
        response_format(self.config["response_format"])  # refuse a bad mode now, not per document
        self._client = ChatClient(
            self.config["base_url"],
            api_key or os.environ.get(KEY_ENV) or None,
            timeout=float(self.config["timeout"]),
            retry=RetryPolicy(
                int(self.config["max_retries"]),
                float(self.config["backoff"]),
                float(self.config["max_backoff"]),
            ),
            seed=int(self.config["seed"]),
            sleep=sleep,
        )
        self._cache = ResponseCache(cache_dir if cache_dir is not None else default_cache_dir())

    @classmethod
    def availability(cls) -> Availability:
        """Available when an endpoint and a model are configured in the environment; the endpoint itself is
        not contacted (listing systems must stay fast and offline)."""
        missing = [env for env in (BASE_URL_ENV, MODEL_ENV) if not os.environ.get(env)]
        if missing:
            return Availability.missing(f"no endpoint configured ({', '.join(missing)} unset): {SETUP}")
        return Availability.ok()

    def payload(self, text: str) -> dict[str, Any]:
        """The request body for one article (everything but the key, which travels in a header)."""
        body: dict[str, Any] = {
            "model": self.config["model"],
            "messages": messages(text),
            "temperature": self.config["temperature"],
            "max_tokens": self.config["max_tokens"],
            "seed": self.config["seed"],
        }
        fmt = response_format(self.config["response_format"])
        if fmt is not None:
            body["response_format"] = fmt
        return body

    def answer(self, text: str) -> dict[str, Any]:
        """The parsed answer for ``text``, from the cache when this exact request was answered before; only
        answers that parse are cached, so a malformed one is asked again next time."""
        body = self.payload(text)
        endpoint, model, digest = self.config["base_url"], self.config["model"], prompt_hash(body)
        cached = self._cache.get(endpoint, model, digest)
        if cached is not None:
            return parse_answer(cached)
        content = message_content(self._client.complete(body))
        data = parse_answer(content)
        self._cache.put(endpoint, model, digest, content)
        return data

    def extract(self, document: Document) -> Document:
        layers, stats = to_layers(document.text, self.answer(document.text), float(self.config["min_ratio"]))
        return self.prediction(
            document,
            meta={**document.meta, "llm": stats.to_json()},
            mentions=layers.mentions,
            entities=layers.entities,
            events=layers.events,
            quotes=layers.quotes,
        )
