"""Quote scores: content spans, cues, speaker attribution, quote type, and end to end.

- ``content_exact``: P/R/F over quotes; a predicted quote is correct when its content spans equal a gold
  quote's, one-to-one.
- ``content_overlap``: P/R/F over **code points**. Gold and predicted quotes that share text (at least
  ``options.overlap`` of the gold content, and at least one code point) are paired one-to-one so as to
  maximise the shared code points; ``tp`` is the code points the pairs share, ``pos`` the code points of all
  gold content and ``act`` those of all predicted content. So this metric's counts are characters, not
  quotes, and a long quote weighs more than a short one.
- ``cue``: P/R/F over cue spans (the gold and predicted quotes' cues), exact span, one-to-one.
- ``speaker`` and ``type_accuracy``: accuracy over the ``content_overlap`` pairs. A speaker is correct when
  the predicted speaker mention has exactly the spans of a gold mention of the gold speaker's entity (or, when
  the gold speaker mention is in no entity, the gold speaker's own spans); an unattributed gold quote is
  correct exactly when the prediction is unattributed too.
- ``end_to_end``: P/R/F over quotes; a predicted quote is correct when it is paired with a gold quote whose
  content it overlaps (as above) and its speaker is correct, pairs chosen to maximise the correct ones.

Per-label keys are quote types: a matched pair and a missed item count under the gold quote's type, a
spurious item under the predicted one's, so per-label counts add up to the totals. Quotes whose content
touches the gold's ignore regions are dropped on both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from newsbench.eval.metrics.describe import item_key, quote_json
from newsbench.eval.metrics.match import Pair, exact_pairs, optimal_matching, overlapping_pairs
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.referents import Referents
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.scope import IgnoreRegions, task_types
from newsbench.eval.metrics.tally import Near, Sheet
from newsbench.model import Document, Mention, Quote
from newsbench.problems import NewsbenchError, Problem
from newsbench.spans import Offsets, dice, offsets, size

TASK = "quotes"
METRICS = ("content_exact", "content_overlap", "cue", "speaker", "type_accuracy", "end_to_end")


def score_quotes(
    gold: Document, pred: Document, options: ScoreOptions, result: DocResult, collect_errors: bool
) -> None:
    sheet = Sheet(result, TASK, collect_errors)
    ignore = IgnoreRegions(gold.ignore)
    types = task_types(options.types, TASK)
    golds = _scored_quotes(gold, ignore, types)
    preds = _scored_quotes(pred, ignore, types)
    gold_offsets = [offsets(q.content) for q in golds]
    pred_offsets = [offsets(q.content) for q in preds]

    same = exact_pairs(gold_offsets, pred_offsets)
    exact = optimal_matching(same, lambda pair: (1.0, float(golds[pair[0]].type == preds[pair[1]].type)))

    overlapping = {
        (g, p): common for g, p, common in overlapping_pairs(gold_offsets, pred_offsets, options.overlap)
    }

    def similarity(pair: Pair) -> float:
        return dice(gold_offsets[pair[0]], pred_offsets[pair[1]], overlapping[pair])

    aligned = optimal_matching(overlapping, lambda pair: (float(overlapping[pair]), similarity(pair)))
    _count_items("content_exact", golds, preds, exact, sheet, aligned, "span")
    _count_overlap(
        golds, preds, gold_offsets, pred_offsets, {pair: overlapping[pair] for pair in aligned}, sheet
    )

    _count_cues(golds, preds, sheet)

    speakers = _Speakers(gold, pred)
    speaker_judged: list[tuple[str, bool]] = []
    type_judged: list[tuple[str, bool]] = []
    # Whether the speaker is right, per aligned pair: end_to_end asks again of every overlapping pair.
    speaker_judged_by_pair: dict[Pair, bool] = {}
    for g, p in aligned:
        correct = speaker_judged_by_pair[g, p] = speakers.correct(golds[g], preds[p])
        speaker_judged.append((golds[g].type, correct))
        if not correct and sheet.errors_on:
            expected, found = speakers.describe(golds[g], gold), speakers.describe(preds[p], pred)
            reason = f"speaker: gold {expected}, predicted {found}"
            sheet.error(
                "speaker",
                "INC",
                reason,
                (golds[g], preds[p]),
                quote_json,
                item_key,
                layer="quotes",
                cause="speaker",
            )
        same_type = golds[g].type == preds[p].type
        type_judged.append((golds[g].type, same_type))
        if not same_type and sheet.errors_on:
            reason = f"type: gold {golds[g].type}, predicted {preds[p].type}"
            sheet.error(
                "type_accuracy",
                "INC",
                reason,
                (golds[g], preds[p]),
                quote_json,
                item_key,
                layer="quotes",
                cause="type",
            )

    sheet.count_judged("speaker", speaker_judged)
    sheet.count_judged("type_accuracy", type_judged)

    def speaker_right(pair: Pair) -> bool:
        known = speaker_judged_by_pair.get(pair)
        return speakers.correct(golds[pair[0]], preds[pair[1]]) if known is None else known

    attributed = {pair for pair in overlapping if speaker_right(pair)}
    end_to_end = optimal_matching(attributed, lambda pair: (1.0, similarity(pair)))
    _count_items("end_to_end", golds, preds, end_to_end, sheet, aligned, "speaker")
    sheet.close()


def _scored_quotes(doc: Document, ignore: IgnoreRegions, types: frozenset[str] | None) -> list[Quote]:
    """Quotes in scope (and of the types kept), in a canonical order so matching ignores list order."""
    kept = [
        q for q in doc.quotes if not ignore.covers(offsets(q.content)) and (types is None or q.type in types)
    ]
    return sorted(kept, key=lambda q: (offsets(q.content), q.type, q.id))


def _count_items(
    metric: str,
    golds: Sequence[Quote],
    preds: Sequence[Quote],
    correct: Sequence[Pair],
    sheet: Sheet,
    aligned: Sequence[Pair],
    cause: str,
) -> None:
    """P/R/F over quotes: each correct pair is a true positive, every other quote an error. A missed gold
    and a spurious predicted quote that the content overlap pairs (``aligned``) are one error, of ``cause``
    (their spans differ, or the speaker is wrong), listed once."""
    missed, spurious = sheet.count_matching(metric, correct, [q.type for q in golds], [q.type for q in preds])
    if not sheet.errors_on:
        return
    partner = dict(aligned)
    reason = "content spans differ" if cause == "span" else "the speaker is wrong"

    def near(g: int, left: set[int]) -> Near | None:
        p = partner.get(g)
        return (p, reason, cause) if p is not None and p in left else None

    sheet.unmatched(
        metric,
        missed,
        spurious,
        (golds, preds),
        quote_json,
        item_key,
        layer="quotes",
        reasons=("no predicted quote was matched to it", "it was matched to no gold quote"),
        near=near,
    )


def _count_overlap(
    golds: Sequence[Quote],
    preds: Sequence[Quote],
    gold_offsets: Sequence[Offsets],
    pred_offsets: Sequence[Offsets],
    aligned: dict[Pair, int],
    sheet: Sheet,
) -> None:
    """P/R/F over code points: each pair earns the code points it shares."""
    metric = "content_overlap"
    rows: dict[str, list[int]] = {}
    for (g, p), common in sorted(aligned.items()):
        gold_size, pred_size = size(gold_offsets[g]), size(pred_offsets[p])
        _add(rows, golds[g].type, common, gold_size, pred_size)
        if gold_offsets[g] != pred_offsets[p] and sheet.errors_on:
            reason = f"shares {common:g} of {gold_size} gold and {pred_size} predicted code points"
            sheet.error(
                metric,
                "PAR",
                reason,
                (golds[g], preds[p]),
                quote_json,
                item_key,
                layer="quotes",
                cause="span",
            )
    matched_gold = {g for g, _ in aligned}
    matched_pred = {p for _, p in aligned}
    missed = [g for g in range(len(golds)) if g not in matched_gold]
    spurious = [p for p in range(len(preds)) if p not in matched_pred]
    for g in missed:
        _add(rows, golds[g].type, 0, size(gold_offsets[g]), 0)
    for p in spurious:
        _add(rows, preds[p].type, 0, 0, size(pred_offsets[p]))
    if sheet.errors_on:
        sheet.unmatched(
            metric,
            missed,
            spurious,
            (golds, preds),
            quote_json,
            item_key,
            layer="quotes",
            reasons=("no predicted quote overlaps it", "it overlaps no gold quote"),
        )
    sheet.count_labels(
        metric, [(label, tp, pos, act, 0, 0, 0, 0) for label, (tp, pos, act) in sorted(rows.items())]
    )


def _add(rows: dict[str, list[int]], label: str, tp: int, pos: int, act: int) -> None:
    row = rows.get(label)
    if row is None:
        rows[label] = [tp, pos, act]
    else:
        row[0] += tp
        row[1] += pos
        row[2] += act


def _count_cues(golds: Sequence[Quote], preds: Sequence[Quote], sheet: Sheet) -> None:
    gold_cued = [q for q in golds if q.cue is not None]
    pred_cued = [q for q in preds if q.cue is not None]
    same = exact_pairs([_cue(q) for q in gold_cued], [_cue(q) for q in pred_cued])
    matching = optimal_matching(
        same, lambda pair: (1.0, float(gold_cued[pair[0]].type == pred_cued[pair[1]].type))
    )
    metric = "cue"
    missed, spurious = sheet.count_matching(
        metric, matching, [q.type for q in gold_cued], [q.type for q in pred_cued]
    )
    if not sheet.errors_on:
        return
    sheet.unmatched(
        metric,
        missed,
        spurious,
        (gold_cued, pred_cued),
        quote_json,
        item_key,
        layer="cues",
        reasons=("no predicted cue has this span", "no gold cue has this span"),
    )


def _cue(q: Quote) -> tuple[int, int] | None:
    return (q.cue.start, q.cue.end) if q.cue else None


class _Speakers:
    """Speaker attribution judged through coreference: see :mod:`newsbench.eval.metrics.referents`.

    The indexes are built on first use: most documents pair few quotes, and many none.
    """

    def __init__(self, gold: Document, pred: Document) -> None:
        self._gold_doc = gold
        self._pred_doc = pred

    @cached_property
    def _referents(self) -> Referents:
        return Referents(self._gold_doc)

    @cached_property
    def _gold_mentions(self) -> dict[str, Mention]:
        return self._gold_doc.mention_index()

    @cached_property
    def _pred_mentions(self) -> dict[str, Mention]:
        return self._pred_doc.mention_index()

    def correct(self, gold: Quote, pred: Quote) -> bool:
        if gold.speaker is None or pred.speaker is None:
            return gold.speaker is None and pred.speaker is None
        mention = self._pred_mention(pred)
        return self._referents.same(gold.speaker, mention)

    def describe(self, quote: Quote, doc: Document) -> str:
        if quote.speaker is None:
            return "unattributed"
        mentions = self._pred_mentions if doc is self._pred_doc else self._gold_mentions
        mention = mentions.get(quote.speaker)
        return repr(mention.text) if mention else repr(quote.speaker)

    def _pred_mention(self, quote: Quote) -> Mention:
        mention = self._pred_mentions.get(quote.speaker or "")
        if mention is None:
            path = f"$.quotes[{self._pred_doc.quotes.index(quote)}].speaker"
            raise NewsbenchError(
                [Problem("-", self._pred_doc.id, path, f"no mention with id {quote.speaker!r}")]
            )
        return mention
