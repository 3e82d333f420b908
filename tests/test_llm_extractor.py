"""The ``llm`` system against a loopback server that replays recorded chat-completion responses.

Each fixture in ``tests/fixtures/llm/`` holds the article text and the responses the server gives, in order:
well-formed answers, malformed ones (invalid JSON, JSON off the schema, strings not in the text), and transport
trouble (a 500 then success, a 429 with Retry-After, an answer slower than the client's timeout).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loopback import Loopback, Reply, Request, json_reply

from newsbench.baselines.llm import LLMExtractor
from newsbench.baselines.llm.client import LLMRequestError, LLMResponseError, RetryPolicy, parse_retry_after
from newsbench.model import Document
from newsbench.validate import validate_data

FIXTURES = Path(__file__).parent / "fixtures" / "llm"
SECRET = "sk-test-SECRET"


class Replay(Loopback):
    """A chat-completions server on 127.0.0.1 (ephemeral port) answering from a fixture's response list."""

    def __init__(self, responses: list[dict[str, Any]]) -> None:
        self.responses = list(responses)
        self.requests: list[dict[str, Any]] = []
        super().__init__(self._answer)
        self.base_url = f"{self.url}/v1"

    def _answer(self, request: Request) -> Reply:
        self.requests.append({"path": request.path, "headers": request.headers, "body": request.json()})
        response = self.responses.pop(0) if self.responses else {"status": 500, "body": {}}
        return json_reply(
            response["body"], response["status"], response.get("headers"), response.get("delay", 0)
        )


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[Replay] = []

    def start(name: str) -> tuple[Replay, Document]:
        fixture = load(name)
        replay = Replay(fixture["responses"])
        servers.append(replay)
        return replay, Document(id="doc-1", text=fixture["text"])

    yield start
    for replay in servers:
        replay.close()


def extractor(
    replay: Replay, tmp_path: Path, sleeps: list[float] | None = None, **config: Any
) -> LLMExtractor:
    config = {
        "base_url": replay.base_url,
        "model": "replay-model",
        "timeout": 0.5,
        "max_retries": 2,
        **config,
    }
    record = sleeps if sleeps is not None else []
    return LLMExtractor(api_key=SECRET, cache_dir=tmp_path / "cache", sleep=record.append, **config)


def spans(doc: Document, layer: str) -> list[tuple[int, int, str]]:
    if layer == "mentions":
        return [(m.start, m.end, m.type) for m in doc.mentions]
    if layer == "events":
        return [(e.trigger.start, e.trigger.end, e.type) for e in doc.events]
    return [(q.content[0].start, q.content[-1].end, q.type) for q in doc.quotes]


def assert_valid(doc: Document) -> None:
    assert validate_data(doc.to_json(), "prediction") == []


def test_a_good_answer_is_placed_at_code_point_offsets(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("good")
    pred = extractor(replay, tmp_path).extract(doc)
    assert_valid(pred)
    # Hand-counted: "Prime Minister " is 15 code points, the emoji one, CRLF two each, "José" five (e + U+0301).
    assert spans(pred, "mentions") == [
        (15, 24, "PER"),
        (33, 39, "TIME"),
        (89, 95, "GPE"),
        (112, 118, "PER"),
        (124, 129, "GPE"),
        (147, 152, "PER"),  # "Silva", occurrence 2
        (157, 168, "PER"),  # "José Ramos" sent precomposed, found decomposed
        (172, 178, "GPE"),  # "Lisbon", occurrence 2
    ]
    assert spans(pred, "events") == [(100, 108, "Conflict.Attack"), (153, 156, "Contact.Meet")]
    assert spans(pred, "quotes") == [(42, 67, "direct"), (72, 129, "indirect")]
    assert pred.system is not None and pred.system.name == "llm"
    assert pred.id == doc.id and pred.text == doc.text


def test_references_resolve_to_the_nearest_mention_of_that_name(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("good")
    pred = extractor(replay, tmp_path).extract(doc)
    by_id = pred.mention_index()
    attack, meet = pred.events
    assert [(a.role, by_id[a.mention].start) for a in attack.arguments] == [("Attacker", 112), ("Place", 124)]
    assert [(a.role, by_id[a.mention].start) for a in meet.arguments] == [
        ("Entity", 147),
        ("Entity", 157),
        ("Place", 172),
    ]
    direct, indirect = pred.quotes
    assert direct.cue is not None and (direct.cue.start, direct.cue.end) == (25, 29)
    assert direct.speaker is not None and by_id[direct.speaker].start == 15
    assert indirect.cue is not None and (indirect.cue.start, indirect.cue.end) == (141, 145)
    assert indirect.speaker is None
    silva = next(e for e in pred.entities if e.name == "Ana Silva")
    assert [by_id[m].start for m in silva.mentions] == [15, 147]


def without_cost(meta: dict[str, Any]) -> dict[str, Any]:
    """The answer's statistics without what it cost (wall time varies), checking the cost's form."""
    rest = dict(meta)
    usage = rest.pop("usage")
    assert set(usage) == {"prompt_tokens", "completion_tokens", "seconds"} and usage["seconds"] >= 0
    assert rest.pop("structured_output") is True
    return rest


def test_what_survived_the_answer_is_counted_in_meta(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("good")
    pred = extractor(replay, tmp_path).extract(doc)
    assert without_cost(pred.meta["llm"]) == {
        "aligned": {"exact": 12, "fuzzy": 1, "normalised": 1},  # 7 + 2 + 1 + 2 cues; "José"; the emoji
        "dropped": {
            "events: role not allowed for the event type": 1,
            "quotes: speaker is not a listed mention": 1,
        },
        "retyped_quotes": 0,
        "ambiguous": 0,
        "located": {  # how each kept span was found, by item id
            **{f"m{n}": "exact" for n in (1, 2, 3, 4, 5, 6, 8)},
            "m7": "normalised",
            "ev1": "exact",
            "ev2": "exact",
            "q1": "exact",
            "q1.cue": "exact",
            "q2": "fuzzy",
            "q2.cue": "exact",
        },
    }


def test_a_messy_answer_keeps_what_can_be_placed_and_counts_the_rest(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("messy")
    pred = extractor(replay, tmp_path).extract(doc)
    assert_valid(pred)
    assert spans(pred, "mentions") == [(0, 18, "PER"), (15, 24, "PER")]
    assert spans(pred, "events") == [(100, 108, "Conflict.Attack")]
    assert pred.events[0].arguments == ()
    assert spans(pred, "quotes") == [(42, 67, "direct")]  # asked as indirect; the marks say direct
    assert pred.quotes[0].cue is None
    assert without_cost(pred.meta["llm"]) == {
        "aligned": {"exact": 2, "fuzzy": 1, "normalised": 1},
        "dropped": {
            "events: argument is not a listed mention": 1,
            "events: trigger not found": 1,
            "mentions: duplicate span": 1,
            "mentions: item not matching the schema": 2,
            "mentions: text not found": 2,
            "quotes: content not found": 1,
            "quotes: cue not found": 1,
        },
        "retyped_quotes": 1,
        "ambiguous": 0,
        "located": {"ev1": "exact", "m1": "fuzzy", "m2": "normalised", "q1": "exact"},
    }


def test_a_code_fence_around_the_json_is_tolerated(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("fenced")
    assert len(extractor(replay, tmp_path).extract(doc).mentions) == 8


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("invalid_json", "the answer is not valid JSON"),
        ("schema_mismatch", "mentions, quotes must be a list"),
        ("not_an_object", "the answer is a JSON list, not an object"),
        ("truncated", "cut off at the token limit"),
    ],
)
def test_an_unusable_answer_fails_the_document_with_the_reason(
    serve: Any, tmp_path: Path, fixture: str, message: str
) -> None:
    replay, doc = serve(fixture)
    with pytest.raises(LLMResponseError, match=message):
        extractor(replay, tmp_path).extract(doc)
    assert not list((tmp_path / "cache").rglob("*.json"))  # a bad answer is asked again next time


@pytest.mark.parametrize(
    ("fixture", "waits"),
    [
        ("server_error_then_ok", 1),
        ("rate_limited_then_ok", 1),
        ("timeout_then_ok", 1),
    ],
)
def test_transient_failures_are_retried(serve: Any, tmp_path: Path, fixture: str, waits: int) -> None:
    replay, doc = serve(fixture)
    sleeps: list[float] = []
    pred = extractor(replay, tmp_path, sleeps).extract(doc)
    assert len(pred.mentions) == 8
    assert len(sleeps) == waits
    assert len(replay.requests) == 2


def test_retry_after_is_honoured(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("rate_limited_then_ok")
    sleeps: list[float] = []
    extractor(replay, tmp_path, sleeps).extract(doc)
    assert sleeps == [7.0]


def test_retries_are_bounded(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("always_overloaded")
    sleeps: list[float] = []
    with pytest.raises(LLMRequestError, match="gave up after 3 attempts; last: HTTP 503"):
        extractor(replay, tmp_path, sleeps).extract(doc)
    assert len(sleeps) == 2
    assert len(replay.requests) == 3


def test_a_refused_request_is_not_retried_and_the_key_is_not_repeated(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("unauthorized")
    sleeps: list[float] = []
    with pytest.raises(LLMRequestError, match="HTTP 401") as info:
        extractor(replay, tmp_path, sleeps).extract(doc)
    assert SECRET not in str(info.value)
    assert sleeps == []


def test_backoff_doubles_with_seeded_jitter() -> None:
    import random

    policy = RetryPolicy(max_retries=5, backoff=1.0, max_backoff=6.0)
    rng_a, rng_b = random.Random(3), random.Random(3)
    delays = [policy.delay(n, rng_a, None) for n in range(4)]
    assert delays == [policy.delay(n, rng_b, None) for n in range(4)]
    for n, (low, high) in enumerate([(0.5, 1.0), (1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]):
        assert low <= delays[n] <= high
    assert policy.delay(0, rng_a, 9.0) == 6.0  # Retry-After is capped too


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), (None, None), ("soon", None), ("Wed, 25 Nov 2026 16:00:30 GMT", 30.0)],
)
def test_retry_after_header_forms(header: str | None, seconds: float | None) -> None:
    now = 1795622400.0  # 2026-11-25 16:00:00 UTC
    assert parse_retry_after(header, now=now) == seconds


def test_a_second_extraction_is_served_from_the_cache(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("good")
    first = extractor(replay, tmp_path).extract(doc)
    second = extractor(replay, tmp_path).extract(doc)
    assert first == second
    assert len(replay.requests) == 1


def test_the_key_is_sent_as_a_header_and_written_nowhere(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("good")
    system = extractor(replay, tmp_path)
    pred = system.extract(doc)
    assert replay.requests[0]["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert replay.requests[0]["path"] == "/v1/chat/completions"
    assert SECRET not in json.dumps(replay.requests[0]["body"])
    assert SECRET not in json.dumps(pred.to_json())
    assert SECRET not in json.dumps(system.config)
    assert SECRET not in repr(vars(system))
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8")


def test_the_request_asks_for_json_constrained_by_the_answer_schema(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("good")
    extractor(replay, tmp_path).extract(doc)
    body = replay.requests[0]["body"]
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    mention = fmt["json_schema"]["schema"]["properties"]["mentions"]["items"]
    assert mention["required"] == ["text", "type", "kind", "occurrence", "entity"]
    assert (
        "Conflict.Attack"
        in fmt["json_schema"]["schema"]["properties"]["events"]["items"]["properties"]["type"]["enum"]
    )
    assert body["messages"][1]["content"].endswith(doc.text)
    assert (body["model"], body["temperature"], body["seed"]) == ("replay-model", 0.0, 0)


def test_unavailable_without_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSBENCH_LLM_BASE_URL", raising=False)
    monkeypatch.setenv("NEWSBENCH_LLM_MODEL", "some-model")
    status = LLMExtractor.availability()
    assert not status.available
    assert status.reason is not None and "(NEWSBENCH_LLM_BASE_URL unset)" in status.reason
    with pytest.raises(ValueError, match="no endpoint configured"):
        LLMExtractor()


def test_endpoint_and_model_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSBENCH_LLM_BASE_URL", "http://127.0.0.1:9/v1/")
    monkeypatch.setenv("NEWSBENCH_LLM_MODEL", "env-model")
    monkeypatch.setenv("NEWSBENCH_LLM_API_KEY", SECRET)
    assert LLMExtractor.availability().available
    system = LLMExtractor(cache_dir=tmp_path)
    assert (system.config["base_url"], system.config["model"]) == ("http://127.0.0.1:9/v1", "env-model")
    assert SECRET not in json.dumps(system.config)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/v1", "http:// or https://"),
        ("http://user:pw@example.org/v1", "must not carry credentials"),
        ("http://example.org/v1?key=abc", "must not carry credentials"),
    ],
)
def test_a_base_url_with_credentials_or_another_scheme_is_refused(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LLMExtractor(base_url=url, model="m")


def test_an_endpoint_that_never_answers_in_time_gives_up_saying_so(serve: Any, tmp_path: Path) -> None:
    replay, doc = serve("timeout_then_ok")
    with pytest.raises(LLMRequestError, match=r"gave up after 1 attempts; last: no answer within 0.5 s"):
        extractor(replay, tmp_path, max_retries=0).extract(doc)
