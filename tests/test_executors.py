"""Choosing where extractions run: the options map to executors, Dask is an optional extra whose absence is
one clear error line, and every executor gives the runner the same attempts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from test_runner import Acme, gold_docs

from newsbench.cli import main
from newsbench.eval.run import dask_executor
from newsbench.eval.run.executors import InProcess, ProcessPool, local_executor
from newsbench.eval.run.runner import run_systems

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_jobs_and_timeout_choose_this_process_or_the_pool() -> None:
    assert local_executor(1, None) == InProcess()
    assert local_executor(1, 5.0) == ProcessPool(1, 5.0)
    assert local_executor(3, None) == ProcessPool(3, None)


def test_the_in_process_and_pool_executors_give_the_same_predictions() -> None:
    docs = gold_docs(["a", "b", "c"])
    (here,), _ = run_systems([Acme()], docs, executor=InProcess())
    (pooled,), _ = run_systems([Acme()], docs, executor=ProcessPool(2, None))
    assert pooled.predictions == here.predictions and not here.failures


def test_without_the_dask_extra_the_dask_executor_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a)
    )
    assert dask_executor.dask_missing() == "Dask is not installed: pip install 'newsbench[dask]'"
    for argv in (
        ["run", "rules", "--corpus", str(CORPUS), "--executor", "dask", "--out", str(tmp_path)],
        ["score", "--gold", str(CORPUS), "--pred", str(CORPUS), "--executor", "dask"],
    ):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.strip().endswith("pip install 'newsbench[dask]'") and "Traceback" not in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--endpoint-calls", "4"], "--scheduler and --endpoint-calls need --executor dask"),
        (["--executor", "pool", "--scheduler", "tcp://127.0.0.1:1"], "need --executor dask"),
        (["--executor", "dask", "--endpoint-calls", "0"], "--endpoint-calls must be at least 1, not 0"),
    ],
)
def test_dask_options_without_dask_or_out_of_range_are_usage_errors(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["run", "rules", "--corpus", str(CORPUS), "--out", str(tmp_path), *options]) == 2
    assert message in capsys.readouterr().err


def test_a_time_limit_the_inline_executor_cannot_keep_is_refused_not_ignored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A plug-in that hangs would hang the run despite ``--timeout``: the combination is refused instead."""
    args = ["run", "empty", "--corpus", str(CORPUS), "--out", str(tmp_path), "--executor", "inline"]
    assert main([*args, "--timeout", "5"]) == 2
    assert (
        "--executor inline extracts one document after another with no time limit" in capsys.readouterr().err
    )
    assert not tmp_path.exists() or not any(tmp_path.iterdir())
    assert main([*args, "--timeout", "0", "--bootstrap", "0", "--quiet"]) == 0
