"""Counts written as a reader says them: ``1 document``, ``3 documents``, never ``document(s)``.

Messages, notes and reports put a number before a noun in many places; one rule for the noun's form keeps
them all alike. Nouns here are English and mostly take ``s``; the few that do not pass their plural.
"""

from __future__ import annotations


def plural(noun: str, n: int, many: str | None = None) -> str:
    """``noun`` as it reads after the count ``n``: itself for exactly one, else ``many`` (default ``noun + "s"``)."""
    if n == 1:
        return noun
    return many if many is not None else noun + "s"


def counted(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and the noun in the form that number takes: ``counted(1, "file")`` is ``1 file``."""
    return f"{n} {plural(noun, n, many)}"
