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

from dataclasses import dataclass

from newsbench.eval.conll import count_chunks
from newsbench.eval.counts import Counts
from newsbench.eval.describe import mention_json
from newsbench.eval.match import Pair, dice, overlapping_pairs, solve_components, split_components
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
    # Every mode pairs the same candidates, so the candidate graph is split once; pairs that are components
    # on their own are matched in every mode, and only the tangled components are solved per mode.
    singles, components = split_components(overlaps)
    kinds: dict[tuple[bool, bool], list[Pair]] = {}
    for pair in singles:
        overlap = overlaps[pair]
        kinds.setdefault((overlap.same_spans, overlap.same_type), []).append(pair)
    unpaired_gold = set(range(len(golds))).difference(g for g, _ in overlaps)
    unpaired_pred = set(range(len(preds))).difference(p for _, p in overlaps)
    tangled = {pair: overlaps[pair] for component in components for pair in component}
    sheet = Sheet(result, TASK)
    for mode in MODES:
        judged = {pair: _judge(mode, overlap, options) for pair, overlap in tangled.items()}
        weights = {
            pair: (judged[pair][1], (overlap.similarity + overlap.same_type) / 2)
            for pair, overlap in tangled.items()
        }
        solved = solve_components([], components, weights)
        correct = [pair for pair in solved if judged[pair][0] == "COR"]
        wrong = [pair for pair in solved if judged[pair][0] != "COR"]
        for (same_spans, same_type), pairs in kinds.items():
            if _correct(mode, same_spans, same_type):
                correct += pairs
            else:
                wrong += pairs
        sheet.count_each(mode, (golds[g].type for g, _ in correct), _COR)
        for g, p in sorted(wrong):
            category, credit = judged.get((g, p)) or _judge(mode, overlaps[g, p], options)
            counts = _INC if category == "INC" else Counts(tp=credit, pos=1, act=1, par=1)
            sheet.count(mode, golds[g].type, counts)
            reason = _reason(mode, overlaps[g, p], golds[g], preds[p], credit)
            _error(sheet, mode, category, reason, golds[g], preds[p])
        missed = sorted(unpaired_gold.union(g for g, _ in tangled).difference(g for g, _ in solved))
        sheet.count_each(mode, (golds[g].type for g in missed), _MIS)
        for g in missed:
            _error(sheet, mode, "MIS", "no predicted mention was matched to it", golds[g], None)
        spurious = sorted(unpaired_pred.union(p for _, p in tangled).difference(p for _, p in solved))
        sheet.count_each(mode, (preds[p].type for p in spurious), _SPU)
        for p in spurious:
            _error(sheet, mode, "SPU", "it was matched to no gold mention", None, preds[p])
    count_chunks(gold.text, golds, preds, sheet)
    sheet.close()


def _correct(mode: str, same_spans: bool, same_type: bool) -> bool:
    """Whether an overlapping pair is COR in a mode (otherwise INC, or PAR in ``partial``)."""
    if mode == "strict":
        return same_spans and same_type
    if mode == "type":
        return same_type
    return same_spans  # exact, partial


def _judge(mode: str, pair: _Overlap, options: ScoreOptions) -> tuple[str, float]:
    """The category and credit of an overlapping pair in one mode."""
    if mode == "partial":
        if pair.same_spans:
            return "COR", 1.0
        return "PAR", 0.5 if options.partial_credit == "half" else pair.similarity
    return ("COR", 1.0) if _correct(mode, pair.same_spans, pair.same_type) else ("INC", 0.0)


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
