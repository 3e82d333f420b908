"""Evaluation: score a system's predictions against gold, or compare several systems with paired tests.

The subpackages follow the data's path: :mod:`.run` gets predictions from systems, :mod:`.metrics` counts
them against gold, :mod:`.stats` adds intervals, tests and the signature, :mod:`.report` renders the
results, :mod:`.agreement` compares two annotations, and :mod:`.bench` runs a whole benchmark suite.
:func:`score` and :func:`compare` (in :mod:`.evaluate`) give the same numbers as ``newsbench score`` and
``newsbench compare``.
"""

from newsbench.eval.evaluate import compare, score
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.report import Report
from newsbench.eval.stats.signature import comparable

__all__ = ["Comparison", "Report", "ScoreOptions", "comparable", "compare", "score"]
