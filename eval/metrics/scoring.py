"""From documents to per-document statistics: checked options, gold/prediction pairing, the scorer call.

Predictions are matched to gold by document id. A gold document without a prediction is scored against an
empty prediction (the system missed everything in it); a prediction whose id is not in the gold set, or
whose text differs from the gold text (its offsets would point elsewhere), is an error naming the document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import TASKS, ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.gcpause import paused_gc as paused_gc  # also taken from here by the streaming scorer
from newsbench.model import Document
from newsbench.ontology import ontology
from newsbench.problems import NewsbenchError, Problem
from newsbench.progress import tracked
from newsbench.wording import plural

PRED_SOURCE = "predictions"
GOLD_SOURCE = "gold"


MAX_BOOTSTRAP = 100_000
"""Most resamples a report may ask for: a hundred times the default, far past the point where more resamples
move a 95% interval's bounds; memory and time grow with the count, so a typo (``--bootstrap 10000000000``)
is refused instead of running out of memory."""


def make_options(**given: Any) -> ScoreOptions:
    """ScoreOptions from keyword arguments, checked, with tasks and kinds put in their canonical order.

    Canonical order matters because the options go into the signature: ``--tasks quotes,entities`` and
    ``--tasks entities,quotes`` are the same scoring and must give the same signature.
    """
    unknown = sorted(set(given) - set(ScoreOptions.__dataclass_fields__))
    if unknown:
        raise NewsbenchError(f"unknown scoring {plural('option', len(unknown))}: {', '.join(unknown)}")
    options = ScoreOptions(**given)
    problems: list[tuple[str, str]] = []
    tasks = tuple(t for t in TASKS if t in options.tasks)
    if not tasks or set(options.tasks) - set(TASKS):
        problems.append(
            ("tasks", f"tasks must be a non-empty subset of {', '.join(TASKS)}, not {list(options.tasks)}")
        )
    all_kinds = ontology().mention_kinds
    kinds = tuple(k for k in all_kinds if k in options.mention_kinds)
    if not kinds or set(options.mention_kinds) - set(all_kinds):
        problems.append(
            (
                "mention_kinds",
                f"mention kinds must be a non-empty subset of {', '.join(all_kinds)}, "
                f"not {list(options.mention_kinds)}",
            )
        )
    if not 0 <= options.overlap <= 1:
        problems.append(("overlap", f"overlap must be a fraction between 0 and 1, not {options.overlap}"))
    if options.partial_credit not in ("half", "graded"):
        problems.append(
            ("partial_credit", f"partial credit must be half or graded, not {options.partial_credit!r}")
        )
    if options.argument_match not in ("exact", "overlap", "coref"):
        problems.append(
            (
                "argument_match",
                f"argument matching must be exact, overlap or coref, not {options.argument_match!r}",
            )
        )
    known_types = {*ontology().entity_types, *ontology().event_types, *ontology().quote_types}
    unknown_types = sorted(set(options.types) - known_types)
    if unknown_types:
        problems.append(
            (
                "types",
                f"unknown {plural('type', len(unknown_types))} {', '.join(unknown_types)}: types are entity types "
                f"({', '.join(ontology().entity_types)}), event types (e.g. Conflict.Attack) or quote types "
                f"({', '.join(ontology().quote_types)})",
            )
        )
    if options.bootstrap < 0:
        problems.append(
            ("bootstrap", f"the number of bootstrap resamples cannot be negative ({options.bootstrap})")
        )
    elif options.bootstrap > MAX_BOOTSTRAP:
        problems.append(
            ("bootstrap", f"at most {MAX_BOOTSTRAP:,} bootstrap resamples, not {options.bootstrap:,}")
        )
    if problems:
        raise NewsbenchError([Problem("-", None, f"$.options.{key}", text) for key, text in problems])
    return ScoreOptions(
        tasks=tasks,
        mention_kinds=kinds,
        overlap=float(options.overlap),
        partial_credit=options.partial_credit,
        argument_match=options.argument_match,
        bootstrap=int(options.bootstrap),
        seed=int(options.seed),
        types=tuple(sorted(set(options.types))),
    )


@dataclass(frozen=True)
class Pairs:
    """Gold documents sorted by id, each with its prediction (an empty one where the system gave none)."""

    gold: list[Document]
    pred: list[Document]
    missing: list[str]


def pair_documents(
    gold_docs: Sequence[Document],
    pred_docs: Sequence[Document],
    source: str = PRED_SOURCE,
    locations: Mapping[str, str] | None = None,
) -> Pairs:
    """Match predictions to gold by id; raise one error listing every unknown id and text mismatch.

    ``locations`` maps a prediction's id to the file it came from, so a message names that file rather
    than the whole prediction set ``source``.
    """
    where = locations or {}
    if not gold_docs:
        raise NewsbenchError(
            [Problem(GOLD_SOURCE, None, "$", "there are no gold documents to score against")]
        )
    gold = sorted(gold_docs, key=lambda d: d.id)
    problems: list[Problem] = []
    by_id: dict[str, Document] = {}
    for doc in gold:
        if doc.id in by_id:
            problems.append(Problem(GOLD_SOURCE, doc.id, "$.id", "two gold documents have this id"))
        by_id[doc.id] = doc
    predicted: dict[str, Document] = {}
    for doc in pred_docs:
        if doc.id not in by_id:
            problems.append(
                Problem(where.get(doc.id, source), doc.id, "$.id", "no gold document has this id")
            )
        elif doc.id in predicted:
            problems.append(
                Problem(where.get(doc.id, source), doc.id, "$.id", "two predictions have this id")
            )
        elif doc.text != by_id[doc.id].text:
            message = "the text differs from the gold document's text, so its offsets cannot be compared"
            problems.append(Problem(where.get(doc.id, source), doc.id, "$.text", message))
        predicted[doc.id] = doc
    NewsbenchError.collect(sorted(problems))
    missing = [d.id for d in gold if d.id not in predicted]
    return Pairs(gold, [predicted.get(d.id) or d.blank() for d in gold], missing)


class PairScorer(Protocol):
    """Scores gold/prediction pairs somewhere else (a cluster), giving the results in the pairs' order."""

    def __call__(
        self, gold: Sequence[Document], pred: Sequence[Document], options: ScoreOptions, collect_errors: bool
    ) -> list[DocResult]: ...


def score_pairs(
    pairs: Pairs,
    options: ScoreOptions,
    collect_errors: bool = False,
    scorer: PairScorer | None = None,
    label: str = "",
) -> list[DocResult]:
    """Per-document statistics in gold id order (the order the bootstrap and the tests index by).

    Error records are built only with ``collect_errors``: totals, intervals and paired tests need the
    statistics alone, and a report rescores its pairs for errors when an output first asks for them.
    ``scorer`` computes them elsewhere (e.g. on a Dask cluster); the results are the same either way.
    With a ``label``, a progress bar of that name counts the documents (on a terminal only).
    """
    if scorer is not None:
        return scorer(pairs.gold, pairs.pred, options, collect_errors)
    with paused_gc():
        items: Iterator[tuple[Document, Document]] = zip(pairs.gold, pairs.pred, strict=True)
        if label:
            items = tracked(items, len(pairs.gold), label)
        return [score_document(g, p, options, collect_errors) for g, p in items]
