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
regions are dropped on both sides.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbench.eval.counts import Counts
from newsbench.eval.describe import mention_json
from newsbench.eval.match import Offsets, dice, offsets, optimal_matching, overlapping_pairs
from newsbench.eval.options import ScoreOptions
from newsbench.eval.results import DocResult
from newsbench.eval.scope import IgnoreRegions
from newsbench.eval.tally import Sheet

from newsbench.model import Document, Mention

TASK = "entities"
MODES = ("strict", "exact", "type", "partial")

_ERROR_KIND = {"INC": "INC", "PAR": "PAR", "MIS": "FN", "SPU": "FP"}


def scored_mentions(doc: Document, ignore: IgnoreRegions, options: ScoreOptions) -> list[Mention]:
    """The mentions in scope, in a canonical order (by spans, type, kind, id) so matching ignores list order."""
    kept = [
        m for m in doc.mentions if m.kind in options.mention_kinds and not ignore.covers(offsets(m.spans))
    ]
    return sorted(kept, key=lambda m: (offsets(m.spans), m.type, m.kind, m.id))


def score_entities(gold: Document, pred: Document, options: ScoreOptions, result: DocResult) -> None:
    ignore = IgnoreRegions(gold.ignore)
    golds = scored_mentions(gold, ignore, options)
    preds = scored_mentions(pred, ignore, options)
    gold_offsets = [offsets(m.spans) for m in golds]
    pred_offsets = [offsets(m.spans) for m in preds]
    candidates = overlapping_pairs(gold_offsets, pred_offsets, options.overlap)
    sheet = Sheet(result, TASK)
    for mode in MODES:
        _score_mode(mode, golds, preds, gold_offsets, pred_offsets, candidates, options, sheet)
    sheet.close()


def _score_mode(
    mode: str,
    golds: Sequence[Mention],
    preds: Sequence[Mention],
    gold_offsets: Sequence[Offsets],
    pred_offsets: Sequence[Offsets],
    candidates: Sequence[tuple[int, int, int]],
    options: ScoreOptions,
    sheet: Sheet,
) -> None:
    judged: dict[tuple[int, int], tuple[str, float]] = {}
    weights: dict[tuple[int, int], tuple[float, float]] = {}
    for g, p, common in candidates:
        overlap = dice(gold_offsets[g], pred_offsets[p], common)
        category, credit = _judge(mode, golds[g], preds[p], overlap, options)
        judged[g, p] = category, credit
        weights[g, p] = credit, (overlap + (golds[g].type == preds[p].type)) / 2
    matched_gold: set[int] = set()
    matched_pred: set[int] = set()
    for g, p in optimal_matching(weights):
        matched_gold.add(g)
        matched_pred.add(p)
        category, credit = judged[g, p]
        counts = Counts(
            tp=credit,
            pos=1,
            act=1,
            cor=int(category == "COR"),
            inc=int(category == "INC"),
            par=int(category == "PAR"),
        )
        sheet.count(mode, golds[g].type, counts)
        if category != "COR":
            reason = _reason(mode, golds[g], preds[p], credit)
            _error(sheet, mode, category, reason, golds[g], preds[p])
    for g, m in enumerate(golds):
        if g not in matched_gold:
            sheet.count(mode, m.type, Counts(pos=1, mis=1))
            _error(sheet, mode, "MIS", "no predicted mention was matched to it", m, None)
    for p, m in enumerate(preds):
        if p not in matched_pred:
            sheet.count(mode, m.type, Counts(act=1, spu=1))
            _error(sheet, mode, "SPU", "it was matched to no gold mention", None, m)


def _judge(
    mode: str, gold: Mention, pred: Mention, overlap: float, options: ScoreOptions
) -> tuple[str, float]:
    """The category and credit of an overlapping pair in one mode."""
    same_spans = offsets(gold.spans) == offsets(pred.spans)
    same_type = gold.type == pred.type
    if mode == "partial":
        if same_spans:
            return "COR", 1.0
        return "PAR", 0.5 if options.partial_credit == "half" else overlap
    correct = {"strict": same_spans and same_type, "exact": same_spans, "type": same_type}[mode]
    return ("COR", 1.0) if correct else ("INC", 0.0)


def _reason(mode: str, gold: Mention, pred: Mention, credit: float) -> str:
    parts = []
    if offsets(gold.spans) != offsets(pred.spans) and mode != "type":
        parts.append("boundaries differ")
    if gold.type != pred.type and mode in ("strict", "type"):
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
        mention_json(gold) if gold else None,
        mention_json(pred) if pred else None,
    )
