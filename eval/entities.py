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
(:mod:`newsbench.eval.conll`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbench.eval.conll import count_chunks
from newsbench.eval.counts import Counts
from newsbench.eval.describe import mention_json
from newsbench.eval.match import dice, optimal_matching, overlapping_pairs
from newsbench.eval.options import ScoreOptions
from newsbench.eval.results import DocResult
from newsbench.eval.scope import IgnoreRegions, scored_mentions
from newsbench.eval.tally import Sheet
from newsbench.model import Document, Mention

TASK = "entities"
MODES = ("strict", "exact", "type", "partial")

_ERROR_KIND = {"INC": "INC", "PAR": "PAR", "MIS": "FN", "SPU": "FP"}


@dataclass(frozen=True, slots=True)
class _Overlap:
    """What every mode needs to know about an overlapping pair."""

    same_spans: bool
    same_type: bool
    similarity: float  # character-overlap F1


_COR = Counts(tp=1.0, pos=1, act=1, cor=1)
_INC = Counts(pos=1, act=1, inc=1)
_MIS = Counts(pos=1, mis=1)
_SPU = Counts(act=1, spu=1)


def score_entities(gold: Document, pred: Document, options: ScoreOptions, result: DocResult) -> None:
    ignore = IgnoreRegions(gold.ignore)
    golds, gold_offsets = scored_mentions(gold, ignore, options.mention_kinds)
    preds, pred_offsets = scored_mentions(pred, ignore, options.mention_kinds)
    overlaps = {
        (g, p): _Overlap(
            gold_offsets[g] == pred_offsets[p],
            golds[g].type == preds[p].type,
            dice(gold_offsets[g], pred_offsets[p], common),
        )
        for g, p, common in overlapping_pairs(gold_offsets, pred_offsets, options.overlap)
    }
    sheet = Sheet(result, TASK)
    for mode in MODES:
        _score_mode(mode, golds, preds, overlaps, options, sheet)
    count_chunks(gold.text, golds, preds, sheet)
    sheet.close()


def _score_mode(
    mode: str,
    golds: Sequence[Mention],
    preds: Sequence[Mention],
    overlaps: dict[tuple[int, int], _Overlap],
    options: ScoreOptions,
    sheet: Sheet,
) -> None:
    judged = {pair: _judge(mode, overlap, options) for pair, overlap in overlaps.items()}
    weights = {
        pair: (judged[pair][1], (overlap.similarity + overlap.same_type) / 2)
        for pair, overlap in overlaps.items()
    }
    matching = optimal_matching(weights)
    sheet.count_each(mode, (golds[g].type for g, p in matching if judged[g, p][0] == "COR"), _COR)
    for g, p in matching:
        category, credit = judged[g, p]
        if category == "COR":
            continue
        counts = _INC if category == "INC" else Counts(tp=credit, pos=1, act=1, par=1)
        sheet.count(mode, golds[g].type, counts)
        reason = _reason(mode, overlaps[g, p], golds[g], preds[p], credit)
        _error(sheet, mode, category, reason, golds[g], preds[p])
    matched_gold = {g for g, _ in matching}
    missed = [m for g, m in enumerate(golds) if g not in matched_gold]
    sheet.count_each(mode, (m.type for m in missed), _MIS)
    for m in missed:
        _error(sheet, mode, "MIS", "no predicted mention was matched to it", m, None)
    matched_pred = {p for _, p in matching}
    spurious = [m for p, m in enumerate(preds) if p not in matched_pred]
    sheet.count_each(mode, (m.type for m in spurious), _SPU)
    for m in spurious:
        _error(sheet, mode, "SPU", "it was matched to no gold mention", None, m)


def _judge(mode: str, pair: _Overlap, options: ScoreOptions) -> tuple[str, float]:
    """The category and credit of an overlapping pair in one mode."""
    if mode == "partial":
        if pair.same_spans:
            return "COR", 1.0
        return "PAR", 0.5 if options.partial_credit == "half" else pair.similarity
    correct = {
        "strict": pair.same_spans and pair.same_type,
        "exact": pair.same_spans,
        "type": pair.same_type,
    }[mode]
    return ("COR", 1.0) if correct else ("INC", 0.0)


def _reason(mode: str, pair: _Overlap, gold: Mention, pred: Mention, credit: float) -> str:
    parts = []
    if not pair.same_spans and mode != "type":
        parts.append("boundaries differ")
    if not pair.same_type and mode in ("strict", "type"):
        parts.append(f"type differs: gold {gold.type}, predicted {pred.type}")
    if mode == "partial":
        parts.append(f"credit {credit:.4g}")
    return "; ".join(parts)


def _error(
    sheet: Sheet, mode: str, category: str, reason: str, gold: Mention | None, pred: Mention | None
) -> None:
    sheet.error(
        mode,
        _ERROR_KIND[category],
        reason,
        sheet.describe(gold, mention_json) if gold else None,
        sheet.describe(pred, mention_json) if pred else None,
    )
