"""One corpus run into a run folder: every system over the documents, each prediction written as it comes,
then each system scored from its predictions file (``newsbench run``, and each section of ``bench``).

Gold documents are reached through a :class:`newsbench.eval.run.gold.GoldSet`: a corpus folder's documents
are read from their files when needed, so neither the gold documents nor the predictions are all held at
once (:mod:`newsbench.eval.bench.written`); what stays in memory per document is its scanned record, its
:class:`newsbench.eval.run.runner.Record` and its statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsbench import __version__
from newsbench.eval.bench.cost import TokenPrice
from newsbench.eval.bench.runfolder import (
    check_file_names,
    corpus_json,
    folder_for,
    options_json,
    package_versions,
    predictions_file,
    report_folder,
    systems_json,
    write_run,
)
from newsbench.eval.bench.suite import Suite
from newsbench.eval.bench.tracks import TrackTypes
from newsbench.eval.bench.written import PredictionsWriter, score_written
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.report.comparison import Comparison, compare_reports
from newsbench.eval.report.report import Report
from newsbench.eval.run.cache import PredictionCache
from newsbench.eval.run.executors import Executor
from newsbench.eval.run.gold import GoldSet
from newsbench.eval.run.runner import Outcome, SystemRecords, SystemSpec, Work, stream_systems
from newsbench.extractor import Extractor
from newsbench.folderswap import staged_folder
from newsbench.model import SCHEMA_VERSION, Document
from newsbench.problems import NewsbenchError
from newsbench.progress import Progress
from newsbench.scan import Scanned


@dataclass(frozen=True)
class RunSettings:
    """How to run (not what): these never change a prediction that succeeds, so only ``timeout`` is in specs."""

    cache: PredictionCache | None
    jobs: int = 1
    """Processes that extract (with no ``executor``, or a local pool) and that score each system's
    predictions file (always local processes: the file is on this machine, whatever runs extractions)."""
    timeout: float | None = None
    progress: bool | None = None
    """Draw a progress bar: None means when stderr is a terminal."""
    executor: Executor | None = None
    """Where extractions run; None: as ``jobs`` and ``timeout`` ask (this process or a local pool)."""
    token_price: TokenPrice | None = None
    """Prices per token, for the cost column; written into the spec (it changes summary.json)."""


@dataclass
class CorpusRun:
    folder: Path
    spec: dict[str, Any]
    runs: list[SystemRecords]
    reports: list[Report]
    work: Work
    comparison: Comparison | None = None
    gold: GoldSet | None = None
    """The documents run on, and each system's predictions as written (for per-source figures)."""
    written: list[list[Scanned]] | None = None

    @property
    def partial(self) -> bool:
        return any(run.failures for run in self.runs)


def _check_names(extractors: Sequence[Extractor]) -> None:
    names = [str(x.name) for x in extractors]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise NewsbenchError(
            f"each system can be run once per run; listed more than once: {', '.join(repeated)}"
        )


def run_spec(
    extractors: Sequence[Extractor],
    corpus: dict[str, Any],
    options: ScoreOptions,
    timeout: float | None,
    suite: Suite | None,
) -> dict[str, Any]:
    """Everything that determines a run's files; its hash names the run folder."""
    return {
        "kind": "run",
        "newsbench": __version__,
        "schema_version": SCHEMA_VERSION,
        "systems": systems_json([SystemSpec.of(x) for x in extractors], extractors),
        "corpus": corpus,
        "options": options_json(options),
        "seed": options.seed,
        "timeout": timeout,
        "suite": None
        if suite is None
        else {"name": suite.name, "version": suite.version, "sha256": suite.hash},
        "packages": package_versions(),
    }


def run_corpus(
    extractors: Sequence[Extractor],
    gold: Sequence[Document] | GoldSet,
    folder_root: Path,
    corpus: tuple[str, str | None],
    options: ScoreOptions,
    settings: RunSettings,
    headline: dict[str, str],
    suite: Suite | None = None,
    folder: Path | None = None,
    types: TrackTypes | None = None,
) -> CorpusRun:
    """Run, score and write one corpus into ``<folder_root>/run-<spec hash>``, replaced whole (staged), or
    into ``folder`` in place (a bench section: the bench stages the folder that holds it).

    Systems get ``gold`` as it is (in newsbench types). With a track's ``types``, gold and predictions
    are both mapped into the track's type space before scoring.
    """
    _check_names(extractors)
    check_file_names(str(x.name) for x in extractors)
    docs = gold if isinstance(gold, GoldSet) else GoldSet.of_documents(gold)
    if not len(docs):
        raise NewsbenchError(f"corpus {corpus[0]}: no documents in split {corpus[1]}")
    described = corpus_json(corpus[0], corpus[1], len(docs), docs.sha256())
    if types is not None:
        described["types"] = types.to_json()
    spec = run_spec(extractors, described, options, settings.timeout, suite)
    if settings.token_price is not None:
        spec["token_price"] = settings.token_price.to_json()
    target = folder if folder is not None else folder_for(folder_root, "run", spec)
    result = CorpusRun(target, spec, [], [], Work(), gold=docs)
    if folder is not None:  # a section of a bench folder, which is itself being staged
        _run_into(folder, extractors, docs, corpus, options, settings, headline, suite, types, result)
    else:
        with staged_folder(target) as staging:  # the run folder is replaced whole: old or new, never a mix
            _run_into(staging, extractors, docs, corpus, options, settings, headline, suite, types, result)
    return result


def _run_into(
    folder: Path,
    extractors: Sequence[Extractor],
    gold: GoldSet,
    corpus: tuple[str, str | None],
    options: ScoreOptions,
    settings: RunSettings,
    headline: dict[str, str],
    suite: Suite | None,
    types: TrackTypes | None,
    result: CorpusRun,
) -> None:
    """Run every system, its predictions written into ``folder`` as they come, then score and write the rest."""
    specs = [SystemSpec.of(x) for x in extractors]
    ids = gold.ids
    with ExitStack() as open_files:
        writers = []
        for spec in specs:
            writer = PredictionsWriter(predictions_file(folder, spec.name), ids)
            open_files.callback(writer.close)
            writers.append(writer)

        def write(system: int, position: int, outcome: Outcome) -> None:
            writers[system].add(position, outcome)

        bar = Progress(len(gold), label=corpus[0], enabled=settings.progress, lanes=[s.name for s in specs])
        try:
            result.work = stream_systems(
                extractors,
                gold,
                write,
                cache=settings.cache,
                jobs=settings.jobs,
                timeout=settings.timeout,
                progress=bar,
                executor=settings.executor,
            )
        finally:
            bar.close()
        finished = [writer.finish() for writer in writers]
    result.written = [scanned for _, scanned in finished]
    suite_hash = None if suite is None else suite.hash
    for spec, (records, scanned) in zip(specs, finished, strict=True):
        report = score_written(
            gold,
            scanned,
            report_folder(folder, spec.name),
            options,
            suite_hash=suite_hash,
            label=f"{corpus[0]} {spec.name}",
            types=types,
            jobs=settings.jobs,
        )
        result.runs.append(SystemRecords(spec, records))
        result.reports.append(
            replace(report, not_attempted=tuple(t for t in options.tasks if t not in spec.tasks))
        )
    if len(result.runs) > 1:
        result.comparison = compare_reports(
            [(run.system.name, r) for run, r in zip(result.runs, result.reports, strict=True)]
        )
    write_run(
        folder, result.spec, result.runs, result.reports, headline, settings.token_price, result.comparison
    )
