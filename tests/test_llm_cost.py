"""The ``llm`` system's cost and failure columns against a loopback OpenAI-style server with scripted trouble:
the counts (failed documents, unparsed answers, strings located, ambiguous and not found, tokens, cost) are
exactly what the server served. A second server refuses ``response_format`` as servers without structured
output do, and the system falls back to the JSON its prompt describes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loopback import Loopback, Reply, Request, json_reply

from newsbench.baselines.llm import LLMExtractor
from newsbench.eval.bench.cost import TokenPrice, system_cost
from newsbench.eval.run.runner import run_systems
from newsbench.model import Document


def answer(mentions: list[tuple[str, int | None]], content: str | None = None) -> dict[str, Any]:
    """A chat completion whose content lists ``(text, occurrence)`` as PER names, or is ``content``."""
    items = [
        {"text": text, "type": "PER", "kind": "NAM", "occurrence": occ or 0, "entity": text}
        for text, occ in mentions
    ]
    body = content if content is not None else json.dumps({"mentions": items, "events": [], "quotes": []})
    return {
        "choices": [{"message": {"role": "assistant", "content": body}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100},
    }


class Scripted(Loopback):
    """Answers by article: each document id (the article's first word) has its own list of replies."""

    def __init__(self, script: dict[str, list[dict[str, Any]]], refuse_format: bool = False) -> None:
        self.script = {k: list(v) for k, v in script.items()}
        self.bodies: list[dict[str, Any]] = []
        self.refuse_format = refuse_format
        super().__init__(self._answer)
        self.base_url = f"{self.url}/v1"

    def _answer(self, request: Request) -> Reply:
        body = request.json()
        self.bodies.append(body)
        article = body["messages"][-1]["content"].split("Article:\n\n", 1)[-1]
        if self.refuse_format and "response_format" in body:
            reply: dict[str, Any] = {"status": 400, "body": {"error": "response_format unsupported"}}
        else:
            reply = self.script[article.split()[0]].pop(0)
        return json_reply(reply["body"], reply["status"], reply.get("headers"), reply.get("delay", 0))


@pytest.fixture
def servers() -> Iterator[list[Scripted]]:
    started: list[Scripted] = []
    yield started
    for server in started:
        server.close()


def doc(doc_id: str) -> Document:
    return Document(id=doc_id, text=f"{doc_id} Kim met Lee. Later Kim left.")


def llm(server: Scripted, tmp_path: Path) -> LLMExtractor:
    return LLMExtractor(
        base_url=server.base_url,
        model="scripted",
        timeout=0.5,
        max_retries=1,
        cache_dir=tmp_path / "responses",
        sleep=lambda _: None,
    )


def ok(reply: dict[str, Any]) -> dict[str, Any]:
    return {"status": 200, "body": reply}


def test_the_cost_columns_count_what_the_server_served(servers: list[Scripted], tmp_path: Path) -> None:
    server = Scripted(
        {
            # Kim twice without an occurrence (ambiguous), Lee once, and a name nowhere in the text.
            "a": [ok(answer([("Kim", None), ("Lee", 1), ("Nobody Here", 1)]))],
            # Rate-limited once, then answered: still one document, one answer's tokens.
            "b": [{"status": 429, "body": {}, "headers": {"Retry-After": "0"}}, ok(answer([("Kim", 2)]))],
            # An answer that is not JSON at all, twice: the document fails as unparsed.
            "c": [ok(answer([], content="{not json"))],
            # Slower than the 0.5 s timeout on both tries: the document fails, no answer.
            "d": [{"status": 200, "body": answer([]), "delay": 1.0}] * 2,
        }
    )
    servers.append(server)
    (run,), _ = run_systems([llm(server, tmp_path)], [doc(i) for i in "abcd"])
    failed = {o.doc_id: o.failure.reason for o in run.failures if o.failure}
    assert set(failed) == {"c", "d"}
    assert "not valid JSON" in failed["c"] and "within 0.5 s" in failed["d"]
    cost = system_cost(run, TokenPrice.parse("2,10"))
    assert cost == {
        "documents": 4,
        "documents_failed": 2,
        "unparsed_responses": 1,
        "strings_located": 3,  # Kim and Lee in a, Kim in b
        "strings_ambiguous": 1,  # a's Kim: two places, no occurrence given
        "strings_not_found": 1,  # a's "Nobody Here"
        "prompt_tokens": 3000,  # a, b and c's unparsed answer (its tokens were spent); d had no answer
        "completion_tokens": 300,
        "seconds": cost["seconds"],
        "cost": round(3000 * 2e-6 + 300 * 10e-6, 6),
    }
    assert cost["seconds"] is not None and cost["seconds"] >= 0
    located = {o.doc_id: o.prediction.meta["llm"]["located"] for o in run.outcomes if not o.failure}
    assert located == {"a": {"m1": "exact", "m2": "exact"}, "b": {"m1": "exact"}}


def test_a_system_without_meta_has_no_string_or_token_figures(
    servers: list[Scripted], tmp_path: Path
) -> None:
    from newsbench.baselines.sanity import EmptyExtractor

    (run,), _ = run_systems([EmptyExtractor()], [doc("a")])
    cost = system_cost(run, TokenPrice.parse("1"))
    assert cost["documents"] == 1 and cost["documents_failed"] == 0
    assert [cost[k] for k in ("strings_located", "prompt_tokens", "seconds", "cost")] == [None] * 4


def test_a_server_without_structured_output_gets_the_prompt_described_json(
    servers: list[Scripted], tmp_path: Path
) -> None:
    server = Scripted({"a": [ok(answer([("Lee", 1)]))]}, refuse_format=True)
    servers.append(server)
    pred = llm(server, tmp_path).extract(doc("a"))
    assert [m.text for m in pred.mentions] == ["Lee"]
    assert pred.meta["llm"]["structured_output"] is False
    assert ["response_format" in b for b in server.bodies] == [True, False]


def test_refusals_of_response_format_are_neither_failures_nor_unparsed_answers(
    servers: list[Scripted], tmp_path: Path
) -> None:
    server = Scripted({"a": [ok(answer([("Lee", 1)]))], "b": [ok(answer([], content="[1, 2]"))]}, True)
    servers.append(server)
    (run,), _ = run_systems([llm(server, tmp_path)], [doc("a"), doc("b")])
    cost = system_cost(run)
    assert ["response_format" in b for b in server.bodies] == [True, False, False]  # refused once only
    assert (cost["documents_failed"], cost["unparsed_responses"], cost["strings_located"]) == (1, 1, 1)
    assert (cost["prompt_tokens"], cost["completion_tokens"]) == (2000, 200)  # b's JSON array still cost
