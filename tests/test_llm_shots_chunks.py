"""The ``llm`` prompt's few-shot examples come from the train split alone, travel with the system to workers and
key its cache; long articles are asked about in overlapping chunks whose answers land at document offsets,
each item once. A loopback server plays the model: it answers every request by finding the names it knows in
the article it was sent, as a careful model would.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from loopback import Loopback, Reply, Request, json_reply

from newsbench.baselines.llm import LLMExtractor
from newsbench.baselines.llm.answer import to_layers
from newsbench.baselines.llm.chunks import chunks
from newsbench.baselines.llm.shots import choose, gold_answer
from newsbench.cli import main
from newsbench.corpus import load_corpus
from newsbench.eval.bench.cost import system_cost
from newsbench.eval.run.runner import SystemSpec, run_systems
from newsbench.eval.run.workers import Recipe
from newsbench.model import Document
from newsbench.problems import NewsbenchError

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
NAMES = ("Kim", "Lee", "Park")


class NameModel(Loopback):
    """Answers each article with every whole-word occurrence of :data:`NAMES` in it, counted in that article."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.garble: str | None = None
        """An article containing this string is answered with content that is not JSON."""
        super().__init__(self._answer)
        self.base_url = f"{self.url}/v1"

    def _answer(self, request: Request) -> Reply:
        body = request.json()
        with self.lock:
            self.bodies.append(body)
        article = body["messages"][-1]["content"].split("Article:\n\n", 1)[1]
        mentions = []
        for name in NAMES:
            for n, _ in enumerate(re.finditer(rf"\b{name}\b", article), 1):
                mentions.append({"text": name, "type": "PER", "kind": "NAM", "occurrence": n, "entity": name})
        content = json.dumps({"mentions": mentions, "events": [], "quotes": []})
        if self.garble is not None and self.garble in article:
            content = "{not json"
        return json_reply(
            {
                "choices": [{"message": {"content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5},
            }
        )


@pytest.fixture
def model() -> Iterator[NameModel]:
    served = NameModel()
    yield served
    served.close()


def llm(model: NameModel, tmp_path: Path, **config: Any) -> LLMExtractor:
    return LLMExtractor(base_url=model.base_url, model="names", cache_dir=tmp_path / "answers", **config)


# --- chunks ---------------------------------------------------------------------------------------------


def test_chunks_cover_the_text_overlap_and_start_on_words() -> None:
    text = " ".join(f"word{i}." if i % 7 == 6 else f"word{i}" for i in range(400))
    cut = chunks(text, 300, 60)
    assert len(cut) > 5
    assert cut[0][0] == 0 and cut[-1][0] + len(cut[-1][1]) == len(text)
    for (start, chunk), (following, _) in pairwise(cut):
        assert text[start : start + len(chunk)] == chunk and len(chunk) <= 300
        assert start < following < start + len(chunk)  # the next chunk starts inside this one: an overlap
        assert text[following - 1] == " "  # on a word's first letter
    assert chunks("short", 300, 60) == [(0, "short")] and chunks(text, 0, 0) == [(0, text)]


def test_an_overlap_of_half_a_chunk_or_more_is_refused() -> None:
    with pytest.raises(ValueError, match="less than half"):
        chunks("x" * 100, 40, 20)


def test_a_long_article_is_asked_in_chunks_and_each_name_is_placed_once(
    model: NameModel, tmp_path: Path
) -> None:
    sentences = [f"{NAMES[i % 3]} spoke with {NAMES[(i + 1) % 3]} on day {i}." for i in range(60)]
    text = " ".join(sentences)
    doc = Document(id="long", text=text)
    (run,), _ = run_systems([llm(model, tmp_path, chunk_chars=400, chunk_overlap=120)], [doc])
    (prediction,) = run.predictions
    expected = sorted((m.start(), m.end()) for name in NAMES for m in re.finditer(rf"\b{name}\b", text))
    assert [(m.start, m.end) for m in prediction.mentions] == expected  # all of them, each once
    assert all(text[m.start : m.end] == m.text for m in prediction.mentions)
    report = prediction.meta["llm"]
    assert report["chunks"] == len(model.bodies) == len(chunks(text, 400, 120)) > 1
    overlapped = sum(len(c) for _, c in chunks(text, 400, 120)) - len(text)
    assert report["merged_across_chunks"] > 0 and overlapped > 0
    assert report["dropped"] == {}  # merged items are not dropped ones
    assert report["usage"]["prompt_tokens"] == 10 * report["chunks"]


def test_a_chunk_that_does_not_parse_fails_the_document_with_every_token_counted(
    model: NameModel, tmp_path: Path
) -> None:
    text = " ".join(f"{NAMES[i % 3]} spoke on day {i}." for i in range(60))
    cut = chunks(text, 400, 120)
    model.garble = "day 40."  # in a later chunk: the earlier ones were answered (and paid for)
    garbled = next(n for n, (_, c) in enumerate(cut) if model.garble in c)
    (run,), _ = run_systems([llm(model, tmp_path, chunk_chars=400, chunk_overlap=120)], [Document("g", text)])
    (failed,) = run.failures
    assert failed.failure is not None and "not valid JSON" in failed.failure.reason
    cost = system_cost(run)
    assert len(model.bodies) == garbled + 1  # it stopped at the chunk that did not parse
    assert (cost["documents_failed"], cost["unparsed_responses"]) == (1, 1)
    assert (cost["prompt_tokens"], cost["completion_tokens"]) == (10 * (garbled + 1), 5 * (garbled + 1))
    assert failed.prediction.meta["newsbench_failure"]["details"]["unparsed"] == 1


def test_a_short_article_is_one_request_without_a_chunk_count(model: NameModel, tmp_path: Path) -> None:
    (run,), _ = run_systems([llm(model, tmp_path)], [Document(id="s", text="Kim met Lee.")])
    assert len(model.bodies) == 1 and "chunks" not in run.predictions[0].meta["llm"]


# --- few-shot examples ----------------------------------------------------------------------------------


def test_examples_are_chosen_deterministically_within_the_size_bound() -> None:
    train = load_corpus(CORPUS).split("train")
    first = choose(train, 3, 900, seed=0)
    assert [e.id for e in first] == [e.id for e in choose(list(reversed(train)), 3, 900, seed=0)]
    assert len(first) == 3 and all(len(e.text) <= 900 for e in first)
    assert [e.id for e in first] == sorted(e.id for e in first)
    assert choose(train, 0, 900, seed=0) == [] and choose(train, 3, 10, seed=0) == []


def test_a_gold_answer_reads_back_to_the_gold_mentions() -> None:
    doc = min(load_corpus(CORPUS).split("train"), key=lambda d: len(d.text))
    layers, stats = to_layers(doc.text, gold_answer(doc), 0.85)
    single = {(m.start, m.end, m.type, m.kind) for m in doc.mentions if len(m.spans) == 1}
    assert {(m.start, m.end, m.type, m.kind) for m in layers.mentions} == single
    assert stats.dropped.get("mentions: text not found", 0) == 0 and stats.ambiguous == 0


def test_the_examples_are_in_the_prompt_and_key_the_cache(model: NameModel, tmp_path: Path) -> None:
    train = load_corpus(CORPUS).split("train")
    shot = LLMExtractor.trained(train, base_url=model.base_url, model="names", shot_max_chars=900)
    ids = shot.config["examples"]["ids"]
    assert len(ids) == 2
    messages = shot.payload("Kim met Lee.")["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant", "user"]
    by_id = {d.id: d for d in train}
    assert messages[1]["content"].endswith(by_id[ids[0]].text)
    assert json.loads(messages[2]["content"]) == gold_answer(by_id[ids[0]])
    plain = LLMExtractor(base_url=model.base_url, model="names")
    three = LLMExtractor.trained(train, base_url=model.base_url, model="names", shot_max_chars=900, shots=3)
    hashes = {SystemSpec.of(x).config_hash for x in (shot, plain, three)}
    assert len(hashes) == 3  # other examples, another prediction-cache key


def test_the_examples_travel_to_workers_and_are_checked_there(model: NameModel) -> None:
    train = load_corpus(CORPUS).split("train")
    shot = LLMExtractor.trained(train, base_url=model.base_url, model="names")
    rebuilt = Recipe.of(shot).build()
    assert isinstance(rebuilt, LLMExtractor)
    assert rebuilt.payload("Kim.") == shot.payload("Kim.")
    tampered = json.loads(shot.recipe_extras()["examples_json"])
    tampered[0]["text"] += " changed"
    with pytest.raises(NewsbenchError, match="do not match"):
        LLMExtractor(**shot.config, examples_json=json.dumps(tampered))
    with pytest.raises(ValueError, match="were not given"):
        LLMExtractor(**shot.config)


def test_a_run_on_test_never_puts_dev_or_test_text_in_the_prompt(
    model: NameModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(CORPUS)
    monkeypatch.setenv("NEWSBENCH_LLM_BASE_URL", model.base_url)
    monkeypatch.setenv("NEWSBENCH_LLM_MODEL", "names")
    monkeypatch.setenv("NEWSBENCH_LLM_CACHE_DIR", str(tmp_path / "answers"))
    args = ["run", "llm", "--corpus", str(CORPUS), "--out", str(tmp_path / "runs"), "--timeout", "0"]
    assert main([*args, "--cache", str(tmp_path / "p"), "--split", "test"]) == 0
    held_out = [d.text for split in ("dev", "test") for d in corpus.split(split)]
    train = {d.text for d in corpus.split("train")}
    assert len(model.bodies) == len(corpus.split("test"))
    for body in model.bodies:
        *prompt, article = body["messages"]
        shown = json.dumps(prompt, ensure_ascii=False)
        assert not [t for t in held_out if t in shown or t[:60] in shown]
        assert article["content"].split("Article:\n\n", 1)[1] in held_out
        examples = [m["content"].split("Article:\n\n", 1)[1] for m in prompt if m["role"] == "user"]
        assert len(examples) == 2 and all(e in train for e in examples)
    model.bodies.clear()
    assert main([*args, "--cache", str(tmp_path / "q"), "--split", "train"]) == 0
    assert all(len(b["messages"]) == 2 for b in model.bodies)  # no examples when running on train itself
