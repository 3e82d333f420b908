"""Sealed cache entries: the prediction cache and the model-answer cache open their entries one way, and a
torn, edited, misplaced or outdated entry of either is never served but recomputed, counted and reported
with its file and why; entries written before stay valid."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from docfactory import TEXT, valid_document
from fuzzkit import run_cli
from test_llm_extractor import extractor, serve  # noqa: F401  (serve is a fixture)

from newsbench import sealed
from newsbench.baselines.base import BaseExtractor
from newsbench.baselines.crf.training import model_problem
from newsbench.baselines.llm.cache import ResponseCache
from newsbench.digest import sha256_json
from newsbench.eval.run import forked
from newsbench.eval.run.cache import CacheKey, Entry, PredictionCache
from newsbench.eval.run.runner import run_systems
from newsbench.model import Document, Mention
from newsbench.spans import Span


class Named(BaseExtractor):
    """Predicts the first "Acme" as an ORG name, noting each document it is asked about."""

    name: ClassVar[str] = "named"
    version: ClassVar[str] = "1"
    calls: ClassVar[list[str]] = []

    def extract(self, document: Document) -> Document:
        self.calls.append(document.id)
        start = document.text.index("Acme")
        found = Mention("m1", (Span.of(document.text, start, start + 4),), "ORG", "NAM")
        return self.prediction(document, mentions=(found,))


@pytest.fixture(autouse=True)
def in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Named, "calls", [])
    monkeypatch.setattr(forked, "TRUSTED_MODULES", (*forked.TRUSTED_MODULES, __name__))


def _docs() -> list[Document]:
    return [Document.from_json(valid_document(i, f"{i}: {TEXT}")) for i in ("a", "b")]


def _torn(path: Path, other: Path) -> None:
    path.write_bytes(path.read_bytes()[:40])


def _edited(path: Path, other: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["prediction"]["mentions"][0]["type"] = "PER"
    path.write_text(json.dumps(data), encoding="utf-8")


def _another_keys(path: Path, other: Path) -> None:
    shutil.copyfile(other, path)


def _other_format(path: Path, other: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format"] = 2  # the digest does not cover the marker: only the marker is wrong
    path.write_text(json.dumps(data), encoding="utf-8")


def _no_verdict(path: Path, other: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["verdict"] = "fine"
    data["sha256"] = sha256_json({k: data[k] for k in ("key", "verdict", "prediction")})
    path.write_text(json.dumps(data), encoding="utf-8")


def _wrong_verdict(path: Path, other: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["prediction"]["mentions"][0]["spans"][0]["end"] += 1  # its text no longer matches: invalid
    data["sha256"] = sha256_json({k: data[k] for k in ("key", "verdict", "prediction")})
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_torn, "is not JSON"),
        (_edited, "does not match its digest (changed after it was written)"),
        (_another_keys, "is not the entry for this key"),
        (_other_format, "is of format 2, not 3 (written by another version)"),
        (_no_verdict, "does not hold a prediction with its verdict"),
        (_wrong_verdict, "holds a verdict the checks do not give its prediction"),
    ],
    ids=["torn", "edited", "another key", "other format", "no verdict", "wrong verdict"],
)
def test_a_damaged_prediction_entry_is_recomputed_reported_and_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: Callable[[Path, Path], None], reason: str
) -> None:
    cache = PredictionCache(tmp_path / "cache")
    first, _ = run_systems([Named()], _docs(), cache=cache)
    path, other = sorted((tmp_path / "cache").rglob("*.json"))
    damage(path, other)
    Named.calls.clear()
    again, work = run_systems([Named()], _docs(), cache=cache)
    assert (work.cached, work.extracted, work.unreadable_cache_entries, len(Named.calls)) == (1, 1, 1, 1)
    assert again[0].predictions == first[0].predictions
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"warning: prediction cache: {path} {reason}")
    assert line.endswith("; not used, recomputing")
    _, work = run_systems([Named()], _docs(), cache=PredictionCache(tmp_path / "cache"))
    assert (work.cached, work.unreadable_cache_entries, capsys.readouterr().err) == (2, 0, "")


def _usage_entry(path: Path) -> Path:
    """The entry beside an answer's: the cost of the same request, keyed apart."""
    return next(p for p in path.parent.parent.rglob("*.json") if p != path and "Lisbon" not in p.read_text())


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda path: path.write_bytes(path.read_bytes()[:30]), "is not JSON"),
        (
            lambda path: path.write_text(path.read_text().replace("Lisbon", "Madrid"), encoding="utf-8"),
            "does not match its digest (changed after it was written)",
        ),
        (lambda path: shutil.copyfile(_usage_entry(path), path), "is not the entry for this key"),
    ],
    ids=["torn", "edited", "another key"],
)
def test_a_damaged_llm_answer_is_asked_again_reported_and_replaced(
    serve: Any,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[Path], object],
    reason: str,
) -> None:
    replay, doc = serve("good")
    replay.responses *= 2
    first = extractor(replay, tmp_path).extract(doc)
    path = next(p for p in (tmp_path / "cache").rglob("*.json") if "Lisbon" in p.read_text(encoding="utf-8"))
    damage(path)
    asker = extractor(replay, tmp_path)
    second = asker.extract(doc)
    assert second.mentions == first.mentions and len(replay.requests) == 2
    assert asker._cache.bad == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"warning: llm response cache: {path} {reason}")
    assert line.endswith("; not used, asking again")
    assert extractor(replay, tmp_path).extract(doc).mentions == first.mentions
    assert len(replay.requests) == 2 and capsys.readouterr().err == ""  # the entry was replaced


def test_an_unwritable_llm_cache_costs_the_reuse_not_the_answer(
    serve: Any,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    replay, doc = serve("good")
    replay.responses *= 2
    (tmp_path / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    asker = extractor(replay, tmp_path)
    first = asker.extract(doc)
    assert first.mentions and asker._cache.unwritable == 2  # the answer and its cost
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"warning: llm response cache: cannot write {tmp_path / 'cache'}")
    assert line.endswith("; answers are used but not cached")
    assert asker.extract(doc).mentions == first.mentions and len(replay.requests) == 2


def test_entries_written_before_stay_valid(tmp_path: Path) -> None:
    """The bytes the caches wrote before their sealing was shared: same layout, same digest inputs."""
    key = CacheKey("rules", "1.0", "c" * 64, "d" * 64)
    predictions = PredictionCache(tmp_path / "p")
    predictions.path(key).parent.mkdir(parents=True)
    predictions.path(key).write_text(
        '{"format":3,"key":{"system":"rules","version":"1.0","config_hash":"' + "c" * 64 + '",'
        '"document_hash":"' + "d" * 64 + '"},"verdict":{"problem":null,"checked_by":"' + "f" * 64 + '"},'
        '"prediction":{"id":"doc-1","text":"Zoé","mentions":[]},'
        '"sha256":"f42b4ab1723dcdbdf6ba88daf13156361d52278bb1a9d5efdf42d306d92893e3"}\n',
        encoding="utf-8",
    )
    entry = Entry({"id": "doc-1", "text": "Zoé", "mentions": []}, None, "f" * 64)
    assert predictions.get(key) == entry
    written = predictions.path(key).read_bytes()
    predictions.put(key, entry)
    assert predictions.path(key).read_bytes() == written
    answers = ResponseCache(tmp_path / "llm")
    path = answers.path(answers.key("http://x/v1", "m", "p" * 64))
    path.parent.mkdir(parents=True)
    path.write_text(
        '{\n  "content": "Lisbon",\n  "endpoint": "http://x/v1",\n  "model": "m",\n'
        f'  "prompt_sha256": "{"p" * 64}",\n'
        '  "sha256": "438ba680cce903e6149818916a7e301a62254beddcca8829e89ee621039c83aa"\n}\n',
        encoding="utf-8",
    )
    assert answers.get("http://x/v1", "m", "p" * 64) == "Lisbon"
    written = path.read_bytes()
    answers.put("http://x/v1", "m", "p" * 64, "Lisbon")
    assert path.read_bytes() == written
    assert (predictions.unreadable, answers.bad) == (0, 0)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"format": 1, "key": "k", "sha256": ""}', "is of format 1, not 2 (written by another version)"),
        (b'{"key": "k", "value": 1}', "is of format None, not 2 (written by another version)"),
        (b"[1, 2]", "is not a cache entry (not a JSON object)"),
        (b'{"format": 2, "key": "k", "value": NaN, "sha256": ""}', "holds NaN or infinity"),
        (b'{"format": 2, "key": "k", "value": 1e400, "sha256": ""}', "holds NaN or infinity"),
        (b"\xff", "is not JSON"),
        (b"[" * 100_000, "is not JSON"),
    ],
    ids=["old format", "no format", "not an object", "NaN", "overflow", "not UTF-8", "too deep"],
)
def test_an_entry_that_cannot_be_served_gives_a_reason_never_an_exception(raw: bytes, reason: str) -> None:
    seal = sealed.Seal(covered=("key", "value"), format=2)
    opened = seal.open(raw, {"key": "k"})
    assert isinstance(opened, sealed.Unusable) and opened.reason.startswith(reason)
    assert seal.open(json.dumps(seal.seal({"key": "k", "value": 1})).encode(), {"key": "k"}) == {
        "format": 2,
        "key": "k",
        "value": 1,
        "sha256": sha256_json({"key": "k", "value": 1}),
    }


def test_a_cache_meeting_many_damaged_entries_lists_the_first_and_counts_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage = sealed.Damage("prediction cache", "recomputing")
    for n in range(sealed.LISTED + 5):
        damage.report(tmp_path / f"{n}.json", "is not JSON")
    lines = capsys.readouterr().err.splitlines()
    assert damage.count == sealed.LISTED + 5
    assert len(lines) == sealed.LISTED + 1
    assert lines[0] == f"warning: prediction cache: {tmp_path / '0.json'} is not JSON; not used, recomputing"
    assert "more damaged entries" in lines[-1] and "recomputing" in lines[-1]


def test_a_run_reports_a_damaged_entry_and_its_count_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = Path(__file__).resolve().parents[1] / "corpus" / "documents"
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(corpus.glob("*.json"))[:2]:
        (docs / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path / "cache"))
    args = ["run", "rules", "--corpus", str(docs), "--split", "all", "--out", str(tmp_path / "runs")]
    assert run_cli([*args, "--timeout", "0"]).code == 0
    entry = sorted((tmp_path / "cache" / "predictions").rglob("*.json"))[0]
    entry.write_bytes(entry.read_bytes()[:-20])
    done = run_cli([*args, "--timeout", "0"])
    assert done.code == 0 and "Traceback" not in done.stderr
    assert f"warning: prediction cache: {entry} is not JSON" in done.stderr
    assert "1 prediction from cache, 1 extracted; 1 unreadable cache entry recomputed" in done.stderr


def test_a_crf_model_whose_card_names_another_model_is_not_used(tmp_path: Path) -> None:
    model = tmp_path / f"crf-{'a' * 64}.crfsuite"
    model.write_bytes(b"model bytes")
    digest = hashlib.sha256(b"model bytes").hexdigest()
    card = model.with_suffix(".json")
    card.write_text(json.dumps({"key": "b" * 64, "model_sha256": digest}), encoding="utf-8")
    assert model_problem(model) == "has a card that is not the one for this model (copied or edited)"
    card.write_text(json.dumps({"key": "a" * 64, "model_sha256": digest}), encoding="utf-8")
    assert model_problem(model) is None
