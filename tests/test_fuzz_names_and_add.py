"""Fuzzing the safe-name function and ``newsbench add`` with generated input.

The default run keeps a small fixed budget (``FUZZ_EXAMPLES``); ``nox -s fuzz`` sets ``NEWSBENCH_FUZZ_EXAMPLES``
for a longer one. Whatever the input: names never escape or collide, and ``add`` either adds (and the
corpus validates) or refuses with a one-line error, never a traceback and never a broken corpus.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from docfactory import valid_document
from fuzzkit import JSON_VALUE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbench.cli import main
from newsbench.corpus import load_corpus
from newsbench.names import file_stem, is_reserved, name_problem

FUZZ_EXAMPLES = int(os.environ.get("NEWSBENCH_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=FUZZ_EXAMPLES <= 100,  # the default run is the same every time; long runs explore
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(st.lists(st.text(min_size=0, max_size=30), min_size=2, max_size=6, unique=True))
def test_file_stems_stay_in_their_folder_and_never_collide(names: list[str]) -> None:
    stems = [file_stem(n) for n in names]
    assert len(set(stems)) == len(stems)
    for stem in stems:
        assert "/" not in stem and "\\" not in stem and "\x00" not in stem
        assert stem not in ("", ".", "..") and not stem.startswith(".") and not stem.endswith(".")
        assert not is_reserved(stem)
        assert len(stem) <= 200


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*prefix, i))
    return found


BASE = valid_document("fuzz")
PATHS = _paths(BASE)[1:]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), JSON_VALUE), min_size=1, max_size=3))
def test_add_of_a_mutated_document_adds_or_refuses_cleanly(
    mutations: list[tuple[tuple[Any, ...], Any]],
) -> None:
    doc = copy.deepcopy(BASE)
    for path, value in mutations:
        target = doc
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.json"
        src.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
        corpus = Path(tmp) / "corpus"
        code = main(["add", str(src), "--corpus", str(corpus)])  # a traceback would raise out of main
        assert code in (0, 1)
        if code == 0:
            assert len(load_corpus(corpus)) == 1
            assert main(["validate", str(corpus)]) == 0
            assert name_problem(doc["id"]) is None
        else:
            assert not (corpus / "manifest.json").exists()


@pytest.mark.parametrize(
    ("doc_id", "reason"),
    [
        ("NUL", "must not be 'NUL': 'NUL' is a reserved device name on Windows"),
        ("com1.txt", "must not begin with 'com1.': 'com1' is a reserved device name on Windows"),
    ],
)
def test_an_id_that_cannot_name_a_file_is_refused_in_one_readable_sentence(
    doc_id: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert name_problem(doc_id) == reason
    src = tmp_path / "doc.json"
    src.write_text(json.dumps(valid_document(doc_id)), encoding="utf-8")
    assert main(["add", str(src), "--corpus", str(tmp_path / "c")]) == 1
    assert f"$.id: the id names a file, so it {reason}" in capsys.readouterr().err
