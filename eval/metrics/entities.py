"""Entity mention scores in the four SemEval-2013 modes, with optimal one-to-one matching.

Each mode judges a pair of overlapping gold and predicted mentions (nervaluate's semantics):

============  ===============================  ==================================
mode          COR when                         otherwise, if they overlap
============  ===============================  ==================================
``strict``    same spans and same type         INC
``exact``     same spans                       INC
``type``      same type                        INC
``partial``   same spans                       PAR (credit 0.5, or char-overlap F1)
============  ===============================  ==================================

An unmatched gold mention is MIS, an unmatched prediction SPU. POS = COR+INC+PAR+MIS, ACT = COR+INC+PAR+SPU,
and the credit ``tp`` is COR plus the partial credit of each PAR. Each mode pairs mentions on its own, by a
maximum-weight matching that maximises the credit first (which maximises precision, recall and F1 at once,
since POS and ACT are fixed), then the number of pairs (so a near miss is reported as INC or PAR rather than
as MIS plus SPU, as nervaluate does), then the character overlap of the pairs.

Per-type counts: a matched pair (COR, INC or PAR) and a missed mention count under the **gold** type, a
spurious mention under its predicted type. So a prediction of the wrong type (strict INC) lowers the gold
type's precision and recall, not the predicted type's, and every mention is counted under exactly one type:
the per-type counts add up to the totals.

Only mentions whose kind is in ``options.mention_kinds`` are scored, and mentions touching the gold's ignore
regions are dropped on both sides. The same mentions feed the token-level ``conll`` view
(:mod:`newsbench.eval.metrics.conll`).
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from newsbench.eval.metrics.confusion import span_confusion
from newsbench.eval.metrics.conll import count_chunks
from newsbench.eval.metrics.describe import item_key, mention_json
from newsbench.eval.metrics.match import Pair, overlapping_pairs, solve_components, split_components
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.scope import IgnoreRegions, scored_mentions, task_types
from newsbench.eval.metrics.tally import Sheet
from newsbench.model import Document, Mention
from newsbench.spans import dice

TASK = "entities"
MODES = ("strict", "exact", "type", "partial")

_ERROR_KIND = {"INC": "INC", "PAR": "PAR", "MIS": "FN", "SPU": "FP"}


class _Overlap(NamedTuple):
    """What every mode needs to know about an overlapping pair (a named tuple: one is made per overlapping
    pair, and tuples are the cheapest immutable records to make)."""

    same_spans: bool
    same_type: bool
    common: int  # code points shared; the character-overlap F1 is computed only where it is used


def score_entities(
    gold: Document, pred: Document, options: ScoreOptions, result: DocResult, collect_errors: bool
) -> None:
    ignore = IgnoreRegions(gold.ignore)
    types = task_types(options.types, TASK)
    golds, gold_offsets = scored_mentions(gold, ignore, options.mention_kinds, types)
    preds, pred_offsets = scored_mentions(pred, ignore, options.mention_kinds, types)
    overlaps = {
        (g, p): _Overlap(gold_offsets[g] == pred_offsets[p], golds[g].type == preds[p].type, common)
        for g, p, common in overlapping_pairs(gold_offsets, pred_offsets, options.overlap)
    }

    def similarity(pair: Pair) -> float:
        return dice(gold_offsets[pair[0]], pred_offsets[pair[1]], overlaps[pair].common)

    def partial_credit(pair: Pair) -> float:
        return 0.5 if options.partial_credit == "half" else similarity(pair)

    # Every mode pairs the same candidates, so the candidate graph is split once; pairs that are components
    # on their own are matched in every mode, and only the tangled components are solved per mode.
    singles, components = split_components(overlaps)
    kinds: dict[tuple[bool, bool], list[Pair]] = {}
    for pair in singles:
        overlap = overlaps[pair]
        kinds.setdefault((overlap.same_spans, overlap.same_type), []).append(pair)
    kind_labels = {kind: Counter(golds[g].type for g, _ in pairs) for kind, pairs in kinds.items()}
    unpaired_gold = set(range(len(golds))).difference(g for g, _ in overlaps)
    unpaired_pred = set(range(len(preds))).difference(p for _, p in overlaps)
    tangled = {pair: overlaps[pair] for component in components for pair in component}
    tiebreak = {pair: (similarity(pair) + overlap.same_type) / 2 for pair, overlap in tangled.items()}
    tangled_gold = {g for g, _ in tangled}
    tangled_pred = {p for _, p in tangled}
    # Per gold or predicted type: [COR, INC, MIS, SPU], whole numbers, so they are counted in one step per
    # type; partial credits are then added pair by pair in pair order, so a fractional sum is always made in
    # the same order. Mentions that overlap nothing are missed or spurious in every mode: counted once.
    unpaired_rows: dict[str, list[int]] = {}
    for g in unpaired_gold:
        _row(unpaired_rows, golds[g].type)[2] += 1
    for p in unpaired_pred:
        _row(unpaired_rows, preds[p].type)[3] += 1
    sheet = Sheet(result, TASK, collect_errors)
    for mode in MODES:
        judged = {pair: _judge(mode, overlap, partial_credit(pair)) for pair, overlap in tangled.items()}
        weights = {pair: (judged[pair][1], tiebreak[pair]) for pair in tangled}
        solved = solve_components([], components, weights)
        rows = {label: row[:] for label, row in unpaired_rows.items()}
        wrong = [pair for pair in solved if judged[pair][0] != "COR"]
        for g, p in solved:
            if judged[g, p][0] == "COR":
                _row(rows, golds[g].type)[0] += 1
        for kind, pairs in kinds.items():
            if _correct(mode, *kind):
                for label, n in kind_labels[kind].items():
                    _row(rows, label)[0] += n
            else:
                wrong += pairs
        wrong.sort()
        partial: list[tuple[str, float]] = []
        for g, p in wrong:
            category, credit = judged.get((g, p)) or _judge(mode, overlaps[g, p], partial_credit((g, p)))
            if category == "INC":
                _row(rows, golds[g].type)[1] += 1
            else:
                partial.append((golds[g].type, credit))
            if sheet.errors_on:
                overlap = overlaps[g, p]
                reason, cause = _reason(overlap, golds[g], preds[p])
                _error(
                    sheet,
                    mode,
                    category,
                    reason,
                    cause,
                    golds[g],
                    preds[p],
                    credit if mode == "partial" else None,
                )
        # Tangled mentions the matching left out are missed or spurious in this mode only.
        missed = tangled_gold.difference(g for g, _ in solved) if tangled else set()
        spurious = tangled_pred.difference(p for _, p in solved) if tangled else set()
        for g in missed:
            _row(rows, golds[g].type)[2] += 1
        for p in spurious:
            _row(rows, preds[p].type)[3] += 1
        if sheet.errors_on:
            for g in sorted(unpaired_gold | missed):
                _error(sheet, mode, "MIS", "no predicted mention was matched to it", "missed", golds[g], None)
            for p in sorted(unpaired_pred | spurious):
                _error(sheet, mode, "SPU", "it was matched to no gold mention", "spurious", None, preds[p])
        sheet.count_labels(
            mode,
            [
                (label, cor, cor + inc + mis, cor + inc + spu, cor, inc, mis, spu)
                for label, (cor, inc, mis, spu) in sorted(rows.items())
            ],
        )
        for label, credit in partial:
            sheet.count_row(mode, label, credit, 1, 1, par=1)
    count_chunks(gold.text, golds, preds, sheet)
    sheet.close()
    cells = span_confusion(
        zip(gold_offsets, (m.type for m in golds), strict=True),
        zip(pred_offsets, (m.type for m in preds), strict=True),
    )
    result.confusion[TASK] = cells


def _row(rows: dict[str, list[int]], label: str) -> list[int]:
    row = rows.get(label)
    if row is None:
        row = rows[label] = [0, 0, 0, 0]
    return row


def _correct(mode: str, same_spans: bool, same_type: bool) -> bool:
    """Whether an overlapping pair is COR in a mode (otherwise INC, or PAR in ``partial``)."""
    if mode == "strict":
        return same_spans and same_type
    if mode == "type":
        return same_type
    return same_spans  # exact, partial


def _judge(mode: str, pair: _Overlap, partial_credit: float) -> tuple[str, float]:
    """The category and credit of an overlapping pair in one mode (``partial_credit`` is what a PAR earns)."""
    if mode == "partial":
        if pair.same_spans:
            return "COR", 1.0
        return "PAR", partial_credit
    return ("COR", 1.0) if _correct(mode, pair.same_spans, pair.same_type) else ("INC", 0.0)


def _reason(pair: _Overlap, gold: Mention, pred: Mention) -> tuple[str, str]:
    """What is wrong with a matched pair, in words and as an error cause (the same in every mode that
    counts it, so one error is listed once whatever the modes)."""
    parts = []
    if not pair.same_spans:
        parts.append("boundaries differ")
    if not pair.same_type:
        parts.append(f"type differs: gold {gold.type}, predicted {pred.type}")
    cause = {(False, True): "span", (True, False): "type"}.get(
        (pair.same_spans, pair.same_type), "span and type"
    )
    return "; ".join(parts), cause


def _error(
    sheet: Sheet,
    mode: str,
    category: str,
    reason: str,
    cause: str,
    gold: Mention | None,
    pred: Mention | None,
    credit: float | None = None,
) -> None:
    sheet.error(
        mode,
        _ERROR_KIND[category],
        reason,
        (gold, pred),
        mention_json,
        item_key,
        layer=TASK,
        cause=cause,
        credit=credit,
    )
