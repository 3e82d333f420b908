"""Inter-annotator agreement between two annotations (A and B) of the same documents.

Span agreement is the scorer run twice, once with each side as the reference: F1 is symmetric in strict
mode (precision and recall just swap) but not in the lenient modes, so both directions are reported. Token
agreement (Cohen's kappa and the confusion table) is in :mod:`newsbench.eval.agreement.tokens`. The
disagreements are the scorer's itemised errors with A as reference, one headline metric per layer so that
each disagreement is listed once rather than once per mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from newsbench.eval.agreement.tokens import TokenAgreement, token_agreement
from newsbench.eval.evaluate import score
from newsbench.eval.metrics.results import ErrorRecord
from newsbench.eval.metrics.scoring import make_options, pair_documents
from newsbench.eval.report.report import Report, number
from newsbench.model import Document
from newsbench.problems import NewsbenchError, Problem

DISAGREEMENT_METRIC = {"entities": "strict", "events": "trigger_classification", "quotes": "content_exact"}
"""The metric whose errors list a layer's disagreements (the strictest whole-item match of the layer)."""

KIND_TEXT = {"FN": "only in A", "FP": "only in B", "PAR": "different span"}

BOUNDARY, TYPE = "boundaries differ", "type differs"
"""How the scorer's reason for a mismatched pair (INC) says what differs: the spans, the type, or both."""


def disagreement_kind(record: ErrorRecord) -> str:
    """What two annotators disagree on: an item only one side has, or, for an item both marked, its span
    ("two men" against "men" of one type), its type, or both. The strict modes record all three as INC;
    the reason tells them apart."""
    if record.kind != "INC":
        return KIND_TEXT.get(record.kind, record.kind)
    span, typed = BOUNDARY in record.reason, TYPE in record.reason
    if span:
        return "different span and type" if typed else "different span"
    return "different type"


@dataclass(frozen=True)
class Agreement:
    """F1 both ways per layer and metric, token kappa and confusion, and the disagreements."""

    a_name: str
    b_name: str
    a_reference: Report
    b_reference: Report
    tokens: TokenAgreement
    disagreements: tuple[ErrorRecord, ...]

    @property
    def documents(self) -> int:
        return self.a_reference.gold_documents

    def layers(self) -> dict[str, dict[str, dict[str, dict[str, float | int | None]]]]:
        """task -> metric -> direction -> precision/recall/f1 (direction ``A_reference``: A taken as gold)."""
        out: dict[str, dict[str, dict[str, dict[str, float | int | None]]]] = {}
        for direction, report in (("A_reference", self.a_reference), ("B_reference", self.b_reference)):
            for task, metric in report.metrics():
                micro = report.totals[(task, metric)].micro
                cell = {
                    "precision": number(micro.precision),
                    "recall": number(micro.recall),
                    "f1": number(micro.f1),
                }
                out.setdefault(task, {}).setdefault(metric, {})[direction] = cell
        return out

    def to_json(self) -> dict[str, Any]:
        options = asdict(self.a_reference.options)
        options["tasks"] = list(self.a_reference.options.tasks)
        options["mention_kinds"] = list(self.a_reference.options.mention_kinds)
        options["types"] = list(self.a_reference.options.types)
        del options["bootstrap"], options["seed"]
        return {
            "A": self.a_name,
            "B": self.b_name,
            "documents": self.documents,
            "options": options,
            "layers": self.layers(),
            "tokens": {
                "count": self.tokens.tokens,
                "observed_agreement": number(self.tokens.observed),
                "cohen_kappa": None if self.tokens.kappa is None else number(self.tokens.kappa),
                "kappa_undefined": self.tokens.kappa is None,
                "labels": "entity type of the longest covering mention of a scored kind, or O",
                "confusion": self.tokens.confusion.nested(),
            },
            "disagreements": [disagreement_json(r) for r in self.disagreements],
        }


def disagreement_json(record: ErrorRecord) -> dict[str, Any]:
    return {
        "doc_id": record.doc_id,
        "layer": record.task,
        "kind": disagreement_kind(record),
        "reason": record.reason,
        "A": record.gold,
        "B": record.pred,
    }


def agreement(
    a_docs: Sequence[Document],
    b_docs: Sequence[Document],
    a_name: str = "A",
    b_name: str = "B",
    locations: Mapping[tuple[str, str], str] | None = None,
    **options: Any,
) -> Agreement:
    """Agreement of two annotations of the same documents (same ids and texts on both sides, or an error).

    ``options`` are scoring options (tasks, mention kinds, overlap, partial credit, argument matching);
    there is no bootstrap, since agreement is a description of two annotations, not an estimate.
    ``locations`` maps ``(side name, id)`` to the file a document came from, for messages.
    """
    checked = make_options(**{**options, "bootstrap": 0})
    NewsbenchError.collect(side_problems(a_docs, b_docs, a_name, b_name, locations or {}))
    fields = {k: v for k, v in asdict(checked).items()}
    pairs = pair_documents(a_docs, b_docs, source=b_name)
    pair_documents(b_docs, a_docs, source=a_name)  # every A document must have a B counterpart too
    a_ref = score(pairs.gold, pairs.pred, collect_errors=True, **fields)
    b_ref = score(pairs.pred, pairs.gold, **fields)
    tokens = token_agreement(pairs.gold, pairs.pred, checked.mention_kinds)
    wanted = {(task, DISAGREEMENT_METRIC[task]) for task in checked.tasks}
    disagreements = tuple(r for r in a_ref.errors if (r.task, r.metric) in wanted)
    return Agreement(a_name, b_name, a_ref, b_ref, tokens, disagreements)


def side_problems(
    a_docs: Sequence[Document],
    b_docs: Sequence[Document],
    a_name: str,
    b_name: str,
    locations: Mapping[tuple[str, str], str],
) -> list[Problem]:
    """What keeps two sides from being compared document by document, said of A and B (neither is gold):
    an id one side lacks, an id repeated on a side, a text that differs. Each problem names the file of the
    document concerned, where known, else the side."""
    problems: list[Problem] = []
    sides = ((a_name, a_docs, b_name, b_docs), (b_name, b_docs, a_name, a_docs))
    for name, docs, other_name, other_docs in sides:
        others = {d.id: d for d in other_docs}
        seen: set[str] = set()
        for doc in docs:
            where = locations.get((name, doc.id), name)
            if doc.id in seen:
                problems.append(Problem(where, doc.id, "$.id", f"two documents of {name} have this id"))
            elif doc.id not in others:
                problems.append(Problem(where, doc.id, "$.id", f"{other_name} has no document with this id"))
            elif doc.text != others[doc.id].text and name == a_name:
                message = (
                    f"the text differs from {other_name}'s document of this id, so offsets cannot be compared"
                )
                problems.append(Problem(where, doc.id, "$.text", message))
            seen.add(doc.id)
    return sorted(problems)
