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
from operator import itemgetter

from newsbench.eval.metrics.describe import item_key, quote_json
from newsbench.eval.metrics.lazy import lazy
from newsbench.eval.metrics.match import Pair, exact_pairs, optimal_matching, overlapping_pairs
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.referents import Referents
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.scope import IgnoreRegions, task_types
from newsbench.eval.metrics.tally import Matched, Near, Sheet, add_judgement, tally_matching
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
    golds, gold_offsets = _scored_quotes(gold, ignore, types)
    preds, pred_offsets = _scored_quotes(pred, ignore, types)
    if not golds and not preds:
        return  # nothing counted and nothing wrong
    gold_types = [q.type for q in golds]
    pred_types = [q.type for q in preds]
    labels = gold_types, pred_types

    same = exact_pairs(gold_offsets, pred_offsets)
    exact = optimal_matching(same, lambda pair: (1.0, float(gold_types[pair[0]] == pred_types[pair[1]])))

    overlapping = {
        (g, p): common for g, p, common in overlapping_pairs(gold_offsets, pred_offsets, options.overlap)
    }

    def similarity(pair: Pair) -> float:
        return dice(gold_offsets[pair[0]], pred_offsets[pair[1]], overlapping[pair])

    aligned = optimal_matching(overlapping, lambda pair: (float(overlapping[pair]), similarity(pair)))
    by_span = tally_matching(exact, *labels, sheet.errors_on)
    _count_items("content_exact", golds, preds, by_span, sheet, aligned, "span")
    _count_overlap(golds, preds, labels, gold_offsets, pred_offsets, aligned, overlapping, sheet)

    _count_cues(golds, preds, sheet)

    speakers = _Speakers(gold, pred)
    # Whether the speaker is right, per aligned pair: end_to_end asks again of every overlapping pair.
    speaker_judged_by_pair = _judge_aligned(golds, preds, gold, pred, aligned, speakers, sheet)

    def speaker_right(pair: Pair) -> bool:
        known = speaker_judged_by_pair.get(pair)
        return speakers.correct(golds[pair[0]], preds[pair[1]]) if known is None else known

    attributed = [pair for pair in overlapping if speaker_right(pair)]
    end_to_end = optimal_matching(attributed, lambda pair: (1.0, similarity(pair)))
    # Where the exactly matched quotes are the attributed ones, the two metrics count alike: tallied once.
    by_speaker = by_span if end_to_end == exact else tally_matching(end_to_end, *labels, sheet.errors_on)
    _count_items("end_to_end", golds, preds, by_speaker, sheet, aligned, "speaker")
    sheet.close()


def _judge_aligned(
    golds: Sequence[Quote],
    preds: Sequence[Quote],
    gold: Document,
    pred: Document,
    aligned: Sequence[Pair],
    speakers: _Speakers,
    sheet: Sheet,
) -> dict[Pair, bool]:
    """Count the speaker and type accuracies over the ``aligned`` pairs, with their errors pair by pair;
    returns whether each pair's speaker is right."""
    # Per gold type, the accuracy rows of the judgements (add_judgement).
    speaker_rows: dict[str, list[int]] = {}
    type_rows: dict[str, list[int]] = {}
    speaker_right: dict[Pair, bool] = {}
    for g, p in aligned:
        gold_quote, pred_quote = golds[g], preds[p]
        correct = speaker_right[g, p] = speakers.correct(gold_quote, pred_quote)
        add_judgement(speaker_rows, gold_quote.type, correct)
        if not correct and sheet.errors_on:
            expected, found = speakers.describe(gold_quote, gold), speakers.describe(pred_quote, pred)
            reason = f"speaker: gold {expected}, predicted {found}"
            sheet.error(
                "speaker",
                "INC",
                reason,
                (gold_quote, pred_quote),
                quote_json,
                item_key,
                layer="quotes",
                cause="speaker",
            )
        same_type = gold_quote.type == pred_quote.type
        add_judgement(type_rows, gold_quote.type, same_type)
        if not same_type and sheet.errors_on:
            reason = f"type: gold {gold_quote.type}, predicted {pred_quote.type}"
            sheet.error(
                "type_accuracy",
                "INC",
                reason,
                (gold_quote, pred_quote),
                quote_json,
                item_key,
                layer="quotes",
                cause="type",
            )
    sheet.count_rows("speaker", speaker_rows)
    sheet.count_rows("type_accuracy", type_rows)
    return speaker_right


def _scored_quotes(
    doc: Document, ignore: IgnoreRegions, types: frozenset[str] | None
) -> tuple[list[Quote], list[Offsets]]:
    """Quotes in scope (and of the types kept) and their content's offsets, in a canonical order (by
    offsets, type, id) so matching ignores list order."""
    if not doc.quotes:
        return [], []
    kept = []
    covers = ignore.covers if ignore else None
    for q in doc.quotes:
        if types is None or q.type in types:
            where = offsets(q.content)
            if covers is None or not covers(where):
                kept.append((where, q.type, q.id, q))
    kept.sort(key=_CANONICAL)
    return [item[3] for item in kept], [item[0] for item in kept]


_CANONICAL = itemgetter(0, 1, 2)
"""Offsets, type, id: never the quote itself, which has no order."""


def _count_items(
    metric: str,
    golds: Sequence[Quote],
    preds: Sequence[Quote],
    correct: Matched,
    sheet: Sheet,
    aligned: Sequence[Pair],
    cause: str,
) -> None:
    """P/R/F over quotes, from the tally of the correct pairs under the quotes' types: each correct pair is a
    true positive, every other quote an error. A missed gold and a spurious predicted quote that the content
    overlap pairs (``aligned``) are one error, of ``cause`` (their spans differ, or the speaker is wrong),
    listed once."""
    sheet.count_rows(metric, correct.rows)
    if not sheet.errors_on:
        return
    partner = dict(aligned)
    reason = "content spans differ" if cause == "span" else "the speaker is wrong"

    def near(g: int, left: set[int]) -> Near | None:
        p = partner.get(g)
        return (p, reason, cause) if p is not None and p in left else None

    sheet.unmatched(
        metric,
        correct.missed,
        correct.spurious,
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
    labels: tuple[Sequence[str], Sequence[str]],
    gold_offsets: Sequence[Offsets],
    pred_offsets: Sequence[Offsets],
    aligned: Sequence[Pair],
    overlapping: dict[Pair, int],
    sheet: Sheet,
) -> None:
    """P/R/F over code points: each ``aligned`` pair (sorted) earns the code points it shares
    (``overlapping``)."""
    metric = "content_overlap"
    gold_types, pred_types = labels
    rows: dict[str, list[int]] = {}
    for g, p in aligned:
        common = overlapping[g, p]
        gold_size, pred_size = size(gold_offsets[g]), size(pred_offsets[p])
        _add(rows, gold_types[g], common, gold_size, pred_size)
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
    missed: list[int] = []
    spurious: list[int] = []
    if len(aligned) < len(golds):
        matched_gold = {g for g, _ in aligned}
        missed = [g for g in range(len(golds)) if g not in matched_gold]
    if len(aligned) < len(preds):
        matched_pred = {p for _, p in aligned}
        spurious = [p for p in range(len(preds)) if p not in matched_pred]
    for g in missed:
        _add(rows, gold_types[g], 0, size(gold_offsets[g]), 0)
    for p in spurious:
        _add(rows, pred_types[p], 0, 0, size(pred_offsets[p]))
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
    sheet.count_rows(metric, rows)


def _add(rows: dict[str, list[int]], label: str, tp: int, pos: int, act: int) -> None:
    row = rows.get(label)
    if row is None:
        rows[label] = [tp, pos, act]
    else:
        row[0] += tp
        row[1] += pos
        row[2] += act


def _count_cues(golds: Sequence[Quote], preds: Sequence[Quote], sheet: Sheet) -> None:
    gold_cued, gold_cues, gold_types = _cues(golds)
    pred_cued, pred_cues, pred_types = _cues(preds)
    if not gold_cued and not pred_cued:
        return
    same = exact_pairs(gold_cues, pred_cues)
    matching = optimal_matching(same, lambda pair: (1.0, float(gold_types[pair[0]] == pred_types[pair[1]])))
    metric = "cue"
    missed, spurious = sheet.count_matching(metric, matching, gold_types, pred_types)
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


def _cues(quotes: Sequence[Quote]) -> tuple[list[Quote], list[tuple[int, int] | None], list[str]]:
    """The quotes with a cue, their cues' spans (``None`` for an empty one, as in :func:`_cue`) and their
    types."""
    cued = [q for q in quotes if q.cue is not None]
    return cued, [_cue(q) for q in cued], [q.type for q in cued]


def _cue(q: Quote) -> tuple[int, int] | None:
    return (q.cue.start, q.cue.end) if q.cue else None


class _Speakers:
    """Speaker attribution judged through coreference: see :mod:`newsbench.eval.metrics.referents`.

    The indexes are built on first use: most documents pair few quotes, and many none.
    """

    def __init__(self, gold: Document, pred: Document) -> None:
        self._gold_doc = gold
        self._pred_doc = pred

    @lazy
    def _referents(self) -> Referents:
        return Referents(self._gold_doc)

    @lazy
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
        if doc is self._pred_doc:
            mention = self._pred_mentions.get(quote.speaker)
        else:
            mention = self._referents.gold_mention(quote.speaker)
        return repr(mention.text) if mention else repr(quote.speaker)

    def _pred_mention(self, quote: Quote) -> Mention:
        mention = self._pred_mentions.get(quote.speaker or "")
        if mention is None:
            path = f"$.quotes[{self._pred_doc.quotes.index(quote)}].speaker"
            raise NewsbenchError(
                [Problem("-", self._pred_doc.id, path, f"no mention with id {quote.speaker!r}")]
            )
        return mention
