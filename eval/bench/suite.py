"""The benchmark suite: which corpora, splits, tasks and options make up a benchmark (``eval/suite.toml``).

The suite is data, read here and checked before anything runs, so a typo is an error naming the file and
key rather than a silently different benchmark. Its hash -- of the parsed content, so comments and
layout do not count -- goes into every signature of a benchmark report.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from newsbench.corpus import SPLITS
from newsbench.digest import sha256_text
from newsbench.eval.metrics.catalog import metric_descriptions
from newsbench.eval.metrics.options import TASKS, ScoreOptions
from newsbench.eval.metrics.scoring import make_options
from newsbench.jsonio import dumps_canonical
from newsbench.problems import NewsbenchError, Problem

TOP_KEYS = {"name", "version", "corpus", "track", "options", "run", "leaderboard"}
CORPUS_KEYS = {"name", "path", "split", "tasks"}
TRACK_KEYS = {"name", "path", "importer", "types", "split", "tasks"}
RUN_KEYS = {"timeout"}


def default_suite_path() -> Path:
    """The standard suite shipped with newsbench (``eval/suite.toml``)."""
    return Path(str(resources.files("newsbench.eval").joinpath("suite.toml")))


@dataclass(frozen=True)
class CorpusSpec:
    """A bundled (or local) corpus folder to run on: the split and the tasks it is scored on."""

    name: str
    path: Path
    split: str | None
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class TrackSpec:
    """An external corpus read through an importer with a type map; skipped (not zero) when absent."""

    name: str
    path: Path
    importer: str
    types: Path | None
    split: str | None
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Suite:
    name: str
    version: str
    corpora: tuple[CorpusSpec, ...]
    tracks: tuple[TrackSpec, ...]
    options: dict[str, Any]
    timeout: float | None
    headline: dict[str, str]
    hash: str
    file: Path

    def score_options(self, tasks: tuple[str, ...]) -> ScoreOptions:
        return make_options(tasks=tasks, **self.options)


class _Reader:
    """Collects every problem in the suite file, each with its TOML key path, and raises them at once."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(str(self.file), None, path, message))

    def keys(self, table: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in sorted(set(table) - allowed):
            self.fail(f"{path}.{key}", f"unknown key; allowed: {', '.join(sorted(allowed))}")

    def text(self, table: dict[str, Any], key: str, path: str, required: bool = True) -> str | None:
        value = table.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            self.fail(f"{path}.{key}", "must be a non-empty string")
            return None
        return value

    def split(self, table: dict[str, Any], path: str) -> str | None:
        value = self.text(table, "split", path, required=False)
        if value is not None and value not in SPLITS:
            self.fail(f"{path}.split", f"must be one of {', '.join(SPLITS)}")
        return value

    def tasks(self, table: dict[str, Any], path: str) -> tuple[str, ...]:
        value = table.get("tasks", list(TASKS))
        if not isinstance(value, list) or not value or any(t not in TASKS for t in value):
            self.fail(f"{path}.tasks", f"must be a non-empty list drawn from {', '.join(TASKS)}")
            return tuple(TASKS)
        return tuple(t for t in TASKS if t in value)

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            self.fail(f"$.{key}", f"must be an array of tables ([[{key}]])")
            return []
        return value


def _type_problem(value: Any, hint: Any) -> str | None:
    """Why ``value`` from TOML cannot stand for a scoring option declared as ``hint``, or None when it can.

    Read from :class:`ScoreOptions`' own annotations, so a new option is checked without a second table.
    """
    if hint is bool:
        return None if isinstance(value, bool) else f"must be true or false, not {value!r}"
    if isinstance(value, bool):
        return f"must not be true or false, not {value!r}"
    if hint is int and not isinstance(value, int):
        return f"must be an integer, not {value!r}"
    if hint is float and not isinstance(value, int | float):
        return f"must be a number, not {value!r}"
    if get_origin(hint) is Literal and value not in get_args(hint):
        return f"must be one of {', '.join(map(str, get_args(hint)))}, not {value!r}"
    if get_origin(hint) is tuple and (
        not isinstance(value, list) or not all(isinstance(v, str) for v in value)
    ):
        return f"must be a list of strings, not {value!r}"
    return None


def _default_headline() -> dict[str, Any]:
    """The standard suite's ``[leaderboard]``: what a suite without one (or missing a task) ranks by."""
    board = tomllib.loads(default_suite_path().read_text(encoding="utf-8")).get("leaderboard", {})
    return dict(board) if isinstance(board, dict) else {}


def _resolve(base: Path, value: str) -> Path:
    return (base / value).resolve() if not Path(value).is_absolute() else Path(value)


def load_suite(path: Path | None = None) -> Suite:
    """Read and check a suite file; relative paths in it are taken from the file's own folder."""
    file = path if path is not None else default_suite_path()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise NewsbenchError(
            [Problem(str(file), None, "$", f"cannot read the suite ({exc.strerror})")]
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise NewsbenchError([Problem(str(file), None, "$", f"not valid TOML: {exc}")]) from None
    base = file.parent
    r = _Reader(file)
    r.keys(data, TOP_KEYS, "$")
    name = r.text(data, "name", "$") or ""
    version = str(data.get("version", ""))

    corpora: list[CorpusSpec] = []
    for i, table in enumerate(r.tables(data, "corpus")):
        where = f"$.corpus[{i}]"
        r.keys(table, CORPUS_KEYS, where)
        cname, cpath = r.text(table, "name", where), r.text(table, "path", where)
        split, tasks = r.split(table, where), r.tasks(table, where)
        if cname and cpath:
            corpora.append(CorpusSpec(cname, _resolve(base, cpath), split, tasks))
    tracks: list[TrackSpec] = []
    for i, table in enumerate(r.tables(data, "track")):
        where = f"$.track[{i}]"
        r.keys(table, TRACK_KEYS, where)
        tname, tpath = r.text(table, "name", where), r.text(table, "path", where)
        importer = r.text(table, "importer", where)
        types = r.text(table, "types", where)
        split, tasks = r.split(table, where), r.tasks(table, where)
        type_map = _resolve(base, types) if types else None
        if type_map is not None and not type_map.is_file():
            # the type map ships with the suite, unlike the track's data: its absence is a broken suite
            r.fail(f"{where}.types", f"type map file {type_map} not found")
        if tname and tpath and importer:
            tracks.append(TrackSpec(tname, _resolve(base, tpath), importer, type_map, split, tasks))
    if not corpora and not tracks:
        r.fail("$.corpus", "the suite names no corpus and no track")
    sections = [c.name for c in corpora] + [t.name for t in tracks]
    for dup in sorted({n for n in sections if sections.count(n) > 1}):
        r.fail("$", f"the name {dup!r} is used by more than one corpus or track")

    options = data.get("options", {})
    if not isinstance(options, dict) or "tasks" in options:
        r.fail("$.options", "must be a table of scoring options (tasks are set per corpus)")
        options = {}
    else:
        hints = get_type_hints(ScoreOptions)
        r.keys(options, set(hints) - {"tasks"}, "$.options")
        typed = True
        for key, value in sorted(options.items()):
            problem = _type_problem(value, hints[key]) if key in hints else None
            if problem is not None:
                r.fail(f"$.options.{key}", problem)
                typed = False
        try:
            if typed and set(options) <= set(hints):
                make_options(**options)
        except NewsbenchError as exc:
            r.problems.extend(Problem(str(file), None, "$.options", p.message) for p in exc.problems)

    run = data.get("run", {})
    timeout: float | None = None
    if isinstance(run, dict):
        r.keys(run, RUN_KEYS, "$.run")
        value = run.get("timeout")
        if value is not None and (
            not isinstance(value, int | float) or isinstance(value, bool) or value <= 0
        ):
            r.fail("$.run.timeout", "must be a positive number of seconds")
        elif value is not None:
            timeout = float(value)

    headline: dict[str, str] = {}
    board = data.get("leaderboard", {})
    if not isinstance(board, dict):
        r.fail("$.leaderboard", "must be a table of task = metric")
        board = {}
    r.keys(board, set(TASKS), "$.leaderboard")
    board = {**_default_headline(), **board}
    known = metric_descriptions()
    for task in TASKS:
        metric = board.get(task)
        if metric is None:
            r.fail(f"$.leaderboard.{task}", "names no headline metric for this task")
        elif not isinstance(metric, str) or metric not in known.get(task, {}):
            r.fail(f"$.leaderboard.{task}", f"unknown metric; one of: {', '.join(known.get(task, {}))}")
        else:
            headline[task] = metric

    NewsbenchError.collect(r.problems)
    digest = sha256_text(dumps_canonical({**data, "leaderboard": headline}))
    return Suite(name, version, tuple(corpora), tuple(tracks), dict(options), timeout, headline, digest, file)
