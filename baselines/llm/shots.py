"""Few-shot examples for the ``llm`` prompt: annotated articles of the corpus's *train* split, as answers.

Examples are chosen only from the documents handed over as the training split (the benchmark and ``run``
give the train split, never dev or test, and none at all when the run itself is on train), deterministically:
among the training articles of at most ``max_chars`` code points, ``count`` drawn by a seeded RNG over the
documents sorted by id, so the same corpus and config always give the same examples. Each gold document is
turned into the answer the model should give for it, in the same schema and with the same ``occurrence``
counting that :func:`newsbench.baselines.locate.align` reads back, so an example teaches exactly what is
scored. Mentions that cannot be written as one copied string (discontinuous ones) are left out of an example.

The examples are part of the prompt, so they must be part of the prediction cache key and must reach every
worker that rebuilds the system from its config: the config names them by the SHA-256 of their canonical JSON
(and by document id, for people reading it), and their JSON text travels beside the config
(:meth:`newsbench.baselines.llm.extractor.LLMExtractor.recipe_extras`), checked against that hash on arrival.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsbench.baselines.locate import find_all
from newsbench.digest import sha256_json
from newsbench.model import Document
from newsbench.problems import NewsbenchError

JSON = dict[str, Any]


@dataclass(frozen=True)
class Example:
    """One article of the train split and the answer its gold annotation gives."""

    id: str
    text: str
    answer: JSON

    def to_json(self) -> JSON:
        return {"id": self.id, "text": self.text, "answer": self.answer}


def _occurrence(text: str, needle: str, start: int) -> int | None:
    """Which repeat of ``needle`` starts at ``start``, counted as the locator counts (1-based)."""
    starts = find_all(text, needle)
    return starts.index(start) + 1 if start in starts else None


def _mention_names(doc: Document) -> dict[str, str]:
    """Each mention's entity name: the entity's name, else its first named mention, else its first mention."""
    by_id = {m.id: m for m in doc.mentions}
    names: dict[str, str] = {}
    for entity in doc.entities:
        members = [by_id[m] for m in entity.mentions if m in by_id]
        named = [m for m in members if m.kind == "NAM"] or members
        label = entity.name or (named[0].text if named else "")
        for m in members:
            names[m.id] = label
    return names


def gold_answer(doc: Document) -> JSON:
    """The answer a perfect model gives for ``doc``: its gold layers as strings copied from the text."""
    text = doc.text
    names = _mention_names(doc)
    by_id = {m.id: m for m in doc.mentions}
    mentions = []
    for m in sorted(doc.mentions, key=lambda m: (m.start, m.end, m.id)):
        occurrence = _occurrence(text, m.text, m.start) if len(m.spans) == 1 else None
        if occurrence is not None:
            entity = names.get(m.id) or m.text
            mentions.append(
                {"text": m.text, "type": m.type, "kind": m.kind, "occurrence": occurrence, "entity": entity}
            )
    events = []
    for ev in sorted(doc.events, key=lambda e: (e.trigger.start, e.id)):
        occurrence = _occurrence(text, ev.trigger.text, ev.trigger.start)
        if occurrence is not None:
            arguments = [
                {"role": a.role, "mention": by_id[a.mention].text} for a in ev.arguments if a.mention in by_id
            ]
            events.append(
                {
                    "trigger": ev.trigger.text,
                    "occurrence": occurrence,
                    "type": ev.type,
                    "arguments": arguments,
                }
            )
    quotes = []
    for q in sorted(doc.quotes, key=lambda q: (q.content[0].start, q.id)):
        speaker = by_id[q.speaker].text if q.speaker in by_id else None
        quotes.append(
            {
                "content": text[q.content[0].start : q.content[-1].end],
                "type": q.type,
                "cue": q.cue.text if q.cue is not None else None,
                "speaker": speaker,
            }
        )
    return {"mentions": mentions, "events": events, "quotes": quotes}


def choose(train: Sequence[Document], count: int, max_chars: int, seed: int) -> list[Example]:
    """``count`` training articles of at most ``max_chars`` code points, drawn with ``seed``, in id order."""
    if count < 0 or max_chars < 0:
        raise NewsbenchError(f"llm: shots ({count}) and shot_max_chars ({max_chars}) must not be negative")
    fitting = sorted((d for d in train if len(d.text) <= max_chars), key=lambda d: d.id)
    chosen = random.Random(seed).sample(fitting, min(count, len(fitting)))
    return [Example(d.id, d.text, gold_answer(d)) for d in sorted(chosen, key=lambda d: d.id)]


def examples_json(examples: Sequence[Example]) -> str:
    """The examples as the JSON text that travels to workers."""
    return json.dumps([e.to_json() for e in examples], ensure_ascii=False, sort_keys=True)


def reference(examples: Sequence[Example]) -> JSON | None:
    """What the config says of the examples: their ids and the hash of their content (None: no examples)."""
    if not examples:
        return None
    return {"ids": [e.id for e in examples], "sha256": sha256_json([e.to_json() for e in examples])}


def load(text: str, wanted: JSON) -> list[Example]:
    """Examples from their JSON text, refused unless they are the ones the config names."""
    try:
        raw = json.loads(text)
        examples = [Example(str(e["id"]), str(e["text"]), dict(e["answer"])) for e in raw]
    except (ValueError, TypeError, KeyError) as exc:
        raise NewsbenchError(f"llm: the few-shot examples are not readable ({exc})") from None
    if reference(examples) != wanted:
        raise NewsbenchError(
            f"llm: the few-shot examples given do not match the config's (sha256 {wanted.get('sha256')}); "
            "build the system with LLMExtractor.trained(train documents)"
        )
    return examples
