"""``newsbench bench``: the suite file, skipped systems and tracks, the leaderboard, and the cached rerun."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import REPO, snapshot
from docfactory import TEXT, valid_document, write_documents

from newsbench.baselines.base import BaseExtractor
from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.cli import main
from newsbench.corpus_add import add_documents
from newsbench.eval.bench.benchmark import RunSettings, run_suite
from newsbench.eval.bench.leaderboard import render_html, render_markdown
from newsbench.eval.bench.suite import default_suite_path, load_suite
from newsbench.eval.run.cache import PredictionCache
from newsbench.extractor import Availability
from newsbench.model import Document
from newsbench.problems import NewsbenchError
from newsbench.registry import SystemEntry

SUITE = """
name = "mini"
version = "2"
[[corpus]]
name = "tiny"
path = "corpus"
split = "test"
tasks = ["entities", "quotes"]
[options]
bootstrap = 20
[leaderboard]
entities = "strict"
events = "trigger_classification"
quotes = "end_to_end"
"""


def bench_folder(out: Path) -> Path:
    (folder,) = out.iterdir()
    return folder


def bundled_only_suite(tmp_path: Path) -> Path:
    """The standard suite without its external tracks (run in their own test), its corpus path absolute."""
    text = default_suite_path().read_text(encoding="utf-8")
    text = text[: text.index("\n[[track]]")] if "\n[[track]]" in text else text
    assert 'path = "../corpus"' in text
    suite = tmp_path / "suite.toml"
    suite.write_text(
        text.replace('path = "../corpus"', f"path = {json.dumps(str(REPO / 'corpus'))}"), encoding="utf-8"
    )
    return suite


def test_bench_on_the_bundled_corpus_bounds_the_scores_and_reruns_from_cache_byte_identically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "runs"
    args = ["bench", "--out", str(out), "--suite", str(bundled_only_suite(tmp_path))]
    assert main(args) == 0
    first = capsys.readouterr()
    folder = bench_folder(out)
    board = json.loads((folder / "leaderboard.json").read_text(encoding="utf-8"))
    test, dev = board["sections"]
    assert (test["name"], test["split"], dev["name"], dev["split"]) == (
        "bundled",
        "test",
        "bundled-dev",
        "dev",
    )
    for section in (test, dev):
        assert set(section["tasks"]) == {"entities", "events", "quotes"}
        for body in section["tasks"].values():
            f1 = {row["system"]: row["f1"] for row in body["ranking"]}
            assert f1["oracle"] == 1
            assert f1["empty"] == 0
            assert 0 < f1["rules"] <= 1
        skipped = {s["name"]: s["reason"] for s in board["skipped"]["systems"] + section["skipped"]}
        assert all(skipped.values())
    assert "oracle" in first.out and "rules" in first.out
    assert "0 predictions from cache" in first.err
    before = snapshot(folder)

    assert main(args) == 0
    second = capsys.readouterr()
    assert bench_folder(out) == folder
    assert snapshot(folder) == before
    assert second.out == first.out
    assert " 0 extracted" in second.err


def write_suite(tmp_path: Path) -> Path:
    """``tmp_path`` holding the suite ``SUITE`` over a corpus of two test documents."""
    folder = write_documents(
        tmp_path / "sources", [valid_document(doc_id, f"{doc_id} {TEXT}") for doc_id in ("t1", "t2")]
    )
    add_documents(sorted(folder.iterdir()), tmp_path / "corpus", "test")
    (tmp_path / "suite.toml").write_text(SUITE, encoding="utf-8")
    return tmp_path


@pytest.fixture
def suite_dir(tmp_path: Path) -> Path:
    """A suite over a corpus of two test documents."""
    return write_suite(tmp_path)


def entry(cls: Any, availability: Availability | None = None) -> SystemEntry:
    found = availability or Availability.ok()
    return SystemEntry(cls.name, f"{cls.__module__}:{cls.__qualname__}", cls, cls.version, found)


class Broken(BaseExtractor):
    name: ClassVar[str] = "broken"
    version: ClassVar[str] = "0"

    def extract(self, document: Document) -> Document:
        raise RuntimeError("model file missing")


def test_unavailable_systems_and_missing_tracks_are_skipped_with_the_reason(suite_dir: Path) -> None:
    suite_file = suite_dir / "suite.toml"
    suite_file.write_text(
        SUITE
        + '[[track]]\nname = "gum"\npath = "nowhere/gum"\nimporter = "webanno"\n'
        + f"types = {json.dumps(str(REPO / 'schema' / 'tracks' / 'gum-news.json'))}\n",
        encoding="utf-8",
    )
    entries = {
        "oracle": entry(OracleExtractor),
        "empty": entry(EmptyExtractor),
        "ghost": entry(Broken, Availability.missing("pip install ghost")),
    }
    result = run_suite(load_suite(suite_file), entries, suite_dir / "runs", RunSettings(None))
    board = result.leaderboard
    assert board["skipped"]["systems"] == [{"name": "ghost", "reason": "pip install ghost"}]
    (track,) = board["skipped"]["sections"]
    assert track["name"] == "gum" and str(suite_dir / "nowhere" / "gum") in track["reason"]
    assert [s["name"] for s in board["sections"]] == ["tiny"]
    assert "gum" not in json.dumps(board["sections"])
    assert "pip install ghost" in render_markdown(board)


def test_a_system_failing_everywhere_makes_the_bench_partial_with_failures_counted(suite_dir: Path) -> None:
    entries = {"broken": entry(Broken), "oracle": entry(OracleExtractor)}
    result = run_suite(load_suite(suite_dir / "suite.toml"), entries, suite_dir / "runs", RunSettings(None))
    assert result.partial
    rows = {r["system"]: r for r in result.leaderboard["sections"][0]["tasks"]["entities"]["ranking"]}
    assert (rows["broken"]["failures"], rows["broken"]["f1"]) == (2, 0)
    assert (rows["oracle"]["failures"], rows["oracle"]["f1"]) == (0, 1)
    lines = (result.folder / "tiny" / "failures.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["reason"] for line in lines] == ["RuntimeError: model file missing"] * 2


def test_the_suite_hash_is_in_every_signature_of_the_bench(suite_dir: Path) -> None:
    suite = load_suite(suite_dir / "suite.toml")
    entries = {"oracle": entry(OracleExtractor), "empty": entry(EmptyExtractor)}
    result = run_suite(suite, entries, suite_dir / "runs", RunSettings(PredictionCache(suite_dir / "cache")))
    reports = sorted((result.folder / "tiny" / "reports").rglob("report.json"))
    assert len(reports) == 2
    for path in reports:
        assert json.loads(path.read_text(encoding="utf-8"))["signature"].endswith(
            f"|suite:sha256={suite.hash}"
        )
    assert result.leaderboard["sections"][0]["signature"].endswith(f"|suite:sha256={suite.hash}")
    assert set(result.leaderboard["sections"][0]["tasks"]) == {"entities", "quotes"}


def test_the_suite_hash_ignores_comments_and_layout_but_not_content(suite_dir: Path) -> None:
    base = load_suite(suite_dir / "suite.toml").hash
    (suite_dir / "commented.toml").write_text("# a comment\n\n" + SUITE.replace(" = ", "="), encoding="utf-8")
    (suite_dir / "changed.toml").write_text(
        SUITE.replace("bootstrap = 20", "bootstrap = 21"), encoding="utf-8"
    )
    assert load_suite(suite_dir / "commented.toml").hash == base
    assert load_suite(suite_dir / "changed.toml").hash != base


def test_the_standard_suite_runs_the_bundled_test_and_dev_splits_on_every_task_by_family() -> None:
    suite = load_suite()
    assert default_suite_path() == REPO / "eval" / "suite.toml"
    assert [(c.path, c.split, c.tasks, c.breakdown) for c in suite.corpora] == [
        (REPO / "corpus", split, ("entities", "events", "quotes"), "family") for split in ("test", "dev")
    ]
    assert suite.timeout == 300


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('split = "test"', 'split = "testing"', "$.corpus[0].split"),
        ('tasks = ["entities", "quotes"]', 'tasks = ["entities", "sentiment"]', "$.corpus[0].tasks[1]"),
        ('name = "tiny"', 'name = "tiny"\ncolour = "red"', "$.corpus[0].colour"),
        ('quotes = "end_to_end"', 'quotes = "speakers"', "$.leaderboard.quotes"),
        ("bootstrap = 20", "bootstrap = 20\noverlap = 2.0", "$.options.overlap"),
        ('version = "2"', 'version = "2"\n[run]\ntimeout = -1', "$.run.timeout"),
        (
            'version = "2"',
            f'version = "2"\n[[track]]\nname = "x"\npath = "p"\ntypes = {json.dumps(str(REPO / "schema" / "tracks" / "gum-news.json"))}',
            "$.track[0].importer",
        ),
        (
            'version = "2"',
            'version = "2"\n[[track]]\nname = "x"\npath = "p"\nimporter = "cat"',
            "$.track[0].types",
        ),
        (
            'version = "2"',
            'version = "2"\n[[track]]\nname = "x"\npath = "p"\nimporter = "cat"\ntypes = "no-such-types.json"',
            "$.track[0].types",
        ),
        ("bootstrap = 20", 'bootstrap = "many"', "$.options.bootstrap"),
        ("bootstrap = 20", "bootstrap = 2.5", "$.options.bootstrap"),
        ("bootstrap = 20", "bootstrap = true", "$.options.bootstrap"),
        ("bootstrap = 20", 'seed = "1"', "$.options.seed"),
        ("bootstrap = 20", 'overlap = "half"', "$.options.overlap"),
        ("bootstrap = 20", 'partial_credit = "full"', "$.options.partial_credit"),
        ("bootstrap = 20", "argument_match = 1", "$.options.argument_match"),
        ("bootstrap = 20", 'mention_kinds = "NAM"', "$.options.mention_kinds"),
        ("bootstrap = 20", "mention_kinds = [1]", "$.options.mention_kinds[0]"),
        ("bootstrap = 20", "colour = 1", "$.options.colour"),
        ('quotes = "end_to_end"', 'quotes = "end_to_end"\nsentiment = "f1"', "$.leaderboard.sentiment"),
    ],
)
def test_a_bad_suite_is_an_error_naming_the_file_and_key(
    suite_dir: Path, old: str, new: str, where: str
) -> None:
    bad = suite_dir / "bad.toml"
    bad.write_text(SUITE.replace(old, new), encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        load_suite(bad)
    assert [(p.file, p.path) for p in caught.value.problems] == [(str(bad), where)]


def test_the_html_leaderboard_escapes_every_name_and_reason(suite_dir: Path) -> None:
    entries = {
        "oracle": entry(OracleExtractor),
        "evil": entry(Broken, Availability.missing("<script>x()</script>")),
    }
    result = run_suite(load_suite(suite_dir / "suite.toml"), entries, suite_dir / "runs", RunSettings(None))
    page = render_html(result.leaderboard)
    assert "<script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
    assert (result.folder / "leaderboard.html").read_text(encoding="utf-8") == page


def test_a_present_track_is_imported_and_scored_in_its_own_type_space(external: Path, tmp_path: Path) -> None:
    types = REPO / "schema" / "tracks" / "gum-news.json"
    suite_file = tmp_path / "suite.toml"
    track = (
        f'[[track]]\nname = "gum-news"\npath = {json.dumps(str(external / "gum-news"))}\nimporter = "webanno"\n'
        f'types = {json.dumps(str(types))}\nsplit = "test"\ntasks = ["entities"]\n'
    )
    suite_file.write_text(
        SUITE.split("[[corpus]]")[0] + track + SUITE[SUITE.index("[options]") :], encoding="utf-8"
    )
    entries = {"oracle": entry(OracleExtractor), "empty": entry(EmptyExtractor)}
    result = run_suite(load_suite(suite_file), entries, tmp_path / "runs", RunSettings(None))
    (section,) = result.leaderboard["sections"]
    assert (section["name"], section["documents"], list(section["tasks"])) == ("gum-news", 2, ["entities"])
    f1 = {row["system"]: row["f1"] for row in section["tasks"]["entities"]["ranking"]}
    assert f1 == {"oracle": 1, "empty": 0}
    assert any("scored in gum-news's own types" in note for note in section["notes"])
    spec = json.loads((result.folder / "gum-news" / "spec.json").read_text(encoding="utf-8"))
    assert spec["corpus"]["types"]["entities"]["PER"] == "person"


def test_a_track_given_on_the_command_line_without_its_data_is_skipped_not_scored(
    suite_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(suite_dir / "cache"))
    (suite_dir / "tracks").mkdir()
    (suite_dir / "tracks" / "gum.json").write_bytes(
        (REPO / "schema" / "tracks" / "gum-news.json").read_bytes()
    )
    missing = suite_dir / "no-gum-here"
    args = ["bench", "--suite", str(suite_dir / "suite.toml"), "--out", str(suite_dir / "runs")]
    assert main([*args, "--track", f"gum={missing}", "--timeout", "0"]) == 0
    board = json.loads((bench_folder(suite_dir / "runs") / "leaderboard.json").read_text(encoding="utf-8"))
    (skipped,) = board["skipped"]["sections"]
    assert skipped["name"] == "gum" and str(missing) in skipped["reason"]
    assert [s["name"] for s in board["sections"]] == ["tiny"]
    assert f"section gum: {skipped['reason']}" in capsys.readouterr().out


def test_the_type_errors_of_suite_options_say_what_was_given(suite_dir: Path) -> None:
    bad = suite_dir / "bad.toml"
    bad.write_text(SUITE.replace("bootstrap = 20", 'bootstrap = "many"'), encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        load_suite(bad)
    assert str(caught.value) == f"{bad}: $.options.bootstrap: 'many' is not of type 'integer'"


@pytest.mark.parametrize(
    ("board", "headline"),
    [
        ("", {"entities": "strict", "events": "trigger_classification", "quotes": "end_to_end"}),
        (
            '[leaderboard]\nentities = "exact"\n',
            {"entities": "exact", "events": "trigger_classification", "quotes": "end_to_end"},
        ),
    ],
)
def test_a_suite_without_a_leaderboard_ranks_by_the_standard_metrics(
    suite_dir: Path, board: str, headline: dict[str, str]
) -> None:
    file = suite_dir / "plain.toml"
    file.write_text(SUITE[: SUITE.index("[leaderboard]")] + board, encoding="utf-8")
    assert load_suite(file).headline == headline


def test_a_suite_with_the_default_leaderboard_spelt_out_hashes_the_same_as_without(suite_dir: Path) -> None:
    file = suite_dir / "plain.toml"
    file.write_text(SUITE[: SUITE.index("[leaderboard]")], encoding="utf-8")
    assert load_suite(file).hash == load_suite(suite_dir / "suite.toml").hash


def test_a_missing_corpus_folder_is_skipped_with_its_full_path(suite_dir: Path) -> None:
    file = suite_dir / "two.toml"
    extra = '[[corpus]]\nname = "gone"\npath = "no/such/corpus"\n'
    file.write_text(SUITE.replace("[options]", extra + "[options]"), encoding="utf-8")
    entries = {"oracle": entry(OracleExtractor)}
    result = run_suite(load_suite(file), entries, suite_dir / "runs", RunSettings(None))
    (skipped,) = result.leaderboard["skipped"]["sections"]
    assert skipped == {
        "name": "gone",
        "reason": f"corpus folder {suite_dir / 'no' / 'such' / 'corpus'} not found",
    }


def test_a_bench_with_every_section_skipped_says_so_and_exits_1(
    suite_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(suite_dir / "cache"))
    file = suite_dir / "gone.toml"
    file.write_text(SUITE.replace('path = "corpus"', 'path = "gone"'), encoding="utf-8")
    args = ["bench", "--suite", str(file), "--out", str(suite_dir / "runs"), "--timeout", "0"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"error: {file}: nothing was benchmarked: every section of the suite was skipped",
        f"error: {file}: section tiny skipped: corpus folder {suite_dir / 'gone'} not found",
    ]
    assert not (suite_dir / "runs").exists() or not any((suite_dir / "runs").iterdir())


def test_the_suite_schema_lists_the_tasks_splits_and_options_the_code_knows() -> None:
    from typing import get_type_hints

    from newsbench.corpus import SPLITS
    from newsbench.eval.metrics.options import TASKS, ScoreOptions
    from newsbench.ontology import schema_json

    defs = schema_json("suite.schema.json")["$defs"]
    assert tuple(defs["tasks"]["items"]["enum"]) == TASKS
    assert tuple(defs["split"]["enum"]) == tuple(SPLITS)
    assert set(defs["options"]["properties"]) == set(get_type_hints(ScoreOptions)) - {"tasks"}


def _ranks(section: dict[str, Any], task: str) -> dict[str, int]:
    return {row["system"]: row["rank"] for row in section["tasks"][task]["ranking"]}


def test_the_bundled_test_split_separates_oracle_best_baseline_and_empty_and_breaks_down_by_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "runs"
    assert main(["bench", "--out", str(out), "--suite", str(bundled_only_suite(tmp_path))]) == 0
    folder = bench_folder(out)
    test = json.loads((folder / "leaderboard.json").read_text(encoding="utf-8"))["sections"][0]
    for task in ("entities", "events", "quotes"):
        ranks = _ranks(test, task)
        best = min((r, s) for s, r in ranks.items() if s not in ("oracle", "empty"))[1]
        assert len({ranks["oracle"], ranks[best], ranks["empty"]}) == 3, (task, ranks)
    families = {s["name"]: s["documents"] for s in test["by_source"]["sources"]}
    assert set(families) == {"government statements", "wikipedia", "wikinews", "seed"}
    assert sum(families.values()) == test["documents"]
    markdown = (folder / "leaderboard.md").read_text(encoding="utf-8")
    assert "entities: strict F1 (%) by family" in markdown
