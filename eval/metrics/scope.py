"""What is scored: the gold document's ignore regions are skipped on both sides; entity scores see only the
chosen mention kinds, and any task only the types ``--types`` keeps of it."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from operator import itemgetter

from newsbench.model import Document, Mention
from newsbench.ontology import ontology
from newsbench.spans import Offsets, Span, offsets


class IgnoreRegions:
    """The gold document's ignore regions, merged and sorted so a lookup costs a binary search.

    An item is out of scope when it shares any code point with a region: the validator keeps gold
    annotations either wholly inside or wholly outside a region, and a prediction that reaches into skipped
    text is skipped with it rather than counted as spurious against text nobody annotated.
    """

    def __init__(self, regions: Iterable[Span]) -> None:
        merged: list[list[int]] = []
        for r in sorted(regions):
            if merged and r.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], r.end)
            else:
                merged.append([r.start, r.end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __bool__(self) -> bool:
        """Whether there is any region at all (most documents have none)."""
        return bool(self._starts)

    def covers(self, item: Offsets) -> bool:
        """Whether any part of the item lies in a region."""
        if not self._starts:
            return False
        for start, end in item:
            i = bisect_right(self._starts, start) - 1
            if i >= 0 and self._ends[i] > start:
                return True
            if i + 1 < len(self._starts) and self._starts[i + 1] < end:
                return True
        return False


def task_types(types: Sequence[str], task: str) -> frozenset[str] | None:
    """The labels of ``task`` that ``--types`` keeps, or None when it names none of them (score all)."""
    known = {
        "entities": ontology().entity_types,
        "events": ontology().event_types,
        "quotes": ontology().quote_types,
    }[task]
    kept = frozenset(types).intersection(known)
    return kept or None


def scored_mentions(
    doc: Document, ignore: IgnoreRegions, kinds: Sequence[str], types: frozenset[str] | None = None
) -> tuple[list[Mention], list[Offsets]]:
    """The mentions in scope and their offsets, in a canonical order (by spans, type, kind, id).

    Matching then never depends on the order a file lists mentions in.
    """
    kept = []
    covers = ignore.covers if ignore else None
    for m in doc.mentions:
        if m.kind in kinds and (types is None or m.type in types):
            spans = m.spans
            # offsets(spans), inlined for the one-span mention, which is nearly every mention
            where = ((spans[0].start, spans[0].end),) if len(spans) == 1 else offsets(spans)
            if covers is None or not covers(where):
                kept.append((where, m.type, m.kind, m.id, m))
    kept.sort(key=_CANONICAL)
    return [item[4] for item in kept], [item[0] for item in kept]


_CANONICAL = itemgetter(0, 1, 2, 3)
"""Spans, type, kind, id: never the mention itself, which has no order."""
