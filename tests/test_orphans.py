"""A child started for extraction ends when the run that started it is killed outright (Linux)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARENT = """
import multiprocessing, os, sys, time
from newsbench.{module} import {entry}

def child():
    {call}
    print("ready", os.getpid(), flush=True)  # the only line written: the parent stays silent
    time.sleep(600)  # a plug-in that hangs

if __name__ == "__main__":
    proc = multiprocessing.get_context("fork").Process(target=child, daemon=True)
    proc.start()
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


def _outlives_its_parent_killed(tmp_path: Path, source: str, wait: float) -> bool:
    """Run ``source`` (a parent whose child prints ``ready PID`` then hangs), SIGKILL the parent and say
    whether the child is still alive ``wait`` seconds later (it is killed then, whatever the answer)."""
    script = tmp_path / "parent.py"
    script.write_text(source, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    ready, pid_text = parent.stdout.readline().split()
    assert ready == "ready"
    pid = int(pid_text)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + wait
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(pid)
    if alive:
        os.kill(pid, signal.SIGKILL)
    return alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
@pytest.mark.parametrize("arranged", [True, False])
def test_a_hanging_child_ends_with_a_parent_killed_outright_only_when_it_asked_to(
    tmp_path: Path, arranged: bool
) -> None:
    call = "assert die_with_parent()" if arranged else "pass"
    source = PARENT.format(module="orphans", entry="die_with_parent", call=call)
    assert _outlives_its_parent_killed(tmp_path, source, 10 if arranged else 1) is not arranged


def test_workers_and_forked_children_ask_to_end_with_their_parent() -> None:
    from newsbench.eval.run import forked, workers

    for module, function in ((workers, "_worker_main"), (forked, "_child")):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        body = source.split(f"def {function}(", 1)[1].split("\ndef ", 1)[0]
        assert "die_with_parent()" in body, f"{module.__name__}.{function}"


POOL = """
import os, sys, time
from newsbench.parallel import OrderedPool

def hang(_):
    print("ready", os.getpid(), flush=True)
    time.sleep(600)
    return []

if __name__ == "__main__":
    with OrderedPool(2) as pool:
        pool.submit(hang, 0)
        list(pool.results(every=True))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_worker_of_score_or_validate_jobs_ends_with_the_command_killed_outright(tmp_path: Path) -> None:
    assert not _outlives_its_parent_killed(tmp_path, POOL, 10)
