"""Quotations and reported speech, found from quotation marks and speech cues, without parsing.

Direct quotes are the text between double quotation marks (straight or curly, or guillemets); a quotation
that reaches the end of its paragraph unclosed runs on into the next paragraph when that one opens with a mark.
It is attributed as a whole, and written as one quote per paragraph (guidelines 6.6): the cue goes with the
paragraph that holds it, the speaker with all of them. A quoted fragment that does not start its sentence (nor follow a
"said:"-style cue) is a mixed quote, kept only when its sentence holds a speech cue -- otherwise it is a scare
quote. Indirect quotes are sentences without quotation marks that report speech: "according to X, ...",
"X told Y that ...", "X confirmed ...", "..., X said."

The cue is the nearest speech verb; the speaker is looked for on the cue's subject side: between the closing
mark and the verb ("..." Rasool said), after the verb ("..." said Rasool), or before the verb in the sentence
(X condemned ... "..."). A quote with no cue that starts its sentence, in the paragraph of the previous quote or
the next one, keeps the previous quote's speaker; a quote interrupted by its attribution ("A," she said, "B.")
is one quote with two content spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsbench.model import Mention, Quote
from newsbench.spans import Span

from .lexicon import Lexicon, lexicon
from .marks import ANY_MARK, Marked, quoted_stretches
from .segments import Segment, all_sentences, paragraphs

_WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
_SPEAKER_TYPES = ("PER", "ORG", "GPE")
_CUE_WINDOW_WORDS = 8
_THAT_WINDOW_WORDS = 6
_NOT_A_CLAUSE = frozenset(
    [
        "in",
        "on",
        "at",
        "to",
        "by",
        "for",
        "with",
        "after",
        "before",
        "during",
        "about",
        "of",
        "from",
        "into",
        "over",
        "as",
        "it",
        "this",
        "week",
        "month",
        "year",
    ]
)


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int


_Found = tuple[tuple[int, int], _Cue, Mention | None, Mention | None]
"""An indirect quote before it becomes a :class:`Quote`: content range, cue, speaker, addressee."""


class QuoteFinder:
    """Finds the quotes of one document, given its mentions (speakers and addressees are mention ids)."""

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.text = text
        self.lex: Lexicon = lexicon()
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]
        self.sentences = all_sentences(text, self.lex)
        self.paragraphs = paragraphs(text)
        self.quotes: list[Quote] = []

    # -- lookups -------------------------------------------------------------------------------------------

    def sentence_of(self, pos: int) -> Segment:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return Segment(pos, pos)

    def cues(self, start: int, end: int) -> list[_Cue]:
        """Speech verbs and phrases ("called on", "according to") in ``[start, end)``; a phrase wins over
        the verb it starts with."""
        phrases: list[_Cue] = []
        low = self.text[start:end].lower()
        for phrase in (*self.lex.cue_phrases, *self.lex.source_phrases):
            for found in re.finditer(rf"\b{re.escape(phrase)}\b", low):
                phrases.append(_Cue(start + found.start(), start + found.end()))
        out = list(phrases)
        for match in _WORD.finditer(self.text, start, end):
            word = match.group()
            inside = any(p.start <= match.start() < p.end for p in phrases)
            if word in self.lex.speech_verbs and word.islower() and not inside:
                out.append(_Cue(match.start(), match.end()))
        return sorted(out, key=lambda c: c.start)

    def candidates(self, start: int, end: int) -> list[Mention]:
        """Mentions that can speak inside ``[start, end)``: persons, organisations and places (a country
        "said"), the outermost of nested ones ("[[Iraqi] officials]"), none inside a quotation -- unless
        the range itself lies inside one (speech reported within a quote)."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        inside = [m for m in self.mentions[lo:hi] if m.end <= end and m.type in _SPEAKER_TYPES]
        quoted = self.in_quotes(start)
        outer = [
            m
            for m in inside
            if not any(o is not m and o.start <= m.start and m.end <= o.end for o in inside)
            and (quoted or not self.in_quotes(m.start))
        ]
        return outer

    def in_quotes(self, pos: int) -> bool:
        return any(q.type != "indirect" and _inside(q.content, pos) for q in self.quotes)

    def subject(self, start: int, end: int, nearest: bool) -> Mention | None:
        """The likeliest speaker in ``[start, end)``: a named person, else a named organisation, else the
        nearest (``nearest``: closest to ``end``; otherwise the first) other candidate."""
        found = self.candidates(start, end)
        for etype in ("PER", "ORG"):
            named = [m for m in found if m.kind == "NAM" and m.type == etype]
            if named:
                return named[-1] if nearest else named[0]
        if found:
            return found[-1] if nearest else found[0]
        return None

    def addressee(self, cue: _Cue, end: int) -> Mention | None:
        """Whom a cue like "told" or "called on" addresses: the mention right after it."""
        if self.text[cue.start : cue.end].lower() not in self.lex.addressed_cues:
            return None
        found = self.candidates(cue.end, end)
        if found and not _WORD.search(self.text, cue.end, found[0].start):
            return found[0]
        return None

    # -- direct and mixed ----------------------------------------------------------------------------------

    def direct_and_mixed(self) -> None:
        previous: Quote | None = None
        previous_para_end = -1
        for marked in quoted_stretches(self.text):
            sentence = self.sentence_of(marked.open_at)
            prefix = self.text[sentence.start : marked.open_at].strip()
            end_of_quote = marked.close_at + 1 if marked.close_at is not None else marked.content[-1][1]
            last_sentence = self.sentence_of(end_of_quote - 1)
            after = (end_of_quote, max(last_sentence.end, end_of_quote))
            cues_before = self.cues(sentence.start, marked.open_at)
            cues_after = self.cues(*after)[:1]
            cues_after = [
                c for c in cues_after if _words_between(self.text, after[0], c.start) <= _CUE_WINDOW_WORDS
            ]
            direct = prefix == "" or (prefix[-1] in ":," and bool(cues_before))
            cue: _Cue | None
            speaker: Mention | None
            addressee: Mention | None = None
            if direct and cues_after:
                cue = cues_after[0]
                speaker = self.subject(after[0], cue.start, nearest=True) or self.subject(
                    cue.end, after[1], nearest=False
                )
            elif cues_before:
                cue = cues_before[-1]
                addressee = self.addressee(cue, marked.open_at)
                speaker = self.subject(sentence.start, cue.start, nearest=False) or self.subject(
                    cue.end, marked.open_at, nearest=False
                )
            elif cues_after:
                cue = cues_after[0]
                speaker = self.subject(after[0], cue.start, nearest=True)
            elif (
                direct
                and prefix == ""
                and previous is not None
                and self._continues(marked, previous_para_end)
            ):
                cue, speaker = None, self._mention(previous.speaker)
            elif direct:
                cue, speaker = None, None
            else:
                continue  # a scare quote: marks around words nobody is reported as saying
            content = (Span.of(self.text, *marked.content[0]),)
            interrupted = (
                previous is not None
                and direct
                and previous.type == "direct"
                and cue is not None
                and previous.cue == Span.of(self.text, cue.start, cue.end)
                and previous.content[-1].end < cue.start < marked.open_at
            )
            if previous is not None and interrupted:
                # "“A,” she said, “B.”": one quote interrupted by its attribution, two content spans
                previous = replace(previous, content=previous.content + content)
                self.quotes[-1], previous_para_end = previous, end_of_quote
                continue
            cue_span = Span.of(self.text, cue.start, cue.end) if cue else None
            for start, end in marked.content:  # one quote per paragraph (guidelines 6.6)
                here = (
                    cue_span
                    if cue_span and self.paragraph_index(cue_span.start) == self.paragraph_index(start)
                    else None
                )
                quote = Quote(
                    id=f"q{len(self.quotes) + 1}",
                    type="direct" if direct else "mixed",
                    content=(Span.of(self.text, start, end),),
                    cue=here,
                    speaker=speaker.id if speaker else None,
                    addressee=addressee.id if addressee and here else None,
                )
                self.quotes.append(quote)
            previous, previous_para_end = self.quotes[-1], end_of_quote

    def _continues(self, marked: Marked, previous_end: int) -> bool:
        """The quote is in the paragraph where the previous quote ended, or opens the next one."""
        here, there = self.paragraph_index(marked.open_at), self.paragraph_index(previous_end - 1)
        return here is not None and there is not None and here - there in (0, 1)

    def paragraph_index(self, pos: int) -> int | None:
        return next((i for i, p in enumerate(self.paragraphs) if p.start <= pos < p.end), None)

    def _mention(self, mention_id: str | None) -> Mention | None:
        return next((m for m in self.mentions if m.id == mention_id), None)

    # -- indirect ------------------------------------------------------------------------------------------

    def indirect(self) -> None:
        for sentence in self.sentences:
            start, end = sentence.start, sentence.end
            while start < end and self.text[start] in ANY_MARK:
                start += 1
            while end > start and self.text[end - 1] in ".!?;:, " + ANY_MARK:
                end -= 1
            if start == end or any(ch in ANY_MARK for ch in self.text[start:end]):
                continue  # quoted words are direct or mixed quotes; only a whole quoted sentence is searched
            sentence = Segment(start, end)
            found = (
                self._according(sentence, end)
                or self._that_clause(sentence, end)
                or self._said_after(sentence, end)
            )
            if found is None:
                continue
            (c_start, c_end), cue, speaker, addressee = found
            while c_start < c_end and self.text[c_start] in " ,":
                c_start += 1
            while c_end > c_start and self.text[c_end - 1] in " ,":
                c_end -= 1
            if c_end - c_start < 2:
                continue
            self.quotes.append(
                Quote(
                    id=f"q{len(self.quotes) + 1}",
                    type="indirect",
                    content=(Span.of(self.text, c_start, c_end),),
                    cue=Span.of(self.text, cue.start, cue.end),
                    speaker=speaker.id if speaker else None,
                    addressee=addressee.id if addressee else None,
                )
            )

    def _according(self, sentence: Segment, end: int) -> _Found | None:
        """ "According to X, CONTENT" or "CONTENT, according to X"."""
        low = self.text[sentence.start : end].lower()
        for phrase in self.lex.source_phrases:
            hit = re.search(rf"\b{re.escape(phrase)}\b", low)
            if hit is None:
                continue
            cue = _Cue(sentence.start + hit.start(), sentence.start + hit.end())
            comma = self.text.find(",", cue.end, end)
            if hit.start() == 0 and comma != -1:
                return (comma + 1, end), cue, self.subject(cue.end, comma, nearest=False), None
            before = self.text.rfind(",", sentence.start, cue.start)
            if hit.start() > 0 and before != -1 and self.text[before : cue.start].strip() == ",":
                return (sentence.start, before), cue, self.subject(cue.end, end, nearest=False), None
        return None

    def _that_clause(self, sentence: Segment, end: int) -> _Found | None:
        """ "X told Y that CONTENT", "X made clear that CONTENT", "X said CONTENT": a speech cue with a
        subject before it. The last cue before the "that" governs it ("We made clear to A, we made clear to
        B that ...")."""
        for cue in self.cues(sentence.start, end):
            verb = self.text[cue.start : cue.end]
            if verb not in self.lex.that_verbs and verb.lower() not in self.lex.cue_phrases:
                continue
            speaker = self.subject(sentence.start, cue.start, nearest=True)
            if speaker is None:
                continue
            following = list(_WORD.finditer(self.text, cue.end, end))
            that = next((w for w in following[:_THAT_WINDOW_WORDS] if w.group().lower() == "that"), None)
            if that is not None:
                addressee = self.subject(cue.end, that.start(), nearest=True)
                return (that.end(), end), cue, speaker, addressee
            first = following[0] if following else None
            takes_clause = verb in self.lex.that_verbs and verb.lower() not in self.lex.addressed_cues
            if (
                first is not None
                and takes_clause
                and first.group().lower() not in _NOT_A_CLAUSE
                and self.text[cue.end : first.start()] == " "
            ):
                return (first.start(), end), cue, speaker, None
        return None

    def _said_after(self, sentence: Segment, end: int) -> _Found | None:
        """ "CONTENT, X said" and "CONTENT, said X" at the end of a sentence."""
        comma = self.text.rfind(",", sentence.start, end)
        if comma <= sentence.start:
            return None
        tail = list(_WORD.finditer(self.text, comma, end))
        if not 1 < len(tail) <= _CUE_WINDOW_WORDS:
            return None
        verbs = [w for w in tail if w.group() in self.lex.speech_verbs]
        if not verbs:
            return None
        verb = verbs[0]
        cue = _Cue(verb.start(), verb.end())
        speaker = self.subject(comma, verb.start(), nearest=True) or self.subject(
            verb.end(), end, nearest=False
        )
        if speaker is None:
            return None
        return (sentence.start, comma), cue, speaker, None


def _inside(spans: tuple[Span, ...], pos: int) -> bool:
    return any(s.start <= pos < s.end for s in spans)


def _words_between(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end)) if end > start else 0


def find_quotes(text: str, mentions: Sequence[Mention]) -> list[Quote]:
    """Direct, mixed and indirect quotes with cue, speaker and (for "told Y that") addressee."""
    finder = QuoteFinder(text, mentions)
    finder.direct_and_mixed()
    finder.indirect()
    return sorted(finder.quotes, key=lambda q: q.content[0].start)
