"""Caches are checked on read and bounded in size: a damaged LLM answer or CRF model is never used (it is
reported, counted and recomputed, never fatal), and every cache root is pruned, oldest first, to its bound."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_crf import SMALL, TRAIN
from test_llm_extractor import extractor, serve  # noqa: F401  (serve is a fixture)

from newsbench import cachestore
from newsbench.baselines.crf.extractor import CRFExtractor
from newsbench.baselines.crf.training import model_problem, train
from newsbench.baselines.llm.cache import ResponseCache
from newsbench.problems import NewsbenchError


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if not p.name.startswith("."))


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: {**e, "content": e["content"].replace("Lisbon", "Madrid")},  # edited answer
        lambda e: {k: v for k, v in e.items() if k != "sha256"},  # no digest
        lambda e: {**e, "model": "another-model"},  # another request's entry
        lambda e: "not an entry",
    ],
    ids=["edited", "no digest", "wrong key", "not an object"],
)
def test_a_damaged_llm_answer_is_never_used_but_asked_again_and_reported(
    serve: Any,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Any,
) -> None:
    replay, doc = serve("good")
    replay.responses *= 2  # the server can answer twice
    first = extractor(replay, tmp_path).extract(doc)
    cache = tmp_path / "cache"
    answer = next(p for p in _entries(cache) if "Lisbon" in p.read_text(encoding="utf-8"))
    answer.write_text(json.dumps(damage(json.loads(answer.read_text()))), encoding="utf-8")
    second = extractor(replay, tmp_path).extract(doc)
    assert replace(second, meta={}) == replace(
        first, meta={}
    )  # the model's answer again, not the damaged one
    assert len(replay.requests) == 2
    assert "warning: llm response cache:" in capsys.readouterr().err
    third = extractor(replay, tmp_path)
    assert replace(third.extract(doc), meta={}) == replace(first, meta={})
    assert len(replay.requests) == 2  # the entry was rewritten


def test_a_torn_llm_cache_file_is_a_counted_miss(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache.put("http://x/v1", "m", "p" * 64, "content")
    path = cache.path(cache.key("http://x/v1", "m", "p" * 64))
    path.write_bytes(path.read_bytes()[:20])
    assert cache.get("http://x/v1", "m", "p" * 64) is None
    assert cache.bad == 1


def test_a_damaged_crf_model_is_retrained_with_a_warning_and_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path))
    model = train(TRAIN, SMALL)
    good = model.path.read_bytes()
    assert model_problem(model.path) is None
    model.path.write_bytes(good[:-10] + b"0123456789")
    extractor_ = CRFExtractor(model=model.key, max_iterations=30, stack_rules=False)
    with pytest.raises(NewsbenchError, match="does not match the digest"):
        extractor_.extract(TRAIN[0].blank())
    again = train(TRAIN, SMALL)
    assert "training it again" in capsys.readouterr().err
    assert again == model and model.path.read_bytes() == good  # byte-identical retraining
    model.path.with_suffix(".json").unlink()  # a model without its card is not trusted either
    assert model_problem(model.path) is not None


def _fill(root: Path, sizes: list[int]) -> list[Path]:
    paths = []
    for n, size in enumerate(sizes):
        path = root / "predictions" / f"{n:02d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        os.utime(path, (1_000_000 + n, 1_000_000 + n))  # older first
        paths.append(path)
    return paths


def test_caches_are_pruned_to_the_configured_bound_oldest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _fill(tmp_path, [400, 400, 400, 400])
    monkeypatch.setenv(cachestore.MAX_SIZE_ENV, "1000")
    assert cachestore.keep_bounded([tmp_path]) == (2, 800)
    assert [p.exists() for p in paths] == [False, False, True, True]
    monkeypatch.setenv(cachestore.MAX_SIZE_ENV, "unlimited")
    assert cachestore.keep_bounded([tmp_path]) == (0, 0)
    monkeypatch.delenv(cachestore.MAX_SIZE_ENV)
    assert cachestore.max_bytes() == cachestore.DEFAULT_MAX_BYTES
    monkeypatch.setenv(cachestore.MAX_SIZE_ENV, "lots")
    with pytest.raises(NewsbenchError, match="NEWSBENCH_CACHE_MAX_SIZE must be a size"):
        cachestore.max_bytes()


def test_temporary_files_of_killed_writers_are_removed_once_stale(tmp_path: Path) -> None:
    stale = tmp_path / "predictions" / "ab" / ".x.json.abc.tmp"
    fresh = tmp_path / "predictions" / "ab" / ".y.json.def.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_text("{", encoding="utf-8")
    fresh.write_text("{", encoding="utf-8")
    old = time.time() - 2 * cachestore.STALE_TMP_SECONDS
    os.utime(stale, (old, old))
    assert cachestore.remove_stale_tmp(tmp_path) == 1
    assert not stale.exists() and fresh.exists()  # a young one may belong to a writer at work


def test_two_processes_needing_the_same_model_train_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsbench.baselines.crf.training as training

    log = tmp_path / "fits.log"
    real_fit = training._fit

    def counted(*args: Any) -> None:
        with log.open("a", encoding="utf-8") as handle:
            handle.write("fit\n")
        real_fit(*args)

    monkeypatch.setattr(training, "_fit", counted)
    pids = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code = 1
            try:
                train(TRAIN, SMALL, root=tmp_path / "models")
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    assert [os.waitpid(pid, 0)[1] for pid in pids] == [0, 0]
    assert log.read_text(encoding="utf-8") == "fit\n"
    (model,) = (tmp_path / "models").glob("crf-*.crfsuite")
    assert model_problem(model) is None
    assert not [p for p in (tmp_path / "models").iterdir() if p.name.endswith(".tmp")]


def test_a_run_prunes_the_caches_to_the_bound_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fuzzkit import run_cli

    corpus = Path(__file__).resolve().parents[1] / "corpus" / "documents"
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(corpus.glob("*.json"))[:2]:
        (docs / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("NEWSBENCH_LLM_CACHE_DIR", str(tmp_path / "llm"))
    args = [
        "run",
        "rules",
        "--corpus",
        str(docs),
        "--split",
        "all",
        "--out",
        str(tmp_path / "runs"),
        "--timeout",
        "0",
    ]
    assert run_cli(args).code == 0
    assert len(_entries(tmp_path / "cache" / "predictions")) == 2  # under the default bound: kept
    monkeypatch.setenv(cachestore.MAX_SIZE_ENV, "1")
    assert "bound\t1 B, pruned after every run and bench" in run_cli(["cache", "info"]).stdout
    done = run_cli(args)
    assert done.code == 0 and "to stay under the size bound" in done.stderr
    assert _entries(tmp_path / "cache") == []
