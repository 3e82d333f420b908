"""The LLM API key never leaves in a redirect and never lands in a file, on success or error paths."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from docfactory import valid_document
from loopback import Loopback, Reply, Request

from newsbench.baselines.llm.client import ChatClient, LLMRequestError, RetryPolicy
from newsbench.cli import main
from newsbench.corpus_add import add_documents

MARKER = "sk-MARKER-" + "7f3a9c" * 8
"""A key long enough that a cut through its middle leaves a recognisable half."""


class Endpoint(Loopback):
    """A loopback server answering POSTs in turn from ``answers``: (status, headers, body)."""

    def __init__(self, answers: list[tuple[int, dict[str, str], str]], reason: str | None = None) -> None:
        self.answers = answers
        self.seen: list[dict[str, str]] = []
        super().__init__(self._answer, reason)

    def _answer(self, request: Request) -> Reply:
        self.seen.append(request.headers)
        status, headers, body = self.answers.pop(0) if self.answers else (500, {}, "")
        return Reply(status, body.encode("utf-8"), headers)


@pytest.fixture
def endpoints() -> Iterator[list[Endpoint]]:
    made: list[Endpoint] = []
    yield made
    for e in made:
        e.close()


def _files(root: Path) -> Iterator[Path]:
    return (p for p in root.rglob("*") if p.is_file())


def test_a_run_against_a_redirecting_and_echoing_endpoint_writes_the_key_nowhere(
    tmp_path: Path,
    endpoints: list[Endpoint],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    elsewhere = Endpoint([(200, {}, "{}")] * 4)
    echo = "x" * 250 + f" you sent Authorization: Bearer {MARKER}"  # the cut at 300 falls inside the key
    home = Endpoint(
        [
            (302, {"Location": f"{elsewhere.url}/v1/chat/completions"}, ""),
            # a 400 makes the llm system retry once without response_format: echo the key both times
            (400, {"Content-Type": "text/plain"}, echo),
            (400, {"Content-Type": "text/plain"}, echo),
        ]
    )
    endpoints += [elsewhere, home]
    docs = []
    for n in range(2):
        doc = valid_document(f"d{n}")
        doc["text"] += f" Note {n}."
        path = tmp_path / f"d{n}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        docs.append(path)
    add_documents(docs, tmp_path / "corpus", "test")
    monkeypatch.setenv("NEWSBENCH_LLM_BASE_URL", f"{home.url}/v1")
    monkeypatch.setenv("NEWSBENCH_LLM_MODEL", "marker-model")
    monkeypatch.setenv("NEWSBENCH_LLM_API_KEY", MARKER)
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("NEWSBENCH_LLM_CACHE_DIR", str(tmp_path / "cache" / "llm"))
    code = main(
        [
            "run",
            "llm",
            "--corpus",
            str(tmp_path / "corpus"),
            "--out",
            str(tmp_path / "runs"),
            "--timeout",
            "0",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 3, err  # both documents failed: a partial run, recorded
    assert all(h.get("Authorization") == f"Bearer {MARKER}" for h in home.seen)
    assert elsewhere.seen == []  # the redirect was not followed at all
    failures = (next((tmp_path / "runs").glob("run-*")) / "failures.jsonl").read_text(encoding="utf-8")
    assert "redirected (HTTP 302)" in failures and "HTTP 400" in failures
    written = list(_files(tmp_path))
    assert len(written) > 5
    for text in [out, err, *(p.read_bytes().decode("utf-8", "replace") for p in written)]:
        assert MARKER not in text
        assert MARKER[:12] not in text  # nor the part of it a cut at 300 characters would keep


SLASHED = "sk-MARKER/" + "7f3a+9c" * 7
"""A key with characters that JSON encoders and URLs write escaped."""


@pytest.mark.parametrize(
    ("status", "reason", "body"),
    [
        (401, f"Unauthorized for Bearer {SLASHED}", ""),
        (400, None, "x" * 250 + json.dumps({"you_sent": SLASHED}).replace("/", "\\/")),
        (400, None, "x" * 250 + json.dumps({"you_sent": SLASHED})),
        (400, None, "x" * 250 + urllib.parse.quote(SLASHED, safe="")),
        (400, None, "x" * 250 + urllib.parse.quote_plus(SLASHED)),
        (200, None, json.dumps({"choices": [{"message": {"content": "{}"}}], "echo": f"Bearer {SLASHED}"})),
    ],
    ids=["reason-phrase", "json-slash-escaped", "json", "url-quoted", "url-quoted-plus", "answer"],
)
def test_a_key_echoed_in_any_part_or_form_of_the_answer_is_redacted(
    endpoints: list[Endpoint], status: int, reason: str | None, body: str
) -> None:
    home = Endpoint([(status, {"Content-Type": "application/json"}, body)], reason)
    endpoints.append(home)
    client = ChatClient(home.url, SLASHED, timeout=5, retry=RetryPolicy(max_retries=0), seed=0)
    try:
        seen = json.dumps(client.complete({"model": "m"}))
    except LLMRequestError as exc:
        seen = str(exc)
    assert home.seen[0]["Authorization"] == f"Bearer {SLASHED}"
    assert "***" in seen
    for part in (SLASHED[3:15], SLASHED[-12:], "7f3a+9c7f3a", "7f3a%2B9c", "7f3a%2b9c"):
        assert part not in seen, seen
