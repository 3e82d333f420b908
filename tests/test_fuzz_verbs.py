"""Fuzzing ``validate``, ``import`` (every format), ``score`` and ``agree`` with generated input.

Whatever the input, a verb exits 0, or refuses with one-line ``error:`` messages naming the file (exit 1; an
option argparse refuses exits 2): never a traceback. What ``validate`` or ``import`` accepts is a valid
document, which ``add`` takes and ``validate`` passes again. The budget is in :mod:`fuzzkit`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from docfactory import valid_document
from evalfactory import prediction
from fuzzkit import (
    FUZZ,
    SMALL,
    TOKEN,
    assert_clean_refusal,
    encode,
    json_mutations,
    mutated,
    run_cli,
    text_mutations,
)
from hypothesis import given
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
BASE = valid_document("fuzz")
PREDICTION = prediction(BASE)


def _write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode(json.dumps(data, ensure_ascii=False, allow_nan=True)))
    return path


def _accepted_documents_are_valid(folder: Path, tmp: Path) -> None:
    """What a verb accepted goes into a corpus with ``add``, and the corpus validates."""
    assert run_cli(["add", str(folder), "--corpus", str(tmp / "corpus")]).code == 0
    assert run_cli(["validate", str(tmp / "corpus")]).code == 0


@FUZZ
@given(json_mutations(BASE))
def test_validate_of_a_mutated_document_passes_only_what_add_accepts(mutations: list[Any]) -> None:
    doc = mutated(BASE, mutations)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        src = _write_json(tmp / "docs" / "doc.json", doc)
        outcome = run_cli(["validate", str(src)])
        if outcome.code == 0:
            _accepted_documents_are_valid(src.parent, tmp)
        else:
            assert_clean_refusal(outcome, str(src))


@FUZZ
@given(st.binary(max_size=200) | st.sampled_from([b"[" * 100_000, b"{}" * 3, b"\xef\xbb\xbf{}", b"1e999"]))
def test_validate_of_arbitrary_bytes_refuses_cleanly(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        src = Path(name) / "doc.json"
        src.write_bytes(raw)
        outcome = run_cli(["validate", str(src)])
        assert_clean_refusal(outcome, str(src))


def _exported(fmt: str) -> dict[str, bytes]:
    """The base document exported to ``fmt``: file name -> bytes, the seed of that format's fuzzing."""
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        src = _write_json(tmp / "src" / "fuzz.json", BASE)
        assert run_cli(["export", fmt, "--out", str(tmp / "out"), str(src)]).code == 0
        return {
            p.name: p.read_bytes()
            for p in sorted((tmp / "out").iterdir())
            if p.is_file() and p.name != "export-notes.json" and p.suffix != ".conf"
        }


def _fixture(*names: str) -> dict[str, bytes]:
    return {Path(n).name: (FIXTURES / n).read_bytes() for n in names}


SEEDS: dict[str, tuple[dict[str, bytes], list[str]]] = {
    "brat": (_exported("brat"), ["--drop-unknown"]),
    "brat-fixture": (_fixture("brat/polnear.txt", "brat/polnear.ann"), ["--drop-unknown"]),
    "conll": (_exported("conll"), []),
    "labelstudio": (_exported("labelstudio"), ["--drop-unknown"]),
    "labelstudio-fixture": (
        _fixture("labelstudio/foreign.json"),
        ["--drop-unknown", "--default-kind", "NAM"],
    ),
    "webanno": (_fixture("webanno/ner_chain.tsv"), ["--typemap", "inception-ner", "--drop-unknown"]),
    "cat": (_fixture("cat/small.xml"), ["--drop-unknown"]),
}


def test_every_import_format_has_a_fuzzed_seed() -> None:
    from newsbench.formats.registry import IMPORT_FORMATS

    assert {s.split("-")[0] for s in SEEDS} == set(IMPORT_FORMATS)
    assert all(files for files, _ in SEEDS.values())


@st.composite
def _import_case(draw: st.DrawFn) -> tuple[str, dict[str, bytes], list[str]]:
    seed = draw(st.sampled_from(sorted(SEEDS)))
    files, options = SEEDS[seed]
    chosen = draw(st.sampled_from(sorted(files)))
    text = files[chosen].decode("utf-8")
    if chosen.endswith(".json") and draw(st.booleans()):
        data = json.loads(text)
        changed = json.dumps(mutated(data, draw(json_mutations(data))), ensure_ascii=False, allow_nan=True)
    else:
        changed = draw(text_mutations(text))
    return seed.split("-")[0], {**files, chosen: encode(changed)}, options


@SMALL
@given(_import_case())
def test_import_of_a_mutated_file_writes_valid_documents_or_refuses_cleanly(
    case: tuple[str, dict[str, bytes], list[str]],
) -> None:
    fmt, files, options = case
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        src = tmp / "src"
        src.mkdir()
        for file_name, raw in files.items():
            (src / file_name).write_bytes(raw)
        out = tmp / "out"
        outcome = run_cli(["import", fmt, str(src), "--out", str(out), *options])
        if outcome.code == 0:
            assert run_cli(["validate", str(out)]).code == 0
            _accepted_documents_are_valid(out, tmp)
        else:  # the source folder, or the source file a document came from
            assert_clean_refusal(outcome, str(src), *(f"imported from {n}" for n in files))


@pytest.fixture(scope="module")
def gold_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-gold")
    _write_json(folder / "fuzz.json", BASE)
    return folder


@SMALL
@given(json_mutations(PREDICTION))
def test_score_of_a_mutated_prediction_scores_or_refuses_cleanly(
    gold_folder: Path, mutations: list[Any]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        pred = _write_json(Path(name) / "pred" / "fuzz.json", mutated(PREDICTION, mutations))
        outcome = run_cli(
            ["score", "--gold", str(gold_folder), "--pred", str(pred.parent), "--bootstrap", "5"]
        )
        if outcome.code != 0:
            assert_clean_refusal(outcome, str(pred))


OPTION_VALUES = TOKEN | st.sampled_from(
    [
        "0.5",
        "1",
        "1.5",
        "inf",
        "-inf",
        "nan",
        "entities",
        "NAM,XYZ",
        ",",
        "5",
        "PER,ORG",
        "PER,Conflict.Attack",
        "test",
        "all",
    ]
)
SCORE_OPTIONS = [
    "--tasks",
    "--mention-kinds",
    "--overlap",
    "--partial",
    "--args",
    "--bootstrap",
    "--seed",
    "--types",
    "--split",
]
AGREE_OPTIONS = [
    "--tasks",
    "--mention-kinds",
    "--overlap",
    "--partial",
    "--typemap",
    "--format",
    "--format-b",
]


@SMALL
@given(st.lists(st.tuples(st.sampled_from(SCORE_OPTIONS), OPTION_VALUES), min_size=1, max_size=3))
def test_score_with_odd_options_scores_or_refuses_cleanly(
    gold_folder: Path, options: list[tuple[str, str]]
) -> None:
    args = [part for option, value in options for part in (option, value)]
    if "--bootstrap" not in args:
        args += ["--bootstrap", "5"]
    outcome = run_cli(["score", "--gold", str(gold_folder), "--pred", str(gold_folder), *args])
    if outcome.code != 0:
        assert_clean_refusal(outcome)


@SMALL
@given(json_mutations(BASE), st.lists(st.tuples(st.sampled_from(AGREE_OPTIONS), OPTION_VALUES), max_size=2))
def test_agree_on_a_mutated_side_and_odd_options_measures_or_refuses_cleanly(
    gold_folder: Path, mutations: list[Any], options: list[tuple[str, str]]
) -> None:
    args = [part for option, value in options for part in (option, value)]
    with tempfile.TemporaryDirectory() as name:
        side = _write_json(Path(name) / "b" / "fuzz.json", mutated(BASE, mutations))
        outcome = run_cli(["agree", str(gold_folder), str(side.parent), *args])
        if outcome.code != 0:
            assert_clean_refusal(outcome)
