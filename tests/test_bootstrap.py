"""Document-level percentile bootstrap: the vectorised resampling against a plain loop over the same draws."""

from __future__ import annotations

import numpy as np
import pytest

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.stat_arrays import StatArrays
from newsbench.eval.stats.bootstrap import (
    Interval,
    bootstrap_intervals,
    f1_of_sums,
    percentile_interval,
    resample_weights,
    resampled_f1,
)

KEY = ("entities", "strict", "")
PER = ("entities", "strict", "PER")


def _docs(rows: list[tuple[float, int, int]]) -> list[DocResult]:
    return [
        DocResult(f"d{i}", {KEY: Counts(tp=tp, pos=pos, act=act)}) for i, (tp, pos, act) in enumerate(rows)
    ]


def test_the_matrix_holds_credit_gold_and_predicted_per_key() -> None:
    docs = [
        DocResult("a", {KEY: Counts(tp=1.5, pos=2, act=3)}),
        DocResult("b", {PER: Counts(tp=1, pos=1, act=1)}),
    ]
    matrix = StatArrays.of(docs).matrix([KEY, PER])
    assert matrix.shape == (2, 2, 3)
    assert matrix[0].tolist() == [[1.5, 2, 3], [0, 0, 0]]
    assert matrix[1].tolist() == [[0, 0, 0], [1, 1, 1]]


@pytest.mark.parametrize(
    ("sums", "f1"),
    [([1, 2, 2], 0.5), ([0, 0, 0], 0.0), ([0, 3, 0], 0.0), ([2, 2, 2], 1.0), ([0.5, 1, 1], 0.5)],
)
def test_f1_of_sums_matches_counts_and_is_zero_without_items_for_the_tests(
    sums: list[float], f1: float
) -> None:
    assert f1_of_sums(np.array(sums, dtype=float)) == pytest.approx(f1)
    assert Counts(tp=sums[0], pos=int(sums[1]), act=int(sums[2])).f1 == (
        None if sum(sums) == 0 else pytest.approx(f1)
    )
    assert np.isnan(f1_of_sums(np.array(sums, dtype=float), undefined=np.nan)) == (sum(sums) == 0)


def test_resamples_without_items_are_left_out_so_a_perfect_score_has_a_perfect_interval() -> None:
    # Only doc "a" has items; a resample drawing only "b" (1/4 of two-document draws) has no F1 at all.
    docs = [DocResult("a", {KEY: Counts(tp=2, pos=2, act=2)}), DocResult("b", {})]
    intervals = bootstrap_intervals(StatArrays.of(docs), [KEY], 1000, seed=1)
    assert (intervals[KEY].low, intervals[KEY].high) == (1.0, 1.0)


def test_a_key_with_no_defined_resample_has_no_interval() -> None:
    docs = [DocResult("a", {KEY: Counts()}), DocResult("b", {})]
    assert bootstrap_intervals(StatArrays.of(docs), [KEY], 100, seed=1) == {}


def test_percentile_bounds_use_only_the_defined_resamples() -> None:
    # 40 defined values 0..39 and 60 undefined: tail = int(40 * 0.025) = 1, so bounds are 1 and 38.
    samples = np.concatenate([np.arange(40.0), np.full(60, np.nan)])[:, None]
    low, high = percentile_interval(samples)
    assert (low[0], high[0]) == (1.0, 38.0)


def test_each_resample_draws_as_many_documents_as_there_are() -> None:
    weights = np.concatenate([w.copy() for w in resample_weights(7, 50, seed=1)])
    assert weights.shape == (50, 7)
    assert (weights.sum(axis=1) == 7).all()


def test_resamples_depend_only_on_seed_and_document_count() -> None:
    first = np.concatenate([w.copy() for w in resample_weights(5, 20, seed=3)])
    again = np.concatenate([w.copy() for w in resample_weights(5, 20, seed=3)])
    other = np.concatenate([w.copy() for w in resample_weights(5, 20, seed=4)])
    assert (first == again).all()
    assert not (first == other).all()


def test_vectorised_resamples_equal_a_plain_loop_over_the_same_draws() -> None:
    rows = [(1, 2, 2), (0, 1, 3), (3, 3, 3), (0.5, 1, 1), (2, 5, 2), (0, 0, 1)]
    docs = _docs(rows)
    (vectorised,) = resampled_f1([StatArrays.of(docs).matrix([KEY])], 200, seed=12345)
    draws = np.random.default_rng(12345).integers(0, len(docs), size=(200, len(docs)))
    looped = [Counts.total(docs[i].stats[KEY] for i in draw).f1 for draw in draws]
    assert vectorised[:, 0] == pytest.approx(looped)


def test_percentile_interval_takes_order_statistics() -> None:
    # 1,000 resamples: the 2.5% tails are 25 values each, so the bounds are indices 25 and 974.
    samples = np.arange(1000, dtype=float)[::-1].reshape(1000, 1) / 1000
    low, high = percentile_interval(samples)
    assert (low[0], high[0]) == (0.025, 0.974)


def test_interval_of_identical_documents_is_the_point_score() -> None:
    intervals = bootstrap_intervals(StatArrays.of(_docs([(1, 2, 2)] * 10)), [KEY], 100, seed=12345)
    assert intervals == {KEY: Interval(0.5, 0.5, 10)}


def test_an_interval_counts_the_documents_that_have_items_of_its_key() -> None:
    # 12 documents, items in 3 of them: the interval moves only with those 3, however many there are.
    docs = _docs([(1, 2, 2), (0, 0, 1), (2, 2, 3)] + [(0, 0, 0)] * 9)
    (interval,) = bootstrap_intervals(StatArrays.of(docs), [KEY], 200, seed=12345).values()
    assert interval.documents == 3


def test_interval_holds_the_point_score_of_varied_documents() -> None:
    docs = _docs([(i % 3, 2, 2) for i in range(30)])
    point = Counts.total(d.stats[KEY] for d in docs).f1
    found = bootstrap_intervals(StatArrays.of(docs), [KEY], 1000, seed=12345)[KEY]
    assert found.low < point < found.high


@pytest.mark.parametrize("n_resamples", [0, -1])
def test_no_intervals_when_resampling_is_off(n_resamples: int) -> None:
    assert bootstrap_intervals(StatArrays.of(_docs([(1, 2, 2)] * 3)), [KEY], n_resamples, seed=1) == {}


def test_no_intervals_without_documents() -> None:
    assert bootstrap_intervals(StatArrays.of([]), [KEY], 100, seed=1) == {}


def test_chunked_resampling_gives_every_resample(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsbench.eval.stats.bootstrap as bootstrap

    monkeypatch.setattr(bootstrap, "CELLS_PER_CHUNK", 10)
    weights = [w.shape[0] for w in resample_weights(4, 9, seed=2)]
    assert weights == [2, 2, 2, 2, 1]
    (samples,) = resampled_f1([StatArrays.of(_docs([(1, 2, 2)] * 4)).matrix([KEY])], 9, seed=2)
    assert samples.shape == (9, 1)


@pytest.mark.parametrize("n_docs", [1, 6, 7])
def test_chunked_resamples_are_the_seeds_draws_as_one_block(
    monkeypatch: pytest.MonkeyPatch, n_docs: int
) -> None:
    # The chunks share one buffer and draw a resample at a time; the indices must still be those of one
    # (resamples, documents) draw, so that intervals do not depend on the chunk size.
    import newsbench.eval.stats.bootstrap as bootstrap

    monkeypatch.setattr(bootstrap, "CELLS_PER_CHUNK", 20)
    chunked = np.concatenate([w.copy() for w in resample_weights(n_docs, 23, seed=5)])
    draws = np.random.default_rng(5).integers(0, n_docs, size=(23, n_docs))
    block = np.stack([np.bincount(draw, minlength=n_docs) for draw in draws]).astype(np.float64)
    assert (chunked == block).all()
