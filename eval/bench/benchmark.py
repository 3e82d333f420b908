"""Runs as a whole: systems over one corpus into a run folder (``newsbench run``), and a suite (``bench``).

This is where the pieces meet -- run loop, scoring, comparison, folder and leaderboard writing -- so the
command modules only parse arguments and print. Systems that cannot run here, and suite tracks whose data
is absent, are carried along as *skipped* with the reason, never scored as zero. A present track is
imported (:mod:`newsbench.eval.bench.tracks`), its learned systems trained on its train split, and it is scored
in its own type space.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from newsbench.eval.bench.breakdown import breakdown
from newsbench.eval.bench.corpus_run import CorpusRun, RunSettings, run_corpus
from newsbench.eval.bench.leaderboard import Section, Skipped, leaderboard_json, write_leaderboard
from newsbench.eval.bench.overlap import Seen, leave_out_seen, seen_texts
from newsbench.eval.bench.runfolder import corpus_json, folder_for, package_versions, systems_json
from newsbench.eval.bench.suite import Suite
from newsbench.eval.bench.tracks import SkippedTrack, TrackTypes, open_track
from newsbench.eval.run.gold import GoldSet, corpus_split
from newsbench.eval.run.runner import SystemSpec, Work
from newsbench.extractor import Extractor, Trainable
from newsbench.folderswap import staged_folder
from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.model import Document
from newsbench.names import file_stem
from newsbench.problems import NewsbenchError, Problem
from newsbench.registry import SystemEntry

__all__ = [
    "BenchResult",
    "CorpusRun",
    "RunSettings",
    "available_systems",
    "prepare_systems",
    "run_corpus",
    "run_suite",
    "training_split",
]


@dataclass
class BenchResult:
    folder: Path
    leaderboard: dict[str, Any]
    sections: list[CorpusRun] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return any(s.partial for s in self.sections)

    @property
    def work(self) -> Work:
        total = Work()
        for s in self.sections:
            total.cached += s.work.cached
            total.extracted += s.work.extracted
            total.unreadable_cache_entries += s.work.unreadable_cache_entries
            total.unwritable_cache_entries += s.work.unwritable_cache_entries
        return total


def available_systems(entries: dict[str, SystemEntry]) -> tuple[list[SystemEntry], list[Skipped]]:
    """The systems that can run here, and the others with the reason, all in name order."""
    chosen: list[SystemEntry] = []
    skipped: list[Skipped] = []
    for name, entry in sorted(entries.items()):
        if entry.available:
            chosen.append(entry)
        else:
            skipped.append(Skipped(name, entry.availability.reason or "not available"))
    return chosen, skipped


def prepare_systems(
    entries: Sequence[SystemEntry], train: Sequence[Document]
) -> tuple[list[Extractor], list[Skipped]]:
    """Instances for one corpus; a system with ``needs_training`` is trained on ``train`` first.

    Such a system says through ``availability_for(train)`` whether it can learn from that split (a bundled
    corpus may have none); when it cannot, or building any system fails, it is skipped for this corpus.
    """
    chosen: list[Extractor] = []
    skipped: list[Skipped] = []
    for entry in entries:
        try:
            if getattr(entry.factory, "needs_training", False):
                factory = cast(Trainable, entry.factory)
                availability = factory.availability_for(train)
                if not availability.available:
                    skipped.append(Skipped(entry.name, availability.reason or "cannot be trained here"))
                    continue
                chosen.append(factory.trained(train))
            else:
                chosen.append(entry.create())
        except NewsbenchError as exc:
            skipped.append(Skipped(entry.name, "; ".join(p.message for p in exc.problems)))
    return chosen, skipped


def training_split(path: Path, split: str | None, entries: Sequence[SystemEntry]) -> list[Document]:
    """The train split of a corpus folder, read only when a system learns from it and it is not the split
    being scored; training data is the model's input, so it is held in memory."""
    if split == "train" or not any(getattr(e.factory, "needs_training", False) for e in entries):
        return []
    return list(corpus_split(path, "train").documents())


@dataclass(frozen=True)
class _Planned:
    """A corpus or track ready to run: its documents, tasks and prepared systems."""

    name: str
    split: str | None
    gold: GoldSet
    tasks: tuple[str, ...]
    extractors: list[Extractor]
    skipped: list[Skipped]
    types: TrackTypes | None = None
    notes: tuple[str, ...] = ()
    breakdown: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "corpus": corpus_json(self.name, self.split, len(self.gold), self.gold.sha256()),
            "types": None if self.types is None else self.types.to_json(),
            "tasks": list(self.tasks),
            "systems": systems_json([SystemSpec.of(x) for x in self.extractors], self.extractors),
            "skipped": [s.to_json() for s in self.skipped],
        }


def _plan(suite: Suite, entries: Sequence[SystemEntry]) -> tuple[list[_Planned], list[Skipped]]:
    """Load every corpus of the suite and prepare its systems; absent data makes a skipped section."""
    planned: list[_Planned] = []
    skipped: list[Skipped] = []
    for spec in suite.corpora:
        if not spec.path.is_dir():
            skipped.append(Skipped(spec.name, f"corpus folder {spec.path} not found"))
            continue
        docs = corpus_split(spec.path, spec.split)
        if not len(docs):
            skipped.append(Skipped(spec.name, f"no documents in split {spec.split}"))
            continue
        train = training_split(spec.path, spec.split, entries)
        extractors, unprepared = prepare_systems(entries, train)
        planned.append(
            _Planned(
                spec.name, spec.split, docs, spec.tasks, extractors, unprepared, breakdown=spec.breakdown
            )
        )
    seen: dict[str, Seen] | None = None
    for track_spec in suite.tracks:
        track = open_track(track_spec)
        if isinstance(track, SkippedTrack):
            skipped.append(Skipped(track_spec.name, track.reason))
            continue
        if seen is None:
            seen = seen_texts(suite.file_corpora)
        whole = len(track.gold)
        track, overlap = leave_out_seen(track, seen)
        if whole and not track.gold:
            skipped.append(Skipped(track_spec.name, "; ".join(overlap)))
            continue
        if not track.gold:
            skipped.append(Skipped(track_spec.name, f"no documents in split {track_spec.split}"))
            continue
        extractors, unprepared = prepare_systems(entries, track.train)
        notes = tuple(track.notes() + overlap)
        planned.append(
            _Planned(
                track_spec.name,
                track_spec.split,
                GoldSet.of_documents(track.gold),
                track_spec.tasks,
                extractors,
                unprepared,
                track.types,
                notes,
            )
        )
    return planned, skipped


def run_suite(suite: Suite, entries: dict[str, SystemEntry], out: Path, settings: RunSettings) -> BenchResult:
    """Every available system on every corpus of the suite; the leaderboard goes into the bench folder."""
    usable, skipped_systems = available_systems(entries)
    if not usable:
        raise NewsbenchError("no registered system can run here; see `newsbench systems`")
    planned, skipped_sections = _plan(suite, usable)
    bench_spec = {
        "kind": "bench",
        "suite": {"name": suite.name, "version": suite.version, "sha256": suite.hash},
        "sections": [p.to_json() for p in planned],
        "skipped": {
            "systems": [s.to_json() for s in skipped_systems],
            "sections": [s.to_json() for s in skipped_sections],
        },
        "timeout": settings.timeout,
        "packages": package_versions(),
    }
    folder = folder_for(out, "bench", bench_spec)
    result = BenchResult(folder, {})
    with staged_folder(folder) as staging:  # the bench folder is replaced whole, sections and leaderboard
        _bench_into(staging, suite, planned, skipped_systems, skipped_sections, bench_spec, settings, result)
    for section in result.sections:
        section.folder = folder / section.folder.relative_to(staging)
    return result


def _bench_into(
    folder: Path,
    suite: Suite,
    planned: list[_Planned],
    skipped_systems: list[Skipped],
    skipped_sections: list[Skipped],
    bench_spec: dict[str, Any],
    settings: RunSettings,
    result: BenchResult,
) -> None:
    sections: list[Section] = []
    for plan in planned:
        if not plan.extractors:
            skipped_sections.append(Skipped(plan.name, "no system can run on this corpus"))
            continue
        corpus_run = run_corpus(
            plan.extractors,
            plan.gold,
            folder.parent,
            (plan.name, plan.split),
            suite.score_options(plan.tasks),
            settings,
            {t: m for t, m in suite.headline.items() if t in plan.tasks},
            suite=suite,
            folder=folder / file_stem(plan.name),
            types=plan.types,
        )
        result.sections.append(corpus_run)
        headline = {t: m for t, m in suite.headline.items() if t in plan.tasks}
        by_source = (
            None
            if plan.breakdown is None
            else breakdown(corpus_run, suite.score_options(plan.tasks), headline, plan.breakdown)
        )
        sections.append(
            Section.of(
                plan.name,
                plan.split,
                corpus_run,
                plan.tasks,
                suite.headline,
                plan.skipped,
                plan.notes,
                by_source,
                settings.token_price,
            )
        )
    if not sections:
        where = str(suite.file)
        raise NewsbenchError(
            [Problem(where, None, "$", "nothing was benchmarked: every section of the suite was skipped")]
            + [Problem(where, None, "$", f"section {s.name} skipped: {s.reason}") for s in skipped_sections]
        )
    write_atomic(folder / "spec.json", dumps_canonical(bench_spec))
    result.leaderboard = leaderboard_json(suite, sections, skipped_systems, skipped_sections)
    write_leaderboard(folder, result.leaderboard)
