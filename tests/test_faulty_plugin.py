"""A third-party package registering a faulty extractor through the entry point is found, and its failures
stay isolated: one document raises, one hangs past ``--timeout``, one gets an invalid prediction; the other
documents and systems run and are scored, and ``newsbench run`` exits 3 (partial).

The package is built and pip-installed with ``--target`` into a temporary folder that only the child
``newsbench`` process sees (through PYTHONPATH), so the shared virtual environment is never modified -- other
test runs using it at the same time never see the faulty system.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from docfactory import TEXT, valid_document

PYPROJECT = """
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "newsbench-faulty-demo"
version = "0.0.1"

[project.entry-points."newsbench.extractors"]
faulty = "faulty_demo:FaultyExtractor"
faulty-exits = "faulty_exits_demo:Never"
faulty-hangs = "faulty_demo:HangsWhenChecked"
faulty-crashes = "faulty_demo:CrashesWhenChecked"
faulty-later = "faulty_demo:Later"

[tool.setuptools]
py-modules = ["faulty_demo", "faulty_exits_demo"]
"""

EXITS_MODULE = """
import posix

posix._exit(0)  # at import, past any guard on os._exit: ends whatever process imports it
"""

MODULE = '''
"""An extractor that fails in every way the runner must survive, chosen by document id."""

import ctypes
import time
from dataclasses import replace
from posix import _exit  # bound past any guard on os._exit

from newsbench.baselines.base import BaseExtractor
from newsbench.spans import Span
from newsbench.model import Mention


class FaultyExtractor(BaseExtractor):
    name = "faulty"
    version = "0.0.1"

    def extract(self, document):
        if document.id == "doc-raise":
            raise RuntimeError("the model crashed")
        if document.id == "doc-hang":
            time.sleep(600)
        if document.id == "doc-exit":
            _exit(0)
        if document.id == "doc-crash":
            ctypes.string_at(0)
        if document.id == "doc-invalid":
            bad = Mention("m1", (Span(0, 3, "???"),), "ORG", "NAM")
            return self.prediction(document, mentions=(bad,))
        return self.prediction(document)


class HangsWhenChecked(FaultyExtractor):
    @classmethod
    def availability(cls):
        time.sleep(600)


class CrashesWhenChecked(FaultyExtractor):
    @classmethod
    def availability(cls):
        ctypes.string_at(0)


class Later(FaultyExtractor):
    name = "faulty-later"  # read after the one that hangs: its answer still counts
'''

DOC_IDS = ("doc-fine", "doc-hang", "doc-invalid", "doc-raise")
PROBE_LIMIT = 10.0


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("faulty-src")
    (src / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (src / "faulty_demo.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    (src / "faulty_exits_demo.py").write_text(EXITS_MODULE, encoding="utf-8")
    target = tmp_path_factory.mktemp("faulty-site")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(src)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"could not pip-install the throwaway plug-in:\n{done.stdout}\n{done.stderr}")
    return target


def newsbench(args: list[str], plugin: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), os.environ.get("PYTHONPATH", "")])}
    env["NEWSBENCH_CACHE"] = str(cwd / "cache")
    env["NEWSBENCH_DISCOVERY_TIMEOUT"] = str(PROBE_LIMIT)
    return subprocess.run(
        [sys.executable, "-m", "newsbench.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_the_entry_point_plugins_are_listed_and_broken_ones_are_unavailable_with_the_reason(
    plugin_path: Path, tmp_path: Path
) -> None:
    started = time.monotonic()
    done = newsbench(["systems"], plugin_path, tmp_path)
    assert time.monotonic() - started < PROBE_LIMIT + 30  # the hanging check was stopped
    assert done.returncode == 0, done.stderr
    rows = {ln.split()[0]: ln for ln in done.stdout.splitlines()[2:]}
    assert rows["faulty"].split()[1:3] == ["0.0.1", "yes"]
    assert rows["rules"].split()[2] == "yes"  # the broken plug-ins silence nothing else
    assert rows["faulty-later"].split()[1:3] == ["0.0.1", "yes"]
    assert "ended the process (exit code 0)" in rows["faulty-exits"]
    assert f"did not finish within {PROBE_LIMIT:g} s" in rows["faulty-hangs"]
    assert "ended the process (killed by signal SIGSEGV)" in rows["faulty-crashes"]


def test_a_run_never_loads_the_plugins_it_does_not_use(plugin_path: Path, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, ("doc-fine",))
    started = time.monotonic()
    done = newsbench(
        ["run", "rules", "--corpus", str(corpus), "--split", "all", "--timeout", "0"], plugin_path, tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < PROBE_LIMIT  # the hanging plug-in was not even checked


def test_a_plugin_ending_its_process_without_a_pool_fails_only_that_document(
    plugin_path: Path, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path, ("doc-crash", "doc-exit", "doc-fine", "doc-raise"))
    done = newsbench(
        ["run", "faulty", "--corpus", str(corpus), "--split", "all", "--timeout", "0"], plugin_path, tmp_path
    )
    assert done.returncode == 3, done.stderr  # partial, never 0 with nothing written
    (folder,) = (tmp_path / "runs").iterdir()
    failures = [
        json.loads(line) for line in (folder / "failures.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert {f["doc_id"]: f["reason"] for f in failures} == {
        "doc-crash": "the system ended its process (killed by signal SIGSEGV)",
        "doc-exit": "the system ended its process (exit code 0)",
        "doc-raise": "RuntimeError: the model crashed",
    }
    assert len((folder / "predictions" / "faulty.jsonl").read_text(encoding="utf-8").splitlines()) == 4


def _corpus(tmp_path: Path, ids: tuple[str, ...]) -> Path:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for doc_id in ids:
        data = valid_document(doc_id, f"{doc_id} {TEXT}")
        (corpus / f"{doc_id}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return corpus


def test_each_kind_of_failure_is_isolated_recorded_and_makes_the_run_partial(
    plugin_path: Path, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path, DOC_IDS)
    args = [
        "run",
        "faulty",
        "oracle",
        "--corpus",
        str(corpus),
        "--split",
        "all",
        "--timeout",
        "10",
        "--jobs",
        "2",
    ]
    done = newsbench([*args, "--out", "runs"], plugin_path, tmp_path)
    assert done.returncode == 3, done.stderr
    assert "partial" in done.stderr
    (folder,) = (tmp_path / "runs").iterdir()

    failures = [
        json.loads(line) for line in (folder / "failures.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [(f["system"], f["doc_id"], f["kind"]) for f in failures] == [
        ("faulty", "doc-hang", "timeout"),
        ("faulty", "doc-invalid", "invalid"),
        ("faulty", "doc-raise", "error"),
    ]
    reasons = {f["doc_id"]: f["reason"] for f in failures}
    assert reasons["doc-raise"] == "RuntimeError: the model crashed"
    assert reasons["doc-hang"] == "no prediction within the 10 s timeout"
    assert "stored text '???' differs from the text at [0, 3)" in reasons["doc-invalid"]

    summary = {
        s["name"]: s for s in json.loads((folder / "summary.json").read_text(encoding="utf-8"))["systems"]
    }
    assert summary["faulty"]["failures_by_kind"] == {"error": 1, "invalid": 1, "timeout": 1}
    assert (summary["oracle"]["failures"], summary["oracle"]["scores"]["entities"]["f1"]) == (0, 1)

    lines = (folder / "predictions" / "faulty.jsonl").read_text(encoding="utf-8").splitlines()
    predictions = [json.loads(line) for line in lines]
    assert [p["id"] for p in predictions] == sorted(DOC_IDS)
    flagged = {p["id"]: p.get("meta", {}).get("newsbench_failure", {}).get("kind") for p in predictions}
    assert flagged == {
        "doc-fine": None,
        "doc-hang": "timeout",
        "doc-invalid": "invalid",
        "doc-raise": "error",
    }
    assert all(p["mentions"] == [] for p in predictions)
    stats = [json.loads(line) for line in (folder / "documents" / "faulty.jsonl").read_text().splitlines()]
    assert [s["status"] for s in stats] == ["ok", "failed", "failed", "failed"]
