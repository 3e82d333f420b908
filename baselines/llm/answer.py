"""From a model's answer (strings copied from the text) to annotation layers with code-point offsets.

Every item is checked against the answer schema on its own, so one bad item costs that item, not the document;
strings are placed in the text by :func:`newsbench.baselines.locate.align`; references between items (event
arguments, quote speakers) are resolved by name to the nearest listed mention. Whatever cannot be placed or
resolved is left out and counted by reason in :class:`AnswerStats`, which the prediction carries in ``meta``,
so a reader sees how much of the model's answer survived. A quote whose type contradicts the quotation marks
around it is given the type the marks show (and counted): that is the reading the text supports.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from newsbench.baselines.llm.client import LLMResponseError
from newsbench.baselines.llm.prompt import answer_schema
from newsbench.baselines.locate import Alignment, align, normalise
from newsbench.consistency import CLOSING_MARKS, OPENING_MARKS
from newsbench.model import Argument, Entity, Event, Mention, Quote
from newsbench.ontology import ontology
from newsbench.spans import Span

JSON = dict[str, Any]
LAYERS = ("mentions", "events", "quotes")
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+\s*")
_LEAD_TRIM = frozenset(OPENING_MARKS | CLOSING_MARKS) | frozenset(" \t")
_TAIL_TRIM = _LEAD_TRIM - frozenset("'’")  # a trailing apostrophe may end a word ("the workers'")


@dataclass
class AnswerStats:
    """How the answer's items fared: placed by which alignment stage, dropped for which reason, retyped."""

    aligned: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    retyped_quotes: int = 0
    ambiguous: int = 0
    """Strings found in several places, placed at a guessed one (the answer's occurrence did not settle it)."""
    located: dict[str, str] = field(default_factory=dict)
    """How each kept span was found (``exact``, ``normalised``, ``fuzzy``), by item id (``m3``,
    ``ev1``, ``q2``, ``q2.cue``)."""
    merged: int = 0
    """Items found again by the answer for a neighbouring chunk, in the overlap of the two: kept once."""

    def place(self, found: Alignment) -> None:
        """Count a string that was found."""
        self.aligned[found.method] += 1
        self.ambiguous += found.ambiguous

    @property
    def not_found(self) -> int:
        """Strings dropped because no place in the text matched them well enough."""
        return sum(n for reason, n in self.dropped.items() if reason.endswith("not found"))

    def to_json(self) -> JSON:
        out: JSON = {
            "aligned": dict(sorted(self.aligned.items())),
            "ambiguous": self.ambiguous,
            "dropped": dict(sorted(self.dropped.items())),
            "located": dict(sorted(self.located.items())),
            "retyped_quotes": self.retyped_quotes,
        }
        if self.merged:
            out["merged_across_chunks"] = self.merged
        return out


@dataclass(frozen=True)
class Piece:
    """The answer for one chunk of the document: the chunk starts at code point ``offset`` of the text."""

    offset: int
    text: str
    answer: JSON

    def locate(
        self,
        needle: str,
        occurrence: int | None = None,
        *,
        near: tuple[int, int] | None = None,
        min_ratio: float,
    ) -> Alignment | None:
        """Where ``needle`` is, searched in this chunk (its occurrences counted there, as the model saw
        them) and given in the document's offsets; ``near`` is in the document's offsets too."""
        local = None if near is None else (near[0] - self.offset, near[1] - self.offset)
        found = align(self.text, needle, occurrence, near=local, min_ratio=min_ratio)
        if found is None:
            return None
        return replace(found, start=found.start + self.offset, end=found.end + self.offset)


def _items(pieces: Sequence[Piece], layer: str, stats: AnswerStats) -> Iterator[tuple[int, Piece, JSON]]:
    """Every schema-valid item of ``layer`` in every chunk's answer, with its chunk's index."""
    for n, piece in enumerate(pieces):
        for item in _valid_items(piece.answer, layer, stats):
            yield n, piece, item


def _again(stats: AnswerStats, origin: dict[Any, int], key: Any, chunk: int, reason: str) -> None:
    """Count an item placed where one already is: merged when an earlier chunk found it (overlap), else a
    duplicate within one answer, dropped."""
    if origin[key] != chunk:
        stats.merged += 1
    else:
        stats.dropped[reason] += 1


@dataclass(frozen=True)
class Layers:
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]


def parse_answer(content: str) -> JSON:
    """The answer object from a message's content (a Markdown code fence around it is tolerated); an answer
    that is not JSON, or lacks one of the three lists, is an error naming what is wrong."""
    fenced = _FENCE.match(content)
    try:
        data = json.loads(fenced.group(1) if fenced else content)
    except json.JSONDecodeError as exc:
        raise LLMResponseError(
            f"the answer is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(data, dict):
        raise LLMResponseError(f"the answer is a JSON {type(data).__name__}, not an object")
    wrong = [key for key in LAYERS if not isinstance(data.get(key), list)]
    if wrong:
        raise LLMResponseError(f"the answer does not match the schema: {', '.join(wrong)} must be a list")
    return data


@cache
def _item_validator(layer: str) -> Draft202012Validator:
    return Draft202012Validator(answer_schema()["properties"][layer]["items"])


def _valid_items(data: JSON, layer: str, stats: AnswerStats) -> Iterable[JSON]:
    validator = _item_validator(layer)
    for item in data[layer]:
        if validator.is_valid(item):
            yield item
        else:
            stats.dropped[f"{layer}: item not matching the schema"] += 1


def _name_key(name: str) -> str:
    return " ".join(normalise(name).text.split())


class _MentionIndex:
    """Listed mentions by name (their own text, and their entity's name), to resolve references."""

    def __init__(self, mentions: list[tuple[Mention, str]]) -> None:
        self._by_text: dict[str, list[Mention]] = {}
        self._by_entity: dict[str, list[Mention]] = {}
        for mention, entity_name in mentions:
            self._by_text.setdefault(_name_key(mention.text), []).append(mention)
            self._by_entity.setdefault(_name_key(entity_name), []).append(mention)

    def nearest(self, name: str, offset: int) -> str | None:
        """The id of the mention called ``name`` nearest ``offset``, by text first, then by entity name."""
        key = _name_key(name)
        candidates = self._by_text.get(key) or self._by_entity.get(key)
        if not candidates:
            return None
        return min(candidates, key=lambda m: (abs(m.start - offset), m.start)).id


def _mentions(
    text: str, pieces: Sequence[Piece], stats: AnswerStats, min_ratio: float
) -> list[tuple[Mention, str]]:
    placed: dict[tuple[int, int], tuple[str, str, str, str]] = {}
    origin: dict[Any, int] = {}
    for chunk, piece, item in _items(pieces, "mentions", stats):
        found = piece.locate(item["text"], item["occurrence"], min_ratio=min_ratio)
        if found is None:
            stats.dropped["mentions: text not found"] += 1
        elif (found.start, found.end) in placed:
            _again(stats, origin, (found.start, found.end), chunk, "mentions: duplicate span")
        else:
            stats.place(found)
            origin[found.start, found.end] = chunk
            placed[found.start, found.end] = (
                item["type"],
                item["kind"],
                item["entity"].strip() or item["text"],
                found.method,
            )
    out = []
    for n, ((start, end), (etype, kind, entity, method)) in enumerate(sorted(placed.items()), 1):
        stats.located[f"m{n}"] = method
        out.append((Mention(f"m{n}", (Span.of(text, start, end),), etype, kind), entity))
    return out


def _entities(mentions: list[tuple[Mention, str]]) -> list[Entity]:
    """One entity per (type, entity name), in order of first mention; the schema wants one type per entity."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    names: dict[tuple[str, str], str] = {}
    for mention, entity_name in mentions:
        key = (mention.type, _name_key(entity_name))
        groups.setdefault(key, []).append(mention)
        names.setdefault(key, entity_name)
    return [
        Entity(f"e{n}", key[0], tuple(m.id for m in members), names[key])
        for n, (key, members) in enumerate(groups.items(), 1)
    ]


def _events(
    text: str, pieces: Sequence[Piece], index: _MentionIndex, stats: AnswerStats, min_ratio: float
) -> list[Event]:
    roles = ontology().event_roles
    placed: dict[tuple[int, int, str], tuple[tuple[Argument, ...], str]] = {}
    origin: dict[Any, int] = {}
    for chunk, piece, item in _items(pieces, "events", stats):
        found = piece.locate(item["trigger"], item["occurrence"], min_ratio=min_ratio)
        if found is None:
            stats.dropped["events: trigger not found"] += 1
            continue
        if (found.start, found.end, item["type"]) in placed:
            _again(stats, origin, (found.start, found.end, item["type"]), chunk, "events: duplicate trigger")
            continue
        stats.place(found)
        origin[found.start, found.end, item["type"]] = chunk
        arguments: list[Argument] = []
        for arg in item["arguments"]:
            mention = index.nearest(arg["mention"], found.start)
            if arg["role"] not in roles[item["type"]]:
                stats.dropped["events: role not allowed for the event type"] += 1
            elif mention is None:
                stats.dropped["events: argument is not a listed mention"] += 1
            elif Argument(arg["role"], mention) in arguments:
                stats.dropped["events: duplicate argument"] += 1
            else:
                arguments.append(Argument(arg["role"], mention))
        placed[found.start, found.end, item["type"]] = (tuple(arguments), found.method)
    events = []
    for n, ((start, end, etype), (args, method)) in enumerate(sorted(placed.items()), 1):
        stats.located[f"ev{n}"] = method
        events.append(Event(f"ev{n}", etype, Span.of(text, start, end), args))
    return events


def _pieces(text: str, start: int, end: int) -> list[Span]:
    """The content spans of a quote found at ``[start, end)``: one per paragraph it runs over, each without
    surrounding whitespace or quotation marks."""
    spans = []
    cuts = [(m.start(), m.end()) for m in _LINE_BREAKS.finditer(text, start, end)]
    bounds = [start, *(x for cut in cuts for x in cut), end]
    for s, e in zip(bounds[::2], bounds[1::2], strict=True):
        while s < e and text[s] in _LEAD_TRIM:
            s += 1
        while e > s and (text[e - 1] in _TAIL_TRIM or text[e - 1].isspace()):
            e -= 1
        if s < e:
            spans.append(Span.of(text, s, e))
    return spans


def _marks_type(text: str, pieces: list[Span], wanted: str) -> str | None:
    """``wanted`` when the quotation marks around the pieces allow it, else the type they do allow (None when
    they allow neither): direct and mixed content sits inside marks, indirect content does not."""

    def inside(span: Span) -> bool:
        opened = span.start > 0 and text[span.start - 1] in OPENING_MARKS
        closed = span.end < len(text) and text[span.end] in CLOSING_MARKS
        at_paragraph_end = span.end == len(text) or text[span.end] in "\r\n"
        return opened and (closed or at_paragraph_end)

    def enclosed(span: Span) -> bool:
        opened = span.start > 0 and text[span.start - 1] in OPENING_MARKS
        return opened and span.end < len(text) and text[span.end] in CLOSING_MARKS

    quoted = all(inside(p) for p in pieces)
    unquoted = not any(enclosed(p) for p in pieces)
    if wanted in ("direct", "mixed"):
        return wanted if quoted else "indirect" if unquoted else None
    return wanted if unquoted else "direct" if quoted else None


def _quotes(
    text: str, chunks: Sequence[Piece], index: _MentionIndex, stats: AnswerStats, min_ratio: float
) -> list[Quote]:
    placed: dict[tuple[Span, ...], tuple[str, Span | None, str | None, tuple[str, str | None]]] = {}
    origin: dict[Any, int] = {}
    for chunk, piece, item in _items(chunks, "quotes", stats):
        needle = item["content"].strip().strip("".join(OPENING_MARKS | CLOSING_MARKS)).strip()
        found = piece.locate(needle, min_ratio=min_ratio)
        pieces = _pieces(text, found.start, found.end) if found else []
        if found is None or not pieces:
            stats.dropped["quotes: content not found"] += 1
            continue
        qtype = _marks_type(text, pieces, item["type"])
        if qtype is None:
            stats.dropped["quotes: content half inside quotation marks"] += 1
            continue
        if tuple(pieces) in placed:
            _again(stats, origin, tuple(pieces), chunk, "quotes: duplicate content")
            continue
        stats.place(found)
        origin[tuple(pieces)] = chunk
        stats.retyped_quotes += qtype != item["type"]
        cue = None
        cue_method = None
        if item["cue"]:
            cue_found = piece.locate(item["cue"], near=(found.start, found.end), min_ratio=min_ratio)
            if cue_found is None:
                stats.dropped["quotes: cue not found"] += 1
            else:
                stats.place(cue_found)
                cue, cue_method = Span.of(text, cue_found.start, cue_found.end), cue_found.method
        speaker = None
        if item["speaker"]:
            speaker = index.nearest(item["speaker"], found.start)
            if speaker is None:
                stats.dropped["quotes: speaker is not a listed mention"] += 1
        placed[tuple(pieces)] = (qtype, cue, speaker, (found.method, cue_method))
    quotes = []
    for n, (content, (qtype, cue, speaker, (method, cue_method))) in enumerate(sorted(placed.items()), 1):
        stats.located[f"q{n}"] = method
        if cue_method is not None:
            stats.located[f"q{n}.cue"] = cue_method
        quotes.append(Quote(f"q{n}", qtype, content, cue, speaker))
    return quotes


def to_layers(text: str, answers: JSON | Sequence[Piece], min_ratio: float) -> tuple[Layers, AnswerStats]:
    """The annotation layers the answer for the whole text (or the answers for its chunks) describe, and
    what became of their items. Chunks overlap, so an item found in two of them is kept once (counted as
    merged); references (arguments, speakers) resolve to the nearest listed mention in any chunk."""
    pieces = [Piece(0, text, answers)] if isinstance(answers, dict) else list(answers)
    stats = AnswerStats()
    mentions = _mentions(text, pieces, stats, min_ratio)
    index = _MentionIndex(mentions)
    layers = Layers(
        mentions=tuple(m for m, _ in mentions),
        entities=tuple(_entities(mentions)),
        events=tuple(_events(text, pieces, index, stats, min_ratio)),
        quotes=tuple(_quotes(text, pieces, index, stats, min_ratio)),
    )
    return layers, stats
