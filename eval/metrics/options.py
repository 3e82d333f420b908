"""Scoring options: every choice that changes a number, recorded in the report's signature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TASKS = ("entities", "events", "quotes")

PartialCredit = Literal["half", "graded"]
ArgumentMatch = Literal["exact", "overlap", "coref"]


@dataclass(frozen=True)
class ScoreOptions:
    """How to score.

    ``overlap`` is the least fraction of the gold span a prediction must cover to count as overlapping in
    the lenient modes (0 means any shared character). ``partial_credit`` is the credit for a partial match:
    ``half`` as in SemEval-2013, ``graded`` as the character-overlap F1 of the two spans.
    """

    tasks: tuple[str, ...] = TASKS
    mention_kinds: tuple[str, ...] = ("NAM",)
    overlap: float = 0.0
    partial_credit: PartialCredit = "half"
    argument_match: ArgumentMatch = "exact"
    bootstrap: int = 1000
    seed: int = 12345
    types: tuple[str, ...] = ()
    """Labels to score (``--types PER,ORG``): a task whose labels (entity, event or quote types) are named
    here is scored on items of those types only, on both sides, as nervaluate's ``tags`` do; a task none
    of whose labels is named, and every task when this is empty, is scored whole."""
