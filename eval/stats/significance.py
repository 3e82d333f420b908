"""Paired significance tests between two systems over documents, and tie groups from them.

Both tests follow sacrebleu's definitions, with documents in place of sentences:

* paired bootstrap (Koehn 2004): draw documents with replacement, the same draws for both systems; the
  statistic of a resample is ``|F1(system) − F1(baseline)|``, centred by subtracting its mean over the
  resamples; the observed statistic is the absolute difference on the full set.
* approximate randomisation (Riezler & Maxwell 2005): in each trial every document's pair of outputs is
  swapped between the two systems with probability ½; the statistic is the absolute F1 difference of the two
  shuffled pseudo-systems.

The p-value is ``(c + 1) / (n + 1)`` over ``n`` resamples or trials, as sacrebleu computes it, where ``c``
counts the statistics at least as large as the observed one. sacrebleu counts only strictly larger ones,
which gives two identical systems ``p = 1/(n+1)`` — a zero difference reported as highly significant (the
anomaly reported against multeval, whose code sacrebleu follows). Counting ties as well gives identical
systems ``p = 1`` and changes nothing when statistics are continuous.

F1 is undefined where a metric has no item on either side (an accuracy over no judged item, say). A
difference with an undefined side is undefined too: where either system's F1 on the full set is undefined,
the observed statistic and the p-value are NaN (the test does not apply). A resample or trial in which
either side is undefined is left out of the count, as the intervals leave such resamples out, so ``n`` is
the number of resamples or trials in which the statistic is defined; when every one is, nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from newsbench.eval.stats.bootstrap import FloatArray, f1_of_sums, filled_chunks, resampled_f1

TOLERANCE = 1e-12
"""Statistics within this of the observed one count as ties (they differ only by float rounding)."""

ALPHA = 0.05
RANDOMIZATION_TRIALS = 10_000
"""sacrebleu's default number of approximate-randomisation trials."""


def p_value(stats: FloatArray, observed: FloatArray) -> FloatArray:
    """``(c + 1) / (n + 1)`` per column, ``c`` the number of rows of ``stats`` at least ``observed``.

    NaN statistics (undefined resamples or trials) are left out of ``n`` and ``c``; a column whose observed
    statistic is NaN, or with no defined row, gets NaN.
    """
    defined = np.sum(~np.isnan(stats), axis=0)
    extreme = np.sum(stats >= observed - TOLERANCE, axis=0)  # NaN compares false
    result: FloatArray = (extreme + 1) / (defined + 1)
    result[np.isnan(observed) | (defined == 0)] = np.nan
    return result


def observed_difference(baseline: FloatArray, system: FloatArray) -> FloatArray:
    """``|F1(system) − F1(baseline)|`` per key on the full document set (matrices are docs × keys × 3); NaN
    where either F1 is undefined."""
    return np.abs(signed_difference(baseline, system))


def signed_difference(baseline: FloatArray, system: FloatArray) -> FloatArray:
    """``F1(system) − F1(baseline)`` per key on the full document set; NaN where either F1 is undefined."""
    result: FloatArray = f1_of_sums(system.sum(axis=0), np.nan) - f1_of_sums(baseline.sum(axis=0), np.nan)
    return result


def paired_bootstrap(baseline: FloatArray, system: FloatArray, n_resamples: int, seed: int) -> FloatArray:
    """p-value per key of the paired bootstrap test; both matrices are ``(documents, keys, 3)`` counts."""
    base_f1, sys_f1 = resampled_f1([baseline, system], n_resamples, seed, undefined=np.nan)
    return bootstrap_p_value(base_f1, sys_f1, observed_difference(baseline, system))


def bootstrap_p_value(base_f1: FloatArray, sys_f1: FloatArray, observed: FloatArray) -> FloatArray:
    """The paired bootstrap p-value from F1 of both systems on the same ``(resamples, keys)`` draws.

    Split from :func:`paired_bootstrap` so a comparison of many systems resamples each system once. NaN in
    either marks a resample in which that system's F1 is undefined: it is left out, of the centring mean too.
    """
    diffs = np.abs(sys_f1 - base_f1)
    defined = np.sum(~np.isnan(diffs), axis=0)
    mean = np.divide(np.nansum(diffs, axis=0), defined, out=np.zeros(diffs.shape[1]), where=defined > 0)
    return p_value(diffs - mean, observed)


def _swap_masks(n_docs: int, n_trials: int, seed: int) -> Iterator[FloatArray]:
    """Chunks of a ``(trials, documents)`` 0/1 matrix: 1 where a trial swaps that document's outputs
    (:func:`newsbench.eval.stats.bootstrap.filled_chunks`: a chunk is overwritten by the next)."""
    return filled_chunks(n_docs, n_trials, seed, lambda rng: rng.integers(0, 2, size=n_docs))


def approximate_randomization(
    baseline: FloatArray, system: FloatArray, n_trials: int, seed: int
) -> FloatArray:
    """p-value per key of the approximate randomisation test, one matrix product per chunk of trials.

    A trial's first pseudo-system is the system with the swapped documents replaced by the baseline's, so
    its sums are ``system_total + mask @ (baseline − system)``; the second gets the rest.
    """
    n_docs, n_keys, _ = baseline.shape
    delta = (baseline - system).reshape(n_docs, n_keys * 3)
    sys_total = system.sum(axis=0).reshape(1, n_keys * 3)
    base_total = baseline.sum(axis=0).reshape(1, n_keys * 3)
    stats: list[FloatArray] = []
    for mask in _swap_masks(n_docs, n_trials, seed):
        moved = mask @ delta
        first = f1_of_sums((sys_total + moved).reshape(-1, n_keys, 3), np.nan)
        second = f1_of_sums((base_total - moved).reshape(-1, n_keys, 3), np.nan)
        stats.append(np.abs(first - second))
    all_stats = np.concatenate(stats) if stats else np.zeros((0, n_keys))
    return p_value(all_stats, observed_difference(baseline, system))


def tie_groups(ranked: Sequence[str], different: Callable[[str, str], bool]) -> list[list[str]]:
    """Split systems, best first, into groups of systems not significantly different from the group's best.

    Walking down the ranking, a system opens a new group as soon as it differs significantly from the best
    system of the current group, so every member of a group is statistically tied with its leader and
    groups never interleave.
    """
    groups: list[list[str]] = []
    for name in ranked:
        if groups and not different(groups[-1][0], name):
            groups[-1].append(name)
        else:
            groups.append([name])
    return groups
