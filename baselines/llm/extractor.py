"""The ``llm`` system: any OpenAI-compatible chat-completions endpoint as an extractor.

Endpoint and model come from the config or, when the config leaves them out, from ``NEWSBENCH_LLM_BASE_URL``
and ``NEWSBENCH_LLM_MODEL``; once resolved they are part of the config, so the prediction cache and the run
spec tell apart answers from different models. The API key (``api_key=`` or ``NEWSBENCH_LLM_API_KEY``) is
deliberately *not* config: config is hashed, written into every prediction and into run specs, and a key must
appear in none of them, nor in the response cache or any message.

The bench and ``run`` build it through :meth:`LLMExtractor.trained` with the corpus's train split, which
puts few-shot examples from that split in the prompt (:mod:`.shots`); an article longer than ``chunk_chars``
is asked about chunk by chunk (:mod:`.chunks`). A document that fails carries what it cost before it failed
(``failure_details``: the tokens of the answers received, and whether one did not parse) to the cost columns.
"""

from __future__ import annotations

import json
import os
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from newsbench.baselines.base import BaseExtractor
from newsbench.baselines.llm import shots
from newsbench.baselines.llm.answer import Piece, parse_answer, to_layers
from newsbench.baselines.llm.cache import ResponseCache, default_cache_dir, prompt_hash
from newsbench.baselines.llm.chunks import chunks
from newsbench.baselines.llm.client import (
    ChatClient,
    LLMRequestError,
    LLMResponseError,
    RetryPolicy,
    message_content,
)
from newsbench.baselines.llm.prompt import messages, response_format
from newsbench.extractor import Availability
from newsbench.model import Document

BASE_URL_ENV = "NEWSBENCH_LLM_BASE_URL"
MODEL_ENV = "NEWSBENCH_LLM_MODEL"
KEY_ENV = "NEWSBENCH_LLM_API_KEY"
USAGE_SUFFIX = ".usage"
"""Appended to a prompt's hash to key the cost of its answer in the response cache, beside the answer."""
SETUP = f"set {BASE_URL_ENV} (e.g. http://localhost:8000/v1) and {MODEL_ENV}, and {KEY_ENV} if the endpoint needs a key"


@dataclass
class Usage:
    """What one document's answer cost when it was fetched: the tokens the endpoint reported and the wall
    time of the request. Kept with the answer in the response cache, so a prediction rebuilt from a cached
    answer states the same cost (and the run folder the same bytes)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0

    @classmethod
    def of(cls, response: dict[str, Any], seconds: float) -> Usage:
        reported = response.get("usage")
        counts = reported if isinstance(reported, dict) else {}
        return cls(_count(counts.get("prompt_tokens")), _count(counts.get("completion_tokens")), seconds)

    @classmethod
    def from_json(cls, text: str | None) -> Usage | None:
        try:
            data = json.loads(text) if text is not None else None
        except json.JSONDecodeError:
            return None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> Usage | None:
        if not isinstance(data, dict):
            return None
        seconds = data.get("seconds")
        return cls(
            _count(data.get("prompt_tokens")),
            _count(data.get("completion_tokens")),
            float(seconds) if isinstance(seconds, int | float) else 0.0,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "seconds": round(self.seconds, 3),
        }

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.seconds + other.seconds,
        )


def _failed(exc: Exception, usage: Usage, unparsed: bool) -> Exception:
    """``exc`` carrying what the document cost before it failed, and whether an answer did not parse."""
    details: dict[str, Any] = {"usage": usage.to_json()}
    if unparsed:
        details["unparsed"] = 1
    exc.failure_details = details  # type: ignore[attr-defined]
    return exc


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _refused_format(exc: LLMRequestError) -> bool:
    """Whether the endpoint turned the request down as malformed (HTTP 400 or 422), as servers without
    structured output do when given ``response_format``."""
    return any(f"refused the request: HTTP {code}" in str(exc) for code in (400, 422))


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
    version: ClassVar[str] = "1.1"
    calls_endpoint: ClassVar[bool] = True
    """Its extractions are requests to one endpoint, so a cluster run can cap how many are in flight."""
    needs_training: ClassVar[bool] = True
    """Not trained, but given the train split: its few-shot examples come from there (:meth:`trained`)."""
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
        "shots": 2,
        "shot_max_chars": 2000,
        "examples": None,
        "chunk_chars": 12000,
        "chunk_overlap": 1000,
    }

    def __init__(
        self,
        *,
        api_key: str | None = None,
        cache_dir: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        examples_json: str | None = None,
        **config: Any,
    ) -> None:
        """``api_key``, ``cache_dir`` and ``sleep`` change how answers are fetched, never what they are, so
        they stay out of ``config`` (and out of its hash); ``examples_json`` is the few-shot examples' text,
        which the config names by hash (:mod:`.shots`)."""
        super().__init__(**config)
        wanted = self.config["examples"]
        if wanted is not None and examples_json is None:
            raise ValueError("llm: the config names few-shot examples, but they were not given")
        self._examples = shots.load(examples_json, wanted) if wanted is not None and examples_json else []
        chunks("", int(self.config["chunk_chars"]), int(self.config["chunk_overlap"]))  # refuse bad sizes now
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
        self.structured = self.config["response_format"] != "none"
        """False once the endpoint refused ``response_format``: later requests go without it."""

    @classmethod
    def availability_for(cls, train_docs: Sequence[Document]) -> Availability:
        """As :meth:`availability`: a corpus without a train split gives no examples, not a reason to skip."""
        return cls.availability()

    @classmethod
    def trained(cls, train_docs: Sequence[Document], **config: Any) -> LLMExtractor:
        """An extractor whose prompt carries ``shots`` examples drawn from ``train_docs``, the train split."""
        merged = {**cls.default_config, **config}
        chosen = shots.choose(
            train_docs, int(merged["shots"]), int(merged["shot_max_chars"]), int(merged["seed"])
        )
        return cls(
            **{**config, "examples": shots.reference(chosen)}, examples_json=shots.examples_json(chosen)
        )

    def recipe_extras(self) -> dict[str, Any]:
        """What a worker needs besides the config to rebuild this system: the examples the config names."""
        return {"examples_json": shots.examples_json(self._examples)} if self._examples else {}

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
            "messages": messages(text, [(e.text, e.answer) for e in self._examples]),
            "temperature": self.config["temperature"],
            "max_tokens": self.config["max_tokens"],
            "seed": self.config["seed"],
        }
        fmt = response_format(self.config["response_format"]) if self.structured else None
        if fmt is not None:
            body["response_format"] = fmt
        return body

    def answer(self, text: str) -> tuple[dict[str, Any], Usage]:
        """The parsed answer for ``text`` and what it cost, from the cache when this exact request was
        answered before; only answers that parse are cached, so a malformed one is asked again next time."""
        body = self.payload(text)
        endpoint, model, digest = self.config["base_url"], self.config["model"], prompt_hash(body)
        cached = self._cache.get(endpoint, model, digest)
        if cached is not None:
            usage = Usage.from_json(self._cache.get(endpoint, model, digest + USAGE_SUFFIX))
            return parse_answer(cached), usage or Usage()
        started = time.perf_counter()
        try:
            response = self._client.complete(body)
        except LLMRequestError as exc:
            if "response_format" not in body or not _refused_format(exc):
                raise
            # A server without structured output: the prompt already describes the JSON wanted.
            self.structured = False
            return self.answer(text)
        except LLMResponseError as exc:  # a body that is not JSON: an answer came, and did not parse
            raise _failed(exc, Usage(seconds=time.perf_counter() - started), unparsed=True) from None
        usage = Usage.of(response, time.perf_counter() - started)
        try:
            content = message_content(response)
            data = parse_answer(content)
        except LLMResponseError as exc:  # the tokens were spent all the same
            raise _failed(exc, usage, unparsed=True) from None
        self._cache.put(endpoint, model, digest, content)
        self._cache.put(endpoint, model, digest + USAGE_SUFFIX, json.dumps(usage.to_json()))
        return data, usage

    def extract(self, document: Document) -> Document:
        """One request per chunk (one for most articles); the chunks' answers merged in document offsets."""
        cut = chunks(document.text, int(self.config["chunk_chars"]), int(self.config["chunk_overlap"]))
        pieces: list[Piece] = []
        usage = Usage()
        for offset, chunk in cut:
            try:
                answer, cost = self.answer(chunk)
            except (LLMRequestError, LLMResponseError) as exc:  # earlier chunks' tokens were spent too
                details = getattr(exc, "failure_details", None) or {}
                if not pieces and not details:
                    raise  # no answer came at all: there is no cost to state (n/a, not 0)
                spent = Usage.from_dict(details.get("usage")) or Usage()
                raise _failed(exc, usage + spent, unparsed=bool(details.get("unparsed"))) from None
            usage += cost
            pieces.append(Piece(offset, chunk, answer))
        layers, stats = to_layers(document.text, pieces, float(self.config["min_ratio"]))
        report = {**stats.to_json(), "usage": usage.to_json(), "structured_output": self.structured}
        if len(cut) > 1:
            report["chunks"] = len(cut)
        return self.prediction(
            document,
            meta={**document.meta, "llm": report},
            mentions=layers.mentions,
            entities=layers.entities,
            events=layers.events,
            quotes=layers.quotes,
        )
