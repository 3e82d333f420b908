"""What the ``llm`` system sends: the instructions, the text, and a compact JSON Schema for the answer.

The model is asked for surface strings, not offsets: language models cannot count code points, but they can
copy words, and :mod:`newsbench.baselines.locate` turns copied words back into offsets. The answer schema is
built from the ontology (so labels are never restated here) and is strict-mode friendly for OpenAI-style
structured output: every object closed, every property required, optional values as ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from newsbench.ontology import ontology

JSON = dict[str, Any]
SCHEMA_NAME = "newsbench_extraction"


def _closed(properties: JSON) -> JSON:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


@cache
def answer_schema() -> JSON:
    """The JSON Schema of an answer: mentions, events and quotes as strings copied from the text."""
    onto = ontology()
    mention = _closed(
        {
            "text": {"type": "string"},
            "type": {"enum": list(onto.entity_types)},
            "kind": {"enum": list(onto.mention_kinds)},
            "occurrence": {"type": "integer"},
            "entity": {"type": "string"},
        }
    )
    argument = _closed({"role": {"enum": list(onto.roles)}, "mention": {"type": "string"}})
    event = _closed(
        {
            "trigger": {"type": "string"},
            "occurrence": {"type": "integer"},
            "type": {"enum": list(onto.event_types)},
            "arguments": {"type": "array", "items": argument},
        }
    )
    quote = _closed(
        {
            "content": {"type": "string"},
            "type": {"enum": list(onto.quote_types)},
            "cue": {"type": ["string", "null"]},
            "speaker": {"type": ["string", "null"]},
        }
    )
    return _closed(
        {
            "mentions": {"type": "array", "items": mention},
            "events": {"type": "array", "items": event},
            "quotes": {"type": "array", "items": quote},
        }
    )


def _labels(names: tuple[str, ...], descriptions: dict[str, str]) -> str:
    return "\n".join(f"- {name}: {descriptions[name]}" for name in names)


@cache
def instructions() -> str:
    """The system message: the task, every label with its description, and how to write the answer."""
    onto = ontology()
    events = "\n".join(f"- {etype} (roles: {', '.join(roles)})" for etype, roles in onto.event_roles.items())
    return f"""You annotate English news articles for information extraction. Answer with one JSON object with
the keys "mentions", "events" and "quotes", and nothing else.

Copy every string exactly as it appears in the article, character for character: never paraphrase, translate,
fix spelling or change quotation marks.

mentions: every reference to an entity. "text" is the name itself, without determiners or titles for names;
"type" and "kind" are from the lists below; "occurrence" is 1 for the first place this exact string appears in
the article as a whole word or phrase, 2 for the second, and so on; "entity" is the entity's full name, the
same for every mention of the same entity (coreference).
Entity types:
{_labels(onto.entity_types, onto.descriptions)}
Mention kinds:
{_labels(onto.mention_kinds, onto.descriptions)}

events: ACE 2005 event mentions. "trigger" is the word that most clearly expresses the event, "occurrence"
counts as for mentions, "type" is one of the types below, and each argument names its "role" (one allowed for
the type) and its "mention" (the "text" of a mention you listed).
Event types:
{events}

quotes: reported speech. "content" is the quoted words without the enclosing quotation marks (for indirect
speech, the reported clause); "cue" is the reporting verb or phrase (such as "said" or "according to"), or
null; "speaker" is the "text" of the listed mention of who said it, or null when nobody is named.
Quote types:
{_labels(onto.quote_types, onto.descriptions)}"""


def messages(text: str, examples: Sequence[tuple[str, JSON]] = ()) -> list[JSON]:
    """The chat messages for one article: the instructions, then each few-shot example as an article and
    the answer to it (``(text, answer)`` pairs from the train split), then the article."""
    shots: list[JSON] = []
    for shot_text, answer in examples:
        shots.append({"role": "user", "content": f"Article:\n\n{shot_text}"})
        shots.append({"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)})
    return [
        {"role": "system", "content": instructions()},
        *shots,
        {"role": "user", "content": f"Article:\n\n{text}"},
    ]


def response_format(mode: str) -> JSON | None:
    """The ``response_format`` request field: the answer schema (``json_schema``), any JSON object
    (``json_object``, for servers without structured output), or None to send none (``none``)."""
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": answer_schema()},
        }
    if mode == "json_object":
        return {"type": "json_object"}
    if mode == "none":
        return None
    raise ValueError(f"llm: response_format must be json_schema, json_object or none, not {mode!r}")
