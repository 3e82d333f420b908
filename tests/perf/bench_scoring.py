"""Scoring speed and memory against seqeval and nervaluate, on one synthetic corpus and one long document.

Targets: scoring all three tasks takes less time than seqeval computing entity F1 alone, and is at
least 20 times faster than nervaluate on the long document. seqeval is timed in the configuration the CoNLL
view reproduces (strict mode, explicit IOB2 scheme), which the target is checked against; its default
(conlleval-style) mode gives the same F1 on these well-formed tags about twice as fast, and is recorded
beside it so nobody has to take the choice on trust. Inputs for every tool are prepared before
the clock starts (seqeval gets ready IOB2 tag sequences, nervaluate ready span lists), so each figure is
the tool's own work; ours starts from the documents. Scaling runs check that time grows linearly with the
number of documents and with document length.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from nervaluate import Evaluator
from registry import benchmark, measure
from seqeval.metrics import f1_score
from seqeval.scheme import IOB2
from synthetic import corpus

from newsbench.eval import score
from newsbench.eval.metrics.conll import iob2_tags
from newsbench.model import Document
from newsbench.tokens import tokenize

N_DOCS = int(os.environ.get("NEWSBENCH_BENCH_DOCS", "10000"))
TOKENS_PER_DOC = 250
LONG_TOKENS = 40_000
ENTITY_TYPES = ["FAC", "GPE", "LOC", "ORG", "PER", "TIME"]


def _tags(docs: Sequence[Document], gold: Sequence[Document]) -> list[list[str]]:
    out = []
    for doc, ref in zip(docs, gold, strict=True):
        tokens = tokenize(ref.text)
        out.append(iob2_tags(list(doc.mentions), [t.start for t in tokens], [t.end for t in tokens]))
    return out


def _spans(docs: Sequence[Document]) -> list[list[dict[str, Any]]]:
    return [[{"label": m.type, "start": m.start, "end": m.end - 1} for m in d.mentions] for d in docs]


def _size(gold: Sequence[Document]) -> dict[str, int]:
    return {
        "documents": len(gold),
        "tokens": sum(len(tokenize(d.text)) for d in gold),
        "mentions": sum(len(d.mentions) for d in gold),
        "events": sum(len(d.events) for d in gold),
        "quotes": sum(len(d.quotes) for d in gold),
    }


def _compare_tools(gold: list[Document], pred: list[Document], repeat: int) -> dict[str, Any]:
    """Each tool on the same documents, best of ``repeat`` calls; ratios above 1 mean newsbench is faster."""
    y_true, y_pred = _tags(gold, gold), _tags(pred, gold)
    true_spans, pred_spans = _spans(gold), _spans(pred)
    out: dict[str, Any] = {"data": _size(gold)}
    score(gold[:1], pred[:1])  # warm-up: the first call imports the matching code (scipy) lazily
    out["newsbench_all_tasks"] = measure(lambda: score(gold, pred, bootstrap=0), repeat=repeat)
    out["newsbench_entities_only"] = measure(
        lambda: score(gold, pred, tasks=("entities",), bootstrap=0), memory=False, repeat=repeat
    )
    out["newsbench_all_tasks_with_bootstrap_1000"] = measure(
        lambda: score(gold, pred), memory=False, repeat=repeat
    )
    out["seqeval_entity_f1"] = measure(
        lambda: f1_score(y_true, y_pred, mode="strict", scheme=IOB2), repeat=repeat
    )
    out["seqeval_entity_f1_default_mode"] = measure(
        lambda: f1_score(y_true, y_pred), memory=False, repeat=repeat
    )
    out["nervaluate"] = measure(
        lambda: Evaluator(true_spans, pred_spans, tags=ENTITY_TYPES).evaluate(), repeat=repeat
    )
    out["f1"] = {  # the same number three ways, so the timings compare like with like
        "newsbench_conll": score(gold, pred, tasks=("entities",), bootstrap=0)
        .totals[("entities", "conll")]
        .micro.f1,
        "seqeval_strict": f1_score(y_true, y_pred, mode="strict", scheme=IOB2),
        "seqeval_default_mode": f1_score(y_true, y_pred),
    }
    ours = out["newsbench_all_tasks"]["seconds"]
    entities = out["newsbench_entities_only"]["seconds"]
    out["ratio_seqeval_over_newsbench_all_tasks"] = round(out["seqeval_entity_f1"]["seconds"] / ours, 2)
    out["ratio_seqeval_default_mode_over_newsbench_all_tasks"] = round(
        out["seqeval_entity_f1_default_mode"]["seconds"] / ours, 2
    )
    out["ratio_nervaluate_over_newsbench_all_tasks"] = round(out["nervaluate"]["seconds"] / ours, 2)
    out["ratio_nervaluate_over_newsbench_entities"] = round(out["nervaluate"]["seconds"] / entities, 2)
    return out


def _scaling(points: Sequence[tuple[int, int]]) -> list[dict[str, Any]]:
    """Seconds per token of scoring all tasks at several sizes; flat figures mean linear time."""
    rows = []
    for n_docs, tokens in points:
        gold, pred = corpus(n_docs, tokens, seed=7)
        n_tokens = sum(len(tokenize(d.text)) for d in gold)
        seconds = measure(lambda: score(gold, pred, bootstrap=0), memory=False)["seconds"]  # noqa: B023
        rows.append(
            {
                "documents": n_docs,
                "tokens": n_tokens,
                "seconds": seconds,
                "us_per_token": round(1e6 * seconds / n_tokens, 2),
            }
        )
    return rows


@benchmark("scoring")
def scoring() -> dict[str, Any]:
    gold, pred = corpus(N_DOCS, TOKENS_PER_DOC, seed=1)
    long_gold, long_pred = corpus(1, LONG_TOKENS, seed=2)
    result = {
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "corpus": _compare_tools(gold, pred, repeat=3),
        "long_document": _compare_tools(long_gold, long_pred, repeat=3),
        "scaling_documents": _scaling(
            [(N_DOCS // 4, TOKENS_PER_DOC), (N_DOCS // 2, TOKENS_PER_DOC), (N_DOCS, TOKENS_PER_DOC)]
        ),
        "scaling_length": _scaling([(1, LONG_TOKENS // 4), (1, LONG_TOKENS // 2), (1, LONG_TOKENS)]),
    }
    corpus_figures, long_figures = result["corpus"], result["long_document"]
    result["targets"] = {
        "all_tasks_faster_than_seqeval_entity_f1": corpus_figures["ratio_seqeval_over_newsbench_all_tasks"]
        > 1,
        "long_document_20x_faster_than_nervaluate": long_figures["ratio_nervaluate_over_newsbench_all_tasks"]
        >= 20,
    }
    return result
