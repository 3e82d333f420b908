"""Several systems on the same gold set: scores side by side, paired tests for every pair, tie groups.

The first system is the baseline; every other pair is tested too (both tests are symmetric in the two
systems). Systems are ranked per headline metric by F1, and split into tie groups by the approximate
randomisation test at ``alpha``: Riezler & Maxwell (2005) found it less prone than the bootstrap to call a
difference significant when it is not, which is the mistake a leaderboard should avoid. Below
:data:`~newsbench.eval.stats.sample.MIN_RELIABLE_DOCUMENTS` gold documents no test is valid (randomisation
may not even be able to reject), so systems are ranked by point F1, tied only where it is equal, and every
output says the ranks and p-values are unreliable. Metrics no system and no gold defines (nothing on either
side) and tasks the gold does not annotate are not ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from newsbench.eval.metrics.aggregate import MetricId
from newsbench.eval.metrics.catalog import display_key
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.stat_arrays import StatArrays
from newsbench.eval.report.report import Report, number
from newsbench.eval.stats.bootstrap import FloatArray, f1_of_sums, resampled_f1
from newsbench.eval.stats.sample import MIN_RELIABLE_DOCUMENTS, disagreement_note, small_sample_note
from newsbench.eval.stats.signature import PRED_FIELD, Signature, comparable
from newsbench.eval.stats.significance import (
    ALPHA,
    RANDOMIZATION_TRIALS,
    approximate_randomization,
    bootstrap_p_value,
    observed_difference,
    signed_difference,
    tie_groups,
)
from newsbench.jsonio import dumps_canonical
from newsbench.problems import NewsbenchError, Problem

JSON = dict[str, Any]


@dataclass(frozen=True)
class PairTest:
    """Both paired tests for one pair of systems on one headline metric.

    ``delta_f1`` and ``p_randomization`` are None where the test does not apply: either system has no F1
    for the metric (nothing on either side, or a task it does not attempt), so there is no difference to
    test; ``p_bootstrap`` is None then too, and when resampling is off.
    """

    baseline: str
    system: str
    metric: MetricId
    delta_f1: float | None
    p_bootstrap: float | None
    p_randomization: float | None
    note: str | None = None
    """Why the two tests disagree, or why they do not apply."""

    @property
    def applicable(self) -> bool:
        return self.p_randomization is not None

    def significant(self, alpha: float) -> bool | None:
        """Whether the randomisation test rejects at ``alpha``; None where the test does not apply."""
        return None if self.p_randomization is None else self.p_randomization < alpha


@dataclass(frozen=True)
class Comparison:
    """Systems in the order given (the first is the baseline), their reports, the tests and the tie groups."""

    systems: tuple[str, ...]
    reports: dict[str, Report]
    tests: tuple[PairTest, ...]
    groups: dict[MetricId, list[list[str]]]
    trials: int
    alpha: float

    @property
    def baseline(self) -> str:
        return self.systems[0]

    @property
    def options(self) -> ScoreOptions:
        return self.reports[self.baseline].options

    @property
    def documents(self) -> int:
        return self.reports[self.baseline].gold_documents

    @property
    def small_sample(self) -> str | None:
        return small_sample_note(self.documents)

    @property
    def ranked_by(self) -> str:
        """What the tie groups follow: the randomisation test, or point F1 when the sample is too small."""
        return "approximate_randomization" if self.small_sample is None else "point_f1"

    def metrics(self) -> list[MetricId]:
        found = {mid for report in self.reports.values() for mid in report.metrics()}
        return sorted(found, key=lambda mid: display_key(*mid))

    def signature(self) -> str:
        """The shared signature, with ``pred:*`` standing for the systems' own prediction hashes."""
        return str(Signature.parse(self.reports[self.baseline].signature).with_field(PRED_FIELD, "*"))

    def to_json(self) -> JSON:
        scores: JSON = {}
        for task, metric in self.metrics():
            row: JSON = {}
            for name in self.systems:
                report = self.reports[name]
                totals = report.totals.get((task, metric))
                if totals is None or task in report.not_attempted:
                    continue
                interval = report.interval((task, metric, ""))
                row[name] = {
                    "precision": number(totals.micro.precision),
                    "recall": number(totals.micro.recall),
                    "f1": number(totals.micro.f1),
                    "ci95": {"f1": None}
                    if interval is None
                    else {
                        "f1": [number(interval.low), number(interval.high)],
                        "documents": interval.documents,
                    },
                }
            scores.setdefault(task, {})[metric] = row
        ranking: JSON = {}
        for (task, metric), groups in sorted(self.groups.items(), key=lambda kv: display_key(*kv[0])):
            ranking.setdefault(task, {})[metric] = groups
        options = self.options
        return {
            "signature": self.signature(),
            "signatures": {name: self.reports[name].signature for name in self.systems},
            "systems": list(self.systems),
            "baseline": self.baseline,
            "documents": {"gold": self.documents},
            "missing_predictions": {name: list(self.reports[name].missing) for name in self.systems},
            "degenerate": self.reports[self.baseline].degenerate,
            "small_sample": self.small_sample,
            "not_scored": dict(sorted(self.reports[self.baseline].not_scored.items())),
            "tests": {
                "alpha": self.alpha,
                "paired_bootstrap": {"resamples": options.bootstrap, "seed": options.seed},
                "approximate_randomization": {"trials": self.trials, "seed": options.seed},
                "p_value": "(c + 1) / (n + 1), c = resamples or trials with a statistic at least the observed one",
                "groups_by": self.ranked_by,
                "min_reliable_documents": MIN_RELIABLE_DOCUMENTS,
            },
            "scores": scores,
            "pairs": [
                {
                    "baseline": t.baseline,
                    "system": t.system,
                    "task": t.metric[0],
                    "metric": t.metric[1],
                    "delta_f1": number(t.delta_f1),
                    "p_bootstrap": None if t.p_bootstrap is None else number(t.p_bootstrap),
                    "p_randomization": None if t.p_randomization is None else number(t.p_randomization),
                    "significant": t.significant(self.alpha),
                    "note": t.note,
                }
                for t in self.tests
            ],
            "ranking": ranking,
        }

    def dumps(self) -> str:
        return dumps_canonical(self.to_json())


def compare_reports(
    named: Sequence[tuple[str, Report]], trials: int = RANDOMIZATION_TRIALS, alpha: float = ALPHA
) -> Comparison:
    """Paired tests and tie groups for reports scored on the same gold documents with the same options."""
    names = [name for name, _ in named]
    if len(named) < 2:
        raise NewsbenchError("compare needs at least two systems")
    if len(set(names)) != len(names):
        raise NewsbenchError(f"system names must differ: {names}")
    first = named[0][1]
    problems = [
        Problem(name, None, "$.signature", f"not comparable with {names[0]}: {report.signature}")
        for name, report in named[1:]
        if not comparable(first.signature, report.signature)
    ]
    NewsbenchError.collect(problems)
    options = first.options
    keys = sorted(
        {(*mid, "") for _, r in named for mid in r.metrics()}, key=lambda k: display_key(k[0], k[1])
    )
    documents = first.gold_documents
    small = documents < MIN_RELIABLE_DOCUMENTS
    matrices = [StatArrays.of(report.results).matrix(keys) for _, report in named]
    samples = (
        resampled_f1(matrices, options.bootstrap, options.seed, undefined=np.nan)
        if options.bootstrap > 0
        else []
    )
    tests: list[PairTest] = []
    for i, j in combinations(range(len(named)), 2):
        observed = observed_difference(matrices[i], matrices[j])
        p_boot = bootstrap_p_value(samples[i], samples[j], observed) if samples else None
        p_ar = approximate_randomization(matrices[i], matrices[j], trials, options.seed)
        delta = signed_difference(matrices[i], matrices[j])
        for k, key in enumerate(keys):
            mid = (key[0], key[1])
            why = [_no_f1(named[n], matrices[n][:, k], mid) for n in (i, j)]
            reasons = [f"{names[n]} {reason}" for n, reason in zip((i, j), why, strict=True) if reason]
            if reasons or np.isnan(p_ar[k]):
                why_not = "n/a: " + ("; ".join(reasons) or "no trial in which both are defined")
                tests.append(PairTest(names[i], names[j], mid, None, None, None, why_not))
                continue
            pb = None if p_boot is None or np.isnan(p_boot[k]) else float(p_boot[k])
            pr = float(p_ar[k])
            note = None if pb is None else disagreement_note(documents, pb, pr, alpha)
            tests.append(PairTest(names[i], names[j], mid, float(delta[k]), pb, pr, note))
    by_pair = {(t.metric, frozenset((t.baseline, t.system))): t for t in tests}
    groups: dict[MetricId, list[list[str]]] = {}
    for k, key in enumerate(keys):
        mid = (key[0], key[1])
        sums = [matrices[n][:, k].sum(axis=0) for n in range(len(names))]
        # A system with no F1 here (n/a) is left out of the ranking, as its paired tests do not apply.
        defined = [n for n in range(len(names)) if not _no_f1(named[n], matrices[n][:, k], mid)]
        if not defined:
            continue
        f1 = {names[n]: round(float(f1_of_sums(sums[n])), 12) for n in defined}
        ranked = sorted(f1, key=lambda name: (-f1[name], names.index(name)))

        def different(a: str, b: str, mid: MetricId = mid, f1: dict[str, float] = f1) -> bool:
            if small:
                return f1[a] != f1[b]
            return by_pair[(mid, frozenset((a, b)))].significant(alpha) is True

        groups[mid] = tie_groups(ranked, different)
    return Comparison(tuple(names), dict(named), tuple(tests), groups, trials, alpha)


def _no_f1(named: tuple[str, Report], counts: FloatArray, mid: MetricId) -> str | None:
    """Why a system has no F1 for a metric, from its ``(documents, 3)`` counts; None when it has one."""
    if mid[0] in named[1].not_attempted:
        return f"does not attempt {mid[0]}"
    total = counts.sum(axis=0)
    if total[1] + total[2] <= 0:
        return "has no F1 here (nothing on either side)"
    return None
