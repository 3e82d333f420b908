"""Work in other processes comes back in the order it was given, with a bound on what is in flight."""

from __future__ import annotations

import argparse
import os
import signal
import time

import pytest

from newsbench.parallel import AHEAD, OrderedPool, cores, jobs_option, jobs_or_cores
from newsbench.problems import NewsbenchError


def _slow_square(numbers: list[int], delay: float) -> list[int]:
    time.sleep(delay)
    return [n * n for n in numbers]


def _pid(_: int) -> list[int]:
    return [os.getpid()]


def test_results_come_back_in_submission_order_whatever_finishes_first() -> None:
    with OrderedPool[int](2) as pool:
        pool.submit(_slow_square, [1, 2], 0.3)  # finishes last
        pool.ready([-1])  # already at hand: keeps its place after the first batch
        pool.submit(_slow_square, [3], 0.0)
        assert list(pool.results(every=True)) == [1, 4, -1, 9]


def test_results_are_held_back_until_more_than_the_bound_are_pending() -> None:
    with OrderedPool[int](1) as pool:
        for n in range(AHEAD):
            pool.submit(_slow_square, [n], 0.0)
        assert list(pool.results()) == [], "at the bound nothing has to be taken yet"
        pool.submit(_slow_square, [AHEAD], 0.0)
        assert list(pool.results()) == [0]
        assert list(pool.results(every=True)) == [n * n for n in range(1, AHEAD + 1)]


def test_work_runs_in_other_processes() -> None:
    with OrderedPool[int](2) as pool:
        pool.submit(_pid, 0)
        assert list(pool.results(every=True)) != [os.getpid()]


def _killed(_: int) -> list[int]:
    os.kill(os.getpid(), signal.SIGKILL)
    return []


def test_a_worker_killed_midway_is_a_one_line_error_not_a_traceback() -> None:
    with OrderedPool[int](1) as pool, pytest.raises(NewsbenchError, match="worker process ended"):
        pool.submit(_killed, 0)
        list(pool.results(every=True))


def test_without_jobs_a_command_works_in_one_process_per_core_where_workers_fork_safely(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("newsbench.parallel.cores", lambda: 6)
    assert jobs_or_cores(3) == 3
    monkeypatch.setattr("newsbench.parallel.WORKERS_BY_DEFAULT", True)
    assert jobs_or_cores(None) == 6
    monkeypatch.setattr("newsbench.parallel.WORKERS_BY_DEFAULT", False)
    assert jobs_or_cores(None) == 1
    assert jobs_or_cores(2) == 2


def test_jobs_zero_is_one_process_per_core_and_a_negative_count_is_refused() -> None:
    assert jobs_option("3") == 3
    assert jobs_option("0") == cores() >= 1
    with pytest.raises(argparse.ArgumentTypeError, match="0 \\(one per core\\) or more"):
        jobs_option("-1")
