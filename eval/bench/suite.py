"""The benchmark suite: which corpora, splits, tasks and options make up a benchmark (``eval/suite.toml``).

The suite is data, checked against ``schema/suite.schema.json`` and then here before anything runs, so a typo is an error naming the file and
key rather than a silently different benchmark. Its hash -- of the parsed content with the defaults it
leaves out written in, so comments, layout and spelling out a default do not count -- goes into every
signature of a benchmark report.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from newsbench.corpus import MANIFEST
from newsbench.digest import sha256_text
from newsbench.eval.metrics.catalog import metric_descriptions
from newsbench.eval.metrics.options import TASKS, ScoreOptions
from newsbench.eval.metrics.scoring import make_options
from newsbench.jsonio import dumps_canonical, read_json
from newsbench.problems import NewsbenchError, Problem
from newsbench.validate import file_problems


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
    breakdown: str | None = None
    """``family`` or ``subset``: the leaderboard also shows each source's documents on their own."""


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
    version: str | None
    """The suite's own version, None when the file gives none (shown as nothing, never as an empty one)."""
    corpora: tuple[CorpusSpec, ...]
    tracks: tuple[TrackSpec, ...]
    options: dict[str, Any]
    timeout: float | None
    headline: dict[str, str]
    hash: str
    file: Path
    file_corpora: tuple[CorpusSpec, ...] = ()
    """The suite file's own ``[[corpus]]`` entries as read, kept whole when ``--tasks`` drops a section and
    without corpora added by ``--track``: the corpora systems are trained on, which tracks are checked
    against (:mod:`newsbench.eval.bench.overlap`)."""
    only_tasks: tuple[str, ...] | None = None
    """The tasks given on the command line (``--tasks``): every section is narrowed to them, those added
    after the options as well (see :func:`narrowed`)."""

    def score_options(self, tasks: tuple[str, ...]) -> ScoreOptions:
        return make_options(tasks=tasks, **self.options)


def _tasks(table: dict[str, Any]) -> tuple[str, ...]:
    """The table's tasks in the standard order (all of them when it names none)."""
    return tuple(task for task in TASKS if task in table.get("tasks", TASKS))


DEFAULT_SPLIT = "test"
"""The split a ``[[corpus]]`` without ``split`` is scored on: the standard suite's, so a minimal suite never
scores the learned systems on the train split they were trained on."""


def _split(table: dict[str, Any], path: Path) -> str | None:
    """The table's split; without one the standard suite's (test), except for a folder of documents with no
    manifest, which has no splits and is scored whole."""
    if "split" in table:
        return str(table["split"])
    plain = path.is_dir() and not (path / MANIFEST).is_file()
    return None if plain else DEFAULT_SPLIT


def _default_headline() -> dict[str, Any]:
    """The standard suite's ``[leaderboard]``: what a suite without one (or missing a task) ranks by."""
    board = tomllib.loads(default_suite_path().read_text(encoding="utf-8")).get("leaderboard", {})
    return dict(board) if isinstance(board, dict) else {}


def _resolve(base: Path, value: str) -> Path:
    return (base / value).resolve() if not Path(value).is_absolute() else Path(value)


def _as_scored(
    data: dict[str, Any],
    corpora: list[CorpusSpec],
    tracks: list[TrackSpec],
    headline: dict[str, str],
) -> dict[str, Any]:
    """The suite file's content with the defaults it leaves out written in (each corpus's split, each
    section's tasks in the standard order) and the headline metrics it resolves to: what the suite's hash
    is of, so that two files that run the same benchmark, one spelling out ``split = "test"`` and one
    leaving it to the default, have the same hash."""
    out = {**data, "leaderboard": headline}
    out["corpus"] = [
        {**table, "tasks": list(spec.tasks)} | ({} if spec.split is None else {"split": spec.split})
        for table, spec in zip(data.get("corpus", []), corpora, strict=True)
    ]
    out["track"] = [
        {**table, "tasks": list(spec.tasks)}
        for table, spec in zip(data.get("track", []), tracks, strict=True)
    ]
    return {key: value for key, value in out.items() if value != [] or key in data}


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
    NewsbenchError.collect(file_problems(data, "suite.schema.json", file))
    base = file.parent
    problems: list[Problem] = []

    def fail(path: str, message: str) -> None:
        problems.append(Problem(str(file), None, path, message))

    corpora = [
        CorpusSpec(
            c["name"],
            _resolve(base, c["path"]),
            _split(c, _resolve(base, c["path"])),
            _tasks(c),
            c.get("breakdown"),
        )
        for c in data.get("corpus", [])
    ]
    tracks: list[TrackSpec] = []
    for i, t in enumerate(data.get("track", [])):
        type_map = _resolve(base, t["types"])
        if not type_map.is_file():
            # the type map ships with the suite, unlike the track's data: its absence is a broken suite
            fail(f"$.track[{i}].types", f"type map file {type_map} not found")
        tracks.append(
            TrackSpec(
                t["name"], _resolve(base, t["path"]), t["importer"], type_map, t.get("split"), _tasks(t)
            )
        )
    if not corpora and not tracks:
        fail("$.corpus", "the suite names no corpus and no track")
    sections = [c.name for c in corpora] + [t.name for t in tracks]
    for dup in sorted({n for n in sections if sections.count(n) > 1}):
        fail("$", f"the name {dup!r} is used by more than one corpus or track")

    options = data.get("options", {})
    try:
        make_options(**options)
    except NewsbenchError as exc:
        problems.extend(Problem(str(file), None, p.path, p.message) for p in exc.problems)
    timeout = data.get("run", {}).get("timeout")

    headline: dict[str, str] = {}
    board = {**_default_headline(), **data.get("leaderboard", {})}
    known = metric_descriptions()
    for task in TASKS:
        metric = board.get(task)
        if metric is None:
            fail(f"$.leaderboard.{task}", "names no headline metric for this task")
        elif metric not in known.get(task, {}):
            fail(f"$.leaderboard.{task}", f"unknown metric; one of: {', '.join(known.get(task, {}))}")
        else:
            headline[task] = metric

    NewsbenchError.collect(problems)
    digest = sha256_text(dumps_canonical(_as_scored(data, corpora, tracks, headline)))
    return Suite(
        data["name"],
        None if data.get("version") is None else str(data["version"]),
        tuple(corpora),
        tuple(tracks),
        dict(options),
        None if timeout is None else float(timeout),
        headline,
        digest,
        file,
        tuple(corpora),
    )


def native_corpus(name: str, path: Path) -> CorpusSpec | None:
    """``path`` as a corpus section scored in newsbench's own types, when it holds newsbench documents.

    A corpus folder with a manifest is scored on its test split when it has one (its train split trains the
    learned systems); a plain folder of ``.json``/``.jsonl`` documents is scored whole. None when ``path``
    holds no newsbench documents (it may be a source corpus that needs an importer).
    """
    if not path.is_dir():
        return None
    manifest = path / MANIFEST
    if manifest.is_file():
        entries = _json_object(manifest).get("documents", [])
        splits = {e.get("split") for e in entries if isinstance(e, dict)}
        return CorpusSpec(name, path, "test" if "test" in splits else None, TASKS)
    if any(path.glob("*.json")) or any(path.glob("*.jsonl")):
        return CorpusSpec(name, path, None, TASKS)
    return None


def _json_object(file: Path) -> dict[str, Any]:
    data = read_json(file)
    return data if isinstance(data, dict) else {}


def with_options(suite: Suite, given: dict[str, Any]) -> Suite:
    """The suite with scoring options given on the command line over its own (``--tasks`` narrows every
    section's tasks; a section left with none is dropped). Other options mean another benchmark, so the
    hash becomes that of the old one and the options given."""
    if not given:
        return suite
    rest = {key: value for key, value in given.items() if key != "tasks"}
    tasks = given.get("tasks")
    only = suite.only_tasks if tasks is None else tuple(t for t in TASKS if t in tasks)
    narrow = replace(suite, only_tasks=only)
    corpora = tuple(
        replace(c, tasks=narrowed(narrow, c.tasks)) for c in suite.corpora if narrowed(narrow, c.tasks)
    )
    tracks = tuple(
        replace(t, tasks=narrowed(narrow, t.tasks)) for t in suite.tracks if narrowed(narrow, t.tasks)
    )
    if not corpora and not tracks:
        raise NewsbenchError(f"--tasks {','.join(tasks or ())}: no section of the suite scores these tasks")
    digest = sha256_text(
        dumps_canonical([suite.hash, {k: list(v) if isinstance(v, tuple) else v for k, v in given.items()}])
    )
    return replace(narrow, corpora=corpora, tracks=tracks, options={**suite.options, **rest}, hash=digest)


def narrowed(suite: Suite, own: tuple[str, ...]) -> tuple[str, ...]:
    """A section's tasks as the suite scores them: those of ``own`` that ``--tasks`` kept (all without it)."""
    return own if suite.only_tasks is None else tuple(t for t in own if t in suite.only_tasks)
