"""Counts in messages and reports read as a sentence would: one noun form for one, another for the rest."""

from __future__ import annotations

import pytest

from newsbench.eval.report.html import templates
from newsbench.wording import counted, plural


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0 documents"), (1, "1 document"), (2, "2 documents"), (1000, "1000 documents")],
)
def test_a_count_takes_the_singular_only_for_exactly_one(n: int, text: str) -> None:
    assert counted(n, "document") == text


def test_a_noun_with_an_irregular_plural_passes_it() -> None:
    assert counted(1, "cache entry", "cache entries") == "1 cache entry"
    assert counted(3, "cache entry", "cache entries") == "3 cache entries"


def test_plural_alone_gives_the_noun_without_the_count() -> None:
    assert plural("key", 1) == "key"
    assert plural("key", 2) == "keys"


def test_report_pages_count_with_the_same_rule() -> None:
    page = templates().from_string("{{ n|counted('gold document') }}")
    assert page.render(n=1) == "1 gold document"
    assert page.render(n=4) == "4 gold documents"
