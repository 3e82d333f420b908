"""Statistics as index arrays sum and lay out exactly what adding the documents one by one gives (hypothesis),
whether equal keys and counts are one shared object or separate copies (as results read back from worker
processes are)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult, StatKey
from newsbench.eval.metrics.stat_arrays import StatArrays

KEYS = st.tuples(
    st.sampled_from(("entities", "events")),
    st.sampled_from(("strict", "partial")),
    st.sampled_from(("", "PER", "ORG")),
)
COUNTS = st.builds(
    Counts,
    st.sampled_from((0.0, 0.5, 1.0, 0.1, 1 / 3, 2.75)),
    st.integers(0, 5),
    st.integers(0, 5),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 3),
)
RESULTS = st.lists(st.dictionaries(KEYS, COUNTS, max_size=8), max_size=12).map(
    lambda docs: [DocResult(f"d{i}", stats=stats) for i, stats in enumerate(docs)]
)


def _plain_sums(results: Sequence[DocResult]) -> dict[StatKey, Counts]:
    sums: dict[StatKey, Counts] = {}
    for result in results:
        for key, counts in result.stats.items():
            sums[key] = sums[key] + counts if key in sums else counts
    return sums


def _plain_matrix(results: Sequence[DocResult], keys: Sequence[StatKey]) -> np.ndarray:
    out = np.zeros((len(results), len(keys), 3))
    for row, result in enumerate(results):
        for j, key in enumerate(keys):
            if key in result.stats:
                counts = result.stats[key]
                out[row, j] = (counts.tp, counts.pos, counts.act)
    return out


@settings(max_examples=300, deadline=None)
@given(RESULTS, st.booleans())
def test_sums_are_the_documents_added_one_by_one_in_order(results: list[DocResult], copied: bool) -> None:
    if copied:  # separate but equal objects, as results unpickled from several batches hold
        results = [copy.deepcopy(result) for result in results]
    sums = StatArrays.of(results).sums()
    plain = _plain_sums(results)
    assert list(sums) == list(plain)  # the order keys are first met in
    for key, counts in plain.items():
        assert sums[key] == counts and sums[key].tp == counts.tp  # the same float, not just close


@settings(max_examples=300, deadline=None)
@given(RESULTS, st.lists(KEYS, unique=True, max_size=6))
def test_the_matrix_holds_each_documents_counts_of_each_key(
    results: list[DocResult], keys: list[StatKey]
) -> None:
    matrix = StatArrays.of(results).matrix(keys)
    assert matrix.shape == (len(results), len(keys), 3)
    assert np.array_equal(matrix, _plain_matrix(results, keys))


def test_results_read_back_in_batches_give_the_same_arrays() -> None:
    results = [
        DocResult(
            "a",
            stats={
                ("entities", "strict", ""): Counts(1.0, 2, 2),
                ("entities", "strict", "PER"): Counts(1.0, 1, 1),
            },
        ),
        DocResult("b", stats={("entities", "strict", ""): Counts(0.5, 1, 3)}),
    ]
    batches = [pickle.loads(pickle.dumps(results[:1])), pickle.loads(pickle.dumps(results[1:]))]
    read = StatArrays.of(batches[0] + batches[1])
    held = StatArrays.of(results)
    assert read.keys == held.keys == [("entities", "strict", ""), ("entities", "strict", "PER")]
    assert (
        read.sums()
        == held.sums()
        == {
            ("entities", "strict", ""): Counts(1.5, 3, 5),
            ("entities", "strict", "PER"): Counts(1.0, 1, 1),
        }
    )


def test_no_documents_have_no_sums_and_an_empty_matrix() -> None:
    empty = StatArrays.of([])
    assert empty.sums() == {}
    assert empty.matrix([("entities", "strict", "")]).shape == (0, 1, 3)
